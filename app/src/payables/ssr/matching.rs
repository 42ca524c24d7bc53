//! What a bill is compared with: the suppliers it may be from, the bills it may repeat, and what
//! differs from what was expected (the IBAN last paid, the amount ordered).

use sqlx::PgConnection;
use uuid::Uuid;

use super::reading::Reading;
use crate::domain::reference::{compact, is_qr_iban};
use crate::domain::status::{BillStatus, Deviation, SupplierMatch};
use crate::error::AppError;
use crate::payables::{Duplicate, SupplierCandidate};

fn field<'a>(r: &'a Reading, name: &str) -> Option<&'a str> {
    r.get(name).map(|f| f.value.as_str())
}

/// The suppliers a reading points at: by IBAN, by VAT number, by name.
pub async fn candidates(
    conn: &mut PgConnection,
    company_id: Uuid,
    read: &Reading,
) -> Result<Vec<SupplierCandidate>, AppError> {
    let iban = field(read, "iban").map(compact).unwrap_or_default();
    let vat: String = field(read, "vat_number")
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let name = field(read, "supplier").unwrap_or_default().to_owned();
    let rows = sqlx::query!(
        r#"SELECT id, name, (iban = $2) AS "by_iban!",
                  (regexp_replace(coalesce(vat_number, ''), '[^A-Za-z0-9]', '', 'g') = $3 AND $3 <> '') AS "by_vat!"
           FROM parties
           WHERE company_id = $1 AND kind IN ('supplier', 'provider', 'partner')
             AND (iban = $2 OR (regexp_replace(coalesce(vat_number, ''), '[^A-Za-z0-9]', '', 'g') = $3 AND $3 <> '')
                  OR ($4 <> '' AND lower(name) = lower($4)))
           ORDER BY (iban = $2) DESC, name LIMIT 5"#,
        company_id,
        iban,
        vat,
        name
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SupplierCandidate {
            party_id: r.id,
            name: r.name,
            matched_by: if r.by_iban {
                SupplierMatch::Iban
            } else if r.by_vat {
                SupplierMatch::VatNumber
            } else {
                SupplierMatch::Name
            },
        })
        .collect())
}

/// Bills that look like this one: the same file, or the same supplier with the same number or
/// the same amount.
pub async fn duplicates_of(
    conn: &mut PgConnection,
    company_id: Uuid,
    id: Uuid,
    party: Option<Uuid>,
    number: Option<&str>,
    total: Option<i64>,
    sha: Option<&str>,
) -> Result<Vec<Duplicate>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT id, number, total_minor, status AS "status: BillStatus", (file_sha256 = $6) AS "same_file!"
           FROM supplier_bills
           WHERE company_id = $1 AND id <> $2 AND status NOT IN ('cancelled', 'rejected')
             AND (file_sha256 = $6
                  OR (party_id = $3 AND (lower(number) = lower($4) OR total_minor = $5)))
           ORDER BY created_at LIMIT 5"#,
        company_id,
        id,
        party,
        number,
        total,
        sha
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Duplicate {
            id: r.id,
            number: r.number,
            total_minor: r.total_minor,
            status: r.status,
            same_file: r.same_file,
        })
        .collect())
}

/// What differs from what was expected: the IBAN, from the last one paid to this supplier (or,
/// before any payment, the one in its record); the amount, from the order it was checked
/// against. A QR-IBAN is compared with QR-IBANs only (a supplier has one beside its IBAN).
pub async fn deviations(
    conn: &mut PgConnection,
    company_id: Uuid,
    id: Uuid,
    party: Uuid,
    iban: &str,
    amount: i64,
    expected: Option<i64>,
) -> Result<Vec<Deviation>, AppError> {
    let mut found = Vec::new();
    let paid = sqlx::query_scalar!(
        r#"SELECT iban AS "iban!" FROM supplier_bills WHERE company_id = $1 AND party_id = $2 AND id <> $3
             AND status IN ('paid', 'scheduled') AND iban IS NOT NULL
           ORDER BY coalesce(paid_on, due_date) DESC LIMIT 20"#,
        company_id,
        party,
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let registered = sqlx::query_scalar!(
        "SELECT iban FROM parties WHERE company_id = $1 AND id = $2",
        company_id,
        party
    )
    .fetch_optional(&mut *conn)
    .await?
    .flatten()
    .map(|i| compact(&i))
    .filter(|i| !i.is_empty());
    let same_kind = |other: &String| is_qr_iban(other) == is_qr_iban(iban);
    let known = match paid.into_iter().find(same_kind) {
        Some(last) => Some(last),
        None => registered.filter(same_kind),
    };
    if known.is_some_and(|known| known != iban) {
        found.push(Deviation::IbanChanged);
    }
    if expected.is_some_and(|e| e != amount) {
        found.push(Deviation::AmountDiffers);
    }
    Ok(found)
}
