//! Reading the ledger: the accounts with their balances and what waits for review, and one
//! movement with its allocations and candidate invoices.

use sqlx::PgPool;
use uuid::Uuid;

use super::reconcile::Book;
use crate::auth::ssr::{begin, Caller};
use crate::auth::Permission;
use crate::banking::{AccountRow, AllocationView, CandidateView, TransactionView};
use crate::domain::calendar::iso_date;
use crate::domain::matching::{score, Incoming};
use crate::domain::money::Currency;
use crate::domain::status::{
    AllocationMethod, BankProvider, BankTxState, IgnoreReason, MatchReason, MatchStatus,
};
use crate::error::AppError;

/// The bank accounts of the caller's companies (or the focused one).
pub async fn accounts(pool: &PgPool, caller: &Caller) -> Result<Vec<AccountRow>, AppError> {
    let scope = caller.focused(Permission::BankRead)?;
    let mut tx = begin(pool, &scope).await?;
    let rows = sqlx::query!(
        r#"SELECT b.id, b.company_id, c.code, b.name, b.iban, b.currency AS "currency: Currency",
                  b.provider AS "provider: BankProvider", b.balance_minor, b.balance_on,
                  (SELECT count(*) FROM bank_transactions t WHERE t.company_id = b.company_id AND t.account_id = b.id
                     AND t.match_status = 'unmatched' AND t.amount_minor > 0 AND t.state = 'completed') AS "unmatched!",
                  (SELECT count(*) FROM bank_transactions t WHERE t.company_id = b.company_id AND t.account_id = b.id
                     AND t.match_status = 'proposed') AS "proposed!"
           FROM bank_accounts b JOIN companies c ON c.id = b.company_id
           WHERE b.company_id = ANY($1) ORDER BY c.code, b.currency, b.name"#,
        &scope.company_ids
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| AccountRow {
            id: r.id,
            company_id: r.company_id,
            company_code: r.code,
            name: r.name,
            iban: r.iban,
            currency: r.currency,
            provider: r.provider,
            balance_minor: r.balance_minor,
            balance_on: iso_date(r.balance_on),
            unmatched: r.unmatched,
            proposed: r.proposed,
        })
        .collect())
}

/// One movement: what it is, how it was allocated, and the invoices it may pay (the stored
/// proposals first, then the best other candidates, each with its score explained).
pub async fn transaction(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
) -> Result<TransactionView, AppError> {
    let scope = caller.scope(Permission::BankRead)?;
    let mut tx = begin(pool, &scope).await?;
    let t = sqlx::query!(
        r#"SELECT t.id, t.company_id, b.name AS account_name, t.booked_on, t.amount_minor, t.currency AS "currency: Currency",
                  t.state AS "state: BankTxState", t.reference_type, t.reference, t.counterparty_name, t.counterparty_account,
                  t.details, t.match_status AS "match_status: MatchStatus", t.ignored_reason AS "ignored_reason: IgnoreReason",
                  t.allocated_minor
           FROM bank_transactions t JOIN bank_accounts b ON b.company_id = t.company_id AND b.id = t.account_id
           WHERE t.id = $1"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    caller.require(Permission::BankRead, t.company_id)?;
    let allocations = sqlx::query!(
        r#"SELECT a.id, a.invoice_id, a.bill_id, coalesce(i.number, b.number, b.file_name, '') AS "number!",
                  a.applied_minor, a.credit_minor,
                  a.method AS "method: AllocationMethod", a.undone_at IS NOT NULL AS "undone!"
           FROM bank_allocations a
           LEFT JOIN invoices i ON i.company_id = a.company_id AND i.id = a.invoice_id
           LEFT JOIN supplier_bills b ON b.company_id = a.company_id AND b.id = a.bill_id
           WHERE a.company_id = $1 AND a.transaction_id = $2 ORDER BY a.created_at"#,
        t.company_id,
        id
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|a| AllocationView {
        id: a.id,
        target_path: match (a.invoice_id, a.bill_id) {
            (Some(invoice), _) => format!("/ceo/invoices/{invoice}"),
            (None, Some(bill)) => format!("/ceo/bills/{bill}"),
            (None, None) => String::new(),
        },
        target_number: a.number,
        applied_minor: a.applied_minor,
        credit_minor: a.credit_minor,
        method: a.method,
        undone: a.undone,
    })
    .collect();
    let mut candidates = Vec::new();
    let incoming = t.amount_minor > 0 && t.state == BankTxState::Completed;
    if incoming && t.allocated_minor < t.amount_minor && t.match_status != MatchStatus::Ignored {
        let book = Book::load(&mut tx, t.company_id).await?;
        let movement = Incoming {
            amount_minor: t.amount_minor - t.allocated_minor,
            currency: t.currency,
            booked_on: Some(t.booked_on),
            structured_reference: matches!(t.reference_type.as_str(), "QRR" | "SCOR")
                .then(|| t.reference.clone()),
            text: t.details.clone(),
            counterparty_name: Some(t.counterparty_name.clone()).filter(|n| !n.is_empty()),
            counterparty_account: Some(t.counterparty_account.clone()).filter(|a| !a.is_empty()),
        };
        let stored: Vec<(Uuid, i16, Vec<String>)> = sqlx::query!(
            "SELECT invoice_id, score, reasons FROM bank_proposals WHERE company_id = $1 AND transaction_id = $2 ORDER BY score DESC",
            t.company_id,
            id
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|p| (p.invoice_id, p.score, p.reasons))
        .collect();
        let mut scored: Vec<(crate::domain::matching::Candidate, u8, Vec<MatchReason>)> = book
            .candidates_for(&movement)
            .into_iter()
            .map(|c| {
                let s = score(&movement, &c);
                (c, s.score, s.reasons)
            })
            .collect();
        for (invoice_id, s, reasons) in stored {
            if let Some(found) = scored.iter_mut().find(|(c, ..)| c.id == invoice_id) {
                found.1 = s as u8;
                found.2 = reasons
                    .iter()
                    .filter_map(|r| MatchReason::parse(r))
                    .collect();
            }
        }
        scored.sort_by_key(|s| std::cmp::Reverse(s.1));
        candidates = scored
            .into_iter()
            .filter(|(_, s, _)| *s > 0)
            .take(8)
            .map(|(c, s, reasons)| CandidateView {
                invoice_id: c.id,
                number: c.number,
                party_name: c.party_name,
                open_minor: c.open_minor,
                currency: c.currency,
                due_date: iso_date(c.due_on),
                score: s,
                reasons,
            })
            .collect();
    }
    tx.commit().await?;
    Ok(TransactionView {
        id: t.id,
        company_id: t.company_id,
        account_name: t.account_name,
        booked_on: iso_date(t.booked_on),
        amount_minor: t.amount_minor,
        currency: t.currency,
        state: t.state,
        reference: t.reference,
        counterparty_name: t.counterparty_name,
        counterparty_account: t.counterparty_account,
        details: t.details,
        match_status: t.match_status,
        ignored_reason: t.ignored_reason,
        allocated_minor: t.allocated_minor,
        allocations,
        candidates,
    })
}
