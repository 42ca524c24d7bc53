//! Invoices as documents: drafts are created, edited and deleted freely; issuing gives the
//! number, the payment reference and the bank account (the company's account in the invoice's
//! currency), dates it today and locks it. The invoices the sales cycle and subscriptions raise
//! by themselves are in [`super::raised`].

use sqlx::{PgConnection, PgPool};
use time::{Date, Duration};
use uuid::Uuid;

use super::email::{self, Mail};
use super::lines::{self, PricedLine};
use super::numbering::{self, DocumentKind};
use super::{account_for, Account};
use crate::auth::ssr::{begin, Caller};
use crate::auth::Permission;
use crate::billing::{money, InvoiceInput, InvoiceKind, InvoiceStatus};
use crate::crm::ssr::refs::{self, References};
use crate::domain::calendar::{iso_date, parse_date, today};
use crate::domain::money::Currency;
use crate::domain::reference::{qrr_from_digits, scor_from};
use crate::domain::status::{PartyKind, ReferenceType};
use crate::error::{AppError, FieldProblem};
use crate::i18n::Locale;

/// The payment reference of an invoice numbered `number`, paid to `account`: a QR reference
/// when the account has a QR-IBAN (CHF and EUR), else an ISO 11649 creditor reference. Derived
/// from the number, so it is unique per company.
pub fn reference_for(
    account: &Account,
    currency: Currency,
    number: &str,
) -> (ReferenceType, String) {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if account.qr_iban.is_some() && matches!(currency, Currency::CHF | Currency::EUR) {
        if let Some(qrr) = qrr_from_digits(&digits) {
            return (ReferenceType::Qrr, qrr);
        }
    }
    let alnum: String = number.chars().filter(char::is_ascii_alphanumeric).collect();
    match scor_from(&alnum) {
        Some(scor) => (ReferenceType::Scor, scor),
        None => (ReferenceType::Non, String::new()),
    }
}

/// What a draft says: everything that may still change before it is issued.
pub(super) struct Content<'a> {
    pub(super) party_id: Uuid,
    pub(super) contact_id: Option<Uuid>,
    pub(super) title: &'a str,
    pub(super) currency: Currency,
    pub(super) language: Locale,
    pub(super) due_days: i32,
    pub(super) lines: &'a [PricedLine],
}

/// A new draft: its content and where it comes from.
pub(super) struct NewDraft<'a> {
    pub(super) company_id: Uuid,
    pub(super) content: Content<'a>,
    pub(super) quote_id: Option<Uuid>,
    pub(super) project_id: Option<Uuid>,
    pub(super) kind: InvoiceKind,
    pub(super) created_by: Option<Uuid>,
}

pub(super) async fn insert_draft(
    conn: &mut PgConnection,
    new: NewDraft<'_>,
) -> Result<Uuid, AppError> {
    let id = Uuid::new_v4();
    let issue = today();
    sqlx::query!(
        r#"INSERT INTO invoices (id, company_id, party_id, quote_id, project_id, kind, status, currency, language,
                                 issue_date, due_date, reference_type, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $10, 'NON', $11)"#,
        id,
        new.company_id,
        new.content.party_id,
        new.quote_id,
        new.project_id,
        new.kind.as_str(),
        new.content.currency.code(),
        new.content.language.code(),
        issue,
        issue + Duration::days(new.content.due_days.into()),
        new.created_by,
    )
    .execute(&mut *conn)
    .await?;
    write_content(conn, new.company_id, id, &new.content).await?;
    Ok(id)
}

