//! Revolut Business: the API client (OAuth with a signed client assertion, token refresh,
//! accounts, transactions) and the synchronisation of a company's accounts and movements into
//! the ledger. Credentials are stored sealed by the application's secret box.

use serde::Deserialize;
use sqlx::{PgConnection, PgPool};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::{allocate, reconcile};
use crate::auth::ssr::crypto::SecretBox;
use crate::auth::ssr::{begin, Scope};
use crate::banking::{RevolutInput, RevolutStatus};
use crate::domain::reference::{compact, qrr_is_valid, scor_is_valid};
use crate::error::{AppError, FieldProblem};

/// Contexts the secrets are sealed for (a sealed value only opens in its own context).
const KEY_SEAL: &str = "revolut-private-key";
const TOKEN_SEAL: &str = "revolut-token";
const WEBHOOK_SEAL: &str = "revolut-webhook-secret";
/// Transactions per page (the API's maximum).
const PAGE: usize = 1000;
/// A sync starts this far before the last one (late state changes, clock skew).
const OVERLAP: Duration = Duration::days(3);

/// A failure talking to Revolut (kept as the connection's last error; never shown raw to clients).
#[derive(Debug, thiserror::Error)]
pub enum RevolutError {
    /// The HTTP exchange failed.
    #[error("Revolut could not be reached: {0}")]
    Http(String),
    /// Revolut answered with an error.
    #[error("Revolut answered {status}: {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// Its message.
        message: String,
    },
    /// The stored credentials cannot be used.
    #[error("the Revolut credentials are not usable: {0}")]
    Credentials(String),
}

impl From<RevolutError> for AppError {
    fn from(error: RevolutError) -> Self {
        tracing::warn!(%error, "Revolut");
        AppError::Unavailable
    }
}

#[derive(Debug, Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: i64,
    refresh_token: Option<String>,
}

/// An account, as `GET /accounts` lists it.
#[derive(Clone, Debug, Deserialize)]
pub struct Account {
    /// Revolut's id.
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Balance.
    pub balance: f64,
    /// Currency.
    pub currency: String,
    /// `active` or `inactive`.
    pub state: String,
}

/// Bank details of an account.
#[derive(Clone, Debug, Deserialize)]
pub struct BankDetails {
    /// IBAN, when it has one.
    #[serde(default)]
    pub iban: Option<String>,
}

/// A transaction leg.
#[derive(Clone, Debug, Deserialize)]
pub struct Leg {
    /// Leg id.
    pub leg_id: String,
    /// Signed amount (negative: out).
    pub amount: f64,
    /// Currency.
    pub currency: String,
    /// Account.
    pub account_id: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
}

/// A merchant (card payments).
#[derive(Clone, Debug, Deserialize)]
pub struct Merchant {
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
}

/// A transaction, as `GET /transactions` and the webhook give it.
#[derive(Clone, Debug, Deserialize)]
pub struct Transaction {
    /// Id.
    pub id: String,
    /// Type.
    #[serde(rename = "type")]
    pub kind: String,
    /// State: created, pending, completed, declined, failed, reverted.
    pub state: String,
    /// Created.
    pub created_at: String,
    /// Completed.
    #[serde(default)]
    pub completed_at: Option<String>,
    /// The payment's reference.
    #[serde(default)]
    pub reference: Option<String>,
    /// Legs (one per account it touches).
    pub legs: Vec<Leg>,
    /// Merchant.
    #[serde(default)]
    pub merchant: Option<Merchant>,
}

/// The client of one company's connection.
pub struct Client {
    http: reqwest::Client,
    api_url: String,
    client_id: String,
    issuer: String,
    key: jsonwebtoken::EncodingKey,
}

fn http_error(e: reqwest::Error) -> RevolutError {
    RevolutError::Http(e.without_url().to_string())
}

async fn checked(response: reqwest::Response) -> Result<reqwest::Response, RevolutError> {
    if response.status().is_success() {
        return Ok(response);
    }
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    let message = body["message"]
        .as_str()
        .or_else(|| body["error_description"].as_str())
        .unwrap_or("error")
        .chars()
        .take(200)
        .collect();
    Err(RevolutError::Api { status, message })
}

