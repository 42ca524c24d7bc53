//! Signing in: password, the second factor, enrolment during sign-in, and lockout.

use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::audit::{self, AuditEvent, ClientInfo};
use super::db::{begin, Scope};
use super::password;
use super::service::AuthService;
use super::sessions::{self, SignInMethod, Tokens};
use super::totp;
use crate::auth::Role;
use crate::error::{AppError, FieldProblem};

/// Purpose tag of the sealed second-step cookie.
const MFA_PURPOSE: &str = "mfa";

/// A first factor was accepted; what the sealed `up_mfa` cookie carries to the second step.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PendingSignIn {
    /// The user who passed the first factor.
    pub user_id: Uuid,
    /// Whether the first factor was single sign-on (else password).
    pub via_sso: bool,
    /// Whether the user must enrol TOTP now (CEO without it yet).
    pub must_enrol: bool,
    /// Spent when the step signs someone in: the cookie works once (see [`spend`]).
    pub nonce: Uuid,
}

/// What the first sign-in step led to.
#[derive(Debug)]
pub enum FirstStep {
    /// Signed in: set these cookies.
    SignedIn(Tokens),
    /// A second factor is needed: set the sealed `up_mfa` cookie.
    SecondFactor {
        /// The sealed pending state.
        sealed: String,
        /// Enrolment comes first (a CEO without TOTP).
        must_enrol: bool,
    },
}

/// Normalises an email address for lookups.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Basic shape check for an email address field.
pub fn check_email(field: &str, email: &str) -> Result<(), AppError> {
    if email.is_empty() {
        return Err(AppError::field(field, FieldProblem::Required));
    }
    if crate::domain::text::is_email(email) {
        Ok(())
    } else {
        Err(AppError::field(field, FieldProblem::InvalidEmail))
    }
}

