//! The matching run: incoming money against the company's open invoices. Certain matches are
//! applied (through billing's `apply_payment`, in the transaction that locks the movement), likely
//! ones are proposed for review, the rest left. Safe to run twice or concurrently: a movement is
//! taken under a row lock and only while nothing of it is allocated.

use std::collections::HashMap;

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::allocate::{allocate_in, Part};
use crate::auth::ssr::{begin, Scope};
use crate::domain::matching::{decide, score, Candidate, Decision, Incoming, Reason};
use crate::domain::money::Currency;
use crate::domain::status::AllocationMethod;
use crate::error::AppError;

/// Movements handled per database transaction.
const CHUNK: usize = 250;
/// At most this many candidates are scored per movement.
const MAX_CANDIDATES: usize = 60;

/// What a run did, by movement.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Matched and applied.
    pub matched: Vec<Uuid>,
    /// With proposals to review.
    pub proposed: Vec<Uuid>,
    /// Nothing plausible.
    pub unmatched: Vec<Uuid>,
    /// Debits matched to the supplier bills they paid.
    pub bills_paid: usize,
}

/// The open invoices of a company, indexed the ways a movement can point at them.
pub(super) struct Book {
    pub(super) candidates: Vec<Candidate>,
    by_reference: HashMap<String, usize>,
    by_amount: HashMap<(Currency, i64), Vec<usize>>,
    by_account: HashMap<String, Vec<usize>>,
    by_digits: HashMap<String, Vec<usize>>,
    by_word: HashMap<String, Vec<usize>>,
}

/// The last run of digits of an invoice number ("INV-2026-0042" → "0042"), its usual handle.
fn tail_digits(number: &str) -> Option<String> {
    let digits: String = number
        .chars()
        .rev()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    (digits.len() >= 3).then(|| digits.chars().rev().collect())
}

fn name_words(name: &str) -> impl Iterator<Item = String> + '_ {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
}

impl Book {
    /// Loads the open invoices of `company_id` (and the IBANs known for their clients: on the
    /// client's record, and those earlier payments came from).
    pub(super) async fn load(conn: &mut PgConnection, company_id: Uuid) -> Result<Book, AppError> {
        let rows = sqlx::query!(
            r#"SELECT i.id, i.party_id, i.number AS "number!", i.reference,
                      (i.total_minor - i.paid_minor - i.credited_minor) AS "open!",
                      i.currency AS "currency: Currency", i.issue_date, i.due_date, p.name AS party_name
               FROM invoices i JOIN parties p ON p.company_id = i.company_id AND p.id = i.party_id
               WHERE i.company_id = $1 AND i.status IN ('sent', 'viewed', 'partial') AND i.number IS NOT NULL"#,
            company_id
        )
        .fetch_all(&mut *conn)
        .await?;
        let known = sqlx::query!(
            r#"SELECT p.id AS "party_id!", p.iban AS "account!" FROM parties p
               WHERE p.company_id = $1 AND p.iban IS NOT NULL
               UNION
               SELECT o.party_id, t.counterparty_account
               FROM bank_allocations a
               JOIN bank_transactions t ON t.company_id = a.company_id AND t.id = a.transaction_id
               JOIN invoices o ON o.company_id = a.company_id AND o.id = a.invoice_id
               WHERE a.company_id = $1 AND a.undone_at IS NULL AND t.counterparty_account <> ''"#,
            company_id
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut accounts: HashMap<Uuid, Vec<String>> = HashMap::new();
        for k in known {
            accounts.entry(k.party_id).or_default().push(k.account);
        }
        let mut book = Book {
            candidates: Vec::with_capacity(rows.len()),
            by_reference: HashMap::new(),
            by_amount: HashMap::new(),
            by_account: HashMap::new(),
            by_digits: HashMap::new(),
            by_word: HashMap::new(),
        };
        for r in rows {
            let i = book.candidates.len();
            let party_accounts = accounts.get(&r.party_id).cloned().unwrap_or_default();
            if !r.reference.is_empty() {
                book.by_reference.insert(r.reference.clone(), i);
            }
            book.by_amount
                .entry((r.currency, r.open))
                .or_default()
                .push(i);
            for account in &party_accounts {
                book.by_account.entry(account.clone()).or_default().push(i);
            }
            if let Some(tail) = tail_digits(&r.number) {
                book.by_digits.entry(tail).or_default().push(i);
            }
            for word in name_words(&r.party_name) {
                book.by_word.entry(word).or_default().push(i);
            }
            book.candidates.push(Candidate {
                id: r.id,
                number: r.number,
                reference: r.reference,
                open_minor: r.open,
                currency: r.currency,
                issued_on: r.issue_date,
                due_on: r.due_date,
                party_name: r.party_name,
                party_accounts,
            });
        }
        Ok(book)
    }

    /// The candidates a movement could be paying (never all of them: the ones its reference,
    /// amount, account, digits or payer's name point at).
    pub(super) fn candidates_for(&self, tx: &Incoming) -> Vec<Candidate> {
        let mut picked: Vec<usize> = Vec::new();
        if let Some(i) = tx
            .structured_reference
            .as_ref()
            .and_then(|r| self.by_reference.get(r))
        {
            picked.push(*i);
        }
        if let Some(list) = self.by_amount.get(&(tx.currency, tx.amount_minor)) {
            picked.extend(list.iter().take(MAX_CANDIDATES));
        }
        if let Some(list) = tx
            .counterparty_account
            .as_ref()
            .and_then(|a| self.by_account.get(a))
        {
            picked.extend(list.iter().take(MAX_CANDIDATES));
        }
        for run in tx
            .text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|d| d.len() >= 3)
        {
            for (tail, list) in self
                .by_digits
                .iter()
                .filter(|(t, _)| run.ends_with(t.as_str()))
            {
                let _ = tail;
                picked.extend(list.iter().take(MAX_CANDIDATES));
            }
        }
        if let Some(name) = &tx.counterparty_name {
            for word in name_words(name) {
                if let Some(list) = self.by_word.get(&word) {
                    // A common word ("events", "hotel") points at too many to help.
                    if list.len() <= MAX_CANDIDATES {
                        picked.extend(list);
                    }
                }
            }
        }
        picked.sort_unstable();
        picked.dedup();
        picked
            .into_iter()
            .map(|i| self.candidates[i].clone())
            .filter(|c| c.open_minor > 0)
            .take(MAX_CANDIDATES * 3)
            .collect()
    }

