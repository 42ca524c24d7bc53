//! Page frames: the public frame (landing, login, errors) and the portal frame.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::language::LanguageMenu;
use crate::i18n::{use_i18n, Msg};
use crate::portal::Portal;

/// The frame of public pages: brand, language menu, sign-in link.
#[component]
pub fn PublicFrame(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main">{i18n.t(Msg::SkipToContent)}</a>
        <header class="topbar">
            <a class="brand" href="/">{i18n.t(Msg::AppName)}</a>
            <div class="topbar-end">
                <LanguageMenu />
                <a class="button secondary" href="/login">{i18n.t(Msg::SignIn)}</a>
            </div>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
    }
}

/// The frame of a portal: navigation, user menu, and for the CEO the company switcher.
#[component]
pub fn PortalLayout(portal: Portal, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main">{i18n.t(Msg::SkipToContent)}</a>
        <div class=format!("portal portal-{}", portal.slug()) data-portal=portal.slug()>
            <header class="topbar">
                <a class="brand" href=portal.base_path()>
                    {i18n.t(Msg::AppName)}
                    <span class="brand-portal">{i18n.t(portal.title())}</span>
                </a>
                {(portal == Portal::Ceo).then(|| view! { <CompanySwitcherSlot /> })}
                <div class="topbar-end">
                    <LanguageMenu />
                    <nav class="user-menu" aria-label=i18n.t(Msg::UserMenu)>
                        <a href="/login">{i18n.t(Msg::SignOut)}</a>
                    </nav>
                </div>
            </header>
            <nav class="sidebar" aria-label=i18n.t(Msg::MainNavigation)>
                <ul>
                    <li>
                        <a href=portal.base_path() aria-current="page">
                            {i18n.t(Msg::Overview)}
                        </a>
                    </li>
                </ul>
            </nav>
            <main id="main" tabindex="-1">{children()}</main>
        </div>
    }
}

/// Where the CEO picks one company or all of them.
#[component]
fn CompanySwitcherSlot() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="company-switcher" data-testid="company-switcher">
            <label for="company-switcher">{i18n.t(Msg::CompanySwitcher)}</label>
            <select id="company-switcher" name="company">
                <option value="">{i18n.t(Msg::AllCompanies)}</option>
            </select>
        </div>
    }
}

/// A portal's start page.
#[component]
pub fn PortalHome(portal: Portal) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=i18n.t(portal.title()) />
        <section class="page" data-testid=format!("portal-{}", portal.slug())>
            <h1>{i18n.t(portal.title())}</h1>
            <p>{i18n.t(Msg::PortalWelcome)}". "{i18n.t(portal.description())}</p>
        </section>
    }
}
