//! Self-service on one's own account: password change and reset, second factor, sign-out.

use sqlx::PgPool;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::audit::{self, AuditEvent, ClientInfo};
use super::caller::Caller;
use super::crypto::{digest, random_token};
use super::db::{begin, Scope};
use super::login::normalise_email;
use super::service::AuthService;
use super::sessions;
use super::{password, totp};
use crate::error::{AppError, FieldProblem};
use crate::i18n::Locale;

/// Changes the caller's password; every other session of theirs is signed out.
pub async fn change_password(
    pool: &PgPool,
    caller: &Caller,
    current: String,
    new: String,
    client: &ClientInfo,
) -> Result<(), AppError> {
    password::check_policy("new_password", &new)?;
    let mut tx = begin(pool, &Scope::system()).await?;
    let stored = sqlx::query_scalar!(
        "SELECT password_hash FROM users WHERE id = $1",
        caller.user_id
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    let has_password = stored.is_some();
    if has_password && !password::verify(current, stored, "").await {
        return Err(AppError::field("current_password", FieldProblem::Invalid));
    }
    let hash = password::hash(new).await?;
    let mut tx = begin(pool, &Scope::system()).await?;
    sqlx::query!(
        "UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1",
        caller.user_id,
        hash
    )
    .execute(&mut *tx)
    .await?;
    let revoked = sessions::revoke_all(
        &mut tx,
        caller.user_id,
        caller.session_id(),
        "password_changed",
    )
    .await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::PasswordChanged,
        Some(caller.user_id),
        serde_json::json!({ "other_sessions_revoked": revoked }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sends a reset link when the address belongs to an active account; says nothing either way.
pub async fn request_reset(
    auth: &AuthService,
    pool: &PgPool,
    email: &str,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let email = normalise_email(email);
    super::login::check_email("email", &email)?;
    auth.check_account_rate(&format!("reset:{email}"))?;
    let mut tx = begin(pool, &Scope::system()).await?;
    let user = sqlx::query!(
        "SELECT id, locale FROM users WHERE email = $1 AND is_active",
        email
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(user) = user {
        let token = random_token().map_err(|_| AppError::Internal)?;
        let expires_at =
            OffsetDateTime::now_utc() + Duration::minutes(auth.settings.reset_ttl_minutes);
        sqlx::query!(
            "INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
            digest(&token),
            user.id,
            expires_at,
        )
        .execute(&mut *tx)
        .await?;
        let locale = Locale::parse(&user.locale).unwrap_or_default();
        let link = format!("{}/reset-password?token={token}", auth.public_url);
        crate::billing::ssr::email::queue_secret(
            &mut tx,
            &auth.secrets,
            None,
            None,
            &email,
            locale,
            crate::billing::ssr::email::Mail::PasswordReset {
                minutes: auth.settings.reset_ttl_minutes,
            },
            &link,
        )
        .await?;
        audit::record(
            &mut tx,
            client,
            AuditEvent::PasswordResetRequested,
            Some(user.id),
            serde_json::json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Sets a new password with a reset token (single use, expiring); signs out every session.
pub async fn reset_password(
    pool: &PgPool,
    token: &str,
    new: String,
    client: &ClientInfo,
) -> Result<(), AppError> {
    password::check_policy("new_password", &new)?;
    let hash = password::hash(new).await?;
    let mut tx = begin(pool, &Scope::system()).await?;
    let user_id = sqlx::query_scalar!(
        r#"UPDATE password_resets SET used_at = now()
           WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
           RETURNING user_id"#,
        digest(token.trim()),
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::field("token", FieldProblem::Invalid))?;
    let email = sqlx::query_scalar!(
        "UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1 RETURNING email",
        user_id,
        hash
    )
    .fetch_one(&mut *tx)
    .await?;
    // Other outstanding links die with this one.
    sqlx::query!(
        "UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL",
        user_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM login_throttle WHERE email = $1", email)
        .execute(&mut *tx)
        .await?;
    let revoked = sessions::revoke_all(&mut tx, user_id, None, "password_reset").await?;
    // Whoever knew the old password may have minted tokens with it.
    let tokens = super::api_tokens::revoke_all(&mut tx, user_id).await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::PasswordReset,
        Some(user_id),
        serde_json::json!({ "sessions_revoked": revoked, "api_tokens_revoked": tokens }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sends a link that lifts the sign-in lock of an address, to that address only, when it
/// belongs to an active account; says nothing either way (same answer for unknown addresses).
pub async fn request_unlock(
    auth: &AuthService,
    pool: &PgPool,
    email: &str,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let email = normalise_email(email);
    super::login::check_email("email", &email)?;
    auth.check_account_rate(&format!("unlock:{email}"))?;
    let mut tx = begin(pool, &Scope::system()).await?;
    let user = sqlx::query!(
        "SELECT id, locale FROM users WHERE email = $1 AND is_active",
        email
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(user) = user {
        let token = random_token().map_err(|_| AppError::Internal)?;
        let minutes = auth.settings.reset_ttl_minutes;
        sqlx::query!(
            r#"INSERT INTO account_unlocks (token_hash, email, expires_at)
               VALUES ($1, $2, now() + make_interval(mins => $3))"#,
            digest(&token),
            email,
            minutes as i32,
        )
        .execute(&mut *tx)
        .await?;
        crate::billing::ssr::email::queue_secret(
            &mut tx,
            &auth.secrets,
            None,
            None,
            &email,
            Locale::parse(&user.locale).unwrap_or_default(),
            crate::billing::ssr::email::Mail::AccountUnlock { minutes },
            &format!("{}/unlock?token={token}", auth.public_url),
        )
        .await?;
        audit::record(
            &mut tx,
            client,
            AuditEvent::UnlockRequested,
            Some(user.id),
            serde_json::json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Lifts every sign-in lock of the address an unlock link was sent to (single use, expiring).
pub async fn unlock(pool: &PgPool, token: &str, client: &ClientInfo) -> Result<(), AppError> {
    let mut tx = begin(pool, &Scope::system()).await?;
    let email = sqlx::query_scalar!(
        r#"UPDATE account_unlocks SET used_at = now()
           WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
           RETURNING email"#,
        digest(token.trim()),
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::field("token", FieldProblem::Invalid))?;
    let lifted = sqlx::query!("DELETE FROM login_throttle WHERE email = $1", email)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let user_id = sqlx::query_scalar!("SELECT id FROM users WHERE email = $1", email)
        .fetch_optional(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::Unlocked,
        user_id,
        serde_json::json!({ "locks_lifted": lifted }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Signs out of the current session.
pub async fn logout(pool: &PgPool, caller: &Caller, client: &ClientInfo) -> Result<(), AppError> {
    let Some(session_id) = caller.session_id() else {
        return Err(AppError::Forbidden);
    };
    let mut tx = begin(pool, &Scope::system()).await?;
    sessions::revoke(&mut tx, session_id, "logout").await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::Logout,
        Some(caller.user_id),
        serde_json::json!({ "session_id": session_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Signs out of every session of the caller.
pub async fn logout_everywhere(
    pool: &PgPool,
    caller: &Caller,
    client: &ClientInfo,
) -> Result<u64, AppError> {
    let mut tx = begin(pool, &Scope::system()).await?;
    let revoked = sessions::revoke_all(&mut tx, caller.user_id, None, "logout_everywhere").await?;
    let tokens = super::api_tokens::revoke_all(&mut tx, caller.user_id).await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::LogoutEverywhere,
        Some(caller.user_id),
        serde_json::json!({ "sessions_revoked": revoked, "api_tokens_revoked": tokens }),
    )
    .await?;
    tx.commit().await?;
    Ok(revoked)
}

/// Revokes one of the caller's own sessions. Another user's session id is "not found".
pub async fn revoke_session(
    pool: &PgPool,
    caller: &Caller,
    session_id: Uuid,
    client: &ClientInfo,
) -> Result<(), AppError> {
    // Looked up in the caller's own scope: RLS hides everyone else's sessions.
    let mut tx = begin(pool, &caller.own_scope()).await?;
    let owned = sqlx::query_scalar!(
        "SELECT id FROM sessions WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
        session_id,
        caller.user_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    if owned.is_none() {
        return Err(AppError::NotFound);
    }
    let mut tx = begin(pool, &Scope::system()).await?;
    sessions::revoke(&mut tx, session_id, "revoked_by_user").await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::SessionRevoked,
        Some(caller.user_id),
        serde_json::json!({ "session_id": session_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes TOTP (needs a current code). Refused for roles that must keep it.
pub async fn disable_two_factor(
    auth: &AuthService,
    pool: &PgPool,
    caller: &Caller,
    code: &str,
    client: &ClientInfo,
) -> Result<(), AppError> {
    if caller.role.requires_two_factor() {
        return Err(AppError::Forbidden);
    }
    let mut tx = begin(pool, &Scope::system()).await?;
    verify_current_code(auth, &mut tx, caller.user_id, code).await?;
    sqlx::query!(
        r#"UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL,
                  totp_last_step = NULL, updated_at = now() WHERE id = $1"#,
        caller.user_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "DELETE FROM recovery_codes WHERE user_id = $1",
        caller.user_id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::TwoFactorDisabled,
        Some(caller.user_id),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// New recovery codes (needs a current code); the old ones stop working.
pub async fn regenerate_recovery_codes(
    auth: &AuthService,
    pool: &PgPool,
    caller: &Caller,
    code: &str,
    client: &ClientInfo,
) -> Result<Vec<String>, AppError> {
    let mut tx = begin(pool, &Scope::system()).await?;
    verify_current_code(auth, &mut tx, caller.user_id, code).await?;
    let codes = totp::replace_recovery_codes(&mut tx, caller.user_id).await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::RecoveryCodesRegenerated,
        Some(caller.user_id),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(codes)
}

async fn verify_current_code(
    auth: &AuthService,
    conn: &mut sqlx::PgConnection,
    user_id: Uuid,
    code: &str,
) -> Result<(), AppError> {
    auth.check_account_rate(&user_id.to_string())?;
    let row = sqlx::query!(
        "SELECT totp_secret, totp_last_step FROM users WHERE id = $1 FOR UPDATE",
        user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let secret = row
        .totp_secret
        .as_deref()
        .map(|s| totp::open_secret(&auth.secrets, s))
        .transpose()?
        .ok_or(AppError::Conflict)?;
    let step = totp::matching_step(&secret, code, row.totp_last_step)?
        .ok_or(AppError::field("code", FieldProblem::Invalid))?;
    sqlx::query!(
        "UPDATE users SET totp_last_step = $2 WHERE id = $1",
        user_id,
        step
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Checks a fresh second-factor code of the caller for an action that needs one (approving a
/// large supplier bill): a code not used before, spent by this check, rate-limited like sign-in.
pub async fn confirm_second_factor(
    pool: &PgPool,
    auth: &AuthService,
    caller: &Caller,
    code: &str,
) -> Result<(), AppError> {
    let code = code.trim();
    if code.is_empty() {
        return Err(AppError::field("code", FieldProblem::Required));
    }
    let mut tx = begin(pool, &caller.own_scope()).await?;
    verify_current_code(auth, &mut tx, caller.user_id, code)
        .await
        .map_err(|e| match e {
            // No second factor enrolled: the code cannot be right.
            AppError::Conflict => AppError::field("code", FieldProblem::Invalid),
            other => other,
        })?;
    tx.commit().await?;
    Ok(())
}
