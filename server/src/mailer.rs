//! Delivery of the email outbox over SMTP.
//!
//! Business code never talks to SMTP: it queues messages in `email_outbox` inside the transaction
//! of the change, so a rollback sends nothing and a commit loses nothing. This worker claims due
//! messages, sends them and records the outcome; a transient failure is retried with exponential
//! back-off, a permanent one (refused address, 5xx) is kept with its error and not retried.
//! Delivery is at-least-once; the outbox id doubles as the `Message-ID` so receivers can dedupe.

use std::time::Duration;

use app::auth::ssr::crypto::SecretBox;
use app::auth::ssr::{begin, Scope};
use app::billing::ssr::email::reveal;
use app::error::AppError;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

/// How outgoing email is delivered.
#[derive(Clone, Debug, Deserialize)]
pub struct MailSettings {
    /// `smtp://host:25` (plain), `smtp://user:pass@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:pass@host:465`; unset keeps every message in the outbox (development).
    pub smtp_url: Option<SecretString>,
    /// The sender, e.g. `Unified Platform <noreply@hmf.ch>`.
    pub from: String,
    /// Seconds between two looks at the outbox.
    pub poll_secs: u64,
}

/// Defaults of [`MailSettings`] (the URL has none).
#[derive(Serialize)]
pub(crate) struct MailDefaults {
    pub(crate) from: &'static str,
    pub(crate) poll_secs: u64,
}

impl Default for MailDefaults {
    fn default() -> Self {
        MailDefaults {
            from: "Unified Platform <noreply@localhost>",
            poll_secs: 10,
        }
    }
}

/// A mail configuration that cannot work.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The SMTP URL does not parse.
    #[error("mail.smtp_url is not a valid SMTP URL: {0}")]
    Url(#[source] lettre::transport::smtp::Error),
    /// The sender is not an address.
    #[error("mail.from is not a valid mailbox: {0}")]
    From(#[source] lettre::address::AddressError),
}

/// What one pass over the outbox did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delivered {
    /// Accepted by the SMTP server.
    pub sent: usize,
    /// Failed for now; retried later.
    pub deferred: usize,
    /// Refused for good; kept with the error.
    pub refused: usize,
}

/// The longest wait between two attempts.
const MAX_BACKOFF_SECS: f64 = 6.0 * 3600.0;
/// A claimed message is not claimed again for this long, in case the sender dies mid-way.
const LEASE: &str = "5 minutes";
/// Messages per claim.
const BATCH: i64 = 20;

/// Sends the outbox through one SMTP relay.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    domain: String,
    /// Opens the links sealed in the outbox (invitations, password resets).
    secrets: SecretBox,
}

