//! Payment runs: the approved bills due up to a date, grouped per paying account and currency
//! (totals shown before anything moves), then confirmed — a Revolut transfer per bill for an
//! account connected to Revolut (the counterparty created once and reused; the transfer's
//! `request_id` derived from the bill, so a retry never pays twice), or a pain.001 file for any
//! other account. Bank debits imported later confirm them.

use sqlx::{PgConnection, PgPool};
use time::Date;
use uuid::Uuid;

use super::transfers::send;
use crate::auth::ssr::audit::{self, AuditEvent, ClientInfo};
use crate::auth::ssr::crypto::SecretBox;
use crate::auth::ssr::{begin, Caller};
use crate::auth::Permission;
use crate::domain::calendar::iso_date;
use crate::domain::money::Currency;
use crate::domain::status::{PayMethod, RunItemState, RunStatus};
use crate::error::{AppError, FieldProblem};
use crate::payables::{RunBill, RunGroup, RunView};

/// The idempotency key of a bill's transfer: derived from the bill (a retry sends the same key,
/// so the bank never pays twice) and the attempt (after a transfer the bank refused or reverted,
/// a new run makes a new one). At most 35 characters: it is also the pain.001 end-to-end id.
pub fn request_id(bill: Uuid, attempt: i64) -> String {
    match attempt {
        0 => format!("B{}", bill.simple()),
        n => format!("{:02}B{}", n.clamp(1, 99), bill.simple()),
    }
}

struct Due {
    bill_id: Uuid,
    supplier: String,
    number: String,
    due_date: Date,
    amount_minor: i64,
    currency: Currency,
    account: Option<(Uuid, String, String, PayMethod)>,
}

/// The approved bills of `company_id` due up to `due_until` and not in a run yet, each with the
/// account that pays it (a Revolut-connected account in its currency first, else any).
async fn due_bills(
    conn: &mut PgConnection,
    company_id: Uuid,
    due_until: Date,
) -> Result<Vec<Due>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT b.id, p.name AS "supplier!", b.number AS "number!", b.due_date AS "due_date!", b.total_minor AS "total!",
                  b.currency AS "currency: Currency",
                  a.id AS "account_id?", a.name AS "account_name?", a.iban AS "account_iban?", a.revolut AS "revolut?"
           FROM supplier_bills b
           JOIN parties p ON p.company_id = b.company_id AND p.id = b.party_id
           LEFT JOIN LATERAL (
               SELECT id, name, iban, (x.provider = 'revolut' AND x.external_id IS NOT NULL) AS revolut FROM bank_accounts x
               WHERE x.company_id = b.company_id AND x.currency = b.currency
               ORDER BY (x.provider = 'revolut' AND x.external_id IS NOT NULL) DESC, x.receives_invoices DESC, x.name
               LIMIT 1) a ON true
           WHERE b.company_id = $1 AND b.status = 'approved' AND b.due_date <= $2 AND b.iban IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM payment_run_items i WHERE i.company_id = b.company_id AND i.bill_id = b.id AND i.state <> 'failed')
           ORDER BY b.due_date, p.name"#,
        company_id,
        due_until
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Due {
            bill_id: r.id,
            supplier: r.supplier,
            number: r.number,
            due_date: r.due_date,
            amount_minor: r.total,
            currency: r.currency,
            account: match (r.account_id, r.account_name, r.account_iban, r.revolut) {
                (Some(id), Some(name), Some(iban), Some(revolut)) => Some((
                    id,
                    name,
                    iban,
                    // Transfers only through a connected account; any other gets a file.
                    if revolut {
                        PayMethod::Revolut
                    } else {
                        PayMethod::Pain001
                    },
                )),
                _ => None,
            },
        })
        .collect())
}