    /// Records that `amount` of invoice `id` was just paid.
    pub(super) fn paid(&mut self, id: Uuid, amount: i64) {
        if let Some(c) = self.candidates.iter_mut().find(|c| c.id == id) {
            c.open_minor = (c.open_minor - amount).max(0);
        }
    }
}

/// A movement as reconciliation reads it.
struct Movement {
    id: Uuid,
    incoming: Incoming,
}

/// Reconciles the company's incoming, unallocated, booked movements (only `ids` when given).
pub async fn run(
    pool: &PgPool,
    scope: &Scope,
    company_id: Uuid,
    ids: Option<&[Uuid]>,
    user: Option<Uuid>,
    public_url: &str,
) -> Result<RunReport, AppError> {
    let mut report = RunReport::default();
    let mut tx = begin(pool, scope).await?;
    let todo: Vec<Uuid> = sqlx::query_scalar!(
        r#"SELECT id FROM bank_transactions
           WHERE company_id = $1 AND match_status = 'unmatched' AND state = 'completed' AND amount_minor > 0
             AND allocated_minor = 0 AND ($2::uuid[] IS NULL OR id = ANY($2))
           ORDER BY booked_on, id"#,
        company_id,
        ids
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut book = Book::load(&mut tx, company_id).await?;
    tx.commit().await?;
    for chunk in todo.chunks(CHUNK) {
        let mut tx = begin(pool, scope).await?;
        // Locked, and checked again: another run may have taken some meanwhile.
        let rows = sqlx::query!(
            r#"SELECT id, amount_minor, currency AS "currency: Currency", booked_on, reference_type, reference,
                      counterparty_name, counterparty_account, details
               FROM bank_transactions
               WHERE company_id = $1 AND id = ANY($2) AND match_status = 'unmatched' AND allocated_minor = 0
               ORDER BY booked_on, id
               FOR UPDATE SKIP LOCKED"#,
            company_id,
            chunk
        )
        .fetch_all(&mut *tx)
        .await?;
        for r in rows {
            let movement = Movement {
                id: r.id,
                incoming: Incoming {
                    amount_minor: r.amount_minor,
                    currency: r.currency,
                    booked_on: Some(r.booked_on),
                    structured_reference: matches!(r.reference_type.as_str(), "QRR" | "SCOR")
                        .then_some(r.reference),
                    text: r.details,
                    counterparty_name: Some(r.counterparty_name).filter(|n| !n.is_empty()),
                    counterparty_account: Some(r.counterparty_account).filter(|a| !a.is_empty()),
                },
            };
            match handle(&mut tx, &mut book, company_id, &movement, user, public_url).await? {
                Handled::Matched => report.matched.push(movement.id),
                Handled::Proposed => report.proposed.push(movement.id),
                Handled::Unmatched => report.unmatched.push(movement.id),
            }
        }
        tx.commit().await?;
    }
    report.bills_paid = super::debits::run(pool, scope, company_id, ids, public_url).await?;
    Ok(report)
}

enum Handled {
    Matched,
    Proposed,
    Unmatched,
}

async fn handle(
    conn: &mut PgConnection,
    book: &mut Book,
    company_id: Uuid,
    m: &Movement,
    user: Option<Uuid>,
    public_url: &str,
) -> Result<Handled, AppError> {
    let candidates = book.candidates_for(&m.incoming);
    match decide(&m.incoming, &candidates) {
        Decision::Apply {
            allocations,
            score: certainty,
            reasons,
        } => {
            let method = if reasons.contains(&Reason::Reference) {
                AllocationMethod::Reference
            } else {
                AllocationMethod::Score
            };
            // Savepoint: an invoice paid meanwhile by someone else turns this into a proposal.
            sqlx::query!("SAVEPOINT allocation")
                .execute(&mut *conn)
                .await?;
            let mut applied = Ok(());
            for (invoice_id, amount) in &allocations {
                let part = Part {
                    invoice_id: *invoice_id,
                    transaction_minor: *amount,
                    invoice_minor: *amount,
                };
                applied = allocate_in(
                    conn,
                    company_id,
                    m.id,
                    &part,
                    method,
                    Some(certainty),
                    user,
                    public_url,
                )
                .await
                .map(|_| ());
                if applied.is_err() {
                    break;
                }
            }
            match applied {
                Ok(()) => {
                    sqlx::query!("RELEASE SAVEPOINT allocation")
                        .execute(&mut *conn)
                        .await?;
                    for (invoice_id, amount) in &allocations {
                        book.paid(*invoice_id, *amount);
                    }
                    Ok(Handled::Matched)
                }
                Err(AppError::Conflict) => {
                    sqlx::query!("ROLLBACK TO SAVEPOINT allocation")
                        .execute(&mut *conn)
                        .await?;
                    let scored = candidates
                        .iter()
                        .filter(|c| allocations.iter().any(|(id, _)| *id == c.id))
                        .map(|c| score(&m.incoming, c))
                        .collect::<Vec<_>>();
                    propose(conn, company_id, m.id, &scored).await?;
                    Ok(Handled::Proposed)
                }
                Err(other) => Err(other),
            }
        }
        Decision::Review(scored) => {
            propose(conn, company_id, m.id, &scored).await?;
            Ok(Handled::Proposed)
        }
        Decision::Unmatched => Ok(Handled::Unmatched),
    }
}

/// Stores the candidates worth reviewing and marks the movement for review.
pub(super) async fn propose(
    conn: &mut PgConnection,
    company_id: Uuid,
    transaction_id: Uuid,
    scored: &[crate::domain::matching::Scored],
) -> Result<(), AppError> {
    sqlx::query!(
        "DELETE FROM bank_proposals WHERE company_id = $1 AND transaction_id = $2",
        company_id,
        transaction_id
    )
    .execute(&mut *conn)
    .await?;
    for s in scored {
        let reasons: Vec<String> = s.reasons.iter().map(|r| r.as_str().to_owned()).collect();
        sqlx::query!(
            r#"INSERT INTO bank_proposals (company_id, transaction_id, invoice_id, score, reasons)
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"#,
            company_id,
            transaction_id,
            s.invoice_id,
            s.score as i16,
            &reasons
        )
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query!(
        r#"UPDATE bank_transactions SET match_status = CASE WHEN $3 THEN 'proposed' ELSE 'unmatched' END, updated_at = now()
           WHERE company_id = $1 AND id = $2 AND match_status IN ('unmatched', 'proposed')"#,
        company_id,
        transaction_id,
        !scored.is_empty()
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
