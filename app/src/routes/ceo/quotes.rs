//! `/ceo/quotes`: the list, the editor and a quote's page (send, duplicate, PDF, final invoice).

use leptos::prelude::*;

use crate::components::datatable::DataList;
use crate::lists::ListKind;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api::catalog::list_products;
use crate::api::crm::{list_parties, party_detail};
use crate::api::quotes::{
    editable_quote, get_quote, CreateQuote, DuplicateQuote, FinalInvoice, SendQuote, UpdateQuote,
};
use crate::billing::{money, LineInput, QuoteInput, QuoteStatus};
use crate::components::forms::{action_error, go_to, FormError};
use crate::components::ui::{use_user, Badge, ErrorNote, LinesTable, PageHeader};
use crate::domain::money::{format_plain, Currency};
use crate::domain::vat::VatCode;
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

fn blank_line(today: &str) -> LineInput {
    LineInput {
        vat_code: VatCode::Standard,
        quantity: "1".into(),
        unit: "pce".into(),
        service_date: today.to_owned(),
        ..LineInput::default()
    }
}

/// Today's date in the browser or on the server, as `YYYY-MM-DD`.
#[cfg(feature = "hydrate")]
fn today_iso() -> String {
    js_sys_date()
}

/// Today's date on the server, as `YYYY-MM-DD`.
#[cfg(all(feature = "ssr", not(feature = "hydrate")))]
fn today_iso() -> String {
    crate::billing::ssr::iso_date(crate::billing::ssr::today())
}

/// Neither side: only reached by `cargo check` without features.
#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
fn today_iso() -> String {
    String::new()
}