fn group(bills: Vec<Due>) -> (Vec<RunGroup>, Vec<RunBill>) {
    let mut groups: Vec<RunGroup> = Vec::new();
    let mut unpayable = Vec::new();
    for d in bills {
        let bill = RunBill {
            bill_id: d.bill_id,
            supplier: d.supplier,
            number: d.number,
            due_date: iso_date(d.due_date),
            amount_minor: d.amount_minor,
            state: RunItemState::Pending,
            error: None,
        };
        let Some((account_id, name, iban, method)) = d.account else {
            unpayable.push(bill);
            continue;
        };
        match groups
            .iter_mut()
            .find(|g| g.account_id == account_id && g.currency == d.currency)
        {
            Some(g) => {
                g.total_minor += bill.amount_minor;
                g.bills.push(bill);
            }
            None => groups.push(RunGroup {
                account_id,
                account_name: name,
                iban,
                currency: d.currency,
                method,
                total_minor: bill.amount_minor,
                bills: vec![bill],
            }),
        }
    }
    (groups, unpayable)
}

/// What a run due up to `due_until` would pay, per account and currency.
pub async fn preview(
    pool: &PgPool,
    caller: &Caller,
    company_id: Uuid,
    due_until: &str,
) -> Result<RunView, AppError> {
    let scope = caller.scope_in(Permission::SupplierInvoicesApprove, company_id)?;
    let due_until = crate::domain::calendar::parse_date("due_until", due_until)?;
    let mut tx = begin(pool, &scope).await?;
    let bills = due_bills(&mut tx, company_id, due_until).await?;
    tx.commit().await?;
    let (groups, unpayable) = group(bills);
    Ok(RunView {
        id: None,
        company_id,
        due_until: iso_date(due_until),
        status: RunStatus::Draft,
        groups,
        unpayable,
    })
}

