//! Invoices: create, send, view, record payments, credit notes.

use leptos::prelude::*;
use uuid::Uuid;

use crate::billing::{
    InvoiceInput, InvoiceStatus, InvoiceSummary, InvoiceView, ListFilter, PaymentInput,
};
use crate::error::AppError;

/// Invoices visible to the caller.
#[server(endpoint = "invoices/list", input = server_fn::codec::Json)]
pub async fn list_invoices(filter: ListFilter) -> Result<Vec<InvoiceSummary>, AppError> {
    ssr::list(filter).await
}

/// One invoice (a client opening a sent invoice marks it viewed).
#[server(endpoint = "invoices/get")]
pub async fn get_invoice(id: Uuid) -> Result<InvoiceView, AppError> {
    ssr::get(id).await
}

/// Creates a draft invoice from scratch; returns its id.
#[server(endpoint = "invoices/create", input = server_fn::codec::Json)]
pub async fn create_invoice(input: InvoiceInput) -> Result<Uuid, AppError> {
    ssr::create(input).await
}

/// Sends a draft invoice (it is locked from then on).
#[server(endpoint = "invoices/send")]
pub async fn send_invoice(id: Uuid) -> Result<(), AppError> {
    ssr::send(id).await
}

/// Records a payment; returns the invoice's new status.
#[server(endpoint = "invoices/record_payment", input = server_fn::codec::Json)]
pub async fn record_payment(payment: PaymentInput) -> Result<InvoiceStatus, AppError> {
    ssr::record_payment(payment).await
}

/// Issues a credit note (empty amount: the whole open balance); returns its id.
#[server(endpoint = "invoices/credit")]
pub async fn credit_invoice(id: Uuid, amount: String, reason: String) -> Result<Uuid, AppError> {
    ssr::credit(id, amount, reason).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::ssr::current::{self, caller, client};
    use crate::billing::ssr::invoices;

    #[tracing::instrument(skip_all)]
    pub async fn list(filter: ListFilter) -> Result<Vec<InvoiceSummary>, AppError> {
        let caller = caller()?;
        invoices::list(&current::state().pool, &caller, &filter).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn get(id: Uuid) -> Result<InvoiceView, AppError> {
        let caller = caller()?;
        invoices::get(&current::state().pool, &caller, id).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn create(input: InvoiceInput) -> Result<Uuid, AppError> {
        let caller = caller()?;
        invoices::create(&current::state().pool, &caller, &input).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn send(id: Uuid) -> Result<(), AppError> {
        let caller = caller()?;
        let state = current::state();
        invoices::send(&state.pool, &caller, id, &state.auth.public_url).await
    }

    #[tracing::instrument(skip_all, fields(invoice = %payment.invoice_id))]
    pub async fn record_payment(payment: PaymentInput) -> Result<InvoiceStatus, AppError> {
        let caller = caller()?;
        let state = current::state();
        invoices::record_payment(
            &state.pool,
            &caller,
            &payment,
            &client(),
            &state.auth.public_url,
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn credit(id: Uuid, amount: String, reason: String) -> Result<Uuid, AppError> {
        let caller = caller()?;
        invoices::credit(
            &current::state().pool,
            &caller,
            id,
            &amount,
            &reason,
            &client(),
        )
        .await
    }
}
