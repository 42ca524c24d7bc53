//! The one error type every server function returns.
//!
//! It crosses the wire as JSON, so the browser gets a typed error it can show next to the right
//! field; internal details (SQL errors, I/O) are logged on the server and never serialized.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::{Locale, Msg};

/// Why a single form field was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldProblem {
    /// The field is empty but must be filled in.
    Required,
    /// The text is not an email address.
    InvalidEmail,
    /// Shorter than the minimum length.
    TooShort {
        /// Minimum number of characters.
        min: u32,
    },
    /// Longer than the maximum length.
    TooLong {
        /// Maximum number of characters.
        max: u32,
    },
    /// Not one of the accepted values.
    Invalid,
    /// Does not match the field it must repeat (password confirmation).
    Mismatch,
    /// Larger than allowed (e.g. a payment above the amount due).
    TooLarge,
    /// The company has no bank account in this currency (documents in it cannot be paid).
    NoBankAccount,
    /// Already taken (an email address, a number).
    Taken,
    /// Not a readable camt.053/054 statement (or a zip of them).
    UnreadableStatement,
    /// A statement of an account (or currency) the company does not have.
    OtherAccount,
    /// Not a PDF, PNG or JPEG file.
    UnsupportedFile,
    /// A file larger than the limit.
    FileTooLarge {
        /// The limit, in MB.
        max_mb: u32,
    },
    /// Only the CEO may approve this (amount above the threshold, or a deviation).
    NeedsCeo,
    /// Nothing is due to pay.
    NothingToPay,
}

impl FieldProblem {
    /// The problem explained in `locale`.
    pub fn message(self, locale: Locale) -> String {
        match self {
            FieldProblem::Required => Msg::FieldRequired.text(locale).to_owned(),
            FieldProblem::InvalidEmail => Msg::FieldInvalidEmail.text(locale).to_owned(),
            FieldProblem::TooShort { min } => Msg::FieldTooShort
                .text(locale)
                .replace("{n}", &min.to_string()),
            FieldProblem::TooLong { max } => Msg::FieldTooLong
                .text(locale)
                .replace("{n}", &max.to_string()),
            FieldProblem::Invalid => Msg::FieldInvalid.text(locale).to_owned(),
            FieldProblem::Mismatch => Msg::FieldMismatch.text(locale).to_owned(),
            FieldProblem::TooLarge => Msg::FieldTooLarge.text(locale).to_owned(),
            FieldProblem::NoBankAccount => Msg::FieldNoBankAccount.text(locale).to_owned(),
            FieldProblem::Taken => Msg::FieldTaken.text(locale).to_owned(),
            FieldProblem::UnreadableStatement => {
                Msg::FieldUnreadableStatement.text(locale).to_owned()
            }
            FieldProblem::OtherAccount => Msg::FieldOtherAccount.text(locale).to_owned(),
            FieldProblem::UnsupportedFile => Msg::FieldUnsupportedFile.text(locale).to_owned(),
            FieldProblem::FileTooLarge { max_mb } => Msg::FieldFileTooLarge
                .text(locale)
                .replace("{n}", &max_mb.to_string()),
            FieldProblem::NeedsCeo => Msg::FieldNeedsCeo.text(locale).to_owned(),
            FieldProblem::NothingToPay => Msg::FieldNothingToPay.text(locale).to_owned(),
        }
    }
}

/// A refused form field: its `name` attribute and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's `name`.
    pub field: String,
    /// What is wrong with it.
    pub problem: FieldProblem,
}

/// Every way a server function can fail, as the caller may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No valid session: the caller must sign in.
    #[error("sign-in required")]
    Unauthenticated,
    /// Wrong email, password or code; deliberately does not say which.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Signed in, but this is not theirs to see or do.
    #[error("not allowed")]
    Forbidden,
    /// The thing does not exist (or is not visible to the caller).
    #[error("not found")]
    NotFound,
    /// Input refused, field by field.
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// The request clashes with the current state (e.g. already signed, already used).
    #[error("conflict")]
    Conflict,
    /// Too many requests; try again after this many seconds.
    #[error("too many requests")]
    RateLimited {
        /// Seconds until a retry may succeed.
        retry_after_secs: u64,
    },
    /// A dependency (the database) is unreachable right now.
    #[error("service unavailable")]
    Unavailable,
    /// The request itself was malformed (bad arguments, wrong encoding).
    #[error("bad request")]
    BadRequest,
    /// The server could not be reached (browser side only).
    #[error("network error")]
    Network,
    /// A fault on the server; the details are in the server log under the request id.
    #[error("internal error")]
    Internal,
}

