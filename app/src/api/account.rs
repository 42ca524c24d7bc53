//! The signed-in user's own account: password, second factor, sessions, API tokens.
//! Every function acts on the caller only; ids from the browser name the caller's own rows or
//! nothing.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::auth::EnrolmentView;
use crate::error::AppError;

/// One open session, for the sessions list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// Session id.
    pub id: Uuid,
    /// How it was opened (`password+totp`, `sso`, ...).
    pub method: String,
    /// Client address at last use.
    pub ip: Option<String>,
    /// Browser at last use.
    pub user_agent: Option<String>,
    /// Opened at (RFC 3339, UTC).
    pub created_at: String,
    /// Last used at (RFC 3339, UTC).
    pub last_seen_at: String,
    /// Whether it is the session making this request.
    pub current: bool,
}

/// An API token as listed (never its secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenInfo {
    /// Token id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Its first characters.
    pub prefix: String,
    /// Granted permissions (`resource.action`).
    pub permissions: Vec<String>,
    /// Company codes it may act in.
    pub companies: Vec<String>,
    /// Created at (RFC 3339).
    pub created_at: String,
    /// Expires at (RFC 3339).
    pub expires_at: String,
    /// Last used at (RFC 3339).
    pub last_used_at: Option<String>,
}

/// A new API token: the secret is in this answer and nowhere else, ever.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiToken {
    /// The token, to copy now.
    pub token: String,
    /// Its id.
    pub id: Uuid,
}

/// What a new API token may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenRequest {
    /// A name to recognise it by.
    pub name: String,
    /// Permissions (`resource.action`), a subset of the caller's.
    pub permissions: Vec<String>,
    /// Company ids, a subset of the caller's.
    pub companies: Vec<Uuid>,
    /// Lifetime in days.
    pub days: i64,
}

/// Changes the password; other sessions are signed out.
#[server(endpoint = "account/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    ssr::change_password(current_password, new_password, confirm_password).await
}

/// Starts TOTP enrolment from the account page.
#[server(endpoint = "account/totp_start")]
pub async fn start_two_factor() -> Result<EnrolmentView, AppError> {
    ssr::start_two_factor().await
}

/// Confirms TOTP enrolment with a first code; returns the recovery codes (shown once).
#[server(endpoint = "account/totp_confirm")]
pub async fn confirm_two_factor(code: String) -> Result<Vec<String>, AppError> {
    ssr::confirm_two_factor(code).await
}

/// Removes TOTP (needs a current code; refused where 2FA is mandatory).
#[server(endpoint = "account/totp_disable")]
pub async fn disable_two_factor(code: String) -> Result<(), AppError> {
    ssr::disable_two_factor(code).await
}

/// Replaces the recovery codes (needs a current code).
#[server(endpoint = "account/recovery_codes")]
pub async fn regenerate_recovery_codes(code: String) -> Result<Vec<String>, AppError> {
    ssr::regenerate_recovery_codes(code).await
}

/// The caller's open sessions.
#[server(endpoint = "account/sessions")]
pub async fn list_sessions() -> Result<Vec<SessionInfo>, AppError> {
    ssr::list_sessions().await
}

/// Signs out one of the caller's sessions.
#[server(endpoint = "account/revoke_session")]
pub async fn revoke_session(id: Uuid) -> Result<(), AppError> {
    ssr::revoke_session(id).await
}

/// The caller's API tokens.
#[server(endpoint = "account/api_tokens")]
pub async fn list_api_tokens() -> Result<Vec<ApiTokenInfo>, AppError> {
    ssr::list_api_tokens().await
}

/// Creates an API token within the caller's own permissions and companies.
#[server(endpoint = "account/create_api_token", input = server_fn::codec::Json)]
pub async fn create_api_token(request: ApiTokenRequest) -> Result<NewApiToken, AppError> {
    ssr::create_api_token(request).await
}

/// Revokes one of the caller's API tokens.
#[server(endpoint = "account/revoke_api_token")]
pub async fn revoke_api_token(id: Uuid) -> Result<(), AppError> {
    ssr::revoke_api_token(id).await
}

