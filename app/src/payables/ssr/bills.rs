//! A bill's life before approval: intake (the file stored once, read, a draft filled in from the
//! reading, the supplier matched), its page (the reading beside the fields, duplicates, supplier
//! candidates), the validation that makes it `to_approve`, and rejection.

use sqlx::PgPool;
use uuid::Uuid;

use super::matching::{candidates, deviations, duplicates_of};
use super::notify::{notify, BillMail};
use super::reading::{self, Reading};
use crate::auth::ssr::audit::{self, AuditEvent, ClientInfo};
use crate::auth::ssr::{begin, Caller, Scope};
use crate::auth::Permission;
use crate::domain::calendar::{iso_date, parse_date, today};
use crate::domain::money::{format_plain, parse_minor, Currency};
use crate::domain::reference::{compact, iban_is_valid, is_qr_iban, qrr_is_valid, scor_is_valid};
use crate::domain::status::{BillStatus, Deviation, ReferenceType};
use crate::domain::text::Problems;
use crate::domain::vat::{likely_code, VatCode, MAX_AMOUNT_MINOR};
use crate::error::{AppError, FieldProblem};
use crate::payables::{ApprovalView, BillInput, BillView, Intake, ProjectChoice, ReadField};
use crate::storage::FileStore;

fn field<'a>(r: &'a Reading, name: &str) -> Option<&'a str> {
    r.get(name).map(|f| f.value.as_str())
}

