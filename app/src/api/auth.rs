//! Signing in and out, the second factor, password reset, and who the caller is.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::SessionUser;
use crate::error::AppError;

/// Where the sign-in page stands for this browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInStage {
    /// Email and password (or single sign-on).
    Credentials,
    /// A TOTP or recovery code is expected.
    SecondFactor,
    /// The account must enrol TOTP before its first session (CEO).
    Enrol,
    /// Already signed in: go here.
    SignedIn(String),
}

/// What the sign-in page needs to render.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInState {
    /// The current step.
    pub stage: SignInStage,
    /// The single-sign-on provider's name, when configured.
    pub sso: Option<String>,
}

/// The outcome of a sign-in step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInResult {
    /// Signed in; go here.
    Done(String),
    /// Ask for the second factor next.
    SecondFactor,
    /// Enrol TOTP next.
    Enrol,
}

/// A TOTP secret to add to an authenticator app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentView {
    /// The secret, base32, for typing it in.
    pub secret_base32: String,
    /// The `otpauth://` URI.
    pub uri: String,
    /// The QR code (SVG markup generated on the server).
    pub qr_svg: String,
}

/// Enrolment finished: the recovery codes (shown once) and where to go next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentDone {
    /// One-time recovery codes.
    pub recovery_codes: Vec<String>,
    /// Where to continue (after the person has stored the codes).
    pub redirect: String,
}

/// The sign-in page's state: signed in already, a pending second step, or credentials.
#[server(endpoint = "auth/sign_in_page")]
pub async fn sign_in_page(next: Option<String>) -> Result<SignInState, AppError> {
    ssr::sign_in_page(next).await
}

/// Email + password. Same answer for an unknown address and a wrong password.
#[server(endpoint = "auth/login")]
pub async fn login(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<SignInResult, AppError> {
    ssr::login(email, password, next).await
}

/// The second step: a TOTP code or a recovery code.
#[server(endpoint = "auth/second_factor")]
pub async fn second_factor(code: String, next: Option<String>) -> Result<SignInResult, AppError> {
    ssr::second_factor(code, next).await
}

/// Starts the TOTP enrolment a sign-in requires (CEO without a second factor yet).
#[server(endpoint = "auth/enrol_start")]
pub async fn start_sign_in_enrolment() -> Result<EnrolmentView, AppError> {
    ssr::start_sign_in_enrolment().await
}

/// Confirms that enrolment with a first code; the session starts.
#[server(endpoint = "auth/enrol_confirm")]
pub async fn confirm_sign_in_enrolment(
    code: String,
    next: Option<String>,
) -> Result<EnrolmentDone, AppError> {
    ssr::confirm_sign_in_enrolment(code, next).await
}

/// Abandons a pending second step.
#[server(endpoint = "auth/cancel")]
pub async fn cancel_sign_in() -> Result<(), AppError> {
    ssr::cancel_sign_in()
}

/// Signs out of this session.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    ssr::logout().await
}

/// Signs out of every session of the caller.
#[server(endpoint = "auth/logout_everywhere")]
pub async fn logout_everywhere() -> Result<u64, AppError> {
    ssr::logout_everywhere().await
}

/// Whether the caller may use a portal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PortalDecision {
    /// Yes: here is who they are.
    Granted(SessionUser),
    /// Signed in, but their portal is another one (its base path).
    WrongPortal(String),
    /// Not signed in.
    SignIn,
}

/// Decides access to `portal` for the caller. When a page is being rendered, it also sets the
/// answer's status (403) or redirect (to sign in) before any HTML is sent.
#[server(endpoint = "auth/portal_access")]
pub async fn portal_access(
    portal: crate::portal::Portal,
    here: String,
) -> Result<PortalDecision, AppError> {
    ssr::portal_access(portal, here).await
}

/// On the server, while rendering a portal page: the access decision made before rendering
/// (see the auth middleware). `None` in the browser and on other requests.
pub fn prepared_portal_decision(
    portal: crate::portal::Portal,
    here: &str,
) -> Option<PortalDecision> {
    #[cfg(feature = "ssr")]
    {
        ssr::prepared_decision(portal, here)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (portal, here);
        None
    }
}

/// The signed-in user, or `None`.
#[server(endpoint = "auth/whoami")]
pub async fn whoami() -> Result<Option<SessionUser>, AppError> {
    ssr::whoami().await
}

/// Emails a reset link if the address has an account; the answer never says whether it does.
#[server(endpoint = "auth/forgot")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    ssr::request_password_reset(email).await
}

/// Sets a new password with the token from the reset email.
#[server(endpoint = "auth/reset")]
pub async fn reset_password(
    token: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    ssr::reset_password(token, new_password, confirm_password).await
}

