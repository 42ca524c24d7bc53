//! Document number formats (a company setting): `INV-{YYYY}-{NNNN}` → `INV-2026-0042`.
//!
//! Tokens: `{YYYY}` or `{YY}` (the year: counters restart every year, so a format must name
//! it), `{N}`…`{NNNNNNNN}` (the counter, zero-padded to that many digits, never truncated) and
//! `{CODE}` (the company code). Around them: letters, digits and `- / _ .`.

/// Longest format accepted.
pub const MAX_FORMAT_CHARS: usize = 40;

/// Why a number format was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// No counter token, or more than one.
    Counter,
    /// No year token, or more than one.
    Year,
    /// An unknown token or a character outside the allowed set, or too long.
    Invalid,
}

enum Piece<'a> {
    Text(&'a str),
    Year4,
    Year2,
    Counter(usize),
    Code,
}

fn pieces(format: &str) -> Result<Vec<Piece<'_>>, FormatError> {
    if format.is_empty() || format.chars().count() > MAX_FORMAT_CHARS {
        return Err(FormatError::Invalid);
    }
    let mut out = Vec::new();
    let mut rest = format;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('{') {
            let end = after.find('}').ok_or(FormatError::Invalid)?;
            let token = &after[..end];
            out.push(match token {
                "YYYY" => Piece::Year4,
                "YY" => Piece::Year2,
                "CODE" => Piece::Code,
                n if !n.is_empty() && n.len() <= 8 && n.chars().all(|c| c == 'N') => {
                    Piece::Counter(n.len())
                }
                _ => return Err(FormatError::Invalid),
            });
            rest = &after[end + 1..];
        } else {
            let end = rest.find('{').unwrap_or(rest.len());
            let text = &rest[..end];
            if !text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '_' | '.'))
            {
                return Err(FormatError::Invalid);
            }
            out.push(Piece::Text(text));
            rest = &rest[end..];
        }
    }
    let counters = out
        .iter()
        .filter(|p| matches!(p, Piece::Counter(_)))
        .count();
    let years = out
        .iter()
        .filter(|p| matches!(p, Piece::Year4 | Piece::Year2))
        .count();
    if counters != 1 {
        return Err(FormatError::Counter);
    }
    if years != 1 {
        return Err(FormatError::Year);
    }
    Ok(out)
}

/// Checks a format before it is saved.
pub fn validate(format: &str) -> Result<(), FormatError> {
    pieces(format).map(|_| ())
}

/// The number `value` of `year` in `format`; a format that does not validate falls back to
/// the default shape `{prefix}-{YYYY}-{NNNN}` with `fallback_prefix` (formats are validated
/// when saved, so this only guards against a row edited by hand).
pub fn format(format: &str, year: i32, value: i32, code: &str, fallback_prefix: &str) -> String {
    let Ok(pieces) = pieces(format) else {
        return format!("{fallback_prefix}-{year}-{value:04}");
    };
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Year4 => out.push_str(&format!("{year:04}")),
            Piece::Year2 => out.push_str(&format!("{:02}", year.rem_euclid(100))),
            Piece::Counter(width) => out.push_str(&format!("{value:0width$}")),
            Piece::Code => out.push_str(code),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        assert_eq!(
            format("INV-{YYYY}-{NNNN}", 2026, 42, "HV", "INV"),
            "INV-2026-0042"
        );
        assert_eq!(
            format("{CODE}/{YY}/{NNN}", 2026, 7, "LEXAIA", "INV"),
            "LEXAIA/26/007"
        );
        assert_eq!(format("R{YYYY}{N}", 2026, 12345, "X", "INV"), "R202612345");
        assert_eq!(format("broken", 2026, 3, "X", "CN"), "CN-2026-0003");
    }

    #[test]
    fn refuses_formats_that_could_repeat_or_break_references() {
        assert_eq!(validate("INV-{NNNN}"), Err(FormatError::Year));
        assert_eq!(validate("INV-{YYYY}"), Err(FormatError::Counter));
        assert_eq!(validate("{YYYY}-{NN}-{NN}"), Err(FormatError::Counter));
        assert_eq!(validate("{YYYY}{YY}{N}"), Err(FormatError::Year));
        assert_eq!(validate("INV {YYYY}-{NNNN}"), Err(FormatError::Invalid));
        assert_eq!(
            validate("INV-{YYYY}-{NNNNNNNNN}"),
            Err(FormatError::Invalid)
        );
        assert_eq!(validate("INV-{YYYY}-{X}"), Err(FormatError::Invalid));
        assert_eq!(validate("INV-{YYYY-{N}"), Err(FormatError::Invalid));
        assert_eq!(validate(""), Err(FormatError::Invalid));
        assert!(validate("Q-{YYYY}-{NNNN}").is_ok());
    }
}
