//! Money in integer minor units (centimes), never floats; quantities in thousandths.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A currency the platform invoices in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Currency {
    /// Swiss franc.
    CHF,
    /// Euro.
    EUR,
    /// US dollar.
    USD,
}

impl Currency {
    /// Every currency, in menu order.
    pub const ALL: [Currency; 3] = [Currency::CHF, Currency::EUR, Currency::USD];

    /// ISO 4217 code.
    pub const fn code(self) -> &'static str {
        match self {
            Currency::CHF => "CHF",
            Currency::EUR => "EUR",
            Currency::USD => "USD",
        }
    }

    /// Parses an ISO 4217 code.
    pub fn parse(code: &str) -> Option<Currency> {
        Currency::ALL
            .into_iter()
            .find(|c| c.code() == code.trim().to_ascii_uppercase())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Divides rounding half away from zero (commercial rounding).
pub fn div_round(numerator: i128, denominator: i128) -> i128 {
    debug_assert!(denominator > 0);
    let half = denominator / 2;
    if numerator >= 0 {
        (numerator + half) / denominator
    } else {
        -((-numerator + half) / denominator)
    }
}

/// Rounds centimes to the nearest 5 centimes (Swiss cash rounding), half away from zero.
pub fn round_to_5_centimes(minor: i64) -> i64 {
    (div_round(minor as i128, 5) * 5) as i64
}

/// Formats minor units as `1'234.50` (Swiss thousands separator), no currency.
pub fn format_minor(minor: i64) -> String {
    let negative = minor < 0;
    let abs = minor.unsigned_abs();
    let units = (abs / 100).to_string();
    let mut grouped = String::with_capacity(units.len() + units.len() / 3);
    for (i, ch) in units.chars().enumerate() {
        if i > 0 && (units.len() - i) % 3 == 0 {
            grouped.push('\'');
        }
        grouped.push(ch);
    }
    format!(
        "{}{}.{:02}",
        if negative { "-" } else { "" },
        grouped,
        abs % 100
    )
}

/// Formats minor units as a plain decimal (`1234.50`), e.g. for the QR-bill and CSV.
pub fn format_plain(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Why an amount or quantity could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// Not a number with at most the allowed decimals.
    Invalid,
    /// Too large.
    Overflow,
}

fn parse_scaled(text: &str, decimals: u32) -> Result<i64, ParseError> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, '\'' | '’' | ' ' | '_'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let (negative, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
        || fraction.len() > decimals as usize
    {
        return Err(ParseError::Invalid);
    }
    let scale = 10i64.pow(decimals);
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| ParseError::Overflow)?
    };
    let mut frac: i64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().map_err(|_| ParseError::Invalid)?
    };
    frac *= 10i64.pow(decimals - fraction.len() as u32);
    let value = whole
        .checked_mul(scale)
        .and_then(|v| v.checked_add(frac))
        .ok_or(ParseError::Overflow)?;
    Ok(if negative { -value } else { value })
}

/// Parses `1'234.50`, `1234,5` or `12` into minor units.
pub fn parse_minor(text: &str) -> Result<i64, ParseError> {
    parse_scaled(text, 2)
}

/// Parses a quantity such as `2.5` into thousandths.
pub fn parse_quantity(text: &str) -> Result<i64, ParseError> {
    parse_scaled(text, 3)
}

/// Formats thousandths as a short decimal (`2.5`, `1`, `0.125`).
pub fn format_quantity(milli: i64) -> String {
    let sign = if milli < 0 { "-" } else { "" };
    let abs = milli.unsigned_abs();
    let whole = abs / 1000;
    let frac = abs % 1000;
    if frac == 0 {
        format!("{sign}{whole}")
    } else {
        let digits = format!("{frac:03}");
        format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
    }
}

/// Formats basis points as a percentage (`810` → `8.1`).
pub fn format_percent_bp(bp: i32) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let abs = bp.unsigned_abs();
    let whole = abs / 100;
    let frac = abs % 100;
    if frac == 0 {
        format!("{sign}{whole}")
    } else {
        format!(
            "{sign}{whole}.{}",
            format!("{frac:02}").trim_end_matches('0')
        )
    }
}

/// Parses a percentage (`8.1`, `30`) into basis points.
pub fn parse_percent_bp(text: &str) -> Result<i32, ParseError> {
    let value = parse_scaled(text.trim().trim_end_matches('%'), 2)?;
    i32::try_from(value).map_err(|_| ParseError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(div_round(5, 10), 1);
        assert_eq!(div_round(4, 10), 0);
        assert_eq!(div_round(-5, 10), -1);
        assert_eq!(div_round(-4, 10), 0);
        assert_eq!(round_to_5_centimes(1002), 1000);
        assert_eq!(round_to_5_centimes(1003), 1005);
        assert_eq!(round_to_5_centimes(1007), 1005);
        assert_eq!(round_to_5_centimes(1008), 1010);
        assert_eq!(round_to_5_centimes(-1003), -1005);
    }

    #[test]
    fn formats_swiss_style() {
        assert_eq!(format_minor(123_456_789), "1'234'567.89");
        assert_eq!(format_minor(5), "0.05");
        assert_eq!(format_minor(-100_000), "-1'000.00");
        assert_eq!(format_plain(194_975), "1949.75");
        assert_eq!(format_quantity(2_500), "2.5");
        assert_eq!(format_quantity(1_000), "1");
        assert_eq!(format_quantity(125), "0.125");
        assert_eq!(format_percent_bp(810), "8.1");
        assert_eq!(format_percent_bp(3000), "30");
    }

    #[test]
    fn parses_human_input() {
        assert_eq!(parse_minor("1'234.50"), Ok(123_450));
        assert_eq!(parse_minor("1234,5"), Ok(123_450));
        assert_eq!(parse_minor("12"), Ok(1_200));
        assert_eq!(parse_minor(".05"), Ok(5));
        assert_eq!(parse_minor("1.234"), Err(ParseError::Invalid));
        assert_eq!(parse_minor("abc"), Err(ParseError::Invalid));
        assert_eq!(parse_minor(""), Err(ParseError::Invalid));
        assert_eq!(
            parse_minor("99999999999999999999"),
            Err(ParseError::Overflow)
        );
        assert_eq!(parse_quantity("2.5"), Ok(2_500));
        assert_eq!(parse_percent_bp("8.1%"), Ok(810));
        assert_eq!(Currency::parse("eur"), Some(Currency::EUR));
        assert_eq!(Currency::parse("GBP"), None);
    }
}
