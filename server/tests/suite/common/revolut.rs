//! A local Revolut Business API for the tests, following `../shared/specs/revolut-business.openapi.yaml`
//! for the parts the platform uses: `POST /auth/token` (authorization code and refresh token
//! grants, each with a client assertion — a JWT signed RS256 — that it verifies), `GET /accounts`,
//! `GET /accounts/{id}/bank-details`, `GET /transactions` (newest first, `from` inclusive, `to`
//! exclusive, `count` up to 1000), `POST /counterparty` and `POST /pay` (idempotent by
//! `request_id`, as the spec requires), with bearer tokens that expire. Errors use the spec's
//! shapes.

use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

/// The test RSA key pair (generated for these tests only; it signs nothing real).
pub const PRIVATE_KEY: &str = include_str!("revolut_test_key.pem");
/// Its public half, which the fake Revolut verifies client assertions with.
pub const PUBLIC_KEY: &str = include_str!("revolut_test_key.pub.pem");
/// The client id of the test application.
pub const CLIENT_ID: &str = "test-client-id";
/// The domain of its redirect URI.
pub const ISSUER: &str = "platform.example.ch";
/// The authorization code the consent page "gave".
pub const AUTH_CODE: &str = "oa_sand_authcode";
/// The webhook signing secret the tests connect with.
pub const SECRET: &str = "wsk_test_signing_secret";

/// Connects `company` to `revolut` as the CEO portal does, with the authorization `code`.
pub async fn connect(
    ceo: &super::TestApp,
    company: uuid::Uuid,
    revolut: &FakeRevolut,
    code: &str,
) -> reqwest::Response {
    ceo.post_json(
        "/api/banking/revolut_connect",
        &json!({ "input": { "company_id": company, "api_url": revolut.url, "client_id": CLIENT_ID,
                            "issuer": ISSUER, "private_key_pem": PRIVATE_KEY, "authorization_code": code,
                            "webhook_secret": SECRET } }),
    )
    .await
}

/// What the fake Revolut holds and records.
#[derive(Default)]
pub struct Bank {
    /// Accounts (the spec's Account objects), with their IBAN.
    pub accounts: Vec<(Value, String)>,
    /// Transactions (the spec's Transaction objects).
    pub transactions: Vec<Value>,
    /// Access tokens and when they expire (Unix seconds).
    tokens: Vec<(String, i64)>,
    /// Lifetime of new access tokens, seconds.
    pub token_lifetime: i64,
    /// Token requests received, by grant type.
    pub grants: Vec<String>,
    /// Requests to `/transactions` (query strings).
    pub transaction_queries: Vec<String>,
    /// Counterparties created (the request bodies, with their ids).
    pub counterparties: Vec<Value>,
    /// Every `/pay` request received (bodies), retries included.
    pub pay_requests: Vec<Value>,
    /// Transfers made, by request id (one per request id, whatever the retries).
    pub transfers: Vec<(String, Value)>,
    /// The next this many `/pay` answers are lost (the transfer is made, the answer garbled).
    pub lose_pay_answers: usize,
    /// `/pay` refuses transfers to this IBAN (the spec's 422).
    pub refuse_iban: Option<String>,
    /// The next this many `/pay` requests fail with a 500 (nothing is made).
    pub server_errors: usize,
}

/// A running fake Revolut.
#[derive(Clone)]
pub struct FakeRevolut {
    /// Base URL (`http://127.0.0.1:port`).
    pub url: String,
    /// Its data.
    pub bank: Arc<Mutex<Bank>>,
}

fn error(status: StatusCode, code: u32, message: &str) -> Response {
    (status, Json(json!({ "code": code, "message": message }))).into_response()
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: String,
    code: Option<String>,
    refresh_token: Option<String>,
    client_assertion_type: Option<String>,
    client_assertion: Option<String>,
}

async fn token(State(bank): State<Arc<Mutex<Bank>>>, Form(form): Form<TokenForm>) -> Response {
    if form.client_assertion_type.as_deref()
        != Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    {
        return (
            StatusCode::BAD_REQUEST,
            Json(
                json!({ "error": "invalid_request", "error_description": "client_assertion_type" }),
            ),
        )
            .into_response();
    }
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(PUBLIC_KEY.as_bytes()).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&["https://revolut.com"]);
    validation.set_issuer(&[ISSUER]);
    validation.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
    let claims = jsonwebtoken::decode::<Value>(
        form.client_assertion.as_deref().unwrap_or_default(),
        &key,
        &validation,
    );
    let Ok(claims) = claims else {
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": "invalid_client", "error_description": "The client assertion is not valid" }))).into_response();
    };
    if claims.claims["sub"] != CLIENT_ID {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": "invalid_client", "error_description": "Unknown client" })),
        )
            .into_response();
    }
    let mut bank = bank.lock().unwrap();
    bank.grants.push(form.grant_type.clone());
    let valid = match form.grant_type.as_str() {
        "authorization_code" => form.code.as_deref() == Some(AUTH_CODE),
        "refresh_token" => form.refresh_token.as_deref() == Some("oa_sand_refresh"),
        _ => false,
    };
    if !valid {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": "invalid_grant", "error_description": "Invalid grant" })),
        )
            .into_response();
    }
    let lifetime = if bank.token_lifetime == 0 {
        2399
    } else {
        bank.token_lifetime
    };
    let access = format!("oa_sand_access_{}", bank.tokens.len() + 1);
    bank.tokens.push((access.clone(), now() + lifetime));
    let mut body =
        json!({ "access_token": access, "token_type": "bearer", "expires_in": lifetime });
    if form.grant_type == "authorization_code" {
        body["refresh_token"] = json!("oa_sand_refresh");
    }
    Json(body).into_response()
}