/// Receives a file for `company_id` (a provider's own bill when `party` is given): stores it
/// once, reads it, and makes a draft from what was read. The caller checked the permission.
#[allow(clippy::too_many_arguments)]
pub async fn intake(
    pool: &PgPool,
    store: &FileStore,
    vision: Option<&reading::Vision>,
    scope: &Scope,
    company_id: Uuid,
    party: Option<Uuid>,
    file_name: &str,
    bytes: &[u8],
    user: Uuid,
    client: &ClientInfo,
    public_url: &str,
) -> Result<Intake, AppError> {
    if bytes.len() > reading::MAX_FILE_BYTES {
        let max_mb = crate::components::upload::MAX_MB;
        return Err(AppError::field(
            "file",
            FieldProblem::FileTooLarge { max_mb },
        ));
    }
    let mime = reading::mime_of(bytes)
        .ok_or_else(|| AppError::field("file", FieldProblem::UnsupportedFile))?;
    let sha = store.put(bytes).await?;
    let read = match reading::read(bytes, vision).await {
        Ok(r) => r,
        Err(error) => {
            tracing::warn!(%error, "reading a bill failed");
            Reading {
                notes: vec![error.to_string()],
                ..Reading::default()
            }
        }
    };
    let mut tx = begin(pool, scope).await?;
    sqlx::query!(
        r#"INSERT INTO stored_files (company_id, sha256, size_bytes, mime, party_id)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (company_id, sha256) DO NOTHING"#,
        company_id,
        sha,
        bytes.len() as i64,
        mime,
        party
    )
    .execute(&mut *tx)
    .await?;
    let same_file_as = sqlx::query_scalar!(
        "SELECT id FROM supplier_bills WHERE company_id = $1 AND file_sha256 = $2 AND status NOT IN ('cancelled') ORDER BY created_at LIMIT 1",
        company_id,
        sha
    )
    .fetch_optional(&mut *tx)
    .await?;
    // The supplier: the uploading provider, else found by IBAN, VAT number or name.
    let supplier = match party {
        Some(p) => Some(p),
        None => candidates(&mut tx, company_id, &read)
            .await?
            .first()
            .map(|c| c.party_id),
    };
    let amount = field(&read, "amount")
        .and_then(|a| parse_minor(a).ok())
        .filter(|a| *a > 0 && *a <= MAX_AMOUNT_MINOR);
    let currency = field(&read, "currency").and_then(Currency::parse);
    let mut read = read;
    if let (None, Some(code)) = (currency, field(&read, "currency")) {
        // Kept in CHF for the accountant to correct, and said so beside the fields.
        let note = format!("currency {code} is not one the platform pays in: check the currency");
        read.notes.push(note);
    }
    let currency = currency.unwrap_or(Currency::CHF);
    let issue = field(&read, "issue_date").and_then(|d| parse_date("d", d).ok());
    // A due date read before the invoice date is a misreading: left for the accountant.
    let due = field(&read, "due_date")
        .and_then(|d| parse_date("d", d).ok())
        .filter(|d| issue.is_none_or(|i| *d >= i));
    let iban = field(&read, "iban")
        .map(compact)
        .filter(|i| iban_is_valid(i));
    let (reference_type, reference) = match field(&read, "reference_type") {
        Some("QRR") => (
            "QRR",
            field(&read, "reference").unwrap_or_default().to_owned(),
        ),
        Some("SCOR") => (
            "SCOR",
            field(&read, "reference").unwrap_or_default().to_owned(),
        ),
        _ => ("NON", String::new()),
    };
    let number = field(&read, "number").map(|n| n.chars().take(100).collect::<String>());
    let message: String = field(&read, "message")
        .unwrap_or_default()
        .chars()
        .take(140)
        .collect();
    // The VAT read, at the Swiss rate it fits (the accountant checks it).
    let vat = field(&read, "vat_amount")
        .and_then(|v| parse_minor(v).ok())
        .zip(amount)
        .filter(|(v, a)| *v > 0 && v < a);
    let vat_at = |code: VatCode| {
        vat.filter(|(v, a)| likely_code(*a, *v, issue.unwrap_or_else(today)) == code)
            .map(|(v, _)| v)
    };
    let bill_id = sqlx::query_scalar!(
        r#"INSERT INTO supplier_bills (company_id, party_id, number, issue_date, due_date, currency, total_minor,
                                       status, file_sha256, file_name, reading, iban, reference_type, reference,
                                       message, uploaded_by, vat_minor, vat_standard_minor, vat_reduced_minor,
                                       vat_accommodation_minor)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
           RETURNING id"#,
        company_id,
        supplier,
        number,
        issue,
        due.or(issue.map(|d| d + time::Duration::days(30))),
        currency.code(),
        amount,
        sha,
        file_name.chars().take(255).collect::<String>(),
        serde_json::to_value(&read).unwrap_or_default(),
        iban,
        reference_type,
        reference,
        message,
        user,
        vat.map(|(v, _)| v),
        vat_at(VatCode::Standard),
        vat_at(VatCode::Reduced),
        vat_at(VatCode::Accommodation),
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::BillReceived,
        Some(user),
        serde_json::json!({ "company": company_id, "bill": bill_id, "file": sha, "same_file_as": same_file_as }),
    )
    .await?;
    if let Some(p) = party {
        notify(
            &mut tx,
            company_id,
            p,
            BillMail::Received,
            bill_id,
            public_url,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Intake {
        bill_id,
        same_file_as,
    })
}

