//! Generated bank statements (camt.053.001.08, the Swiss Payment Standards flavour) for the demo
//! and the benchmark: payments of a company's open invoices — with their QR or creditor
//! reference, with only their number in the text, or with nothing but the amount — and other
//! movements (bank fees, transfers between own accounts, unknown payers). Deterministic (seeded).

use std::fmt::Write as _;

use app::auth::ssr::{begin, Scope};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::PgPool;
use time::{Date, Duration};
use uuid::Uuid;

/// One movement of a generated statement.
#[derive(Clone, Debug)]
pub struct Line {
    /// The bank's reference of the entry (`AcctSvcrRef`).
    pub bank_id: String,
    /// Booking date.
    pub booked: Date,
    /// Signed amount, minor units.
    pub amount_minor: i64,
    /// `("QRR" | "SCOR", reference)`, when the payment carried one.
    pub reference: Option<(&'static str, String)>,
    /// Free text (unstructured remittance).
    pub text: String,
    /// Payer (credit) or payee (debit).
    pub name: String,
    /// Their IBAN.
    pub iban: Option<String>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn decimal(minor: i64) -> String {
    format!("{}.{:02}", minor.abs() / 100, minor.abs() % 100)
}

/// A camt.053.001.08 statement of `lines` for the account `iban` in `currency`.
pub fn statement(
    iban: &str,
    currency: &str,
    id: &str,
    opening_minor: i64,
    lines: &[Line],
) -> String {
    let closing = opening_minor + lines.iter().map(|l| l.amount_minor).sum::<i64>();
    let first = lines.iter().map(|l| l.booked).min().unwrap_or(Date::MIN);
    let last = lines.iter().map(|l| l.booked).max().unwrap_or(Date::MIN);
    let indicator = |minor: i64| if minor >= 0 { "CRDT" } else { "DBIT" };
    let mut xml = String::with_capacity(lines.len() * 1500 + 2000);
    let _ = write!(
        xml,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
<BkToCstmrStmt>
<GrpHdr><MsgId>{id}</MsgId><CreDtTm>{last}T23:00:00</CreDtTm></GrpHdr>
<Stmt>
<Id>{id}</Id>
<CreDtTm>{last}T23:00:00</CreDtTm>
<Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>{currency}</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="{currency}">{open}</Amt><CdtDbtInd>{open_ind}</CdtDbtInd><Dt><Dt>{first}</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="{currency}">{close}</Amt><CdtDbtInd>{close_ind}</CdtDbtInd><Dt><Dt>{last}</Dt></Dt></Bal>
"#,
        open = decimal(opening_minor),
        open_ind = indicator(opening_minor),
        close = decimal(closing),
        close_ind = indicator(closing),
    );
    for l in lines {
        let credit = l.amount_minor >= 0;
        let (party, account) = if credit {
            ("Dbtr", "DbtrAcct")
        } else {
            ("Cdtr", "CdtrAcct")
        };
        let remittance = match &l.reference {
            Some((kind, reference)) => {
                let code = if *kind == "SCOR" {
                    "<Cd>SCOR</Cd>"
                } else {
                    "<Prtry>QRR</Prtry>"
                };
                format!(
                    "<RmtInf><Ustrd>{}</Ustrd><Strd><CdtrRefInf><Tp><CdOrPrtry>{code}</CdOrPrtry></Tp><Ref>{reference}</Ref></CdtrRefInf></Strd></RmtInf>",
                    escape(&l.text)
                )
            }
            None if l.text.is_empty() => String::new(),
            None => format!("<RmtInf><Ustrd>{}</Ustrd></RmtInf>", escape(&l.text)),
        };
        let iban = l
            .iban
            .as_ref()
            .map(|i| format!("<{account}><Id><IBAN>{i}</IBAN></Id></{account}>"))
            .unwrap_or_default();
        let _ = write!(
            xml,
            r#"<Ntry><Amt Ccy="{currency}">{amount}</Amt><CdtDbtInd>{ind}</CdtDbtInd><RvslInd>false</RvslInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>{booked}</Dt></BookgDt><ValDt><Dt>{booked}</Dt></ValDt><AcctSvcrRef>{bank_id}</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>{sub}</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls><TxDtls><Refs><AcctSvcrRef>{bank_id}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
<Amt Ccy="{currency}">{amount}</Amt><CdtDbtInd>{ind}</CdtDbtInd>
<RltdPties><{party}><Pty><Nm>{name}</Nm></Pty></{party}>{iban}</RltdPties>{remittance}</TxDtls></NtryDtls></Ntry>
"#,
            amount = decimal(l.amount_minor),
            ind = indicator(l.amount_minor),
            booked = l.booked,
            bank_id = escape(&l.bank_id),
            family = if credit { "RCDT" } else { "ICDT" },
            sub = if credit { "VCOM" } else { "DMCT" },
            name = escape(&l.name),
        );
    }
    xml.push_str("</Stmt>\n</BkToCstmrStmt>\n</Document>\n");
    xml
}

/// An open invoice a generated payment pays.
struct Open {
    number: String,
    reference_type: String,
    reference: String,
    open_minor: i64,
    issued: Date,
    party: String,
}

/// A statement of `entries` movements on the company's invoicing account in `currency`: most pay
/// open invoices (a reference, a number in the text, or only the amount), the rest are fees,
/// transfers and unknown payers. Returns the account's IBAN and the XML.
pub async fn sample(
    pool: &PgPool,
    company_id: Uuid,
    currency: &str,
    entries: usize,
    seed: u64,
) -> Result<(String, String), app::error::AppError> {
    let mut tx = begin(pool, &Scope::system()).await?;
    let iban = sqlx::query_scalar!(
        "SELECT iban FROM bank_accounts WHERE company_id = $1 AND currency = $2 AND receives_invoices",
        company_id,
        currency
    )
    .fetch_one(&mut *tx)
    .await?;
    let today = sqlx::query_scalar!(r#"SELECT app_today() AS "today!""#)
        .fetch_one(&mut *tx)
        .await?;
    let mut open: Vec<Open> = sqlx::query!(
        r#"SELECT i.number AS "number!", i.reference_type, i.reference,
                  (i.total_minor - i.paid_minor - i.credited_minor) AS "open!", i.issue_date, p.name
           FROM invoices i JOIN parties p ON p.company_id = i.company_id AND p.id = i.party_id
           WHERE i.company_id = $1 AND i.currency = $2 AND i.status IN ('sent', 'viewed', 'partial')
             AND i.number IS NOT NULL AND i.issue_date <= $3
           ORDER BY i.number"#,
        company_id,
        currency,
        today
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| Open {
        number: r.number,
        reference_type: r.reference_type,
        reference: r.reference,
        open_minor: r.open,
        issued: r.issue_date,
        party: r.name,
    })
    .collect();
    tx.commit().await?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    open.shuffle(&mut rng);
    let mut lines = Vec::with_capacity(entries);
    let mut invoices = open.into_iter();
    for n in 0..entries {
        let roll: u32 = rng.random_range(0..100);
        let booked_back = rng.random_range(0..90);
        let bank_id = format!("DEMO-{seed}-{n:07}");
        let invoice = if roll < 85 { invoices.next() } else { None };
        let line = match invoice {
            Some(i) => {
                let booked = (today - Duration::days(booked_back)).max(i.issued);
                let structured = matches!(i.reference_type.as_str(), "QRR" | "SCOR");
                if roll < 60 && structured {
                    let kind = if i.reference_type == "QRR" {
                        "QRR"
                    } else {
                        "SCOR"
                    };
                    Line {
                        bank_id,
                        booked,
                        amount_minor: i.open_minor,
                        reference: Some((kind, i.reference.clone())),
                        text: String::new(),
                        name: i.party,
                        iban: None,
                    }
                } else if roll < 75 {
                    Line {
                        bank_id,
                        booked,
                        amount_minor: i.open_minor,
                        reference: None,
                        text: format!("Facture {}", i.number),
                        name: i.party,
                        iban: None,
                    }
                } else {
                    // Only the amount (and a name the bank shortened): a proposal to review.
                    Line {
                        bank_id,
                        booked,
                        amount_minor: i.open_minor,
                        reference: None,
                        text: "Paiement".to_owned(),
                        name: format!("E-Banking {}", i.party.chars().take(3).collect::<String>()),
                        iban: None,
                    }
                }
            }
            None => {
                let booked = today - Duration::days(booked_back);
                match roll % 3 {
                    0 => Line {
                        bank_id,
                        booked,
                        amount_minor: -rng.random_range(100..2_500),
                        reference: None,
                        text: "Frais de tenue de compte".to_owned(),
                        name: "Banque".to_owned(),
                        iban: None,
                    },
                    1 => Line {
                        bank_id,
                        booked,
                        amount_minor: -rng.random_range(100_000..5_000_000),
                        reference: None,
                        text: "Virement compte épargne".to_owned(),
                        name: "Propre compte".to_owned(),
                        iban: None,
                    },
                    _ => Line {
                        bank_id,
                        booked,
                        amount_minor: rng.random_range(5_000..200_000),
                        reference: None,
                        text: "Don".to_owned(),
                        name: "Inconnu".to_owned(),
                        iban: None,
                    },
                }
            }
        };
        lines.push(line);
    }
    lines.sort_by_key(|l| l.booked);
    let id = format!("DEMO-{seed}-{}", today);
    let xml = statement(&iban, currency, &id, 10_000_000, &lines);
    Ok((iban, xml))
}

/// The demo's bank movements: for each owner company, three months of a CHF statement (most
/// movements pay open invoices and are matched on import, some wait for review), imported and
/// reconciled like an uploaded file.
pub async fn load_demo_statements(
    pool: &PgPool,
    public_url: &str,
) -> Result<(), app::error::AppError> {
    let mut tx = begin(pool, &Scope::system()).await?;
    let companies = sqlx::query!("SELECT id, code FROM companies ORDER BY code")
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    for (n, company) in companies.into_iter().enumerate() {
        let (_, xml) = sample(pool, company.id, "CHF", 40, 100 + n as u64).await?;
        let report = app::banking::ssr::import::import(
            pool,
            &Scope::automation(company.id),
            company.id,
            "demo-statement.xml",
            xml.as_bytes(),
            false,
            None,
            &app::auth::ssr::ClientInfo::default(),
            public_url,
        )
        .await?;
        tracing::info!(
            company = company.code,
            entries = report.summary.entries,
            matched = report.summary.matched,
            to_review = report.summary.to_review,
            "demo bank statement imported"
        );
    }
    Ok(())
}
