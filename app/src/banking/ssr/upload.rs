//! `POST /banking/import?company=…&name=…[&dry_run=1]`: a statement file (or a zip of them) as
//! the request body, answered with the import's summary (JSON). A plain route rather than a
//! server function: the file is sent as it is (the browser shows the upload's progress).

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Json};
use serde::Deserialize;
use uuid::Uuid;

use super::import;
use crate::auth::ssr::audit::ClientInfo;
use crate::auth::ssr::Caller;
use crate::auth::Permission;
use crate::error::{AppError, FieldProblem};
use crate::state::{AppState, PlainRoutes};

#[derive(Deserialize)]
struct Params {
    company: Uuid,
    #[serde(default)]
    name: String,
    #[serde(default)]
    dry_run: Option<String>,
}

/// The upload route.
pub fn routes() -> PlainRoutes {
    vec![("/banking/import", post(upload))]
}

async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Extension(client): Extension<ClientInfo>,
    Query(params): Query<Params>,
    body: Bytes,
) -> Result<Response, AppError> {
    let scope = caller.scope_in(Permission::BankWrite, params.company)?;
    caller.require(Permission::PaymentsWrite, params.company)?;
    if body.is_empty() {
        return Err(AppError::field("file", FieldProblem::Required));
    }
    let name: String = params.name.chars().take(255).collect();
    let dry_run = params
        .dry_run
        .as_deref()
        .is_some_and(|v| v == "1" || v == "true");
    let report = import::import(
        &state.pool,
        &scope,
        params.company,
        &name,
        &body,
        dry_run,
        Some(caller.user_id),
        &client,
        &state.auth.public_url,
    )
    .await?;
    Ok(Json(report.summary).into_response())
}
