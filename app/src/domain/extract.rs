//! Reading a supplier invoice's text (its PDF text layer, or what OCR read from its image): the
//! invoice number, dates, total and currency, VAT number, IBAN — each with how sure the rule is.
//! Labels in English, French, German and Dutch; amounts and dates the ways those write them.

use regex::Regex;
use std::sync::LazyLock;
use time::{Date, Month};

use super::reference::{compact, iban_is_valid};

/// A value read, and how sure the rule that read it is (0–100).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found<T> {
    /// The value.
    pub value: T,
    /// 0–100.
    pub confidence: u8,
}

fn found<T>(value: T, confidence: u8) -> Option<Found<T>> {
    Some(Found { value, confidence })
}

/// What the text says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The supplier's invoice number.
    pub number: Option<Found<String>>,
    /// Invoice date.
    pub issue_date: Option<Found<Date>>,
    /// Due date.
    pub due_date: Option<Found<Date>>,
    /// Total to pay, minor units.
    pub total_minor: Option<Found<i64>>,
    /// ISO currency of the total.
    pub currency: Option<Found<String>>,
    /// VAT amount, minor units.
    pub vat_minor: Option<Found<i64>>,
    /// The supplier's VAT number (`CHE-123.456.789 MWST`, or a European one).
    pub vat_number: Option<Found<String>>,
    /// The supplier's IBAN (check digits valid).
    pub iban: Option<Found<String>>,
}

/// Folds case and the accents that vary between typings of a label.
fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'é' | 'è' | 'ê' => 'e',
            'à' | 'â' => 'a',
            'ä' => 'a',
            'ö' => 'o',
            'ü' => 'u',
            'º' | '°' => 'o',
            other => other,
        })
        .collect()
}

static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    // 1'234.50 · 1,234.50 · 1.234,50 · 1 234,50 · 34,73 · 279.84 · 1939
    Regex::new(
        r"(?:^|[^\d.,'’])(\d{1,3}(?:[’',. ]\d{3})+(?:[.,]\d{2})?|\d+(?:[.,]\d{2})?)(?:$|[^\d])",
    )
    .unwrap()
});
static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b").unwrap()
});
static WORD_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})\.?\s+([a-zéûä]{3,10})\.?\s+(\d{4})\b|\b([a-z]{3,10})\.?\s+(\d{1,2})\s*,\s*(\d{4})\b").unwrap()
});
static CHE_VAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"CHE[-\s]?(\d{3})[.\s]?(\d{3})[.\s]?(\d{3})(?:\s*(MWST|TVA|IVA|VAT))?").unwrap()
});
static EU_VAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(DE\s?\d{3}\s?\d{3}\s?\d{3}|NL\s?\d{9}\s?B\d{2}|FR\s?[0-9A-Z]{2}\s?\d{9}|AT\s?U\d{8}|IT\s?\d{11})\b").unwrap()
});
static IBAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?)\b").unwrap()
});
static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"#?\s*([A-Za-z0-9][A-Za-z0-9/_.\-]*\d[A-Za-z0-9/_.\-]*)").unwrap()
});

/// Parses an amount as written (`1'234.50`, `1.234,50`, `34,73`, `1939`) into minor units.
pub fn parse_amount(text: &str) -> Option<i64> {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\'' && *c != '’')
        .collect();
    let (units, cents) = match (t.rfind('.'), t.rfind(',')) {
        (Some(d), Some(c)) if d > c => (t[..d].replace(',', ""), &t[d + 1..]),
        (Some(d), Some(c)) if c > d => (t[..c].replace('.', ""), &t[c + 1..]),
        (Some(d), None) if t.len() - d == 3 => (t[..d].to_owned(), &t[d + 1..]),
        (None, Some(c)) if t.len() - c == 3 => (t[..c].to_owned(), &t[c + 1..]),
        // A separator followed by three digits groups thousands.
        (Some(_), None) | (None, Some(_)) => (t.replace(['.', ','], ""), ""),
        (None, None) => (t.clone(), ""),
        _ => return None,
    };
    let units: i64 = units.parse().ok()?;
    let cents: i64 = if cents.is_empty() {
        0
    } else {
        cents.parse().ok()?
    };
    units.checked_mul(100)?.checked_add(cents)
}

