//! How dates and amounts are written for people, per language (the browser and the PDFs use
//! the same functions). Values cross the wire and sit in inputs as ISO dates; they are shown
//! the Swiss way: 02.12.2026 in French and German, 2 Dec 2026 in English.

use crate::i18n::Locale;

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An ISO date (`YYYY-MM-DD`, or the date part of a timestamp) as the locale writes it; text
/// that is not such a date is returned unchanged.
pub fn date(locale: Locale, iso: &str) -> String {
    let day_part = iso.get(..10).unwrap_or(iso);
    let mut parts = day_part.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return iso.to_owned();
    };
    let (Ok(month), Ok(day)) = (m.parse::<usize>(), d.parse::<u32>()) else {
        return iso.to_owned();
    };
    if y.len() != 4 || !y.chars().all(|c| c.is_ascii_digit()) || !(1..=12).contains(&month) {
        return iso.to_owned();
    }
    match locale {
        Locale::Fr | Locale::De => format!("{d}.{m}.{y}"),
        Locale::En => format!("{day} {} {y}", MONTHS_EN[month - 1]),
    }
}

/// Minor units grouped by thousands with a space, as the QR-bill payment part wants them
/// (SIX style guide): `1 234.50`.
pub fn six_amount(minor: i64) -> String {
    super::money::format_minor(minor).replace('\'', " ")
}

/// An IBAN (or reference) in groups of four, as it is printed: `CH93 0076 2011 6238 5295 7`.
pub fn iban(text: &str) -> String {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_the_swiss_way() {
        assert_eq!(date(Locale::Fr, "2026-12-02"), "02.12.2026");
        assert_eq!(date(Locale::De, "2026-01-31"), "31.01.2026");
        assert_eq!(date(Locale::En, "2026-12-02"), "2 Dec 2026");
        assert_eq!(date(Locale::De, "2026-12-02T10:15:00Z"), "02.12.2026");
        assert_eq!(date(Locale::Fr, "not a date"), "not a date");
        assert_eq!(date(Locale::Fr, "2026-13-02"), "2026-13-02");
    }

    #[test]
    fn amounts_on_the_payment_part() {
        assert_eq!(six_amount(123_456_789), "1 234 567.89");
        assert_eq!(six_amount(5), "0.05");
    }
}
