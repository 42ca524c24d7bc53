//! `/ceo/companies`: the owner companies; `/ceo/companies/:id`: one company's settings —
//! identity and logo, documents and numbering, email sender, bank accounts, deposit rules.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::admin::{BankAccountInput, CompanyPage, CompanySettings, DepositRuleInput};
use crate::api::admin::{load_company_settings, SaveBankAccount, SaveCompany, SaveDepositRule};
use crate::components::forms::{action_error, ChoiceField, FormError, TextField};
use crate::components::ui::{use_user, ErrorNote, PageHeader};
use crate::domain::money::Currency;
use crate::i18n::{use_i18n, AdminMsg, Msg, PayMsg};

/// The companies the user works in, each linking to its settings.
#[component]
pub fn Companies() -> impl IntoView {
    let i18n = use_i18n();
    let companies = use_user().map(|u| u.companies).unwrap_or_default();
    view! {
        <PageHeader title=i18n.t(Msg::NavCompanySettings).to_owned() />
        <ul class="cards" data-testid="companies">
            {companies.into_iter().map(|c| view! {
                <li class="card">
                    <span class="swatch" style:background-color=c.colour.clone()></span>
                    <a href=format!("/ceo/companies/{}", c.id)>{c.name}</a>
                    <small class="muted">" "{c.code}</small>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// One company's settings.
#[component]
pub fn CompanySettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let account = ServerAction::<SaveBankAccount>::new();
    let rule = ServerAction::<SaveDepositRule>::new();
    let logo_version = RwSignal::new(0u32);
    let page = Resource::new(
        move || {
            (
                id(),
                account.version().get(),
                rule.version().get(),
                logo_version.get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => load_company_settings(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <CompanyBody page=p account rule logo_version /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn CompanyBody(
    page: CompanyPage,
    account: ServerAction<SaveBankAccount>,
    rule: ServerAction<SaveDepositRule>,
    logo_version: RwSignal<u32>,
) -> impl IntoView {
    let company_id = page.settings.id;
    let title = page.settings.name.clone();
    let has_logo = page.settings.has_logo;
    view! {
        <PageHeader title />
        <SettingsForm settings=page.settings />
        <LogoForm company_id has_logo version=logo_version />
        <Accounts company_id accounts=page.accounts action=account />
        <DepositRules company_id rules=page.deposit_rules action=rule />
    }
    .into_any()
}

#[component]
fn SettingsForm(settings: CompanySettings) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveCompany>::new();
    let error = action_error(save.value());
    let s = settings.clone();
    let field = |v: String| RwSignal::new(v);
    let name = field(s.name);
    let legal_name = field(s.legal_name);
    let uid = field(s.uid);
    let vat_number = field(s.vat_number);
    let street = field(s.street);
    let building = field(s.building_number);
    let postal = field(s.postal_code);
    let town = field(s.town);
    let country = field(s.country);
    let email = field(s.email);
    let phone = field(s.phone);
    let colour = field(s.colour);
    let terms = field(s.payment_terms_days);
    let round_5 = RwSignal::new(s.round_to_5_centimes);
    let vat_rounding = RwSignal::new(s.vat_rounding);
    let quote_format = field(s.quote_number_format);
    let invoice_format = field(s.invoice_number_format);
    let credit_format = field(s.credit_note_number_format);
    let language = RwSignal::new(s.document_language);
    let sender = field(s.sender_name);
    let reply_to = field(s.reply_to);
    let ceo_above = field(s.bill_ceo_above);
    let code_above = field(s.bill_second_factor_above);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveCompany {
            settings: CompanySettings {
                name: name.get_untracked(),
                legal_name: legal_name.get_untracked(),
                uid: uid.get_untracked(),
                vat_number: vat_number.get_untracked(),
                street: street.get_untracked(),
                building_number: building.get_untracked(),
                postal_code: postal.get_untracked(),
                town: town.get_untracked(),
                country: country.get_untracked(),
                email: email.get_untracked(),
                phone: phone.get_untracked(),
                colour: colour.get_untracked(),
                payment_terms_days: terms.get_untracked(),
                round_to_5_centimes: round_5.get_untracked(),
                vat_rounding: vat_rounding.get_untracked(),
                quote_number_format: quote_format.get_untracked(),
                invoice_number_format: invoice_format.get_untracked(),
                credit_note_number_format: credit_format.get_untracked(),
                document_language: language.get_untracked(),
                sender_name: sender.get_untracked(),
                reply_to: reply_to.get_untracked(),
                bill_ceo_above: ceo_above.get_untracked(),
                bill_second_factor_above: code_above.get_untracked(),
                ..settings.clone()
            },
        });
    };
    let identity = view! {
        <fieldset>
            <legend>{i18n.t(AdminMsg::Identity)}</legend>
            <div class="grid-2">
                <TextField name="name" label=i18n.t(Msg::Name) value=name error />
                <TextField name="legal_name" label=i18n.t(AdminMsg::LegalName) value=legal_name error />
                <TextField name="uid" label=i18n.t(AdminMsg::Uid) value=uid error />
                <TextField name="vat_number" label=i18n.t(Msg::VatNumber) value=vat_number error />
                <TextField name="street" label=i18n.t(Msg::Street) value=street error />
                <TextField name="building_number" label=i18n.t(Msg::BuildingNumber) value=building error />
                <TextField name="postal_code" label=i18n.t(Msg::PostalCode) value=postal error />
                <TextField name="town" label=i18n.t(Msg::Town) value=town error />
                <TextField name="country" label=i18n.t(Msg::Country) value=country error />
                <TextField name="email" label=i18n.t(Msg::Email) value=email error kind="email" />
                <TextField name="phone" label=i18n.t(Msg::Phone) value=phone error kind="tel" />
                <TextField name="colour" label=i18n.t(AdminMsg::Colour) value=colour error />
            </div>
        </fieldset>
    }
    .into_any();
    let documents = view! {
        <fieldset>
            <legend>{i18n.t(AdminMsg::Documents)}</legend>
            <div class="grid-2">
                <TextField name="payment_terms_days" label=i18n.t(AdminMsg::PaymentTerms) value=terms error inputmode="numeric" />
                <ChoiceField name="vat_rounding" label=i18n.t(AdminMsg::VatRounding) value=vat_rounding error />
                <div class="field">
                    <label class="check" for="f-round5">
                        <input type="checkbox" id="f-round5" prop:checked=round_5
                            on:change=move |ev| round_5.set(event_target_checked(&ev)) />
                        {i18n.t(AdminMsg::RoundTo5)}
                    </label>
                </div>
                <ChoiceField name="document_language" label=i18n.t(AdminMsg::DocumentLanguage) value=language error />
                <TextField name="quote_number_format" label=i18n.t(AdminMsg::QuoteFormat) value=quote_format error hint=i18n.t(AdminMsg::FormatHint) />
                <TextField name="invoice_number_format" label=i18n.t(AdminMsg::InvoiceFormat) value=invoice_format error />
                <TextField name="credit_note_number_format" label=i18n.t(AdminMsg::CreditNoteFormat) value=credit_format error />
            </div>
        </fieldset>
        <fieldset>
            <legend>{i18n.t(AdminMsg::Mail)}</legend>
            <div class="grid-2">
                <TextField name="sender_name" label=i18n.t(AdminMsg::SenderName) value=sender error />
                <TextField name="reply_to" label=i18n.t(AdminMsg::ReplyTo) value=reply_to error kind="email" />
            </div>
        </fieldset>
        <fieldset>
            <legend>{i18n.t(PayMsg::Thresholds)}</legend>
            <div class="grid-2">
                <TextField name="bill_ceo_above" label=i18n.t(AdminMsg::BillCeoAbove) value=ceo_above error inputmode="decimal" />
                <TextField name="bill_second_factor_above" label=i18n.t(AdminMsg::BillCodeAbove) value=code_above error inputmode="decimal" />
            </div>
        </fieldset>
    }
    .into_any();
    view! {
        <form class="form page-card" on:submit=submit novalidate data-testid="company-form">
            <FormError error />
            {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! { <p class="alert alert-ok" role="status">{i18n.t(Msg::Saved)}</p> })}
            {identity}
            {documents}
            <button type="submit" class="button" data-testid="save-company">{i18n.t(Msg::Save)}</button>
        </form>
    }
    .into_any()
}

/// Uploads the chosen file as the logo (the body of a `PUT`, its type as `Content-Type`).
#[cfg(feature = "hydrate")]
async fn upload(company_id: Uuid, input: web_sys::HtmlInputElement) -> bool {
    use wasm_bindgen::JsCast;
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return false;
    };
    let init = web_sys::RequestInit::new();
    init.set_method("PUT");
    init.set_body(&file);
    let headers = web_sys::Headers::new().ok();
    if let Some(h) = &headers {
        let _ = h.set("content-type", &file.type_());
        init.set_headers(h);
    }
    let promise =
        window().fetch_with_str_and_init(&format!("/settings/companies/{company_id}/logo"), &init);
    match wasm_bindgen_futures::JsFuture::from(promise).await {
        Ok(response) => response
            .dyn_into::<web_sys::Response>()
            .map(|r| r.ok())
            .unwrap_or(false),
        Err(_) => false,
    }
}

#[component]
fn LogoForm(company_id: Uuid, has_logo: bool, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let refused = RwSignal::new(false);
    let file = NodeRef::<leptos::html::Input>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(input) = file.get_untracked() {
            leptos::task::spawn_local(async move {
                let ok = upload(company_id, input).await;
                refused.set(!ok);
                if ok {
                    version.update(|v| *v += 1);
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file, company_id);
    };
    view! {
        <section class="page-card" aria-labelledby="logo-title">
            <h2 id="logo-title">{i18n.t(AdminMsg::Logo)}</h2>
            {has_logo.then(|| view! {
                <img class="logo-preview" alt=i18n.t(AdminMsg::Logo)
                    src=move || format!("/settings/companies/{company_id}/logo?v={}", version.get()) />
            })}
            <form class="form inline" on:submit=on_submit>
                <div class="field">
                    <label for="logo-file">{i18n.t(AdminMsg::Logo)}</label>
                    <input id="logo-file" type="file" accept="image/png,image/jpeg" node_ref=file />
                    <p class="field-error" role="alert">{move || refused.get().then(|| i18n.t(AdminMsg::LogoRefused))}</p>
                </div>
                <button type="submit" class="button secondary" data-testid="upload-logo">{i18n.t(AdminMsg::UploadLogo)}</button>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn Accounts(
    company_id: Uuid,
    accounts: Vec<BankAccountInput>,
    action: ServerAction<SaveBankAccount>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action.value());
    let name = RwSignal::new(String::new());
    let iban = RwSignal::new(String::new());
    let qr_iban = RwSignal::new(String::new());
    let currency = RwSignal::new(Currency::CHF);
    let receives = RwSignal::new(true);
    view! {
        <section class="page-card" aria-labelledby="accounts-title">
            <h2 id="accounts-title">{i18n.t(AdminMsg::BankAccounts)}</h2>
            <table class="table" data-testid="bank-accounts">
                <thead><tr>
                    <th scope="col">{i18n.t(AdminMsg::AccountName)}</th>
                    <th scope="col">"IBAN"</th>
                    <th scope="col">"QR-IBAN"</th>
                    <th scope="col">{i18n.t(Msg::Currency)}</th>
                    <th scope="col">{i18n.t(AdminMsg::ReceivesInvoices)}</th>
                </tr></thead>
                <tbody>
                    {accounts.into_iter().map(|a| view! {
                        <tr>
                            <td>{a.name}</td>
                            <td><code>{a.iban}</code></td>
                            <td><code>{a.qr_iban}</code></td>
                            <td>{a.currency.code()}</td>
                            <td>{if a.receives_invoices { "✓" } else { "" }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <h3>{i18n.t(AdminMsg::AddAccount)}</h3>
            <form class="form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(SaveBankAccount { account: BankAccountInput {
                    id: None,
                    company_id,
                    name: name.get_untracked(),
                    iban: iban.get_untracked(),
                    qr_iban: qr_iban.get_untracked(),
                    currency: currency.get_untracked(),
                    receives_invoices: receives.get_untracked(),
                }});
            }>
                <FormError error />
                <div class="grid-2">
                    <TextField scope="b" name="name" label=i18n.t(AdminMsg::AccountName) value=name error />
                    <TextField scope="b" name="iban" label="IBAN" value=iban error />
                    <TextField scope="b" name="qr_iban" label=i18n.t(AdminMsg::QrIban) value=qr_iban error />
                    <div class="field">
                        <label for="b-currency">{i18n.t(Msg::Currency)}</label>
                        <select id="b-currency" on:change=move |ev| {
                            if let Some(c) = Currency::parse(&event_target_value(&ev)) { currency.set(c) }
                        }>
                            {Currency::ALL.iter().map(|c| view! { <option value=c.code()>{c.code()}</option> }).collect_view()}
                        </select>
                    </div>
                    <label class="check" for="b-receives">
                        <input type="checkbox" id="b-receives" prop:checked=receives
                            on:change=move |ev| receives.set(event_target_checked(&ev)) />
                        {i18n.t(AdminMsg::ReceivesInvoices)}
                    </label>
                </div>
                <button type="submit" class="button secondary" data-testid="save-account">{i18n.t(AdminMsg::AddAccount)}</button>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn DepositRules(
    company_id: Uuid,
    rules: Vec<DepositRuleInput>,
    action: ServerAction<SaveDepositRule>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action.value());
    let project_type = RwSignal::new("default".to_owned());
    let percent = RwSignal::new("30".to_owned());
    let due = RwSignal::new("10".to_owned());
    let input = move || DepositRuleInput {
        company_id,
        project_type: project_type.get_untracked(),
        percent: percent.get_untracked(),
        due_days: due.get_untracked(),
    };
    view! {
        <section class="page-card" aria-labelledby="rules-title">
            <h2 id="rules-title">{i18n.t(AdminMsg::DepositRules)}</h2>
            <p class="muted">{i18n.t(AdminMsg::DepositRulesIntro)}</p>
            <table class="table" data-testid="deposit-rules">
                <thead><tr>
                    <th scope="col">{i18n.t(Msg::ProjectType)}</th>
                    <th scope="col" class="num">"%"</th>
                    <th scope="col" class="num">{i18n.t(AdminMsg::DepositDueDays)}</th>
                </tr></thead>
                <tbody>
                    {rules.into_iter().map(|r| view! {
                        <tr><td>{r.project_type}</td><td class="num">{r.percent}</td><td class="num">{r.due_days}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <form class="form inline" novalidate on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(SaveDepositRule { rule: input(), remove: false });
            }>
                <FormError error />
                <TextField scope="r" name="project_type" label=i18n.t(Msg::ProjectType) value=project_type error />
                <TextField scope="r" name="percent" label=i18n.t(Msg::DepositPercent) value=percent error inputmode="decimal" />
                <TextField scope="r" name="due_days" label=i18n.t(AdminMsg::DepositDueDays) value=due error inputmode="numeric" />
                <button type="submit" class="button secondary" data-testid="save-rule">{i18n.t(AdminMsg::AddRule)}</button>
                <button type="button" class="button secondary"
                    on:click=move |_| { action.dispatch(SaveDepositRule { rule: input(), remove: true }); }>
                    {i18n.t(AdminMsg::RemoveRule)}
                </button>
            </form>
        </section>
    }
    .into_any()
}
