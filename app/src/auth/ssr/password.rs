//! Password hashing (argon2id) and the password policy.
//!
//! Hashing costs tens of milliseconds of CPU on purpose, so it runs on the blocking pool rather
//! than on the async worker threads that serve everyone else's requests.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use super::crypto::random_bytes;
use crate::error::{AppError, FieldProblem};

/// Shortest accepted password.
pub const MIN_LENGTH: usize = 12;
/// Longest accepted password (bounds the hashing work an attacker can request).
pub const MAX_LENGTH: usize = 128;

/// OWASP's argon2id recommendation: 19 MiB, 2 passes, 1 lane.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A new password is checked against the policy before it is hashed.
pub fn check_policy(field: &str, password: &str) -> Result<(), AppError> {
    let length = password.chars().count();
    if length == 0 {
        return Err(AppError::field(field, FieldProblem::Required));
    }
    if length < MIN_LENGTH {
        return Err(AppError::field(
            field,
            FieldProblem::TooShort {
                min: MIN_LENGTH as u32,
            },
        ));
    }
    if length > MAX_LENGTH {
        return Err(AppError::field(
            field,
            FieldProblem::TooLong {
                max: MAX_LENGTH as u32,
            },
        ));
    }
    Ok(())
}

/// Hashes `password` into a PHC string.
pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&random_bytes::<16>().map_err(|_| AppError::Internal)?)
            .map_err(|_| AppError::Internal)?;
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|_| AppError::Internal)
    })
    .await
    .map_err(|_| AppError::Internal)?
}

/// Checks `password` against a stored hash. With no stored hash (unknown user, SSO-only account)
/// it still does the full work against `decoy`, so timing does not reveal which accounts exist.
pub async fn verify(password: String, stored: Option<String>, decoy: &str) -> bool {
    let known = stored.is_some();
    let stored = stored.unwrap_or_else(|| decoy.to_owned());
    let matches = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|parsed| {
                hasher()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false);
    known && matches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ_per_salt() {
        let a = hash("correct horse battery".into()).await.unwrap();
        let b = hash("correct horse battery".into()).await.unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(verify("correct horse battery".into(), Some(a.clone()), &b).await);
        assert!(!verify("wrong horse battery".into(), Some(a.clone()), &b).await);
        // The decoy never grants access, even when the password matches it.
        assert!(!verify("correct horse battery".into(), None, &a).await);
    }

    #[test]
    fn policy_reports_the_field_and_the_bound() {
        assert_eq!(
            check_policy("new_password", "short"),
            Err(AppError::field(
                "new_password",
                FieldProblem::TooShort { min: 12 }
            ))
        );
        assert_eq!(
            check_policy("p", ""),
            Err(AppError::field("p", FieldProblem::Required))
        );
        assert!(check_policy("p", &"x".repeat(129)).is_err());
        assert!(check_policy("p", "twelve chars").is_ok());
    }
}
