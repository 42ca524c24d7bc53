//! Sessions: starting one, rotating its refresh token, revoking, and resolving the caller.

use serde::Deserialize;
use sqlx::types::Json;
use sqlx::{PgConnection, PgPool};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::audit::{self, AuditEvent, ClientInfo};
use super::caller::{effective_permissions, Caller, Credential, Membership};
use super::crypto::{digest, random_token};
use super::db::{begin, Scope};
use super::service::AuthService;
use crate::auth::Role;
use crate::error::AppError;

/// Fresh credentials for the browser: set both cookies.
#[derive(Debug)]
pub struct Tokens {
    /// The session they belong to.
    pub session_id: Uuid,
    /// The signed access token.
    pub access: String,
    /// The new opaque refresh token.
    pub refresh: String,
}

/// How a user proved their identity for a new session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInMethod {
    /// Password only.
    Password,
    /// Password and a TOTP code.
    PasswordTotp,
    /// Password and a recovery code.
    PasswordRecovery,
    /// Single sign-on only.
    Sso,
    /// Single sign-on and a TOTP code.
    SsoTotp,
    /// Single sign-on and a recovery code.
    SsoRecovery,
}

impl SignInMethod {
    fn as_str(self) -> &'static str {
        match self {
            SignInMethod::Password => "password",
            SignInMethod::PasswordTotp => "password+totp",
            SignInMethod::PasswordRecovery => "password+recovery",
            SignInMethod::Sso => "sso",
            SignInMethod::SsoTotp => "sso+totp",
            SignInMethod::SsoRecovery => "sso+recovery",
        }
    }
}

/// Starts a session for `user_id` and returns its first tokens. Runs inside the caller's
/// (system-scoped) transaction so the audit entry commits with it.
pub async fn start(
    auth: &AuthService,
    conn: &mut PgConnection,
    user_id: Uuid,
    method: SignInMethod,
    client: &ClientInfo,
) -> Result<Tokens, AppError> {
    let session_id = Uuid::new_v4();
    let expires_at = OffsetDateTime::now_utc() + Duration::days(auth.settings.session_ttl_days);
    sqlx::query!(
        r#"INSERT INTO sessions (id, user_id, method, ip, user_agent, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6)"#,
        session_id,
        user_id,
        method.as_str(),
        client.inet(),
        client.user_agent.as_deref(),
        expires_at,
    )
    .execute(&mut *conn)
    .await?;
    let refresh = new_refresh_token(conn, session_id, expires_at).await?;
    audit::record(
        conn,
        client,
        AuditEvent::LoginSucceeded,
        Some(user_id),
        serde_json::json!({ "session_id": session_id, "method": method.as_str() }),
    )
    .await?;
    let (access, _) = auth.keys.issue(user_id, session_id)?;
    Ok(Tokens {
        session_id,
        access,
        refresh,
    })
}

async fn new_refresh_token(
    conn: &mut PgConnection,
    session_id: Uuid,
    expires_at: OffsetDateTime,
) -> Result<String, AppError> {
    let token = random_token().map_err(|_| AppError::Internal)?;
    sqlx::query!(
        "INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3)",
        digest(&token),
        session_id,
        expires_at,
    )
    .execute(conn)
    .await?;
    Ok(token)
}

/// What presenting a refresh token led to.
#[derive(Debug)]
pub enum Refresh {
    /// Rotated: new tokens for the browser.
    Rotated {
        /// The user.
        user_id: Uuid,
        /// The new tokens.
        tokens: Tokens,
    },
    /// Presented again right after its own rotation by a parallel request: the session stands,
    /// and the sibling response carries the new cookies.
    ConcurrentReuse {
        /// The session the token belongs to.
        session_id: Uuid,
    },
    /// Unknown, expired or revoked; or reused late, in which case the whole session was revoked.
    Rejected,
}