fn month(name: &str) -> Option<Month> {
    let n = fold(name);
    let n = n.trim_end_matches('.');
    let months: [(&[&str], Month); 12] = [
        (
            &["jan", "january", "januar", "janvier", "januari", "janv"],
            Month::January,
        ),
        (
            &[
                "feb", "february", "februar", "fevrier", "februari", "fev", "févr",
            ],
            Month::February,
        ),
        (
            &["mar", "march", "marz", "mars", "maart", "maerz"],
            Month::March,
        ),
        (&["apr", "april", "avril", "avr"], Month::April),
        (&["may", "mai", "mei"], Month::May),
        (&["jun", "june", "juni", "juin"], Month::June),
        (&["jul", "july", "juli", "juillet", "juil"], Month::July),
        (&["aug", "august", "aout", "augustus"], Month::August),
        (&["sep", "sept", "september", "septembre"], Month::September),
        (
            &["oct", "october", "oktober", "octobre", "okt"],
            Month::October,
        ),
        (&["nov", "november", "novembre"], Month::November),
        (
            &["dec", "december", "dezember", "decembre", "dez"],
            Month::December,
        ),
    ];
    months
        .iter()
        .find(|(names, _)| names.contains(&n))
        .map(|(_, m)| *m)
}

/// The first date written in `text` (numeric day-first, ISO, or with a month name).
pub fn parse_date(text: &str) -> Option<Date> {
    let numeric = NUMERIC_DATE.captures(text).and_then(|c| {
        if let (Some(d), Some(m), Some(y)) = (c.get(1), c.get(2), c.get(3)) {
            let (first, second): (u8, u8) = (d.as_str().parse().ok()?, m.as_str().parse().ok()?);
            let year = y.as_str().parse().ok()?;
            // Day first, as Europe writes it; month first when the day cannot be a month
            // (03/20/2023, as American invoices write it).
            let day_first = Month::try_from(second)
                .ok()
                .and_then(|month| Date::from_calendar_date(year, month, first).ok());
            day_first.or_else(|| {
                Date::from_calendar_date(year, Month::try_from(first).ok()?, second).ok()
            })
        } else {
            let (y, m, d) = (c.get(4)?, c.get(5)?, c.get(6)?);
            let month = Month::try_from(m.as_str().parse::<u8>().ok()?).ok()?;
            Date::from_calendar_date(y.as_str().parse().ok()?, month, d.as_str().parse().ok()?).ok()
        }
    });
    let worded = WORD_DATE.captures(text).and_then(|c| {
        if let (Some(d), Some(m), Some(y)) = (c.get(1), c.get(2), c.get(3)) {
            Date::from_calendar_date(
                y.as_str().parse().ok()?,
                month(m.as_str())?,
                d.as_str().parse().ok()?,
            )
            .ok()
        } else {
            let (m, d, y) = (c.get(4)?, c.get(5)?, c.get(6)?);
            Date::from_calendar_date(
                y.as_str().parse().ok()?,
                month(m.as_str())?,
                d.as_str().parse().ok()?,
            )
            .ok()
        }
    });
    // Whichever comes first in the text.
    match (numeric, worded) {
        (Some(a), Some(b)) => {
            let pa = NUMERIC_DATE
                .find(text)
                .map(|m| m.start())
                .unwrap_or(usize::MAX);
            let pb = WORD_DATE
                .find(text)
                .map(|m| m.start())
                .unwrap_or(usize::MAX);
            Some(if pa <= pb { a } else { b })
        }
        (a, b) => a.or(b),
    }
}

