//! Recurring billing: subscriptions (who, the items of each period, how often, from when until
//! when) and the daily run that issues their invoices. One invoice per subscription and period,
//! however often and on however many instances the run goes: the subscription row is claimed
//! with `FOR UPDATE SKIP LOCKED` and the period is part of a unique key of the invoices.

use sqlx::{PgConnection, PgPool};
use time::Date;
use uuid::Uuid;

use super::invoice_view;
use super::lines::{self, PricedLine};
use crate::auth::ssr::audit::{self, AuditEvent, ClientInfo};
use crate::auth::ssr::{begin, set_scope, Caller, Scope};
use crate::auth::Permission;
use crate::billing::{LineInput, SubscriptionInput, SubscriptionView};
use crate::crm::ssr::refs::{self, References};
use crate::domain::calendar::{add_months, iso_date, parse_date, today};
use crate::domain::money::{format_percent_bp, format_plain, format_quantity, Currency};
use crate::domain::status::{BillingInterval, PartyKind, SubscriptionStatus};
use crate::domain::text::Problems;
use crate::domain::vat::VatCode;
use crate::error::{AppError, FieldProblem};

/// Checks a subscription form; returns its first day, last day and items priced at `starts`.
async fn check(
    conn: &mut PgConnection,
    input: &SubscriptionInput,
) -> Result<(Date, Option<Date>, i32, Vec<PricedLine>), AppError> {
    let mut p = Problems::default();
    p.text("name", &input.name, true, 200);
    let due_days = if input.due_days.trim().is_empty() {
        Some(
            super::issuer(conn, input.company_id)
                .await?
                .payment_terms_days,
        )
    } else {
        input
            .due_days
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|d| (0..=365).contains(d))
    };
    p.check(due_days.is_some(), "due_days", FieldProblem::Invalid);
    p.done()?;
    let starts = parse_date("starts_on", &input.starts_on)?;
    let ends = match input.ends_on.trim() {
        "" => None,
        text => Some(parse_date("ends_on", text)?),
    };
    if ends.is_some_and(|e| e < starts) {
        return Err(AppError::field("ends_on", FieldProblem::Invalid));
    }
    refs::check(
        conn,
        &References {
            company_id: input.company_id,
            party: Some((input.party_id, &[PartyKind::Client])),
            contact_id: input.contact_id,
            products: input.lines.iter().map(|l| l.product_id).collect(),
            ..References::default()
        },
    )
    .await?;
    super::account_for(conn, input.company_id, input.currency).await?;
    // Items are priced as of the first day: the amount per period (MRR) is their net.
    let dated: Vec<LineInput> = input
        .lines
        .iter()
        .map(|l| LineInput {
            service_date: iso_date(starts),
            ..l.clone()
        })
        .collect();
    let periods = lines::vat_periods(conn).await?;
    let priced = lines::price(&dated, &periods, false)?;
    Ok((starts, ends, due_days.unwrap_or(30), priced))
}

