//! The CEO dashboard and its thresholds.

use leptos::prelude::*;
use uuid::Uuid;

use crate::dashboard::{CompanyThresholds, Dashboard};
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

/// Saves one company's thresholds (numbers as typed; each is checked and reported by field).
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "dashboard/save_thresholds")]
pub async fn save_thresholds(
    company_id: Uuid,
    overdue_warning_days: String,
    overdue_critical_days: String,
    quote_expiry_days: String,
    project_idle_days: String,
    lead_untouched_days: String,
    runway_warning_months: String,
    runway_critical_months: String,
) -> Result<(), AppError> {
    ssr::save_thresholds(
        company_id,
        [
            ("overdue_warning_days", overdue_warning_days),
            ("overdue_critical_days", overdue_critical_days),
            ("quote_expiry_days", quote_expiry_days),
            ("project_idle_days", project_idle_days),
            ("lead_untouched_days", lead_untouched_days),
            ("runway_warning_months", runway_warning_months),
            ("runway_critical_months", runway_critical_months),
        ],
    )
    .await
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

    #[tracing::instrument(skip_all, fields(%company_id))]
    pub async fn save_thresholds(
        company_id: Uuid,
        fields: [(&'static str, String); 7],
    ) -> Result<(), AppError> {
        let caller = caller()?;
        let mut values = [0i32; 7];
        for (slot, (name, text)) in values.iter_mut().zip(fields) {
            *slot = text
                .trim()
                .parse()
                .map_err(|_| AppError::field(name, FieldProblem::Invalid))?;
        }
        let [overdue_warning_days, overdue_critical_days, quote_expiry_days, project_idle_days, lead_untouched_days, runway_warning_months, runway_critical_months] =
            values;
        let t = Thresholds {
            overdue_warning_days,
            overdue_critical_days,
            quote_expiry_days,
            project_idle_days,
            lead_untouched_days,
            runway_warning_months,
            runway_critical_months,
        };
        board::save_thresholds(&current::state().pool, &caller, company_id, &t).await
    }
}
