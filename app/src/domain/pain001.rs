//! Credit transfer orders for a bank that is not connected: an ISO 20022 `pain.001.001.09`
//! file following the Swiss Payment Standards (one payment block per debtor account and
//! currency; QR references kept as `QRR`, creditor references as `SCOR`), to upload in the
//! bank's e-banking.

use std::fmt::Write as _;

use time::Date;

/// The paying company.
#[derive(Clone, Debug)]
pub struct Debtor {
    /// The company's legal name.
    pub name: String,
    /// Street, building number, postcode, town, country.
    pub address: Address,
}

/// A structured postal address.
#[derive(Clone, Debug, Default)]
pub struct Address {
    /// Street.
    pub street: String,
    /// Building number.
    pub building_number: String,
    /// Postcode.
    pub postal_code: String,
    /// Town.
    pub town: String,
    /// Country (two letters).
    pub country: String,
}

/// One transfer.
#[derive(Clone, Debug)]
pub struct Transfer {
    /// The paying account's IBAN.
    pub debtor_iban: String,
    /// End-to-end id (the payment's idempotency key, at most 35 characters).
    pub end_to_end_id: String,
    /// Amount, minor units.
    pub amount_minor: i64,
    /// Currency.
    pub currency: String,
    /// Payee's name.
    pub creditor: String,
    /// Payee's address.
    pub creditor_address: Address,
    /// Payee's IBAN (or QR-IBAN).
    pub iban: String,
    /// `QRR`, `SCOR` or none.
    pub reference_type: String,
    /// The reference.
    pub reference: String,
    /// Unstructured message (used when there is no reference).
    pub message: String,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Cuts to `max` characters (the schema's text limits), then escapes.
fn cut(text: &str, max: usize) -> String {
    escape(&text.chars().take(max).collect::<String>())
}

fn decimal(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

fn address(xml: &mut String, a: &Address) {
    xml.push_str("<PstlAdr>");
    if !a.street.is_empty() {
        let _ = write!(xml, "<StrtNm>{}</StrtNm>", cut(&a.street, 70));
    }
    if !a.building_number.is_empty() {
        let _ = write!(xml, "<BldgNb>{}</BldgNb>", cut(&a.building_number, 16));
    }
    if !a.postal_code.is_empty() {
        let _ = write!(xml, "<PstCd>{}</PstCd>", cut(&a.postal_code, 16));
    }
    if !a.town.is_empty() {
        let _ = write!(xml, "<TwnNm>{}</TwnNm>", cut(&a.town, 35));
    }
    let _ = write!(xml, "<Ctry>{}</Ctry>", cut(&a.country, 2));
    xml.push_str("</PstlAdr>");
}

/// The file: `message_id` (unique per file, at most 35 characters), the date it was made (a
/// date-time), the execution date, and the transfers — one payment block per paying account and
/// currency.
pub fn file(
    message_id: &str,
    created: &str,
    execution: Date,
    debtor: &Debtor,
    transfers: &[Transfer],
) -> String {
    let total: i64 = transfers.iter().map(|t| t.amount_minor).sum();
    let mut xml = String::with_capacity(2_000 + transfers.len() * 900);
    let _ = write!(
        xml,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">
<CstmrCdtTrfInitn>
<GrpHdr><MsgId>{}</MsgId><CreDtTm>{created}</CreDtTm><NbOfTxs>{}</NbOfTxs><CtrlSum>{}</CtrlSum><InitgPty><Nm>{}</Nm></InitgPty></GrpHdr>
"#,
        cut(message_id, 35),
        transfers.len(),
        decimal(total),
        cut(&debtor.name, 70),
    );
    let mut blocks: Vec<(&str, &str)> = transfers
        .iter()
        .map(|t| (t.debtor_iban.as_str(), t.currency.as_str()))
        .collect();
    blocks.sort_unstable();
    blocks.dedup();
    for (n, (iban, currency)) in blocks.iter().enumerate() {
        let block: Vec<&Transfer> = transfers
            .iter()
            .filter(|t| t.debtor_iban == *iban && t.currency == *currency)
            .collect();
        let sum: i64 = block.iter().map(|t| t.amount_minor).sum();
        let _ = write!(
            xml,
            "<PmtInf><PmtInfId>{}</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>true</BtchBookg><NbOfTxs>{}</NbOfTxs><CtrlSum>{}</CtrlSum>\
             <ReqdExctnDt><Dt>{execution}</Dt></ReqdExctnDt><Dbtr><Nm>{}</Nm>",
            cut(&format!("{}-{}", message_id.chars().take(30).collect::<String>(), n + 1), 35),
            block.len(),
            decimal(sum),
            cut(&debtor.name, 70),
        );
        address(&mut xml, &debtor.address);
        let _ = writeln!(
            xml,
            "</Dbtr><DbtrAcct><Id><IBAN>{}</IBAN></Id></DbtrAcct><DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt>",
            escape(iban)
        );
        for t in block {
            let _ = write!(
                xml,
                "<CdtTrfTxInf><PmtId><InstrId>{id}</InstrId><EndToEndId>{id}</EndToEndId></PmtId>\
                 <Amt><InstdAmt Ccy=\"{}\">{}</InstdAmt></Amt><Cdtr><Nm>{}</Nm>",
                escape(&t.currency),
                decimal(t.amount_minor),
                cut(&t.creditor, 70),
                id = cut(&t.end_to_end_id, 35),
            );
            address(&mut xml, &t.creditor_address);
            let _ = write!(
                xml,
                "</Cdtr><CdtrAcct><Id><IBAN>{}</IBAN></Id></CdtrAcct>",
                escape(&t.iban)
            );
            match t.reference_type.as_str() {
                "QRR" | "SCOR" => {
                    let code = if t.reference_type == "QRR" {
                        "<Prtry>QRR</Prtry>".to_owned()
                    } else {
                        "<Cd>SCOR</Cd>".to_owned()
                    };
                    let _ = write!(
                        xml,
                        "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry>{code}</CdOrPrtry></Tp><Ref>{}</Ref></CdtrRefInf>{}</Strd></RmtInf>",
                        cut(&t.reference, 35),
                        if t.message.is_empty() { String::new() } else { format!("<AddtlRmtInf>{}</AddtlRmtInf>", cut(&t.message, 140)) },
                    );
                }
                _ if !t.message.is_empty() => {
                    let _ = write!(
                        xml,
                        "<RmtInf><Ustrd>{}</Ustrd></RmtInf>",
                        cut(&t.message, 140)
                    );
                }
                _ => {}
            }
            xml.push_str("</CdtTrfTxInf>\n");
        }
        xml.push_str("</PmtInf>\n");
    }
    xml.push_str("</CstmrCdtTrfInitn>\n</Document>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transfer(debtor: &str, currency: &str, minor: i64, kind: &str, reference: &str) -> Transfer {
        Transfer {
            debtor_iban: debtor.into(),
            end_to_end_id: format!("B{minor}"),
            amount_minor: minor,
            currency: currency.into(),
            creditor: "Müller & Söhne <AG>".into(),
            creditor_address: Address {
                town: "Bern".into(),
                country: "CH".into(),
                ..Address::default()
            },
            iban: "CH9300762011623852957".into(),
            reference_type: kind.into(),
            reference: reference.into(),
            message: "Facture 12".into(),
        }
    }

    #[test]
    fn one_payment_block_per_debtor_account_and_currency_with_their_sums() {
        let debtor = Debtor {
            name: "HMF SA".into(),
            address: Address {
                country: "CH".into(),
                ..Address::default()
            },
        };
        let xml = file(
            "RUN-1",
            "2026-12-02T10:00:00",
            time::macros::date!(2026 - 12 - 03),
            &debtor,
            &[
                transfer("CH1", "CHF", 10_050, "QRR", "210000000003139471430009017"),
                transfer("CH1", "EUR", 700, "SCOR", "RF18539007547034"),
                transfer("CH1", "CHF", 5, "NON", ""),
                transfer("CH2", "CHF", 100, "NON", ""),
            ],
        );
        assert_eq!(xml.matches("<PmtInf>").count(), 3);
        assert!(xml.contains("<NbOfTxs>4</NbOfTxs><CtrlSum>108.55</CtrlSum>"));
        assert!(
            xml.contains("<NbOfTxs>2</NbOfTxs><CtrlSum>100.55</CtrlSum>"),
            "{xml}"
        );
        assert!(xml.contains("<InstdAmt Ccy=\"CHF\">0.05</InstdAmt>"));
        assert!(xml
            .contains("<Prtry>QRR</Prtry></CdOrPrtry></Tp><Ref>210000000003139471430009017</Ref>"));
        assert!(xml.contains("<Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>RF18539007547034</Ref>"));
        assert!(xml.contains("<RmtInf><Ustrd>Facture 12</Ustrd></RmtInf>"));
        assert!(
            xml.contains("<Nm>Müller &amp; Söhne &lt;AG&gt;</Nm>"),
            "text is escaped"
        );
        assert!(xml.contains("<ReqdExctnDt><Dt>2026-12-03</Dt></ReqdExctnDt>"));
    }
}
