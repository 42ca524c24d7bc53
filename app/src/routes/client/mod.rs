//! The client portal (`/client`): dashboard, quotes to sign, invoices to pay, statement.

use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::api::projects::client_dashboard;
use crate::billing::money;
use crate::components::layout::PortalLayout;
use crate::components::ui::{Badge, ErrorNote, PageHeader};
use crate::i18n::{use_i18n, Msg};
use crate::portal::Portal;
use crate::routes::ceo::admin::ProjectTable;

pub mod invoices;
pub mod quotes;
pub mod statement;

/// The client portal's frame: navigation, user menu and the current page.
#[component]
pub fn ClientLayout() -> impl IntoView {
    view! {
        <PortalLayout portal=Portal::Client>
            <Outlet />
        </PortalLayout>
    }
}

/// The client's dashboard: quotes to decide, invoices to pay, projects.
#[component]
pub fn ClientHome() -> impl IntoView {
    let i18n = use_i18n();
    let dashboard = Resource::new(|| (), |_| client_dashboard());
    view! {
        <PageHeader title=i18n.t(Msg::PortalClient).to_owned() />
        <section class="page" data-testid="portal-client">
            <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match dashboard.await {
                        Ok(d) => view! {
                            <div class="cards">
                                <section class="card" aria-labelledby="todo-quotes">
                                    <h2 id="todo-quotes">{i18n.t(Msg::QuotesToSign)}</h2>
                                    {if d.home.open_quotes.is_empty() {
                                        view! { <p class="muted">{i18n.t(Msg::NothingToDo)}</p> }.into_any()
                                    } else {
                                        view! { <ul data-testid="open-quotes">{d.home.open_quotes.into_iter().map(|q| view! {
                                            <li><a href=format!("/client/quotes/{}", q.id)>{q.number}</a>" · "{q.title}" · "{money(q.currency, q.total_minor)}</li>
                                        }).collect_view()}</ul> }.into_any()
                                    }}
                                </section>
                                <section class="card" aria-labelledby="todo-invoices">
                                    <h2 id="todo-invoices">{i18n.t(Msg::InvoicesToPay)}</h2>
                                    {(!d.home.owed.is_empty()).then(|| view! {
                                        <p class="owed" data-testid="owed">{i18n.t(Msg::Balance)}": "
                                            {d.home.owed.iter().map(|(c, m)| money(*c, *m)).collect::<Vec<_>>().join(" · ")}</p>
                                    })}
                                    {if d.home.unpaid_invoices.is_empty() {
                                        view! { <p class="muted">{i18n.t(Msg::NothingToDo)}</p> }.into_any()
                                    } else {
                                        view! { <ul data-testid="unpaid-invoices">{d.home.unpaid_invoices.into_iter().map(|i| view! {
                                            <li><a href=format!("/client/invoices/{}", i.id)>{i.number.unwrap_or_default()}</a>" · "
                                                <Badge label=i.status.label() class=i.status.as_str() />
                                                {i.overdue.then(|| view! { " " <span class="badge badge-overdue">{i18n.t(Msg::StatusOverdue)}</span> })}
                                                " · "{money(i.currency, i.balance_minor)}</li>
                                        }).collect_view()}</ul> }.into_any()
                                    }}
                                </section>
                            </div>
                            <h2>{i18n.t(Msg::NavProjects)}</h2>
                            <ProjectTable list=d.projects />
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
