//! Every page but sign-in is lazy, in one wasm chunk per portal. With
//! `cargo leptos build --split` the code of the public pages, of the CEO portal, of the client
//! portal and of the provider and reseller portals becomes a chunk of its own (plus the code they
//! share), fetched when the portal is first shown — the served page's chunks are preloaded with
//! it — so the sign-in page, the first one most visitors load, ships only the shell and itself.
//!
//! One split point per portal, not per page: each split point multiplies the chunks (code shared
//! by any subset of them gets one), and a page made of a hundred small modules hydrates slower
//! than one made of a few. A page is unchanged: its route only builds its component, whose
//! resources are created as before, on the server and in the browser alike.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use super::ceo::admin::{Catalog, Emails, Projects, Terms};
use super::ceo::crm::{ContactList, LeadList, LeadPage, PartyList, PartyPage};
use super::ceo::dashboard::{DashboardPage, SettingsPage};
use super::ceo::invoices::{InvoiceDetail, InvoiceList};
use super::ceo::quotes::{QuoteDetail, QuoteEditor, QuoteList};
use super::ceo::CeoLayout;
use super::client::invoices::{ClientInvoice, ClientInvoices};
use super::client::quotes::{ClientQuote, ClientQuotes};
use super::client::statement::Statement;
use super::client::{ClientHome, ClientLayout};
use super::provider::{ProviderHome, ProviderLayout};
use super::public::{ForgotPassword, Landing, ResetPasswordPage};
use super::reseller::{ResellerHome, ResellerLayout};
use crate::components::account::AccountPage;

/// The public pages besides sign-in.
#[derive(Clone, Copy)]
enum PublicPage {
    Landing,
    ForgotPassword,
    ResetPassword,
}

#[leptos::lazy]
fn public_chunk(page: PublicPage) -> AnyView {
    match page {
        PublicPage::Landing => view! { <Landing /> }.into_any(),
        PublicPage::ForgotPassword => view! { <ForgotPassword /> }.into_any(),
        PublicPage::ResetPassword => view! { <ResetPasswordPage /> }.into_any(),
    }
}

/// The CEO portal: its layout and pages.
#[derive(Clone, Copy)]
enum CeoPage {
    Layout,
    Dashboard,
    Settings,
    Account,
    PartyList,
    PartyPage,
    LeadList,
    LeadPage,
    ContactList,
    QuoteList,
    QuoteEditor,
    QuoteDetail,
    InvoiceList,
    InvoiceDetail,
    Projects,
    Catalog,
    Terms,
    Emails,
}

#[leptos::lazy]
fn ceo_chunk(page: CeoPage) -> AnyView {
    match page {
        CeoPage::Layout => view! { <CeoLayout /> }.into_any(),
        CeoPage::Dashboard => view! { <DashboardPage /> }.into_any(),
        CeoPage::Settings => view! { <SettingsPage /> }.into_any(),
        CeoPage::Account => view! { <AccountPage /> }.into_any(),
        CeoPage::PartyList => view! { <PartyList /> }.into_any(),
        CeoPage::PartyPage => view! { <PartyPage /> }.into_any(),
        CeoPage::LeadList => view! { <LeadList /> }.into_any(),
        CeoPage::LeadPage => view! { <LeadPage /> }.into_any(),
        CeoPage::ContactList => view! { <ContactList /> }.into_any(),
        CeoPage::QuoteList => view! { <QuoteList /> }.into_any(),
        CeoPage::QuoteEditor => view! { <QuoteEditor /> }.into_any(),
        CeoPage::QuoteDetail => view! { <QuoteDetail /> }.into_any(),
        CeoPage::InvoiceList => view! { <InvoiceList /> }.into_any(),
        CeoPage::InvoiceDetail => view! { <InvoiceDetail /> }.into_any(),
        CeoPage::Projects => view! { <Projects /> }.into_any(),
        CeoPage::Catalog => view! { <Catalog /> }.into_any(),
        CeoPage::Terms => view! { <Terms /> }.into_any(),
        CeoPage::Emails => view! { <Emails /> }.into_any(),
    }
}

/// The client portal: its layout and pages.
#[derive(Clone, Copy)]
enum ClientPage {
    Layout,
    Home,
    Account,
    Quotes,
    Quote,
    Invoices,
    Invoice,
    Statement,
}

