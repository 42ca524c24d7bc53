//! Projects (the sales cycle creates them; W4 builds on them) and the client's dashboard.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::billing::ClientHomeView;
use crate::error::AppError;

/// A project in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectSummary {
    /// Project id.
    pub id: Uuid,
    /// Owner company code.
    pub company_code: String,
    /// Client name.
    pub party_name: String,
    /// Name.
    pub name: String,
    /// `planning`, `deposit_pending`, `active`, `completed`, `cancelled`.
    pub status: String,
    /// The quote it came from.
    pub quote_number: Option<String>,
}

/// What a client sees first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    /// Quotes to decide, invoices to pay, what is owed.
    pub home: ClientHomeView,
    /// Projects.
    pub projects: Vec<ProjectSummary>,
}

/// Projects visible to the caller.
#[server(endpoint = "projects/list")]
pub async fn list_projects(status: Option<String>) -> Result<Vec<ProjectSummary>, AppError> {
    ssr::list(status).await
}

/// The client's dashboard: quotes to decide, invoices to pay, projects.
#[server(endpoint = "portal/client_dashboard")]
pub async fn client_dashboard() -> Result<DashboardView, AppError> {
    ssr::dashboard().await
}

/// Sets the caller's language (interface and, for contacts, their documents and emails).
#[server(endpoint = "portal/language")]
pub async fn set_my_language(locale: String) -> Result<(), AppError> {
    ssr::set_language(locale).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::ssr::current::{self, caller};
    use crate::auth::ssr::{begin, Scope};
    use crate::auth::Permission;
    use crate::error::FieldProblem;
    use crate::i18n::{Locale, LOCALE_COOKIE};

    #[tracing::instrument(skip_all)]
    pub async fn list(status: Option<String>) -> Result<Vec<ProjectSummary>, AppError> {
        let scope = caller()?.focused(Permission::ProjectsRead)?;
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let rows = sqlx::query_as!(
            ProjectSummary,
            r#"SELECT pr.id, c.code AS company_code, p.name AS party_name, pr.name, pr.status, q.number AS "quote_number?"
               FROM projects pr JOIN companies c ON c.id = pr.company_id
               JOIN parties p ON p.company_id = pr.company_id AND p.id = pr.party_id
               LEFT JOIN quotes q ON q.company_id = pr.company_id AND q.id = pr.quote_id
               WHERE pr.company_id = ANY($1) AND ($2::text IS NULL OR pr.status = $2)
               ORDER BY pr.created_at DESC LIMIT 200"#,
            &scope.company_ids,
            status
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(rows)
    }

    #[tracing::instrument(skip_all)]
    pub async fn dashboard() -> Result<DashboardView, AppError> {
        let caller = caller()?;
        let state = current::state();
        Ok(DashboardView {
            home: crate::billing::ssr::client_home::load(&state.pool, &caller).await?,
            projects: list(None).await?,
        })
    }

    #[tracing::instrument(skip_all)]
    pub async fn set_language(code: String) -> Result<(), AppError> {
        let caller = caller()?;
        let locale =
            Locale::parse(&code).ok_or_else(|| AppError::field("locale", FieldProblem::Invalid))?;
        let state = current::state();
        // One's own user row and contact records: narrow writes, keyed by the session's user.
        let mut tx = begin(&state.pool, &Scope::system()).await?;
        sqlx::query!(
            "UPDATE users SET locale = $2, updated_at = now() WHERE id = $1",
            caller.user_id,
            locale.code()
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "UPDATE contacts SET language = $2, updated_at = now() WHERE user_id = $1",
            caller.user_id,
            locale.code()
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if let Ok(value) = http::HeaderValue::from_str(&format!(
            "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            locale.code()
        )) {
            current::set_cookie(value);
        }
        Ok(())
    }
}
