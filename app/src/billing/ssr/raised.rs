//! The invoices raised by the platform itself: the deposit (issued when the client signs), the
//! final invoice of a signed quote (a draft deducting the deposit, per VAT rate), and the
//! invoice of a subscription's period.

use sqlx::PgConnection;
use time::Date;
use uuid::Uuid;

use super::invoices::{email_issued, insert_draft, issue_in, Content, NewDraft};
use super::lines::{self, PricedLine};
use crate::billing::{InvoiceKind, InvoiceStatus, QuoteView};
use crate::domain::calendar::{iso_date, parse_date, today};
use crate::domain::money::{format_percent_bp, Currency};
use crate::domain::vat::{deposit_lines, LineAmounts};
use crate::error::AppError;
use crate::i18n::Locale;

fn deposit_label(locale: Locale, percent: &str, quote: &str, rate: &str) -> String {
    match locale {
        Locale::Fr => format!("Acompte de {percent} % sur le devis {quote} (TVA {rate} %)"),
        Locale::De => format!("Anzahlung {percent} % auf Offerte {quote} (MWST {rate} %)"),
        Locale::En => format!("Deposit of {percent}% on quote {quote} (VAT {rate}%)"),
    }
}

/// The deposit as lines, one per VAT rate of the quote (see [`deposit_lines`]); `sign` −1 for
/// the deduction on the final invoice.
fn deposit_priced(quote: &QuoteView, sign: i64, locale: Locale) -> Vec<PricedLine> {
    let service_date = parse_date("issue_date", &quote.issue_date).unwrap_or_else(|_| today());
    deposit_lines(&quote.amounts.per_rate, quote.deposit_bp)
        .into_iter()
        .map(|rate| {
            let net = rate.net_minor * sign;
            PricedLine {
                product_id: None,
                description: deposit_label(
                    locale,
                    &format_percent_bp(quote.deposit_bp),
                    &quote.number,
                    &format_percent_bp(rate.rate_bp),
                ),
                quantity_milli: 1_000 * sign,
                unit: "pce".into(),
                unit_price_minor: rate.net_minor,
                discount_bp: 0,
                vat_code: rate.code,
                vat_rate_bp: rate.rate_bp,
                service_date,
                amounts: LineAmounts {
                    net_minor: net,
                    vat_minor: rate.vat_minor * sign,
                },
            }
        })
        .collect()
}

/// Creates and issues the deposit invoice of a just-signed quote (automation scope, caller's
/// transaction), and emails the client.
pub async fn create_deposit(
    conn: &mut PgConnection,
    quote: &QuoteView,
    project_id: Uuid,
    due_days: i32,
    public_url: &str,
) -> Result<Uuid, AppError> {
    let locale = quote.language;
    let lines = deposit_priced(quote, 1, locale);
    let title = match locale {
        Locale::Fr => format!("Acompte – {}", quote.number),
        Locale::De => format!("Anzahlung – {}", quote.number),
        Locale::En => format!("Deposit – {}", quote.number),
    };
    let id = insert_draft(
        conn,
        NewDraft {
            company_id: quote.company_id,
            content: Content {
                party_id: quote.party_id,
                contact_id: quote.contact_id,
                title: &title,
                currency: quote.currency,
                language: locale,
                due_days,
                lines: &lines,
            },
            quote_id: Some(quote.id),
            project_id: Some(project_id),
            kind: InvoiceKind::Deposit,
            created_by: None,
        },
    )
    .await?;
    let issued = issue_in(conn, id).await?;
    if let Some(to) = issued.to_address.clone() {
        email_issued(conn, id, &issued, &to, public_url).await?;
    }
    Ok(id)
}

