//! Revolut Business: a company's connection (credentials stored sealed by the application's
//! secret box, tokens refreshed when needed), the API [`client`], and the synchronisation of
//! accounts and movements into the ledger ([`sync`](mod@sync)).

use sqlx::PgConnection;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::auth::ssr::crypto::SecretBox;
use crate::banking::{RevolutInput, RevolutStatus};
use crate::error::{AppError, FieldProblem};

pub mod client;
pub mod sync;

pub use client::{Client, RevolutError, Transaction};
pub use sync::{connected_companies, record, sync, undo_all, SyncReport};

/// Contexts the secrets are sealed for (a sealed value only opens in its own context).
const KEY_SEAL: &str = "revolut-private-key";
const TOKEN_SEAL: &str = "revolut-token";
const WEBHOOK_SEAL: &str = "revolut-webhook-secret";

/// A connection's stored settings, its secrets opened.
struct Connection {
    api_url: String,
    client_id: String,
    issuer: String,
    private_key: Vec<u8>,
    refresh_token: Option<String>,
    access_token: Option<String>,
    access_expires_at: Option<OffsetDateTime>,
    last_synced_at: Option<OffsetDateTime>,
}

fn open(
    secrets: &SecretBox,
    sealed: Option<&[u8]>,
    context: &str,
) -> Result<Option<Vec<u8>>, AppError> {
    sealed
        .map(|s| secrets.decrypt(s, context).map_err(|_| AppError::Internal))
        .transpose()
}

fn seal(secrets: &SecretBox, plain: &[u8], context: &str) -> Result<Vec<u8>, AppError> {
    secrets
        .encrypt(plain, context)
        .map_err(|_| AppError::Internal)
}

