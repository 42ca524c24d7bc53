//! Synchronising a company's Revolut accounts (balances, new accounts linked by IBAN) and
//! movements into the ledger, then reconciling what was booked.

use sqlx::{PgConnection, PgPool};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::client::{Client, Transaction};
use super::{access_token, load, Connection};
use crate::auth::ssr::crypto::SecretBox;
use crate::auth::ssr::{begin, Scope};
use crate::banking::ssr::{allocate, reconcile};
use crate::domain::reference::{compact, qrr_is_valid, scor_is_valid};
use crate::error::AppError;

/// A sync starts this far before the last one (late state changes, clock skew).
const OVERLAP: Duration = Duration::days(3);

/// What a synchronisation did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Accounts seen.
    pub accounts: usize,
    /// Movements new in the ledger.
    pub new_entries: usize,
    /// Movements whose state changed.
    pub changed: usize,
    /// Matched by reconciliation.
    pub matched: usize,
}

/// Minor units of an API amount (a JSON number with at most two decimals).
fn minor(amount: f64) -> i64 {
    (amount * 100.0).round() as i64
}

/// The ledger's state for Revolut's (`created` counts as pending).
fn state_of(revolut: &str) -> &'static str {
    match revolut {
        "completed" => "completed",
        "reverted" => "reverted",
        "declined" => "declined",
        "failed" => "failed",
        _ => "pending",
    }
}

/// Writes one transaction into the ledger (every leg on an account of the company): a new one
/// is inserted, a known one gets its new state; a movement that is no longer booked loses its
/// allocations. Returns the ids of booked movements that need reconciling (money in and out).
pub async fn record(
    conn: &mut PgConnection,
    company_id: Uuid,
    t: &Transaction,
) -> Result<(usize, usize, Vec<Uuid>), AppError> {
    let (mut new, mut changed, mut to_match) = (0, 0, Vec::new());
    let booked = t
        .completed_at
        .as_deref()
        .unwrap_or(&t.created_at)
        .get(..10)
        .and_then(|d| crate::domain::calendar::parse_date("date", d).ok())
        .ok_or(AppError::BadRequest)?;
    let reference = t.reference.clone().unwrap_or_default();
    let compacted = compact(&reference);
    let reference_type = if qrr_is_valid(&compacted) {
        "QRR"
    } else if compacted.starts_with("RF") && scor_is_valid(&compacted) {
        "SCOR"
    } else if reference.is_empty() {
        "NONE"
    } else {
        "OTHER"
    };
    let stored_reference = if matches!(reference_type, "QRR" | "SCOR") {
        compacted
    } else {
        reference.chars().take(140).collect()
    };
    for leg in &t.legs {
        let account = sqlx::query!(
            r#"SELECT id, currency::text AS "currency!" FROM bank_accounts WHERE company_id = $1 AND external_id = $2"#,
            company_id,
            leg.account_id
        )
        .fetch_optional(&mut *conn)
        .await?;
        let Some(account) = account else { continue };
        let amount = minor(leg.amount);
        if amount == 0 || leg.currency != account.currency {
            continue;
        }
        let counterparty = t
            .merchant
            .as_ref()
            .and_then(|m| m.name.clone())
            .or_else(|| leg.description.clone())
            .unwrap_or_default();
        let row = sqlx::query!(
            r#"INSERT INTO bank_transactions (company_id, account_id, bank_id, source, booked_on, amount_minor, currency,
                                              state, reference_type, reference, counterparty_name, transaction_code, details)
               VALUES ($1, $2, $3, 'revolut', $4, $5, $6, $7, $8, $9, $10, $11, $12)
               ON CONFLICT (company_id, account_id, bank_id) DO UPDATE SET state = EXCLUDED.state,
                   booked_on = EXCLUDED.booked_on, updated_at = now()
               WHERE bank_transactions.state IS DISTINCT FROM EXCLUDED.state
               RETURNING id, (xmax = 0) AS "inserted!""#,
            company_id,
            account.id,
            t.id,
            booked,
            amount,
            leg.currency,
            state_of(&t.state),
            reference_type,
            stored_reference,
            counterparty.chars().take(140).collect::<String>(),
            t.kind.chars().take(40).collect::<String>(),
            leg.description.clone().unwrap_or_default().chars().take(1000).collect::<String>(),
        )
        .fetch_optional(&mut *conn)
        .await?;
        let Some(row) = row else { continue };
        if row.inserted {
            new += 1;
        } else {
            changed += 1;
            if state_of(&t.state) != "completed" {
                undo_all(conn, company_id, row.id).await?;
            }
        }
        if matches!(state_of(&t.state), "declined" | "failed" | "reverted") {
            // A supplier payment that will not arrive: its bill is to pay again.
            crate::payables::ssr::transfers::transfer_failed(
                conn,
                company_id,
                &t.id,
                state_of(&t.state),
            )
            .await?;
        }
        if state_of(&t.state) == "completed" {
            to_match.push(row.id);
        }
    }
    Ok((new, changed, to_match))
}

