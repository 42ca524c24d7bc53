//! A payment run's Revolut transfers: sent once per bill under its request id (a retry after a
//! lost answer or a Revolut failure sends the same key, so the bank never pays twice), failed when
//! Revolut refuses or later reverts them (the bill is then to pay again).

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::notify::{notify, BillMail};
use crate::auth::ssr::audit::{self, AuditEvent, ClientInfo};
use crate::auth::ssr::begin;
use crate::auth::ssr::crypto::SecretBox;
use crate::banking::ssr::revolut;
use crate::domain::calendar::today;
use crate::error::AppError;

/// Sends the run's Revolut transfers that are not sent yet (a retry after a failure sends the
/// same `request_id`s: Revolut never pays a bill twice). Bills of a sent transfer are paid.
pub async fn send(
    pool: &PgPool,
    secrets: &SecretBox,
    scope: &crate::auth::ssr::Scope,
    company_id: Uuid,
    run_id: Uuid,
    public_url: &str,
) -> Result<(), AppError> {
    let mut tx = begin(pool, scope).await?;
    let items = sqlx::query!(
        r#"SELECT i.bill_id, i.amount_minor, i.currency::text AS "currency!", i.request_id, a.external_id AS "account_external?",
                  b.party_id AS "party_id!", p.name AS party_name, b.iban AS "iban!", b.reference_type, b.reference,
                  coalesce(b.number, '') AS "number!", b.message, coalesce(p.country, 'CH') AS "country!"
           FROM payment_run_items i
           JOIN bank_accounts a ON a.company_id = i.company_id AND a.id = i.account_id
           JOIN supplier_bills b ON b.company_id = i.company_id AND b.id = i.bill_id
           JOIN parties p ON p.company_id = b.company_id AND p.id = b.party_id
           WHERE i.company_id = $1 AND i.run_id = $2 AND i.method = 'revolut' AND i.state = 'pending'
           ORDER BY b.due_date
           FOR UPDATE OF i"#,
        company_id,
        run_id
    )
    .fetch_all(&mut *tx)
    .await?;
    if items.is_empty() {
        finish(&mut tx, company_id, run_id).await?;
        tx.commit().await?;
        return Ok(());
    }
    let (client, access) = revolut::session(&mut tx, secrets, company_id).await?;
    for item in items {
        let Some(account) = item.account_external.as_deref() else {
            continue;
        };
        // The supplier's counterparty at Revolut, created once per supplier and IBAN.
        let known = sqlx::query!(
            "SELECT revolut_id, revolut_account FROM supplier_counterparties WHERE company_id = $1 AND party_id = $2 AND iban = $3",
            company_id,
            item.party_id,
            item.iban
        )
        .fetch_optional(&mut *tx)
        .await?;
        let (counterparty, counterparty_account) = match known {
            Some(k) => (k.revolut_id, k.revolut_account),
            None => match client
                .create_counterparty(
                    &access,
                    &item.party_name,
                    &item.iban,
                    &item.currency,
                    item.country.trim(),
                )
                .await
            {
                Ok(c) => {
                    let account = c
                        .accounts
                        .iter()
                        .find(|a| a.iban.as_deref() == Some(item.iban.as_str()))
                        .map(|a| a.id.clone());
                    sqlx::query!(
                        "INSERT INTO supplier_counterparties (company_id, party_id, iban, revolut_id, revolut_account) VALUES ($1, $2, $3, $4, $5)",
                        company_id,
                        item.party_id,
                        item.iban,
                        c.id,
                        account
                    )
                    .execute(&mut *tx)
                    .await?;
                    (c.id, account)
                }
                Err(error) => {
                    fail(
                        &mut tx,
                        company_id,
                        run_id,
                        item.bill_id,
                        &error.to_string(),
                    )
                    .await?;
                    continue;
                }
            },
        };
        let reference = if item.reference.is_empty() {
            format!("{} {}", item.number, item.message)
                .trim()
                .chars()
                .take(140)
                .collect()
        } else {
            item.reference.clone()
        };
        let order = revolut::client::TransferOrder {
            request_id: &item.request_id,
            account_id: account,
            counterparty: &counterparty,
            counterparty_account: counterparty_account.as_deref(),
            amount_minor: item.amount_minor,
            currency: &item.currency,
            reference: &reference,
        };
        match client.pay(&access, &order).await {
            Ok(transfer) => {
                sqlx::query!(
                    "UPDATE payment_run_items SET state = 'sent', transfer_id = $4, error = NULL WHERE company_id = $1 AND run_id = $2 AND bill_id = $3",
                    company_id,
                    run_id,
                    item.bill_id,
                    transfer.id
                )
                .execute(&mut *tx)
                .await?;
                sqlx::query!(
                    "UPDATE supplier_bills SET status = 'paid', paid_on = $3, updated_at = now() WHERE company_id = $1 AND id = $2",
                    company_id,
                    item.bill_id,
                    today()
                )
                .execute(&mut *tx)
                .await?;
                audit::record(
                    &mut tx,
                    &ClientInfo::default(),
                    AuditEvent::BillPaid,
                    None,
                    serde_json::json!({ "company": company_id, "bill": item.bill_id, "run": run_id, "transfer": transfer.id }),
                )
                .await?;
                notify(
                    &mut tx,
                    company_id,
                    item.party_id,
                    BillMail::Paid,
                    item.bill_id,
                    public_url,
                )
                .await?;
            }
            // Unknown outcome (the answer was lost, or Revolut failed or was busy): left pending,
            // retried with the same key — never failed, which would pay again under a new one.
            Err(
                error @ (revolut::RevolutError::Http(_)
                | revolut::RevolutError::Api {
                    status: 409 | 429 | 500..,
                    ..
                }),
            ) => {
                let error = error.to_string();
                tracing::warn!(%error, bill = %item.bill_id, "Revolut transfer: no answer, to retry");
                sqlx::query!(
                    "UPDATE payment_run_items SET error = $4 WHERE company_id = $1 AND run_id = $2 AND bill_id = $3",
                    company_id,
                    run_id,
                    item.bill_id,
                    error.chars().take(300).collect::<String>()
                )
                .execute(&mut *tx)
                .await?;
            }
            Err(error) => {
                fail(
                    &mut tx,
                    company_id,
                    run_id,
                    item.bill_id,
                    &error.to_string(),
                )
                .await?
            }
        }
    }
    finish(&mut tx, company_id, run_id).await?;
    tx.commit().await?;
    Ok(())
}