/// Password sign-in. The answer is the same for an unknown address and a wrong password.
pub async fn with_password(
    auth: &AuthService,
    pool: &PgPool,
    email: &str,
    password_input: String,
    client: &ClientInfo,
) -> Result<(FirstStep, Role), AppError> {
    let email = normalise_email(email);
    check_email("email", &email)?;
    if password_input.is_empty() {
        return Err(AppError::field("password", FieldProblem::Required));
    }
    if password_input.chars().count() > password::MAX_LENGTH {
        return Err(AppError::InvalidCredentials);
    }
    auth.check_account_rate(&email)?;

    let mut tx = begin(pool, &Scope::system()).await?;
    check_not_locked(&mut tx, &email, client).await?;
    let user = sqlx::query!(
        r#"SELECT id, password_hash, role, is_active, (totp_enabled_at IS NOT NULL) AS "totp!"
           FROM users WHERE email = $1"#,
        email,
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;

    let stored = user
        .as_ref()
        .filter(|u| u.is_active)
        .and_then(|u| u.password_hash.clone());
    let valid = password::verify(password_input, stored, auth.decoy()).await;
    let mut tx = begin(pool, &Scope::system()).await?;
    let known_id = user.as_ref().map(|u| u.id);
    let Some(user) = user.filter(|_| valid) else {
        record_failure(auth, &mut tx, &email, known_id, client, "password").await?;
        tx.commit().await?;
        return Err(AppError::InvalidCredentials);
    };
    sqlx::query!("DELETE FROM login_throttle WHERE email = $1", email)
        .execute(&mut *tx)
        .await?;
    let role = Role::parse(&user.role).ok_or(AppError::Internal)?;
    let step = after_first_factor(auth, &mut tx, user.id, role, user.totp, false, client).await?;
    tx.commit().await?;
    Ok((step, role))
}

/// After a password or SSO: either a session, or the second step.
pub async fn after_first_factor(
    auth: &AuthService,
    conn: &mut PgConnection,
    user_id: Uuid,
    role: Role,
    totp_enabled: bool,
    via_sso: bool,
    client: &ClientInfo,
) -> Result<FirstStep, AppError> {
    if totp_enabled || role.requires_two_factor() {
        let pending = PendingSignIn {
            user_id,
            via_sso,
            must_enrol: !totp_enabled,
            nonce: Uuid::new_v4(),
        };
        let sealed = auth
            .secrets
            .seal(
                MFA_PURPOSE,
                Duration::seconds(auth.settings.mfa_ttl_secs),
                &pending,
            )
            .map_err(|_| AppError::Internal)?;
        return Ok(FirstStep::SecondFactor {
            sealed,
            must_enrol: pending.must_enrol,
        });
    }
    let method = if via_sso {
        SignInMethod::Sso
    } else {
        SignInMethod::Password
    };
    Ok(FirstStep::SignedIn(
        sessions::start(auth, conn, user_id, method, client).await?,
    ))
}

/// Opens the sealed second-step cookie.
pub fn open_pending(auth: &AuthService, sealed: Option<&str>) -> Result<PendingSignIn, AppError> {
    sealed
        .and_then(|s| auth.secrets.open::<PendingSignIn>(MFA_PURPOSE, s).ok())
        .ok_or(AppError::Unauthenticated)
}

/// Second step: a TOTP code, or one of the recovery codes.
pub async fn with_second_factor(
    auth: &AuthService,
    pool: &PgPool,
    pending: &PendingSignIn,
    code: &str,
    client: &ClientInfo,
) -> Result<(Tokens, Role), AppError> {
    if code.trim().is_empty() {
        return Err(AppError::field("code", FieldProblem::Required));
    }
    if pending.must_enrol {
        return Err(AppError::Conflict);
    }
    auth.check_account_rate(&pending.user_id.to_string())?;
    let mut tx = begin(pool, &Scope::system()).await?;
    let user = sqlx::query!(
        r#"SELECT email, role, totp_secret, totp_last_step, is_active FROM users WHERE id = $1 FOR UPDATE"#,
        pending.user_id,
    )
    .fetch_optional(&mut *tx)
    .await?
    .filter(|u| u.is_active)
    .ok_or(AppError::Unauthenticated)?;
    check_not_locked(&mut tx, &user.email, client).await?;
    let secret = user
        .totp_secret
        .as_deref()
        .map(|s| totp::open_secret(&auth.secrets, s))
        .transpose()?
        .ok_or(AppError::Conflict)?;

    let method = if let Some(step) = totp::matching_step(&secret, code, user.totp_last_step)? {
        sqlx::query!(
            "UPDATE users SET totp_last_step = $2 WHERE id = $1",
            pending.user_id,
            step
        )
        .execute(&mut *tx)
        .await?;
        if pending.via_sso {
            SignInMethod::SsoTotp
        } else {
            SignInMethod::PasswordTotp
        }
    } else if totp::use_recovery_code(&mut tx, pending.user_id, code).await? {
        audit::record(
            &mut tx,
            client,
            AuditEvent::RecoveryCodeUsed,
            Some(pending.user_id),
            serde_json::json!({}),
        )
        .await?;
        if pending.via_sso {
            SignInMethod::SsoRecovery
        } else {
            SignInMethod::PasswordRecovery
        }
    } else {
        record_failure(
            auth,
            &mut tx,
            &user.email,
            Some(pending.user_id),
            client,
            "second_factor",
        )
        .await?;
        tx.commit().await?;
        return Err(AppError::field("code", FieldProblem::Invalid));
    };
    sqlx::query!("DELETE FROM login_throttle WHERE email = $1", user.email)
        .execute(&mut *tx)
        .await?;
    spend(auth, &mut tx, pending).await?;
    let tokens = sessions::start(auth, &mut tx, pending.user_id, method, client).await?;
    tx.commit().await?;
    Ok((tokens, Role::parse(&user.role).ok_or(AppError::Internal)?))
}

/// The network source a throttle row counts for (the client's address; empty when unknown).
fn source(client: &ClientInfo) -> String {
    client.ip.map(|ip| ip.to_string()).unwrap_or_default()
}

async fn check_not_locked(
    conn: &mut PgConnection,
    email: &str,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let locked_until = sqlx::query_scalar!(
        "SELECT locked_until FROM login_throttle WHERE email = $1 AND source = $2",
        email,
        source(client)
    )
    .fetch_optional(conn)
    .await?
    .flatten();
    if let Some(until) = locked_until {
        let left = until - OffsetDateTime::now_utc();
        if left.is_positive() {
            return Err(AppError::RateLimited {
                retry_after_secs: left.whole_seconds().max(1) as u64,
            });
        }
    }
    Ok(())
}

/// Marks the second-step cookie `pending` as used; a second use (a replayed cookie) is refused.
pub async fn spend(
    auth: &AuthService,
    conn: &mut PgConnection,
    pending: &PendingSignIn,
) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM spent_sign_in_steps WHERE expires_at < now()")
        .execute(&mut *conn)
        .await?;
    let fresh = sqlx::query!(
        r#"INSERT INTO spent_sign_in_steps (nonce, expires_at)
           VALUES ($1, now() + make_interval(secs => $2)) ON CONFLICT (nonce) DO NOTHING"#,
        pending.nonce,
        auth.settings.mfa_ttl_secs as f64
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if fresh == 0 {
        return Err(AppError::Unauthenticated);
    }
    Ok(())
}

/// Counts a failure; from `max_failures` on, locks the address, doubling the lock each time.
async fn record_failure(
    auth: &AuthService,
    conn: &mut PgConnection,
    email: &str,
    user_id: Option<Uuid>,
    client: &ClientInfo,
    factor: &str,
) -> Result<(), AppError> {
    let failures = sqlx::query_scalar!(
        r#"INSERT INTO login_throttle (email, source, failures, updated_at) VALUES ($1, $2, 1, now())
           ON CONFLICT (email, source) DO UPDATE SET
             -- An hour without failures starts the count afresh.
             failures = CASE WHEN login_throttle.updated_at < now() - interval '1 hour'
                             THEN 1 ELSE login_throttle.failures + 1 END,
             updated_at = now()
           RETURNING failures"#,
        email,
        source(client),
    )
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        client,
        AuditEvent::LoginFailed,
        user_id,
        serde_json::json!({ "email": email, "factor": factor, "failures": failures }),
    )
    .await?;
    let settings = &auth.settings;
    if failures >= settings.max_failures {
        let doublings = (failures - settings.max_failures).min(20) as u32;
        let lock = settings
            .lockout_secs
            .saturating_mul(1i64 << doublings)
            .min(settings.lockout_max_secs);
        let until = OffsetDateTime::now_utc() + Duration::seconds(lock);
        sqlx::query!(
            "UPDATE login_throttle SET locked_until = $3 WHERE email = $1 AND source = $2",
            email,
            source(client),
            until
        )
        .execute(&mut *conn)
        .await?;
        audit::record(
            conn,
            client,
            AuditEvent::Lockout,
            user_id,
            serde_json::json!({ "email": email, "seconds": lock, "failures": failures }),
        )
        .await?;
    }
    Ok(())
}

