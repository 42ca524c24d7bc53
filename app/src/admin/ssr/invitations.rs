//! Invitations to every portal. A new account gets a personal link (its token stored only as a
//! hash, the link sealed in the outbox: no page or log shows it). An address that already has an
//! account of the same role gets the new access and a notice — never a link, never a changed
//! password — so inviting someone can never hand over an account that belongs to someone else.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::admin::{AccessInput, InviteInput, InviteOutcome};
use crate::auth::ssr::audit::{self, AuditEvent, ClientInfo};
use crate::auth::ssr::crypto::{digest, random_token, SecretBox};
use crate::auth::ssr::{set_scope, Caller, Scope};
use crate::auth::{Permission, PermissionSet, Role};
use crate::billing::ssr::email::{self, Mail};
use crate::crm::ssr::refs::{self, References};
use crate::domain::status::PartyKind;
use crate::domain::text::Problems;
use crate::error::{AppError, FieldProblem};

/// Days an invitation link stays valid.
pub const INVITATION_DAYS: i32 = 7;

/// The party kind a portal role acts for.
fn party_kind(role: Role) -> Option<PartyKind> {
    match role {
        Role::Client => Some(PartyKind::Client),
        Role::Provider => Some(PartyKind::Provider),
        Role::Reseller => Some(PartyKind::Reseller),
        Role::Ceo | Role::Staff => None,
    }
}

/// Checks an invitation: the form fields, then each access — a company where the caller holds
/// `permission`, the party of the right kind there for portal roles, known permissions for staff.
pub async fn check(
    conn: &mut PgConnection,
    caller: &Caller,
    input: &InviteInput,
    permission: Permission,
) -> Result<(), AppError> {
    let mut p = Problems::default();
    p.email("email", &input.email, true);
    p.text("display_name", &input.display_name, true, 200);
    p.check(input.role != Role::Ceo, "role", FieldProblem::Invalid);
    p.check(!input.access.is_empty(), "access", FieldProblem::Required);
    p.check(input.access.len() <= 20, "access", FieldProblem::TooLarge);
    for (i, a) in input.access.iter().enumerate() {
        p.check(
            caller.require(permission, a.company_id).is_ok(),
            &format!("access.{i}.company_id"),
            FieldProblem::Invalid,
        );
        p.check(
            input
                .access
                .iter()
                .filter(|b| b.company_id == a.company_id)
                .count()
                == 1,
            &format!("access.{i}.company_id"),
            FieldProblem::Invalid,
        );
        let known = a.permissions.iter().all(|n| Permission::parse(n).is_some());
        p.check(
            known,
            &format!("access.{i}.permissions"),
            FieldProblem::Invalid,
        );
        p.check(
            party_kind(input.role).is_some() == a.party_id.is_some(),
            &format!("access.{i}.party_id"),
            FieldProblem::Required,
        );
    }
    p.done()?;
    for (i, a) in input.access.iter().enumerate() {
        if let (Some(party), Some(kind)) = (a.party_id, party_kind(input.role)) {
            refs::check(
                conn,
                &References {
                    company_id: a.company_id,
                    party: Some((party, &[kind])),
                    ..References::default()
                },
            )
            .await
            .map_err(|_| AppError::field(&format!("access.{i}.party_id"), FieldProblem::Invalid))?;
        }
    }
    Ok(())
}

/// The permissions stored on a membership: the staff's as granted (never more than staff may
/// hold); for other roles, none (their rights are the role's).
fn stored_permissions(role: Role, access: &AccessInput) -> Vec<String> {
    match role {
        Role::Staff => PermissionSet::from_names(&access.permissions)
            .intersect(Role::Staff.default_permissions())
            .names(),
        _ => Vec::new(),
    }
}

/// Invites, in the caller's transaction (already checked with [`check`]). `system` switches to
/// the identity machinery's scope for the account rows (for staff inviting a client contact,
/// who may not administer accounts otherwise).
#[allow(clippy::too_many_arguments)]
pub async fn invite_in(
    conn: &mut PgConnection,
    secrets: &SecretBox,
    public_url: &str,
    caller: &Caller,
    input: &InviteInput,
    system: bool,
    client: &ClientInfo,
) -> Result<(Uuid, InviteOutcome), AppError> {
    let email = input.email.trim().to_lowercase();
    let company = sqlx::query_scalar!(
        "SELECT name FROM companies WHERE id = $1",
        input.access[0].company_id
    )
    .fetch_one(&mut *conn)
    .await?;
    if system {
        set_scope(conn, &Scope::system()).await?;
    }
    let existing = sqlx::query!(
        r#"SELECT id, role AS "role: Role" FROM users WHERE email = $1 FOR UPDATE"#,
        email
    )
    .fetch_optional(&mut *conn)
    .await?;
    let (user_id, outcome) = match existing {
        Some(user) if user.role != input.role => {
            // The address belongs to another kind of account: say so, change nothing.
            return Err(AppError::field("email", FieldProblem::Taken));
        }
        Some(user) => (user.id, InviteOutcome::AccessGranted),
        None => {
            let id = sqlx::query_scalar!(
                r#"INSERT INTO users (email, display_name, role, locale, invited_by, invited_at)
                   VALUES ($1, $2, $3, $4, $5, now()) RETURNING id"#,
                email,
                input.display_name.trim(),
                input.role.as_str(),
                input.locale.code(),
                caller.user_id,
            )
            .fetch_one(&mut *conn)
            .await?;
            (id, InviteOutcome::Invited)
        }
    };
    for access in &input.access {
        // An existing membership is left as it is: an invitation only ever adds access.
        sqlx::query!(
            r#"INSERT INTO memberships (user_id, company_id, permissions, party_id) VALUES ($1, $2, $3, $4)
               ON CONFLICT (user_id, company_id) DO NOTHING"#,
            user_id,
            access.company_id,
            &stored_permissions(input.role, access),
            access.party_id,
        )
        .execute(&mut *conn)
        .await?;
    }
    let portal = input.role.portal();
    let first = &input.access[0];
    match outcome {
        InviteOutcome::Invited => {
            let token = random_token().map_err(|_| AppError::Internal)?;
            sqlx::query!(
                r#"INSERT INTO password_resets (token_hash, user_id, expires_at, purpose)
                   VALUES ($1, $2, now() + make_interval(days => $3), 'invitation')"#,
                digest(&token),
                user_id,
                INVITATION_DAYS,
            )
            .execute(&mut *conn)
            .await?;
            email::queue_secret(
                conn,
                secrets,
                Some(first.company_id),
                first.party_id,
                &email,
                input.locale,
                Mail::PortalInvitation {
                    company: &company,
                    portal,
                },
                &format!("{public_url}/reset-password?token={token}"),
            )
            .await?;
        }
        InviteOutcome::AccessGranted => {
            email::queue(
                conn,
                first.company_id,
                first.party_id,
                &email,
                input.locale,
                Mail::AccessGranted {
                    company: &company,
                    portal,
                },
                &format!("{public_url}/login"),
            )
            .await?;
        }
    }
    audit::record(
        conn,
        client,
        AuditEvent::UserInvited,
        Some(caller.user_id),
        serde_json::json!({
            "user": user_id,
            "role": input.role.as_str(),
            "companies": input.access.iter().map(|a| a.company_id).collect::<Vec<_>>(),
            "outcome": match outcome { InviteOutcome::Invited => "invited", InviteOutcome::AccessGranted => "access_granted" },
        }),
    )
    .await?;
    Ok((user_id, outcome))
}
