//! Graceful shutdown of the real binary: SIGTERM lets an in-flight request complete.

use std::process::Stdio;
use std::time::Duration;

use sqlx::ConnectOptions;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::Command;

#[sqlx::test(migrations = "../migrations")]
async fn sigterm_during_a_slow_request_lets_it_complete(
    _pool_options: sqlx::postgres::PgPoolOptions,
    options: sqlx::postgres::PgConnectOptions,
) {
    let database_url = options.to_url_lossy().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env(
            "APP_AUTH__MASTER_KEY",
            "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=",
        )
        .env("APP_SERVER__PORT", "0")
        .env("APP_DATABASE__MIGRATE", "false")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("server binary starts");

    // The binary prints its address once it listens.
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let address = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.expect("read stdout") {
            if let Some(rest) = line.split("running at http://").nth(1) {
                return rest.trim().to_owned();
            }
        }
        panic!("server exited before listening");
    })
    .await
    .expect("server listens within 30 s");

    // A request whose body arrives slowly: the server is mid-request when SIGTERM lands.
    let mut stream = TcpStream::connect(&address).await.expect("connect");
    let body = "locale=fr";
    let head = format!(
        "POST /api/set_locale HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body.as_bytes()[..4]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let pid = child.id().expect("pid").to_string();
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(kill.success());
    tokio::time::sleep(Duration::from_millis(500)).await;

    // New connections are refused once shutdown began…
    assert!(
        TcpStream::connect(&address).await.is_err(),
        "the listener closes on SIGTERM"
    );

    // …but the in-flight request still gets its full answer.
    stream.write_all(&body.as_bytes()[4..]).await.unwrap();
    let mut response = String::new();
    tokio::time::timeout(
        Duration::from_secs(10),
        stream.read_to_string(&mut response),
    )
    .await
    .expect("response within 10 s")
    .expect("read response");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response
            .to_ascii_lowercase()
            .contains("set-cookie: lang=fr"),
        "{response}"
    );

    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("server exits after the request")
        .expect("exit status");
    assert!(status.success(), "clean exit: {status}");
}
