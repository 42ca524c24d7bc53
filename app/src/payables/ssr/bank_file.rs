//! A payment run's pain.001 file: the credit transfers of its bills paid from an account that
//! is not connected to Revolut, to upload at the bank.

use sqlx::PgPool;
use uuid::Uuid;

use crate::auth::ssr::{begin, Caller};
use crate::auth::Permission;
use crate::domain::calendar::today;
use crate::domain::pain001;
use crate::error::AppError;

/// The pain.001 file of a run's bills paid from accounts that are not connected to Revolut.
pub async fn pain001_file(
    pool: &PgPool,
    caller: &Caller,
    run_id: Uuid,
) -> Result<(String, String), AppError> {
    let scope = caller.scope(Permission::SupplierInvoicesApprove)?;
    let mut tx = begin(pool, &scope).await?;
    let company_id = super::payment_run::run_company(&mut tx, run_id).await?;
    caller.require(Permission::SupplierInvoicesApprove, company_id)?;
    // The file orders payments: who may pay may download it.
    caller.require(Permission::PaymentsWrite, company_id)?;
    let company = sqlx::query!(
        "SELECT legal_name, street, building_number, postal_code, town, country::text AS \"country!\" FROM companies WHERE id = $1",
        company_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let items = sqlx::query!(
        r#"SELECT i.request_id, i.amount_minor, i.currency::text AS "currency!", a.iban AS debtor_iban,
                  p.name, p.street, p.building_number, p.postal_code, p.town, p.country::text AS "country!",
                  b.iban AS "iban!", b.reference_type, b.reference, coalesce(b.number, '') AS "number!", b.message
           FROM payment_run_items i
           JOIN bank_accounts a ON a.company_id = i.company_id AND a.id = i.account_id
           JOIN supplier_bills b ON b.company_id = i.company_id AND b.id = i.bill_id
           JOIN parties p ON p.company_id = b.company_id AND p.id = b.party_id
           WHERE i.company_id = $1 AND i.run_id = $2 AND i.method = 'pain001' AND i.state <> 'failed'
           ORDER BY a.iban, i.currency, b.due_date"#,
        company_id,
        run_id
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    if items.is_empty() {
        // Every bill of the run is paid through Revolut: there is no file to make.
        return Err(AppError::NotFound);
    }
    let debtor = pain001::Debtor {
        name: company.legal_name,
        address: pain001::Address {
            street: company.street,
            building_number: company.building_number,
            postal_code: company.postal_code,
            town: company.town,
            country: company.country,
        },
    };
    let transfers: Vec<pain001::Transfer> = items
        .into_iter()
        .map(|i| pain001::Transfer {
            debtor_iban: i.debtor_iban,
            end_to_end_id: i.request_id,
            amount_minor: i.amount_minor,
            currency: i.currency,
            creditor: i.name,
            creditor_address: pain001::Address {
                street: i.street,
                building_number: i.building_number,
                postal_code: i.postal_code,
                town: i.town,
                country: i.country,
            },
            iban: i.iban,
            reference_type: i.reference_type,
            reference: i.reference,
            message: if i.message.is_empty() {
                i.number
            } else {
                i.message
            },
        })
        .collect();
    let now = time::OffsetDateTime::now_utc();
    let created = format!(
        "{}T{:02}:{:02}:{:02}",
        now.date(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let message_id = format!("RUN-{}", run_id.simple())
        .chars()
        .take(35)
        .collect::<String>();
    let xml = pain001::file(&message_id, &created, today(), &debtor, &transfers);
    Ok((
        format!("pain001-{}.xml", &run_id.simple().to_string()[..8]),
        xml,
    ))
}
