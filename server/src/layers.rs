//! The HTTP middleware stack shared by every route.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, COOKIE, SET_COOKIE};
use http::{HeaderName, HeaderValue, StatusCode};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::{
    SetSensitiveRequestHeadersLayer, SetSensitiveResponseHeadersLayer,
};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::config::SecuritySettings;
use crate::security::{self, Guard};

/// The header carrying the request id, set when absent and echoed in the response.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Limits applied to every request.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Longest time a request may take before it is answered with 503.
    pub request_timeout: Duration,
    /// Largest accepted request body, in bytes.
    pub body_limit_bytes: usize,
    /// Whether `/pkg` assets carry content hashes (and may be cached forever).
    pub hashed_assets: bool,
}

/// Wraps `router` in the standard stack, outermost first: sensitive-header redaction, request id,
/// tracing, panic recovery, body limit, timeout, compression, security headers, CORS, client
/// address, rate limit, CSRF check and cache headers. (The caller is resolved inside, per route.)
pub fn apply<S>(
    router: Router<S>,
    limits: Limits,
    guard: Arc<Guard>,
    security: &SecuritySettings,
) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let stack = ServiceBuilder::new()
        .layer(SetSensitiveRequestHeadersLayer::new([
            AUTHORIZATION,
            COOKIE,
        ]))
        .layer(SetSensitiveResponseHeadersLayer::new([SET_COOKIE]))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<Body>| {
                    let id = request
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!(
                        "request",
                        request_id = %id,
                        method = %request.method(),
                        path = %request.uri().path(),
                    )
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn_with_state(
            limits.body_limit_bytes,
            body_limit,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            limits.request_timeout,
        ))
        .layer(CompressionLayer::new());
    // Router layers wrap inside-out: the last added runs first.
    router
        // Extractors of plain routes (e.g. an uploaded logo) share the one limit, not axum's
        // own 2 MB default.
        .layer(axum::extract::DefaultBodyLimit::max(
            limits.body_limit_bytes,
        ))
        .layer(middleware::from_fn_with_state(limits, cache_control))
        .layer(middleware::from_fn_with_state(
            guard.clone(),
            security::csrf,
        ))
        .layer(middleware::from_fn_with_state(
            guard.clone(),
            security::rate_limit,
        ))
        .layer(middleware::from_fn_with_state(
            guard.clone(),
            security::client_info,
        ))
        .layer(security::cors(security))
        .layer(middleware::from_fn_with_state(guard, security::headers))
        .layer(stack)
}

/// Hashed assets are immutable; HTML and the service worker must always be revalidated;
/// server-function answers carry private data and are never stored.
async fn cache_control(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if response.headers().contains_key(CACHE_CONTROL) {
        return response;
    }
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let policy =
        if path.starts_with("/pkg/") && limits.hashed_assets && response.status().is_success() {
            "public, max-age=31536000, immutable"
        } else if is_html
            || path == "/sw.js"
            || path == "/manifest.webmanifest"
            || path.starts_with("/pkg/")
        {
            "no-cache"
        } else if path.starts_with("/api/") || path == "/readyz" || path == "/healthz" {
            "no-store"
        } else {
            "public, max-age=86400"
        };
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// A readable page instead of a dropped connection when a handler panics.
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = detail, "request handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        PANIC_PAGE,
    )
        .into_response()
}

/// Static on purpose: the renderer itself may be what failed.
const PANIC_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Error · Unified Platform</title></head>
<body><main>
<h1>Something went wrong</h1><p>The page could not be shown. Please try again.</p>
<h2 lang="fr">Une erreur s'est produite</h2><p lang="fr">La page n'a pas pu être affichée. Veuillez réessayer.</p>
<h2 lang="de">Etwas ist schiefgelaufen</h2><p lang="de">Die Seite konnte nicht angezeigt werden. Bitte versuchen Sie es erneut.</p>
<p><a href="/">Home · Accueil · Startseite</a></p>
</main></body></html>"#;

/// One body limit for every route, server functions included: the body is read up to `limit`
/// bytes (announced or streamed without a length), and anything longer is answered 413 before
/// a handler sees it.
async fn body_limit(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let too_large = || (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response();
    let announced = request
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match announced {
        Some(0) => return next.run(request).await,
        Some(length) if length > limit as u64 => return too_large(),
        _ => {}
    }
    if matches!(
        *request.method(),
        http::Method::GET | http::Method::HEAD | http::Method::OPTIONS
    ) && announced.is_none()
    {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(error) => {
            if error.into_inner().is::<http_body_util::LengthLimitError>() {
                too_large()
            } else {
                (StatusCode::BAD_REQUEST, "unreadable request body").into_response()
            }
        }
    }
}
