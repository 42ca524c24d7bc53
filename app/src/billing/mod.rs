//! Quotes, invoices, payments and credit notes: the types the browser and server exchange.
//! The rules and the database work are in [`ssr`].

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::money::Currency;
use crate::domain::status::{BillingInterval, PaymentMethod, SubscriptionStatus, VatRounding};
use crate::domain::vat::{RateTotal, VatCode};
use crate::i18n::Locale;

pub mod lists;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use crate::domain::status::{InvoiceKind, InvoiceStatus, QuoteStatus};

/// One line as typed in a form (text fields are parsed on the server, with field errors).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineInput {
    /// A catalogue product, or `None` for a free line.
    pub product_id: Option<Uuid>,
    /// What is sold.
    pub description: String,
    /// Quantity, e.g. `2.5`.
    pub quantity: String,
    /// Unit label (`pce`, `h`, `day`).
    pub unit: String,
    /// Unit price, e.g. `1'250.00`.
    pub unit_price: String,
    /// Discount in percent, e.g. `10` (empty: none).
    pub discount: String,
    /// VAT category.
    pub vat_code: VatCode,
    /// Date of service (`YYYY-MM-DD`): decides the VAT rate.
    pub service_date: String,
}

/// A quote as entered by staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteInput {
    /// Owner company issuing it.
    pub company_id: Uuid,
    /// Client company.
    pub party_id: Uuid,
    /// Contact person (decides the document language).
    pub contact_id: Option<Uuid>,
    /// Short title.
    pub title: String,
    /// Currency.
    pub currency: Currency,
    /// Valid until (`YYYY-MM-DD`).
    pub valid_until: String,
    /// Project type (selects the deposit rule).
    pub project_type: String,
    /// Deposit in percent; empty: the company's rule for the project type (default 30%).
    pub deposit_percent: String,
    /// Notes printed on the quote.
    pub notes: String,
    /// Lines, in order.
    pub lines: Vec<LineInput>,
}

/// An invoice entered from scratch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceInput {
    /// Owner company.
    pub company_id: Uuid,
    /// Client.
    pub party_id: Uuid,
    /// Contact.
    pub contact_id: Option<Uuid>,
    /// Title.
    pub title: String,
    /// Currency.
    pub currency: Currency,
    /// Payment terms in days (empty: the company's default).
    pub due_days: String,
    /// Lines.
    pub lines: Vec<LineInput>,
}

/// A stored line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineView {
    /// 1-based position.
    pub position: i32,
    /// Catalogue product, if any.
    pub product_id: Option<Uuid>,
    /// Description.
    pub description: String,
    /// Quantity in thousandths.
    pub quantity_milli: i64,
    /// Unit label.
    pub unit: String,
    /// Unit price, minor units.
    pub unit_price_minor: i64,
    /// Discount, basis points.
    pub discount_bp: i32,
    /// VAT category.
    pub vat_code: VatCode,
    /// VAT rate applied, basis points.
    pub vat_rate_bp: i32,
    /// Date of service.
    pub service_date: String,
    /// Net amount, minor units.
    pub net_minor: i64,
    /// VAT amount, minor units.
    pub vat_minor: i64,
}

/// Amounts of a document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amounts {
    /// Per VAT rate.
    pub per_rate: Vec<RateTotal>,
    /// Net total.
    pub net_minor: i64,
    /// VAT total.
    pub vat_minor: i64,
    /// Cash rounding.
    pub rounding_minor: i64,
    /// Total due.
    pub total_minor: i64,
}

/// A quote in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteSummary {
    /// Quote id.
    pub id: Uuid,
    /// Owner company code.
    pub company_code: String,
    /// Number, e.g. `Q-2026-0001`.
    pub number: String,
    /// Client company name.
    pub party_name: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: QuoteStatus,
    /// Currency.
    pub currency: Currency,
    /// Total, minor units.
    pub total_minor: i64,
    /// Issued on.
    pub issue_date: String,
    /// Valid until.
    pub valid_until: String,
}

/// The signature and terms acceptance recorded on a quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureView {
    /// Who signed (typed name).
    pub signer_name: String,
    /// When (RFC 3339).
    pub signed_at: String,
    /// Terms version accepted.
    pub terms_version: i32,
    /// SHA-256 of those terms.
    pub terms_hash: String,
    /// SHA-256 of the quote as signed.
    pub quote_hash: String,
}

