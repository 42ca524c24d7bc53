//! User-facing text in French, German and English.
//!
//! Every string a person reads goes through [`Msg`]: the `messages!` table below forces each entry
//! to carry all three languages, so a missing translation is a compile error rather than a blank.
//! The catalogue is plain `match` arms, which keeps the hydrate bundle free of a runtime i18n engine.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A language the UI and documents are available in; on the wire, its code (`fr`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// English (the fallback when nothing else matches).
    #[default]
    En,
    /// French.
    Fr,
    /// German.
    De,
}

impl Locale {
    /// Every supported locale, in the order the language menu shows them.
    pub const ALL: [Locale; 3] = [Locale::Fr, Locale::De, Locale::En];

    /// The BCP 47 code used in `<html lang>`, cookies and URLs.
    pub const fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
            Locale::De => "de",
        }
    }

    /// The language's own name, as shown in the language menu.
    pub const fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Fr => "Français",
            Locale::De => "Deutsch",
        }
    }

    /// Parses a language code such as `fr`, `de-CH` or `EN`; region subtags are ignored.
    pub fn parse(code: &str) -> Option<Locale> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Locale::En),
            "fr" => Some(Locale::Fr),
            "de" => Some(Locale::De),
            _ => None,
        }
    }

    /// Picks the best supported language from an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(Locale, f32)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(tag) = pieces.next() else { continue };
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(locale) = Locale::parse(tag) {
                if q > 0.0 && best.is_none_or(|(_, bq)| q > bq) {
                    best = Some((locale, q));
                }
            }
        }
        best.map(|(l, _)| l)
    }
}

/// The name of the cookie that remembers the chosen language.
pub const LOCALE_COOKIE: &str = "lang";

/// Declares a message table: an enum of keys, each with its text in the three languages, so a
/// missing translation is a compile error rather than a blank. Each domain keeps its own table.
macro_rules! messages {
    ($(#[$doc:meta])* $name:ident; $($key:ident { en: $en:literal, fr: $fr:literal, de: $de:literal $(,)? })*) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($key),* }

        impl $name {
            /// Every message, for completeness checks.
            pub const ALL: &'static [$name] = &[$($name::$key),*];

            /// The message in `locale`.
            pub const fn text(self, locale: $crate::i18n::Locale) -> &'static str {
                match self {
                    $($name::$key => match locale {
                        $crate::i18n::Locale::En => $en,
                        $crate::i18n::Locale::Fr => $fr,
                        $crate::i18n::Locale::De => $de,
                    },)*
                }
            }
        }

        impl $crate::i18n::Text for $name {
            fn text(self, locale: $crate::i18n::Locale) -> &'static str {
                $name::text(self, locale)
            }
        }
    };
}

/// A message of any table, in a locale.
pub trait Text: Copy {
    /// The message in `locale`.
    fn text(self, locale: Locale) -> &'static str;
}

mod admin;
mod banking;
mod billing;
mod payables;
mod shared;
pub use admin::{permission_label, role_label, AdminMsg};
pub use banking::BankMsg;
pub use billing::BillingMsg;
pub use payables::PayMsg;
pub use shared::Msg;

/// The locale of the current page, provided as context by [`provide_i18n`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct I18n {
    /// The language the page is rendered in.
    pub locale: Locale,
}

impl I18n {
    /// The message in the page's language.
    pub fn t(self, msg: impl Text) -> &'static str {
        msg.text(self.locale)
    }
}

/// The page's [`I18n`]; English when none was provided.
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_default()
}

/// Decides the page language once per render and provides it as context.
///
/// On the server it comes from the `lang` cookie, then `Accept-Language`; in the browser it is
/// read back from `<html lang>` so hydration renders exactly what the server sent.
pub fn provide_i18n() -> I18n {
    let i18n = I18n {
        locale: current_locale(),
    };
    provide_context(i18n);
    i18n
}

/// The locale of the current request (server) or document (browser).
pub fn current_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| ssr::locale_from_headers(&parts.headers))
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        document()
            .document_element()
            .and_then(|el| el.get_attribute("lang"))
            .and_then(|lang| Locale::parse(&lang))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Locale::default()
    }
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::{Locale, LOCALE_COOKIE};
    use http::header::{ACCEPT_LANGUAGE, COOKIE};
    use http::HeaderMap;

    /// The `lang` cookie wins over `Accept-Language`; English when neither names a known language.
    pub fn locale_from_headers(headers: &HeaderMap) -> Locale {
        let from_cookie = headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LOCALE_COOKIE)
            .and_then(|(_, value)| Locale::parse(value));
        from_cookie
            .or_else(|| {
                headers
                    .get(ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Locale::from_accept_language)
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_with_regions() {
        assert_eq!(Locale::parse("de-CH"), Some(Locale::De));
        assert_eq!(Locale::parse("FR"), Some(Locale::Fr));
        assert_eq!(Locale::parse("it"), None);
        assert_eq!(Locale::parse(""), None);
    }

    #[test]
    fn accept_language_honours_q_values() {
        assert_eq!(
            Locale::from_accept_language("it-CH, de;q=0.7, fr;q=0.9"),
            Some(Locale::Fr)
        );
        assert_eq!(Locale::from_accept_language("en;q=0, de"), Some(Locale::De));
        assert_eq!(Locale::from_accept_language("it, es"), None);
    }

    #[test]
    fn every_message_is_translated() {
        for msg in Msg::ALL {
            for locale in Locale::ALL {
                assert!(!msg.text(locale).trim().is_empty(), "{msg:?} in {locale:?}");
            }
            // A French or German text identical to English is usually a forgotten translation;
            // these words are genuinely the same.
            let same_word = [
                Msg::AppName,
                Msg::Date,
                Msg::Horizon,
                Msg::Name,
                Msg::Actions,
                Msg::Client,
                Msg::Contacts,
                Msg::KindClient,
                Msg::KindPartner,
                Msg::Organisation,
                Msg::Pages,
                Msg::Signature,
                Msg::Source,
                Msg::Status,
                Msg::Score,
                Msg::Content,
                Msg::NavLeads,
                Msg::Quote,
                Msg::Reference,
                Msg::NavCatalog,
                Msg::BankProviderRevolut,
            ];
            if !same_word.contains(msg) {
                assert_ne!(msg.text(Locale::Fr), msg.text(Locale::En), "{msg:?} fr");
                assert_ne!(msg.text(Locale::De), msg.text(Locale::En), "{msg:?} de");
            }
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn cookie_beats_accept_language() {
        let mut headers = http::HeaderMap::new();
        headers.insert("accept-language", "de-CH".parse().unwrap());
        assert_eq!(ssr::locale_from_headers(&headers), Locale::De);
        headers.insert("cookie", "a=b; lang=fr".parse().unwrap());
        assert_eq!(ssr::locale_from_headers(&headers), Locale::Fr);
        headers.insert("cookie", "lang=xx".parse().unwrap());
        assert_eq!(ssr::locale_from_headers(&headers), Locale::De);
    }
}