async fn load(
    conn: &mut PgConnection,
    secrets: &SecretBox,
    company_id: Uuid,
) -> Result<Connection, AppError> {
    let row = sqlx::query!(
        r#"SELECT api_url, client_id, issuer, private_key, refresh_token, access_token, access_expires_at, last_synced_at
           FROM bank_connections WHERE company_id = $1 FOR UPDATE"#,
        company_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let text = |v: Option<Vec<u8>>| v.and_then(|b| String::from_utf8(b).ok());
    Ok(Connection {
        api_url: row.api_url,
        client_id: row.client_id,
        issuer: row.issuer,
        private_key: open(secrets, Some(&row.private_key), KEY_SEAL)?.unwrap_or_default(),
        refresh_token: text(open(secrets, row.refresh_token.as_deref(), TOKEN_SEAL)?),
        access_token: text(open(secrets, row.access_token.as_deref(), TOKEN_SEAL)?),
        access_expires_at: row.access_expires_at,
        last_synced_at: row.last_synced_at,
    })
}

/// Stores a company's connection: the key and ids, and (with an authorization code) the tokens
/// the code is exchanged for. The caller checked the permission.
pub async fn connect(
    conn: &mut PgConnection,
    secrets: &SecretBox,
    input: &RevolutInput,
) -> Result<(), AppError> {
    let url = input.api_url.trim();
    if !(url.starts_with("https://")
        || url.starts_with("http://127.0.0.1")
        || url.starts_with("http://localhost"))
    {
        return Err(AppError::field("api_url", FieldProblem::Invalid));
    }
    if input.client_id.trim().is_empty() {
        return Err(AppError::field("client_id", FieldProblem::Required));
    }
    if input.issuer.trim().is_empty() {
        return Err(AppError::field("issuer", FieldProblem::Required));
    }
    let existing = sqlx::query!(
        "SELECT private_key FROM bank_connections WHERE company_id = $1 FOR UPDATE",
        input.company_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let pem: Vec<u8> = match (input.private_key_pem.trim(), &existing) {
        ("", Some(row)) => open(secrets, Some(&row.private_key), KEY_SEAL)?.unwrap_or_default(),
        ("", None) => return Err(AppError::field("private_key_pem", FieldProblem::Required)),
        (pem, _) => pem.as_bytes().to_vec(),
    };
    let client = Client::new(url, input.client_id.trim(), input.issuer.trim(), &pem)
        .map_err(|_| AppError::field("private_key_pem", FieldProblem::Invalid))?;
    let tokens = match input.authorization_code.trim() {
        "" => None,
        code => Some(
            client
                .token(&[("grant_type", "authorization_code"), ("code", code)])
                .await
                .map_err(|e| {
                    tracing::warn!(error = %e, "Revolut authorization");
                    AppError::field("authorization_code", FieldProblem::Invalid)
                })?,
        ),
    };
    if existing.is_none() && tokens.is_none() {
        return Err(AppError::field(
            "authorization_code",
            FieldProblem::Required,
        ));
    }
    let sealed_key = seal(secrets, &pem, KEY_SEAL)?;
    let access = tokens
        .as_ref()
        .map(|t| seal(secrets, t.access_token.as_bytes(), TOKEN_SEAL))
        .transpose()?;
    let refresh = tokens
        .as_ref()
        .and_then(|t| t.refresh_token.as_ref())
        .map(|r| seal(secrets, r.as_bytes(), TOKEN_SEAL))
        .transpose()?;
    let expires = tokens
        .as_ref()
        .map(|t| OffsetDateTime::now_utc() + Duration::seconds(t.expires_in - 60));
    let webhook = match input.webhook_secret.trim() {
        "" => None,
        secret => Some(seal(secrets, secret.as_bytes(), WEBHOOK_SEAL)?),
    };
    sqlx::query!(
        r#"INSERT INTO bank_connections (company_id, api_url, client_id, issuer, private_key, refresh_token,
                                         access_token, access_expires_at, webhook_secret)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (company_id) DO UPDATE SET api_url = EXCLUDED.api_url, client_id = EXCLUDED.client_id,
               issuer = EXCLUDED.issuer, private_key = EXCLUDED.private_key,
               refresh_token = COALESCE(EXCLUDED.refresh_token, bank_connections.refresh_token),
               access_token = COALESCE(EXCLUDED.access_token, bank_connections.access_token),
               access_expires_at = COALESCE(EXCLUDED.access_expires_at, bank_connections.access_expires_at),
               webhook_secret = COALESCE(EXCLUDED.webhook_secret, bank_connections.webhook_secret),
               last_error = NULL, updated_at = now()"#,
        input.company_id,
        url.trim_end_matches('/'),
        input.client_id.trim(),
        input.issuer.trim(),
        sealed_key,
        refresh,
        access,
        expires,
        webhook,
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The connection as the settings page shows it.
pub async fn status(
    conn: &mut PgConnection,
    company_id: Uuid,
    public_url: &str,
) -> Result<RevolutStatus, AppError> {
    let row = sqlx::query!(
        "SELECT api_url, client_id, last_synced_at, last_error FROM bank_connections WHERE company_id = $1",
        company_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(RevolutStatus {
        connected: row.is_some(),
        api_url: row.as_ref().map(|r| r.api_url.clone()).unwrap_or_default(),
        client_id: row
            .as_ref()
            .map(|r| r.client_id.clone())
            .unwrap_or_default(),
        last_synced_at: row
            .as_ref()
            .and_then(|r| r.last_synced_at)
            .and_then(|t| t.format(&Rfc3339).ok()),
        last_error: row.and_then(|r| r.last_error),
        webhook_url: format!("{public_url}/webhooks/revolut/{company_id}"),
    })
}

/// The company's webhook signing secret, when one is stored.
pub async fn webhook_secret(
    conn: &mut PgConnection,
    secrets: &SecretBox,
    company_id: Uuid,
) -> Result<Option<String>, AppError> {
    let row = sqlx::query_scalar!(
        "SELECT webhook_secret FROM bank_connections WHERE company_id = $1",
        company_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .flatten();
    Ok(open(secrets, row.as_deref(), WEBHOOK_SEAL)?.and_then(|b| String::from_utf8(b).ok()))
}

/// A valid access token: the stored one, or a fresh one from the refresh token (stored).
async fn access_token(
    conn: &mut PgConnection,
    secrets: &SecretBox,
    company_id: Uuid,
    c: &Connection,
    client: &Client,
) -> Result<String, AppError> {
    if let (Some(token), Some(until)) = (&c.access_token, c.access_expires_at) {
        if until > OffsetDateTime::now_utc() {
            return Ok(token.clone());
        }
    }
    let refresh = c.refresh_token.as_deref().ok_or(AppError::Conflict)?;
    let fresh = client
        .token(&[("grant_type", "refresh_token"), ("refresh_token", refresh)])
        .await?;
    let expires = OffsetDateTime::now_utc() + Duration::seconds(fresh.expires_in - 60);
    sqlx::query!(
        "UPDATE bank_connections SET access_token = $2, access_expires_at = $3, updated_at = now() WHERE company_id = $1",
        company_id,
        seal(secrets, fresh.access_token.as_bytes(), TOKEN_SEAL)?,
        expires
    )
    .execute(&mut *conn)
    .await?;
    Ok(fresh.access_token)
}

/// A company's Revolut client with a valid access token, for actions such as transfers.
pub async fn session(
    conn: &mut PgConnection,
    secrets: &SecretBox,
    company_id: Uuid,
) -> Result<(Client, String), AppError> {
    let c = load(conn, secrets, company_id).await?;
    let client = Client::new(&c.api_url, &c.client_id, &c.issuer, &c.private_key)?;
    let access = access_token(conn, secrets, company_id, &c, &client).await?;
    Ok((client, access))
}