fn authorized(bank: &Bank, headers: &HeaderMap) -> bool {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    bank.tokens
        .iter()
        .any(|(t, until)| t == token && *until > now())
}

async fn accounts(State(bank): State<Arc<Mutex<Bank>>>, headers: HeaderMap) -> Response {
    let bank = bank.lock().unwrap();
    if !authorized(&bank, &headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            1000,
            "The request should be authorized.",
        );
    }
    Json(
        bank.accounts
            .iter()
            .map(|(a, _)| a.clone())
            .collect::<Vec<_>>(),
    )
    .into_response()
}

async fn bank_details(
    State(bank): State<Arc<Mutex<Bank>>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let bank = bank.lock().unwrap();
    if !authorized(&bank, &headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            1000,
            "The request should be authorized.",
        );
    }
    match bank.accounts.iter().find(|(a, _)| a["id"] == id) {
        Some((_, iban)) => Json(json!([{
            "iban": iban, "bic": "REVOCHZZ", "beneficiary": "Test",
            "beneficiary_address": { "country": "CH", "postcode": "1700" },
            "schemes": ["sepa", "swift"], "estimated_time": { "unit": "days", "min": 0, "max": 1 }
        }]))
        .into_response(),
        None => error(StatusCode::NOT_FOUND, 3000, "Account not found"),
    }
}

#[derive(Deserialize)]
struct TransactionQuery {
    from: Option<String>,
    to: Option<String>,
    count: Option<usize>,
}

async fn transactions(
    State(bank): State<Arc<Mutex<Bank>>>,
    headers: HeaderMap,
    Query(q): Query<TransactionQuery>,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    let mut bank = bank.lock().unwrap();
    if !authorized(&bank, &headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            1000,
            "The request should be authorized.",
        );
    }
    bank.transaction_queries.push(raw.unwrap_or_default());
    let count = q.count.unwrap_or(100);
    if count > 1000 {
        return error(StatusCode::BAD_REQUEST, 3000, "count must be at most 1000");
    }
    let mut list: Vec<Value> = bank
        .transactions
        .iter()
        .filter(|t| {
            let created = t["created_at"].as_str().unwrap_or_default();
            q.from.as_deref().is_none_or(|f| created >= f)
                && q.to.as_deref().is_none_or(|to| created < to)
        })
        .cloned()
        .collect();
    list.sort_by(|a, b| b["created_at"].as_str().cmp(&a["created_at"].as_str()));
    list.truncate(count);
    Json(list).into_response()
}

async fn create_counterparty(
    State(bank): State<Arc<Mutex<Bank>>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let mut bank = bank.lock().unwrap();
    if !authorized(&bank, &headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            1000,
            "The request should be authorized.",
        );
    }
    let name = body["company_name"].as_str().unwrap_or_default();
    let iban = body["iban"].as_str().unwrap_or_default();
    if name.is_empty()
        || iban.is_empty()
        || body["bank_country"].as_str().is_none_or(|c| c.len() != 2)
    {
        return error(
            StatusCode::BAD_REQUEST,
            3000,
            "company_name, bank_country and iban are required",
        );
    }
    let n = bank.counterparties.len() + 1;
    let created = json!({
        "id": format!("cp-{n}"), "name": name, "profile_type": "business", "state": "created",
        "created_at": "2026-12-01T09:00:00Z", "updated_at": "2026-12-01T09:00:00Z",
        "accounts": [{ "id": format!("cp-{n}-acc"), "iban": iban, "bank_country": body["bank_country"],
                       "currency": body["currency"], "type": "external", "name": name }]
    });
    bank.counterparties.push(created.clone());
    Json(created).into_response()
}

