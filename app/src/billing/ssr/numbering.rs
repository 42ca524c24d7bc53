//! Gap-free document numbers per company, kind and year, in the company's number format.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::domain::numbering;
use crate::error::AppError;

/// The kinds of numbered documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// Quotes: `Q-2026-0001` by default.
    Quote,
    /// Invoices: `INV-2026-0001` by default.
    Invoice,
    /// Credit notes: `CN-2026-0001` by default.
    CreditNote,
}

impl DocumentKind {
    fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Quote => "quote",
            DocumentKind::Invoice => "invoice",
            DocumentKind::CreditNote => "credit_note",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            DocumentKind::Quote => "Q",
            DocumentKind::Invoice => "INV",
            DocumentKind::CreditNote => "CN",
        }
    }
}

/// Takes the next number inside the caller's transaction. The counter row stays locked until
/// that transaction ends, so concurrent issues queue and a rolled-back one leaves no gap.
pub async fn next(
    conn: &mut PgConnection,
    company_id: Uuid,
    kind: DocumentKind,
    year: i32,
) -> Result<String, AppError> {
    let value = sqlx::query_scalar!(
        r#"INSERT INTO document_sequences (company_id, kind, year, last_value) VALUES ($1, $2, $3, 1)
           ON CONFLICT (company_id, kind, year) DO UPDATE SET last_value = document_sequences.last_value + 1
           RETURNING last_value"#,
        company_id,
        kind.as_str(),
        year,
    )
    .fetch_one(&mut *conn)
    .await?;
    let company = sqlx::query!(
        r#"SELECT code, CASE $2 WHEN 'quote' THEN quote_number_format
                                WHEN 'invoice' THEN invoice_number_format
                                ELSE credit_note_number_format END AS "format!"
           FROM companies WHERE id = $1"#,
        company_id,
        kind.as_str()
    )
    .fetch_one(conn)
    .await?;
    Ok(numbering::format(
        &company.format,
        year,
        value,
        &company.code,
        kind.prefix(),
    ))
}
