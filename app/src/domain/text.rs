//! Text typed by people, checked before it reaches SQL: search patterns and free-text fields.

use crate::error::{AppError, FieldError, FieldProblem};

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

/// Whether `email` (already trimmed and lower-cased) looks like an address: one `@`, a dotted
/// domain, no spaces, at most 254 characters.
pub fn is_email(email: &str) -> bool {
    email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.chars().any(char::is_whitespace)
}

/// A trimmed text, `None` when empty.
pub fn optional(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

/// Collects the problems of a form's fields, then fails with all of them at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    /// Records `problem` for `field` unless `ok`.
    pub fn check(&mut self, ok: bool, field: &str, problem: FieldProblem) {
        if !ok {
            self.0.push(FieldError {
                field: field.to_owned(),
                problem,
            });
        }
    }

    /// A text of at most `max` characters (required or not), without control characters.
    pub fn text(&mut self, field: &str, value: &str, required: bool, max: u32) {
        let v = value.trim();
        let n = v.chars().count();
        if required && n == 0 {
            self.check(false, field, FieldProblem::Required);
        } else if n > max as usize {
            self.check(false, field, FieldProblem::TooLong { max });
        } else if v
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            self.check(false, field, FieldProblem::Invalid);
        }
    }

    /// An email address (required or not).
    pub fn email(&mut self, field: &str, value: &str, required: bool) {
        let v = value.trim().to_lowercase();
        if v.is_empty() {
            self.check(!required, field, FieldProblem::Required);
        } else {
            self.check(is_email(&v), field, FieldProblem::InvalidEmail);
        }
    }

    /// Fails with every problem recorded, if any.
    pub fn done(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }
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

    #[test]
    fn problems_are_collected_field_by_field() {
        let mut p = Problems::default();
        p.text("name", "  ", true, 10);
        p.text("town", "x".repeat(11).as_str(), false, 10);
        p.text("notes", "line one\nline two", false, 100);
        p.text("code", "a\0b", false, 10);
        p.email("email", "not-an-address", false);
        p.email("other", "", false);
        let Err(AppError::Validation(errors)) = p.done() else {
            panic!("validation")
        };
        let fields: Vec<(&str, FieldProblem)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.problem))
            .collect();
        assert_eq!(
            fields,
            [
                ("name", FieldProblem::Required),
                ("town", FieldProblem::TooLong { max: 10 }),
                ("code", FieldProblem::Invalid),
                ("email", FieldProblem::InvalidEmail),
            ]
        );
        assert!(is_email("ceo@hmf.ch"));
        assert!(!is_email("a@b@c.ch"));
        assert!(!is_email("a b@c.ch"));
        assert_eq!(optional("  x "), Some("x".into()));
        assert_eq!(optional("   "), None);
    }
}
