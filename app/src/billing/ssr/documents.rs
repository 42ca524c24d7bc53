//! Document downloads: quote, invoice and credit-note PDFs, statements (PDF or CSV).
//! Plain GET routes (browsers download them directly); the caller and RLS decide access.

use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use super::pdf::{self, StatementRow};
use super::{invoice_view, quotes};
use crate::auth::ssr::{begin, Caller};
use crate::auth::Permission;
use crate::domain::calendar::{iso_date, parse_date, today};
use crate::domain::money::{format_plain, Currency};
use crate::error::{AppError, FieldProblem};
use crate::i18n::Locale;
use crate::state::{AppState, PlainRoutes};

/// The document routes, to merge into the server's router.
pub fn routes() -> PlainRoutes {
    vec![
        ("/documents/quotes/{id}", get(quote_pdf)),
        ("/documents/invoices/{id}", get(invoice_pdf)),
        ("/documents/credit-notes/{id}", get(credit_note_pdf)),
        ("/documents/statement", get(statement)),
    ]
}

fn file(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (CONTENT_DISPOSITION, format!("inline; filename=\"{name}\"")),
            (CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

async fn quote_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let scope = caller.scope(Permission::QuotesRead)?;
    let mut tx = begin(&state.pool, &scope).await?;
    let view = quotes::load(&mut tx, id).await?;
    let issuer = super::issuer(&mut tx, view.company_id).await?;
    let to = super::recipient(&mut tx, view.company_id, view.party_id).await?;
    tx.commit().await?;
    let bytes = pdf::quote(&issuer, &to, view.language, &view);
    Ok(file(
        bytes,
        "application/pdf",
        &format!("{}.pdf", view.number),
    ))
}

async fn invoice_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let scope = caller.scope(Permission::InvoicesRead)?;
    let mut tx = begin(&state.pool, &scope).await?;
    let (view, bill) = invoice_view::load(&mut tx, id).await?;
    let issuer = super::issuer(&mut tx, view.company_id).await?;
    let to = super::recipient(&mut tx, view.company_id, view.party_id).await?;
    tx.commit().await?;
    let bytes = pdf::invoice(&issuer, &to, view.language, &view, bill.as_ref());
    let name = view.number.clone().unwrap_or_else(|| "draft".to_owned());
    Ok(file(bytes, "application/pdf", &format!("{name}.pdf")))
}

async fn credit_note_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let scope = caller.scope(Permission::InvoicesRead)?;
    let mut tx = begin(&state.pool, &scope).await?;
    let n = sqlx::query!(
        r#"SELECT n.company_id, n.party_id, i.language AS "language: Locale"
           FROM credit_notes n JOIN invoices i ON i.company_id = n.company_id AND i.id = n.invoice_id
           WHERE n.id = $1"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let note = invoice_view::credit_notes_of(&mut tx, n.company_id, None, Some(id))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let issuer = super::issuer(&mut tx, n.company_id).await?;
    let to = super::recipient(&mut tx, n.company_id, n.party_id).await?;
    tx.commit().await?;
    let bytes = pdf::credit_note(&issuer, &to, n.language, &note);
    Ok(file(
        bytes,
        "application/pdf",
        &format!("{}.pdf", note.number),
    ))
}

/// Query of the statement download.
#[derive(Deserialize)]
pub struct StatementQuery {
    /// First day (`YYYY-MM-DD`), default: 1 January of this year.
    from: Option<String>,
    /// Last day, default: today.
    to: Option<String>,
    /// `pdf` (default) or `csv`.
    format: Option<String>,
    /// The party (staff: required; clients: one of their own, default all of them).
    party: Option<Uuid>,
}