impl Client {
    /// A client for `api_url` (e.g. `https://b2b.revolut.com/api/1.0`).
    pub fn new(
        api_url: &str,
        client_id: &str,
        issuer: &str,
        private_key_pem: &[u8],
    ) -> Result<Client, RevolutError> {
        let key = jsonwebtoken::EncodingKey::from_rsa_pem(private_key_pem).map_err(|_| {
            RevolutError::Credentials("the private key is not an RSA key in PEM".into())
        })?;
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .map_err(http_error)?;
        Ok(Client {
            http,
            api_url: api_url.trim_end_matches('/').to_owned(),
            client_id: client_id.to_owned(),
            issuer: issuer.to_owned(),
            key,
        })
    }

    /// The client assertion: a short-lived JWT signed RS256 with the company's key.
    fn assertion(&self) -> Result<String, RevolutError> {
        let claims = serde_json::json!({
            "iss": self.issuer,
            "sub": self.client_id,
            "aud": "https://revolut.com",
            "exp": (OffsetDateTime::now_utc() + Duration::minutes(5)).unix_timestamp(),
        });
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256),
            &claims,
            &self.key,
        )
        .map_err(|e| RevolutError::Credentials(e.to_string()))
    }

    async fn token(&self, grant: &[(&str, &str)]) -> Result<TokenResponse, RevolutError> {
        let assertion = self.assertion()?;
        let mut form: Vec<(&str, &str)> = grant.to_vec();
        form.push((
            "client_assertion_type",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ));
        form.push(("client_assertion", &assertion));
        let response = self
            .http
            .post(format!("{}/auth/token", self.api_url))
            .form(&form)
            .send()
            .await
            .map_err(http_error)?;
        checked(response).await?.json().await.map_err(http_error)
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        access: &str,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, RevolutError> {
        let response = self
            .http
            .get(format!("{}{path}", self.api_url))
            .bearer_auth(access)
            .query(query)
            .send()
            .await
            .map_err(http_error)?;
        checked(response).await?.json().await.map_err(http_error)
    }

    /// Accounts.
    pub async fn accounts(&self, access: &str) -> Result<Vec<Account>, RevolutError> {
        self.get(access, "/accounts", &[]).await
    }

    /// An account's bank details (its IBAN).
    pub async fn bank_details(
        &self,
        access: &str,
        account: &str,
    ) -> Result<Vec<BankDetails>, RevolutError> {
        self.get(access, &format!("/accounts/{account}/bank-details"), &[])
            .await
    }

    /// Transactions created from `from`, newest first, every page.
    pub async fn transactions(
        &self,
        access: &str,
        from: OffsetDateTime,
    ) -> Result<Vec<Transaction>, RevolutError> {
        let from = from.format(&Rfc3339).unwrap_or_default();
        let mut all: Vec<Transaction> = Vec::new();
        let mut to: Option<String> = None;
        loop {
            let mut query = vec![("from", from.clone()), ("count", PAGE.to_string())];
            if let Some(to) = &to {
                query.push(("to", to.clone()));
            }
            let page: Vec<Transaction> = self.get(access, "/transactions", &query).await?;
            let full = page.len() == PAGE;
            // The next page ends (exclusively) where this one's last item was created.
            let last = page.last().map(|t| t.created_at.clone());
            all.extend(page);
            match (full, last) {
                (true, Some(last)) if to.as_deref() != Some(last.as_str()) => to = Some(last),
                _ => break,
            }
        }
        Ok(all)
    }
}

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

/// What a synchronisation did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Accounts seen.
    pub accounts: usize,
    /// Movements new in the ledger.
    pub new_entries: usize,
    /// Movements whose state changed.
    pub changed: usize,
    /// Matched by reconciliation.
    pub matched: usize,
}

/// Minor units of an API amount (a JSON number with at most two decimals).
fn minor(amount: f64) -> i64 {
    (amount * 100.0).round() as i64
}

/// The ledger's state for Revolut's (`created` counts as pending).
fn state_of(revolut: &str) -> &'static str {
    match revolut {
        "completed" => "completed",
        "reverted" => "reverted",
        "declined" => "declined",
        "failed" => "failed",
        _ => "pending",
    }
}

