//! Single sign-on with OpenID Connect: authorization code flow with PKCE (S256), random `state`
//! and `nonce`, and a fully checked ID token (signature, issuer, audience, expiry, nonce).

use std::time::{Duration as StdDuration, Instant};

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

use super::crypto::constant_time_eq;
use super::settings::SsoSettings;

/// Provider metadata (and its signing keys) is re-read this often.
const METADATA_TTL: StdDuration = StdDuration::from_secs(3600);

/// Why a single sign-on attempt failed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SsoError {
    /// The provider could not be reached or its discovery document is unusable.
    #[error("provider unavailable: {0}")]
    Provider(String),
    /// The `state` returned does not match the one we sent (forged or replayed callback).
    #[error("state mismatch")]
    State,
    /// The provider refused to exchange the code.
    #[error("code exchange refused: {0}")]
    Exchange(String),
    /// The token response carried no ID token.
    #[error("no ID token")]
    MissingIdToken,
    /// The ID token's nonce is not ours.
    #[error("nonce mismatch")]
    Nonce,
    /// The ID token was issued for another client.
    #[error("audience mismatch")]
    Audience,
    /// Bad signature, issuer, expiry or shape.
    #[error("invalid ID token: {0}")]
    IdToken(String),
    /// The provider did not vouch for the email address.
    #[error("email not verified")]
    EmailNotVerified,
}

/// What we keep (sealed in a cookie) between sending the browser away and its return.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SsoState {
    /// The `state` sent to the provider.
    pub state: String,
    /// The `nonce` the ID token must carry.
    pub nonce: String,
    /// The PKCE verifier whose S256 challenge was sent.
    pub pkce_verifier: String,
    /// Where to go after signing in (a local path).
    pub next: String,
}

/// Tokens from the code exchange.
#[derive(Clone, Debug)]
pub struct Exchanged {
    /// The raw (still unverified) ID token.
    pub id_token: String,
    /// The access token (only used for the userinfo endpoint).
    pub access_token: String,
}

/// The verified claims of an ID token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdClaims {
    /// Issuer URL.
    pub issuer: String,
    /// Subject.
    pub subject: String,
    /// Email, when the provider put it in the ID token.
    pub email: Option<String>,
    /// Whether the provider verified that email.
    pub email_verified: Option<bool>,
}

/// The identity the provider vouched for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedIdentity {
    /// Issuer URL.
    pub issuer: String,
    /// Subject (the provider's stable user id).
    pub subject: String,
    /// Verified email address, lowercased.
    pub email: String,
}

/// A client configured from discovered metadata (authorization and token endpoints set).
type ProviderClient = openidconnect::Client<
    openidconnect::EmptyAdditionalClaims,
    openidconnect::core::CoreAuthDisplay,
    openidconnect::core::CoreGenderClaim,
    openidconnect::core::CoreJweContentEncryptionAlgorithm,
    openidconnect::core::CoreJsonWebKey,
    openidconnect::core::CoreAuthPrompt,
    openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    openidconnect::core::CoreTokenResponse,
    openidconnect::core::CoreTokenIntrospectionResponse,
    openidconnect::core::CoreRevocableToken,
    openidconnect::core::CoreRevocationErrorResponse,
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

/// The configured OpenID Provider.
pub struct SsoClient {
    settings: SsoSettings,
    issuer: IssuerUrl,
    redirect: RedirectUrl,
    http: openidconnect::reqwest::Client,
    metadata: RwLock<Option<(Instant, CoreProviderMetadata)>>,
}

impl std::fmt::Debug for SsoClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoClient")
            .field("issuer", &self.settings.issuer_url)
            .field("client_id", &self.settings.client_id)
            .finish_non_exhaustive()
    }
}

impl SsoClient {
    /// A client for `settings`; `public_url` is where the provider sends the browser back.
    pub fn new(settings: SsoSettings, public_url: &str) -> Result<SsoClient, String> {
        let issuer = IssuerUrl::new(settings.issuer_url.clone()).map_err(|e| e.to_string())?;
        let redirect = RedirectUrl::new(format!("{public_url}/auth/sso/callback"))
            .map_err(|e| e.to_string())?;
        let http = openidconnect::reqwest::Client::builder()
            // The provider must not bounce our back-channel calls elsewhere (SSRF).
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(StdDuration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(SsoClient {
            settings,
            issuer,
            redirect,
            http,
            metadata: RwLock::new(None),
        })
    }

    /// The provider's name for the sign-in button.
    pub fn display_name(&self) -> &str {
        &self.settings.display_name
    }

    async fn metadata(&self) -> Result<CoreProviderMetadata, SsoError> {
        if let Some((fetched, metadata)) = self.metadata.read().await.as_ref() {
            if fetched.elapsed() < METADATA_TTL {
                return Ok(metadata.clone());
            }
        }
        let metadata = CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| SsoError::Provider(e.to_string()))?;
        *self.metadata.write().await = Some((Instant::now(), metadata.clone()));
        Ok(metadata)
    }

