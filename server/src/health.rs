//! Liveness and readiness probes.

use std::time::Duration;

use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

/// How long readiness waits for the database before calling it down.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// The process is up and serving HTTP.
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The process can do useful work: the database answers. 503 otherwise, so a load balancer stops
/// sending traffic until it recovers (no restart needed: the pool reconnects by itself).
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let probe = sqlx::query_scalar!(r#"SELECT 1 AS "one!""#).fetch_one(&state.pool);
    match tokio::time::timeout(READY_TIMEOUT, probe).await {
        Ok(Ok(_)) => (
            StatusCode::OK,
            Json(json!({ "status": "ready", "database": "up" })),
        ),
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness: database error");
            not_ready()
        }
        Err(_) => {
            tracing::warn!("readiness: database timed out");
            not_ready()
        }
    }
}

fn not_ready() -> (StatusCode, Json<Value>) {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({ "status": "unavailable", "database": "down" })),
    )
}