/// Writes one transaction into the ledger (every leg on an account of the company): a new one
/// is inserted, a known one gets its new state; a movement that is no longer booked loses its
/// allocations. Returns the ids of booked incoming movements that need reconciling.
pub async fn record(
    conn: &mut PgConnection,
    company_id: Uuid,
    t: &Transaction,
) -> Result<(usize, usize, Vec<Uuid>), AppError> {
    let (mut new, mut changed, mut to_match) = (0, 0, Vec::new());
    let booked = t
        .completed_at
        .as_deref()
        .unwrap_or(&t.created_at)
        .get(..10)
        .and_then(|d| crate::domain::calendar::parse_date("date", d).ok())
        .ok_or(AppError::BadRequest)?;
    let reference = t.reference.clone().unwrap_or_default();
    let compacted = compact(&reference);
    let reference_type = if qrr_is_valid(&compacted) {
        "QRR"
    } else if compacted.starts_with("RF") && scor_is_valid(&compacted) {
        "SCOR"
    } else if reference.is_empty() {
        "NONE"
    } else {
        "OTHER"
    };
    let stored_reference = if matches!(reference_type, "QRR" | "SCOR") {
        compacted
    } else {
        reference.chars().take(140).collect()
    };
    for leg in &t.legs {
        let account = sqlx::query!(
            r#"SELECT id, currency::text AS "currency!" FROM bank_accounts WHERE company_id = $1 AND external_id = $2"#,
            company_id,
            leg.account_id
        )
        .fetch_optional(&mut *conn)
        .await?;
        let Some(account) = account else { continue };
        let amount = minor(leg.amount);
        if amount == 0 || leg.currency != account.currency {
            continue;
        }
        let counterparty = t
            .merchant
            .as_ref()
            .and_then(|m| m.name.clone())
            .or_else(|| leg.description.clone())
            .unwrap_or_default();
        let row = sqlx::query!(
            r#"INSERT INTO bank_transactions (company_id, account_id, bank_id, source, booked_on, amount_minor, currency,
                                              state, reference_type, reference, counterparty_name, transaction_code, details)
               VALUES ($1, $2, $3, 'revolut', $4, $5, $6, $7, $8, $9, $10, $11, $12)
               ON CONFLICT (company_id, account_id, bank_id) DO UPDATE SET state = EXCLUDED.state,
                   booked_on = EXCLUDED.booked_on, updated_at = now()
               WHERE bank_transactions.state IS DISTINCT FROM EXCLUDED.state
               RETURNING id, (xmax = 0) AS "inserted!""#,
            company_id,
            account.id,
            t.id,
            booked,
            amount,
            leg.currency,
            state_of(&t.state),
            reference_type,
            stored_reference,
            counterparty.chars().take(140).collect::<String>(),
            t.kind.chars().take(40).collect::<String>(),
            leg.description.clone().unwrap_or_default().chars().take(1000).collect::<String>(),
        )
        .fetch_optional(&mut *conn)
        .await?;
        let Some(row) = row else { continue };
        if row.inserted {
            new += 1;
        } else {
            changed += 1;
            if state_of(&t.state) != "completed" {
                undo_all(conn, company_id, row.id).await?;
            }
        }
        if state_of(&t.state) == "completed" && amount > 0 {
            to_match.push(row.id);
        }
    }
    Ok((new, changed, to_match))
}