/// Writes a draft's content: header, totals and lines (replacing those it had).
async fn write_content(
    conn: &mut PgConnection,
    company_id: Uuid,
    id: Uuid,
    content: &Content<'_>,
) -> Result<(), AppError> {
    let issuer = super::issuer(conn, company_id).await?;
    let amounts = lines::amounts(
        content.lines,
        issuer.vat_rounding,
        issuer.rounds(content.currency),
    );
    if amounts.total_minor <= 0 {
        return Err(AppError::field("lines", FieldProblem::Invalid));
    }
    sqlx::query!(
        r#"UPDATE invoices SET party_id = $3, contact_id = $4, title = $5, currency = $6, language = $7,
                  due_date = issue_date + $8::integer, net_minor = $9, vat_minor = $10, rounding_minor = $11,
                  total_minor = $12, vat_rounding = $13, updated_at = now()
           WHERE company_id = $1 AND id = $2 AND status = 'draft'"#,
        company_id,
        id,
        content.party_id,
        content.contact_id,
        content.title,
        content.currency.code(),
        content.language.code(),
        content.due_days,
        amounts.net_minor,
        amounts.vat_minor,
        amounts.rounding_minor,
        amounts.total_minor,
        issuer.vat_rounding.as_str(),
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "DELETE FROM invoice_lines WHERE company_id = $1 AND invoice_id = $2",
        company_id,
        id
    )
    .execute(&mut *conn)
    .await?;
    for (i, l) in content.lines.iter().enumerate() {
        sqlx::query!(
            r#"INSERT INTO invoice_lines (company_id, invoice_id, position, product_id, description, quantity_milli, unit,
                                          unit_price_minor, discount_bp, vat_code, vat_rate_bp, service_date, net_minor, vat_minor)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"#,
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

/// An invoice just issued, with what its email needs.
pub struct Issued {
    /// Owner company.
    pub company_id: Uuid,
    /// Its number.
    pub number: String,
    /// Client.
    pub party_id: Uuid,
    /// Amount due.
    pub total_minor: i64,
    /// Currency.
    pub currency: Currency,
    /// Due date.
    pub due_date: Date,
    /// Document language.
    pub language: Locale,
    /// Where its email goes (the contact's address, else the party's).
    pub to_address: Option<String>,
    /// The company's name.
    pub company: String,
}

/// Issues a draft in an open transaction: number (gap-free, in the company's format), payment
/// reference and bank account of its currency, dated today, due after the draft's terms.
pub async fn issue_in(conn: &mut PgConnection, id: Uuid) -> Result<Issued, AppError> {
    let draft = sqlx::query!(
        r#"SELECT i.company_id, i.status AS "status: InvoiceStatus", i.party_id, i.currency AS "currency: Currency",
                  i.language AS "language: Locale", i.total_minor, (i.due_date - i.issue_date) AS "due_days!",
                  c.name AS company, COALESCE(ct.email, p.email) AS "to_address"
           FROM invoices i JOIN companies c ON c.id = i.company_id
           JOIN parties p ON p.company_id = i.company_id AND p.id = i.party_id
           LEFT JOIN contacts ct ON ct.company_id = i.company_id AND ct.id = i.contact_id
           WHERE i.id = $1 FOR UPDATE OF i"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    if draft.status != InvoiceStatus::Draft {
        return Err(AppError::Conflict);
    }
    let account = account_for(conn, draft.company_id, draft.currency).await?;
    let issue = today();
    let number =
        numbering::next(conn, draft.company_id, DocumentKind::Invoice, issue.year()).await?;
    let (reference_type, reference) = reference_for(&account, draft.currency, &number);
    let due = issue + Duration::days(draft.due_days.into());
    sqlx::query!(
        r#"UPDATE invoices SET number = $3, reference_type = $4, reference = $5, account_iban = $6,
                  issue_date = $7, due_date = $8, status = 'sent', sent_at = now(), updated_at = now()
           WHERE company_id = $1 AND id = $2"#,
        draft.company_id,
        id,
        number,
        reference_type.as_str(),
        reference,
        account.invoice_iban(),
        issue,
        due,
    )
    .execute(&mut *conn)
    .await?;
    Ok(Issued {
        company_id: draft.company_id,
        number,
        party_id: draft.party_id,
        total_minor: draft.total_minor,
        currency: draft.currency,
        due_date: due,
        language: draft.language,
        to_address: draft.to_address.filter(|a| !a.is_empty()),
        company: draft.company,
    })
}

/// Queues the "invoice to pay" email of an issued invoice.
pub(super) async fn email_issued(
    conn: &mut PgConnection,
    id: Uuid,
    issued: &Issued,
    to: &str,
    public_url: &str,
) -> Result<(), AppError> {
    email::queue(
        conn,
        issued.company_id,
        Some(issued.party_id),
        to,
        issued.language,
        Mail::InvoiceSent {
            number: &issued.number,
            company: &issued.company,
            amount: &money(issued.currency, issued.total_minor),
            due: &iso_date(issued.due_date),
        },
        &format!("{public_url}/client/invoices/{id}"),
    )
    .await
}

/// Checks an invoice form and prices its lines, in the caller's transaction.
async fn content_of<'a>(
    conn: &mut PgConnection,
    input: &'a InvoiceInput,
    priced: &'a [PricedLine],
    default_terms: i32,
) -> Result<Content<'a>, AppError> {
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
    account_for(conn, input.company_id, input.currency).await?;
    let due_days = if input.due_days.trim().is_empty() {
        default_terms
    } else {
        input
            .due_days
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|d| (0..=365).contains(d))
            .ok_or_else(|| AppError::field("due_days", FieldProblem::Invalid))?
    };
    let title = input.title.trim();
    if title.chars().count() > 200 {
        return Err(AppError::field("title", FieldProblem::TooLong { max: 200 }));
    }
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
    Ok(Content {
        party_id: input.party_id,
        contact_id: input.contact_id,
        title,
        currency: input.currency,
        language,
        due_days,
        lines: priced,
    })
}

