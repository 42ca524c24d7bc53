//! Quotes: create, edit (drafts only), duplicate, send, view, sign, reject, expire.

use sqlx::{PgConnection, PgPool};
use time::Duration;
use uuid::Uuid;

use super::email::{self, Mail};
use super::lines::{self, PricedLine};
use super::numbering::{self, DocumentKind};
use super::{invoices, iso_date, parse_date, today};
use crate::auth::ssr::audit::ClientInfo;
use crate::auth::ssr::crypto::hex_digest;
use crate::auth::ssr::{begin, set_scope, Caller, Scope};
use crate::auth::{Permission, Role};
use crate::billing::{
    InvoiceKind, LineView, ListFilter, QuoteInput, QuoteStatus, QuoteSummary, QuoteView,
    SignatureInput, SignatureView, TermsView, PAGE_SIZE,
};
use crate::domain::money::{parse_percent_bp, Currency};
use crate::domain::vat::VatCode;
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
    Ok(Header {
        title,
        valid_until,
        project_type,
        deposit_bp,
        notes: input.notes.trim().chars().take(5000).collect(),
    })
}

/// The deposit percentage of the company's rule for `project_type` (default rule, else 30%).
async fn deposit_rule(
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

/// The document language: the contact's, else the party's.
async fn language(
    conn: &mut PgConnection,
    company_id: Uuid,
    party_id: Uuid,
    contact_id: Option<Uuid>,
) -> Result<String, AppError> {
    if let Some(contact) = contact_id {
        let lang = sqlx::query_scalar!(
            "SELECT language FROM contacts WHERE company_id = $1 AND id = $2 AND party_id = $3",
            company_id,
            contact,
            party_id
        )
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::field("contact_id", FieldProblem::Invalid))?;
        return Ok(lang);
    }
    let lang = sqlx::query_scalar!(
        "SELECT language FROM parties WHERE company_id = $1 AND id = $2 AND kind = 'client'",
        company_id,
        party_id
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| AppError::field("party_id", FieldProblem::Invalid))?;
    Ok(lang)
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
    let header = header(input)?;
    let periods = lines::vat_periods(tx).await?;
    let priced = lines::price(&input.lines, &periods, false)?;
    let issuer = super::issuer(tx, input.company_id).await?;
    let lang = language(tx, input.company_id, input.party_id, input.contact_id).await?;
    let deposit_bp = match header.deposit_bp {
        Some(bp) => bp,
        None => {
            deposit_rule(tx, input.company_id, &header.project_type)
                .await?
                .0
        }
    };
    let amounts = lines::amounts(&priced, issuer.round_5 && input.currency == Currency::CHF);
    let issue = today();
    let (_, number) = numbering::next(
        &mut *tx,
        input.company_id,
        DocumentKind::Quote,
        issue.year(),
    )
    .await?;
    let id = Uuid::new_v4();
    sqlx::query!(
        r#"INSERT INTO quotes (id, company_id, number, party_id, contact_id, title, currency, language, issue_date,
                               valid_until, project_type, deposit_bp, notes, net_minor, vat_minor, rounding_minor,
                               total_minor, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"#,
        id,
        input.company_id,
        number,
        input.party_id,
        input.contact_id,
        header.title,
        input.currency.code(),
        lang,
        issue,
        header.valid_until,
        header.project_type,
        deposit_bp,
        header.notes,
        amounts.net_minor,
        amounts.vat_minor,
        amounts.rounding_minor,
        amounts.total_minor,
        caller.user_id,
    )
    .execute(&mut *tx)
    .await?;
    insert_lines(tx, input.company_id, id, &priced).await?;
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
    let header = header(input)?;
    let mut tx = begin(pool, &scope).await?;
    let current = sqlx::query!(
        "SELECT status, company_id FROM quotes WHERE id = $1 AND company_id = $2 FOR UPDATE",
        id,
        input.company_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if current.status != QuoteStatus::Draft.as_str() {
        return Err(AppError::Conflict);
    }
    let periods = lines::vat_periods(&mut tx).await?;
    let priced = lines::price(&input.lines, &periods, false)?;
    let issuer = super::issuer(&mut tx, input.company_id).await?;
    let lang = language(&mut tx, input.company_id, input.party_id, input.contact_id).await?;
    let deposit_bp = match header.deposit_bp {
        Some(bp) => bp,
        None => {
            deposit_rule(&mut tx, input.company_id, &header.project_type)
                .await?
                .0
        }
    };
    let amounts = lines::amounts(&priced, issuer.round_5 && input.currency == Currency::CHF);
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
                  rounding_minor = $14, total_minor = $15, updated_at = now()
           WHERE id = $1 AND company_id = $2"#,
        id,
        input.company_id,
        input.party_id,
        input.contact_id,
        header.title,
        input.currency.code(),
        lang,
        header.valid_until,
        header.project_type,
        deposit_bp,
        header.notes,
        amounts.net_minor,
        amounts.vat_minor,
        amounts.rounding_minor,
        amounts.total_minor,
    )
    .execute(&mut *tx)
    .await?;
    insert_lines(&mut tx, input.company_id, id, &priced).await?;
    tx.commit().await?;
    Ok(())
}

