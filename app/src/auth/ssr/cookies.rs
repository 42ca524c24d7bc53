//! The session cookies: names, attributes, parsing.

use http::header::COOKIE;
use http::{HeaderMap, HeaderValue};

/// The access token (JWT).
pub const ACCESS: &str = "up_at";
/// The refresh token (opaque, rotating).
pub const REFRESH: &str = "up_rt";
/// The pending second sign-in step (sealed, short-lived).
pub const MFA: &str = "up_mfa";
/// The pending single-sign-on round trip (sealed, short-lived).
pub const SSO: &str = "up_sso";

/// Reads cookie `name` from request headers.
pub fn read<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// An `HttpOnly`, `SameSite=Lax` cookie for the whole site; `Secure` outside plain-http dev.
pub fn set(name: &str, value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let cookie =
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Deletes cookie `name`.
pub fn clear(name: &str, secure: bool) -> HeaderValue {
    set(name, "", 0, secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, "lang=fr; up_at=abc.def".parse().unwrap());
        headers.append(COOKIE, "up_rt=xyz".parse().unwrap());
        assert_eq!(read(&headers, ACCESS), Some("abc.def"));
        assert_eq!(read(&headers, REFRESH), Some("xyz"));
        assert_eq!(read(&headers, MFA), None);
    }

    #[test]
    fn attributes() {
        let c = set(ACCESS, "t", 600, true);
        assert_eq!(
            c.to_str().unwrap(),
            "up_at=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=600; Secure"
        );
        assert!(!clear(REFRESH, false).to_str().unwrap().contains("Secure"));
    }
}
