//! The one check every document input goes through: each id it names (party, contact,
//! product, project) must belong to the document's company — and contacts and projects to its
//! party. Row-level security only says the caller may see a row; this says the row fits.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::status::PartyKind;
use crate::error::{AppError, FieldError, FieldProblem};

/// The ids an input refers to, and what they must fit.
#[derive(Clone, Debug, Default)]
pub struct References<'a> {
    /// The document's owner company.
    pub company_id: Uuid,
    /// The party the document is for (`party_id`), with the kinds it may be.
    pub party: Option<(Uuid, &'a [PartyKind])>,
    /// A contact person (`contact_id`): must work at the party.
    pub contact_id: Option<Uuid>,
    /// A project (`project_id`): must be the party's.
    pub project_id: Option<Uuid>,
    /// Catalogue products of the lines (`lines.{i}.product_id`), in line order.
    pub products: Vec<Option<Uuid>>,
}

/// Checks every reference; all misfits are reported at once, by field.
pub async fn check(conn: &mut PgConnection, refs: &References<'_>) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let party_id = refs.party.map(|(id, _)| id);
    if let Some((party, kinds)) = refs.party {
        let kind = sqlx::query_scalar!(
            r#"SELECT kind AS "kind: PartyKind" FROM parties WHERE company_id = $1 AND id = $2"#,
            refs.company_id,
            party
        )
        .fetch_optional(&mut *conn)
        .await?;
        if !kind.is_some_and(|k| kinds.contains(&k)) {
            errors.push(misfit("party_id"));
        }
    }
    if let Some(contact) = refs.contact_id {
        let fits = sqlx::query_scalar!(
            r#"SELECT count(*) AS "n!" FROM contacts
               WHERE company_id = $1 AND id = $2 AND party_id IS NOT DISTINCT FROM $3"#,
            refs.company_id,
            contact,
            party_id
        )
        .fetch_one(&mut *conn)
        .await?;
        if fits == 0 {
            errors.push(misfit("contact_id"));
        }
    }
    if let Some(project) = refs.project_id {
        let fits = sqlx::query_scalar!(
            r#"SELECT count(*) AS "n!" FROM projects
               WHERE company_id = $1 AND id = $2 AND party_id IS NOT DISTINCT FROM $3"#,
            refs.company_id,
            project,
            party_id
        )
        .fetch_one(&mut *conn)
        .await?;
        if fits == 0 {
            errors.push(misfit("project_id"));
        }
    }
    let products: Vec<Uuid> = refs.products.iter().flatten().copied().collect();
    if !products.is_empty() {
        let known = sqlx::query_scalar!(
            "SELECT id FROM products WHERE company_id = $1 AND id = ANY($2)",
            refs.company_id,
            &products
        )
        .fetch_all(&mut *conn)
        .await?;
        for (i, product) in refs.products.iter().enumerate() {
            if product.is_some_and(|p| !known.contains(&p)) {
                errors.push(misfit(&format!("lines.{i}.product_id")));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

fn misfit(field: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        problem: FieldProblem::Invalid,
    }
}
