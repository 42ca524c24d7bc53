//! User-facing text in French, German and English.
//!
//! Every string a person reads goes through [`Msg`]: the `messages!` table below forces each entry
//! to carry all three languages, so a missing translation is a compile error rather than a blank.
//! The catalogue is plain `match` arms, which keeps the hydrate bundle free of a runtime i18n engine.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A language the UI and documents are available in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

macro_rules! messages {
    ($($key:ident { en: $en:literal, fr: $fr:literal, de: $de:literal $(,)? })*) => {
        /// A user-facing message; [`Msg::text`] gives it in a locale.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Msg { $($key),* }

        impl Msg {
            /// Every message, for completeness checks.
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];

            /// The message in `locale`.
            pub const fn text(self, locale: Locale) -> &'static str {
                match self {
                    $(Msg::$key => match locale {
                        Locale::En => $en,
                        Locale::Fr => $fr,
                        Locale::De => $de,
                    },)*
                }
            }
        }
    };
}

messages! {
    AppName { en: "Unified Platform", fr: "Unified Platform", de: "Unified Platform" }
    SkipToContent { en: "Skip to main content", fr: "Aller au contenu principal", de: "Zum Hauptinhalt springen" }
    Language { en: "Language", fr: "Langue", de: "Sprache" }
    MainNavigation { en: "Main navigation", fr: "Navigation principale", de: "Hauptnavigation" }
    UserMenu { en: "User menu", fr: "Menu utilisateur", de: "Benutzermenü" }
    SignIn { en: "Sign in", fr: "Se connecter", de: "Anmelden" }
    SignOut { en: "Sign out", fr: "Se déconnecter", de: "Abmelden" }
    Home { en: "Home", fr: "Accueil", de: "Startseite" }
    Overview { en: "Overview", fr: "Vue d'ensemble", de: "Übersicht" }

    LandingTitle { en: "Run your five companies from one place", fr: "Pilotez vos cinq sociétés depuis un seul endroit", de: "Führen Sie Ihre fünf Unternehmen von einem Ort aus" }
    LandingDescription { en: "CRM, quotes, Swiss QR-bill invoices, supplier bills, bank reconciliation, projects, dunning and commissions for the HMF holding.", fr: "CRM, devis, factures avec QR-facture suisse, factures fournisseurs, rapprochement bancaire, projets, relances et commissions pour la holding HMF.", de: "CRM, Offerten, Rechnungen mit Schweizer QR-Rechnung, Lieferantenrechnungen, Bankabgleich, Projekte, Mahnwesen und Provisionen für die HMF-Holding." }
    LandingPortals { en: "Portals", fr: "Portails", de: "Portale" }
    LandingOpenPortal { en: "Open portal", fr: "Ouvrir le portail", de: "Portal öffnen" }

    PortalCeo { en: "CEO portal", fr: "Portail direction", de: "Geschäftsleitungsportal" }
    PortalCeoDescription { en: "All five companies at a glance: finance, projects, CRM, automation.", fr: "Les cinq sociétés d'un coup d'œil : finances, projets, CRM, automatisation.", de: "Alle fünf Unternehmen auf einen Blick: Finanzen, Projekte, CRM, Automatisierung." }
    PortalClient { en: "Client portal", fr: "Portail client", de: "Kundenportal" }
    PortalClientDescription { en: "Quotes to sign, invoices to pay, projects and documents.", fr: "Devis à signer, factures à payer, projets et documents.", de: "Offerten zum Unterschreiben, Rechnungen zum Bezahlen, Projekte und Dokumente." }
    PortalProvider { en: "Provider portal", fr: "Portail prestataire", de: "Dienstleisterportal" }
    PortalProviderDescription { en: "Quote requests, missions, timesheets and your invoices.", fr: "Demandes de devis, missions, feuilles de temps et vos factures.", de: "Offertanfragen, Einsätze, Zeiterfassung und Ihre Rechnungen." }
    PortalReseller { en: "Reseller portal", fr: "Portail revendeur", de: "Wiederverkäuferportal" }
    PortalResellerDescription { en: "Your leads, pipeline, clients and commissions.", fr: "Vos prospects, pipeline, clients et commissions.", de: "Ihre Leads, Pipeline, Kunden und Provisionen." }
    PortalWelcome { en: "Welcome", fr: "Bienvenue", de: "Willkommen" }

    CompanySwitcher { en: "Company", fr: "Société", de: "Unternehmen" }
    AllCompanies { en: "All companies", fr: "Toutes les sociétés", de: "Alle Unternehmen" }

    LoginTitle { en: "Sign in to Unified Platform", fr: "Connexion à Unified Platform", de: "Bei Unified Platform anmelden" }
    LoginDescription { en: "Sign in with your email address and password.", fr: "Connectez-vous avec votre adresse e-mail et votre mot de passe.", de: "Melden Sie sich mit Ihrer E-Mail-Adresse und Ihrem Passwort an." }
    Email { en: "Email address", fr: "Adresse e-mail", de: "E-Mail-Adresse" }
    Password { en: "Password", fr: "Mot de passe", de: "Passwort" }
    ShowPassword { en: "Show password", fr: "Afficher le mot de passe", de: "Passwort anzeigen" }
    HidePassword { en: "Hide password", fr: "Masquer le mot de passe", de: "Passwort verbergen" }

    NotFoundTitle { en: "Page not found", fr: "Page introuvable", de: "Seite nicht gefunden" }
    NotFoundBody { en: "The page you asked for does not exist or has moved.", fr: "La page demandée n'existe pas ou a été déplacée.", de: "Die angeforderte Seite existiert nicht oder wurde verschoben." }
    BackHome { en: "Back to the home page", fr: "Retour à l'accueil", de: "Zurück zur Startseite" }
    ErrorTitle { en: "Something went wrong", fr: "Une erreur s'est produite", de: "Etwas ist schiefgelaufen" }
    ErrorBody { en: "The page could not be shown. Please try again; if it keeps happening, contact support.", fr: "La page n'a pas pu être affichée. Veuillez réessayer ; si le problème persiste, contactez le support.", de: "Die Seite konnte nicht angezeigt werden. Bitte versuchen Sie es erneut; falls das Problem weiterbesteht, kontaktieren Sie den Support." }
    TryAgain { en: "Try again", fr: "Réessayer", de: "Erneut versuchen" }
    FieldRequired { en: "This field is required.", fr: "Ce champ est obligatoire.", de: "Dieses Feld ist erforderlich." }
    FieldInvalidEmail { en: "Enter a valid email address.", fr: "Saisissez une adresse e-mail valide.", de: "Geben Sie eine gültige E-Mail-Adresse ein." }
    FieldTooShort { en: "Use at least {n} characters.", fr: "Utilisez au moins {n} caractères.", de: "Verwenden Sie mindestens {n} Zeichen." }
    FieldTooLong { en: "Use at most {n} characters.", fr: "Utilisez au plus {n} caractères.", de: "Verwenden Sie höchstens {n} Zeichen." }
    FieldInvalid { en: "This value is not accepted.", fr: "Cette valeur n'est pas acceptée.", de: "Dieser Wert wird nicht akzeptiert." }
    FieldMismatch { en: "The two entries do not match.", fr: "Les deux saisies ne correspondent pas.", de: "Die beiden Eingaben stimmen nicht überein." }
    ErrUnauthenticated { en: "Please sign in to continue.", fr: "Veuillez vous connecter pour continuer.", de: "Bitte melden Sie sich an, um fortzufahren." }
    ErrInvalidCredentials { en: "The email address or password is incorrect.", fr: "L'adresse e-mail ou le mot de passe est incorrect.", de: "E-Mail-Adresse oder Passwort ist falsch." }
    ErrForbidden { en: "You are not allowed to do this.", fr: "Vous n'êtes pas autorisé à effectuer cette action.", de: "Sie sind dazu nicht berechtigt." }
    ErrValidation { en: "Please correct the highlighted fields.", fr: "Veuillez corriger les champs signalés.", de: "Bitte korrigieren Sie die markierten Felder." }
    ErrConflict { en: "This action no longer applies: the data changed in the meantime.", fr: "Cette action ne s'applique plus : les données ont changé entre-temps.", de: "Diese Aktion ist nicht mehr möglich: Die Daten haben sich inzwischen geändert." }
    ErrRateLimited { en: "Too many attempts. Please wait a moment and try again.", fr: "Trop de tentatives. Patientez un instant puis réessayez.", de: "Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es erneut." }
    ErrUnavailable { en: "The service is temporarily unavailable. Please try again shortly.", fr: "Le service est momentanément indisponible. Réessayez dans un instant.", de: "Der Dienst ist vorübergehend nicht verfügbar. Bitte versuchen Sie es gleich erneut." }
    ErrBadRequest { en: "The request could not be understood.", fr: "La requête n'a pas pu être comprise.", de: "Die Anfrage konnte nicht verstanden werden." }
    ErrNetwork { en: "The server could not be reached. Check your connection.", fr: "Le serveur est injoignable. Vérifiez votre connexion.", de: "Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung." }
}

/// The locale of the current page, provided as context by [`provide_i18n`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct I18n {
    /// The language the page is rendered in.
    pub locale: Locale,
}

impl I18n {
    /// The message in the page's language.
    pub fn t(self, msg: Msg) -> &'static str {
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
            // Brand names aside, a French or German text identical to English is a forgotten translation.
            if *msg != Msg::AppName {
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
