//! Leads: one lead with its activities, saving one, logging an activity, and converting a lead
//! into a client, a contact and a draft quote — checked and written in one transaction, with the
//! lead locked, so two clicks never create two clients.

use sqlx::{PgConnection, PgPool};
use time::format_description::well_known::Rfc3339;
use time::Duration;
use uuid::Uuid;

use crate::auth::ssr::{begin, Caller};
use crate::auth::{Permission, Role};
use crate::billing::{LineInput, QuoteInput};
use crate::crm::{ActivityView, Conversion, LeadDetail, LeadInput};
use crate::domain::calendar::{iso_date, today};
use crate::domain::money::{format_plain, parse_minor, Currency};
use crate::domain::status::{ActivityKind, LeadSource, LeadStatus};
use crate::domain::text::{optional, Problems};
use crate::domain::vat::{VatCode, MAX_AMOUNT_MINOR};
use crate::error::{AppError, FieldProblem};

/// Loads a lead in an open transaction; `lock` takes its row for the rest of it.
async fn load(conn: &mut PgConnection, id: Uuid, lock: bool) -> Result<LeadDetail, AppError> {
    if lock {
        sqlx::query!("SELECT id FROM leads WHERE id = $1 FOR UPDATE", id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    let l = sqlx::query!(
        r#"SELECT company_id, title, organisation, contact_name, email, phone, source AS "source: LeadSource",
                  status AS "status: LeadStatus", score, estimated_value_minor, currency AS "currency: Currency",
                  reseller_party_id, party_id, notes
           FROM leads WHERE id = $1"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let activities = sqlx::query!(
        r#"SELECT kind AS "kind: ActivityKind", note, at FROM lead_activities
           WHERE company_id = $1 AND lead_id = $2 ORDER BY at DESC"#,
        l.company_id,
        id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|a| ActivityView {
        kind: a.kind,
        note: a.note,
        at: a.at.format(&Rfc3339).unwrap_or_default(),
    })
    .collect();
    Ok(LeadDetail {
        id,
        input: LeadInput {
            company_id: l.company_id,
            title: l.title,
            organisation: l.organisation,
            contact_name: l.contact_name,
            email: l.email.unwrap_or_default(),
            phone: l.phone.unwrap_or_default(),
            source: l.source,
            status: l.status,
            score: l.score.to_string(),
            estimated_value: format_plain(l.estimated_value_minor),
            currency: l.currency,
            reseller_party_id: l.reseller_party_id,
            notes: l.notes,
        },
        activities,
        party_id: l.party_id,
    })
}

/// One lead with its activities (resellers: only their own).
pub async fn get(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<LeadDetail, AppError> {
    let scope = caller.scope(Permission::LeadsRead)?;
    let mut tx = begin(pool, &scope).await?;
    let lead = load(&mut tx, id, false).await?;
    tx.commit().await?;
    Ok(lead)
}

/// Creates (no id) or updates a lead. A reseller's lead is always theirs: the party comes from
/// the session, never from the form.
pub async fn save(
    pool: &PgPool,
    caller: &Caller,
    id: Option<Uuid>,
    input: &LeadInput,
) -> Result<Uuid, AppError> {
    let scope = caller.scope_in(Permission::LeadsWrite, input.company_id)?;
    let mut p = Problems::default();
    p.text("title", &input.title, true, 200);
    p.text("organisation", &input.organisation, false, 200);
    p.text("contact_name", &input.contact_name, false, 200);
    p.email("email", &input.email, false);
    p.text("phone", &input.phone, false, 50);
    p.text("notes", &input.notes, false, 5000);
    let score = if input.score.trim().is_empty() {
        Some(0)
    } else {
        input
            .score
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|s| (0..=100).contains(s))
    };
    p.check(score.is_some(), "score", FieldProblem::Invalid);
    let value = if input.estimated_value.trim().is_empty() {
        Some(0)
    } else {
        parse_minor(&input.estimated_value)
            .ok()
            .filter(|v| (0..=MAX_AMOUNT_MINOR).contains(v))
    };
    p.check(value.is_some(), "estimated_value", FieldProblem::Invalid);
    p.done()?;
    let reseller = if caller.role == Role::Reseller {
        caller
            .memberships
            .iter()
            .find(|m| m.company_id == input.company_id)
            .and_then(|m| m.party_id)
    } else {
        input.reseller_party_id
    };
    let mut tx = begin(pool, &scope).await?;
    let saved = match id {
        None => sqlx::query_scalar!(
            r#"INSERT INTO leads (company_id, title, organisation, contact_name, email, phone, source, status, score,
                                  estimated_value_minor, currency, reseller_party_id, notes)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id"#,
            input.company_id,
            input.title.trim(),
            input.organisation.trim(),
            input.contact_name.trim(),
            optional(&input.email).map(|e| e.to_lowercase()),
            optional(&input.phone),
            input.source.as_str(),
            input.status.as_str(),
            score,
            value,
            input.currency.code(),
            reseller,
            input.notes.trim(),
        )
        .fetch_one(&mut *tx)
        .await?,
        Some(id) => sqlx::query_scalar!(
            r#"UPDATE leads SET title = $3, organisation = $4, contact_name = $5, email = $6, phone = $7, source = $8,
                      status = $9, score = $10, estimated_value_minor = $11, currency = $12, reseller_party_id = $13,
                      notes = $14, updated_at = now()
               WHERE id = $1 AND company_id = $2 RETURNING id"#,
            id,
            input.company_id,
            input.title.trim(),
            input.organisation.trim(),
            input.contact_name.trim(),
            optional(&input.email).map(|e| e.to_lowercase()),
            optional(&input.phone),
            input.source.as_str(),
            input.status.as_str(),
            score,
            value,
            input.currency.code(),
            reseller,
            input.notes.trim(),
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?,
    };
    tx.commit().await?;
    Ok(saved)
}

/// Logs a call, email, meeting or note on a lead; a new lead becomes contacted.
pub async fn add_activity(
    pool: &PgPool,
    caller: &Caller,
    lead_id: Uuid,
    kind: ActivityKind,
    note: &str,
) -> Result<(), AppError> {
    let scope = caller.scope(Permission::LeadsWrite)?;
    let mut p = Problems::default();
    p.text("note", note, true, 5000);
    p.done()?;
    let mut tx = begin(pool, &scope).await?;
    let company_id = sqlx::query_scalar!("SELECT company_id FROM leads WHERE id = $1", lead_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    caller.require(Permission::LeadsWrite, company_id)?;
    sqlx::query!(
        "INSERT INTO lead_activities (company_id, lead_id, kind, note, user_id) VALUES ($1, $2, $3, $4, $5)",
        company_id,
        lead_id,
        kind.as_str(),
        note.trim(),
        caller.user_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"UPDATE leads SET last_activity_at = now(), updated_at = now(),
                  status = CASE WHEN status = 'new' THEN 'contacted' ELSE status END
           WHERE company_id = $1 AND id = $2"#,
        company_id,
        lead_id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Turns a lead into a client company, its contact and a draft quote. The lead is read with a
/// row lock in the transaction that writes: a second conversion waits, then finds it converted.
pub async fn convert(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<Conversion, AppError> {
    if caller.role.is_portal_party() {
        return Err(AppError::Forbidden);
    }
    let scope = caller.scope(Permission::CompaniesWrite)?;
    let mut tx = begin(pool, &scope).await?;
    let lead = load(&mut tx, id, true).await?;
    let company_id = lead.input.company_id;
    caller.require(Permission::CompaniesWrite, company_id)?;
    caller.require(Permission::QuotesWrite, company_id)?;
    if lead.party_id.is_some() {
        return Err(AppError::Conflict);
    }
    let organisation = optional(&lead.input.organisation)
        .or_else(|| optional(&lead.input.contact_name))
        .ok_or_else(|| AppError::field("organisation", FieldProblem::Required))?;
    let email = optional(&lead.input.email);
    let party_id = sqlx::query_scalar!(
        "INSERT INTO parties (company_id, kind, name, email, phone) VALUES ($1, 'client', $2, $3, $4) RETURNING id",
        company_id,
        organisation,
        email,
        optional(&lead.input.phone),
    )
    .fetch_one(&mut *tx)
    .await?;
    let name = optional(&lead.input.contact_name).unwrap_or_else(|| organisation.clone());
    let (first, last) = name.split_once(' ').unwrap_or((name.as_str(), "-"));
    let contact_id = sqlx::query_scalar!(
        "INSERT INTO contacts (company_id, party_id, first_name, last_name, email, phone) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        company_id,
        party_id,
        first,
        last,
        email,
        optional(&lead.input.phone),
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match AppError::from(e) {
        // The same address already belongs to a contact of this company.
        AppError::Conflict => AppError::field("email", FieldProblem::Taken),
        other => other,
    })?;
    sqlx::query!(
        "UPDATE leads SET party_id = $3, contact_id = $4, status = 'proposal', updated_at = now() WHERE company_id = $1 AND id = $2",
        company_id,
        id,
        party_id,
        contact_id
    )
    .execute(&mut *tx)
    .await?;
    let today = today();
    let value = parse_minor(&lead.input.estimated_value).unwrap_or(0).max(0);
    let quote_id = crate::billing::ssr::quotes::create_in(
        &mut tx,
        caller,
        &QuoteInput {
            company_id,
            party_id,
            contact_id: Some(contact_id),
            title: lead.input.title.clone(),
            currency: lead.input.currency,
            valid_until: iso_date(today + Duration::days(30)),
            project_type: String::new(),
            deposit_percent: String::new(),
            notes: String::new(),
            lines: vec![LineInput {
                product_id: None,
                description: lead.input.title.clone(),
                quantity: "1".into(),
                unit: "pce".into(),
                unit_price: format_plain(value),
                discount: String::new(),
                vat_code: VatCode::Standard,
                service_date: iso_date(today),
            }],
        },
    )
    .await?;
    sqlx::query!(
        "UPDATE quotes SET lead_id = $3 WHERE company_id = $1 AND id = $2",
        company_id,
        quote_id,
        id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Conversion {
        party_id,
        contact_id,
        quote_id,
    })
}
