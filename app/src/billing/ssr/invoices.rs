//! Invoices: deposit (automatic on signature), final (deducting the deposit), from scratch;
//! sending, viewing, payments (partial allowed, overpayment refused), credit notes, overdue job.

use sqlx::{PgConnection, PgPool};
use time::Duration;
use uuid::Uuid;

use super::email::{self, Mail};
use super::lines::{self, PricedLine};
use super::numbering::{self, DocumentKind};
use super::{iso_date, parse_date, today, Issuer};
use crate::auth::ssr::audit::{self, AuditEvent, ClientInfo};
use crate::auth::ssr::{begin, set_scope, Caller, Scope};
use crate::auth::{Permission, Role};
use crate::billing::{
    money, CreditNoteView, InvoiceInput, InvoiceKind, InvoiceStatus, InvoiceSummary, InvoiceView,
    LineView, ListFilter, PaymentInput, PaymentInstructions, PaymentView, QuoteView, PAGE_SIZE,
};
use crate::domain::money::{div_round, format_percent_bp, parse_minor, Currency};
use crate::domain::qrbill::{Address, QrBill, Reference};
use crate::domain::reference::{group, qrr_from_digits, scor_from};
use crate::domain::vat::{LineAmounts, VatCode};
use crate::error::{AppError, FieldProblem};
use crate::i18n::Locale;

/// The payment reference of an invoice: a QR reference when the company has a QR-IBAN (and the
/// currency is CHF or EUR), else an ISO 11649 creditor reference. Derived from the number, so
/// it is unique per company.
pub fn reference_for(issuer: &Issuer, currency: Currency, number: &str) -> (&'static str, String) {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if issuer.qr_iban.is_some() && matches!(currency, Currency::CHF | Currency::EUR) {
        if let Some(qrr) = qrr_from_digits(&digits) {
            return ("QRR", qrr);
        }
    }
    let alnum: String = number.chars().filter(char::is_ascii_alphanumeric).collect();
    match scor_from(&alnum) {
        Some(scor) => ("SCOR", scor),
        None => ("NON", String::new()),
    }
}

struct NewInvoice<'a> {
    company_id: Uuid,
    party_id: Uuid,
    contact_id: Option<Uuid>,
    quote_id: Option<Uuid>,
    project_id: Option<Uuid>,
    kind: InvoiceKind,
    status: InvoiceStatus,
    title: &'a str,
    currency: Currency,
    language: &'a str,
    due_days: i32,
    notes: &'a str,
    lines: &'a [PricedLine],
    created_by: Option<Uuid>,
}

async fn insert(conn: &mut PgConnection, new: NewInvoice<'_>) -> Result<(Uuid, String), AppError> {
    let issuer = super::issuer(conn, new.company_id).await?;
    let amounts = lines::amounts(new.lines, issuer.round_5 && new.currency == Currency::CHF);
    if amounts.total_minor <= 0 {
        return Err(AppError::field("lines", FieldProblem::Invalid));
    }
    let issue = today();
    let (_, number) =
        numbering::next(conn, new.company_id, DocumentKind::Invoice, issue.year()).await?;
    let (reference_type, reference) = reference_for(&issuer, new.currency, &number);
    let id = Uuid::new_v4();
    let sent = new.status != InvoiceStatus::Draft;
    sqlx::query!(
        r#"INSERT INTO invoices (id, company_id, number, party_id, contact_id, quote_id, project_id, kind, status, title,
                                 currency, language, issue_date, due_date, net_minor, vat_minor, rounding_minor, total_minor,
                                 reference_type, reference, notes, sent_at, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                   CASE WHEN $22 THEN now() END, $23)"#,
        id,
        new.company_id,
        number,
        new.party_id,
        new.contact_id,
        new.quote_id,
        new.project_id,
        new.kind.as_str(),
        // Lines go in while it is a draft; a sent invoice is locked (see below).
        InvoiceStatus::Draft.as_str(),
        new.title,
        new.currency.code(),
        new.language,
        issue,
        issue + Duration::days(new.due_days.into()),
        amounts.net_minor,
        amounts.vat_minor,
        amounts.rounding_minor,
        amounts.total_minor,
        reference_type,
        reference,
        new.notes,
        false,
        new.created_by,
    )
    .execute(&mut *conn)
    .await?;
    for (i, l) in new.lines.iter().enumerate() {
        sqlx::query!(
            r#"INSERT INTO invoice_lines (company_id, invoice_id, position, product_id, description, quantity_milli, unit,
                                          unit_price_minor, discount_bp, vat_code, vat_rate_bp, service_date, net_minor, vat_minor)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"#,
            new.company_id,
            id,
            i as i32 + 1,
            l.product_id,
            l.description,
            l.quantity_milli,
            l.unit,
            l.unit_price_minor,
            l.discount_bp,
            l.vat_code.as_str(),
            l.vat_rate_bp,
            l.service_date,
            l.amounts.net_minor,
            l.amounts.vat_minor,
        )
        .execute(&mut *conn)
        .await?;
    }
    if sent {
        sqlx::query!(
            "UPDATE invoices SET status = $3, sent_at = now() WHERE company_id = $1 AND id = $2",
            new.company_id,
            id,
            new.status.as_str()
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok((id, number))
}

fn deposit_label(locale: Locale, percent: &str, quote: &str, rate: &str) -> String {
    match locale {
        Locale::Fr => format!("Acompte de {percent} % sur le devis {quote} (TVA {rate} %)"),
        Locale::De => format!("Anzahlung {percent} % auf Offerte {quote} (MWST {rate} %)"),
        Locale::En => format!("Deposit of {percent}% on quote {quote} (VAT {rate}%)"),
    }
}

/// The deposit as lines, one per VAT rate of the quote: net × deposit %, VAT at the same rate.
fn deposit_lines(quote: &QuoteView, sign: i64, locale: Locale) -> Vec<PricedLine> {
    let service_date = parse_date("issue_date", &quote.issue_date).unwrap_or_else(|_| today());
    quote
        .amounts
        .per_rate
        .iter()
        .map(|rate| {
            let net =
                div_round(rate.net_minor as i128 * quote.deposit_bp as i128, 10_000) as i64 * sign;
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
                unit_price_minor: net.abs(),
                discount_bp: 0,
                vat_code: rate.code,
                vat_rate_bp: rate.rate_bp,
                service_date,
                amounts: LineAmounts {
                    net_minor: net,
                    vat_minor: div_round(net as i128 * rate.rate_bp as i128, 10_000) as i64,
                },
            }
        })
        .collect()
}

