//! Every page but sign-in as a lazy route, the portals' layouts included. With
//! `cargo leptos build --split` each one's code becomes a wasm chunk of its own, fetched when it
//! is first shown (the served page's chunks are preloaded with it), so the sign-in page — the
//! first one most visitors load — ships only the shell and itself.
//!
//! A page is unchanged: its lazy route only builds it (`data` starts nothing of its own, the
//! page's resources are created by the page as before, on the server and in the browser alike).

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use super::ceo::admin::{Catalog, Emails, Projects, Terms};
use super::ceo::banking::BankingPage;
use super::ceo::bills::{BillList, BillPage};
use super::ceo::companies::{Companies, CompanySettingsPage};
use super::ceo::crm::{ContactList, LeadList, LeadPage, PartyList, PartyPage};
use super::ceo::dashboard::{DashboardPage, SettingsPage};
use super::ceo::invoice_editor::InvoiceEditor;
use super::ceo::invoices::{InvoiceDetail, InvoiceList};
use super::ceo::payment_runs::{PaymentRunPage, PaymentRuns};
use super::ceo::quotes::{QuoteDetail, QuoteEditor, QuoteList};
use super::ceo::reconcile::{TransactionList, TransactionPage};
use super::ceo::subscriptions::{SubscriptionList, SubscriptionPage};
use super::ceo::users::{UserPage, Users};
use super::ceo::CeoLayout;
use super::client::invoices::{ClientInvoice, ClientInvoices};
use super::client::quotes::{ClientQuote, ClientQuotes};
use super::client::statement::Statement;
use super::client::{ClientHome, ClientLayout};
use super::provider::{ProviderBill, ProviderBills, ProviderHome, ProviderLayout};
use super::public::{ForgotPassword, Landing, ResetPasswordPage, UnlockPage};
use super::reseller::{ResellerHome, ResellerLayout};
use crate::components::account::AccountPage;

macro_rules! lazy_pages {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        #[doc = concat!("The lazy route of [`", stringify!($page), "`].")]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    )*};
}

lazy_pages! {
    LazyLanding => Landing,
    LazyForgotPassword => ForgotPassword,
    LazyResetPassword => ResetPasswordPage,
    LazyUnlock => UnlockPage,
    LazyCeoLayout => CeoLayout,
    LazyBanking => BankingPage,
    LazyTransactionList => TransactionList,
    LazyTransactionPage => TransactionPage,
    LazyBillList => BillList,
    LazyBillPage => BillPage,
    LazyPaymentRuns => PaymentRuns,
    LazyPaymentRunPage => PaymentRunPage,
    LazyClientLayout => ClientLayout,
    LazyProviderLayout => ProviderLayout,
    LazyResellerLayout => ResellerLayout,
    LazyDashboard => DashboardPage,
    LazySettings => SettingsPage,
    LazyAccount => AccountPage,
    LazyPartyList => PartyList,
    LazyPartyPage => PartyPage,
    LazyLeadList => LeadList,
    LazyLeadPage => LeadPage,
    LazyContactList => ContactList,
    LazyQuoteList => QuoteList,
    LazyQuoteEditor => QuoteEditor,
    LazyQuoteDetail => QuoteDetail,
    LazyInvoiceList => InvoiceList,
    LazyInvoiceDetail => InvoiceDetail,
    LazyInvoiceEditor => InvoiceEditor,
    LazyUsers => Users,
    LazySubscriptionList => SubscriptionList,
    LazySubscriptionPage => SubscriptionPage,
    LazyUserPage => UserPage,
    LazyCompanies => Companies,
    LazyCompanySettings => CompanySettingsPage,
    LazyProjects => Projects,
    LazyCatalog => Catalog,
    LazyTerms => Terms,
    LazyEmails => Emails,
    LazyClientHome => ClientHome,
    LazyClientQuotes => ClientQuotes,
    LazyClientQuote => ClientQuote,
    LazyClientInvoices => ClientInvoices,
    LazyClientInvoice => ClientInvoice,
    LazyStatement => Statement,
    LazyProviderHome => ProviderHome,
    LazyProviderBills => ProviderBills,
    LazyProviderBill => ProviderBill,
    LazyResellerHome => ResellerHome,
}
