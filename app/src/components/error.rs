//! The 404 page and the error page shown instead of a blank screen.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::layout::PublicFrame;
use crate::i18n::{use_i18n, Msg};

/// The page for an unknown path; answered with HTTP 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <Title text=i18n.t(Msg::NotFoundTitle) />
        <PublicFrame>
            <section class="notice" aria-labelledby="notice-title" data-testid="not-found">
                <p class="notice-code" aria-hidden="true">"404"</p>
                <h1 id="notice-title">{i18n.t(Msg::NotFoundTitle)}</h1>
                <p>{i18n.t(Msg::NotFoundBody)}</p>
                <a class="button" href="/">{i18n.t(Msg::BackHome)}</a>
            </section>
        </PublicFrame>
    }
}

/// Shown when a page fails to render; answered with HTTP 500 when it happens on the server.
#[component]
pub fn ErrorPage(errors: ArcRwSignal<Errors>) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::INTERNAL_SERVER_ERROR);
    }
    let i18n = use_i18n();
    // The details go to the log, not to the person reading the page.
    for (_, error) in errors.get_untracked().iter() {
        leptos::logging::error!("page error: {error}");
    }
    view! {
        <Title text=i18n.t(Msg::ErrorTitle) />
        <PublicFrame>
            <section class="notice" role="alert" aria-labelledby="notice-title" data-testid="error-page">
                <h1 id="notice-title">{i18n.t(Msg::ErrorTitle)}</h1>
                <p>{i18n.t(Msg::ErrorBody)}</p>
                <a class="button" href="">{i18n.t(Msg::TryAgain)}</a>
                " "
                <a class="button secondary" href="/">{i18n.t(Msg::BackHome)}</a>
            </section>
        </PublicFrame>
    }
}
