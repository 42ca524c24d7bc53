//! The provider portal (`/provider`): sending invoices (the company reads them like any supplier
//! bill) and following each one to its payment.

use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api::payables::get_bill;
use crate::billing::money;
use crate::components::datatable::DataList;
use crate::components::forms::CompanyField;
use crate::components::layout::{PortalHome, PortalLayout};
use crate::components::ui::{use_user, Badge, ErrorNote, PageHeader};
use crate::components::upload::BillDrop;
use crate::domain::format::date;
use crate::domain::money::parse_minor;
use crate::i18n::{use_i18n, Msg, PayMsg};
use crate::lists::ListKind;
use crate::payables::BillView;
use crate::portal::Portal;

/// The provider portal's frame: navigation, user menu and the current page.
#[component]
pub fn ProviderLayout() -> impl IntoView {
    view! {
        <PortalLayout portal=Portal::Provider>
            <Outlet />
        </PortalLayout>
    }
}

/// The provider portal's start page.
#[component]
pub fn ProviderHome() -> impl IntoView {
    view! { <PortalHome portal=Portal::Provider /> }
}

/// The provider's invoices: the drop zone to send one, and the ones sent with where they stand.
#[component]
pub fn ProviderBills() -> impl IntoView {
    let i18n = use_i18n();
    let first = use_user()
        .and_then(|u| u.companies.first().map(|c| c.id))
        .unwrap_or_default();
    let company = RwSignal::new(first);
    let refresh = RwSignal::new(0u32);
    view! {
        <PageHeader title=i18n.t(Msg::NavMyBills).to_owned() />
        <CompanyField scope="drop" value=company />
        <BillDrop company=Signal::derive(move || company.get()) base="/provider" title=PayMsg::ProviderUploadTitle
            on_done=move |_| refresh.update(|n| *n += 1) />
        {move || {
            refresh.get();
            view! { <DataList kind=ListKind::Bills portal=Portal::Provider empty=i18n.t(PayMsg::ProviderBillsEmpty) /> }
        }}
    }
}

/// One of the provider's invoices, read-only: where it stands, and why when rejected.
#[component]
pub fn ProviderBill() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let bill = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_bill(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match bill.await {
                    Ok(b) => view! { <ProviderBillView b /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProviderBillView(b: BillView) -> impl IntoView {
    let i18n = use_i18n();
    let title = if b.input.number.is_empty() {
        b.file_name.clone()
    } else {
        format!("{} {}", i18n.t(PayMsg::Bill), b.input.number)
    };
    let amount = parse_minor(&b.input.amount)
        .ok()
        .map(|m| money(b.input.currency, m));
    view! {
        <PageHeader title=title>
            <span data-testid="bill-status"><Badge label=b.status.label() class=b.status.as_str() /></span>
        </PageHeader>
        <section class="page-card">
            <dl class="facts">
                <dt>{i18n.t(Msg::Amount)}</dt><dd>{amount.unwrap_or_else(|| "—".into())}</dd>
                <dt>{i18n.t(Msg::IssueDate)}</dt><dd>{date(i18n.locale, &b.input.issue_date)}</dd>
                <dt>{i18n.t(Msg::DueDate)}</dt><dd>{date(i18n.locale, &b.input.due_date)}</dd>
                {b.paid_on.clone().map(|d| view! { <dt>{i18n.t(PayMsg::PaidOn)}</dt><dd>{date(i18n.locale, &d)}</dd> })}
            </dl>
            {b.rejected_reason.clone().map(|r| view! {
                <p class="alert alert-error" role="status" data-testid="rejected-reason">{i18n.t(PayMsg::RejectedBecause)}" "{r}</p>
            })}
            {b.file_url.clone().map(|url| view! { <p><a href=url rel="external" target="_blank">{b.file_name.clone()}</a></p> })}
        </section>
    }
}
