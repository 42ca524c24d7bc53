//! Statement files into the ledger: a camt.053 or camt.054 file, or a zip of them, read whole
//! before anything is written (a bad file writes nothing), then inserted keyed by the bank's own
//! ids (a second import of the same file changes nothing), and what is new reconciled.

use std::io::Read;

use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use super::reconcile;
use crate::auth::ssr::audit::{self, AuditEvent, ClientInfo};
use crate::auth::ssr::{begin, Scope};
use crate::banking::ImportSummary;
use crate::domain::calendar::iso_date;
use crate::domain::camt::{self, CamtEntry, CamtFile, CamtKind, CamtReference};
use crate::domain::reference::compact;
use crate::error::{AppError, FieldProblem};

/// Most files a zip may hold, and most bytes once unpacked (a zip bomb stops there).
const MAX_ZIP_FILES: usize = 500;
const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// What happened to one entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Imported now.
    New,
    /// Imported before: left as it was.
    Known,
    /// Imported and applied to an invoice.
    Matched,
    /// Imported with a proposed match to review.
    Review,
    /// Not imported (a trial run).
    WouldImport,
}

/// One entry as read, and what the import did with it (what the command line prints).
#[derive(Clone, Debug, Serialize)]
pub struct EntryReport {
    /// The file it came from (inside a zip: its name there).
    pub file: String,
    /// The bank's id of it.
    pub bank_id: String,
    /// The account (IBAN).
    pub account: String,
    /// Booking date.
    pub booking_date: String,
    /// Value date.
    pub value_date: Option<String>,
    /// Amount, as a decimal (always positive).
    pub amount: String,
    /// Currency.
    pub currency: String,
    /// `credit` or `debit`.
    pub direction: &'static str,
    /// `QRR`, `SCOR`, `unstructured` or `none`.
    pub reference_type: &'static str,
    /// The reference.
    pub reference: String,
    /// Payer or payee.
    pub counterparty_name: Option<String>,
    /// Their account.
    pub counterparty_iban: Option<String>,
    /// What the import did.
    pub outcome: Outcome,
}

/// The whole result: the summary and every entry.
#[derive(Clone, Debug)]
pub struct ImportReport {
    /// Counts.
    pub summary: ImportSummary,
    /// Each entry.
    pub entries: Vec<EntryReport>,
}

fn unreadable() -> AppError {
    AppError::field("file", FieldProblem::UnreadableStatement)
}

