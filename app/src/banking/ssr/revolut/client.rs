//! The Revolut Business API client: OAuth with a signed client assertion and token refresh,
//! accounts and transactions, counterparties and transfers.

use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

/// Transactions per page (the API's maximum).
const PAGE: usize = 1000;

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

impl From<RevolutError> for crate::error::AppError {
    fn from(error: RevolutError) -> Self {
        tracing::warn!(%error, "Revolut");
        crate::error::AppError::Unavailable
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct TokenResponse {
    pub(super) access_token: String,
    pub(super) expires_in: i64,
    pub(super) refresh_token: Option<String>,
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

    pub(super) async fn token(
        &self,
        grant: &[(&str, &str)],
    ) -> Result<TokenResponse, RevolutError> {
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

/// A counterparty as `POST /counterparty` answers it.
#[derive(Clone, Debug, Deserialize)]
pub struct Counterparty {
    /// Its id.
    pub id: String,
    /// Its accounts.
    #[serde(default)]
    pub accounts: Vec<CounterpartyAccount>,
}

/// One of a counterparty's accounts.
#[derive(Clone, Debug, Deserialize)]
pub struct CounterpartyAccount {
    /// Its id.
    pub id: String,
    /// Its IBAN.
    #[serde(default)]
    pub iban: Option<String>,
}

/// What `POST /pay` answers.
#[derive(Clone, Debug, Deserialize)]
pub struct Transfer {
    /// The transaction's id.
    pub id: String,
    /// Its state.
    pub state: String,
}

/// A transfer to send.
#[derive(Clone, Debug)]
pub struct TransferOrder<'a> {
    /// The idempotency key: the same key never pays twice.
    pub request_id: &'a str,
    /// The paying Revolut account.
    pub account_id: &'a str,
    /// The counterparty paid.
    pub counterparty: &'a str,
    /// Its account (when it has several).
    pub counterparty_account: Option<&'a str>,
    /// Amount, minor units.
    pub amount_minor: i64,
    /// Currency.
    pub currency: &'a str,
    /// What the payee sees.
    pub reference: &'a str,
}

/// A JSON string.
fn json_text(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

impl Client {
    async fn post<T: serde::de::DeserializeOwned>(
        &self,
        access: &str,
        path: &str,
        body: String,
    ) -> Result<T, RevolutError> {
        let response = self
            .http
            .post(format!("{}{path}", self.api_url))
            .bearer_auth(access)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(http_error)?;
        checked(response).await?.json().await.map_err(http_error)
    }

    /// Adds a business counterparty paid to `iban`.
    pub async fn create_counterparty(
        &self,
        access: &str,
        name: &str,
        iban: &str,
        currency: &str,
        country: &str,
    ) -> Result<Counterparty, RevolutError> {
        let body = serde_json::json!({ "company_name": name, "bank_country": country, "currency": currency, "iban": iban });
        self.post(access, "/counterparty", body.to_string()).await
    }

    /// Sends a transfer. The amount is written as the exact decimal of its minor units (money
    /// never goes through a float).
    pub async fn pay(
        &self,
        access: &str,
        order: &TransferOrder<'_>,
    ) -> Result<Transfer, RevolutError> {
        let receiver = match order.counterparty_account {
            Some(account) => format!(
                r#"{{"counterparty_id":{},"account_id":{}}}"#,
                json_text(order.counterparty),
                json_text(account)
            ),
            None => format!(r#"{{"counterparty_id":{}}}"#, json_text(order.counterparty)),
        };
        let body = format!(
            r#"{{"request_id":{},"account_id":{},"receiver":{receiver},"amount":{},"currency":{},"reference":{}}}"#,
            json_text(order.request_id),
            json_text(order.account_id),
            crate::domain::money::format_plain(order.amount_minor),
            json_text(order.currency),
            json_text(order.reference),
        );
        self.post(access, "/pay", body).await
    }
}