/// A quote with everything needed to show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteView {
    /// Quote id.
    pub id: Uuid,
    /// Owner company.
    pub company_id: Uuid,
    /// Owner company name.
    pub company_name: String,
    /// Number.
    pub number: String,
    /// Client company.
    pub party_id: Uuid,
    /// Client company name.
    pub party_name: String,
    /// Contact.
    pub contact_id: Option<Uuid>,
    /// Contact's name.
    pub contact_name: Option<String>,
    /// Title.
    pub title: String,
    /// Status.
    pub status: QuoteStatus,
    /// Currency.
    pub currency: Currency,
    /// Issued on.
    pub issue_date: String,
    /// Valid until.
    pub valid_until: String,
    /// Project type.
    pub project_type: String,
    /// Deposit, basis points.
    pub deposit_bp: i32,
    /// The deposit the client will be invoiced on signing (the same rule as the deposit
    /// invoice, so the two always agree); `None` without a deposit.
    pub deposit: Option<Amounts>,
    /// Document language.
    pub language: Locale,
    /// How its VAT is rounded.
    pub vat_rounding: VatRounding,
    /// Notes.
    pub notes: String,
    /// Lines.
    pub lines: Vec<LineView>,
    /// Amounts.
    pub amounts: Amounts,
    /// The signature, once signed.
    pub signature: Option<SignatureView>,
    /// Invoices raised from it.
    pub invoices: Vec<InvoiceSummary>,
}

/// The terms a client must accept to sign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsView {
    /// Version id.
    pub id: Uuid,
    /// Version number.
    pub version: i32,
    /// Title.
    pub title: String,
    /// Full text.
    pub content: String,
    /// SHA-256 of the content.
    pub content_hash: String,
    /// In force since.
    pub effective_date: String,
}

/// What the client submits to sign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureInput {
    /// The quote.
    pub quote_id: Uuid,
    /// The terms version shown (must still be the active one).
    pub terms_version_id: Uuid,
    /// The "I accept the terms" box.
    pub accept_terms: bool,
    /// The signer's name, typed.
    pub signer_name: String,
    /// `typed` or `drawn`.
    pub signature_kind: String,
    /// The typed name again, or the drawn signature (SVG path data).
    pub signature_data: String,
}

/// An invoice in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceSummary {
    /// Invoice id.
    pub id: Uuid,
    /// Owner company code.
    pub company_code: String,
    /// Number (`None` while a draft).
    pub number: Option<String>,
    /// Client name.
    pub party_name: String,
    /// Kind.
    pub kind: InvoiceKind,
    /// Status.
    pub status: InvoiceStatus,
    /// Currency.
    pub currency: Currency,
    /// Total, minor units.
    pub total_minor: i64,
    /// Still due, minor units.
    pub balance_minor: i64,
    /// Issued on.
    pub issue_date: String,
    /// Due on.
    pub due_date: String,
    /// Open and past its due date.
    pub overdue: bool,
}

/// The payment part's data, for the page showing how to pay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentInstructions {
    /// Account to pay to, grouped for reading.
    pub account: String,
    /// Creditor name and address lines.
    pub creditor: Vec<String>,
    /// Reference, grouped for reading (empty when none).
    pub reference: String,
    /// Amount to pay, minor units.
    pub amount_minor: i64,
    /// Currency.
    pub currency: Currency,
    /// The QR code as SVG (absent for currencies the QR-bill does not support).
    pub qr_svg: Option<String>,
}

/// A recorded payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    /// Amount, minor units.
    pub amount_minor: i64,
    /// Paid on.
    pub paid_on: String,
    /// How.
    pub method: PaymentMethod,
}

/// A credit note: what it takes back per VAT rate, and the invoice it corrects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteView {
    /// Id.
    pub id: Uuid,
    /// Number.
    pub number: String,
    /// Currency.
    pub currency: Currency,
    /// Net and VAT credited per rate.
    pub per_rate: Vec<RateTotal>,
    /// Cash rounding credited (when the whole rounded total is credited).
    pub rounding_minor: i64,
    /// Total credited, minor units.
    pub total_minor: i64,
    /// Reason.
    pub reason: String,
    /// Issued on.
    pub issue_date: String,
    /// The invoice corrected: its number.
    pub invoice_number: String,
    /// …and its date.
    pub invoice_date: String,
}

