//! Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s) and recovery codes.

use sqlx::PgConnection;
use time::OffsetDateTime;
use totp_rs::{Algorithm, Secret, TOTP};
use uuid::Uuid;

use super::crypto::{constant_time_eq, digest, random_bytes, SecretBox};
use crate::error::AppError;

const STEP: u64 = 30;
const DIGITS: usize = 6;
const SECRET_CONTEXT: &str = "users.totp_secret";
/// How many recovery codes a user gets.
pub const RECOVERY_CODES: usize = 10;

/// A new secret, what the authenticator app needs to add it, and the QR code of that.
#[derive(Debug)]
pub struct Enrolment {
    /// 20 random bytes (RFC 4226's recommended length).
    pub secret: Vec<u8>,
    /// Base32, for typing into an authenticator by hand.
    pub secret_base32: String,
    /// `otpauth://` URI (what the QR code holds).
    pub uri: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
}

/// Creates a secret for `account` (the email shown in the authenticator app).
pub fn new_enrolment(account: &str) -> Result<Enrolment, AppError> {
    let secret = random_bytes::<20>()
        .map_err(|_| AppError::Internal)?
        .to_vec();
    let secret_base32 = match Secret::Raw(secret.clone()).to_encoded() {
        Secret::Encoded(s) => s,
        Secret::Raw(_) => return Err(AppError::Internal),
    };
    let issuer = "Unified Platform";
    let uri = format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP}",
        encode(issuer),
        encode(account),
        secret_base32,
        encode(issuer),
    );
    let qr = qrcode::QrCode::new(uri.as_bytes()).map_err(|_| AppError::Internal)?;
    let qr_svg = qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok(Enrolment {
        secret,
        secret_base32,
        uri,
        qr_svg,
    })
}

/// Percent-encodes a label for the `otpauth` URI.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn totp(secret: &[u8]) -> Result<TOTP, AppError> {
    TOTP::new(Algorithm::SHA1, DIGITS, 1, STEP, secret.to_vec()).map_err(|_| AppError::Internal)
}

/// The code for `secret` at time step `step` (for tests and the demo banner).
pub fn code_at_step(secret: &[u8], step: u64) -> Result<String, AppError> {
    Ok(totp(secret)?.generate(step * STEP))
}

/// The current time step.
pub fn current_step() -> u64 {
    OffsetDateTime::now_utc().unix_timestamp().max(0) as u64 / STEP
}

/// Finds the step (now ±1, for clock drift) whose code is `code`, refusing any step at or before
/// `last_used`: a code is accepted once, even within its validity window.
pub fn matching_step(
    secret: &[u8],
    code: &str,
    last_used: Option<i64>,
) -> Result<Option<i64>, AppError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let totp = totp(secret)?;
    let now = current_step();
    for step in [now.saturating_sub(1), now, now + 1] {
        let as_i64 = step as i64;
        if last_used.is_some_and(|last| as_i64 <= last) {
            continue;
        }
        if constant_time_eq(totp.generate(step * STEP).as_bytes(), code.as_bytes()) {
            return Ok(Some(as_i64));
        }
    }
    Ok(None)
}

/// Encrypts a secret for the `users` table.
pub fn seal_secret(secrets: &SecretBox, secret: &[u8]) -> Result<Vec<u8>, AppError> {
    secrets
        .encrypt(secret, SECRET_CONTEXT)
        .map_err(|_| AppError::Internal)
}

/// Decrypts a secret from the `users` table.
pub fn open_secret(secrets: &SecretBox, sealed: &[u8]) -> Result<Vec<u8>, AppError> {
    secrets
        .decrypt(sealed, SECRET_CONTEXT)
        .map_err(|_| AppError::Internal)
}

/// Recovery codes look like `k7q2-m9xa-3t`: 10 characters from an alphabet without look-alikes.
fn new_recovery_code() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let bytes = random_bytes::<10>().map_err(|_| AppError::Internal)?;
    let chars: String = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    Ok(format!("{}-{}-{}", &chars[..4], &chars[4..8], &chars[8..]))
}

fn normalise_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Replaces the user's recovery codes; returns the new ones (shown once, stored hashed).
pub async fn replace_recovery_codes(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Vec<String>, AppError> {
    sqlx::query!("DELETE FROM recovery_codes WHERE user_id = $1", user_id)
        .execute(&mut *conn)
        .await?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let code = new_recovery_code()?;
        sqlx::query!(
            "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            user_id,
            digest(&normalise_recovery(&code)),
        )
        .execute(&mut *conn)
        .await?;
        codes.push(code);
    }
    Ok(codes)
}

/// Uses up a recovery code; true when it was valid and unused.
pub async fn use_recovery_code(
    conn: &mut PgConnection,
    user_id: Uuid,
    code: &str,
) -> Result<bool, AppError> {
    let normalised = normalise_recovery(code);
    if normalised.len() != 10 {
        return Ok(false);
    }
    let used = sqlx::query!(
        "UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
        user_id,
        digest(&normalised),
    )
    .execute(conn)
    .await?;
    Ok(used.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_vector() {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits) ends in 287082.
        let secret = b"12345678901234567890";
        assert_eq!(code_at_step(secret, 59 / STEP).unwrap(), "287082");
    }

    #[test]
    fn a_code_is_accepted_once() {
        let secret = random_bytes::<20>().unwrap();
        let now = current_step();
        let code = code_at_step(&secret, now).unwrap();
        let step = matching_step(&secret, &code, None).unwrap();
        assert_eq!(step, Some(now as i64));
        assert_eq!(
            matching_step(&secret, &code, step).unwrap(),
            None,
            "replay refused"
        );
        let wrong = if code == "000000" { "111111" } else { "000000" };
        assert_eq!(matching_step(&secret, wrong, None).unwrap(), None);
        assert_eq!(matching_step(&secret, "12ab56", None).unwrap(), None);
    }

    #[test]
    fn enrolment_produces_a_scannable_uri() {
        let e = new_enrolment("ceo@hmf.ch").unwrap();
        assert!(e
            .uri
            .starts_with("otpauth://totp/Unified%20Platform:ceo@hmf.ch?secret="));
        assert!(e.qr_svg.contains("<svg"));
        assert_eq!(e.secret.len(), 20);
    }

    #[test]
    fn recovery_codes_normalise() {
        let code = new_recovery_code().unwrap();
        assert_eq!(code.len(), 12);
        assert_eq!(
            normalise_recovery(&code.to_uppercase()),
            normalise_recovery(&code)
        );
        assert_eq!(normalise_recovery(" ab12-cd34-ef "), "ab12cd34ef");
    }
}
