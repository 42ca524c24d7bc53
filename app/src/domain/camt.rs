//! ISO 20022 bank-to-customer cash management: statements (camt.053) and debit/credit
//! notifications (camt.054), versions .001.02 to .001.08 including the Swiss Payment Standards
//! variants. Read by local element names, so the namespace of the version does not matter.
//!
//! Each booked detail becomes one [`CamtEntry`]: a batch entry (`Ntry` with several `TxDtls`)
//! gives one entry per detail, with the detail's own amount. Every entry carries a stable
//! `bank_id` — the bank's `AcctSvcrRef` of the entry (suffixed by the detail's position in a
//! batch), else a hash of what identifies it — so importing the same file twice, or a camt.054
//! followed by the camt.053 that contains the same entries, finds what it already knows.

use roxmltree::{Document, Node};
use sha2::{Digest, Sha256};
use time::Date;

use super::money::parse_minor;
use super::reference::{compact, qrr_is_valid, scor_is_valid};

/// Why a file was refused (nothing of it is imported).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CamtError {
    /// Not well-formed XML.
    #[error("the file is not XML: {0}")]
    NotXml(String),
    /// XML, but not a camt.053 or camt.054 document.
    #[error("the file is not a camt.053 or camt.054 statement")]
    NotCamt,
    /// A required element is missing or unreadable.
    #[error("{0} is missing or unreadable")]
    Invalid(&'static str),
}

/// Which message the file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CamtKind {
    /// camt.053: an account statement (balances and every booked entry of a period).
    Statement,
    /// camt.054: a debit/credit notification.
    Notification,
}

/// A parsed file: its message kind and version (e.g. `camt.053.001.04`), and its statements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CamtFile {
    /// Statement or notification.
    pub kind: CamtKind,
    /// The message identifier of the namespace, e.g. `camt.054.001.08`.
    pub version: String,
    /// One per `Stmt` / `Ntfctn`.
    pub statements: Vec<CamtStatement>,
}

/// One account's statement (or notification).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CamtStatement {
    /// `Stmt/Id` or `Ntfctn/Id`.
    pub id: String,
    /// The account's IBAN (compact), when given as one.
    pub iban: Option<String>,
    /// The account's currency (`Acct/Ccy`, else that of the balances or entries).
    pub currency: Option<String>,
    /// Opening booked balance (`OPBD`, else `PRCD`), signed minor units, and its date.
    pub opening: Option<(i64, Date)>,
    /// Closing booked balance (`CLBD`), signed minor units, and its date.
    pub closing: Option<(i64, Date)>,
    /// Every entry detail, in file order.
    pub entries: Vec<CamtEntry>,
}

/// The remittance reference a payment carried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CamtReference {
    /// A Swiss QR reference (27 digits with a valid check digit).
    Qrr(String),
    /// An ISO 11649 creditor reference (`RF…`).
    Scor(String),
    /// Any other structured or free-text reference.
    Other(String),
    /// None given.
    None,
}

/// One booked movement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CamtEntry {
    /// Stable identifier of this movement at its bank (see the module documentation).
    pub bank_id: String,
    /// Booking date.
    pub booking_date: Date,
    /// Value date, when given.
    pub value_date: Option<Date>,
    /// Amount in minor units: positive for a credit, negative for a debit.
    pub amount_minor: i64,
    /// Currency of the amount.
    pub currency: String,
    /// Whether the bank marked it as the reversal of an earlier entry.
    pub reversal: bool,
    /// `BOOK`, `PDNG` or `INFO`.
    pub status: String,
    /// The remittance reference.
    pub reference: CamtReference,
    /// The reference as the statement gives it (structured, else end-to-end id), for display.
    pub reference_text: Option<String>,
    /// The payer's (credit) or payee's (debit) end-to-end id, when given (`NOTPROVIDED` dropped).
    pub end_to_end_id: Option<String>,
    /// The other party's name: the debtor of a credit, the creditor of a debit.
    pub counterparty_name: Option<String>,
    /// The other party's account (IBAN, compact; or another identifier).
    pub counterparty_account: Option<String>,
    /// The bank transaction code, `Domain-Family-SubFamily` (e.g. `PMNT-RCDT-VCOM`).
    pub transaction_code: Option<String>,
    /// Free text: the detail's additional information, else the unstructured remittance,
    /// else the entry's additional information.
    pub text: String,
}

