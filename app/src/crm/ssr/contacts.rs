//! Contact people of a party: saving one. (Inviting one to the client portal is an
//! administration act: see `admin::ssr::invitations`.)

use sqlx::PgPool;
use uuid::Uuid;

use super::refs::{self, References};
use crate::auth::ssr::{begin, Caller};
use crate::auth::Permission;
use crate::crm::ContactInput;
use crate::domain::status::PartyKind;
use crate::domain::text::{optional, Problems};
use crate::error::{AppError, FieldProblem};

/// Creates (no id) or updates a contact of a party of the company.
pub async fn save(
    pool: &PgPool,
    caller: &Caller,
    id: Option<Uuid>,
    input: &ContactInput,
) -> Result<Uuid, AppError> {
    let scope = caller.scope_in(Permission::ContactsWrite, input.company_id)?;
    let mut p = Problems::default();
    p.text("first_name", &input.first_name, true, 100);
    p.text("last_name", &input.last_name, true, 100);
    p.email("email", &input.email, false);
    p.text("phone", &input.phone, false, 50);
    p.text("job_title", &input.job_title, false, 100);
    p.done()?;
    let mut tx = begin(pool, &scope).await?;
    refs::check(
        &mut tx,
        &References {
            company_id: input.company_id,
            party: Some((input.party_id, PartyKind::ALL)),
            ..References::default()
        },
    )
    .await?;
    let email = optional(&input.email).map(|e| e.to_lowercase());
    let saved = match id {
        None => sqlx::query_scalar!(
            r#"INSERT INTO contacts (company_id, party_id, first_name, last_name, email, phone, job_title, language)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"#,
            input.company_id,
            input.party_id,
            input.first_name.trim(),
            input.last_name.trim(),
            email,
            optional(&input.phone),
            input.job_title.trim(),
            input.language.code(),
        )
        .fetch_one(&mut *tx)
        .await,
        Some(id) => sqlx::query_scalar!(
            r#"UPDATE contacts SET first_name = $4, last_name = $5, email = $6, phone = $7, job_title = $8,
                      language = $9, updated_at = now()
               WHERE id = $1 AND company_id = $2 AND party_id = $3 RETURNING id"#,
            id,
            input.company_id,
            input.party_id,
            input.first_name.trim(),
            input.last_name.trim(),
            email,
            optional(&input.phone),
            input.job_title.trim(),
            input.language.code(),
        )
        .fetch_one(&mut *tx)
        .await,
    }
    .map_err(|e| match AppError::from(e) {
        // The unique address per company.
        AppError::Conflict => AppError::field("email", FieldProblem::Taken),
        other => other,
    })?;
    tx.commit().await?;
    Ok(saved)
}
