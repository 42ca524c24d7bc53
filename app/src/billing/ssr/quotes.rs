//! Quotes: create, edit (drafts only), duplicate, send, read. Signing is in [`super::signing`].

use sqlx::{PgConnection, PgPool};
use time::Duration;
use uuid::Uuid;

use super::email::{self, Mail};
use super::invoice_view;
use super::lines::{self, PricedLine};
use super::numbering::{self, DocumentKind};
use crate::auth::ssr::{begin, Caller};
use crate::auth::{Permission, Role};
use crate::billing::{Amounts, LineView, QuoteInput, QuoteStatus, QuoteView, SignatureView};
use crate::crm::ssr::refs::{self, References};
use crate::domain::calendar::{iso_date, parse_date, today};
use crate::domain::money::{format_percent_bp, parse_percent_bp, Currency};
use crate::domain::status::{PartyKind, VatRounding};
use crate::domain::vat::{deposit_totals, VatCode};
use crate::error::{AppError, FieldProblem};
use crate::i18n::Locale;

/// Validated header fields of a quote.
struct Header {
    title: String,
    valid_until: time::Date,
    project_type: String,
    deposit_bp: Option<i32>,
    notes: String,
}

fn header(input: &QuoteInput) -> Result<Header, AppError> {
    let title = input.title.trim().to_owned();
    if title.chars().count() > 200 {
        return Err(AppError::field("title", FieldProblem::TooLong { max: 200 }));
    }
    let valid_until = parse_date("valid_until", &input.valid_until)?;
    if valid_until < today() {
        return Err(AppError::field("valid_until", FieldProblem::Invalid));
    }
    let deposit_bp = if input.deposit_percent.trim().is_empty() {
        None
    } else {
        Some(
            parse_percent_bp(&input.deposit_percent)
                .ok()
                .filter(|bp| (0..=10_000).contains(bp))
                .ok_or_else(|| AppError::field("deposit_percent", FieldProblem::Invalid))?,
        )
    };
    let project_type = match input.project_type.trim() {
        "" => "default".to_owned(),
        t if t.chars().count() > 50 => {
            return Err(AppError::field(
                "project_type",
                FieldProblem::TooLong { max: 50 },
            ))
        }
        t => t.to_owned(),
    };
    let notes = input.notes.trim();
    if notes.chars().count() > 5000 {
        return Err(AppError::field(
            "notes",
            FieldProblem::TooLong { max: 5000 },
        ));
    }
    Ok(Header {
        title,
        valid_until,
        project_type,
        deposit_bp,
        notes: notes.to_owned(),
    })
}

/// The company's deposit rule for `project_type` (its default rule, else 30% due in 10 days):
/// percentage (basis points) and days to pay.
pub async fn deposit_rule(
    conn: &mut PgConnection,
    company_id: Uuid,
    project_type: &str,
) -> Result<(i32, i32), AppError> {
    let rule = sqlx::query!(
        r#"SELECT percent_bp, due_days FROM deposit_rules
           WHERE company_id = $1 AND project_type IN ($2, 'default')
           ORDER BY (project_type = $2) DESC LIMIT 1"#,
        company_id,
        project_type
    )
    .fetch_optional(conn)
    .await?;
    Ok(rule
        .map(|r| (r.percent_bp, r.due_days))
        .unwrap_or((3_000, 10)))
}

/// Everything a quote form says, checked and priced, ready to store.
struct Checked {
    header: Header,
    priced: Vec<PricedLine>,
    language: Locale,
    deposit_bp: i32,
    policy: VatRounding,
    amounts: Amounts,
}