/// Largest file accepted (a 10,000-entry statement is about 20 MB).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// The trimmed text at `path` below `node` (`None` when absent or empty).
fn text_at(node: Node, path: &[&str]) -> Option<String> {
    let mut current = node;
    for name in path {
        current = child(current, name)?;
    }
    current
        .text()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

fn date_at(node: Node, path: &[&str]) -> Option<Date> {
    // `Dt` (a date) or `DtTm` (a date-time: its date part).
    let container = path.iter().try_fold(node, |n, name| child(n, name))?;
    let text = text_at(container, &["Dt"]).or_else(|| text_at(container, &["DtTm"]))?;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.get(..10)?, &format).ok()
}

/// An `Amt` element in minor units and its currency.
fn amount(node: Node) -> Option<(i64, String)> {
    let currency = node.attribute("Ccy")?.trim().to_owned();
    let text = node.text()?.trim();
    // The schema allows at most 5 fraction digits; every currency here has 2.
    let minor = parse_minor(text).ok()?;
    Some((minor, currency))
}

fn signed(minor: i64, indicator: Option<&str>) -> Option<i64> {
    match indicator {
        Some("CRDT") => Some(minor),
        Some("DBIT") => Some(-minor),
        _ => None,
    }
}

/// A party's name: `Nm` directly, or inside `Pty` (camt .08).
fn party_name(party: Node) -> Option<String> {
    text_at(party, &["Nm"]).or_else(|| text_at(party, &["Pty", "Nm"]))
}

fn account_id(account: Node) -> Option<String> {
    text_at(account, &["Id", "IBAN"])
        .map(|iban| compact(&iban))
        .or_else(|| text_at(account, &["Id", "Othr", "Id"]))
}

fn classify(reference: &str) -> CamtReference {
    let compacted = compact(reference);
    if compacted.len() == 27 && qrr_is_valid(&compacted) {
        CamtReference::Qrr(compacted)
    } else if compacted.starts_with("RF") && scor_is_valid(&compacted) {
        CamtReference::Scor(compacted)
    } else {
        CamtReference::Other(reference.to_owned())
    }
}

fn transaction_code(node: Node) -> Option<String> {
    let domain = child(node, "BkTxCd").and_then(|c| child(c, "Domn"))?;
    let code = text_at(domain, &["Cd"])?;
    let family = text_at(domain, &["Fmly", "Cd"])?;
    let sub = text_at(domain, &["Fmly", "SubFmlyCd"])?;
    Some(format!("{code}-{family}-{sub}"))
}

/// A stable id for an entry without a bank reference: a hash of what identifies it.
fn hashed_id(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part.as_bytes());
        hash.update([0u8]);
    }
    let digest = hash.finalize();
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("h:{hex}")
}

/// Parses a camt.053 or camt.054 file (bytes as uploaded).
pub fn parse(bytes: &[u8]) -> Result<CamtFile, CamtError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(CamtError::Invalid("a file of reasonable size"));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| CamtError::NotXml("not UTF-8".into()))?;
    let text = text.trim_start_matches('\u{feff}');
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..roxmltree::ParsingOptions::default()
    };
    let document = Document::parse_with_options(text, options)
        .map_err(|e| CamtError::NotXml(e.to_string()))?;
    let root = document.root_element();
    if root.tag_name().name() != "Document" {
        return Err(CamtError::NotCamt);
    }
    let version = root
        .tag_name()
        .namespace()
        .and_then(|ns| ns.rsplit(':').next())
        .unwrap_or_default()
        .to_owned();
    let (kind, message, item) = if let Some(m) = child(root, "BkToCstmrStmt") {
        (CamtKind::Statement, m, "Stmt")
    } else if let Some(m) = child(root, "BkToCstmrDbtCdtNtfctn") {
        (CamtKind::Notification, m, "Ntfctn")
    } else {
        return Err(CamtError::NotCamt);
    };
    let statements = children(message, item)
        .map(statement)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CamtFile {
        kind,
        version,
        statements,
    })
}

