//! The client's decision on a quote: the terms to accept, the signature kept as legal proof
//! (and, in the same transaction, the project and the deposit invoice), the refusal; quotes
//! that expire; the final invoice of a signed quote.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::quotes::{deposit_rule, load};
use super::raised;
use crate::auth::ssr::audit::{self, AuditEvent, ClientInfo};
use crate::auth::ssr::crypto::hex_digest;
use crate::auth::ssr::{begin, set_scope, Caller, Scope};
use crate::auth::{Permission, Role};
use crate::billing::{
    InvoiceKind, InvoiceStatus, QuoteStatus, QuoteView, SignatureInput, TermsView,
};
use crate::domain::calendar::{iso_date, parse_date, today};
use crate::error::{AppError, FieldProblem};

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

/// The signature's form fields, checked.
fn check_signature(input: &SignatureInput) -> Result<(&str, &'static str, &str), AppError> {
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
        "typed" => "typed",
        "drawn" => "drawn",
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
    Ok((signer, kind, data))
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
    let (signer, kind, data) = check_signature(input)?;
    let mut tx = begin(pool, &scope).await?;
    // Locked so two signatures cannot race; a client may lock only a quote still open for
    // signature (the policy), so a row missing here was just signed or withdrawn.
    let status = sqlx::query_scalar!(
        r#"SELECT status AS "status: QuoteStatus" FROM quotes WHERE id = $1 FOR UPDATE"#,
        input.quote_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::Conflict)?;
    if !status.signable() {
        return Err(AppError::Conflict);
    }
    let view = load(&mut tx, input.quote_id).await?;
    if parse_date("valid_until", &view.valid_until)? < today() {
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
        raised::create_deposit(&mut tx, &view, project_id, due_days, public_url).await?;
        sqlx::query!(
            "UPDATE quotes SET status = 'awaiting_deposit', updated_at = now() WHERE id = $1 AND company_id = $2",
            view.id,
            view.company_id
        )
        .execute(&mut *tx)
        .await?;
    }
    audit::record(
        &mut tx,
        client,
        AuditEvent::QuoteSigned,
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
    if view
        .invoices
        .iter()
        .any(|i| i.kind == InvoiceKind::Final && i.status != InvoiceStatus::Cancelled)
    {
        return Err(AppError::Conflict);
    }
    let id = raised::create_final(&mut tx, &view, caller.user_id).await?;
    tx.commit().await?;
    Ok(id)
}
