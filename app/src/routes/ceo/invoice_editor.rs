//! `/ceo/invoices/new` and `/ceo/invoices/:id/edit`: a draft invoice, created or edited.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api::invoices::{editable_invoice, CreateInvoice, UpdateInvoice};
use crate::billing::InvoiceInput;
use crate::components::document_editor::{blank_line, today_iso, Lines, LinesEditor, PartyFields};
use crate::components::forms::{action_error, go_to, FormError};
use crate::components::ui::{use_user, ErrorNote, PageHeader};
use crate::domain::money::Currency;
use crate::i18n::{use_i18n, BillingMsg, Msg};

/// Creates a draft invoice or edits one.
#[component]
pub fn InvoiceEditor() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    if params.read_untracked().get("id").is_none() {
        return view! { <InvoiceForm id=None input=None /> }.into_any();
    }
    let existing = Resource::new(id, |id| async move {
        match id {
            Some(id) => editable_invoice(id).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match existing.await {
                    Ok(input) => view! { <InvoiceForm id=id() input /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn InvoiceForm(id: Option<Uuid>, input: Option<InvoiceInput>) -> impl IntoView {
    let i18n = use_i18n();
    let first_company = use_user()
        .and_then(|u| u.companies.first().map(|c| c.id))
        .unwrap_or_default();
    let today = today_iso();
    let company = RwSignal::new(input.as_ref().map_or(first_company, |i| i.company_id));
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
    let title = RwSignal::new(input.as_ref().map(|i| i.title.clone()).unwrap_or_default());
    let currency = RwSignal::new(input.as_ref().map_or(Currency::CHF, |i| i.currency));
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

    let create = ServerAction::<CreateInvoice>::new();
    let update = ServerAction::<UpdateInvoice>::new();
    let create_error = action_error(create.value());
    let update_error = action_error(update.value());
    let error = Signal::derive(move || create_error.get().or(update_error.get()));
    Effect::new(move |_| {
        if let Some(Ok(new_id)) = create.value().get() {
            go_to(&format!("/ceo/invoices/{new_id}"));
        }
        if let (Some(Ok(())), Some(id)) = (update.value().get(), id) {
            go_to(&format!("/ceo/invoices/{id}"));
        }
    });
    let problem = move |field: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.field_problem(field))
                .map(|p| p.message(i18n.locale))
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = InvoiceInput {
            company_id: company.get_untracked(),
            party_id: party.get_untracked().parse().unwrap_or_default(),
            contact_id: contact.get_untracked().parse().ok(),
            title: title.get_untracked(),
            currency: currency.get_untracked(),
            due_days: due_days.get_untracked(),
            lines: lines.values(),
        };
        match id {
            Some(id) => {
                update.dispatch(UpdateInvoice { id, input });
            }
            None => {
                create.dispatch(CreateInvoice { input });
            }
        }
    };
    let heading = if id.is_some() {
        BillingMsg::EditInvoice
    } else {
        BillingMsg::NewInvoice
    };
    let header_fields = view! {
        <div class="grid-2">
            <PartyFields company party contact currency error />
            <div class="field">
                <label for="title">{i18n.t(Msg::Title)}</label>
                <input id="title" prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) />
                <p class="field-error" role="alert">{problem("title")}</p>
            </div>
            <div class="field">
                <label for="due_days">{i18n.t(BillingMsg::DueDays)}</label>
                <p class="field-hint" id="due_days-hint">{i18n.t(BillingMsg::DueDaysHint)}</p>
                <input id="due_days" inputmode="numeric" aria-describedby="due_days-hint" prop:value=due_days
                    on:input=move |ev| due_days.set(event_target_value(&ev)) />
                <p class="field-error" role="alert">{problem("due_days")}</p>
            </div>
        </div>
    }
    .into_any();
    view! {
        <PageHeader title=i18n.t(heading).to_owned() />
        <p class="muted">{i18n.t(BillingMsg::DraftNoNumber)}</p>
        <form class="form quote-form" on:submit=submit novalidate>
            <FormError error />
            {header_fields}
            <LinesEditor lines company error />
            <button type="submit" class="button" data-testid="save-invoice"
                disabled=move || create.pending().get() || update.pending().get()>
                {i18n.t(Msg::Save)}
            </button>
        </form>
    }
    .into_any()
}