async fn pay(State(bank): State<Arc<Mutex<Bank>>>, headers: HeaderMap, body: String) -> Response {
    let mut bank = bank.lock().unwrap();
    if !authorized(&bank, &headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            1000,
            "The request should be authorized.",
        );
    }
    let Ok(body) = serde_json::from_str::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, 3000, "the body is not JSON");
    };
    bank.pay_requests.push(body.clone());
    if bank.server_errors > 0 {
        bank.server_errors -= 1;
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            9000,
            "Internal server error",
        );
    }
    let request_id = body["request_id"].as_str().unwrap_or_default().to_owned();
    if request_id.is_empty() || request_id.len() > 40 {
        return error(
            StatusCode::BAD_REQUEST,
            3000,
            "request_id is required (at most 40 characters)",
        );
    }
    let account = body["account_id"].as_str().unwrap_or_default().to_owned();
    if !bank.accounts.iter().any(|(a, _)| a["id"] == account) {
        return error(StatusCode::NOT_FOUND, 3000, "Account not found");
    }
    let counterparty = body["receiver"]["counterparty_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let Some(cp) = bank
        .counterparties
        .iter()
        .find(|c| c["id"] == counterparty)
        .cloned()
    else {
        return error(StatusCode::NOT_FOUND, 3000, "Counterparty not found");
    };
    if bank.refuse_iban.as_deref() == cp["accounts"][0]["iban"].as_str() {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            3000,
            "The transfer was declined",
        );
    }
    // The same request id is the same transfer: answered again, never made twice.
    let transfer = match bank.transfers.iter().find(|(r, _)| *r == request_id) {
        Some((_, t)) => t.clone(),
        None => {
            let amount = body["amount"].as_f64().unwrap_or_default();
            let id = format!("tr-{}", bank.transfers.len() + 1);
            // Made now: a synchronisation after it finds it whatever the day the test runs.
            let created = time::OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap();
            let t = json!({
                "id": id, "type": "transfer", "state": "pending", "request_id": request_id,
                "created_at": created, "updated_at": created,
                "completed_at": Value::Null, "reference": body["reference"],
                "legs": [{ "leg_id": format!("leg-{id}"), "amount": -amount, "currency": body["currency"],
                           "account_id": account, "counterparty": { "account_type": "external", "id": counterparty },
                           "description": format!("To {}", cp["name"].as_str().unwrap_or_default()), "balance": 0.0 }]
            });
            bank.transfers.push((request_id.clone(), t.clone()));
            bank.transactions.push(t.clone());
            t
        }
    };
    if bank.lose_pay_answers > 0 {
        bank.lose_pay_answers -= 1;
        return (StatusCode::OK, "{\"id\": ").into_response();
    }
    Json(json!({ "id": transfer["id"], "state": transfer["state"], "created_at": transfer["created_at"] })).into_response()
}

impl FakeRevolut {
    /// Completes a transfer made by `/pay` (the bank booked it): its transaction turns
    /// `completed`, as a later synchronisation sees it.
    pub fn complete(&self, transfer_id: &str, on: &str) {
        let mut bank = self.bank.lock().unwrap();
        for t in bank
            .transactions
            .iter_mut()
            .filter(|t| t["id"] == transfer_id)
        {
            t["state"] = json!("completed");
            t["completed_at"] = json!(on);
            t["updated_at"] = json!(on);
        }
    }

    /// Starts on a random port.
    pub async fn start() -> FakeRevolut {
        let bank = Arc::new(Mutex::new(Bank::default()));
        let router = Router::new()
            .route("/auth/token", post(token))
            .route("/accounts", get(accounts))
            .route("/accounts/{id}/bank-details", get(bank_details))
            .route("/transactions", get(transactions))
            .route("/counterparty", post(create_counterparty))
            .route("/pay", post(pay))
            .with_state(bank.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        FakeRevolut { url, bank }
    }

    /// Adds an account (`id`, currency, balance) reachable by `iban`.
    pub fn account(&self, id: &str, currency: &str, balance: f64, iban: &str) {
        self.bank.lock().unwrap().accounts.push((
            json!({ "id": id, "name": format!("Main {currency}"), "balance": balance, "currency": currency,
                    "state": "active", "public": false, "created_at": "2026-01-01T00:00:00Z",
                    "updated_at": "2026-01-01T00:00:00Z" }),
            iban.to_owned(),
        ));
    }

    /// Adds an incoming transfer of `(amount, currency)` to `account` and returns it as the
    /// API (and the webhook) would.
    pub fn incoming(
        &self,
        id: &str,
        account: &str,
        (amount, currency): (f64, &str),
        reference: &str,
        created_at: &str,
        state: &str,
    ) -> Value {
        let t = json!({
            "id": id, "type": "transfer", "state": state, "request_id": format!("req-{id}"),
            "created_at": created_at, "updated_at": created_at,
            "completed_at": if state == "completed" { json!(created_at) } else { Value::Null },
            "reference": reference,
            "legs": [{ "leg_id": format!("leg-{id}"), "amount": amount, "currency": currency, "account_id": account,
                       "counterparty": { "account_type": "external" }, "description": "Payment from Helvetia Events SA",
                       "balance": 1000.0 }]
        });
        self.bank.lock().unwrap().transactions.push(t.clone());
        t
    }
}

/// Signs a webhook delivery as Revolut does: `v1=` HMAC-SHA256 of `v1.{timestamp}.{body}`.
pub fn sign_webhook(secret: &str, timestamp_ms: i64, body: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("v1.{timestamp_ms}.{body}").as_bytes());
    let bytes = mac.finalize().into_bytes();
    format!(
        "v1={}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}
