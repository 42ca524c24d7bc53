//! Secrets at rest and opaque tokens: AES-256-GCM sealing, random tokens, SHA-256 digests.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// Why a secret could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// The master key is not 32 bytes of base64.
    #[error("the master key must be 32 bytes, base64-encoded")]
    BadMasterKey,
    /// Tampered, truncated, expired, or sealed for another purpose.
    #[error("sealed value rejected")]
    Rejected,
    /// The operating system's random source failed.
    #[error("no randomness available")]
    NoRandomness,
}

/// Fills a fresh array from the OS random source.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| CryptoError::NoRandomness)?;
    Ok(bytes)
}

/// A 256-bit random token, URL-safe (for cookies, links and API tokens).
pub fn random_token() -> Result<String, CryptoError> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// SHA-256 of a high-entropy token: what the database keeps instead of the token itself.
/// (A slow hash would add nothing: these tokens cannot be guessed.)
pub fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// SHA-256, hex-encoded (content hashes shown to people, e.g. signed terms).
pub fn hex_digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Compares secrets without leaking, through timing, where they first differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Encrypts small secrets with the server's master key: TOTP secrets and signing keys at rest,
/// and the short-lived state cookies of multi-step sign-ins.
#[derive(Clone)]
pub struct SecretBox {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(..)")
    }
}

/// A sealed value with its purpose and expiry inside the ciphertext.
#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    purpose: String,
    expires_at: i64,
    value: T,
}

impl SecretBox {
    /// From the base64 master key (32 bytes).
    pub fn from_base64(master_key: &str) -> Result<SecretBox, CryptoError> {
        let bytes = STANDARD
            .decode(master_key.trim())
            .map_err(|_| CryptoError::BadMasterKey)?;
        if bytes.len() != 32 {
            return Err(CryptoError::BadMasterKey);
        }
        Ok(SecretBox {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&bytes)),
        })
    }

    /// `nonce || ciphertext`; `context` is bound as associated data (a value encrypted for one
    /// column or purpose does not decrypt for another).
    pub fn encrypt(&self, plaintext: &[u8], context: &str) -> Result<Vec<u8>, CryptoError> {
        let nonce = random_bytes::<12>()?;
        let mut sealed = nonce.to_vec();
        let ciphertext = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Rejected)?;
        sealed.extend_from_slice(&ciphertext);
        Ok(sealed)
    }

    /// Reverses [`SecretBox::encrypt`].
    pub fn decrypt(&self, sealed: &[u8], context: &str) -> Result<Vec<u8>, CryptoError> {
        if sealed.len() < 12 + 16 {
            return Err(CryptoError::Rejected);
        }
        let (nonce, ciphertext) = sealed.split_at(12);
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Rejected)
    }

    /// Seals `value` into an opaque, URL-safe string valid for `ttl` and only for `purpose`.
    pub fn seal<T: Serialize>(
        &self,
        purpose: &str,
        ttl: time::Duration,
        value: &T,
    ) -> Result<String, CryptoError> {
        let envelope = Envelope {
            purpose: purpose.to_owned(),
            expires_at: (OffsetDateTime::now_utc() + ttl).unix_timestamp(),
            value,
        };
        let json = serde_json::to_vec(&envelope).map_err(|_| CryptoError::Rejected)?;
        Ok(URL_SAFE_NO_PAD.encode(self.encrypt(&json, purpose)?))
    }

    /// Opens a value sealed by [`SecretBox::seal`] for the same purpose, if it has not expired.
    pub fn open<T: DeserializeOwned>(&self, purpose: &str, sealed: &str) -> Result<T, CryptoError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(sealed.trim())
            .map_err(|_| CryptoError::Rejected)?;
        let json = self.decrypt(&bytes, purpose)?;
        let envelope: Envelope<T> =
            serde_json::from_slice(&json).map_err(|_| CryptoError::Rejected)?;
        if envelope.purpose != purpose
            || envelope.expires_at < OffsetDateTime::now_utc().unix_timestamp()
        {
            return Err(CryptoError::Rejected);
        }
        Ok(envelope.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sbox() -> SecretBox {
        SecretBox::from_base64(&STANDARD.encode([7u8; 32])).unwrap()
    }

    #[test]
    fn encrypts_with_context_binding() {
        let b = sbox();
        let sealed = b.encrypt(b"totp secret", "users.totp_secret").unwrap();
        assert_eq!(
            b.decrypt(&sealed, "users.totp_secret").unwrap(),
            b"totp secret"
        );
        assert!(b.decrypt(&sealed, "signing_keys.private_key").is_err());
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(b.decrypt(&tampered, "users.totp_secret").is_err());
        // Same plaintext, fresh nonce, different ciphertext.
        assert_ne!(
            sealed,
            b.encrypt(b"totp secret", "users.totp_secret").unwrap()
        );
    }

    #[test]
    fn sealed_values_check_purpose_and_expiry() {
        let b = sbox();
        let token = b.seal("mfa", time::Duration::minutes(5), &42u32).unwrap();
        assert_eq!(b.open::<u32>("mfa", &token).unwrap(), 42);
        assert!(b.open::<u32>("sso", &token).is_err());
        let expired = b.seal("mfa", time::Duration::seconds(-1), &42u32).unwrap();
        assert!(b.open::<u32>("mfa", &expired).is_err());
        assert!(b.open::<u32>("mfa", "not-base64!").is_err());
    }

    #[test]
    fn master_key_must_be_32_bytes() {
        assert!(SecretBox::from_base64(&STANDARD.encode([1u8; 16])).is_err());
        assert!(SecretBox::from_base64("%%%").is_err());
    }

    #[test]
    fn tokens_are_random_and_digests_stable() {
        let a = random_token().unwrap();
        assert_ne!(a, random_token().unwrap());
        assert_eq!(a.len(), 43);
        assert_eq!(digest("abc"), digest("abc"));
        assert_eq!(
            hex_digest(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