/// Every camt document of an upload: the file itself, or each file of a zip (in name order).
pub fn documents(file_name: &str, bytes: &[u8]) -> Result<Vec<(String, CamtFile)>, AppError> {
    if bytes.starts_with(b"PK\x03\x04") {
        let mut archive =
            zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
        if archive.len() > MAX_ZIP_FILES {
            return Err(AppError::field("file", FieldProblem::TooLarge));
        }
        let mut files = Vec::new();
        let mut unpacked = 0u64;
        for i in 0..archive.len() {
            let mut file = archive.by_index(i).map_err(|_| unreadable())?;
            if file.is_dir() {
                continue;
            }
            let name = file.name().to_owned();
            // Hidden files of the archiver (`__MACOSX/`, `.DS_Store`) are not statements.
            if name.starts_with("__MACOSX")
                || name.rsplit('/').next().is_some_and(|n| n.starts_with('.'))
            {
                continue;
            }
            let mut content = Vec::new();
            let limit = MAX_UNPACKED_BYTES.saturating_sub(unpacked) + 1;
            file.by_ref()
                .take(limit)
                .read_to_end(&mut content)
                .map_err(|_| unreadable())?;
            unpacked += content.len() as u64;
            if unpacked > MAX_UNPACKED_BYTES {
                return Err(AppError::field("file", FieldProblem::TooLarge));
            }
            files.push((name, content));
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        if files.is_empty() {
            return Err(unreadable());
        }
        return files
            .into_iter()
            .map(|(name, content)| {
                camt::parse(&content)
                    .map(|doc| (name, doc))
                    .map_err(|_| unreadable())
            })
            .collect();
    }
    let doc = camt::parse(bytes).map_err(|_| unreadable())?;
    Ok(vec![(file_name.to_owned(), doc)])
}

/// Cuts `text` to at most `max` characters (the columns' limits).
fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

fn reference_parts(r: &CamtReference) -> (&'static str, String) {
    match r {
        CamtReference::Qrr(q) => ("QRR", q.clone()),
        CamtReference::Scor(s) => ("SCOR", s.clone()),
        CamtReference::Other(o) => ("OTHER", cut(o, 140)),
        CamtReference::None => ("NONE", String::new()),
    }
}

/// One statement's account in the company, by IBAN (or QR-IBAN).
struct Account {
    id: Uuid,
    iban: String,
}

/// Imports an upload into `company_id`'s ledger as `scope` (the caller's, or the automation's
/// for the command line), then reconciles what is new. `dry_run` reads and compares only.
#[allow(clippy::too_many_arguments)]
pub async fn import(
    pool: &PgPool,
    scope: &Scope,
    company_id: Uuid,
    file_name: &str,
    bytes: &[u8],
    dry_run: bool,
    user: Option<Uuid>,
    client: &ClientInfo,
    public_url: &str,
) -> Result<ImportReport, AppError> {
    let started = std::time::Instant::now();
    let docs = documents(file_name, bytes)?;
    let mut tx = begin(pool, scope).await?;
    let accounts = sqlx::query!(
        r#"SELECT id, iban, qr_iban, currency::text AS "currency!" FROM bank_accounts WHERE company_id = $1"#,
        company_id
    )
    .fetch_all(&mut *tx)
    .await?;
    // Resolve every statement's account first: another company's (or unknown) IBAN refuses the
    // whole upload.
    let mut rows: Vec<(String, &Account, &CamtEntry)> = Vec::new();
    let mut resolved: Vec<(usize, usize, Account)> = Vec::new();
    for (d, (_, doc)) in docs.iter().enumerate() {
        for (s, statement) in doc.statements.iter().enumerate() {
            let iban = statement.iban.as_deref().map(compact).unwrap_or_default();
            let account = accounts
                .iter()
                .find(|a| a.iban == iban || a.qr_iban.as_deref() == Some(iban.as_str()))
                .ok_or_else(|| AppError::field("file", FieldProblem::OtherAccount))?;
            let mismatched = statement
                .entries
                .iter()
                .any(|e| e.currency != account.currency);
            if mismatched
                || statement
                    .currency
                    .as_deref()
                    .is_some_and(|c| c != account.currency)
            {
                return Err(AppError::field("file", FieldProblem::OtherAccount));
            }
            resolved.push((
                d,
                s,
                Account {
                    id: account.id,
                    iban: account.iban.clone(),
                },
            ));
        }
    }
    for (d, s, account) in &resolved {
        let (name, doc) = &docs[*d];
        for entry in &doc.statements[*s].entries {
            // Information-only entries (`INFO`) are not movements.
            if entry.status != "INFO" {
                rows.push((name.clone(), account, entry));
            }
        }
    }
    let known_ids: Vec<(Uuid, String)> = sqlx::query!(
        r#"SELECT account_id, bank_id FROM bank_transactions
           WHERE company_id = $1 AND (account_id, bank_id) IN (SELECT * FROM unnest($2::uuid[], $3::text[]))"#,
        company_id,
        &rows.iter().map(|r| r.1.id).collect::<Vec<_>>(),
        &rows.iter().map(|r| r.2.bank_id.clone()).collect::<Vec<_>>(),
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| (r.account_id, r.bank_id))
    .collect();
    let known: std::collections::HashSet<(Uuid, &str)> =
        known_ids.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let messages: Vec<String> = docs.iter().map(|(_, d)| d.version.clone()).collect();

    let mut outcomes: Vec<Outcome> = rows
        .iter()
        .map(|(_, account, entry)| {
            if known.contains(&(account.id, entry.bank_id.as_str())) {
                Outcome::Known
            } else if dry_run {
                Outcome::WouldImport
            } else {
                Outcome::New
            }
        })
        .collect();
    // The same entry twice in one upload (a camt.054 and the camt.053 that repeats it) counts once.
    let mut seen = std::collections::HashSet::new();
    for (i, (_, account, entry)) in rows.iter().enumerate() {
        if !seen.insert((account.id, entry.bank_id.clone())) && outcomes[i] != Outcome::Known {
            outcomes[i] = Outcome::Known;
        }
    }
    let mut summary = ImportSummary {
        file_name: cut(file_name, 255),
        messages: messages.clone(),
        entries: rows.len() as u32,
        new_entries: outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::New | Outcome::WouldImport))
            .count() as u32,
        known: outcomes.iter().filter(|o| **o == Outcome::Known).count() as u32,
        matched: 0,
        to_review: 0,
        dry_run,
        import_ms: 0,
        reconcile_ms: 0,
    };
    if dry_run {
        tx.rollback().await?;
        summary.import_ms = started.elapsed().as_millis() as u32;
        return Ok(ImportReport {
            summary,
            entries: report(&rows, &outcomes),
        });
    }

    let import_id = sqlx::query_scalar!(
        r#"INSERT INTO bank_imports (company_id, account_id, source, file_name, message, entries, new_entries, known, created_by)
           VALUES ($1, $2, 'camt', $3, $4, $5, $6, $7, $8) RETURNING id"#,
        company_id,
        resolved.first().map(|r| r.2.id),
        summary.file_name,
        cut(&messages.join(","), 40),
        summary.entries as i32,
        summary.new_entries as i32,
        summary.known as i32,
        user,
    )
    .fetch_one(&mut *tx)
    .await?;
    let fresh: Vec<usize> = (0..rows.len())
        .filter(|i| outcomes[*i] == Outcome::New)
        .collect();
    let mut columns = Columns::default();
    for i in &fresh {
        columns.push(rows[*i].1.id, rows[*i].2);
    }
    let inserted = sqlx::query!(
        r#"INSERT INTO bank_transactions
             (company_id, account_id, bank_id, source, import_id, booked_on, value_on, amount_minor, currency,
              state, reference_type, reference, counterparty_name, counterparty_account, transaction_code, details,
              end_to_end_id)
           SELECT $1, t.account_id, t.bank_id, 'camt', $2, t.booked_on, t.value_on, t.amount, t.currency,
                  t.state, t.rtype, t.reference, t.cname, t.cacct, t.code, t.details, nullif(t.e2e, '')
           FROM unnest($3::uuid[], $4::text[], $5::date[], $6::date[], $7::bigint[], $8::text[], $9::text[],
                       $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
                AS t(account_id, bank_id, booked_on, value_on, amount, currency, state, rtype, reference, cname, cacct, code, details, e2e)
           ON CONFLICT (company_id, account_id, bank_id) DO NOTHING
           RETURNING id, amount_minor"#,
        company_id,
        import_id,
        &columns.account,
        &columns.bank_id,
        &columns.booked,
        &columns.value as &[Option<time::Date>],
        &columns.amount,
        &columns.currency,
        &columns.state,
        &columns.rtype,
        &columns.reference,
        &columns.cname,
        &columns.cacct,
        &columns.code,
        &columns.details,
        &columns.end_to_end,
    )
    .fetch_all(&mut *tx)
    .await?;
    // A statement's closing balance is the bank's own figure: it wins over the sum of movements.
    for (d, s, account) in &resolved {
        let statement = &docs[*d].1.statements[*s];
        if let (CamtKind::Statement, Some((balance, on))) = (docs[*d].1.kind, statement.closing) {
            sqlx::query!(
                "UPDATE bank_accounts SET balance_minor = $3, balance_on = $4 WHERE company_id = $1 AND id = $2 AND balance_on <= $4",
                company_id,
                account.id,
                balance,
                on
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    audit::record(
        &mut tx,
        client,
        AuditEvent::BankStatementImported,
        user,
        serde_json::json!({ "company": company_id, "import": import_id, "file": summary.file_name,
                            "entries": summary.entries, "new": inserted.len() }),
    )
    .await?;
    tx.commit().await?;
    // Concurrent imports of the same file: only the rows this one inserted are new.
    summary.new_entries = inserted.len() as u32;
    summary.known = summary.entries - summary.new_entries;

    // Money in is matched to invoices, money out to the supplier bills it paid.
    let booked: Vec<Uuid> = inserted.iter().map(|r| r.id).collect();
    summary.import_ms = started.elapsed().as_millis() as u32;
    let reconciling = std::time::Instant::now();
    let run = reconcile::run(pool, scope, company_id, Some(&booked), user, public_url).await?;
    summary.reconcile_ms = reconciling.elapsed().as_millis() as u32;
    summary.matched = run.matched.len() as u32;
    summary.to_review = run.proposed.len() as u32;
    let mut tx = begin(pool, scope).await?;
    sqlx::query!(
        "UPDATE bank_imports SET matched = $3, to_review = $4 WHERE company_id = $1 AND id = $2",
        company_id,
        import_id,
        summary.matched as i32,
        summary.to_review as i32
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let bank_ids: std::collections::HashMap<Uuid, Outcome> = run
        .matched
        .iter()
        .map(|id| (*id, Outcome::Matched))
        .chain(run.proposed.iter().map(|id| (*id, Outcome::Review)))
        .collect();
    let ids_by_row = ids_of_rows(pool, scope, company_id, import_id).await?;
    for (i, (_, account, entry)) in rows.iter().enumerate() {
        if outcomes[i] == Outcome::New {
            let done = ids_by_row
                .get(&(account.id, entry.bank_id.clone()))
                .and_then(|id| bank_ids.get(id));
            if let Some(outcome) = done {
                outcomes[i] = *outcome;
            }
        }
    }
    Ok(ImportReport {
        summary,
        entries: report(&rows, &outcomes),
    })
}

async fn ids_of_rows(
    pool: &PgPool,
    scope: &Scope,
    company_id: Uuid,
    import_id: Uuid,
) -> Result<std::collections::HashMap<(Uuid, String), Uuid>, AppError> {
    let mut tx = begin(pool, scope).await?;
    let rows = sqlx::query!(
        "SELECT id, account_id, bank_id FROM bank_transactions WHERE company_id = $1 AND import_id = $2",
        company_id,
        import_id
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| ((r.account_id, r.bank_id), r.id))
        .collect())
}

/// The insert's columns, one array each.
#[derive(Default)]
struct Columns {
    account: Vec<Uuid>,
    bank_id: Vec<String>,
    booked: Vec<time::Date>,
    value: Vec<Option<time::Date>>,
    amount: Vec<i64>,
    currency: Vec<String>,
    state: Vec<String>,
    rtype: Vec<String>,
    reference: Vec<String>,
    cname: Vec<String>,
    cacct: Vec<String>,
    code: Vec<String>,
    details: Vec<String>,
    end_to_end: Vec<String>,
}

impl Columns {
    fn push(&mut self, account: Uuid, e: &CamtEntry) {
        let (rtype, reference) = reference_parts(&e.reference);
        self.account.push(account);
        self.bank_id.push(cut(&e.bank_id, 200));
        self.booked.push(e.booking_date);
        self.value.push(e.value_date);
        self.amount.push(e.amount_minor);
        self.currency.push(e.currency.clone());
        self.state.push(
            if e.status == "PDNG" {
                "pending"
            } else {
                "completed"
            }
            .to_owned(),
        );
        self.rtype.push(rtype.to_owned());
        self.reference.push(reference);
        self.cname
            .push(cut(e.counterparty_name.as_deref().unwrap_or_default(), 140));
        self.cacct.push(cut(
            e.counterparty_account.as_deref().unwrap_or_default(),
            64,
        ));
        self.code
            .push(cut(e.transaction_code.as_deref().unwrap_or_default(), 40));
        self.details.push(cut(&e.text, 1000));
        // A payment run's transfer comes back with its end-to-end id: the debit finds its bill.
        self.end_to_end
            .push(cut(e.end_to_end_id.as_deref().unwrap_or_default(), 35));
    }
}

fn report(rows: &[(String, &Account, &CamtEntry)], outcomes: &[Outcome]) -> Vec<EntryReport> {
    rows.iter()
        .zip(outcomes)
        .map(|((file, account, e), outcome)| {
            let (reference_type, reference) = match &e.reference {
                CamtReference::Qrr(q) => ("QRR", q.clone()),
                CamtReference::Scor(s) => ("SCOR", s.clone()),
                CamtReference::Other(o) => ("unstructured", o.clone()),
                CamtReference::None => ("none", String::new()),
            };
            EntryReport {
                file: file.clone(),
                bank_id: e.bank_id.clone(),
                account: account.iban.clone(),
                booking_date: iso_date(e.booking_date),
                value_date: e.value_date.map(iso_date),
                amount: crate::domain::money::format_plain(e.amount_minor.abs()),
                currency: e.currency.clone(),
                direction: if e.amount_minor >= 0 {
                    "credit"
                } else {
                    "debit"
                },
                reference_type,
                reference,
                counterparty_name: e.counterparty_name.clone(),
                counterparty_iban: e.counterparty_account.clone(),
                outcome: *outcome,
            }
        })
        .collect()
}
