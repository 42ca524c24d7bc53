//! Web hardening: client address, rate limits, CSRF (origin check), CORS and security headers.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use app::auth::ssr::ClientInfo;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use http::header::{
    CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, HOST, ORIGIN, REFERER, RETRY_AFTER,
    STRICT_TRANSPORT_SECURITY, USER_AGENT, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use http::{HeaderName, HeaderValue, Method, StatusCode};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::config::{SecuritySettings, ServerSettings};

type IpLimiter = RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock>;

/// Rate limiters and origin rules, shared by the middleware of this module.
pub struct Guard {
    general: IpLimiter,
    auth: IpLimiter,
    trust_forwarded_for: bool,
    /// Origins (scheme://host[:port]) trusted for state-changing requests besides the request's
    /// own host: the public URL and the CORS allowlist.
    trusted_origins: Vec<String>,
    hsts: bool,
}

impl Guard {
    /// Builds the guard from configuration.
    pub fn new(server: &ServerSettings, security: &SecuritySettings) -> anyhow::Result<Arc<Guard>> {
        let per_minute = |n: u32, name: &str| {
            NonZeroU32::new(n).ok_or_else(|| anyhow::anyhow!("{name} must be greater than 0"))
        };
        let mut trusted_origins: Vec<String> = security
            .cors_origins
            .iter()
            .map(|o| o.trim_end_matches('/').to_owned())
            .collect();
        trusted_origins.push(origin_of(&server.public_url).unwrap_or_default());
        Ok(Arc::new(Guard {
            general: RateLimiter::keyed(Quota::per_minute(per_minute(
                security.rate_limit_per_minute,
                "security.rate_limit_per_minute",
            )?)),
            auth: RateLimiter::keyed(Quota::per_minute(per_minute(
                security.auth_rate_limit_per_minute,
                "security.auth_rate_limit_per_minute",
            )?)),
            trust_forwarded_for: security.trust_forwarded_for,
            trusted_origins,
            hsts: server.public_url.starts_with("https://"),
        }))
    }
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| {
        format!(
            "{}://{}",
            scheme.to_ascii_lowercase(),
            host.to_ascii_lowercase()
        )
    })
}

/// Records where the request came from ([`ClientInfo`] in the request extensions).
pub async fn client_info(
    State(guard): State<Arc<Guard>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let forwarded = guard
        .trust_forwarded_for
        .then(|| {
            request
                .headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                // The proxy appends the address it saw: the last entry is the one it vouches for.
                .and_then(|v| v.rsplit(',').next())
                .and_then(|ip| ip.trim().parse::<IpAddr>().ok())
        })
        .flatten();
    let user_agent = request
        .headers()
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(400).collect());
    request.extensions_mut().insert(ClientInfo {
        ip: forwarded.or(peer),
        user_agent,
    });
    next.run(request).await
}

/// Paths counted by the rate limiter: pages and the API, not static assets or probes.
fn rate_limited(path: &str) -> bool {
    !(path.starts_with("/pkg/")
        || path.starts_with("/icons/")
        || matches!(
            path,
            "/healthz"
                | "/readyz"
                | "/sw.js"
                | "/manifest.webmanifest"
                | "/offline.html"
                | "/offline.css"
        ))
}

/// The sign-in endpoints, limited more strictly.
fn is_auth_endpoint(path: &str) -> bool {
    path.starts_with("/auth/")
        || matches!(
            path,
            "/api/auth/login"
                | "/api/auth/second_factor"
                | "/api/auth/enrol_confirm"
                | "/api/auth/forgot"
                | "/api/auth/reset"
        )
}

/// 429 with `Retry-After` once a client exceeds its budget.
pub async fn rate_limit(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if !rate_limited(path) {
        return next.run(request).await;
    }
    let ip = request
        .extensions()
        .get::<ClientInfo>()
        .and_then(|c| c.ip)
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let verdict = if is_auth_endpoint(path) {
        guard
            .auth
            .check_key(&ip)
            .and_then(|()| guard.general.check_key(&ip))
    } else {
        guard.general.check_key(&ip)
    };
    match verdict {
        Ok(()) => next.run(request).await,
        Err(not_until) => {
            let wait = not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1);
            tracing::warn!(%ip, path, wait, "rate limit exceeded");
            (
                StatusCode::TOO_MANY_REQUESTS,
                [(RETRY_AFTER, wait.to_string())],
                "Too many requests. Please wait and try again.\n",
            )
                .into_response()
        }
    }
}

/// Refuses state-changing requests that carry cookies but come from another origin (CSRF).
/// Requests without cookies (API tokens, webhooks) carry no ambient authority to forge.
pub async fn csrf(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || !request.headers().contains_key(COOKIE) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let claimed = headers
        .get(ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| *o != "null")
        .map(str::to_owned)
        .or_else(|| {
            headers
                .get(REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(origin_of)
        });
    let own = headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .map(|h| h.to_ascii_lowercase());
    let allowed = claimed.as_deref().is_some_and(|origin| {
        let origin = origin.to_ascii_lowercase();
        let same_host = own.as_deref().is_some_and(|host| {
            origin == format!("http://{host}") || origin == format!("https://{host}")
        });
        same_host || guard.trusted_origins.contains(&origin)
    });
    if allowed {
        next.run(request).await
    } else {
        tracing::warn!(origin = ?claimed, path = %request.uri().path(), "cross-origin request refused");
        (StatusCode::FORBIDDEN, "Cross-origin request refused.\n").into_response()
    }
}

/// The CORS layer: only the configured origins, with credentials; none configured, none allowed.
pub fn cors(security: &SecuritySettings) -> CorsLayer {
    let origins: Vec<HeaderValue> = security
        .cors_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            CONTENT_TYPE,
            http::header::AUTHORIZATION,
            http::header::ACCEPT,
        ])
        .allow_credentials(true)
        .max_age(std::time::Duration::from_secs(600))
}

/// Headers every response gets. HTML pages bring their own CSP (with the page's nonce); others
/// get a strict default.
pub async fn headers(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        http::header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(CONTENT_SECURITY_POLICY) {
        h.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
            ),
        );
    }
    if guard.hsts {
        h.insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("https://Platform.HMF.ch/path?x"),
            Some("https://platform.hmf.ch".into())
        );
        assert_eq!(
            origin_of("http://127.0.0.1:3000"),
            Some("http://127.0.0.1:3000".into())
        );
        assert_eq!(origin_of("nonsense"), None);
    }

    #[test]
    fn auth_endpoints_and_free_paths() {
        assert!(is_auth_endpoint("/api/auth/login"));
        assert!(is_auth_endpoint("/auth/sso/callback"));
        assert!(!is_auth_endpoint("/api/auth/whoami"));
        assert!(!rate_limited("/pkg/app.123.wasm"));
        assert!(rate_limited("/ceo"));
    }
}
