//! The Swiss QR-bill payload (SIX Implementation Guidelines v2.3): `SPC` / `0200` / coding `1`,
//! structured addresses (`S`), reference rules, `EPD` trailer, optional bill information.

use super::money::{format_plain, Currency};
use super::reference::{compact, iban_is_valid, is_qr_iban, qrr_is_valid, scor_is_valid};

/// A structured (`S`) address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Address {
    /// Name or company (≤ 70).
    pub name: String,
    /// Street (≤ 70, may be empty).
    pub street: String,
    /// Building number (≤ 16, may be empty).
    pub building_number: String,
    /// Postal code (≤ 16).
    pub postal_code: String,
    /// Town (≤ 35).
    pub town: String,
    /// ISO 3166 two-letter country.
    pub country: String,
}

/// The payment reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reference {
    /// QR reference (27 digits); only with a QR-IBAN.
    Qrr(String),
    /// ISO 11649 creditor reference; only with a regular IBAN.
    Scor(String),
    /// No reference; only with a regular IBAN.
    None,
}

/// Everything the payment part encodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrBill {
    /// Creditor account (IBAN or QR-IBAN, CH/LI).
    pub account: String,
    /// Creditor.
    pub creditor: Address,
    /// Amount in minor units; `None` leaves it blank for the payer to fill in.
    pub amount_minor: Option<i64>,
    /// CHF or EUR.
    pub currency: Currency,
    /// Ultimate debtor, if known.
    pub debtor: Option<Address>,
    /// Reference.
    pub reference: Reference,
    /// Unstructured message (≤ 140 together with the bill information).
    pub message: String,
    /// Structured bill information (Swico S1), e.g. `//S1/10/INV-2026-0001/11/261125`.
    pub bill_information: String,
}