/// The lines of a text with their folded forms.
struct Lines<'a> {
    raw: Vec<&'a str>,
    folded: Vec<String>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let raw: Vec<&str> = text.lines().collect();
        let folded = raw.iter().map(|l| fold(l)).collect();
        Lines { raw, folded }
    }

    /// What follows `label` on its line (and, when nothing does, the next non-empty line from
    /// the label's column on): the places a value for that label can be.
    fn after(&self, label: &str) -> Vec<(usize, String)> {
        let mut places = Vec::new();
        for (i, line) in self.folded.iter().enumerate() {
            let mut from = 0;
            while let Some(at) = line[from..].find(label) {
                let start = from + at;
                // A label starts a word.
                let word_start = start == 0
                    || !line[..start]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric);
                from = start + label.len();
                if !word_start {
                    continue;
                }
                let raw = self.raw[i];
                // Byte offsets of the folded line equal the raw line's for ASCII labels; find the
                // raw position by character count to stay safe with accents.
                let chars_before = line[..start].chars().count() + label.chars().count();
                let rest: String = raw.chars().skip(chars_before).collect();
                places.push((i, rest.clone()));
                // Nothing but other labels after it: the value is in the column below.
                if !rest.chars().any(|c| c.is_ascii_digit()) {
                    let column = line[..start].chars().count();
                    if let Some(next) = self.raw[i + 1..].iter().find(|l| !l.trim().is_empty()) {
                        let below: String = next.chars().skip(column.saturating_sub(2)).collect();
                        places.push((i + 1, below));
                    }
                }
            }
        }
        places
    }
}

const NUMBER_LABELS: [&str; 17] = [
    "invoice number",
    "invoice no",
    "invoice #",
    "invoice nr",
    "rechnungsnummer",
    "rechnungsnr",
    "rechnung nr",
    "rechnungs-nr",
    "facture no",
    "facture n",
    "numero de facture",
    "no de facture",
    "factuurnummer",
    "factuur nr",
    "bill no",
    "receipt no",
    "booking id",
];
const DATE_LABELS: [&str; 10] = [
    "invoice date",
    "rechnungsdatum",
    "factuurdatum",
    "date de facture",
    "date de la facture",
    "datum",
    "date",
    "ausgestellt am",
    "issued on",
    "billing date",
];
const DUE_LABELS: [&str; 9] = [
    "due date",
    "payable until",
    "payable by",
    "zahlbar bis",
    "fallig am",
    "falligkeitsdatum",
    "echeance",
    "vervaldatum",
    "a payer avant le",
];
/// Total labels, most specific first.
const TOTAL_LABELS: [&str; 17] = [
    "total amount due",
    "amount due",
    "grand total",
    "total ttc",
    "total inkl",
    "rechnungsbetrag",
    "gesamtbetrag",
    "zu zahlen",
    "montant total",
    "montant a payer",
    "te betalen",
    "totaal",
    "total to pay",
    "total for this invoice",
    "total chf",
    "total eur",
    "total",
];

/// The currency an amount is written with on `line` (code or symbol).
fn currency_on(line: &str) -> Option<&'static str> {
    let upper = line.to_uppercase();
    if upper.contains("CHF") || upper.contains("FR.") {
        Some("CHF")
    } else if upper.contains("EUR") || line.contains('€') {
        Some("EUR")
    } else if upper.contains("USD") || line.contains("US$") || line.contains('$') {
        Some("USD")
    } else if upper.contains("GBP") || line.contains('£') {
        Some("GBP")
    } else if upper.contains("INR")
        || upper.contains("RS ")
        || upper.contains("RS.")
        || line.contains('₹')
    {
        Some("INR")
    } else {
        None
    }
}

/// The amounts written in `text`, left to right.
fn amounts_in(text: &str) -> Vec<i64> {
    AMOUNT
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        // A year or a long identifier is no amount.
        .filter(|m| {
            !(m.as_str().len() == 4
                && !m.as_str().contains(['.', ','])
                && m.as_str().starts_with("20"))
        })
        .filter_map(|m| parse_amount(m.as_str()))
        .collect()
}

