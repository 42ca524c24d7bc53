//! CRM parties: the client companies, providers and resellers of the owner companies.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;

/// A party as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartySummary {
    /// Party id.
    pub id: Uuid,
    /// Owner company it belongs to.
    pub company_id: Uuid,
    /// `client`, `supplier`, `provider`, `partner` or `reseller`.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Email address.
    pub email: Option<String>,
    /// Town.
    pub town: String,
}

/// The parties the caller may see: every party of their companies for staff and the CEO, their
/// own party for portal users.
#[server(endpoint = "crm/parties")]
pub async fn list_parties() -> Result<Vec<PartySummary>, AppError> {
    ssr::list_parties().await
}

/// One party, if the caller may see it.
#[server(endpoint = "crm/party")]
pub async fn get_party(id: Uuid) -> Result<PartySummary, AppError> {
    ssr::get_party(id).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::ssr::begin;
    use crate::auth::ssr::current::{self, caller};
    use crate::auth::Permission;

    #[tracing::instrument(skip_all)]
    pub async fn list_parties() -> Result<Vec<PartySummary>, AppError> {
        let scope = caller()?.scope(Permission::CompaniesRead)?;
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let rows = sqlx::query_as!(
            PartySummary,
            r#"SELECT id, company_id, kind, name, email, town FROM parties
               WHERE company_id = ANY($1) ORDER BY name LIMIT 500"#,
            &scope.company_ids,
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(rows)
    }

    #[tracing::instrument(skip_all)]
    pub async fn get_party(id: Uuid) -> Result<PartySummary, AppError> {
        let scope = caller()?.scope(Permission::CompaniesRead)?;
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        // Row-level security decides visibility: another tenant's party is simply not found.
        let row = sqlx::query_as!(
            PartySummary,
            "SELECT id, company_id, kind, name, email, town FROM parties WHERE id = $1",
            id,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(row)
    }
}