/// A stored quote's editable content, as form input (for duplicating and editing).
pub async fn as_input(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<QuoteInput, AppError> {
    let view = get(pool, caller, id, None).await?;
    if caller.role.is_portal_party() {
        return Err(AppError::Forbidden);
    }
    Ok(QuoteInput {
        company_id: view.company_id,
        party_id: view.party_id,
        contact_id: view.contact_id,
        title: view.title,
        currency: view.currency,
        valid_until: view.valid_until,
        project_type: view.project_type,
        deposit_percent: crate::domain::money::format_percent_bp(view.deposit_bp),
        notes: view.notes,
        lines: view
            .lines
            .iter()
            .map(|l| crate::billing::LineInput {
                product_id: l.product_id,
                description: l.description.clone(),
                quantity: crate::domain::money::format_quantity(l.quantity_milli),
                unit: l.unit.clone(),
                unit_price: crate::domain::money::format_plain(l.unit_price_minor),
                discount: if l.discount_bp == 0 {
                    String::new()
                } else {
                    crate::domain::money::format_percent_bp(l.discount_bp)
                },
                vat_code: l.vat_code,
                service_date: l.service_date.clone(),
            })
            .collect(),
    })
}

/// Copies a quote into a new draft (new number, valid 30 days, service dates kept).
pub async fn duplicate(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<Uuid, AppError> {
    let mut input = as_input(pool, caller, id).await?;
    input.valid_until = iso_date(today() + Duration::days(30));
    input.title = input.title.chars().take(200).collect();
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
        r#"SELECT q.company_id, q.number, q.status, q.party_id, q.language, c.name AS company,
                  COALESCE(ct.email, p.email) AS "to_address"
           FROM quotes q JOIN companies c ON c.id = q.company_id
           JOIN parties p ON p.company_id = q.company_id AND p.id = q.party_id
           LEFT JOIN contacts ct ON ct.company_id = q.company_id AND ct.id = q.contact_id
           WHERE q.id = $1 FOR UPDATE OF q"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if quote.status != QuoteStatus::Draft.as_str() {
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
    let link = format!("{public_url}/client/quotes/{id}");
    email::queue(
        &mut tx,
        quote.company_id,
        Some(quote.party_id),
        &to,
        Locale::parse(&quote.language).unwrap_or_default(),
        Mail::QuoteSent {
            number: &quote.number,
            company: &quote.company,
        },
        &link,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Lists quotes visible to the caller (clients: their own, never drafts).
pub async fn list(
    pool: &PgPool,
    caller: &Caller,
    filter: &ListFilter,
) -> Result<Vec<QuoteSummary>, AppError> {
    let scope = caller.list_scope(Permission::QuotesRead, filter.company_id)?;
    let mut tx = begin(pool, &scope).await?;
    let search = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| format!("%{}%", s.replace('%', "\\%").replace('_', "\\_")));
    let rows = sqlx::query!(
        r#"SELECT q.id, c.code AS company_code, q.number, p.name AS party_name, q.title, q.status,
                  q.currency::text AS "currency!", q.total_minor, q.issue_date, q.valid_until
           FROM quotes q
           JOIN companies c ON c.id = q.company_id
           JOIN parties p ON p.company_id = q.company_id AND p.id = q.party_id
           WHERE q.company_id = ANY($1)
             AND ($2::text IS NULL OR q.status = $2)
             AND ($3::text IS NULL OR q.id IN (SELECT search_ids('quote', $3, true)))
           ORDER BY q.issue_date DESC, q.number DESC
           LIMIT $4 OFFSET $5"#,
        &scope.company_ids,
        filter.status.as_deref(),
        search,
        PAGE_SIZE,
        filter.page as i64 * PAGE_SIZE,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| QuoteSummary {
            id: r.id,
            company_code: r.company_code,
            number: r.number,
            party_name: r.party_name,
            title: r.title,
            status: QuoteStatus::parse(&r.status).unwrap_or(QuoteStatus::Draft),
            currency: Currency::parse(&r.currency).unwrap_or(Currency::CHF),
            total_minor: r.total_minor,
            issue_date: iso_date(r.issue_date),
            valid_until: iso_date(r.valid_until),
        })
        .collect())
}

/// Loads a quote (in an open transaction, so callers can act on it atomically).
pub async fn load(conn: &mut PgConnection, id: Uuid) -> Result<QuoteView, AppError> {
    let q = sqlx::query!(
        r#"SELECT q.id, q.company_id, c.name AS company_name, c.round_to_5_centimes, q.number, q.party_id,
                  p.name AS party_name, q.contact_id, ct.first_name || ' ' || ct.last_name AS contact_name,
                  q.title, q.status, q.currency::text AS "currency!", q.issue_date, q.valid_until,
                  q.project_type, q.deposit_bp, q.notes
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
    let currency = Currency::parse(&q.currency).unwrap_or(Currency::CHF);
    let amounts =
        lines::amounts_of_views(&lines, q.round_to_5_centimes && currency == Currency::CHF);
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
    let invoices = invoices::summaries_for_quote(conn, q.company_id, id).await?;
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
        status: QuoteStatus::parse(&q.status).unwrap_or(QuoteStatus::Draft),
        currency,
        issue_date: iso_date(q.issue_date),
        valid_until: iso_date(q.valid_until),
        project_type: q.project_type,
        deposit_bp: q.deposit_bp,
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
        r#"SELECT position, product_id, description, quantity_milli, unit, unit_price_minor, discount_bp, vat_code,
                  vat_rate_bp, service_date, net_minor, vat_minor
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
            vat_code: VatCode::parse(&r.vat_code).unwrap_or(VatCode::Standard),
            vat_rate_bp: r.vat_rate_bp,
            service_date: iso_date(r.service_date),
            net_minor: r.net_minor,
            vat_minor: r.vat_minor,
        })
        .collect())
}

