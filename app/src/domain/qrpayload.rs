//! Reading a Swiss QR-bill's payload (the text of its QR code): the reverse of
//! [`super::qrbill::QrBill::payload`], for the bills suppliers send. Untrusted input: every field
//! is checked (header, version, IBAN, amount, currency, reference against the account) and a
//! payload that breaks the Swiss Implementation Guidelines is refused with the field it breaks.

use super::money::Currency;
use super::qrbill::Reference;
use super::reference::{compact, iban_is_valid, is_qr_iban, qrr_is_valid, scor_is_valid};

/// An address as a QR-bill carries it: structured (`S`: street, building number, postcode,
/// town) or combined (`K`: two address lines).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ScannedAddress {
    /// `S` or `K`.
    pub kind: char,
    /// Name.
    pub name: String,
    /// Street (`S`) or first address line (`K`).
    pub line1: String,
    /// Building number (`S`) or second address line (`K`).
    pub line2: String,
    /// Postcode (`S` only).
    pub postal_code: String,
    /// Town (`S` only).
    pub town: String,
    /// Country, two letters.
    pub country: String,
}

/// What a QR-bill asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScannedBill {
    /// The account to pay (IBAN or QR-IBAN, compact).
    pub account: String,
    /// Who is paid.
    pub creditor: ScannedAddress,
    /// The amount, when the bill states one (minor units; 0 on a "do not pay" notification).
    pub amount_minor: Option<i64>,
    /// CHF or EUR.
    pub currency: Currency,
    /// Who pays, when stated.
    pub debtor: Option<ScannedAddress>,
    /// The payment reference.
    pub reference: Reference,
    /// Unstructured message.
    pub message: String,
    /// Structured billing information (`//S1/…`).
    pub bill_information: String,
    /// Alternative procedures (up to two).
    pub alternative_schemes: Vec<String>,
}

/// Why a payload was refused: the field it breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    /// Not a Swiss QR-bill at all (no `SPC` header).
    #[error("not a Swiss QR-bill")]
    NotQrBill,
    /// A field is missing or breaks the guidelines.
    #[error("the QR-bill's {0} is invalid")]
    Invalid(&'static str),
}

/// Longest payload the guidelines allow (997 characters); more is not a QR-bill.
const MAX_CHARS: usize = 997;

fn address(
    fields: &[&str],
    at: usize,
    what: &'static str,
) -> Result<Option<ScannedAddress>, ScanError> {
    let part = &fields[at..at + 7];
    if part.iter().all(|f| f.is_empty()) {
        return Ok(None);
    }
    let kind = match part[0] {
        "S" => 'S',
        "K" => 'K',
        _ => return Err(ScanError::Invalid(what)),
    };
    let name = part[1].trim();
    let country = part[6].trim();
    if name.is_empty() || name.chars().count() > 70 {
        return Err(ScanError::Invalid(what));
    }
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(ScanError::Invalid(what));
    }
    if part
        .iter()
        .any(|f| f.chars().count() > 70 || f.chars().any(char::is_control))
    {
        return Err(ScanError::Invalid(what));
    }
    Ok(Some(ScannedAddress {
        kind,
        name: name.to_owned(),
        line1: part[2].trim().to_owned(),
        line2: part[3].trim().to_owned(),
        postal_code: part[4].trim().to_owned(),
        town: part[5].trim().to_owned(),
        country: country.to_owned(),
    }))
}

fn amount(text: &str) -> Result<Option<i64>, ScanError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let invalid = ScanError::Invalid("amount");
    let (units, cents) = text.split_once('.').ok_or(invalid)?;
    if units.is_empty()
        || units.len() > 9
        || cents.len() != 2
        || !units
            .chars()
            .chain(cents.chars())
            .all(|c| c.is_ascii_digit())
    {
        return Err(invalid);
    }
    let value = units.parse::<i64>().map_err(|_| invalid)? * 100
        + cents.parse::<i64>().map_err(|_| invalid)?;
    Ok(Some(value))
}

