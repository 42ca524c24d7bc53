//! The server half of billing: parsing and pricing lines, numbering, quotes, signatures,
//! invoices, payments, credit notes, PDFs with the Swiss QR-bill, and the emails they send.

pub mod documents;
pub mod email;
pub mod invoices;
pub mod lines;
pub mod numbering;
pub mod pdf;
pub mod qr;
pub mod quotes;

use time::format_description::well_known::Iso8601;
use time::macros::format_description;
use time::Date;

use crate::error::{AppError, FieldProblem};

/// Parses a `YYYY-MM-DD` field.
pub fn parse_date(field: &str, text: &str) -> Result<Date, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::field(field, FieldProblem::Required));
    }
    Date::parse(text, format_description!("[year]-[month]-[day]"))
        .map_err(|_| AppError::field(field, FieldProblem::Invalid))
}

/// `YYYY-MM-DD`.
pub fn iso_date(date: Date) -> String {
    date.format(&Iso8601::DATE).unwrap_or_default()
}

/// Today in Switzerland (documents are dated in local time).
pub fn today() -> Date {
    let now = time::OffsetDateTime::now_utc();
    // Europe/Zurich is UTC+1, or UTC+2 in summer; a date is all we need, so the larger offset
    // only matters in the hour after midnight.
    (now + time::Duration::hours(1)).date()
}

/// The issuing company as printed on documents.
#[derive(Clone, Debug)]
pub struct Issuer {
    /// Owner company id.
    pub id: uuid::Uuid,
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
    /// IBAN.
    pub iban: Option<String>,
    /// QR-IBAN.
    pub qr_iban: Option<String>,
    /// Round CHF totals to 5 centimes.
    pub round_5: bool,
    /// Default payment terms.
    pub payment_terms_days: i32,
    /// Email shown on documents.
    pub email: String,
    /// Brand colour.
    pub colour: String,
}

/// A client (or other party) as addressed on documents.
#[derive(Clone, Debug)]
pub struct Recipient {
    /// Party id.
    pub id: uuid::Uuid,
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
    pub language: String,
}

/// Loads the issuer (visible in the caller's scope).
pub async fn issuer(
    conn: &mut sqlx::PgConnection,
    company_id: uuid::Uuid,
) -> Result<Issuer, AppError> {
    sqlx::query_as!(
        Issuer,
        r#"SELECT id, code, name, legal_name, street, building_number, postal_code, town,
                  country::text AS "country!", uid, vat_number, iban, qr_iban,
                  round_to_5_centimes AS round_5, payment_terms_days, email, colour
           FROM companies WHERE id = $1"#,
        company_id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)
}

/// Loads a party as a recipient (visible in the caller's scope).
pub async fn recipient(
    conn: &mut sqlx::PgConnection,
    company_id: uuid::Uuid,
    party_id: uuid::Uuid,
) -> Result<Recipient, AppError> {
    sqlx::query_as!(
        Recipient,
        r#"SELECT id, name, street, building_number, postal_code, town, country::text AS "country!", email, language
           FROM parties WHERE company_id = $1 AND id = $2"#,
        company_id,
        party_id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)
}
