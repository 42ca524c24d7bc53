//! `/ceo/bills/runs`: paying approved bills — choose the company and the due date, see what each
//! account pays in each currency, confirm; then the run's transfers and its pain.001 file.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api::payables::{
    get_payment_run, preview_payment_run, ConfirmPaymentRun, RetryPaymentRun,
};
use crate::billing::money;
use crate::components::document_editor::today_iso;
use crate::components::forms::{action_error, go_to, CompanyField, FormError, TextField};
use crate::components::ui::{use_user, Badge, ErrorNote, PageHeader};
use crate::domain::format::date;
use crate::domain::status::{PayMethod, RunItemState};
use crate::i18n::{use_i18n, Msg, PayMsg};
use crate::payables::{RunGroup, RunView};

/// A new payment run: the preview, then confirmation.
#[component]
pub fn PaymentRuns() -> impl IntoView {
    let i18n = use_i18n();
    let first = use_user()
        .and_then(|u| u.companies.first().map(|c| c.id))
        .unwrap_or_default();
    let company = RwSignal::new(first);
    let due_until = RwSignal::new(today_iso());
    let shown = RwSignal::new((first, String::new()));
    let preview = Resource::new(
        move || shown.get(),
        |(company, due)| async move {
            if due.is_empty() {
                return Ok(None);
            }
            preview_payment_run(company, due).await.map(Some)
        },
    );
    let confirm = ServerAction::<ConfirmPaymentRun>::new();
    let confirm_error = action_error(confirm.value());
    Effect::new(move |_| {
        if let Some(Ok(id)) = confirm.value().get() {
            go_to(&format!("/ceo/bills/runs/{id}"));
        }
    });
    let none = RwSignal::new(None::<crate::error::AppError>);
    view! {
        <PageHeader title=i18n.t(PayMsg::PaymentRuns).to_owned()>
            <a class="button secondary" href="/ceo/bills">{i18n.t(Msg::NavBills)}</a>
        </PageHeader>
        <section class="page-card">
            <form class="form inline" on:submit=move |ev| {
                ev.prevent_default();
                shown.set((company.get_untracked(), due_until.get_untracked()));
            }>
                <CompanyField scope="run" value=company />
                <TextField scope="run" name="due_until" label=i18n.t(PayMsg::DueUntil) value=due_until error=Signal::derive(move || none.get()) kind="date" />
                <button type="submit" class="button secondary" data-testid="preview-run">{i18n.t(PayMsg::Preview)}</button>
            </form>
        </section>
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match preview.await {
                    Ok(Some(run)) if run.groups.is_empty() => view! { <p class="empty" data-testid="nothing-to-pay">{i18n.t(PayMsg::NothingToPay)}</p> }.into_any(),
                    Ok(Some(run)) => {
                        let (company_id, due) = (run.company_id, run.due_until.clone());
                        view! {
                            <RunGroups run />
                            <FormError error=confirm_error />
                            <button class="button" data-testid="confirm-run" on:click=move |_| {
                                confirm.dispatch(ConfirmPaymentRun { company_id, due_until: due.clone() });
                            }>{i18n.t(PayMsg::ConfirmRun)}</button>
                        }.into_any()
                    }
                    Ok(None) => ().into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn RunGroups(run: RunView) -> impl IntoView {
    let i18n = use_i18n();
    let run_id = run.id;
    view! {
        {run.groups.into_iter().map(|g: RunGroup| {
            let file = (g.method == PayMethod::Pain001).then_some(run_id).flatten();
            view! {
                <section class="page-card" data-testid="run-group">
                    <h2>{format!("{} · {} · {}", g.account_name, crate::domain::format::iban(&g.iban), i18n.t(g.method.label()))}</h2>
                    <table class="table">
                        <thead><tr>
                            <th scope="col">{i18n.t(Msg::Supplier)}</th><th scope="col">{i18n.t(Msg::Number)}</th>
                            <th scope="col">{i18n.t(Msg::DueDate)}</th><th scope="col">{i18n.t(Msg::Status)}</th>
                            <th scope="col" class="num">{i18n.t(Msg::Amount)}</th>
                        </tr></thead>
                        <tbody>
                            {g.bills.into_iter().map(|b| view! {
                                <tr>
                                    <td><a href=format!("/ceo/bills/{}", b.bill_id)>{b.supplier}</a></td>
                                    <td>{b.number}</td>
                                    <td>{date(i18n.locale, &b.due_date)}</td>
                                    <td><Badge label=b.state.label() class=b.state.as_str() />{b.error.map(|e| view! { " " <small>{e}</small> })}</td>
                                    <td class="num">{money(g.currency, b.amount_minor)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                        <tfoot><tr><th scope="row" colspan="4">{i18n.t(Msg::Total)}</th><td class="num" data-testid="run-total">{money(g.currency, g.total_minor)}</td></tr></tfoot>
                    </table>
                    {file.map(|id| view! {
                        <p><a class="button secondary" rel="external" href=format!("/payables/runs/{id}/pain001.xml") data-testid="pain001">{i18n.t(PayMsg::DownloadPain001)}</a></p>
                    })}
                </section>
            }
        }).collect_view()}
        {(!run.unpayable.is_empty()).then(|| view! {
            <p class="alert alert-warning">{i18n.t(PayMsg::Unpayable)}" "{run.unpayable.iter().map(|b| b.supplier.clone()).collect::<Vec<_>>().join(", ")}</p>
        })}
    }
    .into_any()
}

/// A confirmed run (`/ceo/bills/runs/:id`).
#[component]
pub fn PaymentRunPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let retry = ServerAction::<RetryPaymentRun>::new();
    let run = Resource::new(
        move || (id(), retry.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_payment_run(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match run.await {
                    Ok(r) => {
                        let rid = r.id;
                        let pending = r.groups.iter().flat_map(|g| g.bills.iter()).any(|b| b.state == RunItemState::Pending && b.error.is_some());
                        view! {
                            <PageHeader title=format!("{} {}", i18n.t(PayMsg::PaymentRun), date(i18n.locale, &r.due_until))>
                                <span data-testid="run-status"><Badge label=r.status.label() class=r.status.as_str() /></span>
                            </PageHeader>
                            <RunGroups run=r />
                            {pending.then(|| view! {
                                <button class="button secondary" data-testid="retry-run" on:click=move |_| {
                                    if let Some(id) = rid { retry.dispatch(RetryPaymentRun { id }); }
                                }>{i18n.t(PayMsg::Retry)}</button>
                            })}
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}