/// The bill's page.
pub async fn view(pool: &PgPool, caller: &Caller, id: Uuid) -> Result<BillView, AppError> {
    let scope = caller.scope(Permission::SupplierInvoicesRead)?;
    let mut tx = begin(pool, &scope).await?;
    let b = sqlx::query!(
        r#"SELECT b.company_id, b.party_id, p.name AS "party_name?", b.status AS "status: BillStatus", b.number,
                  b.issue_date, b.due_date, b.currency AS "currency: Currency", b.total_minor, b.vat_standard_minor,
                  b.vat_reduced_minor, b.vat_accommodation_minor, b.iban,
                  b.reference_type AS "reference_type: ReferenceType", b.reference, b.message, b.cost_account,
                  b.project_id, b.expected_minor, b.file_sha256, b.file_name, b.reading, b.deviations,
                  b.rejected_reason, b.paid_on, c.bill_ceo_above_minor, c.bill_second_factor_above_minor
           FROM supplier_bills b JOIN companies c ON c.id = b.company_id
           LEFT JOIN parties p ON p.company_id = b.company_id AND p.id = b.party_id
           WHERE b.id = $1"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    caller.require(Permission::SupplierInvoicesRead, b.company_id)?;
    let read: Reading = b
        .reading
        .clone()
        .and_then(|r| serde_json::from_value(r).ok())
        .unwrap_or_default();
    let duplicates = duplicates_of(
        &mut tx,
        b.company_id,
        id,
        b.party_id,
        b.number.as_deref(),
        b.total_minor,
        b.file_sha256.as_deref(),
    )
    .await?;
    let suppliers = if caller.role.is_portal_party() {
        Vec::new()
    } else {
        candidates(&mut tx, b.company_id, &read).await?
    };
    let approvals = sqlx::query!(
        r#"SELECT approver_name, second_factor, at FROM bill_approvals
           WHERE company_id = $1 AND bill_id = $2 ORDER BY at"#,
        b.company_id,
        id
    )
    // Row-level security shows approvals to the company's staff only (a provider sees none).
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|a| ApprovalView {
        name: a.approver_name,
        second_factor: a.second_factor,
        at: a.at.date().to_string(),
    })
    .collect();
    let projects = if caller.role.is_portal_party() {
        Vec::new()
    } else {
        sqlx::query_as!(
            ProjectChoice,
            r#"SELECT id, name FROM projects
               WHERE company_id = $1 AND (status IN ('planning', 'deposit_pending', 'active') OR id = $2)
               ORDER BY name LIMIT 500"#,
            b.company_id,
            b.project_id
        )
        .fetch_all(&mut *tx)
        .await?
    };
    tx.commit().await?;
    // What the company checks a bill against (the order, the deviations, who must approve, the
    // booking) is its own business, not the provider's.
    let internal = !caller.role.is_portal_party();
    let deviations: Vec<Deviation> = b
        .deviations
        .iter()
        .filter_map(|d| Deviation::parse(d))
        .filter(|_| internal)
        .collect();
    let total = b.total_minor.unwrap_or(0);
    Ok(BillView {
        id,
        company_id: b.company_id,
        status: b.status,
        file_name: b.file_name,
        file_url: b
            .file_sha256
            .map(|s| format!("/payables/files/{}/{s}", b.company_id)),
        party_name: b.party_name,
        input: BillInput {
            party_id: b.party_id,
            new_supplier: String::new(),
            number: b.number.unwrap_or_default(),
            issue_date: b.issue_date.map(iso_date).unwrap_or_default(),
            due_date: b.due_date.map(iso_date).unwrap_or_default(),
            currency: b.currency,
            amount: b.total_minor.map(format_plain).unwrap_or_default(),
            vat_standard: b.vat_standard_minor.map(format_plain).unwrap_or_default(),
            vat_reduced: b.vat_reduced_minor.map(format_plain).unwrap_or_default(),
            vat_accommodation: b
                .vat_accommodation_minor
                .map(format_plain)
                .unwrap_or_default(),
            iban: b.iban.unwrap_or_default(),
            reference_type: b.reference_type,
            reference: b.reference,
            message: b.message,
            cost_account: if internal {
                b.cost_account
            } else {
                String::new()
            },
            project_id: b.project_id.filter(|_| internal),
            expected_amount: b
                .expected_minor
                .filter(|_| internal)
                .map(format_plain)
                .unwrap_or_default(),
        },
        read: read
            .fields
            .iter()
            .map(|f| ReadField {
                name: f.name.clone(),
                value: f.value.clone(),
                source: serde_json::to_value(f.source)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                confidence: f.confidence,
            })
            .collect(),
        notes: read.notes,
        duplicates,
        suppliers,
        needs_ceo: internal
            && (total > b.bill_ceo_above_minor
                || total > b.bill_second_factor_above_minor
                || !deviations.is_empty()),
        needs_second_factor: internal && total > b.bill_second_factor_above_minor,
        deviations,
        approvals,
        rejected_reason: b.rejected_reason,
        paid_on: b.paid_on.map(iso_date),
        projects,
    })
}

