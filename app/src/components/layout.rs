//! Page frames: the public frame (landing, login, errors) and the portal frame.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::api::account::SetFocus;
use crate::api::auth::{portal_access, prepared_portal_decision, Logout, PortalDecision};
use crate::auth::{CompanyRef, SessionUser};
use crate::components::forms::{go_to, reload};
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
///
/// It is also the portal's guard: signed-out visitors are sent to sign in, and users of another
/// portal get a 403 page — never the portal's content. (Every server function checks again.)
#[component]
pub fn PortalLayout(portal: Portal, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let here = move || {
        format!(
            "{}{}",
            location.pathname.get_untracked(),
            location.search.get_untracked()
        )
    };
    // On the server the decision is made before rendering (the middleware loaded the user), and
    // it travels to the browser with the page: the page is then built exactly once, outside any
    // <Suspense>. (Suspense re-runs its children on the server while resolving; a page built
    // inside it would create its resources several times, and hydration would read the wrong
    // ones.) Only a portal entered by client-side navigation asks the server function.
    let prepared =
        leptos::server::SharedValue::new(move || prepared_portal_decision(portal, &here()))
            .into_inner();
    let render = move |decision: PortalDecision, children: ChildrenFn| match decision {
        PortalDecision::Granted(user) => {
            view! { <PortalFrame portal user>{children()}</PortalFrame> }.into_any()
        }
        PortalDecision::WrongPortal(home) => view! { <Forbidden home /> }.into_any(),
        PortalDecision::SignIn => {
            let target = format!("/login?next={}", location.pathname.get_untracked());
            view! { <Redirect path=target /> }.into_any()
        }
    };
    if let Some(decision) = prepared {
        return render(decision, children);
    }
    let access = Resource::new(here, move |here| portal_access(portal, here));
    view! {
        <Suspense fallback=move || view! { <p class="loading">{i18n.t(Msg::Loading)}</p> }>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match access.await {
                        Ok(decision) => render(decision, children),
                        Err(error) => view! {
                            <PublicFrame>
                                <p class="alert alert-error" role="alert">{error.message(i18n.locale)}</p>
                            </PublicFrame>
                        }
                            .into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

/// The navigation of each portal: path and label.
fn nav_items(portal: Portal) -> &'static [(&'static str, Msg)] {
    match portal {
        Portal::Ceo => &[
            ("/ceo", Msg::Overview),
            ("/ceo/crm", Msg::NavCrm),
            ("/ceo/contacts", Msg::NavContacts),
            ("/ceo/leads", Msg::NavLeads),
            ("/ceo/quotes", Msg::NavQuotes),
            ("/ceo/invoices", Msg::NavInvoices),
            ("/ceo/subscriptions", Msg::NavSubscriptions),
            ("/ceo/banking", Msg::NavBanking),
            ("/ceo/bills", Msg::NavBills),
            ("/ceo/projects", Msg::NavProjects),
            ("/ceo/catalog", Msg::NavCatalog),
            ("/ceo/terms", Msg::NavTerms),
            ("/ceo/emails", Msg::NavEmails),
            ("/ceo/users", Msg::NavUsers),
            ("/ceo/companies", Msg::NavCompanySettings),
            ("/ceo/account", Msg::Account),
        ],
        Portal::Client => &[
            ("/client", Msg::Overview),
            ("/client/quotes", Msg::NavQuotes),
            ("/client/invoices", Msg::NavInvoices),
            ("/client/statement", Msg::NavStatement),
            ("/client/account", Msg::Account),
        ],
        Portal::Provider => &[
            ("/provider", Msg::Overview),
            ("/provider/bills", Msg::NavMyBills),
            ("/provider/account", Msg::Account),
        ],
        Portal::Reseller => &[
            ("/reseller", Msg::Overview),
            ("/reseller/account", Msg::Account),
        ],
    }
}

#[component]
fn PortalFrame(portal: Portal, user: SessionUser, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let base = portal.base_path();
    let location = use_location();
    let account = nav_items(portal)
        .last()
        .map(|(href, _)| *href)
        .unwrap_or(base);
    let companies = user.companies.clone();
    let display_name = user.display_name.clone();
    let focus = user.focus;
    // Pages below read the user (their companies, permissions) from here.
    provide_context(user);
    view! {
        <a class="skip-link" href="#main">{i18n.t(Msg::SkipToContent)}</a>
        <div class=format!("portal portal-{}", portal.slug()) data-portal=portal.slug()>
            <header class="topbar">
                <a class="brand" href=base>
                    {i18n.t(Msg::AppName)}
                    <span class="brand-portal">{i18n.t(portal.title())}</span>
                </a>
                {(portal == Portal::Ceo).then(|| view! { <CompanySwitcher companies focus /> })}
                <div class="topbar-end">
                    <LanguageMenu />
                    <nav class="user-menu" aria-label=i18n.t(Msg::UserMenu)>
                        <span class="user-name" data-testid="user-name">{display_name}</span>
                        <a href=account>{i18n.t(Msg::Account)}</a>
                        <SignOut />
                    </nav>
                </div>
            </header>
            <nav class="sidebar" aria-label=i18n.t(Msg::MainNavigation)>
                <ul>
                    {nav_items(portal)
                        .iter()
                        .map(|(href, label)| {
                            let href = *href;
                            let current = move || {
                                let path = location.pathname.get();
                                let here = path == href || (href != base && path.starts_with(&format!("{href}/")));
                                here.then_some("page")
                            };
                            view! {
                                <li>
                                    <a href=href aria-current=current>{i18n.t(*label)}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
            <main id="main" tabindex="-1">{children()}</main>
        </div>
    }
}

/// The sign-out button: revokes the session, forgets the pages this device cached, and returns
/// to the sign-in page.
#[component]
fn SignOut() -> impl IntoView {
    let i18n = use_i18n();
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            #[cfg(feature = "hydrate")]
            if let Some(worker) = window().navigator().service_worker().controller() {
                let _ = worker.post_message(&wasm_bindgen::JsValue::from_str("clear-pages"));
            }
            go_to("/login");
        }
    });
    view! {
        <ActionForm action=logout>
            <button type="submit" class="link-button" data-testid="sign-out">{i18n.t(Msg::SignOut)}</button>
        </ActionForm>
    }
}

/// Where the CEO picks one company or all of them.
#[component]
fn CompanySwitcher(companies: Vec<CompanyRef>, focus: Option<uuid::Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetFocus>::new();
    // Every figure on the page depends on the focus: render the page again on the server.
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            reload();
        }
    });
    let on_change = move |_ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(form) = _ev
                .target()
                .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlSelectElement>().ok())
                .and_then(|select| select.form())
            {
                let _ = form.request_submit();
            }
        }
    };
    view! {
        <ActionForm action attr:class="company-switcher" attr:data-testid="company-switcher">
            <label for="company-switcher">{i18n.t(Msg::CompanySwitcher)}</label>
            <select id="company-switcher" name="company" on:change=on_change>
                <option value="" selected=focus.is_none()>{i18n.t(Msg::AllCompanies)}</option>
                {companies
                    .into_iter()
                    .map(|c| {
                        let selected = focus == Some(c.id);
                        view! { <option value=c.id.to_string() selected=selected>{c.name}</option> }
                    })
                    .collect_view()}
            </select>
            // Without JavaScript the form is sent with this button.
            <button type="submit" class="button secondary small">{i18n.t(Msg::Filter)}</button>
        </ActionForm>
    }
}

/// Signed in, but in the wrong portal: 403, and a way back to one's own.
#[component]
fn Forbidden(home: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=i18n.t(Msg::ForbiddenTitle) />
        <PublicFrame>
            <section class="notice" aria-labelledby="notice-title" data-testid="forbidden">
                <p class="notice-code" aria-hidden="true">"403"</p>
                <h1 id="notice-title">{i18n.t(Msg::ForbiddenTitle)}</h1>
                <p>{i18n.t(Msg::ForbiddenBody)}</p>
                <a class="button" href=home>{i18n.t(Msg::GoToMyPortal)}</a>
            </section>
        </PublicFrame>
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
