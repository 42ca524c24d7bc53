//! Credit notes: what an issued invoice no longer asks, per VAT rate, referring to the invoice.
//! Crediting everything still open cancels an unpaid invoice (or settles a partly paid one).

use sqlx::PgPool;
use uuid::Uuid;

use super::numbering::{self, DocumentKind};
use super::payments::amount_field;
use crate::auth::ssr::audit::{self, AuditEvent, ClientInfo};
use crate::auth::ssr::{begin, Caller};
use crate::auth::Permission;
use crate::billing::InvoiceStatus;
use crate::domain::calendar::today;
use crate::domain::money::Currency;
use crate::domain::status::VatRounding;
use crate::domain::vat::{credit_per_rate, RateTotal, VatCode};
use crate::error::{AppError, FieldProblem};

/// Issues a credit note on an issued invoice, for its whole open balance (empty `amount`) or a
/// part of it, spread over the invoice's VAT rates.
pub async fn credit(
    pool: &PgPool,
    caller: &Caller,
    invoice_id: Uuid,
    amount: &str,
    reason: &str,
    client: &ClientInfo,
) -> Result<Uuid, AppError> {
    let scope = caller.scope(Permission::CreditNotesWrite)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field("reason", FieldProblem::Required));
    }
    if reason.chars().count() > 1000 {
        return Err(AppError::field(
            "reason",
            FieldProblem::TooLong { max: 1000 },
        ));
    }
    let mut tx = begin(pool, &scope).await?;
    let inv = sqlx::query!(
        r#"SELECT company_id, number, party_id, status AS "status: InvoiceStatus", currency AS "currency: Currency",
                  vat_rounding AS "vat_rounding: VatRounding", total_minor, rounding_minor, paid_minor, credited_minor
           FROM invoices WHERE id = $1 FOR UPDATE"#,
        invoice_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    caller.require(Permission::CreditNotesWrite, inv.company_id)?;
    if !inv.status.open() {
        return Err(AppError::Conflict);
    }
    let balance = inv.total_minor - inv.paid_minor - inv.credited_minor;
    let total = if amount.trim().is_empty() {
        balance
    } else {
        amount_field("amount", amount)?
    };
    if total > balance {
        return Err(AppError::field("amount", FieldProblem::TooLarge));
    }

    // What is still creditable per rate: the invoice's rates less earlier credit notes.
    let lines = super::invoice_view::lines_of(&mut tx, inv.company_id, invoice_id).await?;
    let invoiced = super::lines::amounts_of_views(&lines, inv.vat_rounding, false).per_rate;
    let earlier = sqlx::query!(
        r#"SELECT r.vat_code AS "vat_code: VatCode", r.rate_bp, sum(r.net_minor)::bigint AS "net!",
                  sum(r.vat_minor)::bigint AS "vat!"
           FROM credit_note_rates r JOIN credit_notes n ON n.company_id = r.company_id AND n.id = r.credit_note_id
           WHERE n.company_id = $1 AND n.invoice_id = $2 GROUP BY 1, 2"#,
        inv.company_id,
        invoice_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let credited_rounding = sqlx::query_scalar!(
        r#"SELECT COALESCE(sum(rounding_minor), 0)::bigint AS "n!" FROM credit_notes
           WHERE company_id = $1 AND invoice_id = $2"#,
        inv.company_id,
        invoice_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let remaining: Vec<RateTotal> = invoiced
        .into_iter()
        .map(|r| {
            let before = earlier
                .iter()
                .find(|e| e.vat_code == r.code && e.rate_bp == r.rate_bp);
            RateTotal {
                net_minor: r.net_minor - before.map_or(0, |e| e.net),
                vat_minor: r.vat_minor - before.map_or(0, |e| e.vat),
                ..r
            }
        })
        .collect();
    let remaining_gross: i64 = remaining.iter().map(|r| r.net_minor + r.vat_minor).sum();
    // Crediting all that remains takes each rate's remainder and the cash rounding; a part is
    // spread over the rates by the domain rule.
    let (per_rate, rounding) = if total >= remaining_gross {
        let rounding = total - remaining_gross;
        if rounding.abs() > (inv.rounding_minor - credited_rounding).abs().max(2) {
            return Err(AppError::Conflict);
        }
        (remaining.clone(), rounding)
    } else {
        let spread = credit_per_rate(&remaining, total).ok_or(AppError::Conflict)?;
        (spread, 0)
    };
    let net: i64 = per_rate.iter().map(|r| r.net_minor).sum();
    let vat: i64 = per_rate.iter().map(|r| r.vat_minor).sum();

    let number = numbering::next(
        &mut tx,
        inv.company_id,
        DocumentKind::CreditNote,
        today().year(),
    )
    .await?;
    let id = Uuid::new_v4();
    sqlx::query!(
        r#"INSERT INTO credit_notes (id, company_id, number, invoice_id, party_id, currency, net_minor, vat_minor,
                                     rounding_minor, total_minor, reason, issue_date, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"#,
        id,
        inv.company_id,
        number,
        invoice_id,
        inv.party_id,
        inv.currency.code(),
        net,
        vat,
        rounding,
        total,
        reason,
        today(),
        caller.user_id,
    )
    .execute(&mut *tx)
    .await?;
    for r in per_rate
        .iter()
        .filter(|r| r.net_minor != 0 || r.vat_minor != 0)
    {
        sqlx::query!(
            r#"INSERT INTO credit_note_rates (company_id, credit_note_id, vat_code, rate_bp, net_minor, vat_minor)
               VALUES ($1, $2, $3, $4, $5, $6)"#,
            inv.company_id,
            id,
            r.code.as_str(),
            r.rate_bp,
            r.net_minor,
            r.vat_minor,
        )
        .execute(&mut *tx)
        .await?;
    }
    let settled = total == balance;
    let status = match (settled, inv.paid_minor > 0) {
        (true, true) => InvoiceStatus::Paid,
        (true, false) => InvoiceStatus::Cancelled,
        (false, _) => inv.status,
    };
    sqlx::query!(
        "UPDATE invoices SET credited_minor = credited_minor + $3, status = $4, updated_at = now() WHERE company_id = $1 AND id = $2",
        inv.company_id,
        invoice_id,
        total,
        status.as_str(),
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::CreditNoteIssued,
        Some(caller.user_id),
        serde_json::json!({ "invoice": inv.number, "credit_note": number, "total_minor": total }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
