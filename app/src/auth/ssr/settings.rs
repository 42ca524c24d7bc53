//! Identity settings, read by the server's configuration (`APP_AUTH__*`).

use secrecy::SecretString;
use serde::Deserialize;

/// How sessions, tokens and sign-in protection behave.
#[derive(Clone, Debug, Deserialize)]
pub struct AuthSettings {
    /// 32 random bytes, base64: encrypts TOTP secrets and signing keys at rest. Required.
    pub master_key: SecretString,
    /// Lifetime of an access token (JWT), in seconds.
    #[serde(default = "d_access_ttl")]
    pub access_ttl_secs: i64,
    /// Absolute lifetime of a session (its refresh tokens), in days.
    #[serde(default = "d_session_ttl")]
    pub session_ttl_days: i64,
    /// A refresh token presented again within this many seconds of its rotation is a benign race
    /// (parallel requests), not theft.
    #[serde(default = "d_reuse_grace")]
    pub refresh_reuse_grace_secs: i64,
    /// How long a JWT signing key signs before the next one takes over, in days.
    #[serde(default = "d_rotation")]
    pub key_rotation_days: i64,
    /// Time allowed for the second sign-in step, in seconds.
    #[serde(default = "d_mfa_ttl")]
    pub mfa_ttl_secs: i64,
    /// Failed sign-ins before an address is locked.
    #[serde(default = "d_max_failures")]
    pub max_failures: i32,
    /// First lock duration in seconds; it doubles with every further failure.
    #[serde(default = "d_lockout")]
    pub lockout_secs: i64,
    /// Longest lock, in seconds.
    #[serde(default = "d_lockout_max")]
    pub lockout_max_secs: i64,
    /// Sign-in and reset attempts per account and minute, successful or not.
    #[serde(default = "d_account_rate")]
    pub account_attempts_per_minute: u32,
    /// Validity of a password-reset link, in minutes.
    #[serde(default = "d_reset_ttl")]
    pub reset_ttl_minutes: i64,
    /// Longest API token lifetime, in days.
    #[serde(default = "d_api_token_days")]
    pub api_token_max_days: i64,
    /// Cookies get `Secure` (set automatically when the public URL is https).
    #[serde(default)]
    pub secure_cookies: bool,
    /// Single sign-on through an OpenID Provider; off when absent.
    #[serde(default)]
    pub sso: Option<SsoSettings>,
}

/// An OpenID Connect provider for single sign-on.
#[derive(Clone, Debug, Deserialize)]
pub struct SsoSettings {
    /// The issuer URL (discovery at `/.well-known/openid-configuration`).
    pub issuer_url: String,
    /// Our client id at the provider.
    pub client_id: String,
    /// Our client secret; absent for a public client (PKCE only).
    #[serde(default)]
    pub client_secret: Option<SecretString>,
    /// The provider's name on the sign-in button.
    #[serde(default = "d_sso_name")]
    pub display_name: String,
}

fn d_access_ttl() -> i64 {
    600
}
fn d_session_ttl() -> i64 {
    30
}
fn d_reuse_grace() -> i64 {
    20
}
fn d_rotation() -> i64 {
    30
}
fn d_mfa_ttl() -> i64 {
    300
}
fn d_max_failures() -> i32 {
    5
}
fn d_lockout() -> i64 {
    60
}
fn d_lockout_max() -> i64 {
    3600
}
fn d_account_rate() -> u32 {
    10
}
fn d_reset_ttl() -> i64 {
    30
}
fn d_api_token_days() -> i64 {
    365
}
fn d_sso_name() -> String {
    "SSO".into()
}
