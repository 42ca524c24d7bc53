//! API tokens for scripts and integrations: scoped, expiring, shown once, stored hashed.

use serde_json::json;
use sqlx::types::Json;
use sqlx::PgPool;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::audit::{self, AuditEvent, ClientInfo};
use super::caller::{Caller, Credential, Membership};
use super::crypto::{digest, random_token};
use super::db::{begin, Scope};
use super::service::AuthService;
use super::sessions::{memberships, MembershipRow};
use crate::auth::{PermissionSet, Role};
use crate::error::{AppError, FieldProblem};

/// Every token starts with this, so leaked tokens are easy to recognise (and to scan for).
pub const PREFIX: &str = "upt_";

/// A token as listed (never with its secret).
#[derive(Debug)]
pub struct TokenRow {
    /// Token id.
    pub id: Uuid,
    /// Name given by its owner.
    pub name: String,
    /// First characters of the token.
    pub prefix: String,
    /// Granted permissions.
    pub permissions: PermissionSet,
    /// Companies it may act in.
    pub company_ids: Vec<Uuid>,
    /// Created at.
    pub created_at: OffsetDateTime,
    /// Expires at.
    pub expires_at: OffsetDateTime,
    /// Last used at.
    pub last_used_at: Option<OffsetDateTime>,
}

/// What a new token may do, as asked.
#[derive(Debug)]
pub struct TokenScope<'a> {
    /// A name to recognise it by.
    pub name: &'a str,
    /// Permissions, a subset of the caller's in each company.
    pub permissions: PermissionSet,
    /// Companies, a subset of the caller's.
    pub company_ids: &'a [Uuid],
    /// Lifetime in days.
    pub days: i64,
}

/// Creates a token limited to `scope`, which must be a subset of what the caller holds. Returns
/// the token (shown once) and its id.
pub async fn create(
    auth: &AuthService,
    pool: &PgPool,
    caller: &Caller,
    scope: TokenScope<'_>,
    client: &ClientInfo,
) -> Result<(String, Uuid), AppError> {
    let TokenScope {
        name,
        permissions,
        company_ids,
        days,
    } = scope;
    if !matches!(caller.credential, Credential::Session(_)) {
        // A token cannot mint tokens: that would let a leaked token outlive its own expiry.
        return Err(AppError::Forbidden);
    }
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::field("name", FieldProblem::Required));
    }
    if name.chars().count() > 100 {
        return Err(AppError::field("name", FieldProblem::TooLong { max: 100 }));
    }
    if permissions == PermissionSet::empty() {
        return Err(AppError::field("permissions", FieldProblem::Required));
    }
    if company_ids.is_empty() {
        return Err(AppError::field("companies", FieldProblem::Required));
    }
    if !(1..=auth.settings.api_token_max_days).contains(&days) {
        return Err(AppError::field("days", FieldProblem::Invalid));
    }
    for company in company_ids {
        let membership = caller
            .memberships
            .iter()
            .find(|m| m.company_id == *company)
            .ok_or(AppError::Forbidden)?;
        if !permissions.is_subset_of(membership.permissions) {
            return Err(AppError::Forbidden);
        }
    }
    let token = format!(
        "{PREFIX}{}",
        random_token().map_err(|_| AppError::Internal)?
    );
    let id = Uuid::new_v4();
    let expires_at = OffsetDateTime::now_utc() + Duration::days(days);
    let mut tx = begin(pool, &Scope::system()).await?;
    sqlx::query!(
        r#"INSERT INTO api_tokens (id, user_id, name, prefix, token_hash, permissions, company_ids, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        id,
        caller.user_id,
        name,
        &token[..PREFIX.len() + 6],
        digest(&token),
        &permissions.names(),
        company_ids,
        expires_at,
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::ApiTokenCreated,
        Some(caller.user_id),
        json!({ "token_id": id, "name": name, "permissions": permissions.names(), "companies": company_ids }),
    )
    .await?;
    tx.commit().await?;
    Ok((token, id))
}

/// The caller's live tokens.
pub async fn list(pool: &PgPool, caller: &Caller) -> Result<Vec<TokenRow>, AppError> {
    let mut tx = begin(pool, &caller.own_scope()).await?;
    let rows = sqlx::query!(
        r#"SELECT id, name, prefix, permissions, company_ids, created_at, expires_at, last_used_at
           FROM api_tokens
           WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
           ORDER BY created_at DESC"#,
        caller.user_id
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| TokenRow {
            id: r.id,
            name: r.name,
            prefix: r.prefix,
            permissions: PermissionSet::from_names(&r.permissions),
            company_ids: r.company_ids,
            created_at: r.created_at,
            expires_at: r.expires_at,
            last_used_at: r.last_used_at,
        })
        .collect())
}

/// Revokes every live API token of `user_id` (password reset, "sign out everywhere",
/// deactivation): a script holding one stops at its next request. Returns how many.
pub async fn revoke_all(conn: &mut sqlx::PgConnection, user_id: Uuid) -> Result<u64, AppError> {
    Ok(sqlx::query!(
        "UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
        user_id
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// Revokes one of the caller's tokens; another user's token is "not found".
pub async fn revoke(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let mut tx = begin(pool, &Scope::system()).await?;
    let done = sqlx::query!(
        "UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
        id,
        caller.user_id
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        client,
        AuditEvent::ApiTokenRevoked,
        Some(caller.user_id),
        json!({ "token_id": id }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The caller behind a bearer token: the token's scope, intersected with what the user holds
/// today (a user who lost a permission does not keep it through an old token).
pub async fn authenticate(pool: &PgPool, presented: &str) -> Result<Option<Caller>, AppError> {
    if !presented.starts_with(PREFIX) {
        return Ok(None);
    }
    let mut tx = begin(pool, &Scope::system()).await?;
    let row = sqlx::query!(
        r#"SELECT t.id, t.permissions, t.company_ids, (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute') AS "stale!",
                  u.id AS user_id, u.email, u.display_name, u.role, (u.totp_enabled_at IS NOT NULL) AS "two_factor!",
                  COALESCE((
                      SELECT json_agg(json_build_object(
                          'company_id', c.id,
                          'permissions', COALESCE(m.permissions, '{}'),
                          'party_id', m.party_id))
                      FROM companies c
                      LEFT JOIN memberships m ON m.company_id = c.id AND m.user_id = u.id
                      WHERE u.role = 'ceo' OR m.user_id IS NOT NULL
                  ), '[]') AS "memberships!: Json<Vec<MembershipRow>>"
           FROM api_tokens t JOIN users u ON u.id = t.user_id
           WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND u.is_active"#,
        digest(presented),
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    if row.stale {
        sqlx::query!(
            "UPDATE api_tokens SET last_used_at = now() WHERE id = $1",
            row.id
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let role = Role::parse(&row.role).ok_or(AppError::Internal)?;
    let granted = PermissionSet::from_names(&row.permissions);
    let scoped: Vec<Membership> = memberships(role, row.memberships.0)
        .into_iter()
        .filter(|m| row.company_ids.contains(&m.company_id))
        .map(|m| Membership {
            permissions: m.permissions.intersect(granted),
            ..m
        })
        .collect();
    Ok(Some(Caller {
        user_id: row.user_id,
        email: row.email,
        display_name: row.display_name,
        role,
        credential: Credential::ApiToken(row.id),
        two_factor_enabled: row.two_factor,
        memberships: scoped,
        focus: None,
    }))
}
