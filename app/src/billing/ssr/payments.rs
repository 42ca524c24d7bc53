//! Money received: payments applied to invoices (partial payments allowed; what exceeds the
//! balance becomes a credit on the client's account), the credit used on a later invoice or
//! refunded, and the deposit's follow-ups (project activated, quote completed, client told).

use sqlx::{PgConnection, PgPool};
use time::Date;
use uuid::Uuid;

use super::email::{self, Mail};
use crate::auth::ssr::audit::{self, AuditEvent, ClientInfo};
use crate::auth::ssr::{begin, set_scope, Caller, Scope};
use crate::auth::Permission;
use crate::billing::{InvoiceKind, InvoiceStatus, PaymentInput, PaymentOutcome};
use crate::domain::calendar::{parse_date, today};
use crate::domain::money::{parse_minor, Currency};
use crate::domain::status::{CreditKind, PaymentMethod};
use crate::domain::vat::MAX_AMOUNT_MINOR;
use crate::error::{AppError, FieldProblem};
use crate::i18n::Locale;

/// One payment received, already parsed.
#[derive(Clone, Copy, Debug)]
pub struct PaymentEntry {
    /// The invoice paid.
    pub invoice_id: Uuid,
    /// Amount in minor units of the invoice currency.
    pub amount_minor: i64,
    /// Value date.
    pub paid_on: Date,
    /// How.
    pub method: PaymentMethod,
    /// Who recorded it (none for automatic reconciliation).
    pub user: Option<Uuid>,
}

