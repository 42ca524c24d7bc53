//! Resolving the caller of every request, before any page or server function runs.
//!
//! Order: a bearer API token; else the access-token cookie; else (missing or expired) the
//! refresh-token cookie, which rotates and sets fresh cookies on the response.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::header::{AUTHORIZATION, SET_COOKIE};
use http::{HeaderMap, HeaderValue};

use super::audit::ClientInfo;
use super::caller::Caller;
use super::cookies;
use super::keys::TokenError;
use super::sessions::{self, Refresh};
use super::{api_tokens, service::AuthService};
use crate::state::AppState;

/// The resolved caller, kept in the request's extensions (and from there in server functions'
/// context). `None`: signed out.
#[derive(Clone, Debug)]
pub struct CallerSlot(pub Option<Caller>);

/// The signed-in user of a portal page request, loaded before rendering (`None`: signed out).
#[derive(Clone, Debug)]
pub struct PreparedUser(pub Option<crate::auth::SessionUser>);

fn is_portal_page(path: &str) -> bool {
    ["/ceo", "/client", "/provider", "/reseller"]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// Paths that never need the caller: static assets and probes (no database work for them).
fn needs_caller(path: &str) -> bool {
    !(path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || path.starts_with("/.well-known/")
        || matches!(
            path,
            "/healthz"
                | "/readyz"
                | "/sw.js"
                | "/manifest.webmanifest"
                | "/offline.html"
                | "/offline.css"
                | "/favicon.ico"
        ))
}

/// Axum middleware: puts a [`CallerSlot`] into the request and refreshed cookies on the response.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if !needs_caller(request.uri().path()) {
        return next.run(request).await;
    }
    let client = request
        .extensions()
        .get::<ClientInfo>()
        .cloned()
        .unwrap_or_default();
    let mut set_cookies = Vec::new();
    let caller = resolve(&state, request.headers(), &client, &mut set_cookies).await;
    // Portal pages decide access before rendering, from this (see `PortalLayout`).
    if is_portal_page(request.uri().path()) {
        let user = match &caller {
            Some(caller) => super::sessions::session_user(&state.pool, caller)
                .await
                .ok()
                .map(Some),
            None => Some(None),
        };
        if let Some(user) = user {
            request.extensions_mut().insert(PreparedUser(user));
        }
    }
    request.extensions_mut().insert(CallerSlot(caller));
    let mut response = next.run(request).await;
    // Cookies the handler set itself (sign-in, sign-out) win over a refresh done on the way in.
    let handler_set: Vec<String> = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split_once('=').map(|(name, _)| name.to_owned()))
        .collect();
    for cookie in set_cookies {
        let name = cookie
            .to_str()
            .ok()
            .and_then(|v| v.split_once('='))
            .map(|(n, _)| n.to_owned());
        if name.is_some_and(|n| !handler_set.contains(&n)) {
            response.headers_mut().append(SET_COOKIE, cookie);
        }
    }
    response
}

async fn resolve(
    state: &AppState,
    headers: &HeaderMap,
    client: &ClientInfo,
    set_cookies: &mut Vec<HeaderValue>,
) -> Option<Caller> {
    let auth: &AuthService = &state.auth;
    if let Some(token) = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return api_tokens::authenticate(&state.pool, token.trim())
            .await
            .unwrap_or_else(|error| {
                tracing::warn!(%error, "API token lookup failed");
                None
            });
    }
    if let Some(access) = cookies::read(headers, cookies::ACCESS) {
        match auth.keys.verify(access) {
            Ok(claims) => match sessions::load_caller(&state.pool, claims.sid).await {
                Ok(Some(caller)) if caller.user_id == claims.sub => return Some(caller),
                Ok(_) => {
                    // Revoked session or deactivated user: the cookies are dead.
                    clear_all(auth, set_cookies);
                    return None;
                }
                Err(error) => {
                    tracing::warn!(%error, "session lookup failed");
                    return None;
                }
            },
            Err(TokenError::Expired) | Err(TokenError::Invalid) => {}
        }
    }
    let refresh = cookies::read(headers, cookies::REFRESH)?;
    let secure = auth.secure_cookies();
    match sessions::refresh(auth, &state.pool, refresh, client).await {
        Ok(Refresh::Rotated { user_id, tokens }) => {
            set_cookies.push(cookies::set(
                cookies::ACCESS,
                &tokens.access,
                auth.settings.access_ttl_secs,
                secure,
            ));
            set_cookies.push(cookies::set(
                cookies::REFRESH,
                &tokens.refresh,
                auth.settings.session_ttl_days * 86_400,
                secure,
            ));
            match sessions::load_caller(&state.pool, tokens.session_id).await {
                Ok(Some(caller)) if caller.user_id == user_id => Some(caller),
                _ => None,
            }
        }
        Ok(Refresh::ConcurrentReuse { session_id }) => {
            sessions::load_caller(&state.pool, session_id)
                .await
                .ok()
                .flatten()
        }
        Ok(Refresh::Rejected) => {
            clear_all(auth, set_cookies);
            None
        }
        Err(error) => {
            tracing::warn!(%error, "refresh failed");
            None
        }
    }
}

fn clear_all(auth: &AuthService, set_cookies: &mut Vec<HeaderValue>) {
    let secure = auth.secure_cookies();
    set_cookies.push(cookies::clear(cookies::ACCESS, secure));
    set_cookies.push(cookies::clear(cookies::REFRESH, secure));
}