fn balance(stmt: Node, codes: &[&str]) -> Result<Option<(i64, Date)>, CamtError> {
    for code in codes {
        let found = children(stmt, "Bal")
            .find(|b| text_at(*b, &["Tp", "CdOrPrtry", "Cd"]).as_deref() == Some(*code));
        if let Some(b) = found {
            let (minor, _) = child(b, "Amt")
                .and_then(amount)
                .ok_or(CamtError::Invalid("Bal/Amt"))?;
            let value = signed(minor, text_at(b, &["CdtDbtInd"]).as_deref())
                .ok_or(CamtError::Invalid("Bal/CdtDbtInd"))?;
            let date = date_at(b, &["Dt"]).ok_or(CamtError::Invalid("Bal/Dt"))?;
            return Ok(Some((value, date)));
        }
    }
    Ok(None)
}

fn statement(stmt: Node) -> Result<CamtStatement, CamtError> {
    let id = text_at(stmt, &["Id"]).ok_or(CamtError::Invalid("Stmt/Id"))?;
    let account = child(stmt, "Acct").ok_or(CamtError::Invalid("Acct"))?;
    let iban = text_at(account, &["Id", "IBAN"]).map(|i| compact(&i));
    let opening = balance(stmt, &["OPBD", "PRCD"])?;
    let closing = balance(stmt, &["CLBD"])?;
    let mut entries = Vec::new();
    for (position, ntry) in children(stmt, "Ntry").enumerate() {
        entries.extend(entry(iban.as_deref().unwrap_or(&id), position, ntry)?);
    }
    let currency = text_at(account, &["Ccy"])
        .or_else(|| {
            children(stmt, "Bal").find_map(|b| {
                child(b, "Amt")
                    .and_then(|a| a.attribute("Ccy"))
                    .map(str::to_owned)
            })
        })
        .or_else(|| entries.first().map(|e| e.currency.clone()));
    Ok(CamtStatement {
        id,
        iban,
        currency,
        opening,
        closing,
        entries,
    })
}

