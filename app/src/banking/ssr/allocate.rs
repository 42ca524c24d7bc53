//! Decisions on movements: allocating (all or part of) one to invoices, rejecting a proposal,
//! marking it as not an invoice payment, and undoing an allocation. Every allocation is a payment
//! booked through billing's `apply_payment` in the transaction that locks the movement, so a
//! franc is never allocated twice; every decision is audited.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::auth::ssr::audit::{self, AuditEvent, ClientInfo};
use crate::auth::ssr::{begin, Caller};
use crate::auth::Permission;
use crate::banking::AllocationInput;
use crate::billing::ssr::payments::{apply_payment, PaymentEntry};
use crate::domain::money::parse_minor;
use crate::domain::status::{AllocationMethod, IgnoreReason, InvoiceStatus, PaymentMethod};
use crate::domain::vat::MAX_AMOUNT_MINOR;
use crate::error::{AppError, FieldProblem};

/// One part of an allocation: how much of the movement (in its currency) pays how much of the
/// invoice (in the invoice's currency; the same figure when both currencies are the same).
#[derive(Clone, Copy, Debug)]
pub struct Part {
    /// The invoice.
    pub invoice_id: Uuid,
    /// Taken from the movement.
    pub transaction_minor: i64,
    /// Paid on the invoice (what exceeds its balance becomes the client's credit).
    pub invoice_minor: i64,
}

/// The movement, locked.
struct Locked {
    amount_minor: i64,
    allocated_minor: i64,
    currency: String,
    booked_on: time::Date,
    state: String,
}

async fn lock(conn: &mut PgConnection, company_id: Uuid, id: Uuid) -> Result<Locked, AppError> {
    sqlx::query_as!(
        Locked,
        r#"SELECT amount_minor, allocated_minor, currency::text AS "currency!", booked_on, state
           FROM bank_transactions WHERE company_id = $1 AND id = $2 FOR UPDATE"#,
        company_id,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)
}