/// Issues the invoice of one period of a subscription (automation scope, caller's transaction,
/// the subscription row locked); its items are rated at the period's first day. Returns false
/// when that period was invoiced already.
pub async fn create_recurring(
    conn: &mut PgConnection,
    company_id: Uuid,
    subscription_id: Uuid,
    period_start: Date,
    public_url: &str,
) -> Result<bool, AppError> {
    let done = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM invoices
           WHERE company_id = $1 AND subscription_id = $2 AND period_start = $3"#,
        company_id,
        subscription_id,
        period_start
    )
    .fetch_one(&mut *conn)
    .await?;
    if done > 0 {
        return Ok(false);
    }
    let s = sqlx::query!(
        r#"SELECT s.party_id, s.contact_id, s.name, s.currency AS "currency: Currency", s.due_days,
                  COALESCE(ct.language, p.language) AS "language!: Locale"
           FROM subscriptions s JOIN parties p ON p.company_id = s.company_id AND p.id = s.party_id
           LEFT JOIN contacts ct ON ct.company_id = s.company_id AND ct.id = s.contact_id
           WHERE s.company_id = $1 AND s.id = $2"#,
        company_id,
        subscription_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let items = sqlx::query!(
        r#"SELECT product_id, description, quantity_milli, unit, unit_price_minor, discount_bp,
                  vat_code AS "vat_code: crate::domain::vat::VatCode"
           FROM subscription_items WHERE company_id = $1 AND subscription_id = $2 ORDER BY position"#,
        company_id,
        subscription_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let periods = lines::vat_periods(conn).await?;
    let mut priced = Vec::with_capacity(items.len());
    for i in items {
        let rate = crate::domain::vat::rate_on(&periods, i.vat_code, period_start)
            .ok_or(AppError::Conflict)?;
        let amounts = crate::domain::vat::line_amounts(
            i.quantity_milli,
            i.unit_price_minor,
            i.discount_bp,
            rate,
        )
        .ok_or(AppError::Conflict)?;
        priced.push(PricedLine {
            product_id: i.product_id,
            description: i.description,
            quantity_milli: i.quantity_milli,
            unit: i.unit,
            unit_price_minor: i.unit_price_minor,
            discount_bp: i.discount_bp,
            vat_code: i.vat_code,
            vat_rate_bp: rate,
            service_date: period_start,
            amounts,
        });
    }
    let title = format!(
        "{} – {}",
        s.name,
        crate::domain::format::date(s.language, &iso_date(period_start))
    );
    let id = insert_draft(
        conn,
        NewDraft {
            company_id,
            content: Content {
                party_id: s.party_id,
                contact_id: s.contact_id,
                title: &title,
                currency: s.currency,
                language: s.language,
                due_days: s.due_days,
                lines: &priced,
            },
            quote_id: None,
            project_id: None,
            kind: InvoiceKind::Recurring,
            created_by: None,
        },
    )
    .await?;
    sqlx::query!(
        "UPDATE invoices SET subscription_id = $3, period_start = $4 WHERE company_id = $1 AND id = $2",
        company_id,
        id,
        subscription_id,
        period_start
    )
    .execute(&mut *conn)
    .await?;
    let issued = issue_in(conn, id).await?;
    if let Some(to) = issued.to_address.clone() {
        email_issued(conn, id, &issued, &to, public_url).await?;
    }
    Ok(true)
}

/// A draft final invoice: the quote's lines, minus the deposit invoiced (per VAT rate).
pub async fn create_final(
    conn: &mut PgConnection,
    quote: &QuoteView,
    user: Uuid,
) -> Result<Uuid, AppError> {
    let locale = quote.language;
    let mut lines: Vec<PricedLine> = quote
        .lines
        .iter()
        .map(|l| PricedLine {
            product_id: l.product_id,
            description: l.description.clone(),
            quantity_milli: l.quantity_milli,
            unit: l.unit.clone(),
            unit_price_minor: l.unit_price_minor,
            discount_bp: l.discount_bp,
            vat_code: l.vat_code,
            vat_rate_bp: l.vat_rate_bp,
            service_date: parse_date("service_date", &l.service_date).unwrap_or_else(|_| today()),
            amounts: LineAmounts {
                net_minor: l.net_minor,
                vat_minor: l.vat_minor,
            },
        })
        .collect();
    let deposit_invoiced = quote
        .invoices
        .iter()
        .any(|i| i.kind == InvoiceKind::Deposit && i.status != InvoiceStatus::Cancelled);
    if deposit_invoiced && quote.deposit_bp > 0 {
        for mut l in deposit_priced(quote, -1, locale) {
            l.description = match locale {
                Locale::Fr => format!("Déduction : {}", l.description),
                Locale::De => format!("Abzug: {}", l.description),
                Locale::En => format!("Less: {}", l.description),
            };
            lines.push(l);
        }
    }
    let terms = super::issuer(conn, quote.company_id)
        .await?
        .payment_terms_days;
    insert_draft(
        conn,
        NewDraft {
            company_id: quote.company_id,
            content: Content {
                party_id: quote.party_id,
                contact_id: quote.contact_id,
                title: &quote.title,
                currency: quote.currency,
                language: locale,
                due_days: terms,
                lines: &lines,
            },
            quote_id: Some(quote.id),
            project_id: None,
            kind: InvoiceKind::Final,
            created_by: Some(user),
        },
    )
    .await
}