impl Mailer {
    /// The mailer for `settings`, or `None` when no SMTP server is configured.
    pub fn new(settings: &MailSettings, secrets: SecretBox) -> Result<Option<Mailer>, MailError> {
        let Some(url) = &settings.smtp_url else {
            return Ok(None);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
            .map_err(MailError::Url)?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from: Mailbox = settings.from.parse().map_err(MailError::From)?;
        let domain = from.email.domain().to_owned();
        Ok(Some(Mailer {
            transport,
            from,
            domain,
            secrets,
        }))
    }

    /// Sends every message that is due, batch by batch, until none is left.
    #[tracing::instrument(skip_all)]
    pub async fn deliver_due(&self, pool: &PgPool) -> Result<Delivered, AppError> {
        let mut total = Delivered::default();
        loop {
            let mut tx = begin(pool, &Scope::system()).await?;
            let claimed = sqlx::query!(
                r#"UPDATE email_outbox SET attempts = attempts + 1, next_attempt_at = now() + $2::text::interval
                   WHERE id IN (SELECT id FROM email_outbox
                                WHERE sent_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= now()
                                ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
                   RETURNING id, to_address, subject, body_text, attempts, secret_link,
                             (SELECT c.sender_name FROM companies c WHERE c.id = company_id) AS sender_name,
                             (SELECT c.reply_to FROM companies c WHERE c.id = company_id) AS reply_to"#,
                BATCH,
                LEASE,
            )
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            let count = claimed.len();
            for mail in claimed {
                let outcome =
                    match reveal(&mail.body_text, mail.secret_link.as_deref(), &self.secrets) {
                        Some(body) => {
                            let sender = Sender {
                                name: mail.sender_name.filter(|n| !n.is_empty()),
                                reply_to: mail.reply_to.filter(|r| !r.is_empty()),
                            };
                            self.send(mail.id, &mail.to_address, &mail.subject, &body, &sender)
                                .await
                        }
                        // Sealed with another master key: it can never be sent as written.
                        None => Err(Failure::Permanent(
                            "the link cannot be opened with this server's key".into(),
                        )),
                    };
                let mut tx = begin(pool, &Scope::system()).await?;
                match outcome {
                    Ok(()) => {
                        sqlx::query!(
                            "UPDATE email_outbox SET sent_at = now(), last_error = NULL WHERE id = $1",
                            mail.id
                        )
                        .execute(&mut *tx)
                        .await?;
                        total.sent += 1;
                    }
                    Err(Failure::Permanent(error)) => {
                        tracing::warn!(id = %mail.id, %error, "email refused for good");
                        sqlx::query!(
                            "UPDATE email_outbox SET gave_up_at = now(), last_error = $2 WHERE id = $1",
                            mail.id,
                            error
                        )
                        .execute(&mut *tx)
                        .await?;
                        total.refused += 1;
                    }
                    Err(Failure::Transient(error)) => {
                        let wait = backoff_secs(mail.attempts);
                        tracing::info!(id = %mail.id, %error, retry_in_secs = wait, "email deferred");
                        sqlx::query!(
                            r#"UPDATE email_outbox SET last_error = $2,
                                      next_attempt_at = now() + make_interval(secs => $3)
                               WHERE id = $1"#,
                            mail.id,
                            error,
                            wait
                        )
                        .execute(&mut *tx)
                        .await?;
                        total.deferred += 1;
                    }
                }
                tx.commit().await?;
            }
            if count < BATCH as usize {
                return Ok(total);
            }
        }
    }

    async fn send(
        &self,
        id: Uuid,
        to: &str,
        subject: &str,
        body: &str,
        sender: &Sender,
    ) -> Result<(), Failure> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| Failure::Permanent(format!("invalid recipient: {e}")))?;
        // The company's name on the configured address; replies to the company's address.
        let from = match &sender.name {
            Some(name) => Mailbox::new(Some(name.clone()), self.from.email.clone()),
            None => self.from.clone(),
        };
        let mut builder = Message::builder().from(from);
        if let Some(reply_to) = sender
            .reply_to
            .as_deref()
            .and_then(|r| r.parse::<Mailbox>().ok())
        {
            builder = builder.reply_to(reply_to);
        }
        let message = builder
            .to(to)
            .subject(subject)
            .message_id(Some(format!("<{id}@{}>", self.domain)))
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|e| Failure::Permanent(format!("cannot build the message: {e}")))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(Failure::Permanent(e.to_string())),
            Err(e) => Err(Failure::Transient(e.to_string())),
        }
    }
}

/// Who a company's emails come from.
struct Sender {
    name: Option<String>,
    reply_to: Option<String>,
}

enum Failure {
    Transient(String),
    Permanent(String),
}

/// Seconds to wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min, … capped at 6 h.
pub fn backoff_secs(attempts: i32) -> f64 {
    let exponent = attempts.clamp(1, 20) - 1;
    (30.0 * 2f64.powi(exponent)).min(MAX_BACKOFF_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_secs(1), 30.0);
        assert_eq!(backoff_secs(2), 60.0);
        assert_eq!(backoff_secs(5), 480.0);
        assert_eq!(backoff_secs(30), MAX_BACKOFF_SECS);
        assert_eq!(backoff_secs(0), 30.0);
    }

    // The SMTP pool needs a Tokio runtime, as in the server.
    #[tokio::test]
    async fn no_url_means_no_mailer_and_bad_settings_are_refused() {
        let mut settings = MailSettings {
            smtp_url: None,
            from: "Ops <ops@hmf.ch>".into(),
            poll_secs: 10,
        };
        let key =
            || SecretBox::from_base64("dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=").unwrap();
        assert!(Mailer::new(&settings, key()).unwrap().is_none());
        settings.smtp_url = Some("smtp://127.0.0.1:2525".into());
        assert!(Mailer::new(&settings, key()).unwrap().is_some());
        settings.smtp_url = Some("http://example.com".into());
        assert!(matches!(
            Mailer::new(&settings, key()),
            Err(MailError::Url(_))
        ));
        settings.smtp_url = Some("smtp://127.0.0.1:2525".into());
        settings.from = "not an address".into();
        assert!(matches!(
            Mailer::new(&settings, key()),
            Err(MailError::From(_))
        ));
    }
}
