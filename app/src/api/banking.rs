//! Banking: accounts and balances, one movement with its candidates, the reconciliation decisions,
//! and the Revolut Business connection. (Statement files are uploaded to `/banking/import`.)

use leptos::prelude::*;
use uuid::Uuid;

use crate::banking::{AccountRow, AllocationInput, RevolutInput, RevolutStatus, TransactionView};
use crate::domain::status::IgnoreReason;
use crate::error::AppError;

/// The bank accounts of the caller's companies, with balances and what waits for review.
#[server(endpoint = "banking/accounts")]
pub async fn bank_accounts() -> Result<Vec<AccountRow>, AppError> {
    ssr::accounts().await
}

/// One movement with its allocations and candidate invoices.
#[server(endpoint = "banking/transaction")]
pub async fn bank_transaction(id: Uuid) -> Result<TransactionView, AppError> {
    ssr::transaction(id).await
}

/// Allocates a movement to one or more invoices.
#[server(endpoint = "banking/allocate", input = server_fn::codec::Json)]
pub async fn allocate_transaction(
    id: Uuid,
    allocations: Vec<AllocationInput>,
) -> Result<(), AppError> {
    ssr::allocate(id, allocations).await
}

/// Rejects a proposed invoice for a movement.
#[server(endpoint = "banking/reject")]
pub async fn reject_proposal(id: Uuid, invoice_id: Uuid) -> Result<(), AppError> {
    ssr::reject(id, invoice_id).await
}

/// Marks a movement as not an invoice payment (no reason: back to unmatched).
#[server(endpoint = "banking/ignore")]
pub async fn ignore_transaction(id: Uuid, reason: Option<IgnoreReason>) -> Result<(), AppError> {
    ssr::ignore(id, reason).await
}

/// Undoes an allocation.
#[server(endpoint = "banking/undo")]
pub async fn undo_allocation(id: Uuid) -> Result<(), AppError> {
    ssr::undo(id).await
}

/// Runs reconciliation on every unmatched movement of a company; returns how many matched.
#[server(endpoint = "banking/reconcile")]
pub async fn reconcile_now(company_id: Uuid) -> Result<u32, AppError> {
    ssr::reconcile(company_id).await
}

/// A company's Revolut connection (no secret).
#[server(endpoint = "banking/revolut")]
pub async fn revolut_connection(company_id: Uuid) -> Result<RevolutStatus, AppError> {
    ssr::revolut_status(company_id).await
}

/// Connects a company to Revolut Business (or changes its connection).
#[server(endpoint = "banking/revolut_connect", input = server_fn::codec::Json)]
pub async fn connect_revolut(input: RevolutInput) -> Result<(), AppError> {
    ssr::connect(input).await
}

/// Synchronises a company's Revolut accounts and movements now; returns how many are new.
#[server(endpoint = "banking/revolut_sync")]
pub async fn sync_revolut(company_id: Uuid) -> Result<u32, AppError> {
    ssr::sync(company_id).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::ssr::audit::{self, AuditEvent};
    use crate::auth::ssr::begin;
    use crate::auth::ssr::current::{self, caller, client};
    use crate::auth::Permission;
    use crate::banking::ssr::{
        accounts as ledger, allocate as decisions, reconcile as matching, revolut,
    };

    #[tracing::instrument(skip_all)]
    pub async fn accounts() -> Result<Vec<AccountRow>, AppError> {
        ledger::accounts(&current::state().pool, &caller()?).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn transaction(id: Uuid) -> Result<TransactionView, AppError> {
        ledger::transaction(&current::state().pool, &caller()?, id).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn allocate(id: Uuid, allocations: Vec<AllocationInput>) -> Result<(), AppError> {
        let state = current::state();
        let caller = caller()?;
        decisions::allocate(
            &state.pool,
            &caller,
            id,
            &allocations,
            &client(),
            &state.auth.public_url,
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn reject(id: Uuid, invoice_id: Uuid) -> Result<(), AppError> {
        decisions::reject(
            &current::state().pool,
            &caller()?,
            id,
            invoice_id,
            &client(),
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn ignore(id: Uuid, reason: Option<IgnoreReason>) -> Result<(), AppError> {
        decisions::ignore(&current::state().pool, &caller()?, id, reason, &client()).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn undo(id: Uuid) -> Result<(), AppError> {
        decisions::undo(&current::state().pool, &caller()?, id, &client()).await
    }

    #[tracing::instrument(skip_all, fields(%company_id))]
    pub async fn reconcile(company_id: Uuid) -> Result<u32, AppError> {
        let state = current::state();
        let caller = caller()?;
        let scope = caller.scope_in(Permission::BankWrite, company_id)?;
        caller.require(Permission::PaymentsWrite, company_id)?;
        let run = matching::run(
            &state.pool,
            &scope,
            company_id,
            None,
            Some(caller.user_id),
            &state.auth.public_url,
        )
        .await?;
        Ok(run.matched.len() as u32)
    }

    #[tracing::instrument(skip_all, fields(%company_id))]
    pub async fn revolut_status(company_id: Uuid) -> Result<RevolutStatus, AppError> {
        let state = current::state();
        let scope = caller()?.scope_in(Permission::BankRead, company_id)?;
        let mut tx = begin(&state.pool, &scope).await?;
        let status = revolut::status(&mut tx, company_id, &state.auth.public_url).await?;
        tx.commit().await?;
        Ok(status)
    }

    #[tracing::instrument(skip_all, fields(company = %input.company_id))]
    pub async fn connect(input: RevolutInput) -> Result<(), AppError> {
        let state = current::state();
        let caller = caller()?;
        let scope = caller.scope_in(Permission::IntegrationsWrite, input.company_id)?;
        let mut tx = begin(&state.pool, &scope).await?;
        revolut::connect(&mut tx, &state.auth.secrets, &input).await?;
        audit::record(
            &mut tx,
            &client(),
            AuditEvent::RevolutConnected,
            Some(caller.user_id),
            serde_json::json!({ "company": input.company_id, "api_url": input.api_url }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(%company_id))]
    pub async fn sync(company_id: Uuid) -> Result<u32, AppError> {
        let state = current::state();
        caller()?.scope_in(Permission::BankWrite, company_id)?;
        let report = revolut::sync(
            &state.pool,
            &state.auth.secrets,
            company_id,
            &state.auth.public_url,
        )
        .await?;
        Ok(report.new_entries as u32)
    }
}
