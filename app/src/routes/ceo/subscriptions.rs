//! `/ceo/subscriptions`: recurring billing — the list, a subscription's page and its editor.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api::subscriptions::{get_subscription, RunSubscriptionsNow, SaveSubscription};
use crate::billing::{money, SubscriptionInput, SubscriptionView};
use crate::components::datatable::DataList;
use crate::components::document_editor::{blank_line, today_iso, Lines, LinesEditor, PartyFields};
use crate::components::forms::{action_error, go_to, ChoiceField, FormError, TextField};
use crate::components::ui::{use_user, Badge, ErrorNote, PageHeader};
use crate::domain::format::date;
use crate::domain::money::Currency;
use crate::domain::status::{BillingInterval, SubscriptionStatus};
use crate::i18n::{use_i18n, BillingMsg, Msg};
use crate::lists::ListKind;

/// Every subscription, and the button that invoices what is due now.
#[component]
pub fn SubscriptionList() -> impl IntoView {
    let i18n = use_i18n();
    let run = ServerAction::<RunSubscriptionsNow>::new();
    let error = action_error(run.value());
    view! {
        <PageHeader title=i18n.t(Msg::NavSubscriptions).to_owned()>
            <a class="button" href="/ceo/subscriptions/new" data-testid="new-subscription">{i18n.t(BillingMsg::NewSubscription)}</a>
            <button class="button secondary" data-testid="run-subscriptions"
                on:click=move |_| { run.dispatch(RunSubscriptionsNow {}); }>{i18n.t(BillingMsg::InvoiceDueNow)}</button>
        </PageHeader>
        <FormError error />
        {move || run.value().get().and_then(|r| r.ok()).map(|n| view! {
            <p class="alert alert-ok" role="status" data-testid="run-result">{i18n.t(BillingMsg::InvoicesIssued).replace("{n}", &n.to_string())}</p>
        })}
        <DataList kind=ListKind::Subscriptions empty=i18n.t(BillingMsg::SubscriptionsEmpty) />
    }
    .into_any()
}

/// A subscription's page (`/ceo/subscriptions/:id`) or a new one (`/ceo/subscriptions/new`).
#[component]
pub fn SubscriptionPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    if params.read_untracked().get("id").is_none() {
        return view! { <SubscriptionForm id=None view=None /> }.into_any();
    }
    let existing = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_subscription(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match existing.await {
                    Ok(v) => view! { <SubscriptionForm id=Some(v.id) view=Some(v) /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn SubscriptionForm(id: Option<Uuid>, view: Option<SubscriptionView>) -> impl IntoView {
    let i18n = use_i18n();
    let first = use_user()
        .and_then(|u| u.companies.first().map(|c| c.id))
        .unwrap_or_default();
    let today = today_iso();
    let input = view.as_ref().map(|v| v.input.clone());
    let company = RwSignal::new(input.as_ref().map_or(first, |i| i.company_id));
    let party = RwSignal::new(
        input
            .as_ref()
            .map(|i| i.party_id.to_string())
            .unwrap_or_default(),
    );
    let contact = RwSignal::new(
        input
            .as_ref()
            .and_then(|i| i.contact_id)
            .map(|c| c.to_string())
            .unwrap_or_default(),
    );
    let currency = RwSignal::new(input.as_ref().map_or(Currency::CHF, |i| i.currency));
    let name = RwSignal::new(input.as_ref().map(|i| i.name.clone()).unwrap_or_default());
    let interval = RwSignal::new(
        input
            .as_ref()
            .map_or(BillingInterval::Month, |i| i.interval),
    );
    let status = RwSignal::new(
        input
            .as_ref()
            .map_or(SubscriptionStatus::Active, |i| i.status),
    );
    let starts = RwSignal::new(
        input
            .as_ref()
            .map_or(today.clone(), |i| i.starts_on.clone()),
    );
    let ends = RwSignal::new(
        input
            .as_ref()
            .map(|i| i.ends_on.clone())
            .unwrap_or_default(),
    );
    let due_days = RwSignal::new(
        input
            .as_ref()
            .map(|i| i.due_days.clone())
            .unwrap_or_default(),
    );
    let lines = Lines::new(
        input
            .map(|i| i.lines)
            .unwrap_or_else(|| vec![blank_line(&today)]),
    );
    let save = ServerAction::<SaveSubscription>::new();
    let error = action_error(save.value());
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            go_to(&format!("/ceo/subscriptions/{saved}"));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveSubscription {
            id,
            input: SubscriptionInput {
                company_id: company.get_untracked(),
                party_id: party.get_untracked().parse().unwrap_or_default(),
                contact_id: contact.get_untracked().parse().ok(),
                name: name.get_untracked(),
                currency: currency.get_untracked(),
                interval: interval.get_untracked(),
                starts_on: starts.get_untracked(),
                ends_on: ends.get_untracked(),
                status: status.get_untracked(),
                due_days: due_days.get_untracked(),
                lines: lines.values(),
            },
        });
    };
    let heading = view
        .as_ref()
        .map(|v| v.input.name.clone())
        .unwrap_or_else(|| i18n.t(BillingMsg::NewSubscription).to_owned());
    let summary = view.as_ref().map(|v| {
        let currency = v.input.currency;
        view! {
            <dl class="facts" data-testid="subscription-facts">
                <dt>{i18n.t(Msg::Client)}</dt><dd>{v.party_name.clone()}</dd>
                <dt>{i18n.t(Msg::NextInvoice)}</dt><dd data-testid="next-invoice">{date(i18n.locale, &v.next_invoice_on)}</dd>
                <dt>{i18n.t(Msg::Amount)}</dt><dd>{money(currency, v.amount_minor)}</dd>
            </dl>
            <section aria-labelledby="sub-invoices">
                <h2 id="sub-invoices">{i18n.t(Msg::NavInvoices)}</h2>
                <ul data-testid="subscription-invoices">
                    {v.invoices.iter().map(|inv| view! {
                        <li><a href=format!("/ceo/invoices/{}", inv.id)>{inv.number.clone().unwrap_or_default()}</a>
                            " · "{date(i18n.locale, &inv.issue_date)}" · "<Badge label=inv.status.label() class=inv.status.as_str() />
                            " · "{money(inv.currency, inv.total_minor)}</li>
                    }).collect_view()}
                </ul>
            </section>
        }
    });
    let header_fields = view! {
        <div class="grid-2">
            <PartyFields company party contact currency error />
            <TextField name="name" label=i18n.t(Msg::Name) value=name error />
            <ChoiceField name="interval" label=i18n.t(Msg::Interval) value=interval error />
            <ChoiceField name="status" label=i18n.t(Msg::Status) value=status error />
            <TextField name="starts_on" label=i18n.t(BillingMsg::StartsOn) value=starts error kind="date" />
            <TextField name="ends_on" label=i18n.t(BillingMsg::EndsOn) value=ends error kind="date" />
            <TextField name="due_days" label=i18n.t(BillingMsg::DueDays) value=due_days error inputmode="numeric" hint=i18n.t(BillingMsg::DueDaysHint) />
        </div>
    }
    .into_any();
    view! {
        <PageHeader title=heading />
        {summary}
        <form class="form quote-form" on:submit=submit novalidate data-testid="subscription-form">
            <FormError error />
            {header_fields}
            <LinesEditor lines company error dated=false />
            <button type="submit" class="button" data-testid="save-subscription" disabled=move || save.pending().get()>
                {i18n.t(Msg::Save)}
            </button>
        </form>
    }
    .into_any()
}