/// Applies a payment to an invoice in an open transaction, the invoice row locked: partial
/// payments make it `partial`, the one that settles it `paid`; what exceeds the balance is kept
/// as a credit on the client's account. A paid deposit activates its project. Bank
/// reconciliation calls this too, so nothing is ever counted twice.
pub async fn apply_payment(
    conn: &mut PgConnection,
    company_id: Uuid,
    payment: &PaymentEntry,
    public_url: &str,
) -> Result<PaymentOutcome, AppError> {
    if payment.amount_minor <= 0 || payment.amount_minor > MAX_AMOUNT_MINOR {
        return Err(AppError::field("amount", FieldProblem::Invalid));
    }
    let inv = sqlx::query!(
        r#"SELECT status AS "status: InvoiceStatus", kind AS "kind: InvoiceKind", total_minor, paid_minor,
                  credited_minor, party_id, project_id, quote_id, language AS "language: Locale",
                  currency AS "currency: Currency"
           FROM invoices WHERE company_id = $1 AND id = $2 FOR UPDATE"#,
        company_id,
        payment.invoice_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    if !inv.status.open() {
        return Err(AppError::Conflict);
    }
    let balance = inv.total_minor - inv.paid_minor - inv.credited_minor;
    let applied = payment.amount_minor.min(balance);
    let excess = payment.amount_minor - applied;
    let payment_id = sqlx::query_scalar!(
        r#"INSERT INTO payments (company_id, invoice_id, party_id, amount_minor, currency, paid_on, method, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"#,
        company_id,
        payment.invoice_id,
        inv.party_id,
        applied,
        inv.currency.code(),
        payment.paid_on,
        payment.method.as_str(),
        payment.user,
    )
    .fetch_one(&mut *conn)
    .await?;
    if excess > 0 {
        sqlx::query!(
            r#"INSERT INTO party_credits (company_id, party_id, currency, amount_minor, kind, invoice_id, booked_on, created_by)
               VALUES ($1, $2, $3, $4, 'overpayment', $5, $6, $7)"#,
            company_id,
            inv.party_id,
            inv.currency.code(),
            excess,
            payment.invoice_id,
            payment.paid_on,
            payment.user,
        )
        .execute(&mut *conn)
        .await?;
    }
    let settled = applied == balance;
    let status = if settled {
        InvoiceStatus::Paid
    } else {
        InvoiceStatus::Partial
    };
    sqlx::query!(
        r#"UPDATE invoices SET paid_minor = paid_minor + $3, status = $4,
                  paid_at = CASE WHEN $5 THEN now() ELSE paid_at END, updated_at = now()
           WHERE company_id = $1 AND id = $2"#,
        company_id,
        payment.invoice_id,
        applied,
        status.as_str(),
        settled,
    )
    .execute(&mut *conn)
    .await?;
    if settled && inv.kind == InvoiceKind::Deposit {
        activate_project(
            conn,
            company_id,
            inv.project_id,
            inv.quote_id,
            inv.language,
            public_url,
        )
        .await?;
    }
    Ok(PaymentOutcome {
        payment_id,
        status,
        applied_minor: applied,
        credited_minor: excess,
    })
}

async fn activate_project(
    conn: &mut PgConnection,
    company_id: Uuid,
    project_id: Option<Uuid>,
    quote_id: Option<Uuid>,
    language: Locale,
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
            language,
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

/// Reads an amount field: required, positive, bounded.
pub fn amount_field(field: &str, text: &str) -> Result<i64, AppError> {
    if text.trim().is_empty() {
        return Err(AppError::field(field, FieldProblem::Required));
    }
    match parse_minor(text) {
        Ok(a) if a > MAX_AMOUNT_MINOR => Err(AppError::field(field, FieldProblem::TooLarge)),
        Ok(a) if a > 0 => Ok(a),
        Err(crate::domain::money::ParseError::Overflow) => {
            Err(AppError::field(field, FieldProblem::TooLarge))
        }
        _ => Err(AppError::field(field, FieldProblem::Invalid)),
    }
}

/// Reads a booking date: empty means today; never in the future.
fn booking_date(field: &str, text: &str) -> Result<Date, AppError> {
    let date = if text.trim().is_empty() {
        today()
    } else {
        parse_date(field, text)?
    };
    if date > today() {
        return Err(AppError::field(field, FieldProblem::Invalid));
    }
    Ok(date)
}

/// The invoice's company, checking the caller may take payments there; then the company's
/// automation scope (deposit follow-ups are the company's doing, not the caller's).
async fn invoice_company(
    conn: &mut PgConnection,
    caller: &Caller,
    invoice_id: Uuid,
) -> Result<(Uuid, Option<String>), AppError> {
    let row = sqlx::query!(
        "SELECT company_id, number FROM invoices WHERE id = $1",
        invoice_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    caller.require(Permission::PaymentsWrite, row.company_id)?;
    set_scope(conn, &Scope::automation(row.company_id)).await?;
    Ok((row.company_id, row.number))
}

/// Records a payment entered by staff ("record payment"). More than the balance is accepted:
/// the excess becomes a credit on the client's account.
pub async fn record_payment(
    pool: &PgPool,
    caller: &Caller,
    input: &PaymentInput,
    client: &ClientInfo,
    public_url: &str,
) -> Result<PaymentOutcome, AppError> {
    let scope = caller.scope(Permission::PaymentsWrite)?;
    let amount = amount_field("amount", &input.amount)?;
    // Most payments are recorded the day they arrive: an empty date means today.
    let paid_on = booking_date("paid_on", &input.paid_on)?;
    if input.method == PaymentMethod::Credit {
        // Account credit is used through `apply_credit`, which moves the credit too.
        return Err(AppError::field("method", FieldProblem::Invalid));
    }
    let mut tx = begin(pool, &scope).await?;
    let (company_id, number) = invoice_company(&mut tx, caller, input.invoice_id).await?;
    let entry = PaymentEntry {
        invoice_id: input.invoice_id,
        amount_minor: amount,
        paid_on,
        method: input.method,
        user: Some(caller.user_id),
    };
    let applied = apply_payment(&mut tx, company_id, &entry, public_url).await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::PaymentRecorded,
        Some(caller.user_id),
        serde_json::json!({ "invoice": number, "amount_minor": amount,
                            "credited_minor": applied.credited_minor }),
    )
    .await?;
    tx.commit().await?;
    Ok(applied)
}

/// The credit on a party's account, with the party locked until the transaction ends so two
/// uses of the same credit cannot race.
async fn locked_credit(
    conn: &mut PgConnection,
    company_id: Uuid,
    party_id: Uuid,
    currency: Currency,
) -> Result<i64, AppError> {
    sqlx::query!(
        "SELECT id FROM parties WHERE company_id = $1 AND id = $2 FOR UPDATE",
        company_id,
        party_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(sqlx::query_scalar!(
        r#"SELECT COALESCE(sum(amount_minor), 0)::bigint AS "n!" FROM party_credits
           WHERE company_id = $1 AND party_id = $2 AND currency = $3"#,
        company_id,
        party_id,
        currency.code()
    )
    .fetch_one(conn)
    .await?)
}

/// Pays an invoice from the credit on its client's account (up to the credit and the balance).
pub async fn apply_credit(
    pool: &PgPool,
    caller: &Caller,
    invoice_id: Uuid,
    client: &ClientInfo,
    public_url: &str,
) -> Result<PaymentOutcome, AppError> {
    let scope = caller.scope(Permission::PaymentsWrite)?;
    let mut tx = begin(pool, &scope).await?;
    let (company_id, number) = invoice_company(&mut tx, caller, invoice_id).await?;
    let inv = sqlx::query!(
        r#"SELECT party_id, currency AS "currency: Currency", total_minor - paid_minor - credited_minor AS "balance!"
           FROM invoices WHERE company_id = $1 AND id = $2 FOR UPDATE"#,
        company_id,
        invoice_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let credit = locked_credit(&mut tx, company_id, inv.party_id, inv.currency).await?;
    let amount = credit.min(inv.balance);
    if amount <= 0 {
        return Err(AppError::Conflict);
    }
    let applied = apply_payment(
        &mut tx,
        company_id,
        &PaymentEntry {
            invoice_id,
            amount_minor: amount,
            paid_on: today(),
            method: PaymentMethod::Credit,
            user: Some(caller.user_id),
        },
        public_url,
    )
    .await?;
    sqlx::query!(
        r#"INSERT INTO party_credits (company_id, party_id, currency, amount_minor, kind, invoice_id, created_by)
           VALUES ($1, $2, $3, $4, 'applied', $5, $6)"#,
        company_id,
        inv.party_id,
        inv.currency.code(),
        -amount,
        invoice_id,
        caller.user_id,
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::CreditApplied,
        Some(caller.user_id),
        serde_json::json!({ "invoice": number, "amount_minor": amount }),
    )
    .await?;
    tx.commit().await?;
    Ok(applied)
}

/// Records that (part of) a client's credit was paid back.
pub async fn refund_credit(
    pool: &PgPool,
    caller: &Caller,
    party_id: Uuid,
    currency: Currency,
    amount: &str,
    note: &str,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let scope = caller.scope(Permission::PaymentsWrite)?;
    let amount = amount_field("amount", amount)?;
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(AppError::field("note", FieldProblem::TooLong { max: 500 }));
    }
    let mut tx = begin(pool, &scope).await?;
    let company_id = sqlx::query_scalar!("SELECT company_id FROM parties WHERE id = $1", party_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    caller.require(Permission::PaymentsWrite, company_id)?;
    let credit = locked_credit(&mut tx, company_id, party_id, currency).await?;
    if amount > credit {
        return Err(AppError::field("amount", FieldProblem::TooLarge));
    }
    sqlx::query!(
        r#"INSERT INTO party_credits (company_id, party_id, currency, amount_minor, kind, note, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7)"#,
        company_id,
        party_id,
        currency.code(),
        -amount,
        CreditKind::Refund.as_str(),
        note,
        caller.user_id,
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::CreditRefunded,
        Some(caller.user_id),
        serde_json::json!({ "party": party_id, "amount_minor": amount, "currency": currency.code() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
