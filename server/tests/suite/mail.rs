//! SMTP delivery of the outbox against a local SMTP server (RFC 5321 subset: EHLO, MAIL, RCPT,
//! DATA, RSET, QUIT) that can be told to defer (4xx) or refuse (5xx) messages.

use std::sync::{Arc, Mutex};

use crate::common::{system_tx, TestApp, CLIENT};
use secrecy::SecretString;
use server::mailer::{Delivered, MailSettings, Mailer};
use sqlx::PgPool;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// How the server answers `MAIL FROM`.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Accept,
    Defer,
    Refuse,
}

#[derive(Clone)]
struct SmtpServer {
    port: u16,
    mode: Arc<Mutex<Mode>>,
    received: Arc<Mutex<Vec<String>>>,
}

impl SmtpServer {
    async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = SmtpServer {
            port: listener.local_addr().unwrap().port(),
            mode: Arc::new(Mutex::new(Mode::Accept)),
            received: Arc::new(Mutex::new(Vec::new())),
        };
        let shared = server.clone();
        tokio::spawn(async move {
            loop {
                let (socket, _) = listener.accept().await.unwrap();
                let shared = shared.clone();
                tokio::spawn(async move { shared.session(socket).await });
            }
        });
        server
    }

    fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    fn messages(&self) -> Vec<String> {
        self.received.lock().unwrap().clone()
    }

    async fn session(&self, socket: tokio::net::TcpStream) {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        write.write_all(b"220 test.local ESMTP\r\n").await.unwrap();
        while let Ok(Some(line)) = lines.next_line().await {
            let verb = line
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            let reply: &[u8] = match verb.as_str() {
                "EHLO" | "HELO" => b"250-test.local\r\n250 8BITMIME\r\n",
                "MAIL" => match *self.mode.lock().unwrap() {
                    Mode::Accept => b"250 OK\r\n",
                    Mode::Defer => b"451 4.3.0 Try again later\r\n",
                    Mode::Refuse => b"550 5.1.1 Mailbox unavailable\r\n",
                },
                "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                "DATA" => {
                    write
                        .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                        .await
                        .unwrap();
                    let mut data = String::new();
                    while let Ok(Some(l)) = lines.next_line().await {
                        if l == "." {
                            break;
                        }
                        data.push_str(&l);
                        data.push('\n');
                    }
                    self.received.lock().unwrap().push(data);
                    b"250 OK queued\r\n"
                }
                "QUIT" => {
                    let _ = write.write_all(b"221 Bye\r\n").await;
                    return;
                }
                _ => b"502 Command not implemented\r\n",
            };
            if write.write_all(reply).await.is_err() {
                return;
            }
        }
    }
}

fn mailer(port: u16) -> Mailer {
    Mailer::new(
        &MailSettings {
            smtp_url: Some(SecretString::from(format!("smtp://127.0.0.1:{port}"))),
            from: "HMF Holding <noreply@hmf.ch>".into(),
            poll_secs: 1,
        },
        app::auth::ssr::crypto::SecretBox::from_base64(crate::common::TEST_MASTER_KEY).unwrap(),
    )
    .unwrap()
    .expect("configured")
}

/// (attempts, sent, gave up, has error, due now) of the outbox row for `to`.
async fn state(owner: &PgPool, to: &str) -> (i32, bool, bool, bool, bool) {
    let mut tx = system_tx(owner).await;
    let row = sqlx::query_as(
        "SELECT attempts, sent_at IS NOT NULL, gave_up_at IS NOT NULL, last_error IS NOT NULL, next_attempt_at <= now()
         FROM email_outbox WHERE to_address = $1",
    )
    .bind(to)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    row
}

