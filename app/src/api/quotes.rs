//! Quotes: staff create, edit, duplicate and send them; clients view, sign or decline them.

use leptos::prelude::*;
use uuid::Uuid;

use crate::billing::{QuoteInput, QuoteView, SignatureInput, TermsView};
use crate::error::AppError;

/// One quote (a client opening a sent quote marks it viewed).
#[server(endpoint = "quotes/get")]
pub async fn get_quote(id: Uuid) -> Result<QuoteView, AppError> {
    ssr::get(id).await
}

/// A quote's editable content (staff).
#[server(endpoint = "quotes/input")]
pub async fn editable_quote(id: Uuid) -> Result<QuoteInput, AppError> {
    ssr::input(id).await
}

/// Creates a draft quote; returns its id.
#[server(endpoint = "quotes/create", input = server_fn::codec::Json)]
pub async fn create_quote(input: QuoteInput) -> Result<Uuid, AppError> {
    ssr::create(input).await
}

/// Replaces a draft quote's content.
#[server(endpoint = "quotes/update", input = server_fn::codec::Json)]
pub async fn update_quote(id: Uuid, input: QuoteInput) -> Result<(), AppError> {
    ssr::update(id, input).await
}

/// Copies a quote into a new draft; returns the new id.
#[server(endpoint = "quotes/duplicate")]
pub async fn duplicate_quote(id: Uuid) -> Result<Uuid, AppError> {
    ssr::duplicate(id).await
}

/// Sends a draft quote to the client (email with the portal link).
#[server(endpoint = "quotes/send")]
pub async fn send_quote(id: Uuid) -> Result<(), AppError> {
    ssr::send(id).await
}

/// The terms the client must accept to sign this quote.
#[server(endpoint = "quotes/terms")]
pub async fn quote_terms(id: Uuid) -> Result<TermsView, AppError> {
    ssr::terms(id).await
}

/// The client accepts the terms and signs.
#[server(endpoint = "quotes/sign", input = server_fn::codec::Json)]
pub async fn sign_quote(signature: SignatureInput) -> Result<(), AppError> {
    ssr::sign(signature).await
}

/// The client declines the quote.
#[server(endpoint = "quotes/reject")]
pub async fn reject_quote(id: Uuid) -> Result<(), AppError> {
    ssr::reject(id).await
}

/// Raises the final invoice of a signed quote (deducting the deposit); returns its id.
#[server(endpoint = "quotes/final_invoice")]
pub async fn final_invoice(id: Uuid) -> Result<Uuid, AppError> {
    ssr::final_invoice(id).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::ssr::current::{self, caller, client};
    use crate::billing::ssr::{quotes, signing};

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn get(id: Uuid) -> Result<QuoteView, AppError> {
        let caller = caller()?;
        quotes::get(&current::state().pool, &caller, id).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn input(id: Uuid) -> Result<QuoteInput, AppError> {
        let caller = caller()?;
        quotes::as_input(&current::state().pool, &caller, id).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn create(input: QuoteInput) -> Result<Uuid, AppError> {
        let caller = caller()?;
        quotes::create(&current::state().pool, &caller, &input).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn update(id: Uuid, input: QuoteInput) -> Result<(), AppError> {
        let caller = caller()?;
        quotes::update(&current::state().pool, &caller, id, &input).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn duplicate(id: Uuid) -> Result<Uuid, AppError> {
        let caller = caller()?;
        quotes::duplicate(&current::state().pool, &caller, id).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn send(id: Uuid) -> Result<(), AppError> {
        let caller = caller()?;
        let state = current::state();
        quotes::send(&state.pool, &caller, id, &state.auth.public_url).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn terms(id: Uuid) -> Result<TermsView, AppError> {
        let caller = caller()?;
        signing::terms_for(&current::state().pool, &caller, id).await
    }

    #[tracing::instrument(skip_all, fields(quote = %signature.quote_id))]
    pub async fn sign(signature: SignatureInput) -> Result<(), AppError> {
        let caller = caller()?;
        let state = current::state();
        signing::sign(
            &state.pool,
            &caller,
            &signature,
            &client(),
            &state.auth.public_url,
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn reject(id: Uuid) -> Result<(), AppError> {
        let caller = caller()?;
        signing::reject(&current::state().pool, &caller, id).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn final_invoice(id: Uuid) -> Result<Uuid, AppError> {
        let caller = caller()?;
        signing::final_invoice(&current::state().pool, &caller, id).await
    }
}
