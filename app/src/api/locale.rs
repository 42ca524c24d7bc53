//! Choosing the interface language.

use leptos::prelude::*;

use crate::error::AppError;

/// Remembers the caller's interface language in a cookie.
///
/// Open to everyone (including signed-out visitors): it only affects the caller's own pages.
#[server(endpoint = "set_locale")]
pub async fn set_locale(locale: String) -> Result<(), AppError> {
    ssr::set_locale(&locale)
}

#[cfg(feature = "ssr")]
mod ssr {
    use http::header::SET_COOKIE;
    use http::HeaderValue;
    use leptos::prelude::expect_context;

    use crate::error::{AppError, FieldProblem};
    use crate::i18n::{Locale, LOCALE_COOKIE};

    #[tracing::instrument]
    pub fn set_locale(code: &str) -> Result<(), AppError> {
        let locale =
            Locale::parse(code).ok_or_else(|| AppError::field("locale", FieldProblem::Invalid))?;
        let cookie = format!(
            "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            locale.code()
        );
        let value = HeaderValue::from_str(&cookie).map_err(|_| AppError::Internal)?;
        expect_context::<leptos_axum::ResponseOptions>().append_header(SET_COOKIE, value);
        Ok(())
    }
}