/// Asks for a link that lifts the sign-in lock of an address (sent to it only).
#[server(endpoint = "auth/request_unlock")]
pub async fn request_unlock(email: String) -> Result<(), AppError> {
    ssr::request_unlock(email).await
}

/// Lifts the sign-in lock with the token from the unlock email.
#[server(endpoint = "auth/unlock")]
pub async fn unlock_account(token: String) -> Result<(), AppError> {
    ssr::unlock(token).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::ssr::current::{self, caller, client, optional_caller, set_session_cookies};
    use crate::auth::ssr::login::{self, safe_next, FirstStep};
    use crate::auth::ssr::{account, begin, cookies};
    use crate::auth::Role;
    use crate::error::FieldProblem;

    fn destination(role: Role, next: Option<String>) -> String {
        let base = role.portal().base_path();
        // Only a path inside the user's own portal (or the account pages) is honoured.
        safe_next(next.as_deref())
            .filter(|n| {
                n == base
                    || n.starts_with(&format!("{base}/"))
                    || n.starts_with(&format!("{base}?"))
            })
            .unwrap_or_else(|| base.to_owned())
    }

    fn pending() -> Option<login::PendingSignIn> {
        let state = current::state();
        login::open_pending(&state.auth, current::cookie(cookies::MFA).as_deref()).ok()
    }

    #[tracing::instrument(skip_all)]
    pub async fn sign_in_page(next: Option<String>) -> Result<SignInState, AppError> {
        let state = current::state();
        let sso = state.auth.sso.as_ref().map(|s| s.display_name().to_owned());
        let stage = if let Some(caller) = optional_caller() {
            SignInStage::SignedIn(destination(caller.role, next))
        } else {
            match pending() {
                Some(p) if p.must_enrol => SignInStage::Enrol,
                Some(_) => SignInStage::SecondFactor,
                None => SignInStage::Credentials,
            }
        };
        Ok(SignInState { stage, sso })
    }

    fn finish(step: FirstStep, role: Role, next: Option<String>) -> SignInResult {
        let state = current::state();
        match step {
            FirstStep::SignedIn(tokens) => {
                set_session_cookies(&state, &tokens);
                current::set_cookie(cookies::clear(cookies::MFA, state.auth.secure_cookies()));
                SignInResult::Done(destination(role, next))
            }
            FirstStep::SecondFactor { sealed, must_enrol } => {
                current::set_cookie(cookies::set(
                    cookies::MFA,
                    &sealed,
                    state.auth.settings.mfa_ttl_secs,
                    state.auth.secure_cookies(),
                ));
                if must_enrol {
                    SignInResult::Enrol
                } else {
                    SignInResult::SecondFactor
                }
            }
        }
    }

    async fn role_of(user_id: uuid::Uuid) -> Result<Role, AppError> {
        let state = current::state();
        let mut tx = begin(&state.pool, &crate::auth::ssr::Scope::system()).await?;
        let role = sqlx::query_scalar!("SELECT role FROM users WHERE id = $1", user_id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Role::parse(&role).ok_or(AppError::Internal)
    }

    #[tracing::instrument(skip_all)]
    pub async fn login(
        email: String,
        password: String,
        next: Option<String>,
    ) -> Result<SignInResult, AppError> {
        let state = current::state();
        let (step, role) =
            login::with_password(&state.auth, &state.pool, &email, password, &client()).await?;
        Ok(finish(step, role, next))
    }

    #[tracing::instrument(skip_all)]
    pub async fn second_factor(
        code: String,
        next: Option<String>,
    ) -> Result<SignInResult, AppError> {
        let state = current::state();
        let pending = pending().ok_or(AppError::Unauthenticated)?;
        let (tokens, role) =
            login::with_second_factor(&state.auth, &state.pool, &pending, &code, &client()).await?;
        Ok(finish(FirstStep::SignedIn(tokens), role, next))
    }

    #[tracing::instrument(skip_all)]
    pub async fn start_sign_in_enrolment() -> Result<EnrolmentView, AppError> {
        let state = current::state();
        let pending = pending()
            .filter(|p| p.must_enrol)
            .ok_or(AppError::Unauthenticated)?;
        let enrolment = login::start_enrolment(&state.auth, &state.pool, pending.user_id).await?;
        Ok(EnrolmentView {
            secret_base32: enrolment.secret_base32,
            uri: enrolment.uri,
            qr_svg: enrolment.qr_svg,
        })
    }

    #[tracing::instrument(skip_all)]
    pub async fn confirm_sign_in_enrolment(
        code: String,
        next: Option<String>,
    ) -> Result<EnrolmentDone, AppError> {
        use crate::auth::ssr::sessions::{self, SignInMethod};
        let state = current::state();
        let pending = pending()
            .filter(|p| p.must_enrol)
            .ok_or(AppError::Unauthenticated)?;
        state
            .auth
            .check_account_rate(&pending.user_id.to_string())?;
        let client = client();
        let mut tx = begin(&state.pool, &crate::auth::ssr::Scope::system()).await?;
        let codes =
            login::confirm_enrolment(&state.auth, &mut tx, pending.user_id, &code, &client).await?;
        login::spend(&state.auth, &mut tx, &pending).await?;
        let method = if pending.via_sso {
            SignInMethod::SsoTotp
        } else {
            SignInMethod::PasswordTotp
        };
        let tokens =
            sessions::start(&state.auth, &mut tx, pending.user_id, method, &client).await?;
        tx.commit().await?;
        let role = role_of(pending.user_id).await?;
        let SignInResult::Done(redirect) = finish(FirstStep::SignedIn(tokens), role, next) else {
            return Err(AppError::Internal);
        };
        Ok(EnrolmentDone {
            recovery_codes: codes,
            redirect,
        })
    }

    pub fn cancel_sign_in() -> Result<(), AppError> {
        let state = current::state();
        current::set_cookie(cookies::clear(cookies::MFA, state.auth.secure_cookies()));
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    pub async fn logout() -> Result<(), AppError> {
        let state = current::state();
        let result = match optional_caller() {
            Some(caller) => account::logout(&state.pool, &caller, &client()).await,
            None => Ok(()),
        };
        current::clear_session_cookies(&state);
        result
    }

    #[tracing::instrument(skip_all)]
    pub async fn logout_everywhere() -> Result<u64, AppError> {
        let state = current::state();
        let caller = caller()?;
        let revoked = account::logout_everywhere(&state.pool, &caller, &client()).await?;
        current::clear_session_cookies(&state);
        Ok(revoked)
    }

    #[tracing::instrument(skip_all)]
    pub async fn portal_access(
        portal: crate::portal::Portal,
        here: String,
    ) -> Result<PortalDecision, AppError> {
        let rendering_page = use_context::<http::request::Parts>()
            .is_some_and(|p| !p.uri.path().starts_with("/api/"));
        Ok(decide(portal, &here, whoami().await?, rendering_page))
    }

    /// The decision for `user` in `portal`; on a page, also its status (403) or redirect.
    pub fn decide(
        portal: crate::portal::Portal,
        here: &str,
        user: Option<SessionUser>,
        rendering_page: bool,
    ) -> PortalDecision {
        use http::StatusCode;
        let access = match user {
            Some(user) if user.role.portal() == portal => PortalDecision::Granted(user),
            Some(user) => PortalDecision::WrongPortal(user.role.portal().base_path().to_owned()),
            None => PortalDecision::SignIn,
        };
        if rendering_page {
            match &access {
                PortalDecision::WrongPortal(_) => {
                    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                        response.set_status(StatusCode::FORBIDDEN);
                    }
                }
                PortalDecision::SignIn => {
                    let next =
                        safe_next(Some(here)).unwrap_or_else(|| portal.base_path().to_owned());
                    leptos_axum::redirect(&format!("/login?next={}", encode_component(&next)));
                }
                PortalDecision::Granted(_) => {}
            }
        }
        access
    }

    /// On a page request, the decision from the user the middleware loaded before rendering.
    pub fn prepared_decision(portal: crate::portal::Portal, here: &str) -> Option<PortalDecision> {
        let parts = use_context::<http::request::Parts>()?;
        let prepared = parts
            .extensions
            .get::<crate::auth::ssr::middleware::PreparedUser>()?;
        Some(decide(portal, here, prepared.0.clone(), true))
    }

    /// Percent-encodes a URL component (for `?next=`); `/` stays readable.
    fn encode_component(text: &str) -> String {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }

    #[tracing::instrument(skip_all)]
    pub async fn whoami() -> Result<Option<SessionUser>, AppError> {
        let Some(caller) = optional_caller() else {
            return Ok(None);
        };
        let user =
            crate::auth::ssr::sessions::session_user(&current::state().pool, &caller).await?;
        Ok(Some(user))
    }

    #[tracing::instrument(skip_all)]
    pub async fn request_password_reset(email: String) -> Result<(), AppError> {
        let state = current::state();
        account::request_reset(&state.auth, &state.pool, &email, &client()).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn reset_password(
        token: String,
        new_password: String,
        confirm_password: String,
    ) -> Result<(), AppError> {
        if new_password != confirm_password {
            return Err(AppError::field("confirm_password", FieldProblem::Mismatch));
        }
        let state = current::state();
        account::reset_password(&state.pool, &token, new_password, &client()).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn request_unlock(email: String) -> Result<(), AppError> {
        let state = current::state();
        account::request_unlock(&state.auth, &state.pool, &email, &client()).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn unlock(token: String) -> Result<(), AppError> {
        let state = current::state();
        account::unlock(&state.pool, &token, &client()).await
    }
}