/// Chooses the company the CEO portal shows (`""`: all of the user's companies); remembered for
/// the user across sessions and devices.
#[server(endpoint = "account/focus")]
pub async fn set_focus(company: String) -> Result<(), AppError> {
    ssr::set_focus(company).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::ssr::current::{self, caller, client};
    use crate::auth::ssr::{account, api_tokens, begin, login, sessions, Scope};
    use crate::auth::PermissionSet;
    use crate::error::FieldProblem;
    use time::format_description::well_known::Rfc3339;
    use time::OffsetDateTime;

    fn rfc3339(t: OffsetDateTime) -> String {
        t.format(&Rfc3339).unwrap_or_default()
    }

    #[tracing::instrument(skip_all)]
    pub async fn set_focus(company: String) -> Result<(), AppError> {
        let caller = caller()?;
        if caller.role.is_portal_party() {
            return Err(AppError::Forbidden);
        }
        let focus = match company.trim() {
            "" => None,
            value => {
                let id = Uuid::parse_str(value)
                    .map_err(|_| AppError::field("company", FieldProblem::Invalid))?;
                // Only a company the caller works in; an unknown id is refused like a foreign one.
                if !caller.memberships.iter().any(|m| m.company_id == id) {
                    return Err(AppError::Forbidden);
                }
                Some(id)
            }
        };
        let state = current::state();
        let mut tx = begin(&state.pool, &Scope::system()).await?;
        sqlx::query!(
            "UPDATE users SET focus_company_id = $2, updated_at = now() WHERE id = $1",
            caller.user_id,
            focus
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    pub async fn change_password(
        current: String,
        new: String,
        confirm: String,
    ) -> Result<(), AppError> {
        let caller = caller()?;
        if new != confirm {
            return Err(AppError::field("confirm_password", FieldProblem::Mismatch));
        }
        let state = current::state();
        account::change_password(&state.pool, &caller, current, new, &client()).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn start_two_factor() -> Result<EnrolmentView, AppError> {
        let caller = caller()?;
        if caller.two_factor_enabled {
            return Err(AppError::Conflict);
        }
        let state = current::state();
        let e = login::start_enrolment(&state.auth, &state.pool, caller.user_id).await?;
        Ok(EnrolmentView {
            secret_base32: e.secret_base32,
            uri: e.uri,
            qr_svg: e.qr_svg,
        })
    }

    #[tracing::instrument(skip_all)]
    pub async fn confirm_two_factor(code: String) -> Result<Vec<String>, AppError> {
        let caller = caller()?;
        let state = current::state();
        state.auth.check_account_rate(&caller.user_id.to_string())?;
        let mut tx = begin(&state.pool, &Scope::system()).await?;
        let codes =
            login::confirm_enrolment(&state.auth, &mut tx, caller.user_id, &code, &client())
                .await?;
        tx.commit().await?;
        Ok(codes)
    }

    #[tracing::instrument(skip_all)]
    pub async fn disable_two_factor(code: String) -> Result<(), AppError> {
        let caller = caller()?;
        let state = current::state();
        account::disable_two_factor(&state.auth, &state.pool, &caller, &code, &client()).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn regenerate_recovery_codes(code: String) -> Result<Vec<String>, AppError> {
        let caller = caller()?;
        let state = current::state();
        account::regenerate_recovery_codes(&state.auth, &state.pool, &caller, &code, &client())
            .await
    }

    #[tracing::instrument(skip_all)]
    pub async fn list_sessions() -> Result<Vec<SessionInfo>, AppError> {
        let caller = caller()?;
        let state = current::state();
        let current_id = caller.session_id();
        Ok(sessions::list(&state.pool, &caller)
            .await?
            .into_iter()
            .map(|s| SessionInfo {
                current: Some(s.id) == current_id,
                id: s.id,
                method: s.method,
                ip: s.ip,
                user_agent: s.user_agent,
                created_at: rfc3339(s.created_at),
                last_seen_at: rfc3339(s.last_seen_at),
            })
            .collect())
    }

    #[tracing::instrument(skip_all)]
    pub async fn revoke_session(id: Uuid) -> Result<(), AppError> {
        let caller = caller()?;
        let state = current::state();
        account::revoke_session(&state.pool, &caller, id, &client()).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn list_api_tokens() -> Result<Vec<ApiTokenInfo>, AppError> {
        let caller = caller()?;
        let state = current::state();
        let tokens = api_tokens::list(&state.pool, &caller).await?;
        let mut tx = begin(&state.pool, &caller.own_scope()).await?;
        let codes = sqlx::query!("SELECT id, code FROM companies")
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(tokens
            .into_iter()
            .map(|t| ApiTokenInfo {
                id: t.id,
                name: t.name,
                prefix: t.prefix,
                permissions: t.permissions.names(),
                companies: t
                    .company_ids
                    .iter()
                    .filter_map(|id| codes.iter().find(|c| c.id == *id).map(|c| c.code.clone()))
                    .collect(),
                created_at: rfc3339(t.created_at),
                expires_at: rfc3339(t.expires_at),
                last_used_at: t.last_used_at.map(rfc3339),
            })
            .collect())
    }

    #[tracing::instrument(skip_all)]
    pub async fn create_api_token(request: ApiTokenRequest) -> Result<NewApiToken, AppError> {
        let caller = caller()?;
        let state = current::state();
        let permissions = PermissionSet::from_names(&request.permissions);
        if permissions.names().len() != request.permissions.len() {
            return Err(AppError::field("permissions", FieldProblem::Invalid));
        }
        let (token, id) = api_tokens::create(
            &state.auth,
            &state.pool,
            &caller,
            api_tokens::TokenScope {
                name: &request.name,
                permissions,
                company_ids: &request.companies,
                days: request.days,
            },
            &client(),
        )
        .await?;
        Ok(NewApiToken { token, id })
    }

    #[tracing::instrument(skip_all)]
    pub async fn revoke_api_token(id: Uuid) -> Result<(), AppError> {
        let caller = caller()?;
        let state = current::state();
        api_tokens::revoke(&state.pool, &caller, id, &client()).await
    }
}