/// Why a QR-bill cannot be produced.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QrBillError {
    /// The account is not a valid IBAN.
    #[error("the account is not a valid IBAN")]
    InvalidIban,
    /// QR-bills are for Swiss and Liechtenstein accounts.
    #[error("the account must be a Swiss or Liechtenstein IBAN")]
    NotChOrLi,
    /// A QR-IBAN requires a QR reference.
    #[error("a QR-IBAN requires a QR reference (QRR)")]
    QrIbanNeedsQrr,
    /// A QR reference requires a QR-IBAN.
    #[error("a QR reference requires a QR-IBAN")]
    QrrNeedsQrIban,
    /// The reference's check digits or shape are wrong.
    #[error("the payment reference is invalid")]
    InvalidReference,
    /// Amount must be 0.01 to 999'999'999.99.
    #[error("the amount must be between 0.01 and 999'999'999.99")]
    AmountOutOfRange,
    /// Only CHF and EUR are allowed.
    #[error("the QR-bill currency must be CHF or EUR")]
    CurrencyNotAllowed,
    /// A field is too long.
    #[error("{0} is too long")]
    TooLong(&'static str),
    /// A required field is empty.
    #[error("{0} is required")]
    Missing(&'static str),
    /// A field holds characters the QR-bill cannot carry (line breaks, control characters).
    #[error("{0} contains characters not allowed in a QR-bill")]
    BadCharacters(&'static str),
}

fn check_text(
    field: &'static str,
    value: &str,
    max: usize,
    required: bool,
) -> Result<(), QrBillError> {
    if required && value.trim().is_empty() {
        return Err(QrBillError::Missing(field));
    }
    if value.chars().count() > max {
        return Err(QrBillError::TooLong(field));
    }
    if value.chars().any(char::is_control) {
        return Err(QrBillError::BadCharacters(field));
    }
    Ok(())
}

fn check_address(prefix: &'static str, a: &Address) -> Result<(), QrBillError> {
    check_text(prefix, &a.name, 70, true)?;
    check_text("street", &a.street, 70, false)?;
    check_text("building number", &a.building_number, 16, false)?;
    check_text("postal code", &a.postal_code, 16, true)?;
    check_text("town", &a.town, 35, true)?;
    if a.country.len() != 2 || !a.country.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(QrBillError::Missing("country"));
    }
    Ok(())
}

fn push_address(lines: &mut Vec<String>, a: &Address) {
    lines.extend([
        "S".to_owned(),
        a.name.trim().to_owned(),
        a.street.trim().to_owned(),
        a.building_number.trim().to_owned(),
        a.postal_code.trim().to_owned(),
        a.town.trim().to_owned(),
        a.country.clone(),
    ]);
}

impl QrBill {
    /// Checks every rule of the guidelines this platform relies on.
    pub fn validate(&self) -> Result<(), QrBillError> {
        let account = compact(&self.account);
        if !iban_is_valid(&account) {
            return Err(QrBillError::InvalidIban);
        }
        if !matches!(&account[..2], "CH" | "LI") {
            return Err(QrBillError::NotChOrLi);
        }
        let qr_iban = is_qr_iban(&account);
        match &self.reference {
            Reference::Qrr(_) if !qr_iban => return Err(QrBillError::QrrNeedsQrIban),
            Reference::Qrr(r) if !qrr_is_valid(r) => return Err(QrBillError::InvalidReference),
            Reference::Scor(_) | Reference::None if qr_iban => {
                return Err(QrBillError::QrIbanNeedsQrr)
            }
            Reference::Scor(r) if !scor_is_valid(r) => return Err(QrBillError::InvalidReference),
            _ => {}
        }
        if !matches!(self.currency, Currency::CHF | Currency::EUR) {
            return Err(QrBillError::CurrencyNotAllowed);
        }
        if let Some(amount) = self.amount_minor {
            if !(1..=99_999_999_999).contains(&amount) {
                return Err(QrBillError::AmountOutOfRange);
            }
        }
        check_address("creditor", &self.creditor)?;
        if let Some(debtor) = &self.debtor {
            check_address("debtor", debtor)?;
        }
        check_text("message", &self.message, 140, false)?;
        check_text("bill information", &self.bill_information, 140, false)?;
        if self.message.chars().count() + self.bill_information.chars().count() > 140 {
            return Err(QrBillError::TooLong("message and bill information"));
        }
        Ok(())
    }

    /// The QR code's text: fields separated by line feeds, in the order of the guidelines.
    pub fn payload(&self) -> Result<String, QrBillError> {
        self.validate()?;
        let mut lines: Vec<String> = vec![
            "SPC".into(),
            "0200".into(),
            "1".into(),
            compact(&self.account),
        ];
        push_address(&mut lines, &self.creditor);
        // Ultimate creditor: reserved, seven empty fields.
        lines.extend(std::iter::repeat_n(String::new(), 7));
        lines.push(self.amount_minor.map(format_plain).unwrap_or_default());
        lines.push(self.currency.code().to_owned());
        match &self.debtor {
            Some(d) => push_address(&mut lines, d),
            None => lines.extend(std::iter::repeat_n(String::new(), 7)),
        }
        let (kind, reference) = match &self.reference {
            Reference::Qrr(r) => ("QRR", compact(r)),
            Reference::Scor(r) => ("SCOR", compact(r)),
            Reference::None => ("NON", String::new()),
        };
        lines.push(kind.into());
        lines.push(reference);
        lines.push(self.message.trim().to_owned());
        lines.push("EPD".into());
        if !self.bill_information.is_empty() {
            lines.push(self.bill_information.clone());
        }
        Ok(lines.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::reference::scor_from;

    fn creditor() -> Address {
        Address {
            name: "HYPERVISUAL SA".into(),
            street: "Route de la Glâne".into(),
            building_number: "107".into(),
            postal_code: "1700".into(),
            town: "Fribourg".into(),
            country: "CH".into(),
        }
    }

    fn bill() -> QrBill {
        QrBill {
            account: "CH44 3199 9123 0008 8901 2".into(),
            creditor: creditor(),
            amount_minor: Some(194_975),
            currency: Currency::CHF,
            debtor: Some(Address {
                name: "Helvetia Events SA".into(),
                street: "Avenue de la Gare".into(),
                building_number: "12".into(),
                postal_code: "1003".into(),
                town: "Lausanne".into(),
                country: "CH".into(),
            }),
            reference: Reference::Qrr("210000000003139471430009017".into()),
            message: "Invoice INV-2026-0001".into(),
            bill_information: "//S1/10/INV-2026-0001".into(),
        }
    }

    #[test]
    fn payload_follows_the_guidelines_field_by_field() {
        let payload = bill().payload().unwrap();
        let lines: Vec<&str> = payload.split('\n').collect();
        assert_eq!(&lines[..4], ["SPC", "0200", "1", "CH4431999123000889012"]);
        assert_eq!(
            &lines[4..11],
            [
                "S",
                "HYPERVISUAL SA",
                "Route de la Glâne",
                "107",
                "1700",
                "Fribourg",
                "CH"
            ]
        );
        assert!(
            lines[11..18].iter().all(|l| l.is_empty()),
            "ultimate creditor left empty"
        );
        assert_eq!(&lines[18..20], ["1949.75", "CHF"]);
        assert_eq!(lines[20], "S");
        assert_eq!(
            &lines[27..31],
            [
                "QRR",
                "210000000003139471430009017",
                "Invoice INV-2026-0001",
                "EPD"
            ]
        );
        assert_eq!(lines[31], "//S1/10/INV-2026-0001");
        assert_eq!(lines.len(), 32);
    }

    #[test]
    fn iban_and_reference_must_match() {
        let mut b = bill();
        b.reference = Reference::Scor(scor_from("INV20260001").unwrap());
        assert_eq!(b.validate(), Err(QrBillError::QrIbanNeedsQrr));
        b.account = "CH9300762011623852957".into();
        assert_eq!(b.validate(), Ok(()));
        b.reference = Reference::Qrr("210000000003139471430009017".into());
        assert_eq!(b.validate(), Err(QrBillError::QrrNeedsQrIban));
        b.reference = Reference::None;
        assert!(b.payload().unwrap().contains("\nNON\n\n"));
        b.reference = Reference::Scor("RF19539007547034".into());
        assert_eq!(b.validate(), Err(QrBillError::InvalidReference));
    }

    #[test]
    fn bad_input_is_refused_with_a_reason() {
        let mut b = bill();
        b.account = "CH4431999123000889013".into();
        assert_eq!(b.validate(), Err(QrBillError::InvalidIban));
        let mut b = bill();
        b.account = "DE89370400440532013000".into();
        assert_eq!(b.validate(), Err(QrBillError::NotChOrLi));
        let mut b = bill();
        b.reference = Reference::Qrr("210000000003139471430009018".into());
        assert_eq!(b.validate(), Err(QrBillError::InvalidReference));
        for amount in [0, -5, 100_000_000_000] {
            let mut b = bill();
            b.amount_minor = Some(amount);
            assert_eq!(b.validate(), Err(QrBillError::AmountOutOfRange), "{amount}");
        }
        let mut b = bill();
        b.amount_minor = Some(99_999_999_999);
        assert!(b.validate().is_ok(), "the maximum is allowed");
        let mut b = bill();
        b.currency = Currency::USD;
        assert_eq!(b.validate(), Err(QrBillError::CurrencyNotAllowed));
        let mut b = bill();
        b.creditor.name = "x".repeat(71);
        assert_eq!(b.validate(), Err(QrBillError::TooLong("creditor")));
        let mut b = bill();
        b.message = "line\nbreak".into();
        assert_eq!(b.validate(), Err(QrBillError::BadCharacters("message")));
        let mut b = bill();
        b.message = "m".repeat(100);
        b.bill_information = "b".repeat(41);
        assert_eq!(
            b.validate(),
            Err(QrBillError::TooLong("message and bill information"))
        );
    }

    #[test]
    fn open_amount_and_unknown_debtor() {
        let mut b = bill();
        b.amount_minor = None;
        b.debtor = None;
        let payload = b.payload().unwrap();
        let lines: Vec<&str> = payload.split('\n').collect();
        assert_eq!(lines[18], "");
        assert!(lines[20..27].iter().all(|l| l.is_empty()));
    }
}
