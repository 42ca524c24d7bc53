//! What a provider is told about their bill, by email, at each step.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::billing::ssr::email::{self, Mail};
use crate::error::AppError;
use crate::i18n::Locale;

/// What a provider is told about their bill.
pub enum BillMail<'a> {
    /// We have it.
    Received,
    /// It was approved.
    Approved,
    /// It was rejected, why.
    Rejected(&'a str),
    /// It was paid (or its transfer ordered).
    Paid,
}

/// Emails the bill's provider (when the supplier is a provider with an address).
pub async fn notify(
    conn: &mut PgConnection,
    company_id: Uuid,
    party: Uuid,
    mail: BillMail<'_>,
    bill_id: Uuid,
    public_url: &str,
) -> Result<(), AppError> {
    let to = sqlx::query!(
        r#"SELECT c.name AS company, p.kind, coalesce(p.email, '') AS "email!", p.language, coalesce(b.number, b.file_name) AS "number!"
           FROM parties p JOIN companies c ON c.id = p.company_id
           JOIN supplier_bills b ON b.company_id = p.company_id AND b.id = $3
           WHERE p.company_id = $1 AND p.id = $2"#,
        company_id,
        party,
        bill_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(to) = to.filter(|t| t.kind == "provider" && !t.email.is_empty()) else {
        return Ok(());
    };
    let locale = Locale::parse(&to.language).unwrap_or(Locale::Fr);
    let (company, number) = (to.company.as_str(), to.number.as_str());
    let mail = match mail {
        BillMail::Received => Mail::BillReceived { company, number },
        BillMail::Approved => Mail::BillApproved { company, number },
        BillMail::Rejected(reason) => Mail::BillRejected {
            company,
            number,
            reason,
        },
        BillMail::Paid => Mail::BillPaid { company, number },
    };
    email::queue(
        conn,
        company_id,
        Some(party),
        &to.email,
        locale,
        mail,
        &format!("{public_url}/provider/bills"),
    )
    .await
}
