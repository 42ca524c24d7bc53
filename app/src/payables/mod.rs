//! Supplier bills (payables): from a file (a PDF or a photo, read QR-bill first, then text, then
//! OCR) to a validated bill, its approval (thresholds, a fresh second factor, a deviation check),
//! and its payment (a payment run: Revolut transfers or a pain.001 file). The types the browser
//! and the server exchange; the work is in [`ssr`].

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::money::Currency;
use crate::domain::status::{
    BillStatus, Deviation, PayMethod, ReferenceType, RunItemState, RunStatus, SupplierMatch,
};

pub mod lists;
#[cfg(feature = "ssr")]
pub mod ssr;

/// A bill's fields as the validation form edits them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillInput {
    /// The supplier (a CRM party), when matched or chosen.
    pub party_id: Option<Uuid>,
    /// A new supplier to create with this name (when no party is chosen).
    pub new_supplier: String,
    /// The supplier's invoice number.
    pub number: String,
    /// Invoice date (`YYYY-MM-DD`).
    pub issue_date: String,
    /// Due date (`YYYY-MM-DD`).
    pub due_date: String,
    /// Currency.
    pub currency: Currency,
    /// Total to pay.
    pub amount: String,
    /// VAT included at the standard rate (empty: none).
    pub vat_standard: String,
    /// VAT included at the reduced rate.
    pub vat_reduced: String,
    /// VAT included at the accommodation rate.
    pub vat_accommodation: String,
    /// The account to pay (IBAN or QR-IBAN).
    pub iban: String,
    /// Reference type.
    pub reference_type: ReferenceType,
    /// Reference.
    pub reference: String,
    /// Message to the supplier.
    pub message: String,
    /// Cost account.
    pub cost_account: String,
    /// The project it belongs to.
    pub project_id: Option<Uuid>,
    /// What the order or accepted proposal says (empty: none linked).
    pub expected_amount: String,
}

/// What an upload did (the answer of `POST /payables/upload`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intake {
    /// The draft bill.
    pub bill_id: Uuid,
    /// Another bill with the same file, when there is one (the file is stored once).
    pub same_file_as: Option<Uuid>,
}

/// A value the reading found, with where from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadField {
    /// Field name.
    pub name: String,
    /// Value.
    pub value: String,
    /// `qr`, `text`, `ocr` or `vision`.
    pub source: String,
    /// 0–100.
    pub confidence: u8,
}

/// Another bill that looks like this one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicate {
    /// Its id.
    pub id: Uuid,
    /// Its number.
    pub number: Option<String>,
    /// Its total.
    pub total_minor: Option<i64>,
    /// Its status.
    pub status: BillStatus,
    /// Why it looks the same.
    pub same_file: bool,
}

/// A CRM party that may be the supplier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierCandidate {
    /// The party.
    pub party_id: Uuid,
    /// Its name.
    pub name: String,
    /// How it matches.
    pub matched_by: SupplierMatch,
}

/// Someone's approval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalView {
    /// Who.
    pub name: String,
    /// With a fresh second factor.
    pub second_factor: bool,
    /// When.
    pub at: String,
}

/// A bill's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillView {
    /// Id.
    pub id: Uuid,
    /// Owner company.
    pub company_id: Uuid,
    /// Where it stands.
    pub status: BillStatus,
    /// The file's name.
    pub file_name: String,
    /// The file (for the viewer), when there is one.
    pub file_url: Option<String>,
    /// The supplier's name, when known.
    pub party_name: Option<String>,
    /// The fields.
    pub input: BillInput,
    /// What the reading found.
    pub read: Vec<ReadField>,
    /// What the reading could not do.
    pub notes: Vec<String>,
    /// Bills that look the same.
    pub duplicates: Vec<Duplicate>,
    /// Suppliers it may be.
    pub suppliers: Vec<SupplierCandidate>,
    /// What the deviation check found.
    pub deviations: Vec<Deviation>,
    /// The CEO must approve it.
    pub needs_ceo: bool,
    /// The CEO's approval needs a fresh second factor.
    pub needs_second_factor: bool,
    /// Approvals given.
    pub approvals: Vec<ApprovalView>,
    /// Why it was rejected.
    pub rejected_reason: Option<String>,
    /// When it was paid.
    pub paid_on: Option<String>,
    /// The company's open projects (to book the cost on).
    pub projects: Vec<ProjectChoice>,
}

/// A project a bill's cost can be booked on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectChoice {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
}

/// A bill of a payment run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunBill {
    /// The bill.
    pub bill_id: Uuid,
    /// Supplier.
    pub supplier: String,
    /// Number.
    pub number: String,
    /// Due date.
    pub due_date: String,
    /// Amount.
    pub amount_minor: i64,
    /// State of its transfer (in a confirmed run).
    pub state: RunItemState,
    /// Why it failed.
    pub error: Option<String>,
}

/// The bills of one paying account and currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunGroup {
    /// The paying account.
    pub account_id: Uuid,
    /// Its name.
    pub account_name: String,
    /// Its IBAN.
    pub iban: String,
    /// Currency.
    pub currency: Currency,
    /// Revolut transfers, or a pain.001 file.
    pub method: PayMethod,
    /// Sum.
    pub total_minor: i64,
    /// The bills.
    pub bills: Vec<RunBill>,
}

/// A payment run (or its preview, without an id).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunView {
    /// Id (none for a preview).
    pub id: Option<Uuid>,
    /// Company.
    pub company_id: Uuid,
    /// Bills due up to this date.
    pub due_until: String,
    /// Where it stands.
    pub status: RunStatus,
    /// Per account and currency.
    pub groups: Vec<RunGroup>,
    /// Bills approved but without a paying account in their currency.
    pub unpayable: Vec<RunBill>,
}