/// Checks and stores the validated fields; the bill is `to_approve` from then on. A new
/// supplier is created when asked. The deviation check runs here.
pub async fn save(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
    input: &BillInput,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let scope = caller.scope(Permission::SupplierInvoicesWrite)?;
    // A provider submits; the company's accountant validates what was read.
    if caller.role.is_portal_party() {
        return Err(AppError::Forbidden);
    }
    let mut tx = begin(pool, &scope).await?;
    let b = sqlx::query!(
        r#"SELECT company_id, status AS "status: BillStatus" FROM supplier_bills WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    caller.require(Permission::SupplierInvoicesWrite, b.company_id)?;
    if !matches!(b.status, BillStatus::Draft | BillStatus::ToApprove) {
        return Err(AppError::Conflict);
    }
    let mut p = Problems::default();
    p.text("number", &input.number, true, 100);
    let issue = parse_date("issue_date", &input.issue_date);
    let due = parse_date("due_date", &input.due_date);
    p.check(issue.is_ok(), "issue_date", FieldProblem::Invalid);
    p.check(due.is_ok(), "due_date", FieldProblem::Invalid);
    if let (Ok(i), Ok(d)) = (&issue, &due) {
        p.check(d >= i, "due_date", FieldProblem::Invalid);
    }
    let amount = parse_minor(&input.amount)
        .ok()
        .filter(|a| *a > 0 && *a <= MAX_AMOUNT_MINOR);
    p.check(amount.is_some(), "amount", FieldProblem::Invalid);
    // The VAT included, per rate; together less than the total.
    let mut vat_part = |field: &'static str, text: &str| match text.trim() {
        "" => None,
        t => {
            let v = parse_minor(t)
                .ok()
                .filter(|v| *v >= 0 && amount.is_none_or(|a| *v < a));
            p.check(v.is_some(), field, FieldProblem::Invalid);
            v
        }
    };
    let vat_standard = vat_part("vat_standard", &input.vat_standard);
    let vat_reduced = vat_part("vat_reduced", &input.vat_reduced);
    let vat_accommodation = vat_part("vat_accommodation", &input.vat_accommodation);
    let parts = [vat_standard, vat_reduced, vat_accommodation];
    let vat = parts
        .iter()
        .flatten()
        .copied()
        .reduce(|a, b| a.saturating_add(b));
    if let (Some(v), Some(a)) = (vat, amount) {
        p.check(v < a, "vat_standard", FieldProblem::Invalid);
    }
    let iban = compact(&input.iban);
    p.check(iban_is_valid(&iban), "iban", FieldProblem::Invalid);
    let reference = compact(&input.reference);
    let reference_ok = match input.reference_type {
        ReferenceType::Qrr => is_qr_iban(&iban) && qrr_is_valid(&reference),
        ReferenceType::Scor => !is_qr_iban(&iban) && scor_is_valid(&reference),
        ReferenceType::Non => !is_qr_iban(&iban) && reference.is_empty(),
    };
    p.check(reference_ok, "reference", FieldProblem::Invalid);
    p.text("message", &input.message, false, 140);
    p.text("cost_account", &input.cost_account, false, 40);
    let expected = match input.expected_amount.trim() {
        "" => None,
        t => {
            let e = parse_minor(t)
                .ok()
                .filter(|e| *e > 0 && *e <= MAX_AMOUNT_MINOR);
            p.check(e.is_some(), "expected_amount", FieldProblem::Invalid);
            e
        }
    };
    if input.party_id.is_none() {
        p.text("new_supplier", &input.new_supplier, true, 200);
    }
    p.done()?;
    let (issue, due, amount) = (issue?, due?, amount.unwrap_or_default());
    let party = match input.party_id {
        Some(party) => {
            crate::crm::ssr::refs::check(
                &mut tx,
                &crate::crm::ssr::refs::References {
                    company_id: b.company_id,
                    party: Some((party, &[crate::domain::status::PartyKind::Supplier, crate::domain::status::PartyKind::Provider, crate::domain::status::PartyKind::Partner])),
                    project_id: input.project_id,
                    ..Default::default()
                },
            )
            .await
            .map_err(|_| AppError::field("party_id", FieldProblem::Invalid))?;
            party
        }
        None => sqlx::query_scalar!(
            r#"INSERT INTO parties (company_id, kind, name, iban) VALUES ($1, 'supplier', $2, $3) RETURNING id"#,
            b.company_id,
            input.new_supplier.trim(),
            iban
        )
        .fetch_one(&mut *tx)
        .await?,
    };
    let deviations = deviations(&mut tx, b.company_id, id, party, &iban, amount, expected).await?;
    let done = sqlx::query!(
        r#"UPDATE supplier_bills SET party_id = $3, number = $4, issue_date = $5, due_date = $6, currency = $7,
                  total_minor = $8, vat_minor = $9, iban = $10, reference_type = $11, reference = $12, message = $13,
                  cost_account = $14, project_id = $15, expected_minor = $16, expected_currency = $7,
                  deviations = $17, status = 'to_approve', validated_by = $18, vat_standard_minor = $19,
                  vat_reduced_minor = $20, vat_accommodation_minor = $21, updated_at = now()
           WHERE company_id = $1 AND id = $2"#,
        b.company_id,
        id,
        party,
        input.number.trim(),
        issue,
        due,
        input.currency.code(),
        amount,
        vat,
        iban,
        input.reference_type.as_str(),
        reference,
        input.message.trim(),
        input.cost_account.trim(),
        input.project_id,
        expected,
        &deviations.iter().map(|d| d.as_str().to_owned()).collect::<Vec<_>>(),
        caller.user_id,
        vat_standard,
        vat_reduced,
        vat_accommodation,
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| match AppError::from(e) {
        AppError::Conflict => AppError::field("number", FieldProblem::Taken),
        other => other,
    })?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        client,
        AuditEvent::BillValidated,
        Some(caller.user_id),
        serde_json::json!({ "company": b.company_id, "bill": id, "deviations": deviations.iter().map(|d| d.as_str()).collect::<Vec<_>>() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Rejects a bill with a reason; a provider is told.
pub async fn reject(
    pool: &PgPool,
    caller: &Caller,
    id: Uuid,
    reason: &str,
    client: &ClientInfo,
    public_url: &str,
) -> Result<(), AppError> {
    let scope = caller.scope(Permission::SupplierInvoicesApprove)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field("reason", FieldProblem::Required));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::field(
            "reason",
            FieldProblem::TooLong { max: 500 },
        ));
    }
    let mut tx = begin(pool, &scope).await?;
    let b = sqlx::query!(
        r#"SELECT company_id, party_id, status AS "status: BillStatus" FROM supplier_bills WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    caller.require(Permission::SupplierInvoicesApprove, b.company_id)?;
    if !matches!(
        b.status,
        BillStatus::Draft | BillStatus::ToApprove | BillStatus::Approved
    ) {
        return Err(AppError::Conflict);
    }
    sqlx::query!(
        "UPDATE supplier_bills SET status = 'rejected', rejected_reason = $3, updated_at = now() WHERE company_id = $1 AND id = $2",
        b.company_id,
        id,
        reason
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::BillRejected,
        Some(caller.user_id),
        serde_json::json!({ "company": b.company_id, "bill": id, "reason": reason }),
    )
    .await?;
    if let Some(party) = b.party_id {
        notify(
            &mut tx,
            b.company_id,
            party,
            BillMail::Rejected(reason),
            id,
            public_url,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
