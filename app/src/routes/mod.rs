//! The document shell and the route tree. Routes mirror the portals: one module per portal.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Meta, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

use crate::components::error::{ErrorPage, NotFound};
use crate::i18n::{self, provide_i18n, Msg};

pub mod ceo;
pub mod client;
pub mod lazy;
pub mod provider;
pub mod public;
pub mod reseller;

/// The HTML document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = i18n::current_locale();
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#1e3a5f" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: router, error boundary and the four portal trees.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = provide_i18n();
    let app_name = i18n.t(Msg::AppName);

    view! {
        <Title formatter=move |page: String| {
            if page.is_empty() { app_name.to_owned() } else { format!("{page} · {app_name}") }
        } />
        <Meta name="description" content=i18n.t(Msg::LandingDescription) />
        // In-order streaming: each page's data is rendered in place (out-of-order chunks would
        // stay in inert templates without JavaScript). The portal guard is a blocking resource,
        // so its status code (403, redirect) still precedes any HTML.
        <Router>
            <ErrorBoundary fallback=|errors| view! { <ErrorPage errors /> }>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view={Lazy::<lazy::LazyLanding>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("/login") view=public::Login ssr=SsrMode::InOrder />
                    <Route path=path!("/forgot-password") view={Lazy::<lazy::LazyForgotPassword>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("/reset-password") view={Lazy::<lazy::LazyResetPassword>::new()} ssr=SsrMode::InOrder />
                    <Route path=path!("/unlock") view={Lazy::<lazy::LazyUnlock>::new()} ssr=SsrMode::InOrder />
                    <ParentRoute path=path!("/ceo") view={Lazy::<lazy::LazyCeoLayout>::new()} ssr=SsrMode::InOrder>
                        <Route path=path!("") view={Lazy::<lazy::LazyDashboard>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("settings") view={Lazy::<lazy::LazySettings>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("account") view={Lazy::<lazy::LazyAccount>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("crm") view={Lazy::<lazy::LazyPartyList>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("crm/new") view={Lazy::<lazy::LazyPartyPage>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("crm/:id") view={Lazy::<lazy::LazyPartyPage>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("leads") view={Lazy::<lazy::LazyLeadList>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("contacts") view={Lazy::<lazy::LazyContactList>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("leads/new") view={Lazy::<lazy::LazyLeadPage>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("leads/:id") view={Lazy::<lazy::LazyLeadPage>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("quotes") view={Lazy::<lazy::LazyQuoteList>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("quotes/new") view={Lazy::<lazy::LazyQuoteEditor>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("quotes/:id") view={Lazy::<lazy::LazyQuoteDetail>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("quotes/:id/edit") view={Lazy::<lazy::LazyQuoteEditor>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("invoices") view={Lazy::<lazy::LazyInvoiceList>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("invoices/new") view={Lazy::<lazy::LazyInvoiceEditor>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("invoices/:id") view={Lazy::<lazy::LazyInvoiceDetail>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("invoices/:id/edit") view={Lazy::<lazy::LazyInvoiceEditor>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("subscriptions") view={Lazy::<lazy::LazySubscriptionList>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("banking") view={Lazy::<lazy::LazyBanking>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("banking/transactions") view={Lazy::<lazy::LazyTransactionList>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("banking/transactions/:id") view={Lazy::<lazy::LazyTransactionPage>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("bills") view={Lazy::<lazy::LazyBillList>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("bills/runs") view={Lazy::<lazy::LazyPaymentRuns>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("bills/runs/:id") view={Lazy::<lazy::LazyPaymentRunPage>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("bills/:id") view={Lazy::<lazy::LazyBillPage>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("subscriptions/new") view={Lazy::<lazy::LazySubscriptionPage>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("subscriptions/:id") view={Lazy::<lazy::LazySubscriptionPage>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("users") view={Lazy::<lazy::LazyUsers>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("users/:id") view={Lazy::<lazy::LazyUserPage>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("companies") view={Lazy::<lazy::LazyCompanies>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("companies/:id") view={Lazy::<lazy::LazyCompanySettings>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("projects") view={Lazy::<lazy::LazyProjects>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("catalog") view={Lazy::<lazy::LazyCatalog>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("terms") view={Lazy::<lazy::LazyTerms>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("emails") view={Lazy::<lazy::LazyEmails>::new()} ssr=SsrMode::InOrder />
                    </ParentRoute>
                    <ParentRoute path=path!("/client") view={Lazy::<lazy::LazyClientLayout>::new()} ssr=SsrMode::InOrder>
                        <Route path=path!("") view={Lazy::<lazy::LazyClientHome>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("account") view={Lazy::<lazy::LazyAccount>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("quotes") view={Lazy::<lazy::LazyClientQuotes>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("quotes/:id") view={Lazy::<lazy::LazyClientQuote>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("invoices") view={Lazy::<lazy::LazyClientInvoices>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("invoices/:id") view={Lazy::<lazy::LazyClientInvoice>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("statement") view={Lazy::<lazy::LazyStatement>::new()} ssr=SsrMode::InOrder />
                    </ParentRoute>
                    <ParentRoute path=path!("/provider") view={Lazy::<lazy::LazyProviderLayout>::new()} ssr=SsrMode::InOrder>
                        <Route path=path!("") view={Lazy::<lazy::LazyProviderHome>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("bills") view={Lazy::<lazy::LazyProviderBills>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("bills/:id") view={Lazy::<lazy::LazyProviderBill>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("account") view={Lazy::<lazy::LazyAccount>::new()} ssr=SsrMode::InOrder />
                    </ParentRoute>
                    <ParentRoute path=path!("/reseller") view={Lazy::<lazy::LazyResellerLayout>::new()} ssr=SsrMode::InOrder>
                        <Route path=path!("") view={Lazy::<lazy::LazyResellerHome>::new()} ssr=SsrMode::InOrder />
                        <Route path=path!("account") view={Lazy::<lazy::LazyAccount>::new()} ssr=SsrMode::InOrder />
                    </ParentRoute>
                </Routes>
            </ErrorBoundary>
        </Router>
    }
}

/// A fresh nonce per page, allowed by the page's Content-Security-Policy: only scripts carrying
/// it (Leptos' hydration and resource scripts) may run inline.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    // leptos_axum provides the request's nonce; Leptos puts it on every script it emits.
    use leptos::nonce::use_nonce;
    let (Some(nonce), Some(response)) =
        (use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; \
         worker-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