/// Makes a run of the bills a preview showed (only those still approved and payable) and
/// confirms it: Revolut transfers are sent, pain.001 bills wait for their file. Returns the run.
pub async fn create_and_confirm(
    pool: &PgPool,
    secrets: &SecretBox,
    caller: &Caller,
    company_id: Uuid,
    due_until: &str,
    client: &ClientInfo,
    public_url: &str,
) -> Result<Uuid, AppError> {
    let scope = caller.scope_in(Permission::SupplierInvoicesApprove, company_id)?;
    caller.require(Permission::PaymentsWrite, company_id)?;
    let due_until = crate::domain::calendar::parse_date("due_until", due_until)?;
    let mut tx = begin(pool, &scope).await?;
    // One run at a time per company: the bills are claimed under this lock (a transaction-level
    // advisory lock: staff may not lock the company's row).
    sqlx::query!(
        "SELECT pg_advisory_xact_lock(hashtextextended('payment_run:' || $1::text, 0))",
        company_id.to_string()
    )
    .execute(&mut *tx)
    .await?;
    let bills = due_bills(&mut tx, company_id, due_until).await?;
    let (groups, _) = group(bills);
    if groups.is_empty() {
        return Err(AppError::field("due_until", FieldProblem::NothingToPay));
    }
    let run_id = sqlx::query_scalar!(
        r#"INSERT INTO payment_runs (company_id, due_until, status, created_by, confirmed_by, confirmed_at)
           VALUES ($1, $2, 'confirmed', $3, $3, now()) RETURNING id"#,
        company_id,
        due_until,
        caller.user_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut claimed = 0usize;
    for g in &groups {
        for b in &g.bills {
            // Claimed only while still approved: a bill rejected meanwhile is not paid.
            let claim = sqlx::query!(
                "UPDATE supplier_bills SET status = 'scheduled', updated_at = now() WHERE company_id = $1 AND id = $2 AND status = 'approved'",
                company_id,
                b.bill_id
            )
            .execute(&mut *tx)
            .await?;
            if claim.rows_affected() == 0 {
                continue;
            }
            claimed += 1;
            let attempt = sqlx::query_scalar!(
                r#"SELECT count(*) AS "n!" FROM payment_run_items WHERE company_id = $1 AND bill_id = $2 AND state = 'failed'"#,
                company_id,
                b.bill_id
            )
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query!(
                r#"INSERT INTO payment_run_items (company_id, run_id, bill_id, account_id, method, amount_minor, currency, request_id)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
                company_id,
                run_id,
                b.bill_id,
                g.account_id,
                g.method.as_str(),
                b.amount_minor,
                g.currency.code(),
                request_id(b.bill_id, attempt)
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    if claimed == 0 {
        return Err(AppError::field("due_until", FieldProblem::NothingToPay));
    }
    audit::record(
        &mut tx,
        client,
        AuditEvent::PaymentRunConfirmed,
        Some(caller.user_id),
        serde_json::json!({ "company": company_id, "run": run_id,
                            "bills": claimed }),
    )
    .await?;
    tx.commit().await?;
    send(pool, secrets, &scope, company_id, run_id, public_url).await?;
    Ok(run_id)
}

/// The company of run `run_id`, when the caller's scope shows it.
pub(super) async fn run_company(conn: &mut PgConnection, run_id: Uuid) -> Result<Uuid, AppError> {
    sqlx::query_scalar!("SELECT company_id FROM payment_runs WHERE id = $1", run_id)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// Retries a run's transfers that have no answer yet.
pub async fn retry(
    pool: &PgPool,
    secrets: &SecretBox,
    caller: &Caller,
    run_id: Uuid,
    public_url: &str,
) -> Result<(), AppError> {
    let scope = caller.scope(Permission::SupplierInvoicesApprove)?;
    let mut tx = begin(pool, &scope).await?;
    let company_id = run_company(&mut tx, run_id).await?;
    tx.commit().await?;
    let scope = caller.scope_in(Permission::SupplierInvoicesApprove, company_id)?;
    caller.require(Permission::PaymentsWrite, company_id)?;
    send(pool, secrets, &scope, company_id, run_id, public_url).await
}

/// A run as its page shows it.
pub async fn view(pool: &PgPool, caller: &Caller, run_id: Uuid) -> Result<RunView, AppError> {
    let scope = caller.scope(Permission::SupplierInvoicesRead)?;
    let mut tx = begin(pool, &scope).await?;
    let run = sqlx::query!(
        r#"SELECT company_id, due_until, status AS "status: RunStatus" FROM payment_runs WHERE id = $1"#,
        run_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    caller.require(Permission::SupplierInvoicesRead, run.company_id)?;
    let items = sqlx::query!(
        r#"SELECT i.bill_id, i.account_id, a.name AS account_name, a.iban, i.method AS "method: PayMethod", i.amount_minor,
                  i.currency AS "currency: Currency", i.state AS "state: RunItemState", i.error,
                  p.name AS "supplier!", coalesce(b.number, '') AS "number!", b.due_date AS "due_date!"
           FROM payment_run_items i
           JOIN bank_accounts a ON a.company_id = i.company_id AND a.id = i.account_id
           JOIN supplier_bills b ON b.company_id = i.company_id AND b.id = i.bill_id
           JOIN parties p ON p.company_id = b.company_id AND p.id = b.party_id
           WHERE i.company_id = $1 AND i.run_id = $2 ORDER BY a.name, b.due_date"#,
        run.company_id,
        run_id
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut groups: Vec<RunGroup> = Vec::new();
    for i in items {
        let bill = RunBill {
            bill_id: i.bill_id,
            supplier: i.supplier,
            number: i.number,
            due_date: iso_date(i.due_date),
            amount_minor: i.amount_minor,
            state: i.state,
            error: i.error,
        };
        match groups
            .iter_mut()
            .find(|g| g.account_id == i.account_id && g.currency == i.currency)
        {
            Some(g) => {
                g.total_minor += bill.amount_minor;
                g.bills.push(bill);
            }
            None => groups.push(RunGroup {
                account_id: i.account_id,
                account_name: i.account_name,
                iban: i.iban,
                currency: i.currency,
                method: i.method,
                total_minor: bill.amount_minor,
                bills: vec![bill],
            }),
        }
    }
    Ok(RunView {
        id: Some(run_id),
        company_id: run.company_id,
        due_until: iso_date(run.due_until),
        status: run.status,
        groups,
        unpayable: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::request_id;

    #[test]
    fn a_bills_request_id_is_stable_short_and_new_for_each_attempt() {
        let bill = uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        assert_eq!(request_id(bill, 0), request_id(bill, 0));
        assert_eq!(request_id(bill, 0), "B0123456789abcdef0123456789abcdef");
        assert_eq!(request_id(bill, 1), "01B0123456789abcdef0123456789abcdef");
        for attempt in [0, 1, 9, 10, 99, 500] {
            assert!(
                request_id(bill, attempt).len() <= 35,
                "an end-to-end id has at most 35 characters"
            );
        }
        assert_ne!(request_id(bill, 1), request_id(bill, 2));
    }
}
