//! Reading invoices: a whole invoice with its payments, credit notes and payment part; the
//! summaries of a quote's invoices. A client opening a sent invoice marks it viewed.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{Issuer, Recipient};
use crate::auth::ssr::{begin, Caller};
use crate::auth::{Permission, Role};
use crate::billing::{
    CreditNoteView, InvoiceKind, InvoiceStatus, InvoiceSummary, InvoiceView, LineView,
    PaymentInstructions, PaymentView,
};
use crate::domain::calendar::{iso_date, today};
use crate::domain::money::Currency;
use crate::domain::qrbill::{Address, QrBill, Reference};
use crate::domain::reference::group;
use crate::domain::status::{PaymentMethod, ReferenceType, VatRounding};
use crate::domain::vat::{RateTotal, VatCode};
use crate::error::AppError;
use crate::i18n::Locale;

/// The invoices raised from a quote, newest first.
pub async fn summaries_for_quote(
    conn: &mut PgConnection,
    company_id: Uuid,
    quote_id: Uuid,
) -> Result<Vec<InvoiceSummary>, AppError> {
    let today = today();
    let rows = sqlx::query!(
        r#"SELECT i.id, c.code AS company_code, i.number, p.name AS party_name, i.kind AS "kind: InvoiceKind",
                  i.status AS "status: InvoiceStatus", i.currency AS "currency: Currency", i.total_minor,
                  i.paid_minor, i.credited_minor, i.issue_date, i.due_date
           FROM invoices i
           JOIN companies c ON c.id = i.company_id
           JOIN parties p ON p.company_id = i.company_id AND p.id = i.party_id
           WHERE i.company_id = $1 AND i.quote_id = $2
           ORDER BY i.created_at DESC"#,
        company_id,
        quote_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| InvoiceSummary {
            id: r.id,
            company_code: r.company_code,
            number: r.number,
            party_name: r.party_name,
            kind: r.kind,
            status: r.status,
            currency: r.currency,
            total_minor: r.total_minor,
            balance_minor: r.total_minor - r.paid_minor - r.credited_minor,
            issue_date: iso_date(r.issue_date),
            due_date: iso_date(r.due_date),
            overdue: r.status.open() && r.due_date < today,
        })
        .collect())
}

