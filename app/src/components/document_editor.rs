//! The pieces the quote and invoice editors share: the client and contact pickers of a company,
//! and the lines editor (catalogue product, description, quantity, price, discount, VAT, date).

use leptos::prelude::*;
use uuid::Uuid;

use crate::api::catalog::list_products;
use crate::api::crm::{party_choices, party_detail};
use crate::billing::LineInput;
use crate::components::ui::use_user;
use crate::domain::money::{format_plain, Currency};
use crate::domain::status::PartyKind;
use crate::domain::vat::VatCode;
use crate::error::AppError;
use crate::i18n::{use_i18n, Msg};

/// A new line dated `today`.
pub fn blank_line(today: &str) -> LineInput {
    LineInput {
        vat_code: VatCode::Standard,
        quantity: "1".into(),
        unit: "pce".into(),
        service_date: today.to_owned(),
        ..LineInput::default()
    }
}

/// Today in Switzerland as `YYYY-MM-DD`, wherever the code runs (the browser asks for the
/// Europe/Zurich date, so a laptop abroad still dates documents the Swiss way).
pub fn today_iso() -> String {
    #[cfg(feature = "ssr")]
    {
        crate::domain::calendar::iso_date(crate::domain::calendar::today())
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        use wasm_bindgen::JsValue;
        use web_sys::js_sys::{Array, Date, Intl, Object, Reflect};
        let options = Object::new();
        let _ = Reflect::set(&options, &"timeZone".into(), &"Europe/Zurich".into());
        // The en-CA format is YYYY-MM-DD.
        let format = Intl::DateTimeFormat::new(&Array::of1(&"en-CA".into()), &options);
        let text = format
            .format()
            .call1(&JsValue::NULL, &Date::new_0())
            .ok()
            .and_then(|v| v.as_string());
        text.unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        String::new()
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

/// The editable lines of a document, each with a stable key for the list.
#[derive(Clone, Copy)]
pub struct Lines {
    rows: RwSignal<Vec<(usize, RwSignal<LineInput>)>>,
    next_key: StoredValue<usize>,
}

impl Lines {
    /// Lines to edit, starting with `initial`.
    pub fn new(initial: Vec<LineInput>) -> Lines {
        let lines = Lines {
            rows: RwSignal::new(Vec::new()),
            next_key: StoredValue::new(0),
        };
        for l in initial {
            lines.push(l);
        }
        lines
    }

    fn push(self, line: LineInput) {
        let k = self.next_key.get_value();
        self.next_key.set_value(k + 1);
        self.rows.update(|all| all.push((k, RwSignal::new(line))));
    }

    /// The lines as typed.
    pub fn values(self) -> Vec<LineInput> {
        self.rows
            .get_untracked()
            .iter()
            .map(|(_, l)| l.get_untracked())
            .collect()
    }
}

/// Company, client and contact of a document: the company among the user's, the client among
/// that company's clients, the contact among that client's people.
#[component]
pub fn PartyFields(
    company: RwSignal<Uuid>,
    party: RwSignal<String>,
    contact: RwSignal<String>,
    currency: RwSignal<Currency>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let companies = use_user().map(|u| u.companies).unwrap_or_default();
    let parties = Resource::new(
        move || company.get(),
        |c| party_choices(c, Some(PartyKind::Client), None),
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
    let problem = move |field: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.field_problem(field))
                .map(|p| p.message(i18n.locale))
        }
    };
    view! {
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
            <p class="field-error" role="alert">{problem("party_id")}</p>
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
            <p class="field-error" role="alert">{problem("contact_id")}</p>
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
            <p class="field-error" role="alert">{problem("currency")}</p>
        </div>
    }
    .into_any()
}

/// The lines editor: one row per line, add and remove, errors by `lines.{i}.{field}`.
#[component]
pub fn LinesEditor(
    lines: Lines,
    company: RwSignal<Uuid>,
    error: Signal<Option<AppError>>,
    /// Whether each line has its own service date (subscriptions' items take the period's).
    #[prop(default = true)]
    dated: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let products = Resource::new(move || company.get(), |c| list_products(Some(c), None));
    let problem = move |field: String| {
        move || {
            error
                .get()
                .and_then(|e| e.field_problem(&field))
                .map(|p| p.message(i18n.locale))
        }
    };
    let today = today_iso();
    let rows = lines.rows;
    view! {
        <fieldset class="lines-editor">
            <legend>{i18n.t(Msg::Lines)}</legend>
            <p class="field-error" role="alert">{problem("lines".into())}</p>
            <For
                each={move || rows.get().into_iter().enumerate().collect::<Vec<_>>()}
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
                                                {list.into_iter().map(|p| {
                                                    let pid = p.id;
                                                    view! { <option value=p.id.to_string() selected=move || line.get().product_id == Some(pid)>{format!("{} – {}", p.sku, p.name)}</option> }
                                                }).collect_view()}
                                            </select>
                                        }
                                    })}
                                </Suspense>
                                <p class="field-error" role="alert">{problem(field("product_id"))}</p>
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
                            {dated.then(|| view! {
                                <div class="field small">
                                    <label for=id_for("service_date")>{i18n.t(Msg::ServiceDate)}</label>
                                    <input id=id_for("service_date") type="date" prop:value=move || line.get().service_date
                                        on:input=move |ev| line.update(|l| l.service_date = event_target_value(&ev)) />
                                    <p class="field-error" role="alert">{problem(field("service_date"))}</p>
                                </div>
                            })}
                            <button type="button" class="button secondary remove-line"
                                aria-label=format!("{} {}", i18n.t(Msg::RemoveLine), i + 1)
                                on:click=move |_| rows.update(|all| { if all.len() > 1 { all.remove(i); } })>
                                "×"
                            </button>
                        </div>
                    }
                    .into_any()
                }}
            />
            <button type="button" class="button secondary" data-testid="add-line"
                on:click=move |_| lines.push(blank_line(&today))>{i18n.t(Msg::AddLine)}</button>
        </fieldset>
    }
    .into_any()
}
