//! Document downloads: quote, invoice and credit-note PDFs, statements (PDF or CSV).
//! Plain GET routes (browsers download them directly); the caller and RLS decide access.

use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use super::pdf::{self, StatementRow};
use super::{invoices, iso_date, parse_date, quotes, today};
use crate::auth::ssr::middleware::CallerSlot;
use crate::auth::ssr::{begin, Caller};
use crate::auth::Permission;
use crate::billing::CreditNoteView;
use crate::domain::money::{format_plain, Currency};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::state::AppState;

/// The document routes, to merge into the server's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/documents/quotes/{id}", get(quote_pdf))
        .route("/documents/invoices/{id}", get(invoice_pdf))
        .route("/documents/credit-notes/{id}", get(credit_note_pdf))
        .route("/documents/statement", get(statement))
}

fn refuse(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(CACHE_CONTROL, "no-store")],
        error.message(Locale::En),
    )
        .into_response()
}

fn caller_of(slot: &CallerSlot) -> Result<Caller, AppError> {
    slot.0.clone().ok_or(AppError::Unauthenticated)
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

async fn language_of(conn: &mut PgConnection, table: &str, id: Uuid) -> Result<Locale, AppError> {
    let lang = match table {
        "quotes" => {
            sqlx::query_scalar!("SELECT language FROM quotes WHERE id = $1", id)
                .fetch_one(conn)
                .await?
        }
        _ => {
            sqlx::query_scalar!("SELECT language FROM invoices WHERE id = $1", id)
                .fetch_one(conn)
                .await?
        }
    };
    Ok(Locale::parse(&lang).unwrap_or_default())
}

async fn quote_pdf(
    State(state): State<AppState>,
    Extension(slot): Extension<CallerSlot>,
    Path(id): Path<Uuid>,
) -> Response {
    let run = async {
        let caller = caller_of(&slot)?;
        let scope = caller.scope(Permission::QuotesRead)?;
        let mut tx = begin(&state.pool, &scope).await?;
        let view = quotes::load(&mut tx, id).await?;
        let issuer = super::issuer(&mut tx, view.company_id).await?;
        let to = super::recipient(&mut tx, view.company_id, view.party_id).await?;
        let locale = language_of(&mut tx, "quotes", id).await?;
        tx.commit().await?;
        Ok::<_, AppError>((pdf::quote(&issuer, &to, locale, &view), view.number))
    };
    match run.await {
        Ok((bytes, number)) => file(bytes, "application/pdf", &format!("{number}.pdf")),
        Err(e) => refuse(e),
    }
}

async fn invoice_pdf(
    State(state): State<AppState>,
    Extension(slot): Extension<CallerSlot>,
    Path(id): Path<Uuid>,
) -> Response {
    let run = async {
        let caller = caller_of(&slot)?;
        let scope = caller.scope(Permission::InvoicesRead)?;
        let mut tx = begin(&state.pool, &scope).await?;
        let (view, bill) = invoices::load(&mut tx, id).await?;
        let issuer = super::issuer(&mut tx, view.company_id).await?;
        let to = super::recipient(&mut tx, view.company_id, view.party_id).await?;
        let locale = language_of(&mut tx, "invoices", id).await?;
        tx.commit().await?;
        Ok::<_, AppError>((
            pdf::invoice(&issuer, &to, locale, &view, bill.as_ref()),
            view.number,
        ))
    };
    match run.await {
        Ok((bytes, number)) => file(bytes, "application/pdf", &format!("{number}.pdf")),
        Err(e) => refuse(e),
    }
}

async fn credit_note_pdf(
    State(state): State<AppState>,
    Extension(slot): Extension<CallerSlot>,
    Path(id): Path<Uuid>,
) -> Response {
    let run = async {
        let caller = caller_of(&slot)?;
        let scope = caller.scope(Permission::InvoicesRead)?;
        let mut tx = begin(&state.pool, &scope).await?;
        let n = sqlx::query!(
            r#"SELECT cn.company_id, cn.party_id, cn.number, cn.total_minor, cn.reason, cn.issue_date, cn.currency::text AS "currency!",
                      i.number AS invoice_number, i.language
               FROM credit_notes cn JOIN invoices i ON i.company_id = cn.company_id AND i.id = cn.invoice_id
               WHERE cn.id = $1"#,
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        let issuer = super::issuer(&mut tx, n.company_id).await?;
        let to = super::recipient(&mut tx, n.company_id, n.party_id).await?;
        tx.commit().await?;
        let view = CreditNoteView {
            id,
            number: n.number.clone(),
            total_minor: n.total_minor,
            reason: n.reason,
            issue_date: iso_date(n.issue_date),
        };
        let bytes = pdf::credit_note(
            &issuer,
            &to,
            Locale::parse(&n.language).unwrap_or_default(),
            &view,
            &n.invoice_number,
            Currency::parse(&n.currency).unwrap_or(Currency::CHF),
        );
        Ok::<_, AppError>((bytes, n.number))
    };
    match run.await {
        Ok((bytes, number)) => file(bytes, "application/pdf", &format!("{number}.pdf")),
        Err(e) => refuse(e),
    }
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
    /// The party (staff only; clients always get their own).
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
        r#"SELECT d AS "date!", text AS "text!", debit AS "debit!", credit AS "credit!", currency AS "currency!" FROM (
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
            currency: Currency::parse(&r.currency).unwrap_or(Currency::CHF),
        })
        .collect())
}