/// Exchanges a refresh token for a new pair. Reuse of an already-exchanged token (outside the
/// short grace for parallel requests) is treated as theft: the session and all its tokens die.
pub async fn refresh(
    auth: &AuthService,
    pool: &PgPool,
    presented: &str,
    client: &ClientInfo,
) -> Result<Refresh, AppError> {
    let mut tx = begin(pool, &Scope::system()).await?;
    let Some(row) = sqlx::query!(
        r#"SELECT r.session_id, r.used_at, r.expires_at, s.user_id, s.revoked_at, s.expires_at AS session_expires_at
           FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id
           WHERE r.token_hash = $1
           FOR UPDATE OF r"#,
        digest(presented),
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(Refresh::Rejected);
    };
    let now = OffsetDateTime::now_utc();
    if row.revoked_at.is_some() || row.expires_at <= now || row.session_expires_at <= now {
        return Ok(Refresh::Rejected);
    }
    if let Some(used_at) = row.used_at {
        if now - used_at <= Duration::seconds(auth.settings.refresh_reuse_grace_secs) {
            return Ok(Refresh::ConcurrentReuse {
                session_id: row.session_id,
            });
        }
        revoke(&mut tx, row.session_id, "refresh_token_reuse").await?;
        audit::record(
            &mut tx,
            client,
            AuditEvent::RefreshReuse,
            Some(row.user_id),
            serde_json::json!({ "session_id": row.session_id }),
        )
        .await?;
        tx.commit().await?;
        tracing::warn!(session_id = %row.session_id, "refresh token reused: session revoked");
        return Ok(Refresh::Rejected);
    }
    sqlx::query!(
        "UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1",
        digest(presented),
        now,
    )
    .execute(&mut *tx)
    .await?;
    let refresh = new_refresh_token(&mut tx, row.session_id, row.session_expires_at).await?;
    sqlx::query!(
        "UPDATE sessions SET last_seen_at = $2, ip = COALESCE($3, ip), user_agent = COALESCE($4, user_agent) WHERE id = $1",
        row.session_id,
        now,
        client.inet(),
        client.user_agent.as_deref(),
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let (access, _) = auth.keys.issue(row.user_id, row.session_id)?;
    Ok(Refresh::Rotated {
        user_id: row.user_id,
        tokens: Tokens {
            session_id: row.session_id,
            access,
            refresh,
        },
    })
}

/// Revokes a session and every refresh token of it.
pub async fn revoke(
    conn: &mut PgConnection,
    session_id: Uuid,
    reason: &str,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL",
        session_id,
        reason,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "DELETE FROM refresh_tokens WHERE session_id = $1",
        session_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Revokes every live session of a user, except `keep` (the current one, when changing a
/// password); returns how many were revoked.
pub async fn revoke_all(
    conn: &mut PgConnection,
    user_id: Uuid,
    keep: Option<Uuid>,
    reason: &str,
) -> Result<u64, AppError> {
    let ids = sqlx::query_scalar!(
        r#"SELECT id FROM sessions
           WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2)"#,
        user_id,
        keep,
    )
    .fetch_all(&mut *conn)
    .await?;
    for id in &ids {
        revoke(conn, *id, reason).await?;
    }
    Ok(ids.len() as u64)
}

/// A membership as the database returns it (JSON-aggregated).
#[derive(Debug, Deserialize)]
pub(super) struct MembershipRow {
    /// Owner company.
    pub company_id: Uuid,
    /// Stored permission names.
    pub permissions: Vec<String>,
    /// Party acted for.
    pub party_id: Option<Uuid>,
}

/// The caller behind a live session, with their memberships; `None` when the session is revoked
/// or expired, or the user deactivated.
pub async fn load_caller(pool: &PgPool, session_id: Uuid) -> Result<Option<Caller>, AppError> {
    let mut tx = begin(pool, &Scope::system()).await?;
    let row = sqlx::query!(
        r#"SELECT u.id, u.email, u.display_name, u.role, u.focus_company_id,
                  (u.totp_enabled_at IS NOT NULL) AS "two_factor!",
                  (s.last_seen_at < now() - interval '1 minute') AS "stale!",
                  COALESCE((
                      SELECT json_agg(json_build_object(
                          'company_id', c.id,
                          'permissions', COALESCE(m.permissions, '{}'),
                          'party_id', m.party_id) ORDER BY c.code)
                      FROM companies c
                      LEFT JOIN memberships m ON m.company_id = c.id AND m.user_id = u.id
                      WHERE u.role = 'ceo' OR m.user_id IS NOT NULL
                  ), '[]') AS "memberships!: Json<Vec<MembershipRow>>"
           FROM sessions s JOIN users u ON u.id = s.user_id
           WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.is_active"#,
        session_id,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    if row.stale {
        sqlx::query!(
            "UPDATE sessions SET last_seen_at = now() WHERE id = $1",
            session_id
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let role = Role::parse(&row.role).ok_or(AppError::Internal)?;
    Ok(Some(Caller {
        user_id: row.id,
        email: row.email,
        display_name: row.display_name,
        role,
        credential: Credential::Session(session_id),
        two_factor_enabled: row.two_factor,
        memberships: memberships(role, row.memberships.0),
        focus: row.focus_company_id,
    }))
}

pub(super) fn memberships(role: Role, rows: Vec<MembershipRow>) -> Vec<Membership> {
    rows.into_iter()
        .map(|m| Membership {
            company_id: m.company_id,
            permissions: effective_permissions(role, &m.permissions),
            party_id: m.party_id,
        })
        // A portal user without a party would see nothing anyway; drop it to fail early.
        .filter(|m| !role.is_portal_party() || m.party_id.is_some())
        .collect()
}

/// One of the user's sessions, for the sessions list.
#[derive(Debug)]
pub struct SessionRow {
    /// Session id.
    pub id: Uuid,
    /// How it was opened.
    pub method: String,
    /// Client address at last use.
    pub ip: Option<String>,
    /// Browser at last use.
    pub user_agent: Option<String>,
    /// Opened at.
    pub created_at: OffsetDateTime,
    /// Last used at (to the minute).
    pub last_seen_at: OffsetDateTime,
}

/// The live sessions of the caller (RLS shows only their own).
pub async fn list(pool: &PgPool, caller: &Caller) -> Result<Vec<SessionRow>, AppError> {
    let mut tx = begin(pool, &caller.own_scope()).await?;
    let rows = sqlx::query!(
        r#"SELECT id, method, host(ip) AS ip, user_agent, created_at, last_seen_at
           FROM sessions
           WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
           ORDER BY last_seen_at DESC"#,
        caller.user_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| SessionRow {
            id: r.id,
            method: r.method,
            ip: r.ip,
            user_agent: r.user_agent,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
        })
        .collect())
}

/// The signed-in user as the browser may know them (no secrets): their companies (read through
/// row-level security, so only the caller's), permissions and company focus.
pub async fn session_user(
    pool: &PgPool,
    caller: &Caller,
) -> Result<crate::auth::SessionUser, AppError> {
    let mut tx = begin(pool, &caller.own_scope()).await?;
    let companies = sqlx::query_as!(
        crate::auth::CompanyRef,
        "SELECT id, code, name, colour FROM companies ORDER BY code"
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(crate::auth::SessionUser {
        permissions: caller.permissions().names(),
        id: caller.user_id,
        email: caller.email.clone(),
        display_name: caller.display_name.clone(),
        role: caller.role,
        companies,
        two_factor_enabled: caller.two_factor_enabled,
        focus: caller.focus,
    })
}
