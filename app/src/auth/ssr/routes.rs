//! Plain HTTP endpoints of the identity service: single sign-on round trip and the JWKS.

use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json};
use serde::Deserialize;
use time::Duration;

use super::audit::{self, AuditEvent, ClientInfo};
use super::cookies;
use super::db::{begin, Scope};
use super::login::{after_first_factor, safe_next, FirstStep};
use super::oidc::{SsoError, SsoState, VerifiedIdentity};
use crate::auth::Role;
use crate::error::AppError;
use crate::state::{AppState, PlainRoutes};

/// Purpose tag of the sealed SSO state cookie.
const SSO_PURPOSE: &str = "sso";

/// The identity routes, to merge into the server's router.
pub fn routes() -> PlainRoutes {
    vec![
        ("/auth/sso/start", get(sso_start)),
        ("/auth/sso/callback", get(sso_callback)),
        ("/.well-known/jwks.json", get(jwks)),
    ]
}

async fn jwks(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(CACHE_CONTROL, "public, max-age=300")],
        Json(state.auth.keys.jwks()),
    )
}

#[derive(Deserialize)]
struct StartQuery {
    next: Option<String>,
}

fn redirect(to: &str, cookies: Vec<http::HeaderValue>) -> Response {
    let mut response = (StatusCode::SEE_OTHER, [(LOCATION, to.to_owned())]).into_response();
    for cookie in cookies {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}

async fn sso_start(State(state): State<AppState>, Query(query): Query<StartQuery>) -> Response {
    let Some(sso) = state.auth.sso.as_ref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let next = safe_next(query.next.as_deref()).unwrap_or_default();
    match sso.start(&next).await {
        Ok((url, kept)) => match state
            .auth
            .secrets
            .seal(SSO_PURPOSE, Duration::minutes(10), &kept)
        {
            Ok(sealed) => redirect(
                &url,
                vec![cookies::set(
                    cookies::SSO,
                    &sealed,
                    600,
                    state.auth.secure_cookies(),
                )],
            ),
            Err(_) => redirect("/login?error=sso", vec![]),
        },
        Err(error) => {
            tracing::warn!(%error, "single sign-on unavailable");
            redirect("/login?error=sso", vec![])
        }
    }
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

async fn sso_callback(
    State(state): State<AppState>,
    Extension(client): Extension<ClientInfo>,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let secure = state.auth.secure_cookies();
    let clear_sso = cookies::clear(cookies::SSO, secure);
    match complete(&state, &client, &headers, query).await {
        Ok((step, next)) => match step {
            FirstStep::SignedIn(tokens) => {
                let to = next.unwrap_or_else(|| "/login".into());
                redirect(
                    &to,
                    vec![
                        clear_sso,
                        cookies::set(
                            cookies::ACCESS,
                            &tokens.access,
                            state.auth.settings.access_ttl_secs,
                            secure,
                        ),
                        cookies::set(
                            cookies::REFRESH,
                            &tokens.refresh,
                            state.auth.settings.session_ttl_days * 86_400,
                            secure,
                        ),
                    ],
                )
            }
            FirstStep::SecondFactor { sealed, .. } => {
                let to = match next {
                    Some(next) => format!("/login?next={}", urlencode(&next)),
                    None => "/login".into(),
                };
                redirect(
                    &to,
                    vec![
                        clear_sso,
                        cookies::set(
                            cookies::MFA,
                            &sealed,
                            state.auth.settings.mfa_ttl_secs,
                            secure,
                        ),
                    ],
                )
            }
        },
        Err(refusal) => {
            tracing::warn!(error = %refusal, "single sign-on refused");
            let mut tx = begin(&state.pool, &Scope::system()).await;
            if let Ok(tx) = tx.as_mut() {
                let _ = audit::record(
                    tx,
                    &client,
                    AuditEvent::SsoRefused,
                    None,
                    serde_json::json!({ "reason": refusal.to_string() }),
                )
                .await;
            }
            if let Ok(tx) = tx {
                let _ = tx.commit().await;
            }
            redirect("/login?error=sso", vec![clear_sso])
        }
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Why the callback was refused (logged and audited; the person sees a generic message).
#[derive(Debug, thiserror::Error)]
enum Refusal {
    #[error("single sign-on is not configured")]
    NotConfigured,
    #[error("the provider returned an error: {0}")]
    ProviderError(String),
    #[error("no pending sign-in (missing or expired state cookie)")]
    NoState,
    #[error("missing code or state")]
    Incomplete,
    #[error(transparent)]
    Sso(#[from] SsoError),
    #[error("no active user with the verified email {0}")]
    UnknownUser(String),
    #[error("identity already linked to another user")]
    LinkedElsewhere,
    #[error("internal error: {0}")]
    Internal(#[from] AppError),
}

async fn complete(
    state: &AppState,
    client: &ClientInfo,
    headers: &HeaderMap,
    query: CallbackQuery,
) -> Result<(FirstStep, Option<String>), Refusal> {
    let sso = state.auth.sso.as_ref().ok_or(Refusal::NotConfigured)?;
    if let Some(error) = query.error {
        return Err(Refusal::ProviderError(error));
    }
    let kept: SsoState = cookies::read(headers, cookies::SSO)
        .and_then(|sealed| state.auth.secrets.open(SSO_PURPOSE, sealed).ok())
        .ok_or(Refusal::NoState)?;
    let (Some(code), Some(returned_state)) = (query.code, query.state) else {
        return Err(Refusal::Incomplete);
    };
    let tokens = sso.exchange(&kept, &returned_state, &code).await?;
    let identity = sso.identity(&tokens, &kept.nonce).await?;
    let step = sign_in(state, client, &identity).await?;
    Ok((step, safe_next(Some(&kept.next))))
}

/// Links the verified identity to the user with that email (never creates users), then applies
/// the same second-factor rules as a password sign-in.
async fn sign_in(
    state: &AppState,
    client: &ClientInfo,
    identity: &VerifiedIdentity,
) -> Result<FirstStep, Refusal> {
    let mut tx = begin(&state.pool, &Scope::system()).await?;
    let linked = sqlx::query_scalar!(
        "SELECT user_id FROM external_identities WHERE issuer = $1 AND subject = $2",
        identity.issuer,
        identity.subject,
    )
    .fetch_optional(&mut *tx)
    .await
    .map_err(AppError::from)?;
    let user = sqlx::query!(
        r#"SELECT id, role, (totp_enabled_at IS NOT NULL) AS "totp!" FROM users WHERE email = $1 AND is_active"#,
        identity.email,
    )
    .fetch_optional(&mut *tx)
    .await
    .map_err(AppError::from)?
    .ok_or_else(|| Refusal::UnknownUser(identity.email.clone()))?;
    match linked {
        Some(user_id) if user_id != user.id => return Err(Refusal::LinkedElsewhere),
        Some(_) => {
            sqlx::query!(
                "UPDATE external_identities SET last_login_at = now(), email = $3 WHERE issuer = $1 AND subject = $2",
                identity.issuer,
                identity.subject,
                identity.email,
            )
            .execute(&mut *tx)
            .await
            .map_err(AppError::from)?;
        }
        None => {
            sqlx::query!(
                r#"INSERT INTO external_identities (issuer, subject, user_id, email, last_login_at)
                   VALUES ($1, $2, $3, $4, now())"#,
                identity.issuer,
                identity.subject,
                user.id,
                identity.email,
            )
            .execute(&mut *tx)
            .await
            .map_err(AppError::from)?;
            audit::record(
                &mut tx,
                client,
                AuditEvent::SsoLinked,
                Some(user.id),
                serde_json::json!({ "issuer": identity.issuer, "subject": identity.subject }),
            )
            .await?;
        }
    }
    let role = Role::parse(&user.role).ok_or(AppError::Internal)?;
    let step =
        after_first_factor(&state.auth, &mut tx, user.id, role, user.totp, true, client).await?;
    tx.commit().await.map_err(AppError::from)?;
    Ok(step)
}
