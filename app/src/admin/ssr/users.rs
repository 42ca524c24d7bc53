//! The people of every portal, administered by the CEO: the list, one person, invitations,
//! changes of access, deactivation (sessions and API tokens revoked at once) and second-factor
//! resets. Row-level security lets the CEO read and change accounts, staff only read the people
//! of their companies.

use sqlx::{PgConnection, PgPool};
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::invitations;
use crate::admin::{AccessInput, InviteInput, InviteOutcome, UserDetail, UserRow};
use crate::auth::ssr::audit::{self, AuditEvent, ClientInfo};
use crate::auth::ssr::crypto::SecretBox;
use crate::auth::ssr::{begin, sessions, Caller};
use crate::auth::{Permission, PermissionSet, Role};
use crate::error::{AppError, FieldProblem};
use crate::i18n::Locale;

/// The people the caller administers (or, for staff, may see), by name.
pub async fn list(pool: &PgPool, caller: &Caller) -> Result<Vec<UserRow>, AppError> {
    let scope = caller.scope(Permission::UsersRead)?;
    let mut tx = begin(pool, &scope).await?;
    let rows = rows(&mut tx, None).await?;
    tx.commit().await?;
    Ok(rows)
}

async fn rows(conn: &mut PgConnection, only: Option<Uuid>) -> Result<Vec<UserRow>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT u.id, u.email, u.display_name, u.role AS "role: Role", u.is_active,
                  (u.password_hash IS NOT NULL) AS "has_password!", (u.totp_enabled_at IS NOT NULL) AS "two_factor!",
                  (SELECT max(s.created_at) FROM sessions s WHERE s.user_id = u.id) AS last_sign_in,
                  COALESCE((SELECT array_agg(c.code || COALESCE(' · ' || p.name, '') ORDER BY c.code)
                            FROM memberships m JOIN companies c ON c.id = m.company_id
                            LEFT JOIN parties p ON p.company_id = m.company_id AND p.id = m.party_id
                            WHERE m.user_id = u.id), '{}') AS "companies!"
           FROM users u
           WHERE ($1::uuid IS NULL OR u.id = $1)
           ORDER BY u.is_active DESC, u.display_name, u.email"#,
        only
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| UserRow {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            role: r.role,
            companies: r.companies,
            active: r.is_active,
            has_password: r.has_password,
            two_factor: r.two_factor,
            last_sign_in: r.last_sign_in.and_then(|t| t.format(&Rfc3339).ok()),
        })
        .collect())
}

/// One person with their access, sessions and tokens.
pub async fn detail(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<UserDetail, AppError> {
    let scope = caller.scope(Permission::UsersRead)?;
    let mut tx = begin(pool, &scope).await?;
    let row = rows(&mut tx, Some(id))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let access = sqlx::query!(
        "SELECT company_id, party_id, permissions FROM memberships WHERE user_id = $1 ORDER BY company_id",
        id
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|m| AccessInput {
        company_id: m.company_id,
        party_id: m.party_id,
        permissions: m.permissions,
    })
    .collect();
    let counts = sqlx::query!(
        r#"SELECT (SELECT count(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()) AS "sessions!",
                  (SELECT count(*) FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()) AS "tokens!""#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(UserDetail {
        row,
        access,
        sessions: counts.sessions as u32,
        api_tokens: counts.tokens as u32,
    })
}

