//! Invoices: drafts (create, edit, delete), issuing and sending, payments and account credit,
//! credit notes.

use leptos::prelude::*;
use uuid::Uuid;

use crate::billing::{InvoiceInput, InvoiceView, PaymentInput, PaymentOutcome};
use crate::domain::money::Currency;
use crate::error::AppError;

/// One invoice (a client opening a sent invoice marks it viewed).
#[server(endpoint = "invoices/get")]
pub async fn get_invoice(id: Uuid) -> Result<InvoiceView, AppError> {
    ssr::get(id).await
}

/// Creates a draft invoice (no number until it is issued); returns its id.
#[server(endpoint = "invoices/create", input = server_fn::codec::Json)]
pub async fn create_invoice(input: InvoiceInput) -> Result<Uuid, AppError> {
    ssr::create(input).await
}

/// A draft invoice's content, to edit it.
#[server(endpoint = "invoices/input")]
pub async fn editable_invoice(id: Uuid) -> Result<InvoiceInput, AppError> {
    ssr::input(id).await
}

/// Replaces a draft invoice's content.
#[server(endpoint = "invoices/update", input = server_fn::codec::Json)]
pub async fn update_invoice(id: Uuid, input: InvoiceInput) -> Result<(), AppError> {
    ssr::update(id, input).await
}

/// Deletes a draft invoice.
#[server(endpoint = "invoices/delete")]
pub async fn delete_invoice(id: Uuid) -> Result<(), AppError> {
    ssr::delete(id).await
}

/// Issues a draft (number, reference, account) and emails it; it is locked from then on.
#[server(endpoint = "invoices/send")]
pub async fn send_invoice(id: Uuid) -> Result<(), AppError> {
    ssr::send(id).await
}

/// Records a payment; more than the balance leaves a credit on the client's account.
#[server(endpoint = "invoices/record_payment", input = server_fn::codec::Json)]
pub async fn record_payment(payment: PaymentInput) -> Result<PaymentOutcome, AppError> {
    ssr::record_payment(payment).await
}

/// Pays an invoice from the credit on its client's account.
#[server(endpoint = "invoices/apply_credit")]
pub async fn apply_credit(id: Uuid) -> Result<PaymentOutcome, AppError> {
    ssr::apply_credit(id).await
}

/// Records that a client's credit (or part of it) was paid back.
#[server(endpoint = "invoices/refund_credit")]
pub async fn refund_credit(
    party_id: Uuid,
    currency: Currency,
    amount: String,
    note: String,
) -> Result<(), AppError> {
    ssr::refund_credit(party_id, currency, amount, note).await
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
    use crate::billing::ssr::{credit_notes, invoice_view, invoices, payments};

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn get(id: Uuid) -> Result<InvoiceView, AppError> {
        invoice_view::get(&current::state().pool, &caller()?, id).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn create(input: InvoiceInput) -> Result<Uuid, AppError> {
        invoices::create(&current::state().pool, &caller()?, &input).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn input(id: Uuid) -> Result<InvoiceInput, AppError> {
        invoices::as_input(&current::state().pool, &caller()?, id).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn update(id: Uuid, input: InvoiceInput) -> Result<(), AppError> {
        invoices::update(&current::state().pool, &caller()?, id, &input).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn delete(id: Uuid) -> Result<(), AppError> {
        invoices::delete(&current::state().pool, &caller()?, id).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn send(id: Uuid) -> Result<(), AppError> {
        let state = current::state();
        invoices::send(&state.pool, &caller()?, id, &state.auth.public_url).await
    }

    #[tracing::instrument(skip_all, fields(invoice = %payment.invoice_id))]
    pub async fn record_payment(payment: PaymentInput) -> Result<PaymentOutcome, AppError> {
        let state = current::state();
        let caller = caller()?;
        payments::record_payment(
            &state.pool,
            &caller,
            &payment,
            &client(),
            &state.auth.public_url,
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn apply_credit(id: Uuid) -> Result<PaymentOutcome, AppError> {
        let state = current::state();
        let caller = caller()?;
        payments::apply_credit(&state.pool, &caller, id, &client(), &state.auth.public_url).await
    }

    #[tracing::instrument(skip_all, fields(%party_id))]
    pub async fn refund_credit(
        party_id: Uuid,
        currency: Currency,
        amount: String,
        note: String,
    ) -> Result<(), AppError> {
        let caller = caller()?;
        payments::refund_credit(
            &current::state().pool,
            &caller,
            party_id,
            currency,
            &amount,
            &note,
            &client(),
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn credit(id: Uuid, amount: String, reason: String) -> Result<Uuid, AppError> {
        let caller = caller()?;
        credit_notes::credit(
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
