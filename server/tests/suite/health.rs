//! Probes: liveness always, readiness tracks the database and recovers without a restart.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::common::TestApp;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tokio::net::{TcpStream, UnixListener, UnixStream};
use tokio::sync::Mutex;
use tokio::task::JoinSet;

#[sqlx::test(migrations = "../migrations")]
async fn healthz_and_readyz_answer_when_the_database_is_up(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;

    let live = app.get("/healthz").await;
    assert_eq!(live.status(), 200);
    assert_eq!(live.headers()["cache-control"], "no-store");
    assert_eq!(
        live.json::<serde_json::Value>().await.unwrap()["status"],
        "ok"
    );

    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(
        ready.json::<serde_json::Value>().await.unwrap()["database"],
        "up"
    );
}

/// A cuttable link to Postgres: a unix-socket proxy in front of the real server.
struct DbLink {
    dir: PathBuf,
    port: u16,
    upstream: PgConnectOptions,
    tasks: Arc<Mutex<JoinSet<()>>>,
}

impl DbLink {
    fn new(upstream: PgConnectOptions) -> DbLink {
        let dir = std::env::temp_dir().join(format!("up-proxy-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        DbLink {
            dir,
            port: upstream.get_port(),
            upstream,
            tasks: Arc::new(Mutex::new(JoinSet::new())),
        }
    }

    fn socket_path(&self) -> PathBuf {
        self.dir.join(format!(".s.PGSQL.{}", self.port))
    }

    /// Connection options that go through the proxy.
    fn options(&self) -> PgConnectOptions {
        self.upstream.clone().socket(&self.dir)
    }

    /// Starts forwarding connections to the real server.
    async fn connect(&self) {
        let _ = std::fs::remove_file(self.socket_path());
        let listener = UnixListener::bind(self.socket_path()).unwrap();
        let upstream = self.upstream.clone();
        let tasks = self.tasks.clone();
        self.tasks.lock().await.spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    return;
                };
                let upstream = upstream.clone();
                tasks.lock().await.spawn(async move {
                    let _ = match upstream.get_socket() {
                        Some(dir) => {
                            let path =
                                Path::new(dir).join(format!(".s.PGSQL.{}", upstream.get_port()));
                            let mut server = UnixStream::connect(path).await.unwrap();
                            tokio::io::copy_bidirectional(&mut client, &mut server).await
                        }
                        None => {
                            let mut server =
                                TcpStream::connect((upstream.get_host(), upstream.get_port()))
                                    .await
                                    .unwrap();
                            tokio::io::copy_bidirectional(&mut client, &mut server).await
                        }
                    };
                });
            }
        });
    }

    /// Cuts every connection and refuses new ones, as if the database went away.
    async fn cut(&self) {
        self.tasks.lock().await.abort_all();
        let _ = std::fs::remove_file(self.socket_path());
    }
}

impl Drop for DbLink {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn readyz_fails_while_the_database_is_away_and_recovers_without_restart(
    _pool_options: PgPoolOptions,
    options: PgConnectOptions,
) {
    let owner = PgPoolOptions::new().connect_lazy_with(options.clone());
    let link = DbLink::new(options.username("unified_app"));
    link.connect().await;
    let pool = PgPoolOptions::new()
        .max_connections(4)
        .acquire_timeout(std::time::Duration::from_secs(1))
        .test_before_acquire(true)
        .connect_lazy_with(link.options());
    let app = TestApp::spawn_on(owner, pool, &[]).await;

    assert_eq!(
        app.get("/readyz").await.status(),
        200,
        "ready while connected"
    );

    link.cut().await;
    let down = app.get("/readyz").await;
    assert_eq!(down.status(), 503, "not ready while the database is away");
    assert_eq!(
        down.json::<serde_json::Value>().await.unwrap()["database"],
        "down"
    );
    assert_eq!(app.get("/healthz").await.status(), 200, "still alive");

    link.connect().await;
    let mut status = 0;
    for _ in 0..20 {
        status = app.get("/readyz").await.status().as_u16();
        if status == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert_eq!(
        status, 200,
        "ready again once the database is back, same process"
    );
}