/// Creates a draft invoice from scratch (no number yet).
pub async fn create(
    pool: &PgPool,
    caller: &Caller,
    input: &InvoiceInput,
) -> Result<Uuid, AppError> {
    let scope = caller.scope_in(Permission::InvoicesWrite, input.company_id)?;
    let mut tx = begin(pool, &scope).await?;
    let periods = lines::vat_periods(&mut tx).await?;
    let priced = lines::price(&input.lines, &periods, true)?;
    let terms = super::issuer(&mut tx, input.company_id)
        .await?
        .payment_terms_days;
    let content = content_of(&mut tx, input, &priced, terms).await?;
    let id = insert_draft(
        &mut tx,
        NewDraft {
            company_id: input.company_id,
            content,
            quote_id: None,
            project_id: None,
            kind: InvoiceKind::Standard,
            created_by: Some(caller.user_id),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces a draft's content (an issued invoice is changed by a credit note, never edited).
pub async fn update(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
    input: &InvoiceInput,
) -> Result<(), AppError> {
    let scope = caller.scope_in(Permission::InvoicesWrite, input.company_id)?;
    let mut tx = begin(pool, &scope).await?;
    let status = sqlx::query_scalar!(
        r#"SELECT status AS "status: InvoiceStatus" FROM invoices WHERE company_id = $1 AND id = $2 FOR UPDATE"#,
        input.company_id,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if status != InvoiceStatus::Draft {
        return Err(AppError::Conflict);
    }
    let periods = lines::vat_periods(&mut tx).await?;
    let priced = lines::price(&input.lines, &periods, true)?;
    let terms = super::issuer(&mut tx, input.company_id)
        .await?
        .payment_terms_days;
    let content = content_of(&mut tx, input, &priced, terms).await?;
    write_content(&mut tx, input.company_id, id, &content).await?;
    tx.commit().await?;
    Ok(())
}

/// A draft's content as form input, to edit it (staff only; issued invoices are not editable).
pub async fn as_input(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<InvoiceInput, AppError> {
    let scope = caller.scope(Permission::InvoicesWrite)?;
    let mut tx = begin(pool, &scope).await?;
    let (view, _) = super::invoice_view::load(&mut tx, id).await?;
    tx.commit().await?;
    if view.status != InvoiceStatus::Draft {
        return Err(AppError::Conflict);
    }
    let days =
        parse_date("due_date", &view.due_date)? - parse_date("issue_date", &view.issue_date)?;
    Ok(InvoiceInput {
        company_id: view.company_id,
        party_id: view.party_id,
        contact_id: view.contact_id,
        title: view.title,
        currency: view.currency,
        due_days: days.whole_days().to_string(),
        lines: view.lines.iter().map(super::lines::as_input).collect(),
    })
}

/// Deletes a draft (issued invoices are cancelled by a credit note instead).
pub async fn delete(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<(), AppError> {
    let scope = caller.scope(Permission::InvoicesWrite)?;
    let mut tx = begin(pool, &scope).await?;
    let row = sqlx::query!(
        r#"SELECT company_id, status AS "status: InvoiceStatus" FROM invoices WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    caller.require(Permission::InvoicesWrite, row.company_id)?;
    if row.status != InvoiceStatus::Draft {
        return Err(AppError::Conflict);
    }
    sqlx::query!(
        "DELETE FROM invoices WHERE company_id = $1 AND id = $2",
        row.company_id,
        id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Issues a draft and emails it to the client; it is locked from now on.
pub async fn send(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
    public_url: &str,
) -> Result<(), AppError> {
    let scope = caller.scope(Permission::InvoicesSend)?;
    let mut tx = begin(pool, &scope).await?;
    // The email needs an address: refuse before the number is taken.
    let to = sqlx::query_scalar!(
        r#"SELECT COALESCE(ct.email, p.email) FROM invoices i
           JOIN parties p ON p.company_id = i.company_id AND p.id = i.party_id
           LEFT JOIN contacts ct ON ct.company_id = i.company_id AND ct.id = i.contact_id
           WHERE i.id = $1"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?
    .filter(|a| !a.is_empty())
    .ok_or_else(|| AppError::field("contact_id", FieldProblem::Required))?;
    let issued = issue_in(&mut tx, id).await?;
    caller.require(Permission::InvoicesSend, issued.company_id)?;
    email_issued(&mut tx, id, &issued, &to, public_url).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_follow_the_account() {
        let qr = Account {
            iban: "CH9300762011623852957".into(),
            qr_iban: Some("CH4431999123000889012".into()),
        };
        let plain = Account {
            iban: "CH9300762011623852957".into(),
            qr_iban: None,
        };
        let (kind, reference) = reference_for(&qr, Currency::CHF, "INV-2026-0042");
        assert_eq!(kind, ReferenceType::Qrr);
        assert_eq!(reference.len(), 27);
        assert_eq!(
            reference_for(&qr, Currency::USD, "INV-2026-0042").0,
            ReferenceType::Scor
        );
        let (kind, reference) = reference_for(&plain, Currency::EUR, "INV-2026-0042");
        assert_eq!(kind, ReferenceType::Scor);
        assert!(reference.starts_with("RF"));
    }
}