/// The statement rows of a party in a period, oldest first.
pub async fn statement_rows(
    conn: &mut PgConnection,
    party: Uuid,
    from: time::Date,
    to: time::Date,
) -> Result<Vec<StatementRow>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT d AS "date!", text AS "text!", debit AS "debit!", credit AS "credit!",
                  currency AS "currency!: Currency" FROM (
              SELECT issue_date AS d, 'INV ' || number AS text, total_minor AS debit, 0::bigint AS credit, currency::text AS currency, 1 AS o
              FROM invoices WHERE party_id = $1 AND status NOT IN ('draft') AND issue_date BETWEEN $2 AND $3
              UNION ALL
              SELECT p.paid_on, 'PAY ' || i.number, 0, p.amount_minor, p.currency::text, 2
              FROM payments p JOIN invoices i ON i.company_id = p.company_id AND i.id = p.invoice_id
              WHERE p.party_id = $1 AND p.paid_on BETWEEN $2 AND $3
              UNION ALL
              SELECT issue_date, 'CN ' || number, 0, total_minor, currency::text, 3
              FROM credit_notes WHERE party_id = $1 AND issue_date BETWEEN $2 AND $3
           ) s ORDER BY d, o, text"#,
        party,
        from,
        to
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StatementRow {
            date: iso_date(r.date),
            text: r.text,
            debit_minor: r.debit,
            credit_minor: r.credit,
            currency: r.currency,
        })
        .collect())
}

/// CSV for spreadsheets: UTF-8 with BOM, comma-separated, quoted where needed (the same
/// record writer as the list exports); a `company` column tells the sections apart.
pub fn csv(sections: &[(String, Vec<StatementRow>)]) -> Vec<u8> {
    use crate::lists::ssr::csv_record;
    let mut out = format!(
        "\u{feff}{}",
        csv_record(&["company", "date", "document", "debit", "credit", "currency"])
    );
    for (company, rows) in sections {
        for r in rows {
            out.push_str(&csv_record(&[
                company.clone(),
                r.date.clone(),
                r.text.clone(),
                format_plain(r.debit_minor),
                format_plain(r.credit_minor),
                r.currency.code().to_owned(),
            ]));
        }
    }
    out.into_bytes()
}

async fn statement(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<StatementQuery>,
) -> Result<Response, AppError> {
    let scope = caller.scope(Permission::InvoicesRead)?;
    let to = match q.to.as_deref() {
        Some(t) => parse_date("to", t)?,
        None => today(),
    };
    let from = match q.from.as_deref() {
        Some(f) => parse_date("from", f)?,
        None => time::Date::from_calendar_date(to.year(), time::Month::January, 1)
            .map_err(|_| AppError::BadRequest)?,
    };
    if from > to {
        return Err(AppError::field("from", FieldProblem::Invalid));
    }
    // A client's statement covers every party they act for (one per company), or the one
    // they ask for among them; staff name the party.
    let parties = if caller.role.is_portal_party() {
        match q.party {
            Some(p) if scope.party_ids.contains(&p) => vec![p],
            Some(_) => return Err(AppError::NotFound),
            None => scope.party_ids.clone(),
        }
    } else {
        vec![q
            .party
            .ok_or_else(|| AppError::field("party", FieldProblem::Required))?]
    };
    let mut tx = begin(&state.pool, &scope).await?;
    let mut sections = Vec::new();
    let mut locale = None;
    for party in parties {
        let p = sqlx::query!(
            r#"SELECT company_id, language AS "language: Locale" FROM parties WHERE id = $1"#,
            party
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        locale.get_or_insert(p.language);
        let rows = statement_rows(&mut tx, party, from, to).await?;
        let issuer = super::issuer(&mut tx, p.company_id).await?;
        let recipient = super::recipient(&mut tx, p.company_id, party).await?;
        sections.push((issuer, recipient, rows));
    }
    tx.commit().await?;
    let name = format!("statement-{}-{}", iso_date(from), iso_date(to));
    Ok(if q.format.as_deref() == Some("csv") {
        let by_company: Vec<(String, Vec<StatementRow>)> = sections
            .into_iter()
            .map(|(issuer, _, rows)| (issuer.code, rows))
            .collect();
        file(
            csv(&by_company),
            "text/csv; charset=utf-8",
            &format!("{name}.csv"),
        )
    } else {
        file(
            pdf::statement(
                locale.unwrap_or_default(),
                &iso_date(from),
                &iso_date(to),
                &sections,
            ),
            "application/pdf",
            &format!("{name}.pdf"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_escapes_and_starts_with_a_bom() {
        let rows = vec![StatementRow {
            date: "2026-11-25".into(),
            text: "INV \"2026\", part".into(),
            debit_minor: 123_450,
            credit_minor: 0,
            currency: Currency::CHF,
        }];
        let text = String::from_utf8(csv(&[("HYPERVISUAL".into(), rows)])).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(
            text.contains("HYPERVISUAL,2026-11-25,\"INV \"\"2026\"\", part\",1234.50,0.00,CHF\r\n")
        );
    }
}
