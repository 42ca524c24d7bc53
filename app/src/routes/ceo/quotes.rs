//! `/ceo/quotes`: the list, the editor and a quote's page (send, duplicate, PDF, final invoice).

use leptos::prelude::*;

use crate::components::datatable::DataList;
use crate::lists::ListKind;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api::quotes::{
    editable_quote, get_quote, CreateQuote, DuplicateQuote, FinalInvoice, SendQuote, UpdateQuote,
};
use crate::billing::{money, QuoteInput, QuoteStatus};
use crate::components::document_editor::{blank_line, today_iso, Lines, LinesEditor, PartyFields};
use crate::components::forms::{action_error, go_to, FormError};
use crate::components::ui::{use_user, Badge, ErrorNote, LinesTable, PageHeader};
use crate::domain::format::date;
use crate::domain::money::Currency;
use crate::i18n::{use_i18n, Msg};

/// Lists quotes with status and text filters kept in the URL.
#[component]
pub fn QuoteList() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=i18n.t(Msg::NavQuotes).to_owned()>
            <a class="button" href="/ceo/quotes/new" data-testid="new-quote">{i18n.t(Msg::NewQuote)}</a>
        </PageHeader>
        <DataList kind=ListKind::Quotes />
    }
}

/// Creates a new quote (`/ceo/quotes/new`) or edits a draft (`/ceo/quotes/:id/edit`).
#[component]
pub fn QuoteEditor() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    if params.read_untracked().get("id").is_none() {
        // A new quote: nothing to load, so the form (which owns resources) is built once,
        // outside <Suspense> (see PortalLayout).
        return view! { <QuoteForm id=None input=None /> }.into_any();
    }
    let existing = Resource::new(id, |id| async move {
        match id {
            Some(id) => editable_quote(id).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match existing.await {
                    Ok(input) => view! { <QuoteForm id=id() input /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn QuoteForm(id: Option<Uuid>, input: Option<QuoteInput>) -> impl IntoView {
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
    let valid_until = RwSignal::new(
        input
            .as_ref()
            .map(|i| i.valid_until.clone())
            .unwrap_or_default(),
    );
    let deposit = RwSignal::new(
        input
            .as_ref()
            .map(|i| i.deposit_percent.clone())
            .unwrap_or_default(),
    );
    let project_type = RwSignal::new(
        input
            .as_ref()
            .map(|i| i.project_type.clone())
            .unwrap_or_default(),
    );
    let notes = RwSignal::new(input.as_ref().map(|i| i.notes.clone()).unwrap_or_default());
    let lines = Lines::new(
        input
            .map(|i| i.lines)
            .unwrap_or_else(|| vec![blank_line(&today)]),
    );

    let create = ServerAction::<CreateQuote>::new();
    let update = ServerAction::<UpdateQuote>::new();
    let create_error = action_error(create.value());
    let update_error = action_error(update.value());
    let error = Signal::derive(move || create_error.get().or(update_error.get()));
    Effect::new(move |_| {
        if let Some(Ok(new_id)) = create.value().get() {
            go_to(&format!("/ceo/quotes/{new_id}"));
        }
        if let (Some(Ok(())), Some(id)) = (update.value().get(), id) {
            go_to(&format!("/ceo/quotes/{id}"));
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
        let input = QuoteInput {
            company_id: company.get_untracked(),
            party_id: party.get_untracked().parse().unwrap_or_default(),
            contact_id: contact.get_untracked().parse().ok(),
            title: title.get_untracked(),
            currency: currency.get_untracked(),
            valid_until: valid_until.get_untracked(),
            project_type: project_type.get_untracked(),
            deposit_percent: deposit.get_untracked(),
            notes: notes.get_untracked(),
            lines: lines.values(),
        };
        match id {
            Some(id) => {
                update.dispatch(UpdateQuote { id, input });
            }
            None => {
                create.dispatch(CreateQuote { input });
            }
        }
    };
    let heading = if id.is_some() {
        Msg::EditQuote
    } else {
        Msg::NewQuote
    };
    // Erased to keep the view type shallow (the release build hits the type-depth limit).
    let header_fields = view! {
        <div class="grid-2">
            <PartyFields company party contact currency error />
            <div class="field">
                <label for="title">{i18n.t(Msg::Title)}</label>
                <input id="title" prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) />
                <p class="field-error" role="alert">{problem("title")}</p>
            </div>
            <div class="field">
                <label for="valid_until">{i18n.t(Msg::ValidUntil)}</label>
                <input id="valid_until" type="date" required prop:value=valid_until
                    on:input=move |ev| valid_until.set(event_target_value(&ev))
                    aria-invalid=move || problem("valid_until")().map(|_| "true") />
                <p class="field-error" role="alert">{problem("valid_until")}</p>
            </div>
            <div class="field">
                <label for="deposit">{i18n.t(Msg::DepositPercent)}</label>
                <input id="deposit" inputmode="decimal" placeholder="30" prop:value=deposit
                    on:input=move |ev| deposit.set(event_target_value(&ev)) />
                <p class="field-error" role="alert">{problem("deposit_percent")}</p>
            </div>
            <div class="field">
                <label for="project_type">{i18n.t(Msg::ProjectType)}</label>
                <input id="project_type" placeholder="default" prop:value=project_type
                    on:input=move |ev| project_type.set(event_target_value(&ev)) />
                <p class="field-error" role="alert">{problem("project_type")}</p>
            </div>
        </div>
    }
    .into_any();
    view! {
        <PageHeader title=i18n.t(heading).to_owned() />
        <form class="form quote-form" on:submit=submit novalidate>
            <FormError error />
            {header_fields}
            <LinesEditor lines company error />
            <div class="field">
                <label for="notes">{i18n.t(Msg::Notes)}</label>
                <textarea id="notes" rows="3" prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                <p class="field-error" role="alert">{problem("notes")}</p>
            </div>
            <button type="submit" class="button" data-testid="save-quote"
                disabled=move || create.pending().get() || update.pending().get()>
                {i18n.t(Msg::Save)}
            </button>
        </form>
    }
}

/// A quote's page for staff.
#[component]
pub fn QuoteDetail() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let send = ServerAction::<SendQuote>::new();
    let duplicate = ServerAction::<DuplicateQuote>::new();
    let final_invoice = ServerAction::<FinalInvoice>::new();
    let quote = Resource::new(
        move || (id(), send.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_quote(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    let send_error = action_error(send.value());
    let dup_error = action_error(duplicate.value());
    let final_error = action_error(final_invoice.value());
    let error = Signal::derive(move || send_error.get().or(dup_error.get()).or(final_error.get()));
    Effect::new(move |_| {
        if let Some(Ok(new_id)) = duplicate.value().get() {
            go_to(&format!("/ceo/quotes/{new_id}/edit"));
        }
        if let Some(Ok(invoice)) = final_invoice.value().get() {
            go_to(&format!("/ceo/invoices/{invoice}"));
        }
    });
    view! {
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match quote.await {
                    Ok(q) => {
                        let qid = q.id;
                        view! {
                            <PageHeader title=format!("{} {}", i18n.t(Msg::Quote), q.number)>
                                <a class="button secondary" href=format!("/documents/quotes/{qid}") rel="external" target="_blank">"PDF"</a>
                                {q.status.editable().then(|| view! {
                                    <a class="button secondary" href=format!("/ceo/quotes/{qid}/edit")>{i18n.t(Msg::Edit)}</a>
                                    <button class="button" data-testid="send-quote" on:click=move |_| { send.dispatch(SendQuote { id: qid }); }>
                                        {i18n.t(Msg::Send)}
                                    </button>
                                })}
                                <button class="button secondary" on:click=move |_| { duplicate.dispatch(DuplicateQuote { id: qid }); }>
                                    {i18n.t(Msg::Duplicate)}
                                </button>
                                {matches!(q.status, QuoteStatus::Signed | QuoteStatus::AwaitingDeposit | QuoteStatus::Completed).then(|| view! {
                                    <button class="button secondary" on:click=move |_| { final_invoice.dispatch(FinalInvoice { id: qid }); }>
                                        {i18n.t(Msg::FinalInvoice)}
                                    </button>
                                })}
                            </PageHeader>
                            <FormError error />
                            <dl class="facts">
                                <dt>{i18n.t(Msg::Status)}</dt>
                                <dd data-testid="quote-status"><Badge label=q.status.label() class=q.status.as_str() /></dd>
                                <dt>{i18n.t(Msg::Client)}</dt>
                                <dd>{q.party_name.clone()}{q.contact_name.clone().map(|c| format!(" · {c}"))}</dd>
                                <dt>{i18n.t(Msg::CompanySwitcher)}</dt>
                                <dd>{q.company_name.clone()}</dd>
                                <dt>{i18n.t(Msg::ValidUntil)}</dt>
                                <dd>{date(i18n.locale, &q.valid_until)}</dd>
                                <dt>{i18n.t(Msg::DepositPercent)}</dt>
                                <dd data-testid="quote-deposit">{crate::domain::money::format_percent_bp(q.deposit_bp)}"%"
                                    {q.deposit.as_ref().map(|d| format!(" · {}", money(q.currency, d.total_minor)))}</dd>
                            </dl>
                            {(!q.title.is_empty()).then(|| view! { <h2>{q.title.clone()}</h2> })}
                            <LinesTable lines=q.lines.clone() amounts=q.amounts.clone() currency=q.currency />
                            {q.signature.clone().map(|s| view! {
                                <section class="page-card" aria-labelledby="signature-title">
                                    <h2 id="signature-title">{i18n.t(Msg::Signature)}</h2>
                                    <p>{s.signer_name}" · "{s.signed_at}</p>
                                    <p class="muted">{i18n.t(Msg::TermsVersion)}" "{s.terms_version}" · SHA-256 "{s.terms_hash}</p>
                                    <p class="muted">"Quote SHA-256 "{s.quote_hash}</p>
                                </section>
                            })}
                            {(!q.invoices.is_empty()).then(|| view! {
                                <section aria-labelledby="invoices-title">
                                    <h2 id="invoices-title">{i18n.t(Msg::NavInvoices)}</h2>
                                    <ul>
                                        {q.invoices.iter().map(|inv| view! {
                                            <li>
                                                <a href=format!("/ceo/invoices/{}", inv.id)>{inv.number.clone().unwrap_or_else(|| i18n.t(Msg::StatusDraft).to_owned())}</a>" · "
                                                {i18n.t(inv.kind.label())}" · "<Badge label=inv.status.label() class=inv.status.as_str() />
                                                " · "{money(inv.currency, inv.total_minor)}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })}
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