/// Parses the text of a Swiss QR-bill's QR code (version 2.x, lines separated by LF or CR LF).
pub fn parse(payload: &str) -> Result<ScannedBill, ScanError> {
    if payload.chars().count() > MAX_CHARS {
        return Err(ScanError::NotQrBill);
    }
    let normalized = payload.replace("\r\n", "\n");
    let fields: Vec<&str> = normalized.trim_end_matches('\n').split('\n').collect();
    if fields.first() != Some(&"SPC") {
        return Err(ScanError::NotQrBill);
    }
    // 31 fields up to the trailer, then billing information and two alternative schemes.
    if fields.len() < 31 || fields.len() > 34 {
        return Err(ScanError::Invalid("number of lines"));
    }
    if !fields[1].starts_with("02") || fields[1].len() != 4 {
        return Err(ScanError::Invalid("version"));
    }
    if fields[2] != "1" {
        return Err(ScanError::Invalid("coding"));
    }
    let account = compact(fields[3]);
    if !iban_is_valid(&account) || !matches!(account.get(..2), Some("CH" | "LI")) {
        return Err(ScanError::Invalid("account"));
    }
    let creditor = address(&fields, 4, "creditor")?.ok_or(ScanError::Invalid("creditor"))?;
    // Fields 11–17 are reserved (the former ultimate creditor): they must be empty.
    if fields[11..18].iter().any(|f| !f.is_empty()) {
        return Err(ScanError::Invalid("ultimate creditor"));
    }
    let amount_minor = amount(fields[18])?;
    let currency = match fields[19] {
        "CHF" => Currency::CHF,
        "EUR" => Currency::EUR,
        _ => return Err(ScanError::Invalid("currency")),
    };
    let debtor = address(&fields, 20, "debtor")?;
    let qr_iban = is_qr_iban(&account);
    let reference_text = compact(fields[28]);
    let reference = match fields[27] {
        "QRR" if qr_iban && qrr_is_valid(&reference_text) => Reference::Qrr(reference_text),
        "SCOR" if !qr_iban && scor_is_valid(&reference_text) => Reference::Scor(reference_text),
        "NON" if !qr_iban && reference_text.is_empty() => Reference::None,
        _ => return Err(ScanError::Invalid("reference")),
    };
    let message = fields[29].trim().to_owned();
    if fields[30] != "EPD" {
        return Err(ScanError::Invalid("trailer"));
    }
    let bill_information = fields
        .get(31)
        .map(|f| f.trim().to_owned())
        .unwrap_or_default();
    if message.chars().count() + bill_information.chars().count() > 140 {
        return Err(ScanError::Invalid("message"));
    }
    let alternative_schemes: Vec<String> = fields
        .iter()
        .skip(32)
        .map(|f| f.trim().to_owned())
        .filter(|f| !f.is_empty())
        .collect();
    if alternative_schemes.iter().any(|s| s.chars().count() > 100) {
        return Err(ScanError::Invalid("alternative scheme"));
    }
    Ok(ScannedBill {
        account,
        creditor,
        amount_minor,
        currency,
        debtor,
        reference,
        message,
        bill_information,
        alternative_schemes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(reference_type: &str, reference: &str, account: &str) -> String {
        [
            "SPC",
            "0200",
            "1",
            account,
            "S",
            "Muster AG",
            "Bahnhofstrasse",
            "1",
            "8000",
            "Zürich",
            "CH",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "1234.50",
            "CHF",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            reference_type,
            reference,
            "Rechnung 42",
            "EPD",
        ]
        .join("\n")
    }

    #[test]
    fn a_qr_bill_is_read_field_by_field() {
        let bill = parse(&payload(
            "QRR",
            "210000000003139471430009017",
            "CH4431999123000889012",
        ))
        .unwrap();
        assert_eq!(bill.account, "CH4431999123000889012");
        assert_eq!(bill.creditor.name, "Muster AG");
        assert_eq!(bill.amount_minor, Some(123_450));
        assert_eq!(bill.currency, Currency::CHF);
        assert_eq!(
            bill.reference,
            Reference::Qrr("210000000003139471430009017".into())
        );
        assert_eq!(bill.message, "Rechnung 42");
        assert_eq!(bill.debtor, None);
    }

    #[test]
    fn references_must_fit_the_account() {
        // A QR reference needs a QR-IBAN; a creditor reference or none a plain IBAN.
        assert_eq!(
            parse(&payload(
                "QRR",
                "210000000003139471430009017",
                "CH9300762011623852957"
            )),
            Err(ScanError::Invalid("reference"))
        );
        assert_eq!(
            parse(&payload("NON", "", "CH4431999123000889012")),
            Err(ScanError::Invalid("reference"))
        );
        assert!(parse(&payload(
            "SCOR",
            "RF18539007547034",
            "CH9300762011623852957"
        ))
        .is_ok());
        assert!(parse(&payload("NON", "", "CH9300762011623852957")).is_ok());
        assert_eq!(
            parse(&payload(
                "QRR",
                "210000000003139471430009018",
                "CH4431999123000889012"
            )),
            Err(ScanError::Invalid("reference")),
            "a wrong check digit"
        );
    }

    #[test]
    fn broken_payloads_name_what_is_wrong() {
        assert_eq!(parse("hello"), Err(ScanError::NotQrBill));
        assert_eq!(parse(""), Err(ScanError::NotQrBill));
        assert_eq!(
            parse("SPC\n0200\n1"),
            Err(ScanError::Invalid("number of lines"))
        );
        let good = payload("NON", "", "CH9300762011623852957");
        assert_eq!(
            parse(&good.replace("0200", "0100")),
            Err(ScanError::Invalid("version"))
        );
        assert_eq!(
            parse(&good.replace("1234.50", "12.5")),
            Err(ScanError::Invalid("amount"))
        );
        assert_eq!(
            parse(&good.replace("1234.50", "-1.00")),
            Err(ScanError::Invalid("amount"))
        );
        assert_eq!(
            parse(&good.replace("CHF", "USD")),
            Err(ScanError::Invalid("currency"))
        );
        assert_eq!(
            parse(&good.replace("EPD", "END")),
            Err(ScanError::Invalid("trailer"))
        );
        assert_eq!(
            parse(&good.replace("CH9300762011623852957", "CH9300762011623852958")),
            Err(ScanError::Invalid("account"))
        );
        assert!(
            parse(&good.replace('\n', "\r\n")).is_ok(),
            "CR LF separators"
        );
    }
}
