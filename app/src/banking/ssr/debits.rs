//! Money out: bank debits matched to the supplier bills a payment run paid — by the transfer's
//! id (Revolut), by its end-to-end id (the run's request id, which camt files carry back), else
//! by amount, currency and payee IBAN of a bill waiting for its debit. A matched bill is paid on
//! the debit's booking date. Undone when the bank reverts the debit.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::auth::ssr::audit::{self, AuditEvent, ClientInfo};
use crate::auth::ssr::{begin, Scope};
use crate::domain::status::AllocationMethod;
use crate::error::AppError;
use crate::payables::ssr::notify::{notify, BillMail};

/// A bill waiting for the debit that pays it.
struct Waiting {
    bill_id: Uuid,
    transfer_id: Option<String>,
    request_id: Option<String>,
    amount_minor: i64,
    currency: String,
    iban: String,
}

/// Matches the company's unmatched booked debits (only `ids` when given) to the bills they
/// pay; returns how many were matched. The bills waiting are read once, so a statement of
/// thousands of debits (salaries, fees) costs one query more, not thousands.
pub async fn run(
    pool: &PgPool,
    scope: &Scope,
    company_id: Uuid,
    ids: Option<&[Uuid]>,
    public_url: &str,
) -> Result<usize, AppError> {
    let mut tx = begin(pool, scope).await?;
    let mut waiting: Vec<Waiting> = sqlx::query!(
        r#"SELECT b.id, i.transfer_id, i.request_id AS "request_id?", b.total_minor AS "amount!",
                  b.currency::text AS "currency!", coalesce(b.iban, '') AS "iban!"
           FROM supplier_bills b
           LEFT JOIN payment_run_items i ON i.company_id = b.company_id AND i.bill_id = b.id AND i.state <> 'failed'
           WHERE b.company_id = $1 AND b.status IN ('scheduled', 'paid') AND b.total_minor IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM bank_allocations a
                             WHERE a.company_id = b.company_id AND a.bill_id = b.id AND a.undone_at IS NULL)
             AND (b.status = 'scheduled' OR i.bill_id IS NOT NULL)
           ORDER BY b.due_date, b.id"#,
        company_id
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| Waiting {
        bill_id: r.id,
        transfer_id: r.transfer_id,
        request_id: r.request_id,
        amount_minor: r.amount,
        currency: r.currency,
        iban: r.iban,
    })
    .collect();
    if waiting.is_empty() {
        tx.commit().await?;
        return Ok(0);
    }
    let debits = sqlx::query!(
        r#"SELECT id, bank_id, source, end_to_end_id, amount_minor, currency::text AS "currency!", booked_on,
                  counterparty_account
           FROM bank_transactions
           WHERE company_id = $1 AND match_status = 'unmatched' AND state = 'completed' AND amount_minor < 0
             AND allocated_minor = 0 AND ($2::uuid[] IS NULL OR id = ANY($2))
           ORDER BY booked_on, id
           FOR UPDATE SKIP LOCKED"#,
        company_id,
        ids
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut matched = 0;
    for d in debits {
        let e2e = d.end_to_end_id.as_deref().unwrap_or_default();
        let by_id = waiting.iter().position(|w| {
            (d.source == "revolut" && w.transfer_id.as_deref() == Some(d.bank_id.as_str()))
                || (!e2e.is_empty() && w.request_id.as_deref() == Some(e2e))
        });
        let (index, method, score) = match by_id {
            Some(i) => (i, AllocationMethod::Reference, 100i16),
            None => {
                let account = crate::domain::reference::compact(&d.counterparty_account);
                let Some(i) = waiting.iter().position(|w| {
                    w.amount_minor == -d.amount_minor
                        && w.currency == d.currency
                        && !account.is_empty()
                        && w.iban == account
                }) else {
                    continue;
                };
                (i, AllocationMethod::Score, 90i16)
            }
        };
        let bill = waiting.remove(index);
        sqlx::query!(
            r#"INSERT INTO bank_allocations (company_id, transaction_id, bill_id, amount_minor, applied_minor, credit_minor, method, score)
               VALUES ($1, $2, $3, $4, $4, 0, $5, $6)"#,
            company_id,
            d.id,
            bill.bill_id,
            -d.amount_minor,
            method.as_str(),
            score
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "UPDATE bank_transactions SET allocated_minor = -amount_minor, match_status = 'matched', updated_at = now() WHERE company_id = $1 AND id = $2",
            company_id,
            d.id
        )
        .execute(&mut *tx)
        .await?;
        let paid = sqlx::query!(
            r#"WITH old AS (SELECT status, party_id FROM supplier_bills WHERE company_id = $1 AND id = $2)
               UPDATE supplier_bills b SET status = 'paid', paid_on = coalesce(b.paid_on, $3), updated_at = now()
               FROM old WHERE b.company_id = $1 AND b.id = $2 AND b.status IN ('scheduled', 'paid')
               RETURNING old.status AS "was!", old.party_id"#,
            company_id,
            bill.bill_id,
            d.booked_on
        )
        .fetch_optional(&mut *tx)
        .await?;
        // Paid by this debit (a pain.001 transfer): recorded, and the provider told.
        if let Some(paid) = paid.filter(|p| p.was == "scheduled") {
            audit::record(
                &mut tx,
                &ClientInfo::default(),
                AuditEvent::BillPaid,
                None,
                serde_json::json!({ "company": company_id, "bill": bill.bill_id, "debit": d.id }),
            )
            .await?;
            if let Some(party) = paid.party_id {
                notify(
                    &mut tx,
                    company_id,
                    party,
                    BillMail::Paid,
                    bill.bill_id,
                    public_url,
                )
                .await?;
            }
        }
        matched += 1;
        if waiting.is_empty() {
            break;
        }
    }
    tx.commit().await?;
    Ok(matched)
}