/// Invites someone to a portal (CEO).
pub async fn invite(
    pool: &PgPool,
    secrets: &SecretBox,
    public_url: &str,
    caller: &Caller,
    input: &InviteInput,
    client: &ClientInfo,
) -> Result<InviteOutcome, AppError> {
    let scope = caller.scope(Permission::UsersWrite)?;
    let mut tx = begin(pool, &scope).await?;
    invitations::check(&mut tx, caller, input, Permission::UsersWrite).await?;
    let (_, outcome) =
        invitations::invite_in(&mut tx, secrets, public_url, caller, input, false, client).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Invites a client contact to the client portal (staff with `contacts.write`): the contact
/// is linked to the account, new or existing.
pub async fn invite_contact(
    pool: &PgPool,
    secrets: &SecretBox,
    public_url: &str,
    caller: &Caller,
    contact_id: Uuid,
    client: &ClientInfo,
) -> Result<InviteOutcome, AppError> {
    let scope = caller.scope(Permission::ContactsWrite)?;
    let mut tx = begin(pool, &scope).await?;
    let contact = sqlx::query!(
        r#"SELECT ct.company_id, ct.party_id, ct.first_name, ct.last_name, ct.email,
                  ct.language AS "language: Locale", p.kind
           FROM contacts ct JOIN parties p ON p.company_id = ct.company_id AND p.id = ct.party_id
           WHERE ct.id = $1 FOR UPDATE OF ct"#,
        contact_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    caller.require(Permission::ContactsWrite, contact.company_id)?;
    if contact.kind != "client" {
        return Err(AppError::Conflict);
    }
    let input = InviteInput {
        email: contact
            .email
            .ok_or_else(|| AppError::field("email", FieldProblem::Required))?,
        display_name: format!("{} {}", contact.first_name, contact.last_name),
        role: Role::Client,
        locale: contact.language,
        access: vec![AccessInput {
            company_id: contact.company_id,
            party_id: Some(contact.party_id),
            permissions: Vec::new(),
        }],
    };
    invitations::check(&mut tx, caller, &input, Permission::ContactsWrite).await?;
    let (user_id, outcome) =
        invitations::invite_in(&mut tx, secrets, public_url, caller, &input, true, client).await?;
    sqlx::query!(
        "UPDATE contacts SET user_id = $2 WHERE id = $1",
        contact_id,
        user_id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Replaces a person's access (companies, parties, staff permissions); CEO only.
pub async fn set_access(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
    access: &[AccessInput],
    client: &ClientInfo,
) -> Result<(), AppError> {
    let scope = caller.scope(Permission::UsersWrite)?;
    let mut tx = begin(pool, &scope).await?;
    let user = sqlx::query!(
        r#"SELECT email, display_name, role AS "role: Role", locale AS "locale: Locale" FROM users WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if user.role == Role::Ceo {
        // The CEO works in every company by role; there is nothing to grant.
        return Err(AppError::Conflict);
    }
    let input = InviteInput {
        email: user.email,
        display_name: user.display_name,
        role: user.role,
        locale: user.locale,
        access: access.to_vec(),
    };
    invitations::check(&mut tx, caller, &input, Permission::UsersWrite).await?;
    sqlx::query!("DELETE FROM memberships WHERE user_id = $1", id)
        .execute(&mut *tx)
        .await?;
    for a in access {
        let permissions = match user.role {
            Role::Staff => PermissionSet::from_names(&a.permissions)
                .intersect(Role::Staff.default_permissions())
                .names(),
            _ => Vec::new(),
        };
        sqlx::query!(
            "INSERT INTO memberships (user_id, company_id, permissions, party_id) VALUES ($1, $2, $3, $4)",
            id,
            a.company_id,
            &permissions,
            a.party_id,
        )
        .execute(&mut *tx)
        .await?;
    }
    audit::record(
        &mut tx,
        client,
        AuditEvent::UserAccessChanged,
        Some(caller.user_id),
        serde_json::json!({ "user": id, "access": access.iter().map(|a| serde_json::json!({
            "company": a.company_id, "party": a.party_id, "permissions": a.permissions,
        })).collect::<Vec<_>>() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deactivates (or reactivates) an account. Deactivation revokes every session and API token
/// in the same transaction: an open session stops working with its next request.
pub async fn set_active(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
    active: bool,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let scope = caller.scope(Permission::UsersWrite)?;
    if id == caller.user_id {
        return Err(AppError::Conflict);
    }
    let mut tx = begin(pool, &scope).await?;
    let role = sqlx::query_scalar!(
        r#"SELECT role AS "role: Role" FROM users WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if !active && role == Role::Ceo {
        // Another CEO can only be deactivated while one active CEO remains.
        let others = sqlx::query_scalar!(
            r#"SELECT count(*) AS "n!" FROM users WHERE role = 'ceo' AND is_active AND id <> $1"#,
            id
        )
        .fetch_one(&mut *tx)
        .await?;
        if others == 0 {
            return Err(AppError::Conflict);
        }
    }
    sqlx::query!(
        r#"UPDATE users SET is_active = $2, deactivated_at = CASE WHEN $2 THEN NULL ELSE now() END, updated_at = now()
           WHERE id = $1"#,
        id,
        active
    )
    .execute(&mut *tx)
    .await?;
    let (sessions, tokens) = if active {
        (0, 0)
    } else {
        let sessions = sessions::revoke_all(&mut tx, id, None, "deactivated").await?;
        let tokens = crate::auth::ssr::api_tokens::revoke_all(&mut tx, id).await?;
        (sessions, tokens)
    };
    audit::record(
        &mut tx,
        client,
        if active {
            AuditEvent::UserReactivated
        } else {
            AuditEvent::UserDeactivated
        },
        Some(caller.user_id),
        serde_json::json!({ "user": id, "sessions_revoked": sessions, "api_tokens_revoked": tokens }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a person's second factor (lost phone); they enrol again at their next sign-in when
/// their role requires one. Their sessions are signed out; the audit log keeps who did it.
pub async fn reset_two_factor(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let scope = caller.scope(Permission::UsersWrite)?;
    if id == caller.user_id {
        // One's own factor is changed on the account page, with a code.
        return Err(AppError::Conflict);
    }
    let mut tx = begin(pool, &scope).await?;
    let done = sqlx::query!(
        r#"UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL,
                  totp_last_step = NULL, updated_at = now()
           WHERE id = $1 AND totp_enabled_at IS NOT NULL"#,
        id
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        let exists = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM users WHERE id = $1"#, id)
            .fetch_one(&mut *tx)
            .await?;
        return Err(if exists == 0 {
            AppError::NotFound
        } else {
            AppError::Conflict
        });
    }
    sqlx::query!("DELETE FROM recovery_codes WHERE user_id = $1", id)
        .execute(&mut *tx)
        .await?;
    let revoked = sessions::revoke_all(&mut tx, id, None, "second_factor_reset").await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::TwoFactorReset,
        Some(caller.user_id),
        serde_json::json!({ "user": id, "sessions_revoked": revoked }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
