//! What a server function (or a page rendered on the server) knows about its request.

use http::header::SET_COOKIE;
use http::HeaderValue;
use leptos::prelude::{expect_context, use_context};

use super::audit::ClientInfo;
use super::caller::Caller;
use super::cookies;
use super::middleware::CallerSlot;
use super::sessions::Tokens;
use crate::error::AppError;
use crate::state::AppState;

fn parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// The signed-in caller, or [`AppError::Unauthenticated`].
pub fn caller() -> Result<Caller, AppError> {
    optional_caller().ok_or(AppError::Unauthenticated)
}

/// The signed-in caller, if any.
pub fn optional_caller() -> Option<Caller> {
    parts()?.extensions.get::<CallerSlot>()?.0.clone()
}

/// Where the request came from.
pub fn client() -> ClientInfo {
    parts()
        .and_then(|p| p.extensions.get::<ClientInfo>().cloned())
        .unwrap_or_default()
}

/// A request cookie.
pub fn cookie(name: &str) -> Option<String> {
    parts().and_then(|p| cookies::read(&p.headers, name).map(str::to_owned))
}

/// The server state.
pub fn state() -> AppState {
    expect_context::<AppState>()
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: HeaderValue) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.append_header(SET_COOKIE, value);
    }
}

/// Sets the session cookies for fresh tokens.
pub fn set_session_cookies(state: &AppState, tokens: &Tokens) {
    let auth = &state.auth;
    let secure = auth.secure_cookies();
    set_cookie(cookies::set(
        cookies::ACCESS,
        &tokens.access,
        auth.settings.access_ttl_secs,
        secure,
    ));
    set_cookie(cookies::set(
        cookies::REFRESH,
        &tokens.refresh,
        auth.settings.session_ttl_days * 86_400,
        secure,
    ));
}

/// Clears the session cookies (and any pending sign-in step).
pub fn clear_session_cookies(state: &AppState) {
    let secure = state.auth.secure_cookies();
    for name in [cookies::ACCESS, cookies::REFRESH, cookies::MFA] {
        set_cookie(cookies::clear(name, secure));
    }
}