#[cfg(feature = "hydrate")]
fn js_sys_date() -> String {
    let now = web_sys::js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
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
    let user = use_user();
    let companies = user.map(|u| u.companies).unwrap_or_default();
    let today = today_iso();
    let first_company = companies.first().map(|c| c.id).unwrap_or_default();
    let valid_default = input
        .as_ref()
        .map(|i| i.valid_until.clone())
        .unwrap_or_default();
    let company = RwSignal::new(
        input
            .as_ref()
            .map(|i| i.company_id)
            .unwrap_or(first_company),
    );
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
    let currency = RwSignal::new(input.as_ref().map(|i| i.currency).unwrap_or(Currency::CHF));
    let valid_until = RwSignal::new(valid_default);
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
    let next_key = StoredValue::new(0usize);
    let keyed = |lines: Vec<LineInput>| -> Vec<(usize, RwSignal<LineInput>)> {
        lines
            .into_iter()
            .map(|l| {
                let k = next_key.get_value();
                next_key.set_value(k + 1);
                (k, RwSignal::new(l))
            })
            .collect()
    };
    let lines = RwSignal::new(keyed(
        input
            .map(|i| i.lines)
            .unwrap_or_else(|| vec![blank_line(&today)]),
    ));

    let parties = Resource::new(
        move || company.get(),
        |c| list_parties(Some(c), Some("client".into()), None, None, None),
    );
    let contacts = Resource::new(
        move || party.get(),
        |p| async move {
            match p.parse::<Uuid>() {
                Ok(p) => party_detail(p).await.map(|d| d.contacts),
                Err(_) => Ok(Vec::new()),
            }
        },
    );
    let products = Resource::new(move || company.get(), |c| list_products(Some(c), None));

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
    let problem = move |field: String| {
        move || {
            error
                .get()
                .and_then(|e| e.field_problem(&field))
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
            lines: lines
                .get_untracked()
                .iter()
                .map(|(_, l)| l.get_untracked())
                .collect(),
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
            <div class="field">
                <label for="company">{i18n.t(Msg::CompanySwitcher)}</label>
                <select id="company" on:change=move |ev| {
                    if let Ok(c) = event_target_value(&ev).parse() {
                        company.set(c);
                        party.set(String::new());
                    }
                }>
                    {companies
                        .iter()
                        .map(|c| {
                            let cid = c.id;
                            view! { <option value=c.id.to_string() selected=move || company.get() == cid>{c.name.clone()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="party_id">{i18n.t(Msg::Client)}</label>
                <Suspense>
                    {move || Suspend::new(async move {
                        let list = parties.await.unwrap_or_default();
                        view! {
                            <select id="party_id" data-testid="party" on:change=move |ev| {
                                party.set(event_target_value(&ev));
                                contact.set(String::new());
                            }>
                                <option value="">"—"</option>
                                {list
                                    .into_iter()
                                    .map(|p| {
                                        let pid = p.id.to_string();
                                        let selected = { let pid = pid.clone(); move || party.get() == pid };
                                        view! { <option value=pid selected=selected>{p.name}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
                <p class="field-error" role="alert">{problem("party_id".into())}</p>
            </div>
            <div class="field">
                <label for="contact_id">{i18n.t(Msg::Contact)}</label>
                <Suspense>
                    {move || Suspend::new(async move {
                        let list = contacts.await.unwrap_or_default();
                        view! {
                            <select id="contact_id" data-testid="contact" on:change=move |ev| contact.set(event_target_value(&ev))>
                                <option value="">"—"</option>
                                {list
                                    .into_iter()
                                    .map(|c| {
                                        let cid = c.id.to_string();
                                        let selected = { let cid = cid.clone(); move || contact.get() == cid };
                                        view! { <option value=cid selected=selected>{format!("{} {}", c.first_name, c.last_name)}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
                <p class="field-error" role="alert">{problem("contact_id".into())}</p>
            </div>
            <div class="field">
                <label for="title">{i18n.t(Msg::Title)}</label>
                <input id="title" prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) />
                <p class="field-error" role="alert">{problem("title".into())}</p>
            </div>
            <div class="field">
                <label for="currency">{i18n.t(Msg::Currency)}</label>
                <select id="currency" on:change=move |ev| {
                    if let Some(c) = Currency::parse(&event_target_value(&ev)) {
                        currency.set(c);
                    }
                }>
                    {Currency::ALL
                        .iter()
                        .map(|c| {
                            let c = *c;
                            view! { <option value=c.code() selected=move || currency.get() == c>{c.code()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="valid_until">{i18n.t(Msg::ValidUntil)}</label>
                <input id="valid_until" type="date" required prop:value=valid_until
                    on:input=move |ev| valid_until.set(event_target_value(&ev))
                    aria-invalid=move || problem("valid_until".into())().map(|_| "true") />
                <p class="field-error" role="alert">{problem("valid_until".into())}</p>
            </div>
            <div class="field">
                <label for="deposit">{i18n.t(Msg::DepositPercent)}</label>
                <input id="deposit" inputmode="decimal" placeholder="30" prop:value=deposit
                    on:input=move |ev| deposit.set(event_target_value(&ev)) />
                <p class="field-error" role="alert">{problem("deposit_percent".into())}</p>
            </div>
            <div class="field">
                <label for="project_type">{i18n.t(Msg::ProjectType)}</label>
                <input id="project_type" placeholder="default" prop:value=project_type
                    on:input=move |ev| project_type.set(event_target_value(&ev)) />
            </div>
        </div>
    }
    .into_any();
    view! {
        <PageHeader title=i18n.t(heading).to_owned() />
        <form class="form quote-form" on:submit=submit novalidate>
            <FormError error />
            {header_fields}

            <fieldset class="lines-editor">
                <legend>{i18n.t(Msg::Lines)}</legend>
                <p class="field-error" role="alert">{problem("lines".into())}</p>
                <For
                    each={move || lines.get().into_iter().enumerate().collect::<Vec<_>>()}
                    key={|entry: &(usize, (usize, RwSignal<LineInput>))| (entry.0, entry.1.0)}
                    children={move |entry: (usize, (usize, RwSignal<LineInput>))| {
                        let (i, (_, line)) = entry;
                        let field = move |name: &'static str| format!("lines.{i}.{name}");
                        let id_for = move |name: &'static str| format!("line-{i}-{name}");
                        view! {
                            <div class="line-row" data-testid=format!("line-{i}")>
                                <div class="field grow">
                                    <label for=id_for("product")>{i18n.t(Msg::Product)}</label>
                                    <Suspense>
                                        {move || Suspend::new(async move {
                                            let list = products.await.unwrap_or_default();
                                            let options = list.clone();
                                            view! {
                                                <select id=id_for("product") on:change=move |ev| {
                                                    let value = event_target_value(&ev);
                                                    if let Some(p) = options.iter().find(|p| p.id.to_string() == value) {
                                                        line.update(|l| {
                                                            l.product_id = Some(p.id);
                                                            l.description = p.name.clone();
                                                            l.unit = p.unit.clone();
                                                            l.unit_price = format_plain(p.unit_price_minor);
                                                            l.vat_code = p.vat_code;
                                                        });
                                                    } else {
                                                        line.update(|l| l.product_id = None);
                                                    }
                                                }>
                                                    <option value="">{i18n.t(Msg::FreeLine)}</option>
                                                    {list.into_iter().map(|p| view! { <option value=p.id.to_string()>{format!("{} – {}", p.sku, p.name)}</option> }).collect_view()}
                                                </select>
                                            }
                                        })}
                                    </Suspense>
                                </div>
                                <div class="field grow">
                                    <label for=id_for("description")>{i18n.t(Msg::Description)}</label>
                                    <input id=id_for("description") prop:value=move || line.get().description
                                        on:input=move |ev| line.update(|l| l.description = event_target_value(&ev)) />
                                    <p class="field-error" role="alert">{problem(field("description"))}</p>
                                </div>
                                <div class="field small">
                                    <label for=id_for("quantity")>{i18n.t(Msg::Quantity)}</label>
                                    <input id=id_for("quantity") inputmode="decimal" prop:value=move || line.get().quantity
                                        on:input=move |ev| line.update(|l| l.quantity = event_target_value(&ev)) />
                                    <p class="field-error" role="alert">{problem(field("quantity"))}</p>
                                </div>
                                <div class="field small">
                                    <label for=id_for("unit")>{i18n.t(Msg::Unit)}</label>
                                    <input id=id_for("unit") prop:value=move || line.get().unit
                                        on:input=move |ev| line.update(|l| l.unit = event_target_value(&ev)) />
                                </div>
                                <div class="field small">
                                    <label for=id_for("unit_price")>{i18n.t(Msg::UnitPrice)}</label>
                                    <input id=id_for("unit_price") inputmode="decimal" prop:value=move || line.get().unit_price
                                        on:input=move |ev| line.update(|l| l.unit_price = event_target_value(&ev)) />
                                    <p class="field-error" role="alert">{problem(field("unit_price"))}</p>
                                </div>
                                <div class="field small">
                                    <label for=id_for("discount")>{i18n.t(Msg::DiscountPercent)}</label>
                                    <input id=id_for("discount") inputmode="decimal" prop:value=move || line.get().discount
                                        on:input=move |ev| line.update(|l| l.discount = event_target_value(&ev)) />
                                    <p class="field-error" role="alert">{problem(field("discount"))}</p>
                                </div>
                                <div class="field small">
                                    <label for=id_for("vat")>{i18n.t(Msg::VatRate)}</label>
                                    <select id=id_for("vat") on:change=move |ev| {
                                        if let Some(v) = VatCode::parse(&event_target_value(&ev)) {
                                            line.update(|l| l.vat_code = v);
                                        }
                                    }>
                                        {VatCode::ALL
                                            .iter()
                                            .map(|v| {
                                                let v = *v;
                                                view! { <option value=v.as_str() selected=move || line.get().vat_code == v>{i18n.t(vat_label(v))}</option> }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <div class="field small">
                                    <label for=id_for("service_date")>{i18n.t(Msg::ServiceDate)}</label>
                                    <input id=id_for("service_date") type="date" prop:value=move || line.get().service_date
                                        on:input=move |ev| line.update(|l| l.service_date = event_target_value(&ev)) />
                                    <p class="field-error" role="alert">{problem(field("service_date"))}</p>
                                </div>
                                <button type="button" class="button secondary remove-line"
                                    aria-label=format!("{} {}", i18n.t(Msg::RemoveLine), i + 1)
                                    on:click=move |_| lines.update(|all| { if all.len() > 1 { all.remove(i); } })>
                                    "×"
                                </button>
                            </div>
                        }
                        .into_any()
                    }}
                />
                <button type="button" class="button secondary" data-testid="add-line" on:click={
                    let today = today.clone();
                    move |_| {
                        let k = next_key.get_value();
                        next_key.set_value(k + 1);
                        lines.update(|all| all.push((k, RwSignal::new(blank_line(&today)))));
                    }
                }>{i18n.t(Msg::AddLine)}</button>
            </fieldset>
            <div class="field">
                <label for="notes">{i18n.t(Msg::Notes)}</label>
                <textarea id="notes" rows="3" prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            </div>
            <button type="submit" class="button" data-testid="save-quote"
                disabled=move || create.pending().get() || update.pending().get()>
                {i18n.t(Msg::Save)}
            </button>
        </form>
    }
}

/// The label of a VAT category.
pub fn vat_label(code: VatCode) -> Msg {
    match code {
        VatCode::Standard => Msg::VatStandard,
        VatCode::Reduced => Msg::VatReduced,
        VatCode::Accommodation => Msg::VatAccommodation,
        VatCode::Exempt => Msg::VatExempt,
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
                                <dd>{q.valid_until.clone()}</dd>
                                <dt>{i18n.t(Msg::DepositPercent)}</dt>
                                <dd>{crate::domain::money::format_percent_bp(q.deposit_bp)}"%"</dd>
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
                                                <a href=format!("/ceo/invoices/{}", inv.id)>{inv.number.clone()}</a>" · "
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