async fn write_items(
    conn: &mut PgConnection,
    company_id: Uuid,
    id: Uuid,
    items: &[PricedLine],
) -> Result<(), AppError> {
    sqlx::query!(
        "DELETE FROM subscription_items WHERE company_id = $1 AND subscription_id = $2",
        company_id,
        id
    )
    .execute(&mut *conn)
    .await?;
    for (i, l) in items.iter().enumerate() {
        sqlx::query!(
            r#"INSERT INTO subscription_items (company_id, subscription_id, position, product_id, description,
                                               quantity_milli, unit, unit_price_minor, discount_bp, vat_code)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#,
            company_id,
            id,
            i as i32 + 1,
            l.product_id,
            l.description,
            l.quantity_milli,
            l.unit,
            l.unit_price_minor,
            l.discount_bp,
            l.vat_code.as_str(),
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Creates (no id) or changes a subscription. The next period to invoice is its first day
/// for a new one; a change keeps the periods already invoiced.
pub async fn save(
    pool: &PgPool,
    caller: &Caller,
    id: Option<Uuid>,
    input: &SubscriptionInput,
    client: &ClientInfo,
) -> Result<Uuid, AppError> {
    let scope = caller.scope_in(Permission::SubscriptionsWrite, input.company_id)?;
    let mut tx = begin(pool, &scope).await?;
    let (starts, ends, due_days, items) = check(&mut tx, input).await?;
    let amount: i64 = items.iter().map(|l| l.amounts.net_minor).sum();
    if amount <= 0 {
        return Err(AppError::field("lines", FieldProblem::Invalid));
    }
    let saved = match id {
        None => sqlx::query_scalar!(
            r#"INSERT INTO subscriptions (company_id, party_id, contact_id, name, amount_minor, currency, billing_interval,
                                          status, started_on, ends_on, next_invoice_on, due_days)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $11) RETURNING id"#,
            input.company_id,
            input.party_id,
            input.contact_id,
            input.name.trim(),
            amount,
            input.currency.code(),
            input.interval.as_str(),
            input.status.as_str(),
            starts,
            ends,
            due_days,
        )
        .fetch_one(&mut *tx)
        .await?,
        Some(id) => sqlx::query_scalar!(
            r#"UPDATE subscriptions SET party_id = $3, contact_id = $4, name = $5, amount_minor = $6, currency = $7,
                      billing_interval = $8, status = $9, started_on = $10, ends_on = $11, due_days = $12,
                      next_invoice_on = GREATEST(next_invoice_on, $10), updated_at = now()
               WHERE company_id = $1 AND id = $2 RETURNING id"#,
            input.company_id,
            id,
            input.party_id,
            input.contact_id,
            input.name.trim(),
            amount,
            input.currency.code(),
            input.interval.as_str(),
            input.status.as_str(),
            starts,
            ends,
            due_days,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?,
    };
    write_items(&mut tx, input.company_id, saved, &items).await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::SubscriptionSaved,
        Some(caller.user_id),
        serde_json::json!({ "subscription": saved, "amount_minor": amount, "interval": input.interval.as_str(),
                            "status": input.status.as_str() }),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

async fn items_of(
    conn: &mut PgConnection,
    company_id: Uuid,
    id: Uuid,
) -> Result<Vec<LineInput>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT product_id, description, quantity_milli, unit, unit_price_minor, discount_bp,
                  vat_code AS "vat_code: VatCode"
           FROM subscription_items WHERE company_id = $1 AND subscription_id = $2 ORDER BY position"#,
        company_id,
        id
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| LineInput {
        product_id: r.product_id,
        description: r.description,
        quantity: format_quantity(r.quantity_milli),
        unit: r.unit,
        unit_price: format_plain(r.unit_price_minor),
        discount: if r.discount_bp == 0 {
            String::new()
        } else {
            format_percent_bp(r.discount_bp)
        },
        vat_code: r.vat_code,
        service_date: String::new(),
    })
    .collect())
}

