//! Parties (client, supplier, provider, partner and reseller companies): the picker, one party
//! with its contacts, saving one.

use sqlx::PgPool;
use uuid::Uuid;

use crate::auth::ssr::{begin, Caller};
use crate::auth::Permission;
use crate::crm::{ContactView, PartyInput, PartyRecord, PartySummary};
use crate::domain::reference::{compact, iban_is_valid};
use crate::domain::status::PartyKind;
use crate::domain::text::{optional, search_pattern, Problems};
use crate::error::{AppError, FieldProblem};
use crate::i18n::Locale;

/// Choices for a party picker: up to 50 parties of `company` (of one kind), matching `search`,
/// by name. Pickers ask again as the person types; lists of every party use the list engine.
pub async fn choices(
    pool: &PgPool,
    caller: &Caller,
    company_id: Uuid,
    kind: Option<PartyKind>,
    search: Option<&str>,
) -> Result<Vec<PartySummary>, AppError> {
    let scope = caller.scope_in(Permission::CompaniesRead, company_id)?;
    let pattern = search_pattern("search", search)?;
    let mut tx = begin(pool, &scope).await?;
    let rows = sqlx::query_as!(
        PartySummary,
        r#"SELECT id, company_id, kind AS "kind: PartyKind", name, email, town FROM parties
           WHERE company_id = $1
             AND ($2::text IS NULL OR kind = $2)
             AND ($3::text IS NULL OR id IN (SELECT search_ids('party', $3, false)))
           ORDER BY name, id
           LIMIT 50"#,
        company_id,
        kind.map(PartyKind::as_str),
        pattern,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows)
}

/// One party as a heading shows it (portal users: only their own).
pub async fn summary(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<PartySummary, AppError> {
    let scope = caller.scope(Permission::CompaniesRead)?;
    let mut tx = begin(pool, &scope).await?;
    // Row-level security decides visibility: another tenant's party is simply not found.
    let row = sqlx::query_as!(
        PartySummary,
        r#"SELECT id, company_id, kind AS "kind: PartyKind", name, email, town FROM parties WHERE id = $1"#,
        id,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(row)
}

/// A party with its editable fields and its contacts (staff).
pub async fn detail(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<PartyRecord, AppError> {
    if caller.role.is_portal_party() {
        return Err(AppError::Forbidden);
    }
    let scope = caller.scope(Permission::CompaniesRead)?;
    let mut tx = begin(pool, &scope).await?;
    let p = sqlx::query!(
        r#"SELECT id, company_id, kind AS "kind: PartyKind", name, email, phone, street, building_number,
                  postal_code, town, country::text AS "country!", vat_number, iban, language AS "language: Locale", notes
           FROM parties WHERE id = $1"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let contacts = sqlx::query!(
        r#"SELECT id, party_id, first_name, last_name, email, phone, job_title, language AS "language: Locale", user_id
           FROM contacts WHERE company_id = $1 AND party_id = $2 ORDER BY last_name, first_name"#,
        p.company_id,
        id
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|c| ContactView {
        id: c.id,
        party_id: c.party_id,
        first_name: c.first_name,
        last_name: c.last_name,
        email: c.email,
        phone: c.phone,
        job_title: c.job_title,
        language: c.language,
        has_login: c.user_id.is_some(),
    })
    .collect();
    tx.commit().await?;
    Ok(PartyRecord {
        id,
        input: PartyInput {
            company_id: p.company_id,
            kind: p.kind,
            name: p.name,
            email: p.email.unwrap_or_default(),
            phone: p.phone.unwrap_or_default(),
            street: p.street,
            building_number: p.building_number,
            postal_code: p.postal_code,
            town: p.town,
            country: p.country,
            vat_number: p.vat_number.unwrap_or_default(),
            iban: p.iban.unwrap_or_default(),
            language: p.language,
            notes: p.notes,
        },
        contacts,
    })
}

/// Creates (no id) or updates a party; every field is checked and reported by name.
pub async fn save(
    pool: &PgPool,
    caller: &Caller,
    id: Option<Uuid>,
    input: &PartyInput,
) -> Result<Uuid, AppError> {
    let scope = caller.scope_in(Permission::CompaniesWrite, input.company_id)?;
    let mut p = Problems::default();
    p.text("name", &input.name, true, 200);
    p.email("email", &input.email, false);
    p.text("phone", &input.phone, false, 50);
    p.text("street", &input.street, false, 70);
    p.text("building_number", &input.building_number, false, 16);
    p.text("postal_code", &input.postal_code, false, 16);
    p.text("town", &input.town, false, 35);
    let country = optional(&input.country)
        .unwrap_or_else(|| "CH".to_owned())
        .to_uppercase();
    p.check(
        country.len() == 2 && country.chars().all(|c| c.is_ascii_uppercase()),
        "country",
        FieldProblem::Invalid,
    );
    p.text("vat_number", &input.vat_number, false, 50);
    let iban = optional(&input.iban).map(|i| compact(&i));
    p.check(
        iban.as_deref().is_none_or(iban_is_valid),
        "iban",
        FieldProblem::Invalid,
    );
    p.text("notes", &input.notes, false, 5000);
    p.done()?;
    let mut tx = begin(pool, &scope).await?;
    let email = optional(&input.email).map(|e| e.to_lowercase());
    let saved = match id {
        None => sqlx::query_scalar!(
            r#"INSERT INTO parties (company_id, kind, name, email, phone, street, building_number, postal_code, town,
                                    country, vat_number, iban, language, notes)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id"#,
            input.company_id,
            input.kind.as_str(),
            input.name.trim(),
            email,
            optional(&input.phone),
            input.street.trim(),
            input.building_number.trim(),
            input.postal_code.trim(),
            input.town.trim(),
            country,
            optional(&input.vat_number),
            iban,
            input.language.code(),
            input.notes.trim(),
        )
        .fetch_one(&mut *tx)
        .await?,
        Some(id) => sqlx::query_scalar!(
            r#"UPDATE parties SET kind = $3, name = $4, email = $5, phone = $6, street = $7, building_number = $8,
                      postal_code = $9, town = $10, country = $11, vat_number = $12, iban = $13, language = $14,
                      notes = $15, updated_at = now()
               WHERE id = $1 AND company_id = $2 RETURNING id"#,
            id,
            input.company_id,
            input.kind.as_str(),
            input.name.trim(),
            email,
            optional(&input.phone),
            input.street.trim(),
            input.building_number.trim(),
            input.postal_code.trim(),
            input.town.trim(),
            country,
            optional(&input.vat_number),
            iban,
            input.language.code(),
            input.notes.trim(),
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?,
    };
    tx.commit().await?;
    Ok(saved)
}