/// Creates and sends the deposit invoice of a just-signed quote (automation scope, caller's
/// transaction), and emails the client.
pub async fn create_deposit(
    conn: &mut PgConnection,
    quote: &QuoteView,
    project_id: Uuid,
    due_days: i32,
    public_url: &str,
) -> Result<Uuid, AppError> {
    let meta = sqlx::query!(
        r#"SELECT q.language, c.name AS company, COALESCE(ct.email, p.email) AS "to_address"
           FROM quotes q JOIN companies c ON c.id = q.company_id
           JOIN parties p ON p.company_id = q.company_id AND p.id = q.party_id
           LEFT JOIN contacts ct ON ct.company_id = q.company_id AND ct.id = q.contact_id
           WHERE q.company_id = $1 AND q.id = $2"#,
        quote.company_id,
        quote.id
    )
    .fetch_one(&mut *conn)
    .await?;
    let locale = Locale::parse(&meta.language).unwrap_or_default();
    let lines = deposit_lines(quote, 1, locale);
    let title = match locale {
        Locale::Fr => format!("Acompte – {}", quote.number),
        Locale::De => format!("Anzahlung – {}", quote.number),
        Locale::En => format!("Deposit – {}", quote.number),
    };
    let (id, number) = insert(
        conn,
        NewInvoice {
            company_id: quote.company_id,
            party_id: quote.party_id,
            contact_id: quote.contact_id,
            quote_id: Some(quote.id),
            project_id: Some(project_id),
            kind: InvoiceKind::Deposit,
            status: InvoiceStatus::Sent,
            title: &title,
            currency: quote.currency,
            language: &meta.language,
            due_days,
            notes: "",
            lines: &lines,
            created_by: None,
        },
    )
    .await?;
    if let Some(to) = meta.to_address.filter(|a| !a.is_empty()) {
        let total = sqlx::query_scalar!(
            "SELECT total_minor FROM invoices WHERE company_id = $1 AND id = $2",
            quote.company_id,
            id
        )
        .fetch_one(&mut *conn)
        .await?;
        let due = iso_date(today() + Duration::days(due_days.into()));
        email::queue(
            conn,
            quote.company_id,
            Some(quote.party_id),
            &to,
            locale,
            Mail::InvoiceSent {
                number: &number,
                company: &meta.company,
                amount: &money(quote.currency, total),
                due: &due,
            },
            &format!("{public_url}/client/invoices/{id}"),
        )
        .await?;
    }
    Ok(id)
}