/// One subscription with its items and invoices.
pub async fn get(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<SubscriptionView, AppError> {
    let scope = caller.scope(Permission::InvoicesRead)?;
    let mut tx = begin(pool, &scope).await?;
    let s = sqlx::query!(
        r#"SELECT s.company_id, s.party_id, p.name AS party_name, s.contact_id, s.name, s.currency AS "currency: Currency",
                  s.billing_interval AS "interval: BillingInterval", s.status AS "status: SubscriptionStatus",
                  s.started_on, s.ends_on, s.next_invoice_on, s.due_days, s.amount_minor
           FROM subscriptions s JOIN parties p ON p.company_id = s.company_id AND p.id = s.party_id
           WHERE s.id = $1"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let lines = items_of(&mut tx, s.company_id, id).await?;
    let invoice_ids = sqlx::query_scalar!(
        "SELECT id FROM invoices WHERE company_id = $1 AND subscription_id = $2 ORDER BY period_start DESC LIMIT 24",
        s.company_id,
        id
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut invoices = Vec::with_capacity(invoice_ids.len());
    for invoice in invoice_ids {
        let (view, _) = invoice_view::load(&mut tx, invoice).await?;
        invoices.push(crate::billing::InvoiceSummary {
            id: view.id,
            company_code: String::new(),
            number: view.number,
            party_name: view.party_name,
            kind: view.kind,
            status: view.status,
            currency: view.currency,
            total_minor: view.amounts.total_minor,
            balance_minor: view.balance_minor,
            issue_date: view.issue_date,
            due_date: view.due_date,
            overdue: view.overdue,
        });
    }
    tx.commit().await?;
    Ok(SubscriptionView {
        id,
        party_name: s.party_name,
        input: SubscriptionInput {
            company_id: s.company_id,
            party_id: s.party_id,
            contact_id: s.contact_id,
            name: s.name,
            currency: s.currency,
            interval: s.interval,
            starts_on: iso_date(s.started_on),
            ends_on: s.ends_on.map(iso_date).unwrap_or_default(),
            status: s.status,
            due_days: s.due_days.to_string(),
            lines,
        },
        next_invoice_on: iso_date(s.next_invoice_on),
        amount_minor: s.amount_minor,
        invoices,
    })
}

/// What a run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Invoices issued.
    pub issued: usize,
    /// Subscriptions that reached their end and stopped.
    pub ended: usize,
    /// Subscriptions that could not be invoiced (e.g. no bank account in their currency); they
    /// stay due and are tried again on the next run, the others go on.
    pub failed: usize,
}

/// Issues every invoice due up to `today` (catching up missed periods), one subscription per
/// transaction, for `companies` (every company when `None`). Safe to run twice, or on two
/// instances at once: a period is taken under a row lock and an invoice exists once per period.
pub async fn run_due(
    pool: &PgPool,
    today: Date,
    companies: Option<&[Uuid]>,
    public_url: &str,
) -> Result<RunReport, AppError> {
    let mut report = RunReport::default();
    let mut failed: Vec<Uuid> = Vec::new();
    loop {
        let mut tx = begin(pool, &Scope::system()).await?;
        let due = sqlx::query!(
            r#"SELECT id, company_id, ends_on, next_invoice_on, billing_interval AS "interval: BillingInterval"
               FROM subscriptions
               WHERE status = 'active' AND next_invoice_on <= $1
                 AND ($2::uuid[] IS NULL OR company_id = ANY($2)) AND NOT (id = ANY($3))
               ORDER BY next_invoice_on LIMIT 1 FOR UPDATE SKIP LOCKED"#,
            today,
            companies,
            &failed
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(due) = due else {
            tx.commit().await?;
            return Ok(report);
        };
        let period = Period {
            company_id: due.company_id,
            subscription_id: due.id,
            starts_on: due.next_invoice_on,
            next: add_months(due.next_invoice_on, due.interval.months()),
            ended: due.ends_on.is_some_and(|end| due.next_invoice_on > end),
        };
        match invoice_period(&mut tx, &period, public_url).await {
            Ok(Outcome::Issued) => report.issued += 1,
            Ok(Outcome::Ended) => report.ended += 1,
            Ok(Outcome::AlreadyInvoiced) => {}
            Err(error) => {
                tracing::warn!(subscription = %due.id, %error, "subscription not invoiced");
                drop(tx);
                failed.push(due.id);
                report.failed += 1;
                continue;
            }
        }
        tx.commit().await?;
    }
}

/// One due period of one subscription.
struct Period {
    company_id: Uuid,
    subscription_id: Uuid,
    starts_on: Date,
    next: Date,
    ended: bool,
}

enum Outcome {
    Issued,
    Ended,
    AlreadyInvoiced,
}

async fn invoice_period(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    p: &Period,
    public_url: &str,
) -> Result<Outcome, AppError> {
    // The company's own automation writes its invoice.
    set_scope(tx, &Scope::automation(p.company_id)).await?;
    if p.ended {
        sqlx::query!(
            "UPDATE subscriptions SET status = 'cancelled', updated_at = now() WHERE company_id = $1 AND id = $2",
            p.company_id,
            p.subscription_id
        )
        .execute(&mut **tx)
        .await?;
        return Ok(Outcome::Ended);
    }
    let fresh = super::raised::create_recurring(
        tx,
        p.company_id,
        p.subscription_id,
        p.starts_on,
        public_url,
    )
    .await?;
    sqlx::query!(
        "UPDATE subscriptions SET next_invoice_on = $3, updated_at = now() WHERE company_id = $1 AND id = $2",
        p.company_id,
        p.subscription_id,
        p.next
    )
    .execute(&mut **tx)
    .await?;
    Ok(if fresh {
        Outcome::Issued
    } else {
        Outcome::AlreadyInvoiced
    })
}

/// The run for today (the daily job and the "run now" button).
pub async fn run_today(pool: &PgPool, public_url: &str) -> Result<RunReport, AppError> {
    run_due(pool, today(), None, public_url).await
}

/// Staff's "invoice what is due now" button: the same run, for the companies where the caller
/// may write subscriptions.
pub async fn run_now(
    pool: &PgPool,
    caller: &Caller,
    public_url: &str,
) -> Result<RunReport, AppError> {
    let scope = caller.scope(Permission::SubscriptionsWrite)?;
    run_due(pool, today(), Some(&scope.company_ids), public_url).await
}