async fn check(conn: &mut PgConnection, input: &QuoteInput) -> Result<Checked, AppError> {
    let header = header(input)?;
    let periods = lines::vat_periods(conn).await?;
    let priced = lines::price(&input.lines, &periods, false)?;
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
    let language = sqlx::query_scalar!(
        r#"SELECT COALESCE(ct.language, p.language) AS "language!: Locale" FROM parties p
           LEFT JOIN contacts ct ON ct.company_id = p.company_id AND ct.id = $3 AND ct.party_id = p.id
           WHERE p.company_id = $1 AND p.id = $2"#,
        input.company_id,
        input.party_id,
        input.contact_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let deposit_bp = match header.deposit_bp {
        Some(bp) => bp,
        None => {
            deposit_rule(conn, input.company_id, &header.project_type)
                .await?
                .0
        }
    };
    let issuer = super::issuer(conn, input.company_id).await?;
    let amounts = lines::amounts(&priced, issuer.vat_rounding, issuer.rounds(input.currency));
    Ok(Checked {
        header,
        priced,
        language,
        deposit_bp,
        policy: issuer.vat_rounding,
        amounts,
    })
}

async fn insert_lines(
    conn: &mut PgConnection,
    company_id: Uuid,
    quote_id: Uuid,
    priced: &[PricedLine],
) -> Result<(), AppError> {
    for (i, l) in priced.iter().enumerate() {
        sqlx::query!(
            r#"INSERT INTO quote_lines (company_id, quote_id, position, product_id, description, quantity_milli, unit,
                                        unit_price_minor, discount_bp, vat_code, vat_rate_bp, service_date, net_minor, vat_minor)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"#,
            company_id,
            quote_id,
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
    Ok(())
}

/// Creates a draft quote with the next number of its company and year.
pub async fn create(pool: &PgPool, caller: &Caller, input: &QuoteInput) -> Result<Uuid, AppError> {
    let scope = caller.scope_in(Permission::QuotesWrite, input.company_id)?;
    let mut tx = begin(pool, &scope).await?;
    let id = create_in(&mut tx, caller, input).await?;
    tx.commit().await?;
    Ok(id)
}

/// Like [`create`], inside the caller's transaction (lead conversion creates the client, the
/// contact and the quote together).
pub async fn create_in(
    tx: &mut PgConnection,
    caller: &Caller,
    input: &QuoteInput,
) -> Result<Uuid, AppError> {
    caller.require(Permission::QuotesWrite, input.company_id)?;
    let c = check(tx, input).await?;
    let issue = today();
    let number = numbering::next(tx, input.company_id, DocumentKind::Quote, issue.year()).await?;
    let id = Uuid::new_v4();
    sqlx::query!(
        r#"INSERT INTO quotes (id, company_id, number, party_id, contact_id, title, currency, language, issue_date,
                               valid_until, project_type, deposit_bp, notes, net_minor, vat_minor, rounding_minor,
                               total_minor, vat_rounding, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"#,
        id,
        input.company_id,
        number,
        input.party_id,
        input.contact_id,
        c.header.title,
        input.currency.code(),
        c.language.code(),
        issue,
        c.header.valid_until,
        c.header.project_type,
        c.deposit_bp,
        c.header.notes,
        c.amounts.net_minor,
        c.amounts.vat_minor,
        c.amounts.rounding_minor,
        c.amounts.total_minor,
        c.policy.as_str(),
        caller.user_id,
    )
    .execute(&mut *tx)
    .await?;
    insert_lines(tx, input.company_id, id, &c.priced).await?;
    Ok(id)
}

/// Replaces a draft's content. Sent quotes are changed by a new quote; signed ones never.
pub async fn update(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
    input: &QuoteInput,
) -> Result<(), AppError> {
    let scope = caller.scope_in(Permission::QuotesWrite, input.company_id)?;
    let mut tx = begin(pool, &scope).await?;
    let status = sqlx::query_scalar!(
        r#"SELECT status AS "status: QuoteStatus" FROM quotes WHERE id = $1 AND company_id = $2 FOR UPDATE"#,
        id,
        input.company_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if status != QuoteStatus::Draft {
        return Err(AppError::Conflict);
    }
    let c = check(&mut tx, input).await?;
    sqlx::query!(
        "DELETE FROM quote_lines WHERE company_id = $1 AND quote_id = $2",
        input.company_id,
        id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"UPDATE quotes SET party_id = $3, contact_id = $4, title = $5, currency = $6, language = $7, valid_until = $8,
                  project_type = $9, deposit_bp = $10, notes = $11, net_minor = $12, vat_minor = $13,
                  rounding_minor = $14, total_minor = $15, vat_rounding = $16, updated_at = now()
           WHERE id = $1 AND company_id = $2"#,
        id,
        input.company_id,
        input.party_id,
        input.contact_id,
        c.header.title,
        input.currency.code(),
        c.language.code(),
        c.header.valid_until,
        c.header.project_type,
        c.deposit_bp,
        c.header.notes,
        c.amounts.net_minor,
        c.amounts.vat_minor,
        c.amounts.rounding_minor,
        c.amounts.total_minor,
        c.policy.as_str(),
    )
    .execute(&mut *tx)
    .await?;
    insert_lines(&mut tx, input.company_id, id, &c.priced).await?;
    tx.commit().await?;
    Ok(())
}

/// A stored quote's editable content, as form input (for duplicating and editing). Staff only:
/// the caller is checked before anything is read, so a client asking never marks it viewed.
pub async fn as_input(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<QuoteInput, AppError> {
    if caller.role.is_portal_party() {
        return Err(AppError::Forbidden);
    }
    let scope = caller.scope(Permission::QuotesWrite)?;
    let mut tx = begin(pool, &scope).await?;
    let view = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(QuoteInput {
        company_id: view.company_id,
        party_id: view.party_id,
        contact_id: view.contact_id,
        title: view.title,
        currency: view.currency,
        valid_until: view.valid_until,
        project_type: view.project_type,
        deposit_percent: format_percent_bp(view.deposit_bp),
        notes: view.notes,
        lines: view.lines.iter().map(lines::as_input).collect(),
    })
}

/// Copies a quote into a new draft (new number, valid 30 days, service dates kept).
pub async fn duplicate(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<Uuid, AppError> {
    let mut input = as_input(pool, caller, id).await?;
    input.valid_until = iso_date(today() + Duration::days(30));
    create(pool, caller, &input).await
}

/// Sends a draft: it becomes visible to the client, who gets an email with the portal link.
pub async fn send(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
    public_url: &str,
) -> Result<(), AppError> {
    let scope = caller.scope(Permission::QuotesSend)?;
    let mut tx = begin(pool, &scope).await?;
    let quote = sqlx::query!(
        r#"SELECT q.company_id, q.number, q.status AS "status: QuoteStatus", q.party_id,
                  q.language AS "language: Locale", c.name AS company, COALESCE(ct.email, p.email) AS "to_address"
           FROM quotes q JOIN companies c ON c.id = q.company_id
           JOIN parties p ON p.company_id = q.company_id AND p.id = q.party_id
           LEFT JOIN contacts ct ON ct.company_id = q.company_id AND ct.id = q.contact_id
           WHERE q.id = $1 FOR UPDATE OF q"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if quote.status != QuoteStatus::Draft {
        return Err(AppError::Conflict);
    }
    let to = quote
        .to_address
        .filter(|a| !a.is_empty())
        .ok_or_else(|| AppError::field("contact_id", FieldProblem::Required))?;
    sqlx::query!(
        "UPDATE quotes SET status = 'sent', sent_at = now(), updated_at = now() WHERE id = $1 AND company_id = $2",
        id,
        quote.company_id
    )
    .execute(&mut *tx)
    .await?;
    email::queue(
        &mut tx,
        quote.company_id,
        Some(quote.party_id),
        &to,
        quote.language,
        Mail::QuoteSent {
            number: &quote.number,
            company: &quote.company,
        },
        &format!("{public_url}/client/quotes/{id}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Loads a quote (in an open transaction, so callers can act on it atomically).
pub async fn load(conn: &mut PgConnection, id: Uuid) -> Result<QuoteView, AppError> {
    let q = sqlx::query!(
        r#"SELECT q.id, q.company_id, c.name AS company_name, c.round_to_5_centimes, q.number, q.party_id,
                  p.name AS party_name, q.contact_id, ct.first_name || ' ' || ct.last_name AS contact_name,
                  q.title, q.status AS "status: QuoteStatus", q.currency AS "currency: Currency", q.issue_date,
                  q.valid_until, q.project_type, q.deposit_bp, q.notes, q.language AS "language: Locale",
                  q.vat_rounding AS "vat_rounding: VatRounding", q.rounding_minor, q.total_minor
           FROM quotes q
           JOIN companies c ON c.id = q.company_id
           JOIN parties p ON p.company_id = q.company_id AND p.id = q.party_id
           LEFT JOIN contacts ct ON ct.company_id = q.company_id AND ct.id = q.contact_id
           WHERE q.id = $1"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let lines = load_lines(conn, q.company_id, id).await?;
    let round_5 = q.round_to_5_centimes && q.currency == Currency::CHF;
    let mut amounts = lines::amounts_of_views(&lines, q.vat_rounding, round_5);
    // What was quoted stays what it was, whatever the company's rounding setting is today.
    amounts.rounding_minor = q.rounding_minor;
    amounts.total_minor = q.total_minor;
    let deposit = (q.deposit_bp > 0).then(|| {
        let t = deposit_totals(&amounts.per_rate, q.deposit_bp, q.vat_rounding, round_5);
        Amounts {
            per_rate: t.per_rate,
            net_minor: t.net_minor,
            vat_minor: t.vat_minor,
            rounding_minor: t.rounding_minor,
            total_minor: t.total_minor,
        }
    });
    let signature = sqlx::query!(
        r#"SELECT signer_name, signed_at, terms_version, terms_hash, quote_hash
           FROM quote_signatures WHERE company_id = $1 AND quote_id = $2"#,
        q.company_id,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|s| SignatureView {
        signer_name: s.signer_name,
        signed_at: s
            .signed_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        terms_version: s.terms_version,
        terms_hash: s.terms_hash,
        quote_hash: s.quote_hash,
    });
    let invoices = invoice_view::summaries_for_quote(conn, q.company_id, id).await?;
    Ok(QuoteView {
        id: q.id,
        company_id: q.company_id,
        company_name: q.company_name,
        number: q.number,
        party_id: q.party_id,
        party_name: q.party_name,
        contact_id: q.contact_id,
        contact_name: q.contact_name,
        title: q.title,
        status: q.status,
        currency: q.currency,
        issue_date: iso_date(q.issue_date),
        valid_until: iso_date(q.valid_until),
        project_type: q.project_type,
        deposit_bp: q.deposit_bp,
        deposit,
        language: q.language,
        vat_rounding: q.vat_rounding,
        notes: q.notes,
        lines,
        amounts,
        signature,
        invoices,
    })
}

async fn load_lines(
    conn: &mut PgConnection,
    company_id: Uuid,
    quote_id: Uuid,
) -> Result<Vec<LineView>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT position, product_id, description, quantity_milli, unit, unit_price_minor, discount_bp,
                  vat_code AS "vat_code: VatCode", vat_rate_bp, service_date, net_minor, vat_minor
           FROM quote_lines WHERE company_id = $1 AND quote_id = $2 ORDER BY position"#,
        company_id,
        quote_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LineView {
            position: r.position,
            product_id: r.product_id,
            description: r.description,
            quantity_milli: r.quantity_milli,
            unit: r.unit,
            unit_price_minor: r.unit_price_minor,
            discount_bp: r.discount_bp,
            vat_code: r.vat_code,
            vat_rate_bp: r.vat_rate_bp,
            service_date: iso_date(r.service_date),
            net_minor: r.net_minor,
            vat_minor: r.vat_minor,
        })
        .collect())
}

/// Shows a quote. A client opening a sent quote marks it viewed.
pub async fn get(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<QuoteView, AppError> {
    let scope = caller.scope(Permission::QuotesRead)?;
    let mut tx = begin(pool, &scope).await?;
    let mut view = load(&mut tx, id).await?;
    if caller.role == Role::Client && view.status == QuoteStatus::Sent {
        sqlx::query!(
            "UPDATE quotes SET status = 'viewed', viewed_at = now() WHERE id = $1 AND company_id = $2 AND status = 'sent'",
            id,
            view.company_id
        )
        .execute(&mut *tx)
        .await?;
        view.status = QuoteStatus::Viewed;
    }
    tx.commit().await?;
    Ok(view)
}