/// Allocates `part` of movement `transaction_id` in an open transaction (the caller checked the
/// permission). Refused when the movement is not booked incoming money or the part exceeds what
/// is left of it; `Conflict` when the invoice is no longer open.
#[allow(clippy::too_many_arguments)]
pub async fn allocate_in(
    conn: &mut PgConnection,
    company_id: Uuid,
    transaction_id: Uuid,
    part: &Part,
    method: AllocationMethod,
    score: Option<u8>,
    user: Option<Uuid>,
    public_url: &str,
) -> Result<Uuid, AppError> {
    let t = lock(conn, company_id, transaction_id).await?;
    if t.state != "completed" || t.amount_minor <= 0 {
        return Err(AppError::Conflict);
    }
    if part.transaction_minor <= 0 || part.transaction_minor > t.amount_minor - t.allocated_minor {
        return Err(AppError::field("amount", FieldProblem::TooLarge));
    }
    let invoice_currency = sqlx::query_scalar!(
        r#"SELECT currency::text AS "currency!" FROM invoices WHERE company_id = $1 AND id = $2"#,
        company_id,
        part.invoice_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::field("invoice_id", FieldProblem::Invalid))?;
    if invoice_currency == t.currency && part.invoice_minor != part.transaction_minor {
        return Err(AppError::field("amount", FieldProblem::Invalid));
    }
    let outcome = apply_payment(
        conn,
        company_id,
        &PaymentEntry {
            invoice_id: part.invoice_id,
            amount_minor: part.invoice_minor,
            paid_on: t.booked_on,
            method: PaymentMethod::BankTransfer,
            user,
        },
        public_url,
    )
    .await?;
    let allocation = sqlx::query_scalar!(
        r#"INSERT INTO bank_allocations (company_id, transaction_id, invoice_id, payment_id, amount_minor,
                                         applied_minor, credit_minor, method, score, decided_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"#,
        company_id,
        transaction_id,
        part.invoice_id,
        outcome.payment_id,
        part.transaction_minor,
        outcome.applied_minor,
        outcome.credited_minor,
        method.as_str(),
        score.map(i16::from),
        user,
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        r#"UPDATE bank_transactions SET allocated_minor = allocated_minor + $3,
                  match_status = CASE WHEN allocated_minor + $3 = amount_minor THEN 'matched' ELSE match_status END,
                  updated_at = now()
           WHERE company_id = $1 AND id = $2"#,
        company_id,
        transaction_id,
        part.transaction_minor
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "DELETE FROM bank_proposals WHERE company_id = $1 AND transaction_id = $2 AND invoice_id = $3",
        company_id,
        transaction_id,
        part.invoice_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(allocation)
}

/// Allocates a movement to one or more invoices, as a person decides it (accept a proposal,
/// split across invoices, or pick any open invoice).
pub async fn allocate(
    pool: &PgPool,
    caller: &Caller,
    transaction_id: Uuid,
    parts: &[AllocationInput],
    client: &ClientInfo,
    public_url: &str,
) -> Result<(), AppError> {
    let scope = caller.scope(Permission::BankWrite)?;
    if parts.is_empty() || parts.len() > 20 {
        return Err(AppError::field("allocations", FieldProblem::Required));
    }
    let mut tx = begin(pool, &scope).await?;
    let company_id = sqlx::query_scalar!(
        "SELECT company_id FROM bank_transactions WHERE id = $1",
        transaction_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    caller.require(Permission::BankWrite, company_id)?;
    caller.require(Permission::PaymentsWrite, company_id)?;
    let t = lock(&mut tx, company_id, transaction_id).await?;
    let mut left = t.amount_minor - t.allocated_minor;
    let mut ids = Vec::new();
    for (i, input) in parts.iter().enumerate() {
        let field = format!("allocations.{i}.amount");
        let currency = sqlx::query_scalar!(
            r#"SELECT currency::text AS "currency!" FROM invoices WHERE company_id = $1 AND id = $2"#,
            company_id,
            input.invoice_id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::field(&format!("allocations.{i}.invoice_id"), FieldProblem::Invalid))?;
        let same_currency = currency == t.currency;
        let typed = match input.amount.trim() {
            "" if same_currency => left,
            "" => return Err(AppError::field(&field, FieldProblem::Required)),
            text => parse_minor(text)
                .ok()
                .filter(|a| *a > 0 && *a <= MAX_AMOUNT_MINOR)
                .ok_or_else(|| AppError::field(&field, FieldProblem::Invalid))?,
        };
        // In another currency the person states what the money paid in the invoice's currency;
        // the whole rest of the movement goes to it (no silent conversion).
        let part = if same_currency {
            Part {
                invoice_id: input.invoice_id,
                transaction_minor: typed,
                invoice_minor: typed,
            }
        } else {
            Part {
                invoice_id: input.invoice_id,
                transaction_minor: left,
                invoice_minor: typed,
            }
        };
        if part.transaction_minor > left || left == 0 {
            return Err(AppError::field(&field, FieldProblem::TooLarge));
        }
        let id = allocate_in(
            &mut tx,
            company_id,
            transaction_id,
            &part,
            AllocationMethod::Manual,
            None,
            Some(caller.user_id),
            public_url,
        )
        .await
        .map_err(|e| match e {
            AppError::Validation(_) => AppError::field(&field, FieldProblem::TooLarge),
            other => other,
        })?;
        left -= part.transaction_minor;
        ids.push(id);
    }
    audit::record(
        &mut tx,
        client,
        AuditEvent::BankAllocated,
        Some(caller.user_id),
        serde_json::json!({ "company": company_id, "transaction": transaction_id, "allocations": ids }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Rejects one proposed invoice; with none left the movement is unmatched again.
pub async fn reject(
    pool: &PgPool,
    caller: &Caller,
    transaction_id: Uuid,
    invoice_id: Uuid,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let scope = caller.scope(Permission::BankWrite)?;
    let mut tx = begin(pool, &scope).await?;
    let company_id = sqlx::query_scalar!(
        "SELECT company_id FROM bank_transactions WHERE id = $1 FOR UPDATE",
        transaction_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    caller.require(Permission::BankWrite, company_id)?;
    let removed = sqlx::query!(
        "DELETE FROM bank_proposals WHERE company_id = $1 AND transaction_id = $2 AND invoice_id = $3",
        company_id,
        transaction_id,
        invoice_id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if removed == 0 {
        return Err(AppError::NotFound);
    }
    sqlx::query!(
        r#"UPDATE bank_transactions SET match_status = 'unmatched', updated_at = now()
           WHERE company_id = $1 AND id = $2 AND match_status = 'proposed'
             AND NOT EXISTS (SELECT 1 FROM bank_proposals p WHERE p.company_id = $1 AND p.transaction_id = $2)"#,
        company_id,
        transaction_id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::BankProposalRejected,
        Some(caller.user_id),
        serde_json::json!({ "company": company_id, "transaction": transaction_id, "invoice": invoice_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Marks a movement as not an invoice payment (`reason`), or (`None`) back to unmatched.
pub async fn ignore(
    pool: &PgPool,
    caller: &Caller,
    transaction_id: Uuid,
    reason: Option<IgnoreReason>,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let scope = caller.scope(Permission::BankWrite)?;
    let mut tx = begin(pool, &scope).await?;
    let row = sqlx::query!(
        "SELECT company_id, allocated_minor FROM bank_transactions WHERE id = $1 FOR UPDATE",
        transaction_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    caller.require(Permission::BankWrite, row.company_id)?;
    if row.allocated_minor > 0 {
        // Undo its allocations first: an allocated movement is an invoice payment.
        return Err(AppError::Conflict);
    }
    sqlx::query!(
        r#"UPDATE bank_transactions SET match_status = CASE WHEN $3::text IS NULL THEN 'unmatched' ELSE 'ignored' END,
                  ignored_reason = $3, updated_at = now()
           WHERE company_id = $1 AND id = $2"#,
        row.company_id,
        transaction_id,
        reason.map(|r| r.as_str())
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "DELETE FROM bank_proposals WHERE company_id = $1 AND transaction_id = $2",
        row.company_id,
        transaction_id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::BankTransactionIgnored,
        Some(caller.user_id),
        serde_json::json!({ "company": row.company_id, "transaction": transaction_id,
                            "reason": reason.map(|r| r.as_str()) }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Undoes an allocation in an open transaction: its payment is booked back (a reversal), the
/// credit it left is taken back, the invoice is open again for that amount, and the movement has
/// that much unallocated again. Refused (`Conflict`) when the credit was already used or refunded.
pub async fn undo_in(
    conn: &mut PgConnection,
    company_id: Uuid,
    allocation_id: Uuid,
    user: Option<Uuid>,
) -> Result<(), AppError> {
    // A debit matched to a supplier bill is undone on the bills' side.
    let bill = sqlx::query_scalar!(
        "SELECT bill_id FROM bank_allocations WHERE company_id = $1 AND id = $2 AND undone_at IS NULL",
        company_id,
        allocation_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .flatten();
    if let Some(bill_id) = bill {
        return super::debits::undo(conn, company_id, allocation_id, bill_id, user).await;
    }
    let a = sqlx::query!(
        r#"SELECT a.transaction_id, a.invoice_id, a.payment_id, a.amount_minor, a.applied_minor, a.credit_minor,
                  i.party_id, i.currency::text AS "currency!"
           FROM bank_allocations a JOIN invoices i ON i.company_id = a.company_id AND i.id = a.invoice_id
           WHERE a.company_id = $1 AND a.id = $2 AND a.undone_at IS NULL
           FOR UPDATE OF a"#,
        company_id,
        allocation_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    lock(conn, company_id, a.transaction_id).await?;
    let invoice = sqlx::query!(
        r#"SELECT status AS "status: InvoiceStatus", paid_minor, credited_minor, viewed_at IS NOT NULL AS "viewed!"
           FROM invoices WHERE company_id = $1 AND id = $2 FOR UPDATE"#,
        company_id,
        a.invoice_id
    )
    .fetch_one(&mut *conn)
    .await?;
    if invoice.status == InvoiceStatus::Cancelled {
        // Credited since: the payment is part of a settled account now.
        return Err(AppError::Conflict);
    }
    if a.applied_minor > 0 {
        sqlx::query!(
            r#"INSERT INTO payments (company_id, invoice_id, party_id, amount_minor, currency, paid_on, method, note, created_by, reversal_of)
               SELECT company_id, invoice_id, party_id, -amount_minor, currency, (SELECT app_today()), method,
                      'reconciliation undone', $3, id
               FROM payments WHERE company_id = $1 AND id = $2"#,
            company_id,
            a.payment_id,
            user
        )
        .execute(&mut *conn)
        .await?;
    }
    if a.credit_minor > 0 {
        // The ledger refuses to go below zero (a deferred check): the credit must still be there.
        sqlx::query!(
            r#"INSERT INTO party_credits (company_id, party_id, currency, amount_minor, kind, invoice_id, note, created_by)
               VALUES ($1, $2, $3, $4, 'reversed', $5, 'reconciliation undone', $6)"#,
            company_id,
            a.party_id,
            a.currency,
            -a.credit_minor,
            a.invoice_id,
            user
        )
        .execute(&mut *conn)
        .await?;
        let balance = sqlx::query_scalar!(
            r#"SELECT COALESCE(sum(amount_minor), 0)::bigint AS "n!" FROM party_credits
               WHERE company_id = $1 AND party_id = $2 AND currency = $3"#,
            company_id,
            a.party_id,
            a.currency
        )
        .fetch_one(&mut *conn)
        .await?;
        if balance < 0 {
            return Err(AppError::Conflict);
        }
    }
    let paid = invoice.paid_minor - a.applied_minor;
    let status = if paid + invoice.credited_minor > 0 {
        InvoiceStatus::Partial
    } else if invoice.viewed {
        InvoiceStatus::Viewed
    } else {
        InvoiceStatus::Sent
    };
    sqlx::query!(
        r#"UPDATE invoices SET paid_minor = $3, status = $4, paid_at = NULL, updated_at = now()
           WHERE company_id = $1 AND id = $2"#,
        company_id,
        a.invoice_id,
        paid,
        status.as_str()
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE bank_allocations SET undone_at = now(), undone_by = $3 WHERE company_id = $1 AND id = $2",
        company_id,
        allocation_id,
        user
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"UPDATE bank_transactions SET allocated_minor = allocated_minor - $3,
                  match_status = CASE WHEN allocated_minor - $3 = 0 THEN 'unmatched' ELSE match_status END,
                  updated_at = now()
           WHERE company_id = $1 AND id = $2"#,
        company_id,
        a.transaction_id,
        a.amount_minor
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Undoes an allocation, as a person decides it.
pub async fn undo(
    pool: &PgPool,
    caller: &Caller,
    allocation_id: Uuid,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let scope = caller.scope(Permission::BankWrite)?;
    let mut tx = begin(pool, &scope).await?;
    let company_id = sqlx::query_scalar!(
        "SELECT company_id FROM bank_allocations WHERE id = $1",
        allocation_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    caller.require(Permission::BankWrite, company_id)?;
    caller.require(Permission::PaymentsWrite, company_id)?;
    undo_in(&mut tx, company_id, allocation_id, Some(caller.user_id)).await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::BankAllocationUndone,
        Some(caller.user_id),
        serde_json::json!({ "company": company_id, "allocation": allocation_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