impl AppError {
    /// A single-field validation error.
    pub fn field(field: &str, problem: FieldProblem) -> Self {
        AppError::Validation(vec![FieldError {
            field: field.to_owned(),
            problem,
        }])
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated | AppError::InvalidCredentials => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Validation(_) => 422,
            AppError::Conflict => 409,
            AppError::RateLimited { .. } => 429,
            AppError::Unavailable => 503,
            AppError::BadRequest | AppError::Network => 400,
            AppError::Internal => 500,
        }
    }

    /// The problem with one field, if the error names it.
    pub fn field_problem(&self, field: &str) -> Option<FieldProblem> {
        match self {
            AppError::Validation(errors) => {
                errors.iter().find(|e| e.field == field).map(|e| e.problem)
            }
            _ => None,
        }
    }

    /// A sentence for the person, in `locale`.
    pub fn message(&self, locale: Locale) -> &'static str {
        let msg = match self {
            AppError::Unauthenticated => Msg::ErrUnauthenticated,
            AppError::InvalidCredentials => Msg::ErrInvalidCredentials,
            AppError::Forbidden => Msg::ErrForbidden,
            AppError::NotFound => Msg::NotFoundBody,
            AppError::Validation(_) => Msg::ErrValidation,
            AppError::Conflict => Msg::ErrConflict,
            AppError::RateLimited { .. } => Msg::ErrRateLimited,
            AppError::Unavailable => Msg::ErrUnavailable,
            AppError::BadRequest => Msg::ErrBadRequest,
            AppError::Network => Msg::ErrNetwork,
            AppError::Internal => Msg::ErrorBody,
        };
        msg.text(locale)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => AppError::Network,
            // What the caller sent could not be read (malformed JSON, a bad form field, a
            // value of the wrong type): the request is wrong, not the server.
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::BadRequest,
            _ => AppError::Internal,
        }
    }

    /// Encodes the error and, on the server, answers with its HTTP status rather than a blanket 500.
    ///
    /// `ser` runs inside the server function's reactive owner, which is the one place that sees
    /// both the typed error and the response being built.
    fn ser(&self) -> leptos::server_fn::Bytes {
        #[cfg(feature = "ssr")]
        ssr::apply_status(self);
        use leptos::server_fn::Encodes;
        JsonEncoding::encode(self)
            .unwrap_or_else(|_| JsonEncoding::encode(&AppError::Internal).unwrap_or_default())
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use http::header::{ACCEPT, RETRY_AFTER};
    use http::{HeaderValue, StatusCode};
    use leptos::prelude::use_context;

    pub(super) fn apply_status(error: &AppError) {
        let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
            return;
        };
        // A plain HTML form post (no JavaScript) is answered by a redirect back to the form;
        // overriding its status would break that redirect.
        let html_form = use_context::<http::request::Parts>()
            .and_then(|p| p.headers.get(ACCEPT).cloned())
            .and_then(|v| v.to_str().ok().map(|s| s.contains("text/html")))
            .unwrap_or(false);
        if html_form {
            return;
        }
        if let Ok(status) = StatusCode::from_u16(error.status()) {
            response.set_status(status);
        }
        if let AppError::RateLimited { retry_after_secs } = error {
            response.insert_header(RETRY_AFTER, HeaderValue::from(*retry_after_secs));
        }
    }

    /// Plain Axum routes (documents, exports, webhooks) answer errors exactly as server
    /// functions do: the status of [`AppError::status`] and the error as JSON, never cached.
    impl axum::response::IntoResponse for AppError {
        fn into_response(self) -> axum::response::Response {
            use http::header::{CACHE_CONTROL, CONTENT_TYPE};
            let status =
                StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let body = serde_json::to_string(&self).unwrap_or_else(|_| "\"Internal\"".into());
            let mut response = (
                status,
                [
                    (CONTENT_TYPE, "application/json"),
                    (CACHE_CONTROL, "no-store"),
                ],
                body,
            )
                .into_response();
            if let AppError::RateLimited { retry_after_secs } = self {
                response
                    .headers_mut()
                    .insert(RETRY_AFTER, HeaderValue::from(retry_after_secs));
            }
            response
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(error: sqlx::Error) -> Self {
            match error {
                sqlx::Error::RowNotFound => AppError::NotFound,
                sqlx::Error::Database(db) => match db.code().as_deref() {
                    // Raised by the freeze triggers (signed quote, sent invoice) and uniques.
                    Some("P0001") | Some("23505") => {
                        tracing::info!(error = %db, "refused by the database");
                        AppError::Conflict
                    }
                    // A referenced row is not there, or not visible to the caller.
                    Some("23503") => AppError::NotFound,
                    // A CHECK constraint, text too long, a malformed value, a number or date
                    // out of range, a character Postgres cannot store (NUL): bad input.
                    Some("23514") | Some("22001") | Some("22P02") | Some("22003")
                    | Some("22008") | Some("22007") | Some("22021") | Some("22P05") => {
                        tracing::info!(error = %db, "input refused by the database");
                        AppError::BadRequest
                    }
                    // Row-level security (or a missing grant) refused the row.
                    Some("42501") => {
                        tracing::warn!(error = %db, "refused by row-level security");
                        AppError::Forbidden
                    }
                    _ => {
                        tracing::error!(error = %db, "database error");
                        AppError::Internal
                    }
                },
                sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                    tracing::warn!(%error, "database unavailable");
                    AppError::Unavailable
                }
                other => {
                    tracing::error!(error = %other, "database error");
                    AppError::Internal
                }
            }
        }
    }
}