    fn client_for(&self, metadata: CoreProviderMetadata, client_id: &str) -> ProviderClient {
        CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(client_id.to_owned()),
            self.settings
                .client_secret
                .as_ref()
                .map(|s| ClientSecret::new(s.expose_secret().to_owned())),
        )
        .set_redirect_uri(self.redirect.clone())
    }

    /// The provider URL to send the browser to, and the state to keep until it comes back.
    pub async fn start(&self, next: &str) -> Result<(String, SsoState), SsoError> {
        let client = self.client_for(self.metadata().await?, &self.settings.client_id);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .set_pkce_challenge(challenge)
            .url();
        Ok((
            url.to_string(),
            SsoState {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
                next: next.to_owned(),
            },
        ))
    }

    /// Checks the returned `state`, then exchanges the code (with the PKCE verifier) for tokens.
    pub async fn exchange(
        &self,
        kept: &SsoState,
        state: &str,
        code: &str,
    ) -> Result<Exchanged, SsoError> {
        if !constant_time_eq(kept.state.as_bytes(), state.as_bytes()) {
            return Err(SsoError::State);
        }
        let client = self.client_for(self.metadata().await?, &self.settings.client_id);
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| SsoError::Exchange(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(kept.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| SsoError::Exchange(e.to_string()))?;
        let id_token = response.id_token().ok_or(SsoError::MissingIdToken)?;
        Ok(Exchanged {
            id_token: id_token.to_string(),
            access_token: response.access_token().secret().clone(),
        })
    }

    /// Verifies a raw ID token for our client id and `nonce`.
    pub async fn verify(&self, raw: &str, nonce: &str) -> Result<IdClaims, SsoError> {
        self.verify_for(raw, nonce, &self.settings.client_id).await
    }

    /// Verifies a raw ID token as if we were `client_id` (tests use this to check that a token
    /// minted for one client is refused by another).
    pub async fn verify_for(
        &self,
        raw: &str,
        nonce: &str,
        client_id: &str,
    ) -> Result<IdClaims, SsoError> {
        use openidconnect::ClaimsVerificationError as E;
        let client = self.client_for(self.metadata().await?, client_id);
        let token: CoreIdToken = raw
            .parse()
            .map_err(|e: serde_json::Error| SsoError::IdToken(e.to_string()))?;
        let claims = token
            .claims(&client.id_token_verifier(), &Nonce::new(nonce.to_owned()))
            .map_err(|e| match e {
                E::InvalidNonce(_) => SsoError::Nonce,
                E::InvalidAudience(_) => SsoError::Audience,
                other => SsoError::IdToken(other.to_string()),
            })?;
        Ok(IdClaims {
            issuer: claims.issuer().as_str().to_owned(),
            subject: claims.subject().as_str().to_owned(),
            email: claims.email().map(|e| e.as_str().to_owned()),
            email_verified: claims.email_verified(),
        })
    }

    /// The verified identity behind exchanged tokens. The email comes from the ID token, or, when
    /// the provider keeps it out of the ID token, from its userinfo endpoint (for the same subject).
    pub async fn identity(
        &self,
        tokens: &Exchanged,
        nonce: &str,
    ) -> Result<VerifiedIdentity, SsoError> {
        let claims = self.verify(&tokens.id_token, nonce).await?;
        let (email, verified) = match (claims.email.clone(), claims.email_verified) {
            (Some(email), Some(verified)) => (email, verified),
            _ => {
                let client = self.client_for(self.metadata().await?, &self.settings.client_id);
                let info: openidconnect::core::CoreUserInfoClaims = client
                    .user_info(
                        openidconnect::AccessToken::new(tokens.access_token.clone()),
                        Some(openidconnect::SubjectIdentifier::new(
                            claims.subject.clone(),
                        )),
                    )
                    .map_err(|e| SsoError::Provider(e.to_string()))?
                    .request_async(&self.http)
                    .await
                    .map_err(|e| SsoError::Provider(e.to_string()))?;
                (
                    info.email()
                        .map(|e| e.as_str().to_owned())
                        .ok_or(SsoError::EmailNotVerified)?,
                    info.email_verified().unwrap_or(false),
                )
            }
        };
        if !verified {
            return Err(SsoError::EmailNotVerified);
        }
        Ok(VerifiedIdentity {
            issuer: claims.issuer,
            subject: claims.subject,
            email: email.trim().to_lowercase(),
        })
    }
}
