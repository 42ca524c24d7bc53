//! The plain routes of payables: uploading a bill's file (its bytes as the body), reading a
//! stored file back for the validation screen, and a payment run's pain.001 file.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json};
use serde::Deserialize;
use uuid::Uuid;

use super::{bank_file, bills};
use crate::auth::ssr::audit::ClientInfo;
use crate::auth::ssr::{begin, Caller};
use crate::auth::Permission;
use crate::error::{AppError, FieldProblem};
use crate::state::{AppState, PlainRoutes};

#[derive(Deserialize)]
struct UploadParams {
    company: Uuid,
    #[serde(default)]
    name: String,
}

/// The routes.
pub fn routes() -> PlainRoutes {
    vec![
        ("/payables/upload", post(upload)),
        ("/payables/files/{company}/{sha}", get(file)),
        ("/payables/runs/{id}/pain001.xml", get(pain001)),
    ]
}

/// `POST /payables/upload?company=…&name=…`: one file per request (the page sends several at
/// once); staff for their company, a provider for themselves (the bill is theirs).
async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Extension(client): Extension<ClientInfo>,
    Query(params): Query<UploadParams>,
    body: Bytes,
) -> Result<Response, AppError> {
    // Staff for their company; a provider for themselves (the bill is theirs, whatever is read).
    let scope = caller.scope_in(Permission::SupplierInvoicesWrite, params.company)?;
    let party = if caller.role.is_portal_party() {
        let membership = caller.require(Permission::SupplierInvoicesWrite, params.company)?;
        Some(membership.party_id.ok_or(AppError::Forbidden)?)
    } else {
        None
    };
    if body.is_empty() {
        return Err(AppError::field("file", FieldProblem::Required));
    }
    let intake = bills::intake(
        &state.pool,
        &state.files,
        state.vision.as_ref(),
        &scope,
        params.company,
        party,
        &params.name.chars().take(255).collect::<String>(),
        &body,
        caller.user_id,
        &client,
        &state.auth.public_url,
    )
    .await?;
    Ok(Json(intake).into_response())
}

/// `GET /payables/files/{company}/{sha}`: a stored file, to the company's staff and to the
/// provider who uploaded it.
async fn file(
    State(state): State<AppState>,
    caller: Caller,
    Path((company, sha)): Path<(Uuid, String)>,
) -> Result<Response, AppError> {
    let scope = caller.scope_in(Permission::SupplierInvoicesRead, company)?;
    let mut tx = begin(&state.pool, &scope).await?;
    // Row-level security decides: the company's staff, or the provider whose file it is.
    let mime = sqlx::query_scalar!(
        "SELECT mime FROM stored_files WHERE company_id = $1 AND sha256 = $2",
        company,
        sha
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let bytes = state.files.get(&sha).await?;
    Ok((
        [
            (CONTENT_TYPE, mime),
            (CACHE_CONTROL, "private, max-age=3600".to_owned()),
            (CONTENT_DISPOSITION, "inline".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /payables/runs/{id}/pain001.xml`: the credit transfers of a run's bills paid from an
/// account that is not connected to Revolut.
async fn pain001(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let (name, xml) = bank_file::pain001_file(&state.pool, &caller, id).await?;
    Ok((
        [
            (CONTENT_TYPE, "application/xml; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        xml,
    )
        .into_response())
}
