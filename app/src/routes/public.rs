//! Public pages: the landing page and the sign-in page.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::components::layout::PublicFrame;
use crate::i18n::{use_i18n, Msg};
use crate::portal::Portal;

/// The landing page: what the platform is and where each portal lives.
#[component]
pub fn Landing() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text="" />
        <PublicFrame>
            <section class="hero" aria-labelledby="hero-title">
                <h1 id="hero-title">{i18n.t(Msg::LandingTitle)}</h1>
                <p class="lead">{i18n.t(Msg::LandingDescription)}</p>
                <a class="button" href="/login">{i18n.t(Msg::SignIn)}</a>
            </section>
            <section aria-labelledby="portals-title">
                <h2 id="portals-title">{i18n.t(Msg::LandingPortals)}</h2>
                <ul class="cards">
                    {Portal::ALL
                        .into_iter()
                        .map(|portal| {
                            view! {
                                <li class="card">
                                    <h3>{i18n.t(portal.title())}</h3>
                                    <p>{i18n.t(portal.description())}</p>
                                    <a href=portal.base_path()>
                                        {i18n.t(Msg::LandingOpenPortal)}
                                        <span class="visually-hidden">
                                            ": "{i18n.t(portal.title())}
                                        </span>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        </PublicFrame>
    }
}

/// The sign-in page.
#[component]
pub fn Login() -> impl IntoView {
    let i18n = use_i18n();
    let (password_visible, set_password_visible) = signal(false);
    // The toggle only works once the page is hydrated, so it stays hidden until then.
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));

    view! {
        <Title text=i18n.t(Msg::SignIn) />
        <Meta name="description" content=i18n.t(Msg::LoginDescription) />
        <PublicFrame>
            <section class="auth-card" aria-labelledby="login-title">
                <h1 id="login-title">{i18n.t(Msg::LoginTitle)}</h1>
                <p>{i18n.t(Msg::LoginDescription)}</p>
                <form method="post" class="form" novalidate>
                    <div class="field">
                        <label for="email">{i18n.t(Msg::Email)}</label>
                        <input id="email" name="email" type="email" autocomplete="username" required />
                    </div>
                    <div class="field">
                        <label for="password">{i18n.t(Msg::Password)}</label>
                        <div class="input-with-button">
                            <input
                                id="password"
                                name="password"
                                type=move || if password_visible.get() { "text" } else { "password" }
                                autocomplete="current-password"
                                required
                            />
                            <button
                                type="button"
                                class="button secondary"
                                data-testid="toggle-password"
                                aria-controls="password"
                                aria-pressed=move || password_visible.get().to_string()
                                hidden=move || !hydrated.get()
                                on:click=move |_| set_password_visible.update(|v| *v = !*v)
                            >
                                {move || {
                                    if password_visible.get() {
                                        i18n.t(Msg::HidePassword)
                                    } else {
                                        i18n.t(Msg::ShowPassword)
                                    }
                                }}
                            </button>
                        </div>
                    </div>
                    <button type="submit" class="button">{i18n.t(Msg::SignIn)}</button>
                </form>
            </section>
        </PublicFrame>
    }
}
