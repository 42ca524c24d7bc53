//! The language menu: works as a plain form without JavaScript, reloads the page once hydrated.

use leptos::prelude::*;

use crate::api::locale::SetLocale;
use crate::i18n::{use_i18n, Locale, Msg};

/// Buttons to switch between French, German and English.
#[component]
pub fn LanguageMenu() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetLocale>::new();
    // Text is rendered once per page, so a new language means rendering the page again.
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            let _ = window().location().reload();
        }
    });
    view! {
        <ActionForm action>
            <fieldset class="language-menu">
                <legend class="visually-hidden">{i18n.t(Msg::Language)}</legend>
                {Locale::ALL
                    .into_iter()
                    .map(|locale| {
                        let current = locale == i18n.locale;
                        view! {
                            <button
                                type="submit"
                                name="locale"
                                value=locale.code()
                                lang=locale.code()
                                aria-pressed=current.to_string()
                                title=locale.native_name()
                            >
                                {locale.code().to_uppercase()}
                            </button>
                        }
                    })
                    .collect_view()}
            </fieldset>
        </ActionForm>
    }
}
