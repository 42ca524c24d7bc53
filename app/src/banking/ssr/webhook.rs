//! Revolut's webhooks: `POST /webhooks/revolut/{company}`, public — their authentication is the
//! signature (`Revolut-Signature: v1=<hex HMAC-SHA256 of "v1.{timestamp}.{raw body}">`, several
//! during a secret rotation, timestamp within 5 minutes), checked on the raw bytes before the
//! body is read as JSON. Each event is handled once (a replay changes nothing).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use time::OffsetDateTime;
use uuid::Uuid;

use super::reconcile;
use super::revolut::{self, Transaction};
use crate::auth::ssr::{begin, Scope};
use crate::error::AppError;
use crate::state::{AppState, PlainRoutes};

/// How far the signed timestamp may be from now.
const TOLERANCE_MS: i128 = 5 * 60 * 1000;

/// Whether `signatures` (the header: `v1=<hex>`, comma-separated during a rotation) holds a valid
/// signature of `body` at `timestamp` (Unix milliseconds) with `secret`, and the timestamp is
/// within five minutes of `now`.
pub fn verify(
    secret: &str,
    timestamp: &str,
    signatures: &str,
    body: &[u8],
    now: OffsetDateTime,
) -> bool {
    let Ok(ms) = timestamp.trim().parse::<i128>() else {
        return false;
    };
    let now_ms = now.unix_timestamp_nanos() / 1_000_000;
    if (now_ms - ms).abs() > TOLERANCE_MS {
        return false;
    }
    signatures.split(',').any(|candidate| {
        let Some(hex) = candidate.trim().strip_prefix("v1=") else {
            return false;
        };
        let Some(expected) = decode_hex(hex) else {
            return false;
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
            return false;
        };
        mac.update(b"v1.");
        mac.update(timestamp.trim().as_bytes());
        mac.update(b".");
        mac.update(body);
        // Constant-time comparison.
        mac.verify_slice(&expected).is_ok()
    })
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() % 2 != 0 || !hex.is_ascii() {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect()
}

#[derive(Deserialize)]
struct Event {
    event: String,
    data: serde_json::Value,
}

#[derive(Deserialize)]
struct StateChange {
    id: String,
    new_state: String,
}

/// The webhook route.
pub fn routes() -> PlainRoutes {
    vec![("/webhooks/revolut/{company}", post(receive))]
}

async fn receive(
    State(state): State<AppState>,
    Path(company): Path<Uuid>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let scope = Scope::automation(company);
    let mut tx = begin(&state.pool, &scope).await?;
    let secret = revolut::webhook_secret(&mut tx, &state.auth.secrets, company).await?;
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let valid = secret.is_some_and(|secret| {
        verify(
            &secret,
            &header("revolut-request-timestamp"),
            &header("revolut-signature"),
            &body,
            OffsetDateTime::now_utc(),
        )
    });
    if !valid {
        return Ok(StatusCode::UNAUTHORIZED.into_response());
    }
    let event: Event = serde_json::from_slice(&body).map_err(|_| AppError::BadRequest)?;
    let (key, handle) = match event.event.as_str() {
        "TransactionCreated" => {
            let t: Transaction =
                serde_json::from_value(event.data).map_err(|_| AppError::BadRequest)?;
            (format!("created:{}:{}", t.id, t.state), Handle::Created(t))
        }
        "TransactionStateChanged" => {
            let c: StateChange =
                serde_json::from_value(event.data).map_err(|_| AppError::BadRequest)?;
            (format!("state:{}:{}", c.id, c.new_state), Handle::State(c))
        }
        // Other events (payout links) are not for the ledger.
        _ => return Ok(StatusCode::NO_CONTENT.into_response()),
    };
    let fresh = sqlx::query!(
        "INSERT INTO webhook_events (company_id, provider, event_key) VALUES ($2, 'revolut', $1) ON CONFLICT DO NOTHING",
        key,
        company
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if fresh == 0 {
        // Delivered before: already handled.
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let to_match = match handle {
        Handle::Created(t) => revolut::record(&mut tx, company, &t).await?.2,
        Handle::State(c) => {
            let state = match c.new_state.as_str() {
                "completed" => "completed",
                "reverted" => "reverted",
                "declined" => "declined",
                "failed" => "failed",
                _ => "pending",
            };
            let rows = sqlx::query!(
                r#"UPDATE bank_transactions SET state = $3, updated_at = now()
                   WHERE company_id = $1 AND bank_id = $2 AND source = 'revolut' AND state <> $3
                   RETURNING id, amount_minor"#,
                company,
                c.id,
                state
            )
            .fetch_all(&mut *tx)
            .await?;
            let mut to_match = Vec::new();
            for row in rows {
                if state == "completed" {
                    to_match.push(row.id);
                } else {
                    revolut::undo_all(&mut tx, company, row.id).await?;
                }
            }
            to_match
        }
    };
    tx.commit().await?;
    let public_url = state.auth.public_url.clone();
    reconcile::run(
        &state.pool,
        &scope,
        company,
        Some(&to_match),
        None,
        &public_url,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

enum Handle {
    Created(Transaction),
    State(StateChange),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("v1.{timestamp}.").as_bytes());
        mac.update(body);
        let bytes = mac.finalize().into_bytes();
        format!(
            "v1={}",
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        )
    }

    #[test]
    fn signatures_are_checked_on_the_raw_body_within_five_minutes() {
        let now = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        let ts = "1700000000000";
        let body = br#"{"event":"TransactionCreated"}"#;
        let good = sign("wsk_secret", ts, body);
        assert!(verify("wsk_secret", ts, &good, body, now));
        assert!(!verify("wsk_other", ts, &good, body, now), "another secret");
        assert!(
            !verify("wsk_secret", ts, &good, b"{\"event\":\"x\"}", now),
            "another body"
        );
        let rotated = format!("v1=00ff,{good}");
        assert!(
            verify("wsk_secret", ts, &rotated, body, now),
            "any of several during a rotation"
        );
        let late = now + time::Duration::minutes(6);
        assert!(!verify("wsk_secret", ts, &good, body, late), "too old");
        assert!(!verify("wsk_secret", "soon", &good, body, now));
        assert!(!verify("wsk_secret", ts, "v2=abc", body, now));
        assert!(!verify("wsk_secret", ts, "v1=zz", body, now));
    }
}
