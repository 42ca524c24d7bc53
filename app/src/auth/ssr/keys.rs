//! JWT signing keys (Ed25519) with rotation, and access-token signing and verification.
//!
//! Keys live in `signing_keys` (private halves encrypted), so every server instance signs and
//! verifies with the same set. A key signs for `rotation` and keeps verifying for one access-token
//! lifetime after that, so rotating never logs anyone out. The newest signing key signs.

use std::sync::{Arc, RwLock};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::jwk::{Jwk, JwkSet, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::crypto::{random_bytes, SecretBox};
use super::db::{begin, Scope};
use crate::error::AppError;

/// The `iss` and `aud` of our access tokens.
pub const ISSUER: &str = "unified-platform";

/// PKCS#8 v1 prefix for a raw 32-byte Ed25519 seed (RFC 8410).
const ED25519_PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

const PRIVATE_KEY_CONTEXT: &str = "signing_keys.private_key";

/// What an access token says.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessClaims {
    /// The user id.
    pub sub: Uuid,
    /// The session id (checked against the database on every request, so logout is immediate).
    pub sid: Uuid,
    /// Issued at (unix seconds).
    pub iat: i64,
    /// Expires at (unix seconds).
    pub exp: i64,
    /// Always [`ISSUER`].
    pub iss: String,
    /// Always [`ISSUER`].
    pub aud: String,
}

struct LiveKey {
    kid: String,
    encoding: Option<EncodingKey>,
    decoding: DecodingKey,
    public_x: String,
    sign_until: OffsetDateTime,
}

/// The keys currently able to verify, and the one that signs.
#[derive(Default)]
struct Snapshot {
    keys: Vec<LiveKey>,
}

/// Signing keys shared by all requests; reloaded from the database by [`KeyRing::refresh`].
pub struct KeyRing {
    snapshot: RwLock<Arc<Snapshot>>,
    secrets: SecretBox,
    access_ttl: Duration,
    rotation: Duration,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRing").finish_non_exhaustive()
    }
}

/// Why a token was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    /// Bad signature, unknown or missing `kid`, wrong algorithm, issuer or audience, malformed.
    #[error("invalid token")]
    Invalid,
    /// Well-formed and genuine, but past its expiry.
    #[error("expired token")]
    Expired,
}

impl KeyRing {
    /// An empty ring; call [`KeyRing::refresh`] before use.
    pub fn new(secrets: SecretBox, access_ttl: Duration, rotation: Duration) -> KeyRing {
        KeyRing {
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            secrets,
            access_ttl,
            rotation,
        }
    }

    fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .map(|s| s.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    /// Reloads the keys from the database, creating the next signing key when the current one
    /// is about to stop signing.
    pub async fn refresh(&self, pool: &PgPool) -> Result<(), AppError> {
        let mut keys = load(pool, &self.secrets).await?;
        let now = OffsetDateTime::now_utc();
        // The successor is created while the current key still signs, so there is never a
        // moment without a signing key; from then on the newest key signs.
        let horizon = now + self.access_ttl * 2;
        if !keys
            .iter()
            .any(|k| k.sign_until > horizon && k.encoding.is_some())
        {
            self.create_key(pool, now).await?;
            keys = load(pool, &self.secrets).await?;
        }
        let fresh = Arc::new(Snapshot { keys });
        match self.snapshot.write() {
            Ok(mut guard) => *guard = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(())
    }

    /// Starts signing with a new key now; older keys keep verifying until their tokens expire.
    pub async fn rotate(&self, pool: &PgPool) -> Result<String, AppError> {
        let now = OffsetDateTime::now_utc();
        let mut tx = begin(pool, &Scope::system()).await?;
        sqlx::query!(
            "UPDATE signing_keys SET sign_until = $1 WHERE sign_until > $1",
            now
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let kid = self.create_key(pool, now).await?;
        self.refresh(pool).await?;
        Ok(kid)
    }

    async fn create_key(&self, pool: &PgPool, now: OffsetDateTime) -> Result<String, AppError> {
        let seed = random_bytes::<32>().map_err(|_| AppError::Internal)?;
        let mut pkcs8 = ED25519_PKCS8_PREFIX.to_vec();
        pkcs8.extend_from_slice(&seed);
        let encoding = EncodingKey::from_ed_der(&pkcs8);
        let public = public_x(&encoding)?;
        let public_raw = URL_SAFE_NO_PAD
            .decode(&public)
            .map_err(|_| AppError::Internal)?;
        let kid = Uuid::new_v4().simple().to_string();
        let sealed = self
            .secrets
            .encrypt(&pkcs8, PRIVATE_KEY_CONTEXT)
            .map_err(|_| AppError::Internal)?;
        let sign_until = now + self.rotation;
        // Verification outlives signing by one token lifetime plus clock-skew margin.
        let verify_until = sign_until + self.access_ttl + Duration::minutes(5);
        let mut tx = begin(pool, &Scope::system()).await?;
        sqlx::query!(
            r#"INSERT INTO signing_keys (kid, algorithm, private_key, public_key, created_at, sign_until, verify_until)
               VALUES ($1, 'EdDSA', $2, $3, $4, $5, $6)"#,
            kid,
            sealed,
            public_raw,
            now,
            sign_until,
            verify_until,
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(%kid, "created a JWT signing key");
        Ok(kid)
    }

    /// Signs an access token for `session` of `user`, with the newest signing key.
    pub fn issue(&self, user: Uuid, session: Uuid) -> Result<(String, AccessClaims), AppError> {
        let snapshot = self.current();
        let now = OffsetDateTime::now_utc();
        let key = snapshot
            .keys
            .iter()
            .filter(|k| k.sign_until > now && k.encoding.is_some())
            .max_by_key(|k| k.sign_until)
            .ok_or(AppError::Unavailable)?;
        let claims = AccessClaims {
            sub: user,
            sid: session,
            iat: now.unix_timestamp(),
            exp: (now + self.access_ttl).unix_timestamp(),
            iss: ISSUER.to_owned(),
            aud: ISSUER.to_owned(),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(key.kid.clone());
        let encoding = key.encoding.as_ref().ok_or(AppError::Internal)?;
        let token = jsonwebtoken::encode(&header, &claims, encoding).map_err(|error| {
            tracing::error!(%error, "signing an access token");
            AppError::Internal
        })?;
        Ok((token, claims))
    }

    /// Verifies an access token: `kid` known, EdDSA only (never `none`), signature, issuer,
    /// audience and expiry.
    pub fn verify(&self, token: &str) -> Result<AccessClaims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid)?;
        if header.alg != Algorithm::EdDSA {
            return Err(TokenError::Invalid);
        }
        let kid = header.kid.ok_or(TokenError::Invalid)?;
        let snapshot = self.current();
        let key = snapshot
            .keys
            .iter()
            .find(|k| k.kid == kid)
            .ok_or(TokenError::Invalid)?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        jsonwebtoken::decode::<AccessClaims>(token, &key.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })
    }

    /// The public keys, as a JSON Web Key Set (served at `/.well-known/jwks.json`).
    pub fn jwks(&self) -> JwkSet {
        use jsonwebtoken::jwk::{
            AlgorithmParameters, CommonParameters, EllipticCurve, OctetKeyPairParameters,
            OctetKeyPairType,
        };
        let snapshot = self.current();
        let keys = snapshot
            .keys
            .iter()
            .map(|k| Jwk {
                common: CommonParameters {
                    public_key_use: Some(PublicKeyUse::Signature),
                    key_id: Some(k.kid.clone()),
                    key_algorithm: Some(KeyAlgorithm::EdDSA),
                    ..Default::default()
                },
                algorithm: AlgorithmParameters::OctetKeyPair(OctetKeyPairParameters {
                    key_type: OctetKeyPairType::OctetKeyPair,
                    curve: EllipticCurve::Ed25519,
                    x: k.public_x.clone(),
                }),
            })
            .collect();
        JwkSet { keys }
    }

    /// The ids of the keys that currently verify (newest first).
    pub fn kids(&self) -> Vec<String> {
        let snapshot = self.current();
        let mut keys: Vec<_> = snapshot.keys.iter().collect();
        keys.sort_by_key(|k| std::cmp::Reverse(k.sign_until));
        keys.into_iter().map(|k| k.kid.clone()).collect()
    }
}

fn public_x(encoding: &EncodingKey) -> Result<String, AppError> {
    let jwk = Jwk::from_encoding_key(encoding, Algorithm::EdDSA).map_err(|_| AppError::Internal)?;
    match jwk.algorithm {
        jsonwebtoken::jwk::AlgorithmParameters::OctetKeyPair(params) => Ok(params.x),
        _ => Err(AppError::Internal),
    }
}

async fn load(pool: &PgPool, secrets: &SecretBox) -> Result<Vec<LiveKey>, AppError> {
    let mut tx = begin(pool, &Scope::system()).await?;
    let rows = sqlx::query!(
        r#"SELECT kid, private_key, public_key, sign_until
           FROM signing_keys WHERE verify_until > now() ORDER BY sign_until DESC"#
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let now = OffsetDateTime::now_utc();
    let mut keys = Vec::with_capacity(rows.len());
    for row in rows {
        let x = URL_SAFE_NO_PAD.encode(&row.public_key);
        let decoding = DecodingKey::from_ed_components(&x).map_err(|_| AppError::Internal)?;
        // Only keys still signing need their private half in memory.
        let encoding = if row.sign_until > now {
            match secrets.decrypt(&row.private_key, PRIVATE_KEY_CONTEXT) {
                Ok(der) => Some(EncodingKey::from_ed_der(&der)),
                Err(_) => {
                    tracing::error!(kid = %row.kid, "cannot decrypt a signing key: wrong master key?");
                    None
                }
            }
        } else {
            None
        };
        keys.push(LiveKey {
            kid: row.kid,
            encoding,
            decoding,
            public_x: x,
            sign_until: row.sign_until,
        });
    }
    Ok(keys)
}
