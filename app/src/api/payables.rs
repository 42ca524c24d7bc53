//! Supplier bills: a bill's page, its validation, approval and rejection, and payment runs.
//! (Files are uploaded to `/payables/upload`.)

use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;
use crate::payables::{BillInput, BillView, RunView};

/// A bill's page: the reading beside the fields.
#[server(endpoint = "bills/get")]
pub async fn get_bill(id: Uuid) -> Result<BillView, AppError> {
    ssr::get(id).await
}

/// Saves the validated fields; the bill waits for approval from then on.
#[server(endpoint = "bills/save", input = server_fn::codec::Json)]
pub async fn save_bill(id: Uuid, input: BillInput) -> Result<(), AppError> {
    ssr::save(id, input).await
}

/// Approves a bill (`code`: a fresh second-factor code when the amount needs one).
#[server(endpoint = "bills/approve")]
pub async fn approve_bill(id: Uuid, code: String) -> Result<(), AppError> {
    ssr::approve(id, code).await
}

/// Rejects a bill with a reason (a provider is told).
#[server(endpoint = "bills/reject")]
pub async fn reject_bill(id: Uuid, reason: String) -> Result<(), AppError> {
    ssr::reject(id, reason).await
}

/// What a payment run of the bills due up to a date would pay.
#[server(endpoint = "bills/run_preview")]
pub async fn preview_payment_run(company_id: Uuid, due_until: String) -> Result<RunView, AppError> {
    ssr::preview(company_id, due_until).await
}

/// Makes and confirms a payment run; returns its id.
#[server(endpoint = "bills/run_confirm")]
pub async fn confirm_payment_run(company_id: Uuid, due_until: String) -> Result<Uuid, AppError> {
    ssr::confirm(company_id, due_until).await
}

/// A payment run.
#[server(endpoint = "bills/run")]
pub async fn get_payment_run(id: Uuid) -> Result<RunView, AppError> {
    ssr::run(id).await
}

/// Sends again a run's transfers that got no answer.
#[server(endpoint = "bills/run_retry")]
pub async fn retry_payment_run(id: Uuid) -> Result<RunView, AppError> {
    ssr::retry(id).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::ssr::current::{self, caller, client};
    use crate::payables::ssr::{approval, bills, payment_run};

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn get(id: Uuid) -> Result<BillView, AppError> {
        bills::view(&current::state().pool, &caller()?, id).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn save(id: Uuid, input: BillInput) -> Result<(), AppError> {
        bills::save(&current::state().pool, &caller()?, id, &input, &client()).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn approve(id: Uuid, code: String) -> Result<(), AppError> {
        let state = current::state();
        approval::approve(
            &state.pool,
            &state.auth,
            &caller()?,
            id,
            &code,
            &client(),
            &state.auth.public_url,
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn reject(id: Uuid, reason: String) -> Result<(), AppError> {
        let state = current::state();
        bills::reject(
            &state.pool,
            &caller()?,
            id,
            &reason,
            &client(),
            &state.auth.public_url,
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(%company_id))]
    pub async fn preview(company_id: Uuid, due_until: String) -> Result<RunView, AppError> {
        payment_run::preview(&current::state().pool, &caller()?, company_id, &due_until).await
    }

    #[tracing::instrument(skip_all, fields(%company_id))]
    pub async fn confirm(company_id: Uuid, due_until: String) -> Result<Uuid, AppError> {
        let state = current::state();
        payment_run::create_and_confirm(
            &state.pool,
            &state.auth.secrets,
            &caller()?,
            company_id,
            &due_until,
            &client(),
            &state.auth.public_url,
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn run(id: Uuid) -> Result<RunView, AppError> {
        payment_run::view(&current::state().pool, &caller()?, id).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn retry(id: Uuid) -> Result<RunView, AppError> {
        let state = current::state();
        let caller = caller()?;
        payment_run::retry(
            &state.pool,
            &state.auth.secrets,
            &caller,
            id,
            &state.auth.public_url,
        )
        .await?;
        payment_run::view(&state.pool, &caller, id).await
    }
}
