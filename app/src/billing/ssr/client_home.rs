//! What a client sees first: the quotes waiting for their decision and what they still owe,
//! computed in SQL over all of their invoices (not the first page of a list).

use sqlx::PgPool;

use crate::auth::ssr::{begin, Caller};
use crate::auth::Permission;
use crate::billing::{
    ClientHomeView, InvoiceKind, InvoiceStatus, InvoiceSummary, QuoteStatus, QuoteSummary,
};
use crate::domain::calendar::{iso_date, today};
use crate::domain::money::Currency;
use crate::error::AppError;

/// Open quotes, unpaid invoices (every one of them, oldest due first) and the total owed per
/// currency, for the caller's own parties.
pub async fn load(pool: &PgPool, caller: &Caller) -> Result<ClientHomeView, AppError> {
    let scope = caller.scope(Permission::InvoicesRead)?;
    let mut tx = begin(pool, &scope).await?;
    let today = today();
    let quotes = sqlx::query!(
        r#"SELECT q.id, c.code, q.number, p.name AS party, q.title, q.status AS "status: QuoteStatus",
                  q.currency AS "currency: Currency", q.total_minor, q.issue_date, q.valid_until
           FROM quotes q JOIN companies c ON c.id = q.company_id
           JOIN parties p ON p.company_id = q.company_id AND p.id = q.party_id
           WHERE q.company_id = ANY($1) AND q.party_id = ANY($2) AND q.status IN ('sent', 'viewed')
           ORDER BY q.valid_until"#,
        &scope.company_ids,
        &scope.party_ids
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|q| QuoteSummary {
        id: q.id,
        company_code: q.code,
        number: q.number,
        party_name: q.party,
        title: q.title,
        status: q.status,
        currency: q.currency,
        total_minor: q.total_minor,
        issue_date: iso_date(q.issue_date),
        valid_until: iso_date(q.valid_until),
    })
    .collect();
    let invoices: Vec<InvoiceSummary> = sqlx::query!(
        r#"SELECT i.id, c.code, i.number, p.name AS party, i.kind AS "kind: InvoiceKind",
                  i.status AS "status: InvoiceStatus", i.currency AS "currency: Currency", i.total_minor,
                  i.total_minor - i.paid_minor - i.credited_minor AS "balance!", i.issue_date, i.due_date
           FROM invoices i JOIN companies c ON c.id = i.company_id
           JOIN parties p ON p.company_id = i.company_id AND p.id = i.party_id
           WHERE i.company_id = ANY($1) AND i.party_id = ANY($2) AND i.status IN ('sent', 'viewed', 'partial')
           ORDER BY i.due_date, i.number"#,
        &scope.company_ids,
        &scope.party_ids
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|i| InvoiceSummary {
        id: i.id,
        company_code: i.code,
        number: i.number,
        party_name: i.party,
        kind: i.kind,
        status: i.status,
        currency: i.currency,
        total_minor: i.total_minor,
        balance_minor: i.balance,
        issue_date: iso_date(i.issue_date),
        due_date: iso_date(i.due_date),
        overdue: i.due_date < today,
    })
    .collect();
    tx.commit().await?;
    let mut owed: Vec<(Currency, i64)> = Vec::new();
    for i in &invoices {
        match owed.iter_mut().find(|(c, _)| *c == i.currency) {
            Some((_, sum)) => *sum += i.balance_minor,
            None => owed.push((i.currency, i.balance_minor)),
        }
    }
    Ok(ClientHomeView {
        open_quotes: quotes,
        unpaid_invoices: invoices,
        owed,
    })
}
