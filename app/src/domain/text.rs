//! Text typed by people, checked before it reaches SQL: search patterns and free-text fields.

use crate::error::{AppError, FieldProblem};

/// Longest search text accepted (longer is refused, not truncated).
pub const MAX_SEARCH_CHARS: usize = 100;

/// An `ILIKE` pattern that finds `text` anywhere, with the pattern characters (`\`, `%`, `_`)
/// matched literally: a search for "50%" finds "50%", not "50" followed by anything.
pub fn contains_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for ch in text.chars() {
        if matches!(ch, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

/// The pattern of a search box: `None` when empty; refused (as `field`) when too long or when it
/// holds control characters (a NUL byte cannot even be stored).
pub fn search_pattern(field: &str, text: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_SEARCH_CHARS {
        return Err(AppError::field(
            field,
            FieldProblem::TooLong {
                max: MAX_SEARCH_CHARS as u32,
            },
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(AppError::field(field, FieldProblem::Invalid));
    }
    Ok(Some(contains_pattern(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_characters_are_literal() {
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
        assert_eq!(contains_pattern("Müller"), "%Müller%");
    }

    #[test]
    fn empty_long_and_control_text() {
        assert_eq!(search_pattern("q", None), Ok(None));
        assert_eq!(search_pattern("q", Some("   ")), Ok(None));
        assert_eq!(
            search_pattern("q", Some(" abc ")),
            Ok(Some("%abc%".to_owned()))
        );
        assert_eq!(
            search_pattern("q", Some("a\0b")),
            Err(AppError::field("q", FieldProblem::Invalid))
        );
        let long = "x".repeat(MAX_SEARCH_CHARS + 1);
        assert_eq!(
            search_pattern("q", Some(&long)),
            Err(AppError::field("q", FieldProblem::TooLong { max: 100 }))
        );
        assert!(search_pattern("q", Some(&"é".repeat(MAX_SEARCH_CHARS))).is_ok());
    }
}
