//! The identity service: one per server, shared by the middleware and the server functions.

use std::num::NonZeroU32;

use governor::clock::DefaultClock;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use secrecy::ExposeSecret;
use sqlx::PgPool;
use time::Duration;

use super::crypto::SecretBox;
use super::keys::KeyRing;
use super::oidc::SsoClient;
use super::password;
use super::settings::AuthSettings;
use crate::error::AppError;

type KeyedLimiter = RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock>;

/// Keys, secrets, limits and settings for sign-in and sessions.
pub struct AuthService {
    /// The settings it was built from.
    pub settings: AuthSettings,
    /// Encryption of secrets at rest and of sign-in state cookies.
    pub secrets: SecretBox,
    /// JWT signing keys.
    pub keys: KeyRing,
    /// Single sign-on, when configured.
    pub sso: Option<SsoClient>,
    /// Where people reach the platform (links in emails, SSO redirect).
    pub public_url: String,
    /// Hash checked when the account does not exist, so timing reveals nothing.
    decoy_hash: String,
    account_limiter: KeyedLimiter,
}

impl std::fmt::Debug for AuthService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthService")
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

/// Why the identity service could not start.
#[derive(Debug, thiserror::Error)]
pub enum AuthSetupError {
    /// The master key is missing or malformed.
    #[error("APP_AUTH__MASTER_KEY must be 32 random bytes, base64-encoded")]
    MasterKey,
    /// A setting is out of range.
    #[error("invalid auth setting: {0}")]
    Setting(&'static str),
    /// The signing keys could not be loaded or created.
    #[error("signing keys unavailable: {0}")]
    Keys(AppError),
    /// The SSO settings are unusable.
    #[error("single sign-on: {0}")]
    Sso(String),
}

impl AuthService {
    /// Builds the service and makes sure a signing key exists.
    pub async fn new(
        settings: AuthSettings,
        public_url: &str,
        pool: &PgPool,
    ) -> Result<AuthService, AuthSetupError> {
        let secrets = SecretBox::from_base64(settings.master_key.expose_secret())
            .map_err(|_| AuthSetupError::MasterKey)?;
        if settings.access_ttl_secs < 30 || settings.session_ttl_days < 1 {
            return Err(AuthSetupError::Setting("token lifetimes too short"));
        }
        let per_minute = NonZeroU32::new(settings.account_attempts_per_minute).ok_or(
            AuthSetupError::Setting("account_attempts_per_minute must be > 0"),
        )?;
        let keys = KeyRing::new(
            secrets.clone(),
            Duration::seconds(settings.access_ttl_secs),
            Duration::days(settings.key_rotation_days.max(1)),
        );
        keys.refresh(pool).await.map_err(AuthSetupError::Keys)?;
        let decoy_hash = password::hash(format!("decoy-{}", uuid::Uuid::new_v4()))
            .await
            .map_err(AuthSetupError::Keys)?;
        let public_url = public_url.trim_end_matches('/').to_owned();
        let sso = settings
            .sso
            .clone()
            .map(|sso| SsoClient::new(sso, &public_url))
            .transpose()
            .map_err(AuthSetupError::Sso)?;
        Ok(AuthService {
            account_limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
            secrets,
            keys,
            sso,
            decoy_hash,
            public_url,
            settings,
        })
    }

    /// Whether cookies must be `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.settings.secure_cookies || self.public_url.starts_with("https://")
    }

    /// The decoy hash for unknown accounts.
    pub(super) fn decoy(&self) -> &str {
        &self.decoy_hash
    }

    /// Per-account limit on sign-in attempts (successful or not), keyed by email or user id.
    pub fn check_account_rate(&self, key: &str) -> Result<(), AppError> {
        self.account_limiter
            .check_key(&key.to_owned())
            .map_err(|not_until| AppError::RateLimited {
                retry_after_secs: not_until
                    .wait_time_from(governor::clock::Clock::now(&DefaultClock::default()))
                    .as_secs()
                    .max(1),
            })
    }
}