/// A draft final invoice: the quote's lines, minus the deposit invoiced (per VAT rate).
pub async fn create_final(
    conn: &mut PgConnection,
    quote: &QuoteView,
    user: Uuid,
) -> Result<Uuid, AppError> {
    let language = sqlx::query_scalar!(
        "SELECT language FROM quotes WHERE company_id = $1 AND id = $2",
        quote.company_id,
        quote.id
    )
    .fetch_one(&mut *conn)
    .await?;
    let locale = Locale::parse(&language).unwrap_or_default();
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
        let mut deduction = deposit_lines(quote, -1, locale);
        for l in &mut deduction {
            let text = deposit_label(
                locale,
                &format_percent_bp(quote.deposit_bp),
                &quote.number,
                &format_percent_bp(l.vat_rate_bp),
            );
            l.description = match locale {
                Locale::Fr => format!("Déduction : {text}"),
                Locale::De => format!("Abzug: {text}"),
                Locale::En => format!("Less: {text}"),
            };
        }
        lines.extend(deduction);
    }
    let issuer = super::issuer(conn, quote.company_id).await?;
    let (id, _) = insert(
        conn,
        NewInvoice {
            company_id: quote.company_id,
            party_id: quote.party_id,
            contact_id: quote.contact_id,
            quote_id: Some(quote.id),
            project_id: None,
            kind: InvoiceKind::Final,
            status: InvoiceStatus::Draft,
            title: &quote.title,
            currency: quote.currency,
            language: &language,
            due_days: issuer.payment_terms_days,
            notes: "",
            lines: &lines,
            created_by: Some(user),
        },
    )
    .await?;
    Ok(id)
}

