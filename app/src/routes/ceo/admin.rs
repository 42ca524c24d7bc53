//! `/ceo/catalog`, `/ceo/terms`, `/ceo/emails` and `/ceo/projects`.

use leptos::prelude::*;
use uuid::Uuid;

use crate::api::catalog::{
    list_emails, list_products, list_terms, vat_rates, ActivateTerms, ProductInput, SaveProduct,
    SaveTerms,
};
use crate::api::projects::list_projects;
use crate::components::document_editor::vat_label;
use crate::components::forms::{action_error, FormError};
use crate::components::ui::{use_user, ErrorNote, PageHeader};
use crate::domain::money::{format_minor, format_percent_bp, Currency};
use crate::domain::vat::VatCode;
use crate::i18n::{use_i18n, Msg};

/// The products of the user's companies, and a form to add one.
#[component]
pub fn Catalog() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveProduct>::new();
    let products = Resource::new(move || save.version().get(), |_| list_products(None, None));
    let rates = Resource::new(|| (), |_| vat_rates());
    let error = action_error(save.value());
    let companies = use_user().map(|u| u.companies).unwrap_or_default();
    let company = RwSignal::new(companies.first().map(|c| c.id).unwrap_or_default());
    let sku = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let unit = RwSignal::new("pce".to_owned());
    let price = RwSignal::new(String::new());
    let currency = RwSignal::new(Currency::CHF);
    let vat = RwSignal::new(VatCode::Standard);
    let problem = move |field: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.field_problem(field))
                .map(|p| p.message(i18n.locale))
        }
    };
    view! {
        <PageHeader title=i18n.t(Msg::NavCatalog).to_owned() />
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match products.await {
                    Ok(list) => view! {
                        <table class="table" data-testid="products">
                            <thead><tr>
                                <th scope="col">"SKU"</th><th scope="col">{i18n.t(Msg::Name)}</th>
                                <th scope="col" class="num">{i18n.t(Msg::UnitPrice)}</th><th scope="col">{i18n.t(Msg::VatRate)}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|p| view! {
                                    <tr>
                                        <td>{p.sku}</td><td>{p.name}</td>
                                        <td class="num">{p.currency}" "{format_minor(p.unit_price_minor)}" / "{p.unit}</td>
                                        <td>{i18n.t(vat_label(p.vat_code))}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
        <section class="page-card" aria-labelledby="new-product">
            <h2 id="new-product">{i18n.t(Msg::NewProduct)}</h2>
            <form class="form" on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(SaveProduct { id: None, input: ProductInput {
                    company_id: company.get_untracked(),
                    sku: sku.get_untracked(),
                    name: name.get_untracked(),
                    description: String::new(),
                    unit: unit.get_untracked(),
                    unit_price: price.get_untracked(),
                    currency: currency.get_untracked().code().to_owned(),
                    vat_code: vat.get_untracked(),
                    active: true,
                }});
            }>
                <FormError error />
                <div class="grid-2">
                    <div class="field">
                        <label for="p-company">{i18n.t(Msg::CompanySwitcher)}</label>
                        <select id="p-company" on:change=move |ev| { if let Ok(c) = event_target_value(&ev).parse::<Uuid>() { company.set(c) } }>
                            {companies.iter().map(|c| view! { <option value=c.id.to_string()>{c.name.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field"><label for="p-sku">"SKU"</label>
                        <input id="p-sku" prop:value=sku on:input=move |ev| sku.set(event_target_value(&ev)) />
                        <p class="field-error" role="alert">{problem("sku")}</p></div>
                    <div class="field"><label for="p-name">{i18n.t(Msg::Name)}</label>
                        <input id="p-name" prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                        <p class="field-error" role="alert">{problem("name")}</p></div>
                    <div class="field"><label for="p-unit">{i18n.t(Msg::Unit)}</label>
                        <input id="p-unit" prop:value=unit on:input=move |ev| unit.set(event_target_value(&ev)) /></div>
                    <div class="field"><label for="p-price">{i18n.t(Msg::UnitPrice)}</label>
                        <input id="p-price" inputmode="decimal" prop:value=price on:input=move |ev| price.set(event_target_value(&ev)) />
                        <p class="field-error" role="alert">{problem("unit_price")}</p></div>
                    <div class="field"><label for="p-currency">{i18n.t(Msg::Currency)}</label>
                        <select id="p-currency" on:change=move |ev| { if let Some(c) = Currency::parse(&event_target_value(&ev)) { currency.set(c) } }>
                            {Currency::ALL.iter().map(|c| view! { <option value=c.code()>{c.code()}</option> }).collect_view()}
                        </select></div>
                    <div class="field"><label for="p-vat">{i18n.t(Msg::VatRate)}</label>
                        <select id="p-vat" on:change=move |ev| { if let Some(v) = VatCode::parse(&event_target_value(&ev)) { vat.set(v) } }>
                            {VatCode::ALL.iter().map(|v| view! { <option value=v.as_str()>{i18n.t(vat_label(*v))}</option> }).collect_view()}
                        </select></div>
                </div>
                <button type="submit" class="button">{i18n.t(Msg::Save)}</button>
            </form>
        </section>
        <section class="page-card" aria-labelledby="vat-title">
            <h2 id="vat-title">{i18n.t(Msg::VatRates)}</h2>
            <Suspense>
                {move || Suspend::new(async move {
                    let list = rates.await.unwrap_or_default();
                    view! {
                        <table class="table">
                            <thead><tr><th scope="col">{i18n.t(Msg::VatRate)}</th><th scope="col">{i18n.t(Msg::ValidFrom)}</th><th scope="col">{i18n.t(Msg::ValidTo)}</th><th scope="col" class="num">"%"</th></tr></thead>
                            <tbody>{list.into_iter().map(|r| view! {
                                <tr><td>{i18n.t(vat_label(r.code))}</td><td>{r.valid_from}</td><td>{r.valid_to}</td><td class="num">{format_percent_bp(r.rate_bp)}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Terms-of-sale versions per company: write a draft, put it in force.
#[component]
pub fn Terms() -> impl IntoView {
    let i18n = use_i18n();
    let companies = use_user().map(|u| u.companies).unwrap_or_default();
    let company = RwSignal::new(companies.first().map(|c| c.id).unwrap_or_default());
    let save = ServerAction::<SaveTerms>::new();
    let activate = ServerAction::<ActivateTerms>::new();
    let versions = Resource::new(
        move || {
            (
                company.get(),
                save.version().get(),
                activate.version().get(),
            )
        },
        |(c, ..)| list_terms(c),
    );
    let error = action_error(save.value());
    let activate_error = action_error(activate.value());
    let title = RwSignal::new(String::new());
    let content = RwSignal::new(String::new());
    let effective = RwSignal::new(String::new());
    view! {
        <PageHeader title=i18n.t(Msg::NavTerms).to_owned() />
        <div class="field">
            <label for="t-company">{i18n.t(Msg::CompanySwitcher)}</label>
            <select id="t-company" on:change=move |ev| { if let Ok(c) = event_target_value(&ev).parse::<Uuid>() { company.set(c) } }>
                {companies.iter().map(|c| view! { <option value=c.id.to_string()>{c.name.clone()}</option> }).collect_view()}
            </select>
        </div>
        <FormError error=activate_error />
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match versions.await {
                    Ok(list) => view! {
                        <ul class="terms-list" data-testid="terms">
                            {list.into_iter().map(|t| {
                                let tid = t.id;
                                view! {
                                    <li>
                                        <strong>{format!("v{} · {}", t.version, t.title)}</strong>" · "{t.status.clone()}" · "{t.effective_date}
                                        <br /><small class="muted">"SHA-256 "{t.content_hash}</small>
                                        {(t.status == "draft").then(|| view! {
                                            <button class="button secondary" on:click=move |_| { activate.dispatch(ActivateTerms { id: tid }); }>{i18n.t(Msg::PutInForce)}</button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
        <section class="page-card" aria-labelledby="new-terms">
            <h2 id="new-terms">{i18n.t(Msg::NewTermsVersion)}</h2>
            <form class="form" on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(SaveTerms { id: None, company_id: company.get_untracked(), title: title.get_untracked(), content: content.get_untracked(), effective_date: effective.get_untracked() });
            }>
                <FormError error />
                <div class="field"><label for="t-title">{i18n.t(Msg::Title)}</label>
                    <input id="t-title" prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) /></div>
                <div class="field"><label for="t-date">{i18n.t(Msg::ValidFrom)}</label>
                    <input id="t-date" type="date" prop:value=effective on:input=move |ev| effective.set(event_target_value(&ev)) /></div>
                <div class="field"><label for="t-content">{i18n.t(Msg::Content)}</label>
                    <textarea id="t-content" rows="10" prop:value=content on:input=move |ev| content.set(event_target_value(&ev))></textarea></div>
                <button type="submit" class="button">{i18n.t(Msg::Save)}</button>
            </form>
        </section>
    }
}

/// Emails queued and sent (development and tests read them here).
#[component]
pub fn Emails() -> impl IntoView {
    let i18n = use_i18n();
    let emails = Resource::new(|| (), |_| list_emails(None, None));
    view! {
        <PageHeader title=i18n.t(Msg::NavEmails).to_owned() />
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match emails.await {
                    Ok(list) => view! {
                        <ul class="emails" data-testid="emails">
                            {list.into_iter().map(|e| view! {
                                <li class="page-card">
                                    <p><strong>{e.subject}</strong>" → "{e.to_address}</p>
                                    <p class="muted">{e.created_at}" · "{e.sent_at.map(|s| format!("✓ {s}")).unwrap_or_else(|| format!("{} ({})", i18n.t(Msg::Queued), e.attempts))}</p>
                                    <pre class="email-body">{e.body_text}</pre>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The projects of the user's companies.
#[component]
pub fn Projects() -> impl IntoView {
    let i18n = use_i18n();
    let projects = Resource::new(|| (), |_| list_projects(None));
    view! {
        <PageHeader title=i18n.t(Msg::NavProjects).to_owned() />
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match projects.await {
                    Ok(list) => view! { <ProjectTable list /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A table of projects (both portals).
#[component]
pub fn ProjectTable(list: Vec<crate::api::projects::ProjectSummary>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="table" data-testid="projects">
            <thead><tr>
                <th scope="col">{i18n.t(Msg::Name)}</th><th scope="col">{i18n.t(Msg::Client)}</th>
                <th scope="col">{i18n.t(Msg::Status)}</th><th scope="col">{i18n.t(Msg::Quote)}</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|p| view! {
                    <tr id=format!("project-{}", p.id)>
                        <td>{p.name}" "<small class="muted">{p.company_code}</small></td>
                        <td>{p.party_name}</td>
                        <td><span class=format!("badge badge-{}", p.status)>{i18n.t(project_status(&p.status))}</span></td>
                        <td>{p.quote_number.unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The label of a project status.
pub fn project_status(status: &str) -> Msg {
    match status {
        "planning" => Msg::ProjectPlanning,
        "deposit_pending" => Msg::ProjectDepositPending,
        "active" => Msg::ProjectActive,
        "completed" => Msg::StatusCompleted,
        _ => Msg::StatusCancelled,
    }
}