/// Starts TOTP enrolment: keeps the new secret as pending until a code confirms it.
pub async fn start_enrolment(
    auth: &AuthService,
    pool: &PgPool,
    user_id: Uuid,
) -> Result<totp::Enrolment, AppError> {
    let mut tx = begin(pool, &Scope::system()).await?;
    let email = sqlx::query_scalar!("SELECT email FROM users WHERE id = $1", user_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let enrolment = totp::new_enrolment(&email)?;
    let sealed = totp::seal_secret(&auth.secrets, &enrolment.secret)?;
    sqlx::query!(
        "UPDATE users SET totp_pending_secret = $2, updated_at = now() WHERE id = $1",
        user_id,
        sealed
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(enrolment)
}

/// Confirms enrolment with a code from the new secret; returns the recovery codes (shown once).
/// Runs in the caller's transaction (sign-in continues in it when enrolment was forced).
pub async fn confirm_enrolment(
    auth: &AuthService,
    conn: &mut PgConnection,
    user_id: Uuid,
    code: &str,
    client: &ClientInfo,
) -> Result<Vec<String>, AppError> {
    if code.trim().is_empty() {
        return Err(AppError::field("code", FieldProblem::Required));
    }
    let pending = sqlx::query_scalar!(
        "SELECT totp_pending_secret FROM users WHERE id = $1 FOR UPDATE",
        user_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .flatten()
    .ok_or(AppError::Conflict)?;
    let secret = totp::open_secret(&auth.secrets, &pending)?;
    let Some(step) = totp::matching_step(&secret, code, None)? else {
        return Err(AppError::field("code", FieldProblem::Invalid));
    };
    sqlx::query!(
        r#"UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL,
                  totp_enabled_at = now(), totp_last_step = $2, updated_at = now()
           WHERE id = $1"#,
        user_id,
        step,
    )
    .execute(&mut *conn)
    .await?;
    let codes = totp::replace_recovery_codes(conn, user_id).await?;
    audit::record(
        conn,
        client,
        AuditEvent::TwoFactorEnabled,
        Some(user_id),
        serde_json::json!({}),
    )
    .await?;
    Ok(codes)
}

/// A post-sign-in destination from the browser, accepted only as a local path (no open redirect).
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?.trim();
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.contains(['\r', '\n'])
        && next.len() <= 2000;
    local.then(|| next.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_must_be_a_local_path() {
        assert_eq!(
            safe_next(Some("/ceo/invoices?x=1")),
            Some("/ceo/invoices?x=1".into())
        );
        assert_eq!(safe_next(Some("//evil.example/")), None);
        assert_eq!(safe_next(Some("https://evil.example/")), None);
        assert_eq!(safe_next(Some("/\\evil.example")), None);
        assert_eq!(safe_next(Some("/ok\r\nSet-Cookie: x")), None);
        assert_eq!(safe_next(None), None);
    }

    #[test]
    fn email_shape() {
        assert!(check_email("email", "ceo@hmf.ch").is_ok());
        assert_eq!(
            check_email("email", ""),
            Err(AppError::field("email", FieldProblem::Required))
        );
        for bad in [
            "ceo",
            "ceo@",
            "@hmf.ch",
            "ceo@hmf",
            "c eo@hmf.ch",
            "ceo@.ch",
        ] {
            assert!(check_email("email", bad).is_err(), "{bad}");
        }
    }
}
