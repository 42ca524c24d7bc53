//! Banking: each company's bank accounts and the ledger of what their banks report (camt.053/054
//! files, Revolut Business), and the reconciliation of that money with open invoices. The types
//! the browser and the server exchange; the work is in [`ssr`].

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::money::Currency;
use crate::domain::status::{
    AllocationMethod, BankProvider, BankTxState, IgnoreReason, MatchReason, MatchStatus,
};

pub mod lists;
#[cfg(feature = "ssr")]
pub mod ssr;

/// A bank account with its balance from the ledger and what waits for review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    /// Account id.
    pub id: Uuid,
    /// Owner company.
    pub company_id: Uuid,
    /// Its short code.
    pub company_code: String,
    /// Name.
    pub name: String,
    /// IBAN.
    pub iban: String,
    /// Currency.
    pub currency: Currency,
    /// Where its movements come from.
    pub provider: BankProvider,
    /// Balance, minor units.
    pub balance_minor: i64,
    /// The date of that balance.
    pub balance_on: String,
    /// Incoming money not matched yet.
    pub unmatched: i64,
    /// Proposed matches waiting for a decision.
    pub proposed: i64,
}

/// What an import read and did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    /// The file's name.
    pub file_name: String,
    /// The message(s) read, e.g. `camt.054.001.08`.
    pub messages: Vec<String>,
    /// Entries read.
    pub entries: u32,
    /// Of which new.
    pub new_entries: u32,
    /// Of which already known (imported before).
    pub known: u32,
    /// New entries matched and applied to invoices.
    pub matched: u32,
    /// New entries with a proposed match to review.
    pub to_review: u32,
    /// Nothing was written (a trial run).
    pub dry_run: bool,
    /// How long reading and writing the entries took, milliseconds.
    pub import_ms: u32,
    /// How long reconciling the new entries took, milliseconds.
    pub reconcile_ms: u32,
}

/// One movement, as the reconciliation screen shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionView {
    /// Id.
    pub id: Uuid,
    /// Owner company.
    pub company_id: Uuid,
    /// Account name.
    pub account_name: String,
    /// Booking date.
    pub booked_on: String,
    /// Signed amount (positive: money in).
    pub amount_minor: i64,
    /// Currency.
    pub currency: Currency,
    /// The bank's state of it.
    pub state: BankTxState,
    /// The reference it carried (QRR, SCOR or text).
    pub reference: String,
    /// Payer or payee.
    pub counterparty_name: String,
    /// Their account.
    pub counterparty_account: String,
    /// Free text.
    pub details: String,
    /// What reconciliation made of it.
    pub match_status: MatchStatus,
    /// Why it is not an invoice payment, when ignored.
    pub ignored_reason: Option<IgnoreReason>,
    /// How much of it is allocated.
    pub allocated_minor: i64,
    /// The allocations (undone ones included, marked).
    pub allocations: Vec<AllocationView>,
    /// Candidate invoices, best first.
    pub candidates: Vec<CandidateView>,
}

/// An allocation of a movement to an invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationView {
    /// Id.
    pub id: Uuid,
    /// The page of what it pays: the invoice (money in) or the supplier bill (money out).
    pub target_path: String,
    /// Its number.
    pub target_number: String,
    /// Paid on the invoice (or the bill).
    pub applied_minor: i64,
    /// Left as credit on the client's account.
    pub credit_minor: i64,
    /// How it was decided.
    pub method: AllocationMethod,
    /// When undone.
    pub undone: bool,
}

/// An invoice that may be what a movement pays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateView {
    /// Invoice.
    pub invoice_id: Uuid,
    /// Its number.
    pub number: String,
    /// Client.
    pub party_name: String,
    /// Still open.
    pub open_minor: i64,
    /// Currency.
    pub currency: Currency,
    /// Due date.
    pub due_date: String,
    /// 0–100.
    pub score: u8,
    /// What the score is made of.
    pub reasons: Vec<MatchReason>,
}

/// One part of a decision: this much of the movement goes to this invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationInput {
    /// Invoice.
    pub invoice_id: Uuid,
    /// Amount in the invoice's currency (text as typed; empty: what remains of the movement).
    pub amount: String,
}

/// A company's Revolut Business connection, as the settings page shows it (no secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevolutStatus {
    /// Connected (credentials stored).
    pub connected: bool,
    /// API base URL.
    pub api_url: String,
    /// Client id.
    pub client_id: String,
    /// Last successful synchronisation.
    pub last_synced_at: Option<String>,
    /// The last error, when the last attempt failed.
    pub last_error: Option<String>,
    /// The URL Revolut must send webhooks to.
    pub webhook_url: String,
}

/// Credentials to connect a company to Revolut Business.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevolutInput {
    /// Company.
    pub company_id: Uuid,
    /// API base URL (production, sandbox, or a test server).
    pub api_url: String,
    /// The application's client id.
    pub client_id: String,
    /// The domain of its redirect URI (the client assertion's issuer).
    pub issuer: String,
    /// The RSA private key (PEM) whose certificate was uploaded to Revolut.
    pub private_key_pem: String,
    /// The one-time authorization code from the consent page (empty: keep the current tokens).
    pub authorization_code: String,
    /// The webhook signing secret (empty: keep the current one).
    pub webhook_secret: String,
}
