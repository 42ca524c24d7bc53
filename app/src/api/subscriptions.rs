//! Recurring billing: subscriptions and the run that invoices them.

use leptos::prelude::*;
use uuid::Uuid;

use crate::billing::{SubscriptionInput, SubscriptionView};
use crate::error::AppError;

/// One subscription with its items and invoices.
#[server(endpoint = "subscriptions/get")]
pub async fn get_subscription(id: Uuid) -> Result<SubscriptionView, AppError> {
    ssr::get(id).await
}

/// Creates (no id) or changes a subscription; returns its id.
#[server(endpoint = "subscriptions/save", input = server_fn::codec::Json)]
pub async fn save_subscription(
    id: Option<Uuid>,
    input: SubscriptionInput,
) -> Result<Uuid, AppError> {
    ssr::save(id, input).await
}

/// Issues now the invoices of every period due (in the caller's companies); returns how many.
#[server(endpoint = "subscriptions/run_now")]
pub async fn run_subscriptions_now() -> Result<u32, AppError> {
    ssr::run_now().await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::ssr::current::{self, caller, client};
    use crate::billing::ssr::subscriptions;

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn get(id: Uuid) -> Result<SubscriptionView, AppError> {
        subscriptions::get(&current::state().pool, &caller()?, id).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn save(id: Option<Uuid>, input: SubscriptionInput) -> Result<Uuid, AppError> {
        let caller = caller()?;
        subscriptions::save(&current::state().pool, &caller, id, &input, &client()).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn run_now() -> Result<u32, AppError> {
        let state = current::state();
        let caller = caller()?;
        let report = subscriptions::run_now(&state.pool, &caller, &state.auth.public_url).await?;
        Ok(report.issued as u32)
    }
}
