//! Quotes, invoices, payments and credit notes: the types the browser and server exchange.
//! The rules and the database work are in [`ssr`].

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::money::Currency;
use crate::domain::vat::{RateTotal, VatCode};
use crate::i18n::Msg;

#[cfg(feature = "ssr")]
pub mod ssr;

macro_rules! status_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal => $msg:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[doc = $text] $variant),* }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// The stored name.
            pub const fn as_str(self) -> &'static str { match self { $($name::$variant => $text),* } }
            /// Parses a stored name.
            pub fn parse(text: &str) -> Option<$name> { match text { $($text => Some($name::$variant),)* _ => None } }
            /// The label shown to people.
            pub const fn label(self) -> Msg { match self { $($name::$variant => Msg::$msg),* } }
        }
    };
}

status_enum! {
    /// Where a quote stands.
    QuoteStatus {
        Draft = "draft" => StatusDraft,
        Sent = "sent" => StatusSent,
        Viewed = "viewed" => StatusViewed,
        Signed = "signed" => StatusSigned,
        AwaitingDeposit = "awaiting_deposit" => StatusAwaitingDeposit,
        Completed = "completed" => StatusCompleted,
        Rejected = "rejected" => StatusRejected,
        Expired = "expired" => StatusExpired,
    }
}

status_enum! {
    /// Where an invoice stands.
    InvoiceStatus {
        Draft = "draft" => StatusDraft,
        Sent = "sent" => StatusSent,
        Viewed = "viewed" => StatusViewed,
        Partial = "partial" => StatusPartial,
        Paid = "paid" => StatusPaid,
        Overdue = "overdue" => StatusOverdue,
        Cancelled = "cancelled" => StatusCancelled,
        Disputed = "disputed" => StatusDisputed,
    }
}

status_enum! {
    /// What an invoice is for.
    InvoiceKind {
        Deposit = "deposit" => KindDeposit,
        Milestone = "milestone" => KindMilestone,
        Recurring = "recurring" => KindRecurring,
        Support = "support" => KindSupport,
        Standard = "standard" => KindStandard,
        Final = "final" => KindFinal,
    }
}

impl QuoteStatus {
    /// Whether the client can still sign it.
    pub const fn signable(self) -> bool {
        matches!(self, QuoteStatus::Sent | QuoteStatus::Viewed)
    }
    /// Whether its content can still be edited.
    pub const fn editable(self) -> bool {
        matches!(self, QuoteStatus::Draft)
    }
}

impl InvoiceStatus {
    /// Whether it still expects money.
    pub const fn open(self) -> bool {
        matches!(
            self,
            InvoiceStatus::Sent
                | InvoiceStatus::Viewed
                | InvoiceStatus::Partial
                | InvoiceStatus::Overdue
        )
    }
}

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
    /// Number.
    pub number: String,
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
    pub method: String,
}

/// A credit note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteView {
    /// Id.
    pub id: Uuid,
    /// Number.
    pub number: String,
    /// Total credited, minor units.
    pub total_minor: i64,
    /// Reason.
    pub reason: String,
    /// Issued on.
    pub issue_date: String,
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
    /// Number.
    pub number: String,
    /// Client.
    pub party_id: Uuid,
    /// Client name.
    pub party_name: String,
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
    /// `bank_transfer`, `cash`, `card` or `other`.
    pub method: String,
}

/// Filters of document lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListFilter {
    /// Only this owner company.
    pub company_id: Option<Uuid>,
    /// Only this status (stored name).
    pub status: Option<String>,
    /// Free-text search (number, client name, title).
    pub search: Option<String>,
    /// Page (0-based) of 50.
    pub page: u32,
}

/// Rows per list page.
pub const PAGE_SIZE: i64 = 50;

/// Shows minor units with the currency: `CHF 1'234.50`.
pub fn money(currency: Currency, minor: i64) -> String {
    format!(
        "{} {}",
        currency.code(),
        crate::domain::money::format_minor(minor)
    )
}
