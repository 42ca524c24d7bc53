//! The CEO dashboard and its thresholds.

use leptos::prelude::*;

use crate::dashboard::{CompanyThresholds, Dashboard, ThresholdsInput};
use crate::error::AppError;

/// The dashboard of the companies in focus (company switcher), consolidated in CHF.
#[server(endpoint = "dashboard")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    ssr::dashboard().await
}

/// Alert and runway thresholds of each company the caller may configure.
#[server(endpoint = "dashboard/thresholds")]
pub async fn list_thresholds() -> Result<Vec<CompanyThresholds>, AppError> {
    ssr::thresholds().await
}

/// Saves one company's thresholds (form fields `input[...]`).
#[server(endpoint = "dashboard/save_thresholds")]
pub async fn save_thresholds(input: ThresholdsInput) -> Result<(), AppError> {
    ssr::save_thresholds(input).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::ssr::current::{self, caller};
    use crate::dashboard::{ssr as board, Thresholds};
    use crate::error::FieldProblem;

    #[tracing::instrument(skip_all)]
    pub async fn dashboard() -> Result<Dashboard, AppError> {
        let caller = caller()?;
        board::load(&current::state().pool, &caller).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn thresholds() -> Result<Vec<CompanyThresholds>, AppError> {
        let caller = caller()?;
        board::list_thresholds(&current::state().pool, &caller).await
    }

    #[tracing::instrument(skip_all, fields(company = %input.company_id))]
    pub async fn save_thresholds(input: ThresholdsInput) -> Result<(), AppError> {
        let caller = caller()?;
        let number = |name: &'static str, text: &str| {
            text.trim()
                .parse::<i32>()
                .map_err(|_| AppError::field(name, FieldProblem::Invalid))
        };
        let t = Thresholds {
            overdue_warning_days: number("overdue_warning_days", &input.overdue_warning_days)?,
            overdue_critical_days: number("overdue_critical_days", &input.overdue_critical_days)?,
            quote_expiry_days: number("quote_expiry_days", &input.quote_expiry_days)?,
            project_idle_days: number("project_idle_days", &input.project_idle_days)?,
            lead_untouched_days: number("lead_untouched_days", &input.lead_untouched_days)?,
            runway_warning_months: number("runway_warning_months", &input.runway_warning_months)?,
            runway_critical_months: number(
                "runway_critical_months",
                &input.runway_critical_months,
            )?,
        };
        board::save_thresholds(&current::state().pool, &caller, input.company_id, &t).await
    }
}
