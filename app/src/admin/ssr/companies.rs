//! An owner company's settings: identity and logo (on every document), bank accounts (the
//! account per currency invoices point to), numbering formats, payment terms, VAT rounding,
//! document language, email sender, deposit rules.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use sqlx::PgPool;
use uuid::Uuid;

use crate::admin::{BankAccountInput, CompanyPage, CompanySettings, DepositRuleInput};
use crate::auth::ssr::audit::{self, AuditEvent, ClientInfo};
use crate::auth::ssr::{begin, Caller};
use crate::auth::Permission;
use crate::domain::money::{
    format_percent_bp, format_plain, parse_minor, parse_percent_bp, Currency,
};
use crate::domain::numbering;
use crate::domain::reference::{compact, iban_is_valid, is_qr_iban};
use crate::domain::status::VatRounding;
use crate::domain::text::{optional, Problems};
use crate::domain::vat::MAX_AMOUNT_MINOR;
use crate::error::{AppError, FieldProblem};
use crate::i18n::Locale;
use crate::state::{AppState, PlainRoutes};

/// Largest logo accepted, in bytes (the database checks it too).
pub const MAX_LOGO_BYTES: usize = 512 * 1024;

/// The settings page of one company.
pub async fn page(
    pool: &PgPool,
    caller: &Caller,
    company_id: Uuid,
) -> Result<CompanyPage, AppError> {
    let scope = caller.scope_in(Permission::SettingsRead, company_id)?;
    let mut tx = begin(pool, &scope).await?;
    let c = sqlx::query!(
        r#"SELECT id, code, name, legal_name, uid, vat_number, street, building_number, postal_code, town,
                  country::text AS "country!", email, phone, colour, payment_terms_days, round_to_5_centimes,
                  vat_rounding AS "vat_rounding: VatRounding", quote_number_format, invoice_number_format,
                  credit_note_number_format, document_language AS "document_language: Locale", sender_name,
                  reply_to, (logo IS NOT NULL) AS "has_logo!", bill_ceo_above_minor, bill_second_factor_above_minor
           FROM companies WHERE id = $1"#,
        company_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let accounts = sqlx::query!(
        r#"SELECT id, name, iban, qr_iban, currency AS "currency: Currency", receives_invoices
           FROM bank_accounts WHERE company_id = $1 ORDER BY currency, name"#,
        company_id
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|a| BankAccountInput {
        id: Some(a.id),
        company_id,
        name: a.name,
        iban: a.iban,
        qr_iban: a.qr_iban.unwrap_or_default(),
        currency: a.currency,
        receives_invoices: a.receives_invoices,
    })
    .collect();
    let deposit_rules = sqlx::query!(
        "SELECT project_type, percent_bp, due_days FROM deposit_rules WHERE company_id = $1 ORDER BY project_type",
        company_id
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| DepositRuleInput {
        company_id,
        project_type: r.project_type,
        percent: format_percent_bp(r.percent_bp),
        due_days: r.due_days.to_string(),
    })
    .collect();
    tx.commit().await?;
    Ok(CompanyPage {
        settings: CompanySettings {
            id: c.id,
            code: c.code,
            name: c.name,
            legal_name: c.legal_name,
            uid: c.uid.unwrap_or_default(),
            vat_number: c.vat_number.unwrap_or_default(),
            street: c.street,
            building_number: c.building_number,
            postal_code: c.postal_code,
            town: c.town,
            country: c.country,
            email: c.email,
            phone: c.phone,
            colour: c.colour,
            payment_terms_days: c.payment_terms_days.to_string(),
            round_to_5_centimes: c.round_to_5_centimes,
            vat_rounding: c.vat_rounding,
            quote_number_format: c.quote_number_format,
            invoice_number_format: c.invoice_number_format,
            credit_note_number_format: c.credit_note_number_format,
            document_language: c.document_language,
            sender_name: c.sender_name,
            reply_to: c.reply_to,
            has_logo: c.has_logo,
            bill_ceo_above: format_plain(c.bill_ceo_above_minor),
            bill_second_factor_above: format_plain(c.bill_second_factor_above_minor),
        },
        accounts,
        deposit_rules,
    })
}

fn check_format(p: &mut Problems, field: &str, format: &str) {
    match numbering::validate(format.trim()) {
        Ok(()) => {}
        Err(numbering::FormatError::Counter | numbering::FormatError::Year) => {
            p.check(false, field, FieldProblem::Required)
        }
        Err(numbering::FormatError::Invalid) => p.check(false, field, FieldProblem::Invalid),
    }
}

/// Saves a company's settings (CEO). Every field is checked and reported by name.
pub async fn save(
    pool: &PgPool,
    caller: &Caller,
    s: &CompanySettings,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let scope = caller.scope_in(Permission::SettingsWrite, s.id)?;
    let mut p = Problems::default();
    p.text("name", &s.name, true, 200);
    p.text("legal_name", &s.legal_name, true, 70);
    let uid = optional(&s.uid);
    p.check(
        uid.as_deref().is_none_or(|u| {
            u.len() == 15
                && u.starts_with("CHE-")
                && u[4..].chars().enumerate().all(|(i, c)| {
                    if i == 3 || i == 7 {
                        c == '.'
                    } else {
                        c.is_ascii_digit()
                    }
                })
        }),
        "uid",
        FieldProblem::Invalid,
    );
    p.text("vat_number", &s.vat_number, false, 50);
    p.text("street", &s.street, true, 70);
    p.text("building_number", &s.building_number, false, 16);
    p.text("postal_code", &s.postal_code, true, 16);
    p.text("town", &s.town, true, 35);
    let country = s.country.trim().to_uppercase();
    p.check(
        country.len() == 2 && country.chars().all(|c| c.is_ascii_uppercase()),
        "country",
        FieldProblem::Invalid,
    );
    p.email("email", &s.email, false);
    p.text("phone", &s.phone, false, 50);
    p.check(
        s.colour.len() == 7
            && s.colour.starts_with('#')
            && s.colour[1..].chars().all(|c| c.is_ascii_hexdigit()),
        "colour",
        FieldProblem::Invalid,
    );
    let terms = s
        .payment_terms_days
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|d| (0..=365).contains(d));
    p.check(terms.is_some(), "payment_terms_days", FieldProblem::Invalid);
    check_format(&mut p, "quote_number_format", &s.quote_number_format);
    check_format(&mut p, "invoice_number_format", &s.invoice_number_format);
    check_format(
        &mut p,
        "credit_note_number_format",
        &s.credit_note_number_format,
    );
    p.text("sender_name", &s.sender_name, false, 100);
    p.email("reply_to", &s.reply_to, false);
    let threshold = |text: &str| {
        parse_minor(text)
            .ok()
            .filter(|v| (0..=MAX_AMOUNT_MINOR).contains(v))
    };
    let ceo_above = threshold(&s.bill_ceo_above);
    let second_factor_above = threshold(&s.bill_second_factor_above);
    p.check(ceo_above.is_some(), "bill_ceo_above", FieldProblem::Invalid);
    p.check(
        second_factor_above.is_some(),
        "bill_second_factor_above",
        FieldProblem::Invalid,
    );
    p.done()?;
    let mut tx = begin(pool, &scope).await?;
    let done = sqlx::query!(
        r#"UPDATE companies SET name = $2, legal_name = $3, uid = $4, vat_number = $5, street = $6,
                  building_number = $7, postal_code = $8, town = $9, country = $10, email = $11, phone = $12,
                  colour = $13, payment_terms_days = $14, round_to_5_centimes = $15, vat_rounding = $16,
                  quote_number_format = $17, invoice_number_format = $18, credit_note_number_format = $19,
                  document_language = $20, sender_name = $21, reply_to = $22,
                  bill_ceo_above_minor = $23, bill_second_factor_above_minor = $24, updated_at = now()
           WHERE id = $1"#,
        s.id,
        s.name.trim(),
        s.legal_name.trim(),
        uid,
        optional(&s.vat_number),
        s.street.trim(),
        s.building_number.trim(),
        s.postal_code.trim(),
        s.town.trim(),
        country,
        s.email.trim().to_lowercase(),
        s.phone.trim(),
        s.colour.trim(),
        terms,
        s.round_to_5_centimes,
        s.vat_rounding.as_str(),
        s.quote_number_format.trim(),
        s.invoice_number_format.trim(),
        s.credit_note_number_format.trim(),
        s.document_language.code(),
        s.sender_name.trim(),
        s.reply_to.trim().to_lowercase(),
        ceo_above,
        second_factor_above,
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        client,
        AuditEvent::CompanySettingsChanged,
        Some(caller.user_id),
        serde_json::json!({ "company": s.id }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds or changes a bank account. At most one account per currency receives invoices: marking
/// this one moves the mark from the other.
pub async fn save_account(
    pool: &PgPool,
    caller: &Caller,
    a: &BankAccountInput,
    client: &ClientInfo,
) -> Result<Uuid, AppError> {
    let scope = caller.scope_in(Permission::SettingsWrite, a.company_id)?;
    let mut p = Problems::default();
    p.text("name", &a.name, true, 100);
    let iban = compact(&a.iban);
    p.check(iban_is_valid(&iban), "iban", FieldProblem::Invalid);
    let qr_iban = optional(&a.qr_iban).map(|q| compact(&q));
    p.check(
        qr_iban
            .as_deref()
            .is_none_or(|q| iban_is_valid(q) && is_qr_iban(q)),
        "qr_iban",
        FieldProblem::Invalid,
    );
    p.check(
        qr_iban.is_none() || matches!(a.currency, Currency::CHF | Currency::EUR),
        "qr_iban",
        FieldProblem::Invalid,
    );
    p.done()?;
    let mut tx = begin(pool, &scope).await?;
    if a.receives_invoices {
        sqlx::query!(
            "UPDATE bank_accounts SET receives_invoices = false WHERE company_id = $1 AND currency = $2 AND id IS DISTINCT FROM $3",
            a.company_id,
            a.currency.code(),
            a.id
        )
        .execute(&mut *tx)
        .await?;
    }
    let saved = match a.id {
        None => sqlx::query_scalar!(
            r#"INSERT INTO bank_accounts (company_id, name, iban, qr_iban, currency, receives_invoices)
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"#,
            a.company_id,
            a.name.trim(),
            iban,
            qr_iban,
            a.currency.code(),
            a.receives_invoices,
        )
        .fetch_one(&mut *tx)
        .await,
        Some(id) => sqlx::query_scalar!(
            r#"UPDATE bank_accounts SET name = $3, iban = $4, qr_iban = $5, currency = $6, receives_invoices = $7
               WHERE company_id = $1 AND id = $2 RETURNING id"#,
            a.company_id,
            id,
            a.name.trim(),
            iban,
            qr_iban,
            a.currency.code(),
            a.receives_invoices,
        )
        .fetch_optional(&mut *tx)
        .await
        .and_then(|r| r.ok_or(sqlx::Error::RowNotFound)),
    }
    .map_err(|e| match AppError::from(e) {
        AppError::Conflict => AppError::field("iban", FieldProblem::Taken),
        other => other,
    })?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::BankAccountSaved,
        Some(caller.user_id),
        serde_json::json!({ "company": a.company_id, "account": saved, "currency": a.currency.code(),
                            "receives_invoices": a.receives_invoices }),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

/// Adds or changes the deposit rule of a project type (`remove`: deletes it).
pub async fn save_deposit_rule(
    pool: &PgPool,
    caller: &Caller,
    r: &DepositRuleInput,
    remove: bool,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let scope = caller.scope_in(Permission::SettingsWrite, r.company_id)?;
    let mut p = Problems::default();
    p.text("project_type", &r.project_type, true, 50);
    let percent = parse_percent_bp(&r.percent)
        .ok()
        .filter(|bp| (0..=10_000).contains(bp));
    let due = r
        .due_days
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|d| (0..=365).contains(d));
    if !remove {
        p.check(percent.is_some(), "percent", FieldProblem::Invalid);
        p.check(due.is_some(), "due_days", FieldProblem::Invalid);
    }
    p.done()?;
    let mut tx = begin(pool, &scope).await?;
    if remove {
        sqlx::query!(
            "DELETE FROM deposit_rules WHERE company_id = $1 AND project_type = $2",
            r.company_id,
            r.project_type.trim()
        )
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query!(
            r#"INSERT INTO deposit_rules (company_id, project_type, percent_bp, due_days) VALUES ($1, $2, $3, $4)
               ON CONFLICT (company_id, project_type) DO UPDATE SET percent_bp = EXCLUDED.percent_bp, due_days = EXCLUDED.due_days"#,
            r.company_id,
            r.project_type.trim(),
            percent,
            due,
        )
        .execute(&mut *tx)
        .await?;
    }
    audit::record(
        &mut tx,
        client,
        AuditEvent::DepositRuleSaved,
        Some(caller.user_id),
        serde_json::json!({ "company": r.company_id, "project_type": r.project_type.trim(), "removed": remove }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The logo routes: `GET` serves it, `PUT` (the image as the body, its type as `Content-Type`)
/// replaces it, `DELETE` removes it.
pub fn routes() -> PlainRoutes {
    vec![(
        "/settings/companies/{id}/logo",
        put(upload_logo).get(logo).delete(remove_logo),
    )]
}

async fn logo(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let scope = caller.scope_in(Permission::SettingsRead, id)?;
    let mut tx = begin(&state.pool, &scope).await?;
    let row = sqlx::query!(
        r#"SELECT logo AS "logo!", logo_type AS "logo_type!" FROM companies WHERE id = $1 AND logo IS NOT NULL"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok((
        [
            (CONTENT_TYPE, row.logo_type),
            (CACHE_CONTROL, "private, no-cache".to_owned()),
        ],
        row.logo,
    )
        .into_response())
}

async fn upload_logo(
    State(state): State<AppState>,
    caller: Caller,
    axum::Extension(client): axum::Extension<ClientInfo>,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let scope = caller.scope_in(Permission::SettingsWrite, id)?;
    let mime = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mime = match mime {
        "image/png" => "image/png",
        "image/jpeg" => "image/jpeg",
        _ => return Err(AppError::field("logo", FieldProblem::Invalid)),
    };
    if body.len() > MAX_LOGO_BYTES {
        return Err(AppError::field("logo", FieldProblem::TooLarge));
    }
    if !crate::billing::ssr::pdf::printable(&body, mime) {
        return Err(AppError::field("logo", FieldProblem::Invalid));
    }
    let mut tx = begin(&state.pool, &scope).await?;
    sqlx::query!(
        "UPDATE companies SET logo = $2, logo_type = $3, updated_at = now() WHERE id = $1",
        id,
        body.as_ref(),
        mime
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &client,
        AuditEvent::CompanySettingsChanged,
        Some(caller.user_id),
        serde_json::json!({ "company": id, "logo": mime, "bytes": body.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

async fn remove_logo(
    State(state): State<AppState>,
    caller: Caller,
    axum::Extension(client): axum::Extension<ClientInfo>,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let scope = caller.scope_in(Permission::SettingsWrite, id)?;
    let mut tx = begin(&state.pool, &scope).await?;
    sqlx::query!(
        "UPDATE companies SET logo = NULL, logo_type = NULL, updated_at = now() WHERE id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &client,
        AuditEvent::CompanySettingsChanged,
        Some(caller.user_id),
        serde_json::json!({ "company": id, "logo": null }),
    )
    .await?;
    tx.commit().await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats_missing_a_counter_or_year_are_required_errors() {
        let mut p = Problems::default();
        check_format(&mut p, "a", "INV-{YYYY}-{NNNN}");
        check_format(&mut p, "b", "INV-{NNNN}");
        check_format(&mut p, "c", "INV {YYYY}-{NNNN}");
        let Err(AppError::Validation(errors)) = p.done() else {
            panic!("validation")
        };
        let fields: Vec<(&str, FieldProblem)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.problem))
            .collect();
        assert_eq!(
            fields,
            [("b", FieldProblem::Required), ("c", FieldProblem::Invalid)]
        );
    }
}
