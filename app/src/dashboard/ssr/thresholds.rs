//! The alert thresholds of each company: read with the dashboard, changed in the settings.

use std::collections::HashMap;

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::auth::ssr::{begin, Caller};
use crate::auth::Permission;
use crate::dashboard::{CompanyThresholds, Thresholds};
use crate::error::{AppError, FieldProblem};

/// Thresholds per company (defaults where none were saved).
pub(super) async fn thresholds(
    conn: &mut PgConnection,
    companies: &[Uuid],
) -> Result<HashMap<Uuid, Thresholds>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT company_id, overdue_warning_days, overdue_critical_days, quote_expiry_days, project_idle_days,
                  lead_untouched_days, runway_warning_months, runway_critical_months
           FROM kpi_thresholds WHERE company_id = ANY($1)"#,
        companies
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut map: HashMap<Uuid, Thresholds> = companies
        .iter()
        .map(|c| (*c, Thresholds::default()))
        .collect();
    for r in rows {
        map.insert(
            r.company_id,
            Thresholds {
                overdue_warning_days: r.overdue_warning_days,
                overdue_critical_days: r.overdue_critical_days,
                quote_expiry_days: r.quote_expiry_days,
                project_idle_days: r.project_idle_days,
                lead_untouched_days: r.lead_untouched_days,
                runway_warning_months: r.runway_warning_months,
                runway_critical_months: r.runway_critical_months,
            },
        );
    }
    Ok(map)
}

/// The thresholds of the companies where the caller may read settings.
pub async fn list_thresholds(
    pool: &PgPool,
    caller: &Caller,
) -> Result<Vec<CompanyThresholds>, AppError> {
    let scope = caller.scope(Permission::SettingsRead)?;
    let mut tx = begin(pool, &scope).await?;
    let names = sqlx::query!(
        "SELECT id, name FROM companies WHERE id = ANY($1) ORDER BY code",
        &scope.company_ids
    )
    .fetch_all(&mut *tx)
    .await?;
    let map = thresholds(&mut tx, &scope.company_ids).await?;
    tx.commit().await?;
    Ok(names
        .into_iter()
        .map(|n| CompanyThresholds {
            company_id: n.id,
            company_name: n.name,
            thresholds: map.get(&n.id).copied().unwrap_or_default(),
        })
        .collect())
}

/// Saves a company's thresholds after checking them field by field.
pub async fn save_thresholds(
    pool: &PgPool,
    caller: &Caller,
    company_id: Uuid,
    t: &Thresholds,
) -> Result<(), AppError> {
    let scope = caller.scope_in(Permission::SettingsWrite, company_id)?;
    let checks: [(&'static str, i32, i32, i32); 7] = [
        ("overdue_warning_days", t.overdue_warning_days, 0, 365),
        ("overdue_critical_days", t.overdue_critical_days, 1, 730),
        ("quote_expiry_days", t.quote_expiry_days, 1, 90),
        ("project_idle_days", t.project_idle_days, 1, 365),
        ("lead_untouched_days", t.lead_untouched_days, 1, 90),
        ("runway_warning_months", t.runway_warning_months, 1, 60),
        ("runway_critical_months", t.runway_critical_months, 0, 60),
    ];
    for (field, value, min, max) in checks {
        if !(min..=max).contains(&value) {
            return Err(AppError::field(field, FieldProblem::Invalid));
        }
    }
    if t.overdue_critical_days <= t.overdue_warning_days {
        return Err(AppError::field(
            "overdue_critical_days",
            FieldProblem::Invalid,
        ));
    }
    if t.runway_critical_months >= t.runway_warning_months {
        return Err(AppError::field(
            "runway_critical_months",
            FieldProblem::Invalid,
        ));
    }
    let mut tx = begin(pool, &scope).await?;
    sqlx::query!(
        r#"INSERT INTO kpi_thresholds (company_id, overdue_warning_days, overdue_critical_days, quote_expiry_days,
                                       project_idle_days, lead_untouched_days, runway_warning_months, runway_critical_months)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (company_id) DO UPDATE SET
               overdue_warning_days = EXCLUDED.overdue_warning_days, overdue_critical_days = EXCLUDED.overdue_critical_days,
               quote_expiry_days = EXCLUDED.quote_expiry_days, project_idle_days = EXCLUDED.project_idle_days,
               lead_untouched_days = EXCLUDED.lead_untouched_days, runway_warning_months = EXCLUDED.runway_warning_months,
               runway_critical_months = EXCLUDED.runway_critical_months, updated_at = now()"#,
        company_id,
        t.overdue_warning_days,
        t.overdue_critical_days,
        t.quote_expiry_days,
        t.project_idle_days,
        t.lead_untouched_days,
        t.runway_warning_months,
        t.runway_critical_months,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