async fn fail(
    conn: &mut PgConnection,
    company_id: Uuid,
    run_id: Uuid,
    bill_id: Uuid,
    error: &str,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE payment_run_items SET state = 'failed', error = $4 WHERE company_id = $1 AND run_id = $2 AND bill_id = $3",
        company_id,
        run_id,
        bill_id,
        error.chars().take(300).collect::<String>()
    )
    .execute(&mut *conn)
    .await?;
    reopen(
        conn,
        company_id,
        bill_id,
        serde_json::json!({ "company": company_id, "bill": bill_id, "run": run_id, "error": error }),
    )
    .await
}

/// A bill whose payment will not happen is to pay again (approved: a later run makes a new
/// attempt); recorded with `details`.
async fn reopen(
    conn: &mut PgConnection,
    company_id: Uuid,
    bill_id: Uuid,
    details: serde_json::Value,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE supplier_bills SET status = 'approved', paid_on = NULL, updated_at = now() WHERE company_id = $1 AND id = $2 AND status IN ('scheduled', 'paid')",
        company_id,
        bill_id
    )
    .execute(&mut *conn)
    .await?;
    audit::record(
        conn,
        &ClientInfo::default(),
        AuditEvent::BillPaymentFailed,
        None,
        details,
    )
    .await
}

/// A run is done when no Revolut transfer is left to send.
async fn finish(conn: &mut PgConnection, company_id: Uuid, run_id: Uuid) -> Result<(), AppError> {
    sqlx::query!(
        r#"UPDATE payment_runs SET status = CASE
               WHEN EXISTS (SELECT 1 FROM payment_run_items i WHERE i.company_id = $1 AND i.run_id = $2 AND i.method = 'revolut' AND i.state = 'pending') THEN 'confirmed'
               WHEN NOT EXISTS (SELECT 1 FROM payment_run_items i WHERE i.company_id = $1 AND i.run_id = $2 AND i.state <> 'failed') THEN 'failed'
               ELSE 'done' END
           WHERE company_id = $1 AND id = $2"#,
        company_id,
        run_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A transfer Revolut accepted and then declined, failed or reverted: its run item fails and its
/// bill is to pay again (approved, in a later run, under a new request id).
pub async fn transfer_failed(
    conn: &mut PgConnection,
    company_id: Uuid,
    transfer_id: &str,
    state: &str,
) -> Result<(), AppError> {
    let bills = sqlx::query_scalar!(
        "UPDATE payment_run_items SET state = 'failed', error = $3 WHERE company_id = $1 AND transfer_id = $2 AND state = 'sent' RETURNING bill_id",
        company_id,
        transfer_id,
        format!("Revolut: the transfer was {state}")
    )
    .fetch_all(&mut *conn)
    .await?;
    for bill in bills {
        let details = serde_json::json!({ "company": company_id, "bill": bill, "transfer": transfer_id, "state": state });
        reopen(conn, company_id, bill, details).await?;
    }
    Ok(())
}