#[leptos::lazy]
fn client_chunk(page: ClientPage) -> AnyView {
    match page {
        ClientPage::Layout => view! { <ClientLayout /> }.into_any(),
        ClientPage::Home => view! { <ClientHome /> }.into_any(),
        ClientPage::Account => view! { <AccountPage /> }.into_any(),
        ClientPage::Quotes => view! { <ClientQuotes /> }.into_any(),
        ClientPage::Quote => view! { <ClientQuote /> }.into_any(),
        ClientPage::Invoices => view! { <ClientInvoices /> }.into_any(),
        ClientPage::Invoice => view! { <ClientInvoice /> }.into_any(),
        ClientPage::Statement => view! { <Statement /> }.into_any(),
    }
}

/// The provider and reseller portals (small: one chunk for both).
#[derive(Clone, Copy)]
enum PartnerPage {
    ProviderLayout,
    ProviderHome,
    ResellerLayout,
    ResellerHome,
    Account,
}

#[leptos::lazy]
fn partner_chunk(page: PartnerPage) -> AnyView {
    match page {
        PartnerPage::ProviderLayout => view! { <ProviderLayout /> }.into_any(),
        PartnerPage::ProviderHome => view! { <ProviderHome /> }.into_any(),
        PartnerPage::ResellerLayout => view! { <ResellerLayout /> }.into_any(),
        PartnerPage::ResellerHome => view! { <ResellerHome /> }.into_any(),
        PartnerPage::Account => view! { <AccountPage /> }.into_any(),
    }
}

/// Declares one lazy route per page, each building its page from its portal's chunk.
macro_rules! lazy_routes {
    ($($route:ident => $chunk:ident($page:expr)),* $(,)?) => {$(
        #[doc = concat!("Lazy route: `", stringify!($page), "`.")]
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $chunk($page).await
            }
        }
    )*};
}

lazy_routes! {
    LazyLanding => public_chunk(PublicPage::Landing),
    LazyForgotPassword => public_chunk(PublicPage::ForgotPassword),
    LazyResetPassword => public_chunk(PublicPage::ResetPassword),
    LazyCeoLayout => ceo_chunk(CeoPage::Layout),
    LazyDashboard => ceo_chunk(CeoPage::Dashboard),
    LazySettings => ceo_chunk(CeoPage::Settings),
    LazyCeoAccount => ceo_chunk(CeoPage::Account),
    LazyPartyList => ceo_chunk(CeoPage::PartyList),
    LazyPartyPage => ceo_chunk(CeoPage::PartyPage),
    LazyLeadList => ceo_chunk(CeoPage::LeadList),
    LazyLeadPage => ceo_chunk(CeoPage::LeadPage),
    LazyContactList => ceo_chunk(CeoPage::ContactList),
    LazyQuoteList => ceo_chunk(CeoPage::QuoteList),
    LazyQuoteEditor => ceo_chunk(CeoPage::QuoteEditor),
    LazyQuoteDetail => ceo_chunk(CeoPage::QuoteDetail),
    LazyInvoiceList => ceo_chunk(CeoPage::InvoiceList),
    LazyInvoiceDetail => ceo_chunk(CeoPage::InvoiceDetail),
    LazyProjects => ceo_chunk(CeoPage::Projects),
    LazyCatalog => ceo_chunk(CeoPage::Catalog),
    LazyTerms => ceo_chunk(CeoPage::Terms),
    LazyEmails => ceo_chunk(CeoPage::Emails),
    LazyClientLayout => client_chunk(ClientPage::Layout),
    LazyClientHome => client_chunk(ClientPage::Home),
    LazyClientAccount => client_chunk(ClientPage::Account),
    LazyClientQuotes => client_chunk(ClientPage::Quotes),
    LazyClientQuote => client_chunk(ClientPage::Quote),
    LazyClientInvoices => client_chunk(ClientPage::Invoices),
    LazyClientInvoice => client_chunk(ClientPage::Invoice),
    LazyStatement => client_chunk(ClientPage::Statement),
    LazyProviderLayout => partner_chunk(PartnerPage::ProviderLayout),
    LazyProviderHome => partner_chunk(PartnerPage::ProviderHome),
    LazyResellerLayout => partner_chunk(PartnerPage::ResellerLayout),
    LazyResellerHome => partner_chunk(PartnerPage::ResellerHome),
    LazyPartnerAccount => partner_chunk(PartnerPage::Account),
}
