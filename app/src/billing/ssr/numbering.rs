//! Gap-free document numbers per company, kind and year.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::error::AppError;

/// The kinds of numbered documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// Quotes: `Q-2026-0001`.
    Quote,
    /// Invoices: `INV-2026-0001`.
    Invoice,
    /// Credit notes: `CN-2026-0001`.
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
/// that transaction ends, so concurrent creations queue and a rolled-back one leaves no gap.
pub async fn next(
    conn: &mut PgConnection,
    company_id: Uuid,
    kind: DocumentKind,
    year: i32,
) -> Result<(i32, String), AppError> {
    let value = sqlx::query_scalar!(
        r#"INSERT INTO document_sequences (company_id, kind, year, last_value) VALUES ($1, $2, $3, 1)
           ON CONFLICT (company_id, kind, year) DO UPDATE SET last_value = document_sequences.last_value + 1
           RETURNING last_value"#,
        company_id,
        kind.as_str(),
        year,
    )
    .fetch_one(conn)
    .await?;
    Ok((value, format!("{}-{year}-{value:04}", kind.prefix())))
}