/// Creates a draft invoice from scratch.
pub async fn create(
    pool: &PgPool,
    caller: &Caller,
    input: &InvoiceInput,
) -> Result<Uuid, AppError> {
    let scope = caller.scope_in(Permission::InvoicesWrite, input.company_id)?;
    let mut tx = begin(pool, &scope).await?;
    let periods = lines::vat_periods(&mut tx).await?;
    let priced = lines::price(&input.lines, &periods, true)?;
    let issuer = super::issuer(&mut tx, input.company_id).await?;
    let due_days = if input.due_days.trim().is_empty() {
        issuer.payment_terms_days
    } else {
        input
            .due_days
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|d| (0..=365).contains(d))
            .ok_or_else(|| AppError::field("due_days", FieldProblem::Invalid))?
    };
    let language = sqlx::query_scalar!(
        r#"SELECT COALESCE(ct.language, p.language) AS "language!" FROM parties p
           LEFT JOIN contacts ct ON ct.company_id = p.company_id AND ct.id = $3 AND ct.party_id = p.id
           WHERE p.company_id = $1 AND p.id = $2"#,
        input.company_id,
        input.party_id,
        input.contact_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::field("party_id", FieldProblem::Invalid))?;
    let title = input.title.trim();
    if title.chars().count() > 200 {
        return Err(AppError::field("title", FieldProblem::TooLong { max: 200 }));
    }
    let (id, _) = insert(
        &mut tx,
        NewInvoice {
            company_id: input.company_id,
            party_id: input.party_id,
            contact_id: input.contact_id,
            quote_id: None,
            project_id: None,
            kind: InvoiceKind::Standard,
            status: InvoiceStatus::Draft,
            title,
            currency: input.currency,
            language: &language,
            due_days,
            notes: "",
            lines: &priced,
            created_by: Some(caller.user_id),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Sends a draft invoice: it is locked from now on and the client gets an email.
pub async fn send(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
    public_url: &str,
) -> Result<(), AppError> {
    let scope = caller.scope(Permission::InvoicesSend)?;
    let mut tx = begin(pool, &scope).await?;
    let inv = sqlx::query!(
        r#"SELECT i.company_id, i.number, i.status, i.party_id, i.language, i.currency::text AS "currency!", i.total_minor,
                  i.due_date, c.name AS company, COALESCE(ct.email, p.email) AS "to_address"
           FROM invoices i JOIN companies c ON c.id = i.company_id
           JOIN parties p ON p.company_id = i.company_id AND p.id = i.party_id
           LEFT JOIN contacts ct ON ct.company_id = i.company_id AND ct.id = i.contact_id
           WHERE i.id = $1 FOR UPDATE OF i"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if inv.status != InvoiceStatus::Draft.as_str() {
        return Err(AppError::Conflict);
    }
    let to = inv
        .to_address
        .filter(|a| !a.is_empty())
        .ok_or_else(|| AppError::field("contact_id", FieldProblem::Required))?;
    sqlx::query!(
        "UPDATE invoices SET status = 'sent', sent_at = now(), updated_at = now() WHERE id = $1 AND company_id = $2",
        id,
        inv.company_id
    )
    .execute(&mut *tx)
    .await?;
    let currency = Currency::parse(&inv.currency).unwrap_or(Currency::CHF);
    email::queue(
        &mut tx,
        inv.company_id,
        Some(inv.party_id),
        &to,
        Locale::parse(&inv.language).unwrap_or_default(),
        Mail::InvoiceSent {
            number: &inv.number,
            company: &inv.company,
            amount: &money(currency, inv.total_minor),
            due: &iso_date(inv.due_date),
        },
        &format!("{public_url}/client/invoices/{id}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Summaries of the invoices raised from a quote.
pub async fn summaries_for_quote(
    conn: &mut PgConnection,
    company_id: Uuid,
    quote_id: Uuid,
) -> Result<Vec<InvoiceSummary>, AppError> {
    summaries(
        conn,
        &[company_id],
        &[],
        Some(quote_id),
        &ListFilter::default(),
    )
    .await
}

/// A row of an invoice list, as read.
struct SummaryRow {
    id: Uuid,
    company_code: String,
    number: String,
    party_name: String,
    kind: String,
    status: String,
    currency: String,
    total_minor: i64,
    paid_minor: i64,
    credited_minor: i64,
    issue_date: time::Date,
    due_date: time::Date,
}

async fn summaries(
    conn: &mut PgConnection,
    companies: &[Uuid],
    parties: &[Uuid],
    quote_id: Option<Uuid>,
    filter: &ListFilter,
) -> Result<Vec<InvoiceSummary>, AppError> {
    let search = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| format!("%{}%", s.replace('%', "\\%").replace('_', "\\_")));
    let rows = if parties.is_empty() {
        sqlx::query_as!(
            SummaryRow,
            r#"SELECT i.id, c.code AS company_code, i.number, p.name AS party_name, i.kind, i.status,
                      i.currency::text AS "currency!", i.total_minor, i.paid_minor, i.credited_minor, i.issue_date, i.due_date
               FROM invoices i
               JOIN companies c ON c.id = i.company_id
               JOIN parties p ON p.company_id = i.company_id AND p.id = i.party_id
               WHERE i.company_id = ANY($1)
                 AND ($2::uuid IS NULL OR i.quote_id = $2)
                 AND ($3::text IS NULL OR i.status = $3)
                 AND ($4::text IS NULL OR i.id IN (SELECT search_ids('invoice', $4, true)))
               ORDER BY i.issue_date DESC, i.number DESC
               LIMIT $5 OFFSET $6"#,
            companies,
            quote_id,
            filter.status.as_deref(),
            search,
            PAGE_SIZE,
            filter.page as i64 * PAGE_SIZE,
        )
        .fetch_all(conn)
        .await?
    } else {
        // A portal user's own invoices: saying the party lets Postgres use the party index
        // (row-level security would filter the same rows, but only after reading them all).
        sqlx::query_as!(
            SummaryRow,
            r#"SELECT i.id, c.code AS company_code, i.number, p.name AS party_name, i.kind, i.status,
                      i.currency::text AS "currency!", i.total_minor, i.paid_minor, i.credited_minor, i.issue_date, i.due_date
               FROM invoices i
               JOIN companies c ON c.id = i.company_id
               JOIN parties p ON p.company_id = i.company_id AND p.id = i.party_id
               WHERE i.company_id = ANY($1) AND i.party_id = ANY($7)
                 AND ($2::uuid IS NULL OR i.quote_id = $2)
                 AND ($3::text IS NULL OR i.status = $3)
                 AND ($4::text IS NULL OR i.id IN (SELECT search_ids('invoice', $4, true)))
               ORDER BY i.issue_date DESC, i.number DESC
               LIMIT $5 OFFSET $6"#,
            companies,
            quote_id,
            filter.status.as_deref(),
            search,
            PAGE_SIZE,
            filter.page as i64 * PAGE_SIZE,
            parties,
        )
        .fetch_all(conn)
        .await?
    };
    Ok(rows
        .into_iter()
        .map(|r| InvoiceSummary {
            id: r.id,
            company_code: r.company_code,
            number: r.number,
            party_name: r.party_name,
            kind: InvoiceKind::parse(&r.kind).unwrap_or(InvoiceKind::Standard),
            status: InvoiceStatus::parse(&r.status).unwrap_or(InvoiceStatus::Draft),
            currency: Currency::parse(&r.currency).unwrap_or(Currency::CHF),
            total_minor: r.total_minor,
            balance_minor: r.total_minor - r.paid_minor - r.credited_minor,
            issue_date: iso_date(r.issue_date),
            due_date: iso_date(r.due_date),
        })
        .collect())
}

/// Lists invoices visible to the caller (clients: their own, never drafts).
pub async fn list(
    pool: &PgPool,
    caller: &Caller,
    filter: &ListFilter,
) -> Result<Vec<InvoiceSummary>, AppError> {
    let scope = caller.list_scope(Permission::InvoicesRead, filter.company_id)?;
    let mut tx = begin(pool, &scope).await?;
    let rows = summaries(&mut tx, &scope.company_ids, &scope.party_ids, None, filter).await?;
    tx.commit().await?;
    Ok(rows)
}

/// Loads an invoice with its lines, payments, credit notes and payment instructions.
pub async fn load(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<(InvoiceView, Option<QrBill>), AppError> {
    let i = sqlx::query!(
        r#"SELECT i.id, i.company_id, c.name AS company_name, i.number, i.party_id, p.name AS party_name, i.quote_id,
                  q.number AS "quote_number?", i.kind, i.status, i.title, i.currency::text AS "currency!", i.issue_date,
                  i.due_date, i.net_minor, i.vat_minor, i.rounding_minor, i.total_minor, i.paid_minor, i.credited_minor,
                  i.reference_type, i.reference
           FROM invoices i
           JOIN companies c ON c.id = i.company_id
           JOIN parties p ON p.company_id = i.company_id AND p.id = i.party_id
           LEFT JOIN quotes q ON q.company_id = i.company_id AND q.id = i.quote_id
           WHERE i.id = $1"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let line_rows = sqlx::query!(
        r#"SELECT position, product_id, description, quantity_milli, unit, unit_price_minor, discount_bp, vat_code,
                  vat_rate_bp, service_date, net_minor, vat_minor
           FROM invoice_lines WHERE company_id = $1 AND invoice_id = $2 ORDER BY position"#,
        i.company_id,
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let lines: Vec<LineView> = line_rows
        .into_iter()
        .map(|r| LineView {
            position: r.position,
            product_id: r.product_id,
            description: r.description,
            quantity_milli: r.quantity_milli,
            unit: r.unit,
            unit_price_minor: r.unit_price_minor,
            discount_bp: r.discount_bp,
            vat_code: VatCode::parse(&r.vat_code).unwrap_or(VatCode::Standard),
            vat_rate_bp: r.vat_rate_bp,
            service_date: iso_date(r.service_date),
            net_minor: r.net_minor,
            vat_minor: r.vat_minor,
        })
        .collect();
    let currency = Currency::parse(&i.currency).unwrap_or(Currency::CHF);
    let issuer = super::issuer(conn, i.company_id).await?;
    let mut amounts = lines::amounts_of_views(&lines, false);
    // The stored rounding is what was invoiced (the company setting may have changed since).
    amounts.rounding_minor = i.rounding_minor;
    amounts.total_minor = i.total_minor;
    let payments = sqlx::query!(
        "SELECT amount_minor, paid_on, method FROM payments WHERE company_id = $1 AND invoice_id = $2 ORDER BY paid_on, created_at",
        i.company_id,
        id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|p| PaymentView {
        amount_minor: p.amount_minor,
        paid_on: iso_date(p.paid_on),
        method: p.method,
    })
    .collect();
    let credit_notes = sqlx::query!(
        "SELECT id, number, total_minor, reason, issue_date FROM credit_notes WHERE company_id = $1 AND invoice_id = $2 ORDER BY number",
        i.company_id,
        id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|c| CreditNoteView {
        id: c.id,
        number: c.number,
        total_minor: c.total_minor,
        reason: c.reason,
        issue_date: iso_date(c.issue_date),
    })
    .collect();
    let balance = i.total_minor - i.paid_minor - i.credited_minor;
    let status = InvoiceStatus::parse(&i.status).unwrap_or(InvoiceStatus::Draft);
    let party = super::recipient(conn, i.company_id, i.party_id).await?;
    let bill = qr_bill(
        &issuer,
        &party,
        currency,
        balance.max(0),
        &i.reference_type,
        &i.reference,
        &i.number,
    );
    let payment = (balance > 0 && status != InvoiceStatus::Cancelled).then(|| {
        let account = if i.reference_type == "QRR" {
            issuer.qr_iban.clone()
        } else {
            issuer.iban.clone()
        };
        PaymentInstructions {
            account: account.map(|a| group(&a, 4, 4)).unwrap_or_default(),
            creditor: vec![
                issuer.legal_name.clone(),
                format!("{} {}", issuer.street, issuer.building_number)
                    .trim()
                    .to_owned(),
                format!("{} {}", issuer.postal_code, issuer.town),
            ],
            reference: match i.reference_type.as_str() {
                "QRR" => group(&i.reference, 2, 5),
                _ => group(&i.reference, 4, 4),
            },
            amount_minor: balance,
            currency,
            qr_svg: bill.as_ref().and_then(|b| super::qr::svg(b).ok()),
        }
    });
    Ok((
        InvoiceView {
            id: i.id,
            company_id: i.company_id,
            company_name: i.company_name,
            number: i.number,
            party_id: i.party_id,
            party_name: i.party_name,
            quote_id: i.quote_id,
            quote_number: i.quote_number,
            kind: InvoiceKind::parse(&i.kind).unwrap_or(InvoiceKind::Standard),
            status,
            title: i.title,
            currency,
            issue_date: iso_date(i.issue_date),
            due_date: iso_date(i.due_date),
            lines,
            amounts,
            paid_minor: i.paid_minor,
            credited_minor: i.credited_minor,
            balance_minor: balance,
            payment,
            payments,
            credit_notes,
        },
        bill.filter(|_| balance > 0 && status != InvoiceStatus::Cancelled),
    ))
}

/// The QR-bill of an invoice for `amount_minor` (None when the currency or account does not allow one).
pub fn qr_bill(
    issuer: &Issuer,
    party: &super::Recipient,
    currency: Currency,
    amount_minor: i64,
    reference_type: &str,
    reference: &str,
    number: &str,
) -> Option<QrBill> {
    if !matches!(currency, Currency::CHF | Currency::EUR) || amount_minor <= 0 {
        return None;
    }
    let account = if reference_type == "QRR" {
        issuer.qr_iban.clone()?
    } else {
        issuer.iban.clone()?
    };
    let bill = QrBill {
        account,
        creditor: Address {
            name: issuer.legal_name.clone(),
            street: issuer.street.clone(),
            building_number: issuer.building_number.clone(),
            postal_code: issuer.postal_code.clone(),
            town: issuer.town.clone(),
            country: issuer.country.clone(),
        },
        amount_minor: Some(amount_minor),
        currency,
        debtor: (!party.postal_code.is_empty() && !party.town.is_empty()).then(|| Address {
            name: party.name.chars().take(70).collect(),
            street: party.street.chars().take(70).collect(),
            building_number: party.building_number.chars().take(16).collect(),
            postal_code: party.postal_code.chars().take(16).collect(),
            town: party.town.chars().take(35).collect(),
            country: party.country.clone(),
        }),
        reference: match reference_type {
            "QRR" => Reference::Qrr(reference.to_owned()),
            "SCOR" => Reference::Scor(reference.to_owned()),
            _ => Reference::None,
        },
        message: number.to_owned(),
        bill_information: format!("//S1/10/{number}"),
    };
    match bill.validate() {
        Ok(()) => Some(bill),
        Err(error) => {
            tracing::error!(%error, number, "invoice cannot carry a QR-bill");
            None
        }
    }
}

/// Shows an invoice. A client opening a sent invoice marks it viewed.
pub async fn get(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<InvoiceView, AppError> {
    let scope = caller.scope(Permission::InvoicesRead)?;
    let mut tx = begin(pool, &scope).await?;
    let (mut view, _) = load(&mut tx, id).await?;
    if caller.role == Role::Client && view.status == InvoiceStatus::Sent {
        sqlx::query!(
            "UPDATE invoices SET status = 'viewed', viewed_at = now() WHERE id = $1 AND company_id = $2 AND status = 'sent'",
            id,
            view.company_id
        )
        .execute(&mut *tx)
        .await?;
        view.status = InvoiceStatus::Viewed;
    }
    tx.commit().await?;
    Ok(view)
}

/// One payment received, already parsed.
#[derive(Clone, Copy, Debug)]
pub struct PaymentEntry<'a> {
    /// The invoice paid.
    pub invoice_id: Uuid,
    /// Amount in minor units of the invoice currency.
    pub amount_minor: i64,
    /// Value date.
    pub paid_on: time::Date,
    /// `bank_transfer`, `cash`, `card` or `other`.
    pub method: &'a str,
    /// Who recorded it (none for automatic reconciliation).
    pub user: Option<Uuid>,
}

/// Applies a payment to an invoice in an open transaction: partial payments move it to
/// `partial`, the last one to `paid`; a paid deposit activates its project, completes the quote
/// and tells the client. More than the balance is refused. Bank reconciliation calls this too.
pub async fn apply_payment(
    conn: &mut PgConnection,
    company_id: Uuid,
    payment: &PaymentEntry<'_>,
    public_url: &str,
) -> Result<InvoiceStatus, AppError> {
    let PaymentEntry {
        invoice_id,
        amount_minor,
        paid_on,
        method,
        user,
    } = *payment;
    if amount_minor <= 0 {
        return Err(AppError::field("amount", FieldProblem::Invalid));
    }
    let inv = sqlx::query!(
        r#"SELECT status, kind, total_minor, paid_minor, credited_minor, party_id, project_id, quote_id, language,
                  currency::text AS "currency!"
           FROM invoices WHERE company_id = $1 AND id = $2 FOR UPDATE"#,
        company_id,
        invoice_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let status = InvoiceStatus::parse(&inv.status).unwrap_or(InvoiceStatus::Draft);
    if !status.open() {
        return Err(AppError::Conflict);
    }
    let balance = inv.total_minor - inv.paid_minor - inv.credited_minor;
    if amount_minor > balance {
        return Err(AppError::field("amount", FieldProblem::TooLarge));
    }
    sqlx::query!(
        r#"INSERT INTO payments (company_id, invoice_id, party_id, amount_minor, currency, paid_on, method, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        company_id,
        invoice_id,
        inv.party_id,
        amount_minor,
        inv.currency,
        paid_on,
        method,
        user,
    )
    .execute(&mut *conn)
    .await?;
    let paid_in_full = amount_minor == balance;
    let new_status = if paid_in_full {
        InvoiceStatus::Paid
    } else {
        InvoiceStatus::Partial
    };
    sqlx::query!(
        r#"UPDATE invoices SET paid_minor = paid_minor + $3, status = $4,
                  paid_at = CASE WHEN $5 THEN now() ELSE paid_at END, updated_at = now()
           WHERE company_id = $1 AND id = $2"#,
        company_id,
        invoice_id,
        amount_minor,
        new_status.as_str(),
        paid_in_full,
    )
    .execute(&mut *conn)
    .await?;
    if paid_in_full && inv.kind == InvoiceKind::Deposit.as_str() {
        activate_project(
            conn,
            company_id,
            inv.project_id,
            inv.quote_id,
            &inv.language,
            public_url,
        )
        .await?;
    }
    Ok(new_status)
}

async fn activate_project(
    conn: &mut PgConnection,
    company_id: Uuid,
    project_id: Option<Uuid>,
    quote_id: Option<Uuid>,
    language: &str,
    public_url: &str,
) -> Result<(), AppError> {
    let Some(project_id) = project_id else {
        return Ok(());
    };
    let project = sqlx::query!(
        r#"UPDATE projects SET status = 'active', activated_at = now()
           WHERE company_id = $1 AND id = $2 AND status = 'deposit_pending'
           RETURNING name, party_id"#,
        company_id,
        project_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(q) = quote_id {
        sqlx::query!(
            "UPDATE quotes SET status = 'completed', updated_at = now() WHERE company_id = $1 AND id = $2 AND status = 'awaiting_deposit'",
            company_id,
            q
        )
        .execute(&mut *conn)
        .await?;
    }
    let Some(project) = project else {
        return Ok(());
    };
    let to = sqlx::query!(
        r#"SELECT c.name AS company, COALESCE(ct.email, p.email) AS "to_address"
           FROM companies c JOIN parties p ON p.company_id = c.id AND p.id = $2
           LEFT JOIN quotes q ON q.company_id = c.id AND q.id = $3
           LEFT JOIN contacts ct ON ct.company_id = c.id AND ct.id = q.contact_id
           WHERE c.id = $1"#,
        company_id,
        project.party_id,
        quote_id
    )
    .fetch_one(&mut *conn)
    .await?;
    if let Some(address) = to.to_address.filter(|a| !a.is_empty()) {
        email::queue(
            conn,
            company_id,
            Some(project.party_id),
            &address,
            Locale::parse(language).unwrap_or_default(),
            Mail::ProjectActivated {
                project: &project.name,
                company: &to.company,
            },
            &format!("{public_url}/client"),
        )
        .await?;
    }
    Ok(())
}

/// Records a payment entered by staff ("record payment").
pub async fn record_payment(
    pool: &PgPool,
    caller: &Caller,
    input: &PaymentInput,
    client: &ClientInfo,
    public_url: &str,
) -> Result<InvoiceStatus, AppError> {
    let scope = caller.scope(Permission::PaymentsWrite)?;
    let amount = parse_minor(&input.amount)
        .ok()
        .filter(|a| *a > 0)
        .ok_or_else(|| {
            AppError::field(
                "amount",
                if input.amount.trim().is_empty() {
                    FieldProblem::Required
                } else {
                    FieldProblem::Invalid
                },
            )
        })?;
    // Most payments are recorded the day they arrive: an empty date means today.
    let paid_on = if input.paid_on.trim().is_empty() {
        today()
    } else {
        parse_date("paid_on", &input.paid_on)?
    };
    if paid_on > today() {
        return Err(AppError::field("paid_on", FieldProblem::Invalid));
    }
    let method = match input.method.as_str() {
        m @ ("bank_transfer" | "cash" | "card" | "other") => m,
        _ => return Err(AppError::field("method", FieldProblem::Invalid)),
    };
    let mut tx = begin(pool, &scope).await?;
    let (company_id, number) = sqlx::query_as::<_, (Uuid, String)>(
        "SELECT company_id, number FROM invoices WHERE id = $1",
    )
    .bind(input.invoice_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    caller.require(Permission::PaymentsWrite, company_id)?;
    // Deposit follow-ups (project, quote, email) are the company's automation.
    set_scope(&mut tx, &Scope::automation(company_id)).await?;
    let entry = PaymentEntry {
        invoice_id: input.invoice_id,
        amount_minor: amount,
        paid_on,
        method,
        user: Some(caller.user_id),
    };
    let status = apply_payment(&mut tx, company_id, &entry, public_url).await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::PaymentRecorded,
        Some(caller.user_id),
        serde_json::json!({ "invoice": number, "amount_minor": amount }),
    )
    .await?;
    tx.commit().await?;
    Ok(status)
}

/// Issues a credit note on a sent invoice, for its whole open balance or part of it.
pub async fn credit(
    pool: &PgPool,
    caller: &Caller,
    invoice_id: Uuid,
    amount: &str,
    reason: &str,
    client: &ClientInfo,
) -> Result<Uuid, AppError> {
    let scope = caller.scope(Permission::CreditNotesWrite)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field("reason", FieldProblem::Required));
    }
    let mut tx = begin(pool, &scope).await?;
    let inv = sqlx::query!(
        r#"SELECT company_id, number, party_id, status, currency::text AS "currency!", total_minor, vat_minor,
                  paid_minor, credited_minor
           FROM invoices WHERE id = $1 FOR UPDATE"#,
        invoice_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    caller.require(Permission::CreditNotesWrite, inv.company_id)?;
    let status = InvoiceStatus::parse(&inv.status).unwrap_or(InvoiceStatus::Draft);
    if !status.open() {
        return Err(AppError::Conflict);
    }
    let balance = inv.total_minor - inv.paid_minor - inv.credited_minor;
    let total = if amount.trim().is_empty() {
        balance
    } else {
        parse_minor(amount)
            .ok()
            .filter(|a| *a > 0)
            .ok_or_else(|| AppError::field("amount", FieldProblem::Invalid))?
    };
    if total > balance {
        return Err(AppError::field("amount", FieldProblem::TooLarge));
    }
    // VAT credited in the invoice's own proportion.
    let vat = div_round(
        total as i128 * inv.vat_minor as i128,
        inv.total_minor.max(1) as i128,
    ) as i64;
    let (_, number) = numbering::next(
        &mut tx,
        inv.company_id,
        DocumentKind::CreditNote,
        today().year(),
    )
    .await?;
    let id = Uuid::new_v4();
    sqlx::query!(
        r#"INSERT INTO credit_notes (id, company_id, number, invoice_id, party_id, currency, net_minor, vat_minor, total_minor, reason, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"#,
        id,
        inv.company_id,
        number,
        invoice_id,
        inv.party_id,
        inv.currency,
        total - vat,
        vat,
        total,
        reason,
        caller.user_id,
    )
    .execute(&mut *tx)
    .await?;
    let settled = total == balance;
    let new_status = match (settled, inv.paid_minor > 0) {
        (true, true) => "paid",
        (true, false) => "cancelled",
        (false, _) => inv.status.as_str(),
    };
    sqlx::query!(
        "UPDATE invoices SET credited_minor = credited_minor + $3, status = $4, updated_at = now() WHERE company_id = $1 AND id = $2",
        inv.company_id,
        invoice_id,
        total,
        new_status,
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::CreditNoteIssued,
        Some(caller.user_id),
        serde_json::json!({ "invoice": inv.number, "credit_note": number, "total_minor": total }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Scheduled job: open invoices past their due date become overdue. Returns how many.
pub async fn mark_overdue(pool: &PgPool) -> Result<u64, AppError> {
    let mut tx = begin(pool, &Scope::system()).await?;
    let done = sqlx::query!(
        "UPDATE invoices SET status = 'overdue', updated_at = now() WHERE status IN ('sent', 'viewed', 'partial') AND due_date < $1",
        today()
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}