/// Shows a quote. A client opening a sent quote marks it viewed.
pub async fn get(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
    _client: Option<&ClientInfo>,
) -> Result<QuoteView, AppError> {
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

/// The terms the client must accept to sign this quote (the company's active version).
pub async fn terms_for(
    pool: &PgPool,
    caller: &Caller,
    quote_id: Uuid,
) -> Result<TermsView, AppError> {
    let scope = caller.scope(Permission::QuotesRead)?;
    let mut tx = begin(pool, &scope).await?;
    let company_id = sqlx::query_scalar!("SELECT company_id FROM quotes WHERE id = $1", quote_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let terms = active_terms(&mut tx, company_id)
        .await?
        .ok_or(AppError::Conflict)?;
    tx.commit().await?;
    Ok(terms)
}

/// The company's terms in force.
pub async fn active_terms(
    conn: &mut PgConnection,
    company_id: Uuid,
) -> Result<Option<TermsView>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT id, version, title, content, content_hash, effective_date
           FROM terms_versions WHERE company_id = $1 AND status = 'active'"#,
        company_id
    )
    .fetch_optional(conn)
    .await?
    .map(|t| TermsView {
        id: t.id,
        version: t.version,
        title: t.title,
        content: t.content,
        content_hash: t.content_hash,
        effective_date: iso_date(t.effective_date),
    }))
}