fn entry(account: &str, position: usize, ntry: Node) -> Result<Vec<CamtEntry>, CamtError> {
    let (entry_minor, currency) = child(ntry, "Amt")
        .and_then(amount)
        .ok_or(CamtError::Invalid("Ntry/Amt"))?;
    let indicator = text_at(ntry, &["CdtDbtInd"]);
    signed(entry_minor, indicator.as_deref()).ok_or(CamtError::Invalid("Ntry/CdtDbtInd"))?;
    let booking_date = date_at(ntry, &["BookgDt"])
        .or_else(|| date_at(ntry, &["ValDt"]))
        .ok_or(CamtError::Invalid("Ntry/BookgDt"))?;
    let value_date = date_at(ntry, &["ValDt"]);
    let reversal = text_at(ntry, &["RvslInd"]).as_deref() == Some("true");
    let status = text_at(ntry, &["Sts", "Cd"])
        .or_else(|| text_at(ntry, &["Sts"]))
        .unwrap_or_else(|| "BOOK".to_owned());
    let entry_ref = text_at(ntry, &["AcctSvcrRef"]);
    let entry_info = text_at(ntry, &["AddtlNtryInf"]).unwrap_or_default();
    let entry_code = transaction_code(ntry);
    let details: Vec<Node> = child(ntry, "NtryDtls")
        .map(|d| children(d, "TxDtls").collect())
        .unwrap_or_default();
    if details.is_empty() {
        let bank_id = entry_ref.clone().unwrap_or_else(|| {
            hashed_id(&[
                account,
                &booking_date.to_string(),
                &entry_minor.to_string(),
                indicator.as_deref().unwrap_or_default(),
                &position.to_string(),
            ])
        });
        return Ok(vec![CamtEntry {
            bank_id,
            booking_date,
            value_date,
            amount_minor: signed(entry_minor, indicator.as_deref()).unwrap_or_default(),
            currency,
            reversal,
            status,
            reference: CamtReference::None,
            reference_text: None,
            end_to_end_id: None,
            counterparty_name: None,
            counterparty_account: None,
            transaction_code: entry_code,
            text: entry_info,
        }]);
    }
    let batch = details.len() > 1;
    details
        .into_iter()
        .enumerate()
        .map(|(n, tx)| {
            // The detail's own amount (`Amt`, or `AmtDtls/TxAmt/Amt` in .02); a single detail
            // without one is the whole entry.
            let own = child(tx, "Amt")
                .or_else(|| {
                    child(tx, "AmtDtls")
                        .and_then(|a| child(a, "TxAmt"))
                        .and_then(|a| child(a, "Amt"))
                })
                .and_then(amount);
            let (minor, tx_currency) = match own {
                Some(found) => found,
                None if !batch => (entry_minor, currency.clone()),
                None => return Err(CamtError::Invalid("TxDtls/Amt")),
            };
            let direction = text_at(tx, &["CdtDbtInd"]).or_else(|| indicator.clone());
            let amount_minor = signed(minor, direction.as_deref())
                .ok_or(CamtError::Invalid("TxDtls/CdtDbtInd"))?;
            let credit = amount_minor >= 0;
            let parties = child(tx, "RltdPties");
            let (party, party_account) = if credit {
                ("Dbtr", "DbtrAcct")
            } else {
                ("Cdtr", "CdtrAcct")
            };
            let counterparty_name = parties.and_then(|p| child(p, party)).and_then(party_name);
            let counterparty_account = parties
                .and_then(|p| child(p, party_account))
                .and_then(account_id);
            let remittance = child(tx, "RmtInf");
            let structured = remittance
                .and_then(|r| children(r, "Strd").find_map(|s| text_at(s, &["CdtrRefInf", "Ref"])));
            let unstructured = remittance.and_then(|r| text_at(r, &["Ustrd"]));
            let end_to_end_id = text_at(tx, &["Refs", "EndToEndId"]).filter(|e| e != "NOTPROVIDED");
            let reference = match &structured {
                Some(r) => classify(r),
                None => match &unstructured {
                    // A QR or creditor reference typed in the free text still counts.
                    Some(u) if qrr_is_valid(&compact(u)) || scor_is_valid(&compact(u)) => {
                        classify(u)
                    }
                    Some(u) => CamtReference::Other(u.clone()),
                    None => CamtReference::None,
                },
            };
            let tx_ref = text_at(tx, &["Refs", "AcctSvcrRef"]);
            let bank_id = match (&entry_ref, batch) {
                (Some(r), false) => r.clone(),
                (Some(r), true) => format!("{r}#{}", n + 1),
                (None, _) => match (&tx_ref, batch) {
                    (Some(r), false) => r.clone(),
                    _ => hashed_id(&[
                        account,
                        &booking_date.to_string(),
                        &amount_minor.to_string(),
                        end_to_end_id.as_deref().unwrap_or_default(),
                        structured.as_deref().unwrap_or_default(),
                        counterparty_account.as_deref().unwrap_or_default(),
                        &position.to_string(),
                        &n.to_string(),
                    ]),
                },
            };
            let text = text_at(tx, &["AddtlTxInf"])
                .or_else(|| unstructured.clone())
                .unwrap_or_else(|| entry_info.clone());
            Ok(CamtEntry {
                bank_id,
                booking_date,
                value_date,
                amount_minor,
                currency: tx_currency,
                reversal,
                status: status.clone(),
                reference,
                reference_text: structured.or_else(|| end_to_end_id.clone()),
                end_to_end_id,
                counterparty_name,
                counterparty_account,
                transaction_code: entry_code.clone().or_else(|| transaction_code(tx)),
                text,
            })
        })
        .collect()
}