/// Reads `text` (a text layer or OCR output).
pub fn extract(text: &str) -> Extracted {
    let lines = Lines::new(text);
    let mut out = Extracted::default();

    for (rank, label) in NUMBER_LABELS.iter().enumerate() {
        if let Some(value) = lines.after(label).iter().find_map(|(_, rest)| {
            let rest = rest.trim_start_matches([':', '.', ' ', '°', 'º', '\t']);
            TOKEN
                .captures(rest)
                .map(|c| c[1].trim_end_matches(['.', ',']).to_owned())
        }) {
            out.number = found(value, 90 - rank as u8);
            break;
        }
    }
    if out.number.is_none() {
        // "Invoice INV/2023/03/0008", "Rechnung 42": a heading followed by a number.
        for (i, line) in lines.folded.iter().enumerate() {
            let trimmed = line.trim_start();
            for heading in ["invoice ", "rechnung ", "facture ", "factuur "] {
                if let Some(rest) = trimmed.strip_prefix(heading) {
                    if let Some(c) = TOKEN.captures(rest.trim_start()) {
                        if rest.trim_start().starts_with(&c[1].to_lowercase()) {
                            // Counted in characters: the folded line's bytes differ from the
                            // raw line's where accents were folded.
                            let skipped = line.chars().count() - rest.trim_start().chars().count();
                            let raw: String = lines.raw[i].chars().skip(skipped).collect();
                            out.number = TOKEN
                                .captures(&raw)
                                .and_then(|c| found(c[1].to_owned(), 60));
                        }
                    }
                }
            }
            if out.number.is_some() {
                break;
            }
        }
    }

    for (rank, label) in DATE_LABELS.iter().enumerate() {
        if let Some(date) = lines
            .after(label)
            .iter()
            .find_map(|(_, rest)| parse_date(rest))
        {
            out.issue_date = found(date, 85 - (rank as u8) * 3);
            break;
        }
    }
    for label in DUE_LABELS {
        if let Some(date) = lines
            .after(label)
            .iter()
            .find_map(|(_, rest)| parse_date(rest))
        {
            out.due_date = found(date, 80);
            break;
        }
    }

    'total: for (rank, label) in TOTAL_LABELS.iter().enumerate() {
        // The last occurrence of a total label is the grand total (subtotals come before it).
        for (line, rest) in lines.after(label).into_iter().rev() {
            let rest_without_dates = NUMERIC_DATE.replace_all(&rest, " ");
            let rest_without_dates = WORD_DATE.replace_all(&rest_without_dates, " ");
            if let Some(amount) = amounts_in(&rest_without_dates).into_iter().last() {
                if amount > 0 {
                    out.total_minor = found(amount, 85 - rank as u8 * 2);
                    let currency = currency_on(&rest).or_else(|| currency_on(lines.raw[line]));
                    out.currency = currency.and_then(|c| found(c.to_owned(), 80));
                    break 'total;
                }
            }
        }
    }
    if out.currency.is_none() {
        let counts = ["CHF", "EUR", "USD", "GBP", "INR"].map(|c| {
            (
                c,
                lines
                    .raw
                    .iter()
                    .filter(|l| currency_on(l) == Some(c))
                    .count(),
            )
        });
        if let Some((c, n)) = counts.iter().max_by_key(|(_, n)| *n) {
            if *n > 0 {
                out.currency = found((*c).to_owned(), 50);
            }
        }
    }
    let total = out.total_minor.as_ref().map(|f| f.value);
    // The "MWST" of a UID ("CHE-123.456.789 MWST") names the number: neither it nor the line
    // under it holds the tax.
    let uid_line = |i: usize| CHE_VAT.is_match(lines.raw[i]);
    for label in ["mwst", "tva", "vat", "ust", "btw", "tax"] {
        for (i, rest) in lines.after(label) {
            let under_uid = i > 0 && uid_line(i - 1) && !lines.folded[i].contains(label);
            if uid_line(i) || under_uid {
                continue;
            }
            let amounts = amounts_in(&rest);
            // VAT is a fraction of the total (at most ~27 % in Europe): a larger figure on a
            // "VAT" line is a VAT number or a postcode, not the tax.
            let plausible = |a: &&i64| **a > 0 && total.is_none_or(|t| **a * 100 <= t * 30);
            if let Some(amount) = amounts.last().filter(plausible) {
                // "MWST 8.1% 123.45": the amount, not the rate.
                let only_a_rate = amounts.len() == 1
                    && rest.contains('%')
                    && rest.trim_start().starts_with(|c: char| c.is_ascii_digit());
                if !only_a_rate {
                    out.vat_minor = found(*amount, 60);
                    break;
                }
            }
        }
        if out.vat_minor.is_some() {
            break;
        }
    }

    if let Some(c) = CHE_VAT.captures(text) {
        let suffix = c
            .get(4)
            .map(|m| format!(" {}", m.as_str()))
            .unwrap_or_default();
        out.vat_number = found(format!("CHE-{}.{}.{}{suffix}", &c[1], &c[2], &c[3]), 95);
    } else if let Some(m) = EU_VAT.find(text) {
        out.vat_number = found(m.as_str().replace(' ', ""), 80);
    }
    out.iban = IBAN
        .captures_iter(text)
        .map(|c| compact(&c[1]))
        .find(|candidate| iban_is_valid(candidate))
        .and_then(|iban| found(iban, 90));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_the_ways_they_are_written() {
        assert_eq!(parse_amount("1'234.50"), Some(123_450));
        assert_eq!(parse_amount("1.234,50"), Some(123_450));
        assert_eq!(parse_amount("1,234.50"), Some(123_450));
        assert_eq!(parse_amount("34,73"), Some(3_473));
        assert_eq!(parse_amount("1939"), Some(193_900));
        assert_eq!(parse_amount("1 234,50"), Some(123_450));
    }

    #[test]
    fn dates_in_four_languages() {
        let d = |y, m, d| Date::from_calendar_date(y, m, d).unwrap();
        assert_eq!(parse_date("7. Mai 2014"), Some(d(2014, Month::May, 7)));
        assert_eq!(parse_date("19 april 2014"), Some(d(2014, Month::April, 19)));
        assert_eq!(
            parse_date("August 3 , 2014"),
            Some(d(2014, Month::August, 3))
        );
        assert_eq!(parse_date("28/11/2022"), Some(d(2022, Month::November, 28)));
        assert_eq!(parse_date("20-10-2015"), Some(d(2015, Month::October, 20)));
        assert_eq!(parse_date("2023-03-20"), Some(d(2023, Month::March, 20)));
        assert_eq!(
            parse_date("le 2 décembre 2026"),
            Some(d(2026, Month::December, 2))
        );
    }

    #[test]
    fn accents_before_a_number_neither_shift_nor_break_it() {
        assert_eq!(
            extract("Rechnung 12345 für Büroräume\n")
                .number
                .unwrap()
                .value,
            "12345"
        );
        assert_eq!(extract("Facture 42 éééé\n").number.unwrap().value, "42");
        assert_eq!(
            extract("  Fäcture 77 à régler\n").number.unwrap().value,
            "77"
        );
    }

    #[test]
    fn a_swiss_invoice_is_read() {
        let text =
            "Muster AG\nCHE-123.456.789 MWST\nRechnung Nr. 2026-0042\nRechnungsdatum: 02.12.2026\n\
                    Zahlbar bis 01.01.2027\nIBAN CH93 0076 2011 6238 5295 7\n\
                    Total exkl. MWST  1'000.00\nMWST 8.1%   81.00\nTotal CHF   1'081.00\n";
        let e = extract(text);
        assert_eq!(e.number.unwrap().value, "2026-0042");
        assert_eq!(
            e.issue_date.unwrap().value,
            Date::from_calendar_date(2026, Month::December, 2).unwrap()
        );
        assert_eq!(
            e.due_date.unwrap().value,
            Date::from_calendar_date(2027, Month::January, 1).unwrap()
        );
        assert_eq!(e.total_minor.unwrap().value, 108_100);
        assert_eq!(e.currency.unwrap().value, "CHF");
        assert_eq!(e.vat_number.unwrap().value, "CHE-123.456.789 MWST");
        assert_eq!(e.iban.unwrap().value, "CH9300762011623852957");
        assert_eq!(e.vat_minor.unwrap().value, 8_100);
    }
}