/// A stable fingerprint of what is signed: number, parties, currency, dates, deposit, lines, totals.
pub fn quote_hash(view: &QuoteView) -> String {
    let canonical = serde_json::json!({
        "number": view.number,
        "company": view.company_id,
        "party": view.party_id,
        "currency": view.currency,
        "issue_date": view.issue_date,
        "valid_until": view.valid_until,
        "deposit_bp": view.deposit_bp,
        "title": view.title,
        "lines": view.lines,
        "total_minor": view.amounts.total_minor,
    });
    hex_digest(canonical.to_string().as_bytes())
}

/// The client accepts the active terms and signs. The signature is stored as legal proof (terms
/// version and hash, quote hash, time, IP, user agent, signer); then, in the same transaction,
/// the deposit invoice and the project are created and the quote awaits its deposit.
pub async fn sign(
    pool: &PgPool,
    caller: &Caller,
    input: &SignatureInput,
    client: &ClientInfo,
    public_url: &str,
) -> Result<(), AppError> {
    if caller.role != Role::Client {
        return Err(AppError::Forbidden);
    }
    let scope = caller.scope(Permission::QuotesSign)?;
    if !input.accept_terms {
        return Err(AppError::field("accept_terms", FieldProblem::Required));
    }
    let signer = input.signer_name.trim();
    if signer.chars().count() < 2 {
        return Err(AppError::field(
            "signer_name",
            FieldProblem::TooShort { min: 2 },
        ));
    }
    if signer.chars().count() > 200 {
        return Err(AppError::field(
            "signer_name",
            FieldProblem::TooLong { max: 200 },
        ));
    }
    let kind = match input.signature_kind.as_str() {
        "typed" | "drawn" => input.signature_kind.as_str(),
        _ => return Err(AppError::field("signature_kind", FieldProblem::Invalid)),
    };
    let data = input.signature_data.trim();
    if data.is_empty() {
        return Err(AppError::field("signature_data", FieldProblem::Required));
    }
    if data.len() > 200_000 {
        return Err(AppError::field(
            "signature_data",
            FieldProblem::TooLong { max: 200_000 },
        ));
    }

    let mut tx = begin(pool, &scope).await?;
    if !load(&mut tx, input.quote_id).await?.status.signable() {
        return Err(AppError::Conflict);
    }
    // Locked (and read again) so two signatures cannot race; a client may lock only a quote
    // still open for signature, so a row gone here was just signed or withdrawn.
    sqlx::query!(
        "SELECT id FROM quotes WHERE id = $1 FOR UPDATE",
        input.quote_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::Conflict)?;
    let view = load(&mut tx, input.quote_id).await?;
    if super::parse_date("valid_until", &view.valid_until)? < today() {
        return Err(AppError::Conflict);
    }
    let terms = active_terms(&mut tx, view.company_id)
        .await?
        .ok_or(AppError::Conflict)?;
    if terms.id != input.terms_version_id {
        // The terms changed since the page was shown: the client must read the current ones.
        return Err(AppError::field("terms_version_id", FieldProblem::Invalid));
    }
    let hash = quote_hash(&view);
    sqlx::query!(
        r#"INSERT INTO quote_signatures (company_id, quote_id, party_id, terms_version_id, terms_version, terms_hash,
                                          quote_hash, signer_name, signature_kind, signature_data, user_id, ip, user_agent)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"#,
        view.company_id,
        view.id,
        view.party_id,
        terms.id,
        terms.version,
        terms.content_hash,
        hash,
        signer,
        kind,
        data,
        caller.user_id,
        client.inet(),
        client.user_agent.as_deref(),
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE quotes SET status = 'signed', signed_at = now(), updated_at = now() WHERE id = $1 AND company_id = $2",
        view.id,
        view.company_id
    )
    .execute(&mut *tx)
    .await?;

    // What follows is the company's automation, not the client's doing.
    set_scope(&mut tx, &Scope::automation(view.company_id)).await?;
    let project_id = Uuid::new_v4();
    let project_name = if view.title.is_empty() {
        view.number.clone()
    } else {
        view.title.clone()
    };
    let status = if view.deposit_bp > 0 {
        "deposit_pending"
    } else {
        "planning"
    };
    sqlx::query!(
        r#"INSERT INTO projects (id, company_id, party_id, quote_id, name, project_type, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7)"#,
        project_id,
        view.company_id,
        view.party_id,
        view.id,
        project_name,
        view.project_type,
        status,
    )
    .execute(&mut *tx)
    .await?;
    if view.deposit_bp > 0 {
        let (_, due_days) = deposit_rule(&mut tx, view.company_id, &view.project_type).await?;
        invoices::create_deposit(&mut tx, &view, project_id, due_days, public_url).await?;
        sqlx::query!(
            "UPDATE quotes SET status = 'awaiting_deposit', updated_at = now() WHERE id = $1 AND company_id = $2",
            view.id,
            view.company_id
        )
        .execute(&mut *tx)
        .await?;
    }
    crate::auth::ssr::audit::record(
        &mut tx,
        client,
        crate::auth::ssr::audit::AuditEvent::QuoteSigned,
        Some(caller.user_id),
        serde_json::json!({ "quote": view.number, "quote_hash": hash, "terms_version": terms.version }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The client declines a quote.
pub async fn reject(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<(), AppError> {
    if caller.role != Role::Client {
        return Err(AppError::Forbidden);
    }
    let scope = caller.scope(Permission::QuotesSign)?;
    let mut tx = begin(pool, &scope).await?;
    let done = sqlx::query!(
        "UPDATE quotes SET status = 'rejected', updated_at = now() WHERE id = $1 AND status IN ('sent', 'viewed')",
        id
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict);
    }
    tx.commit().await?;
    Ok(())
}

/// Scheduled job: sent or viewed quotes past their validity become expired. Returns how many.
pub async fn expire_due(pool: &PgPool) -> Result<u64, AppError> {
    let mut tx = begin(pool, &Scope::system()).await?;
    let done = sqlx::query!(
        "UPDATE quotes SET status = 'expired', updated_at = now() WHERE status IN ('sent', 'viewed') AND valid_until < $1",
        today()
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

/// Raises a final invoice from a signed quote: its lines, minus the deposit already invoiced.
pub async fn final_invoice(
    pool: &PgPool,
    caller: &Caller,
    quote_id: Uuid,
) -> Result<Uuid, AppError> {
    let scope = caller.scope(Permission::InvoicesWrite)?;
    let mut tx = begin(pool, &scope).await?;
    let view = load(&mut tx, quote_id).await?;
    caller.require(Permission::InvoicesWrite, view.company_id)?;
    if !matches!(
        view.status,
        QuoteStatus::Signed | QuoteStatus::AwaitingDeposit | QuoteStatus::Completed
    ) {
        return Err(AppError::Conflict);
    }
    if view.invoices.iter().any(|i| {
        i.kind == InvoiceKind::Final && i.status != crate::billing::InvoiceStatus::Cancelled
    }) {
        return Err(AppError::Conflict);
    }
    let id = invoices::create_final(&mut tx, &view, caller.user_id).await?;
    tx.commit().await?;
    Ok(id)
}
