//! IBANs and payment references: the checks the Swiss QR-bill relies on.
//!
//! - IBAN: ISO 13616, mod-97 check; a QR-IBAN is a Swiss/Liechtenstein IBAN whose institution id
//!   (positions 5–9) is 30000–31999, and it requires a QR reference.
//! - QR reference (QRR): 27 digits, the last a modulo-10 recursive check digit.
//! - Creditor reference (SCOR): ISO 11649, `RF` + 2 check digits + up to 21 characters.

/// Removes spaces and upper-cases an IBAN or reference as typed.
pub fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// ISO 7064 mod 97-10 over alphanumerics (letters count as 10–35).
fn mod97(text: &str) -> Option<u32> {
    let mut remainder: u32 = 0;
    for c in text.chars() {
        let value = c.to_digit(36)?;
        if value >= 10 {
            remainder = (remainder * 100 + value) % 97;
        } else {
            remainder = (remainder * 10 + value) % 97;
        }
    }
    Some(remainder)
}

/// An IBAN for a country code and a national account number (BBAN), with its check digits.
pub fn iban_from(country: &str, bban: &str) -> Option<String> {
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let remainder = mod97(&format!("{bban}{country}00"))?;
    Some(format!("{country}{:02}{bban}", 98 - remainder))
}

/// Whether `iban` (compact) has a valid structure and check digits.
pub fn iban_is_valid(iban: &str) -> bool {
    let iban = compact(iban);
    // ASCII first: the slices below are byte offsets.
    if !iban.is_ascii()
        || !(15..=34).contains(&iban.len())
        || !iban[..2].chars().all(|c| c.is_ascii_uppercase())
        || !iban[2..4].chars().all(|c| c.is_ascii_digit())
        || !iban.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return false;
    }
    if matches!(&iban[..2], "CH" | "LI") && iban.len() != 21 {
        return false;
    }
    let rearranged = format!("{}{}", &iban[4..], &iban[..4]);
    mod97(&rearranged) == Some(1)
}

/// Whether `iban` is a QR-IBAN (Swiss/Liechtenstein, institution id 30000–31999).
pub fn is_qr_iban(iban: &str) -> bool {
    let iban = compact(iban);
    iban_is_valid(&iban)
        && matches!(&iban[..2], "CH" | "LI")
        && iban[4..9]
            .parse::<u32>()
            .is_ok_and(|iid| (30000..=31999).contains(&iid))
}

/// Groups an IBAN or reference in blocks (`CH44 3199 9123 ...`) for printing.
pub fn group(text: &str, first: usize, size: usize) -> String {
    let chars: Vec<char> = compact(text).chars().collect();
    let (head, rest) = chars.split_at(first.min(chars.len()));
    let mut out: String = head.iter().collect();
    for chunk in rest.chunks(size.max(1)) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(chunk);
    }
    out
}

/// The modulo-10 recursive check digit (SIX/PostFinance) of a digit string.
pub fn mod10_recursive(digits: &str) -> Option<u8> {
    const TABLE: [u8; 10] = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5];
    let mut carry = 0u8;
    for c in digits.chars() {
        let d = c.to_digit(10)? as u8;
        carry = TABLE[((carry + d) % 10) as usize];
    }
    Some((10 - carry) % 10)
}

/// A QR reference from up to 26 payload digits (left-padded with zeros) plus the check digit.
pub fn qrr_from_digits(payload: &str) -> Option<String> {
    // All zeros is not a reference (a QRR must not be zero), whatever its length.
    if payload.len() > 26
        || !payload.chars().all(|c| c.is_ascii_digit())
        || !payload.chars().any(|c| c != '0')
    {
        return None;
    }
    let padded = format!("{payload:0>26}");
    let check = mod10_recursive(&padded)?;
    Some(format!("{padded}{check}"))
}

/// Whether `reference` is a valid QR reference (27 digits, correct check digit, not all zeros).
pub fn qrr_is_valid(reference: &str) -> bool {
    let r = compact(reference);
    r.len() == 27
        && r.chars().all(|c| c.is_ascii_digit())
        && r.chars().any(|c| c != '0')
        && mod10_recursive(&r[..26]) == r[26..].parse::<u8>().ok()
}

/// An ISO 11649 creditor reference (`RFxx…`) for an alphanumeric payload of 1–21 characters.
pub fn scor_from(payload: &str) -> Option<String> {
    let payload = compact(payload);
    if payload.is_empty()
        || payload.len() > 21
        || !payload.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    let remainder = mod97(&format!("{payload}RF00"))?;
    Some(format!("RF{:02}{payload}", 98 - remainder))
}

/// Whether `reference` is a valid ISO 11649 creditor reference.
pub fn scor_is_valid(reference: &str) -> bool {
    let r = compact(reference);
    r.is_ascii()
        && (5..=25).contains(&r.len())
        && r.starts_with("RF")
        && r[2..4].chars().all(|c| c.is_ascii_digit())
        && r[4..].chars().all(|c| c.is_ascii_alphanumeric())
        && mod97(&format!("{}{}", &r[4..], &r[..4])) == Some(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ibans_are_valid() {
        let iban = iban_from("CH", "00767001000000000").unwrap();
        assert!(iban_is_valid(&iban), "{iban}");
        assert_eq!(
            iban_from("CH", "00767001000000000"),
            Some("CH1600767001000000000".to_owned())
        );
        assert_eq!(iban_from("ch", "1"), None);
    }

    #[test]
    fn ibans() {
        // SIX's sample QR-IBAN and a regular Swiss IBAN.
        assert!(iban_is_valid("CH44 3199 9123 0008 8901 2"));
        assert!(is_qr_iban("CH4431999123000889012"));
        assert!(iban_is_valid("CH9300762011623852957"));
        assert!(!is_qr_iban("CH9300762011623852957"));
        assert!(
            !iban_is_valid("CH9300762011623852958"),
            "wrong check digits"
        );
        assert!(!iban_is_valid("CH930076201162385295"), "wrong length");
        assert!(iban_is_valid("DE89370400440532013000"));
        assert!(!is_qr_iban("DE89370400440532013000"));
        assert_eq!(
            group("CH4431999123000889012", 4, 4),
            "CH44 3199 9123 0008 8901 2"
        );
    }

    #[test]
    fn qr_references() {
        // From the SIX implementation guidelines.
        assert!(qrr_is_valid("21 00000 00003 13947 14300 09017"));
        assert!(!qrr_is_valid("210000000003139471430009018"));
        assert_eq!(
            qrr_from_digits("21000000000313947143000901").as_deref(),
            Some("210000000003139471430009017")
        );
        assert_eq!(
            mod10_recursive("31394714300090"),
            mod10_recursive("0000000000031394714300090")
        );
        assert!(!qrr_is_valid("000000000000000000000000000"));
        assert_eq!(qrr_from_digits("1").map(|r| r.len()), Some(27));
        assert_eq!(qrr_from_digits("12a"), None);
        assert_eq!(qrr_from_digits("000"), None, "a zero reference is not one");
        assert_eq!(qrr_from_digits(""), None);
    }

    #[test]
    fn creditor_references() {
        // ISO 11649's own example.
        assert!(scor_is_valid("RF18 5390 0754 7034"));
        assert_eq!(
            scor_from("539007547034").as_deref(),
            Some("RF18539007547034")
        );
        assert!(!scor_is_valid("RF19539007547034"));
        assert!(scor_is_valid(&scor_from("INV2026000123").unwrap()));
        assert_eq!(scor_from(""), None);
        assert_eq!(scor_from("X".repeat(22).as_str()), None);
    }
}