/// Undoes every allocation of a movement the bank no longer books (reverted, declined, failed).
pub async fn undo_all(
    conn: &mut PgConnection,
    company_id: Uuid,
    transaction_id: Uuid,
) -> Result<(), AppError> {
    let ids = sqlx::query_scalar!(
        "SELECT id FROM bank_allocations WHERE company_id = $1 AND transaction_id = $2 AND undone_at IS NULL",
        company_id,
        transaction_id
    )
    .fetch_all(&mut *conn)
    .await?;
    for id in ids {
        allocate::undo_in(conn, company_id, id, None).await?;
    }
    sqlx::query!(
        "UPDATE bank_transactions SET match_status = 'unmatched', updated_at = now() WHERE company_id = $1 AND id = $2 AND match_status = 'proposed'",
        company_id,
        transaction_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Synchronises a company's accounts (balances, new accounts linked by IBAN) and its
/// transactions since the last synchronisation, then reconciles what came in.
pub async fn sync(
    pool: &PgPool,
    secrets: &SecretBox,
    company_id: Uuid,
    public_url: &str,
) -> Result<SyncReport, AppError> {
    let scope = Scope::automation(company_id);
    let mut tx = begin(pool, &scope).await?;
    let c = load(&mut tx, secrets, company_id).await?;
    let client = Client::new(&c.api_url, &c.client_id, &c.issuer, &c.private_key)?;
    let result = sync_in(&mut tx, secrets, company_id, &c, &client).await;
    let (report, to_match) = match result {
        Ok(done) => done,
        Err(error) => {
            drop(tx);
            let mut tx = begin(pool, &scope).await?;
            sqlx::query!(
                "UPDATE bank_connections SET last_error = $2, updated_at = now() WHERE company_id = $1",
                company_id,
                error.to_string().chars().take(300).collect::<String>()
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Err(error);
        }
    };
    tx.commit().await?;
    let run = reconcile::run(pool, &scope, company_id, Some(&to_match), None, public_url).await?;
    Ok(SyncReport {
        matched: run.matched.len(),
        ..report
    })
}

async fn sync_in(
    conn: &mut PgConnection,
    secrets: &SecretBox,
    company_id: Uuid,
    c: &Connection,
    client: &Client,
) -> Result<(SyncReport, Vec<Uuid>), AppError> {
    let access = access_token(conn, secrets, company_id, c, client).await?;
    let accounts = client.accounts(&access).await?;
    let mut report = SyncReport {
        accounts: accounts.len(),
        ..SyncReport::default()
    };
    for a in &accounts {
        let linked = sqlx::query_scalar!(
            "SELECT id FROM bank_accounts WHERE company_id = $1 AND external_id = $2",
            company_id,
            a.id
        )
        .fetch_optional(&mut *conn)
        .await?;
        let id = match linked {
            Some(id) => Some(id),
            None => {
                // A new Revolut account: linked to the company's account with its IBAN.
                let ibans: Vec<String> = client
                    .bank_details(&access, &a.id)
                    .await?
                    .into_iter()
                    .filter_map(|d| d.iban.map(|i| compact(&i)))
                    .collect();
                sqlx::query_scalar!(
                    r#"UPDATE bank_accounts SET external_id = $3, provider = 'revolut'
                       WHERE company_id = $1 AND iban = ANY($2) AND currency = $4 AND external_id IS NULL RETURNING id"#,
                    company_id,
                    &ibans,
                    a.id,
                    a.currency
                )
                .fetch_optional(&mut *conn)
                .await?
            }
        };
        if let Some(id) = id {
            sqlx::query!(
                "UPDATE bank_accounts SET balance_minor = $3, balance_on = (SELECT app_today()) WHERE company_id = $1 AND id = $2",
                company_id,
                id,
                minor(a.balance)
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    let from = c
        .last_synced_at
        .map(|t| t - OVERLAP)
        .unwrap_or_else(|| OffsetDateTime::now_utc() - Duration::days(90));
    let started = OffsetDateTime::now_utc();
    let transactions = client.transactions(&access, from).await?;
    let mut to_match = Vec::new();
    for t in &transactions {
        let (new, changed, matching) = record(conn, company_id, t).await?;
        report.new_entries += new;
        report.changed += changed;
        to_match.extend(matching);
    }
    // The balances Revolut gave are the bank's own figures: movements just added must not
    // count twice (the ledger trigger added them); set them again.
    for a in &accounts {
        sqlx::query!(
            "UPDATE bank_accounts SET balance_minor = $3 WHERE company_id = $1 AND external_id = $2",
            company_id,
            a.id,
            minor(a.balance)
        )
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query!(
        "UPDATE bank_connections SET last_synced_at = $2, last_error = NULL, updated_at = now() WHERE company_id = $1",
        company_id,
        started
    )
    .execute(&mut *conn)
    .await?;
    Ok((report, to_match))
}

/// The companies with a Revolut connection (for the periodic synchronisation).
pub async fn connected_companies(pool: &PgPool) -> Result<Vec<Uuid>, AppError> {
    let mut tx = begin(pool, &Scope::system()).await?;
    let ids = sqlx::query_scalar!("SELECT company_id FROM bank_connections ORDER BY company_id")
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ids)
}