/// The credit notes of an invoice, with what each credits per rate.
pub async fn credit_notes_of(
    conn: &mut PgConnection,
    company_id: Uuid,
    invoice_id: Option<Uuid>,
    credit_note_id: Option<Uuid>,
) -> Result<Vec<CreditNoteView>, AppError> {
    let notes = sqlx::query!(
        r#"SELECT n.id, n.number, n.currency AS "currency: Currency", n.total_minor, n.rounding_minor, n.reason,
                  n.issue_date, i.number AS "invoice_number!", i.issue_date AS invoice_date
           FROM credit_notes n JOIN invoices i ON i.company_id = n.company_id AND i.id = n.invoice_id
           WHERE n.company_id = $1 AND ($2::uuid IS NULL OR n.invoice_id = $2) AND ($3::uuid IS NULL OR n.id = $3)
           ORDER BY n.number"#,
        company_id,
        invoice_id,
        credit_note_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = notes.iter().map(|n| n.id).collect();
    let rates = sqlx::query!(
        r#"SELECT credit_note_id, vat_code AS "vat_code: VatCode", rate_bp, net_minor, vat_minor
           FROM credit_note_rates WHERE company_id = $1 AND credit_note_id = ANY($2)"#,
        company_id,
        &ids
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(notes
        .into_iter()
        .map(|n| {
            let mut per_rate: Vec<RateTotal> = rates
                .iter()
                .filter(|r| r.credit_note_id == n.id)
                .map(|r| RateTotal {
                    code: r.vat_code,
                    rate_bp: r.rate_bp,
                    net_minor: r.net_minor,
                    vat_minor: r.vat_minor,
                })
                .collect();
            // The order of the invoice's own rates (see `vat::totals`), not the text order.
            per_rate.sort_by_key(|r| (r.code, r.rate_bp));
            CreditNoteView {
                id: n.id,
                per_rate,
                number: n.number,
                currency: n.currency,
                rounding_minor: n.rounding_minor,
                total_minor: n.total_minor,
                reason: n.reason,
                issue_date: iso_date(n.issue_date),
                invoice_number: n.invoice_number,
                invoice_date: iso_date(n.invoice_date),
            }
        })
        .collect())
}

/// The lines of an invoice, in order.
pub async fn lines_of(
    conn: &mut PgConnection,
    company_id: Uuid,
    invoice_id: Uuid,
) -> Result<Vec<LineView>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT position, product_id, description, quantity_milli, unit, unit_price_minor, discount_bp,
                  vat_code AS "vat_code: VatCode", vat_rate_bp, service_date, net_minor, vat_minor
           FROM invoice_lines WHERE company_id = $1 AND invoice_id = $2 ORDER BY position"#,
        company_id,
        invoice_id
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

/// Loads an invoice with its lines, payments, credit notes and payment part (the QR-bill for
/// what is still due, when its currency and account allow one).
pub async fn load(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<(InvoiceView, Option<QrBill>), AppError> {
    let i = sqlx::query!(
        r#"SELECT i.id, i.company_id, c.name AS company_name, i.number, i.party_id, p.name AS party_name,
                  i.contact_id, i.quote_id, q.number AS "quote_number?", i.kind AS "kind: InvoiceKind",
                  i.status AS "status: InvoiceStatus", i.title, i.currency AS "currency: Currency",
                  i.language AS "language: Locale", i.vat_rounding AS "vat_rounding: VatRounding",
                  i.issue_date, i.due_date, i.net_minor, i.vat_minor, i.rounding_minor, i.total_minor, i.paid_minor,
                  i.credited_minor, i.reference_type AS "reference_type: ReferenceType", i.reference, i.account_iban
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
    let lines = lines_of(conn, i.company_id, id).await?;
    let issuer = super::issuer(conn, i.company_id).await?;
    let mut amounts = super::lines::amounts_of_views(&lines, i.vat_rounding, false);
    // The stored rounding is what was invoiced (the company setting may have changed since).
    amounts.rounding_minor = i.rounding_minor;
    amounts.total_minor = i.total_minor;
    let payments = sqlx::query!(
        r#"SELECT amount_minor, paid_on, method AS "method: PaymentMethod" FROM payments
           WHERE company_id = $1 AND invoice_id = $2 ORDER BY paid_on, created_at"#,
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
    let credit_notes = credit_notes_of(conn, i.company_id, Some(id), None).await?;
    let party_credit_minor = sqlx::query_scalar!(
        r#"SELECT COALESCE(sum(amount_minor), 0)::bigint AS "n!" FROM party_credits
           WHERE company_id = $1 AND party_id = $2 AND currency = $3"#,
        i.company_id,
        i.party_id,
        i.currency.code()
    )
    .fetch_one(&mut *conn)
    .await?;
    let balance = i.total_minor - i.paid_minor - i.credited_minor;
    let party = super::recipient(conn, i.company_id, i.party_id).await?;
    let bill = match (&i.number, &i.account_iban) {
        (Some(number), Some(account)) if balance > 0 && i.status.open() => qr_bill(
            &issuer,
            &party,
            account,
            i.currency,
            balance,
            (i.reference_type, &i.reference),
            number,
        ),
        _ => None,
    };
    let payment = match &i.account_iban {
        Some(account) if balance > 0 && i.status.open() => Some(PaymentInstructions {
            account: group(account, 4, 4),
            creditor: vec![
                issuer.legal_name.clone(),
                format!("{} {}", issuer.street, issuer.building_number)
                    .trim()
                    .to_owned(),
                format!("{} {}", issuer.postal_code, issuer.town),
            ],
            reference: match i.reference_type {
                ReferenceType::Qrr => group(&i.reference, 2, 5),
                _ => group(&i.reference, 4, 4),
            },
            amount_minor: balance,
            currency: i.currency,
            qr_svg: bill.as_ref().and_then(|b| super::qr::svg(b).ok()),
        }),
        _ => None,
    };
    Ok((
        InvoiceView {
            id: i.id,
            company_id: i.company_id,
            company_name: i.company_name,
            number: i.number,
            party_id: i.party_id,
            party_name: i.party_name,
            contact_id: i.contact_id,
            quote_id: i.quote_id,
            quote_number: i.quote_number,
            kind: i.kind,
            status: i.status,
            overdue: i.status.open() && i.due_date < today(),
            language: i.language,
            vat_rounding: i.vat_rounding,
            title: i.title,
            currency: i.currency,
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
            party_credit_minor,
        },
        bill,
    ))
}

/// The QR-bill asking `amount_minor` to `account` (None when the currency or account does
/// not allow one).
pub fn qr_bill(
    issuer: &Issuer,
    party: &Recipient,
    account: &str,
    currency: Currency,
    amount_minor: i64,
    reference: (ReferenceType, &str),
    number: &str,
) -> Option<QrBill> {
    if !matches!(currency, Currency::CHF | Currency::EUR) || amount_minor <= 0 {
        return None;
    }
    let bill = QrBill {
        account: account.to_owned(),
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
        reference: match reference.0 {
            ReferenceType::Qrr => Reference::Qrr(reference.1.to_owned()),
            ReferenceType::Scor => Reference::Scor(reference.1.to_owned()),
            ReferenceType::Non => Reference::None,
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