async fn make_due(owner: &PgPool) {
    let mut tx = system_tx(owner).await;
    sqlx::query("UPDATE email_outbox SET next_attempt_at = now() WHERE sent_at IS NULL")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn outbox_is_delivered_over_smtp_and_retried_after_a_temporary_failure(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let smtp = SmtpServer::start().await;
    let mailer = mailer(smtp.port);
    // A real business email: the password-reset request of a portal user.
    let response = app
        .post_form("/api/auth/forgot", &[("email", CLIENT)])
        .await;
    assert!(response.status().is_success(), "{}", response.status());

    smtp.set(Mode::Defer);
    let first = mailer.deliver_due(&app.pool).await.unwrap();
    assert_eq!(
        first,
        Delivered {
            sent: 0,
            deferred: 1,
            refused: 0
        }
    );
    assert_eq!(
        state(&app.owner, CLIENT).await,
        (1, false, false, true, false),
        "kept, error noted, retry later"
    );
    assert!(smtp.messages().is_empty());
    // Not due yet: a second pass does nothing.
    assert_eq!(
        mailer.deliver_due(&app.pool).await.unwrap(),
        Delivered::default()
    );

    make_due(&app.owner).await;
    smtp.set(Mode::Accept);
    let second = mailer.deliver_due(&app.pool).await.unwrap();
    assert_eq!(
        second,
        Delivered {
            sent: 1,
            deferred: 0,
            refused: 0
        }
    );
    let (attempts, sent, gave_up, has_error, _) = state(&app.owner, CLIENT).await;
    assert_eq!(
        (attempts, sent, gave_up, has_error),
        (2, true, false, false)
    );
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert!(
        message.contains("To: client@helvetia-events.ch"),
        "{message}"
    );
    assert!(
        message.contains("From: \"HMF Holding\" <noreply@hmf.ch>"),
        "{message}"
    );
    let id: uuid::Uuid = {
        let mut tx = system_tx(&app.owner).await;
        let id = sqlx::query_scalar("SELECT id FROM email_outbox WHERE to_address = $1")
            .bind(CLIENT)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    };
    assert!(
        message.contains(&format!("Message-ID: <{id}@hmf.ch>")),
        "the outbox id lets receivers dedupe: {message}"
    );
    assert!(
        message.contains("reset-password?token=3D"),
        "the body is the queued one: {message}"
    );
    // Sent messages are never sent twice.
    make_due(&app.owner).await;
    assert_eq!(
        mailer.deliver_due(&app.pool).await.unwrap(),
        Delivered::default()
    );
    assert_eq!(smtp.messages().len(), 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_permanent_refusal_is_kept_with_its_error_and_not_retried(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let smtp = SmtpServer::start().await;
    let mailer = mailer(smtp.port);
    app.post_form("/api/auth/forgot", &[("email", CLIENT)])
        .await;
    smtp.set(Mode::Refuse);
    let report = mailer.deliver_due(&app.pool).await.unwrap();
    assert_eq!(
        report,
        Delivered {
            sent: 0,
            deferred: 0,
            refused: 1
        }
    );
    let (attempts, sent, gave_up, has_error, _) = state(&app.owner, CLIENT).await;
    assert_eq!((attempts, sent, gave_up, has_error), (1, false, true, true));
    make_due(&app.owner).await;
    smtp.set(Mode::Accept);
    assert_eq!(
        mailer.deliver_due(&app.pool).await.unwrap(),
        Delivered::default(),
        "given up for good"
    );
    assert!(smtp.messages().is_empty());
}

#[sqlx::test(migrations = "../migrations")]
async fn an_unreachable_server_defers_without_losing_mail(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    // A port nobody listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mailer = mailer(port);
    app.post_form("/api/auth/forgot", &[("email", CLIENT)])
        .await;
    let report = mailer.deliver_due(&app.pool).await.unwrap();
    assert_eq!(
        report,
        Delivered {
            sent: 0,
            deferred: 1,
            refused: 0
        }
    );
    assert_eq!(
        state(&app.owner, CLIENT).await,
        (1, false, false, true, false)
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_company_sends_under_its_own_name_with_its_reply_to_address(owner: PgPool) {
    use crate::common::*;
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let mut settings =
        call(&ceo, "/api/admin/company", &[("id", &hv.to_string())]).await["settings"].clone();
    settings["sender_name"] = serde_json::json!("HYPERVISUAL Comptabilité");
    settings["reply_to"] = serde_json::json!("compta@hypervisual.ch");
    call_json(
        &ceo,
        "/api/admin/save_company",
        &serde_json::json!({ "settings": settings }),
    )
    .await;
    let id = create_invoice(&ceo, "CHF", vec![line("Work", "1", "100", &today())]).await;
    call(&ceo, "/api/invoices/send", &[("id", &id.to_string())]).await;

    let smtp = SmtpServer::start().await;
    let report = mailer(smtp.port).deliver_due(&app.pool).await.unwrap();
    assert_eq!(report.sent, 1);
    let message = &smtp.messages()[0];
    assert!(
        message.contains("To: client@helvetia-events.ch"),
        "{message}"
    );
    assert!(
        message.contains("Reply-To: compta@hypervisual.ch"),
        "{message}"
    );
    assert!(
        message.contains("<noreply@hmf.ch>"),
        "the platform's own address sends: {message}"
    );
    let from = message.lines().find(|l| l.starts_with("From: ")).unwrap();
    assert!(
        !from.contains("HMF Holding"),
        "the company's sender name, not the platform's: {from}"
    );
}