/// Undoes every allocation of a movement the bank no longer books (reverted, declined, failed).
pub async fn undo_all(
    conn: &mut PgConnection,
    company_id: Uuid,
    transaction_id: Uuid,
) -> Result<(), AppError> {
    let ids = sqlx::query_scalar!(
        "SELECT id FROM bank_allocations WHERE company_id = $1 AND transaction_id = $2 AND undone_at IS NULL",
        company_id,
        transaction_id
    )
    .fetch_all(&mut *conn)
    .await?;
    for id in ids {
        allocate::undo_in(conn, company_id, id, None).await?;
    }
    sqlx::query!(
        "UPDATE bank_transactions SET match_status = 'unmatched', updated_at = now() WHERE company_id = $1 AND id = $2 AND match_status = 'proposed'",
        company_id,
        transaction_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Synchronises a company's accounts (balances, new accounts linked by IBAN) and its
/// transactions since the last synchronisation, then reconciles what came in.
pub async fn sync(
    pool: &PgPool,
    secrets: &SecretBox,
    company_id: Uuid,
    public_url: &str,
) -> Result<SyncReport, AppError> {
    let scope = Scope::automation(company_id);
    let mut tx = begin(pool, &scope).await?;
    let c = load(&mut tx, secrets, company_id).await?;
    let client = Client::new(&c.api_url, &c.client_id, &c.issuer, &c.private_key)?;
    let result = sync_in(&mut tx, secrets, company_id, &c, &client).await;
    let (report, to_match) = match result {
        Ok(done) => done,
        Err(error) => {
            drop(tx);
            let mut tx = begin(pool, &scope).await?;
            sqlx::query!(
                "UPDATE bank_connections SET last_error = $2, updated_at = now() WHERE company_id = $1",
                company_id,
                error.to_string().chars().take(300).collect::<String>()
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Err(error);
        }
    };
    tx.commit().await?;
    let run = reconcile::run(pool, &scope, company_id, Some(&to_match), None, public_url).await?;
    Ok(SyncReport {
        matched: run.matched.len(),
        ..report
    })
}

async fn sync_in(
    conn: &mut PgConnection,
    secrets: &SecretBox,
    company_id: Uuid,
    c: &Connection,
    client: &Client,
) -> Result<(SyncReport, Vec<Uuid>), AppError> {
    let access = access_token(conn, secrets, company_id, c, client).await?;
    let accounts = client.accounts(&access).await?;
    let mut report = SyncReport {
        accounts: accounts.len(),
        ..SyncReport::default()
    };
    for a in &accounts {
        let linked = sqlx::query_scalar!(
            "SELECT id FROM bank_accounts WHERE company_id = $1 AND external_id = $2",
            company_id,
            a.id
        )
        .fetch_optional(&mut *conn)
        .await?;
        let id = match linked {
            Some(id) => Some(id),
            None => {
                // A new Revolut account: linked to the company's account with its IBAN.
                let ibans: Vec<String> = client
                    .bank_details(&access, &a.id)
                    .await?
                    .into_iter()
                    .filter_map(|d| d.iban.map(|i| compact(&i)))
                    .collect();
                sqlx::query_scalar!(
                    r#"UPDATE bank_accounts SET external_id = $3, provider = 'revolut'
                       WHERE company_id = $1 AND iban = ANY($2) AND currency = $4 AND external_id IS NULL RETURNING id"#,
                    company_id,
                    &ibans,
                    a.id,
                    a.currency
                )
                .fetch_optional(&mut *conn)
                .await?
            }
        };
        if let Some(id) = id {
            sqlx::query!(
                "UPDATE bank_accounts SET balance_minor = $3, balance_on = (SELECT app_today()) WHERE company_id = $1 AND id = $2",
                company_id,
                id,
                minor(a.balance)
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    let from = c
        .last_synced_at
        .map(|t| t - OVERLAP)
        .unwrap_or_else(|| OffsetDateTime::now_utc() - Duration::days(90));
    let started = OffsetDateTime::now_utc();
    let transactions = client.transactions(&access, from).await?;
    let mut to_match = Vec::new();
    for t in &transactions {
        let (new, changed, matching) = record(conn, company_id, t).await?;
        report.new_entries += new;
        report.changed += changed;
        to_match.extend(matching);
    }
    // The balances Revolut gave are the bank's own figures: movements just added must not
    // count twice (the ledger trigger added them); set them again.
    for a in &accounts {
        sqlx::query!(
            "UPDATE bank_accounts SET balance_minor = $3 WHERE company_id = $1 AND external_id = $2",
            company_id,
            a.id,
            minor(a.balance)
        )
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query!(
        "UPDATE bank_connections SET last_synced_at = $2, last_error = NULL, updated_at = now() WHERE company_id = $1",
        company_id,
        started
    )
    .execute(&mut *conn)
    .await?;
    Ok((report, to_match))
}

/// The companies with a Revolut connection (for the periodic synchronisation).
pub async fn connected_companies(pool: &PgPool) -> Result<Vec<Uuid>, AppError> {
    let mut tx = begin(pool, &Scope::system()).await?;
    let ids = sqlx::query_scalar!("SELECT company_id FROM bank_connections ORDER BY company_id")
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ids)
}
