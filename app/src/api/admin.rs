//! Administration: people and their access, company settings.

use leptos::prelude::*;
use uuid::Uuid;

use crate::admin::{
    AccessInput, BankAccountInput, CompanyPage, CompanySettings, DepositRuleInput, InviteInput,
    InviteOutcome, UserDetail, UserRow,
};
use crate::error::AppError;

/// The people the caller administers (staff: the people of their companies).
#[server(endpoint = "admin/users")]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    ssr::list_users().await
}

/// One person with their access.
#[server(endpoint = "admin/user")]
pub async fn get_user(id: Uuid) -> Result<UserDetail, AppError> {
    ssr::get_user(id).await
}

/// Invites someone to a portal (CEO).
#[server(endpoint = "admin/invite", input = server_fn::codec::Json)]
pub async fn invite_user(input: InviteInput) -> Result<InviteOutcome, AppError> {
    ssr::invite(input).await
}

/// Replaces a person's access (CEO).
#[server(endpoint = "admin/set_access", input = server_fn::codec::Json)]
pub async fn set_user_access(id: Uuid, access: Vec<AccessInput>) -> Result<(), AppError> {
    ssr::set_access(id, access).await
}

/// Deactivates (signs out everywhere, revokes API tokens) or reactivates an account (CEO).
#[server(endpoint = "admin/set_active")]
pub async fn set_user_active(id: Uuid, active: bool) -> Result<(), AppError> {
    ssr::set_active(id, active).await
}

/// Removes a person's second factor (CEO; audited).
#[server(endpoint = "admin/reset_two_factor")]
pub async fn reset_user_two_factor(id: Uuid) -> Result<(), AppError> {
    ssr::reset_two_factor(id).await
}

/// A company's settings page.
#[server(endpoint = "admin/company")]
pub async fn load_company_settings(id: Uuid) -> Result<CompanyPage, AppError> {
    ssr::company_page(id).await
}

/// Saves a company's settings (CEO).
#[server(endpoint = "admin/save_company", input = server_fn::codec::Json)]
pub async fn save_company(settings: CompanySettings) -> Result<(), AppError> {
    ssr::save_company(settings).await
}

/// Adds or changes a company bank account (CEO).
#[server(endpoint = "admin/save_account", input = server_fn::codec::Json)]
pub async fn save_bank_account(account: BankAccountInput) -> Result<Uuid, AppError> {
    ssr::save_account(account).await
}

/// Adds, changes or removes a deposit rule (CEO).
#[server(endpoint = "admin/save_deposit_rule", input = server_fn::codec::Json)]
pub async fn save_deposit_rule(rule: DepositRuleInput, remove: bool) -> Result<(), AppError> {
    ssr::save_deposit_rule(rule, remove).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::admin::ssr::{companies, users};
    use crate::auth::ssr::current::{self, caller, client};

    #[tracing::instrument(skip_all)]
    pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
        users::list(&current::state().pool, &caller()?).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn get_user(id: Uuid) -> Result<UserDetail, AppError> {
        users::detail(&current::state().pool, &caller()?, id).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn invite(input: InviteInput) -> Result<InviteOutcome, AppError> {
        let state = current::state();
        let caller = caller()?;
        users::invite(
            &state.pool,
            &state.auth.secrets,
            &state.auth.public_url,
            &caller,
            &input,
            &client(),
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn set_access(id: Uuid, access: Vec<AccessInput>) -> Result<(), AppError> {
        let caller = caller()?;
        users::set_access(&current::state().pool, &caller, id, &access, &client()).await
    }

    #[tracing::instrument(skip_all, fields(%id, active))]
    pub async fn set_active(id: Uuid, active: bool) -> Result<(), AppError> {
        let caller = caller()?;
        users::set_active(&current::state().pool, &caller, id, active, &client()).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn reset_two_factor(id: Uuid) -> Result<(), AppError> {
        let caller = caller()?;
        users::reset_two_factor(&current::state().pool, &caller, id, &client()).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn company_page(id: Uuid) -> Result<CompanyPage, AppError> {
        companies::page(&current::state().pool, &caller()?, id).await
    }

    #[tracing::instrument(skip_all, fields(company = %settings.id))]
    pub async fn save_company(settings: CompanySettings) -> Result<(), AppError> {
        let caller = caller()?;
        companies::save(&current::state().pool, &caller, &settings, &client()).await
    }

    #[tracing::instrument(skip_all, fields(company = %account.company_id))]
    pub async fn save_account(account: BankAccountInput) -> Result<Uuid, AppError> {
        let caller = caller()?;
        companies::save_account(&current::state().pool, &caller, &account, &client()).await
    }

    #[tracing::instrument(skip_all, fields(company = %rule.company_id))]
    pub async fn save_deposit_rule(rule: DepositRuleInput, remove: bool) -> Result<(), AppError> {
        let caller = caller()?;
        companies::save_deposit_rule(&current::state().pool, &caller, &rule, remove, &client())
            .await
    }
}