/// Undoes the match of a debit to bill `bill_id` (the bank reverted the debit, or a person
/// undid it): the bill waits for its payment again — scheduled when its transfer order still
/// stands, approved (to pay in a new run) when the transfer itself came back.
pub async fn undo(
    conn: &mut PgConnection,
    company_id: Uuid,
    allocation_id: Uuid,
    bill_id: Uuid,
    user: Option<Uuid>,
) -> Result<(), AppError> {
    let a = sqlx::query!(
        r#"UPDATE bank_allocations SET undone_at = now(), undone_by = $3
           WHERE company_id = $1 AND id = $2 AND undone_at IS NULL
           RETURNING transaction_id, amount_minor"#,
        company_id,
        allocation_id,
        user
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let t = sqlx::query!(
        r#"UPDATE bank_transactions SET allocated_minor = allocated_minor - $3,
                  match_status = CASE WHEN allocated_minor - $3 = 0 THEN 'unmatched' ELSE match_status END,
                  updated_at = now()
           WHERE company_id = $1 AND id = $2 RETURNING state"#,
        company_id,
        a.transaction_id,
        a.amount_minor
    )
    .fetch_one(&mut *conn)
    .await?;
    if t.state == "completed" {
        // A person undid a wrong match: the bill waits for its real debit.
        sqlx::query!(
            r#"UPDATE supplier_bills SET status = 'scheduled', paid_on = NULL, updated_at = now()
               WHERE company_id = $1 AND id = $2 AND status = 'paid'"#,
            company_id,
            bill_id
        )
        .execute(&mut *conn)
        .await?;
    } else {
        // The money came back: the transfer failed, the bill is to pay again.
        sqlx::query!(
            r#"UPDATE payment_run_items SET state = 'failed', error = 'the bank reverted the debit'
               WHERE company_id = $1 AND bill_id = $2 AND state <> 'failed'"#,
            company_id,
            bill_id
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            r#"UPDATE supplier_bills SET status = 'approved', paid_on = NULL, updated_at = now()
               WHERE company_id = $1 AND id = $2 AND status IN ('scheduled', 'paid')"#,
            company_id,
            bill_id
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