/// An invoice with everything needed to show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    /// Invoice id.
    pub id: Uuid,
    /// Owner company.
    pub company_id: Uuid,
    /// Owner company name.
    pub company_name: String,
    /// Number (`None` while a draft).
    pub number: Option<String>,
    /// Client.
    pub party_id: Uuid,
    /// Client name.
    pub party_name: String,
    /// Contact person.
    pub contact_id: Option<Uuid>,
    /// Quote it comes from.
    pub quote_id: Option<Uuid>,
    /// Quote number.
    pub quote_number: Option<String>,
    /// Kind.
    pub kind: InvoiceKind,
    /// Status.
    pub status: InvoiceStatus,
    /// Title.
    pub title: String,
    /// Currency.
    pub currency: Currency,
    /// Issued on.
    pub issue_date: String,
    /// Due on.
    pub due_date: String,
    /// Open and past its due date.
    pub overdue: bool,
    /// Document language.
    pub language: Locale,
    /// How its VAT is rounded.
    pub vat_rounding: VatRounding,
    /// Lines.
    pub lines: Vec<LineView>,
    /// Amounts.
    pub amounts: Amounts,
    /// Paid so far.
    pub paid_minor: i64,
    /// Credited so far.
    pub credited_minor: i64,
    /// Still due.
    pub balance_minor: i64,
    /// Payment instructions (while something is due).
    pub payment: Option<PaymentInstructions>,
    /// Payments.
    pub payments: Vec<PaymentView>,
    /// Credit notes.
    pub credit_notes: Vec<CreditNoteView>,
    /// Credit on the client's account in this currency (overpayments not yet used).
    pub party_credit_minor: i64,
}

/// A payment entered by staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentInput {
    /// The invoice paid.
    pub invoice_id: Uuid,
    /// Amount as typed.
    pub amount: String,
    /// Date (`YYYY-MM-DD`).
    pub paid_on: String,
    /// How it was paid.
    pub method: PaymentMethod,
}

/// A subscription as entered by staff: who, what (the items of each period), how often, from
/// when until when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionInput {
    /// Owner company.
    pub company_id: Uuid,
    /// Client.
    pub party_id: Uuid,
    /// Contact the invoices go to.
    pub contact_id: Option<Uuid>,
    /// Name (printed as the invoices' title).
    pub name: String,
    /// Currency.
    pub currency: Currency,
    /// How often.
    pub interval: BillingInterval,
    /// First day of the first period (`YYYY-MM-DD`).
    pub starts_on: String,
    /// Last day (`YYYY-MM-DD`); empty: until ended.
    pub ends_on: String,
    /// Running, paused or ended.
    pub status: SubscriptionStatus,
    /// Payment terms of its invoices, days (empty: the company's).
    pub due_days: String,
    /// The items of each period (their service date is the period's first day).
    pub lines: Vec<LineInput>,
}

/// A subscription with its next invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionView {
    /// Id.
    pub id: Uuid,
    /// Client name.
    pub party_name: String,
    /// The editable content.
    pub input: SubscriptionInput,
    /// First day of the next period to invoice.
    pub next_invoice_on: String,
    /// Net per period.
    pub amount_minor: i64,
    /// The invoices it raised, newest first.
    pub invoices: Vec<InvoiceSummary>,
}

/// What recording a payment did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentOutcome {
    /// The payment booked.
    pub payment_id: Uuid,
    /// The invoice's status afterwards.
    pub status: InvoiceStatus,
    /// The part applied to the invoice, minor units.
    pub applied_minor: i64,
    /// The part beyond the balance, kept as a credit on the client's account.
    pub credited_minor: i64,
}

/// What a client sees first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientHomeView {
    /// Quotes waiting for a decision.
    pub open_quotes: Vec<QuoteSummary>,
    /// Every invoice with something still due, oldest due first.
    pub unpaid_invoices: Vec<InvoiceSummary>,
    /// What is owed in total, per currency.
    pub owed: Vec<(Currency, i64)>,
}

/// Shows minor units with the currency: `CHF 1'234.50`.
pub fn money(currency: Currency, minor: i64) -> String {
    format!(
        "{} {}",
        currency.code(),
        crate::domain::money::format_minor(minor)
    )
}