/// CSV for spreadsheets: UTF-8 with BOM, comma-separated, quoted where needed (the same
/// record writer as the list exports).
pub fn csv(rows: &[StatementRow]) -> Vec<u8> {
    use crate::lists::ssr::csv_record;
    let mut out = format!(
        "\u{feff}{}",
        csv_record(&["date", "document", "debit", "credit", "currency"])
    );
    for r in rows {
        out.push_str(&csv_record(&[
            r.date.clone(),
            r.text.clone(),
            format_plain(r.debit_minor),
            format_plain(r.credit_minor),
            r.currency.code().to_owned(),
        ]));
    }
    out.into_bytes()
}

async fn statement(
    State(state): State<AppState>,
    Extension(slot): Extension<CallerSlot>,
    Query(q): Query<StatementQuery>,
) -> Response {
    let run = async {
        let caller = caller_of(&slot)?;
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
            return Err(AppError::field("from", crate::error::FieldProblem::Invalid));
        }
        // A client's statement is always their own party's.
        let party = if caller.role.is_portal_party() {
            scope
                .party_ids
                .first()
                .copied()
                .ok_or(AppError::Forbidden)?
        } else {
            q.party
                .ok_or_else(|| AppError::field("party", crate::error::FieldProblem::Required))?
        };
        let mut tx = begin(&state.pool, &scope).await?;
        let p = sqlx::query!(
            "SELECT company_id, language FROM parties WHERE id = $1",
            party
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        let rows = statement_rows(&mut tx, party, from, to).await?;
        let issuer = super::issuer(&mut tx, p.company_id).await?;
        let recipient = super::recipient(&mut tx, p.company_id, party).await?;
        tx.commit().await?;
        let name = format!("statement-{}-{}", iso_date(from), iso_date(to));
        Ok::<_, AppError>(if q.format.as_deref() == Some("csv") {
            file(
                csv(&rows),
                "text/csv; charset=utf-8",
                &format!("{name}.csv"),
            )
        } else {
            let locale = Locale::parse(&p.language).unwrap_or_default();
            file(
                pdf::statement(
                    &issuer,
                    &recipient,
                    locale,
                    &iso_date(from),
                    &iso_date(to),
                    &rows,
                ),
                "application/pdf",
                &format!("{name}.pdf"),
            )
        })
    };
    match run.await {
        Ok(response) => response,
        Err(e) => refuse(e),
    }
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
        let text = String::from_utf8(csv(&rows)).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("2026-11-25,\"INV \"\"2026\"\", part\",1234.50,0.00,CHF\r\n"));
    }
}
