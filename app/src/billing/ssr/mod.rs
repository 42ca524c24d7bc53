//! The server half of billing: parsing and pricing lines, numbering, quotes, signatures,
//! invoices, payments, credit notes, PDFs with the Swiss QR-bill, and the emails they send.

pub mod client_home;
pub mod credit_notes;
pub mod documents;
pub mod email;
pub mod invoice_view;
pub mod invoices;
pub mod lines;
pub mod numbering;
pub mod payments;
pub mod pdf;
pub mod qr;
pub mod quotes;
pub mod raised;
pub mod signing;
pub mod subscriptions;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::money::Currency;
use crate::domain::vat::VatRounding;
use crate::error::{AppError, FieldProblem};
use crate::i18n::Locale;

/// The issuing company as printed on documents, with the settings documents follow.
#[derive(Clone, Debug)]
pub struct Issuer {
    /// Owner company id.
    pub id: Uuid,
    /// Short code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Legal name.
    pub legal_name: String,
    /// Street.
    pub street: String,
    /// Building number.
    pub building_number: String,
    /// Postal code.
    pub postal_code: String,
    /// Town.
    pub town: String,
    /// Country.
    pub country: String,
    /// UID (CHE-…).
    pub uid: Option<String>,
    /// VAT number.
    pub vat_number: Option<String>,
    /// Round CHF totals to 5 centimes.
    pub round_5: bool,
    /// How VAT is rounded.
    pub vat_rounding: VatRounding,
    /// Default payment terms.
    pub payment_terms_days: i32,
    /// Email shown on documents.
    pub email: String,
    /// Phone shown on documents.
    pub phone: String,
    /// Brand colour.
    pub colour: String,
    /// The logo (PNG or JPEG) and its type.
    pub logo: Option<(Vec<u8>, String)>,
}

impl Issuer {
    /// Whether totals in `currency` are rounded to 5 centimes.
    pub fn rounds(&self, currency: Currency) -> bool {
        self.round_5 && currency == Currency::CHF
    }
}

/// The bank account a document in one currency is paid to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// IBAN.
    pub iban: String,
    /// QR-IBAN, when the bank issued one (then invoices carry a QR reference).
    pub qr_iban: Option<String>,
}

impl Account {
    /// The account printed on an invoice: the QR-IBAN where there is one.
    pub fn invoice_iban(&self) -> &str {
        self.qr_iban.as_deref().unwrap_or(&self.iban)
    }
}

/// The company's account receiving invoices in `currency`; an invoice in a currency without
/// one cannot be issued (the error names the currency field).
pub async fn account_for(
    conn: &mut PgConnection,
    company_id: Uuid,
    currency: Currency,
) -> Result<Account, AppError> {
    sqlx::query_as!(
        Account,
        r#"SELECT iban, qr_iban FROM bank_accounts
           WHERE company_id = $1 AND currency = $2 AND receives_invoices"#,
        company_id,
        currency.code()
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| AppError::field("currency", FieldProblem::NoBankAccount))
}

/// A client (or other party) as addressed on documents.
#[derive(Clone, Debug)]
pub struct Recipient {
    /// Party id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Street.
    pub street: String,
    /// Building number.
    pub building_number: String,
    /// Postal code.
    pub postal_code: String,
    /// Town.
    pub town: String,
    /// Country.
    pub country: String,
    /// Party's email.
    pub email: Option<String>,
    /// Party's language.
    pub language: Locale,
}

/// Loads the issuer (visible in the caller's scope).
pub async fn issuer(conn: &mut PgConnection, company_id: Uuid) -> Result<Issuer, AppError> {
    let c = sqlx::query!(
        r#"SELECT id, code, name, legal_name, street, building_number, postal_code, town,
                  country::text AS "country!", uid, vat_number, round_to_5_centimes,
                  vat_rounding AS "vat_rounding: VatRounding", payment_terms_days, email, phone, colour,
                  logo, logo_type
           FROM companies WHERE id = $1"#,
        company_id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Issuer {
        id: c.id,
        code: c.code,
        name: c.name,
        legal_name: c.legal_name,
        street: c.street,
        building_number: c.building_number,
        postal_code: c.postal_code,
        town: c.town,
        country: c.country,
        uid: c.uid,
        vat_number: c.vat_number,
        round_5: c.round_to_5_centimes,
        vat_rounding: c.vat_rounding,
        payment_terms_days: c.payment_terms_days,
        email: c.email,
        phone: c.phone,
        colour: c.colour,
        logo: c.logo.zip(c.logo_type),
    })
}

/// Loads a party as a recipient (visible in the caller's scope).
pub async fn recipient(
    conn: &mut PgConnection,
    company_id: Uuid,
    party_id: Uuid,
) -> Result<Recipient, AppError> {
    sqlx::query_as!(
        Recipient,
        r#"SELECT id, name, street, building_number, postal_code, town, country::text AS "country!", email, language AS "language: Locale"
           FROM parties WHERE company_id = $1 AND id = $2"#,
        company_id,
        party_id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)
}
