//! Administration: the people of every portal (invitations, roles, per-company permissions,
//! deactivation, second-factor resets) and the owner companies' settings (identity, bank
//! accounts, numbering, documents, deposit rules, email sender). The types the browser and the
//! server exchange; the work is in [`ssr`].

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Role;
use crate::domain::money::Currency;
use crate::domain::status::VatRounding;
use crate::i18n::Locale;

#[cfg(feature = "ssr")]
pub mod ssr;

/// A person with access to one or more portals, as the users page lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    /// User id.
    pub id: Uuid,
    /// Sign-in email.
    pub email: String,
    /// Name.
    pub display_name: String,
    /// Role (decides the portal).
    pub role: Role,
    /// Companies (codes), with the party acted for in portal roles.
    pub companies: Vec<String>,
    /// Whether the account may sign in.
    pub active: bool,
    /// Whether the invitation was accepted (a password was chosen).
    pub has_password: bool,
    /// Whether a second factor is enrolled.
    pub two_factor: bool,
    /// Last sign-in (RFC 3339), if any.
    pub last_sign_in: Option<String>,
}

/// One company membership of a person: where they work, for which party (portal roles) and,
/// for staff, with which permissions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessInput {
    /// Owner company.
    pub company_id: Uuid,
    /// The party acted for (client, provider, reseller roles).
    pub party_id: Option<Uuid>,
    /// Staff permissions (`resource.action`); ignored for other roles, whose rights are the role's.
    pub permissions: Vec<String>,
}

/// An invitation to a portal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteInput {
    /// Email address of the person.
    pub email: String,
    /// Their name.
    pub display_name: String,
    /// Their role (not the CEO's: a CEO is never invited through a link).
    pub role: Role,
    /// Interface and email language.
    pub locale: Locale,
    /// Where they get access.
    pub access: Vec<AccessInput>,
}

/// What an invitation did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InviteOutcome {
    /// A new account: a link to choose a password was sent (only to them).
    Invited,
    /// The address already had an account of that role: it got the new access and a notice;
    /// its password and sign-in stayed as they were.
    AccessGranted,
}

/// A person's details for the edit page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    /// The list row.
    pub row: UserRow,
    /// Memberships, editable.
    pub access: Vec<AccessInput>,
    /// Open sessions.
    pub sessions: u32,
    /// Live API tokens.
    pub api_tokens: u32,
}

/// A company's settings as the settings page edits them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanySettings {
    /// Company id.
    pub id: Uuid,
    /// Code (fixed).
    pub code: String,
    /// Display name.
    pub name: String,
    /// Legal name (documents, QR-bills).
    pub legal_name: String,
    /// UID (`CHE-123.456.789`).
    pub uid: String,
    /// VAT number (`CHE-123.456.789 MWST`).
    pub vat_number: String,
    /// Street.
    pub street: String,
    /// Building number.
    pub building_number: String,
    /// Postal code.
    pub postal_code: String,
    /// Town.
    pub town: String,
    /// Country (ISO two letters).
    pub country: String,
    /// Email on documents.
    pub email: String,
    /// Phone on documents.
    pub phone: String,
    /// Brand colour `#RRGGBB`.
    pub colour: String,
    /// Default payment terms, days.
    pub payment_terms_days: String,
    /// Round CHF totals to 5 centimes.
    pub round_to_5_centimes: bool,
    /// VAT rounding policy.
    pub vat_rounding: VatRounding,
    /// Number formats.
    pub quote_number_format: String,
    /// Invoice number format.
    pub invoice_number_format: String,
    /// Credit note number format.
    pub credit_note_number_format: String,
    /// Default document language of new clients.
    pub document_language: Locale,
    /// The name emails are sent as.
    pub sender_name: String,
    /// Where replies to emails go.
    pub reply_to: String,
    /// Whether a logo is set (uploaded separately).
    pub has_logo: bool,
    /// Supplier bills above this amount (CHF) need the CEO's approval.
    pub bill_ceo_above: String,
    /// Above this amount (CHF) the CEO's approval needs a fresh second-factor code.
    pub bill_second_factor_above: String,
}

/// A company bank account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankAccountInput {
    /// Id (None: a new account).
    pub id: Option<Uuid>,
    /// Owner company.
    pub company_id: Uuid,
    /// Name shown in lists.
    pub name: String,
    /// IBAN.
    pub iban: String,
    /// QR-IBAN, if the bank issued one.
    pub qr_iban: String,
    /// Currency.
    pub currency: Currency,
    /// Invoices in this currency point to it.
    pub receives_invoices: bool,
}

/// A deposit rule: the deposit asked on signing, per project type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositRuleInput {
    /// Owner company.
    pub company_id: Uuid,
    /// Project type (`default` applies to every other type).
    pub project_type: String,
    /// Deposit in percent.
    pub percent: String,
    /// Days to pay the deposit invoice.
    pub due_days: String,
}

/// Everything the settings page shows for one company.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyPage {
    /// The settings.
    pub settings: CompanySettings,
    /// Its bank accounts.
    pub accounts: Vec<BankAccountInput>,
    /// Its deposit rules.
    pub deposit_rules: Vec<DepositRuleInput>,
}
