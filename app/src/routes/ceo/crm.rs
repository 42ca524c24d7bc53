//! `/ceo/crm` (client, supplier, partner companies and their contacts) and `/ceo/leads`.

use leptos::prelude::*;

use crate::components::datatable::DataList;
use crate::lists::ListKind;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api::crm::{
    get_lead, party_detail, AddLeadActivity, ConvertLead, InviteContact, SaveContact, SaveLead,
    SaveParty,
};
use crate::components::forms::{
    action_error, go_to, ChoiceField, CompanyField, FormError, TextField,
};
use crate::components::ui::{use_user, ErrorNote, PageHeader};
use crate::crm::{ActivityView, ContactInput, ContactView, LeadInput, PartyInput};
use crate::domain::format::date;
use crate::domain::money::Currency;
use crate::domain::status::ActivityKind;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale, Msg};

/// `/ceo/crm`: companies with search, kind filter, sorting and paging in the URL.
#[component]
pub fn PartyList() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=i18n.t(Msg::NavCrm).to_owned()>
            <a class="button" href="/ceo/crm/new" data-testid="new-party">{i18n.t(Msg::NewCompany)}</a>
        </PageHeader>
        <DataList kind=ListKind::Parties />
    }
}

/// `/ceo/crm/new` and `/ceo/crm/:id`: a company's form, and its contacts.
#[component]
pub fn PartyPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let contact_saved = RwSignal::new(0u32);
    let detail = Resource::new(
        move || (id(), contact_saved.get()),
        |(id, _)| async move {
            match id {
                Some(id) => party_detail(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => {
                        let pid = d.as_ref().map(|d| d.id);
                        let company = d.as_ref().map(|d| d.input.company_id);
                        let contacts = d.as_ref().map(|d| d.contacts.clone()).unwrap_or_default();
                        view! {
                            <PartyForm id=pid input=d.map(|d| d.input) />
                            {pid.zip(company).map(|(pid, company)| view! { <Contacts party=pid company contacts saved=contact_saved /> })}
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PartyForm(id: Option<Uuid>, input: Option<PartyInput>) -> impl IntoView {
    let i18n = use_i18n();
    let first = use_user()
        .and_then(|u| u.companies.first().map(|c| c.id))
        .unwrap_or_default();
    let input = input.unwrap_or_else(|| PartyInput::new_client(first));
    let company = RwSignal::new(input.company_id);
    let kind = RwSignal::new(input.kind);
    let name = RwSignal::new(input.name);
    let email = RwSignal::new(input.email);
    let phone = RwSignal::new(input.phone);
    let street = RwSignal::new(input.street);
    let building = RwSignal::new(input.building_number);
    let postal = RwSignal::new(input.postal_code);
    let town = RwSignal::new(input.town);
    let country = RwSignal::new(input.country);
    let vat = RwSignal::new(input.vat_number);
    let iban = RwSignal::new(input.iban);
    let language = RwSignal::new(input.language);
    let notes = RwSignal::new(input.notes);
    let save = ServerAction::<SaveParty>::new();
    let error = action_error(save.value());
    Effect::new(move |_| {
        if let (Some(Ok(saved)), None) = (save.value().get(), id) {
            go_to(&format!("/ceo/crm/{saved}"));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveParty {
            id,
            input: PartyInput {
                company_id: company.get_untracked(),
                kind: kind.get_untracked(),
                name: name.get_untracked(),
                email: email.get_untracked(),
                phone: phone.get_untracked(),
                street: street.get_untracked(),
                building_number: building.get_untracked(),
                postal_code: postal.get_untracked(),
                town: town.get_untracked(),
                country: country.get_untracked(),
                vat_number: vat.get_untracked(),
                iban: iban.get_untracked(),
                language: language.get_untracked(),
                notes: notes.get_untracked(),
            },
        });
    };
    let title = if id.is_some() {
        name.get_untracked()
    } else {
        i18n.t(Msg::NewCompany).to_owned()
    };
    view! {
        <PageHeader title />
        <form class="form" on:submit=submit novalidate data-testid="party-form">
            <FormError error />
            {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <p class="alert alert-ok" role="status">{i18n.t(Msg::Saved)}</p> })}
            <div class="grid-2">
                {id.is_none().then(|| view! { <CompanyField value=company /> })}
                <ChoiceField name="kind" label=i18n.t(Msg::Kind) value=kind error />
                <TextField name="name" label=i18n.t(Msg::Name) value=name error />
                <TextField name="email" label=i18n.t(Msg::Email) value=email error kind="email" />
                <TextField name="phone" label=i18n.t(Msg::Phone) value=phone error kind="tel" />
                <TextField name="street" label=i18n.t(Msg::Street) value=street error />
                <TextField name="building_number" label=i18n.t(Msg::BuildingNumber) value=building error />
                <TextField name="postal_code" label=i18n.t(Msg::PostalCode) value=postal error />
                <TextField name="town" label=i18n.t(Msg::Town) value=town error />
                <TextField name="country" label=i18n.t(Msg::Country) value=country error />
                <TextField name="vat_number" label=i18n.t(Msg::VatNumber) value=vat error />
                <TextField name="iban" label="IBAN" value=iban error />
                <ChoiceField name="language" label=i18n.t(Msg::DocumentLanguage) value=language error />
            </div>
            <div class="field">
                <label for="f-notes">{i18n.t(Msg::Notes)}</label>
                <textarea id="f-notes" rows="3" prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            </div>
            <button type="submit" class="button" data-testid="save-party">{i18n.t(Msg::Save)}</button>
        </form>
    }
}

#[component]
fn Contacts(
    party: Uuid,
    company: Uuid,
    contacts: Vec<ContactView>,
    saved: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveContact>::new();
    let invite = ServerAction::<InviteContact>::new();
    let error = action_error(save.value());
    let invite_error = action_error(invite.value());
    let first = RwSignal::new(String::new());
    let last = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let job = RwSignal::new(String::new());
    let language = RwSignal::new(Locale::Fr);
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            saved.update(|n| *n += 1);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveContact {
            id: None,
            input: ContactInput {
                company_id: company,
                party_id: party,
                first_name: first.get_untracked(),
                last_name: last.get_untracked(),
                email: email.get_untracked(),
                phone: phone.get_untracked(),
                job_title: job.get_untracked(),
                language: language.get_untracked(),
            },
        });
    };
    view! {
        <section class="page-card" aria-labelledby="contacts-title">
            <h2 id="contacts-title">{i18n.t(Msg::Contacts)}</h2>
            <FormError error=invite_error />
            {move || matches!(invite.value().get(), Some(Ok(_))).then(|| view! { <p class="alert alert-ok" role="status">{i18n.t(Msg::InvitationSent)}</p> })}
            <ul class="contact-list" data-testid="contacts">
                {contacts.into_iter().map(|c| {
                    let cid = c.id;
                    view! {
                        <li>
                            <strong>{format!("{} {}", c.first_name, c.last_name)}</strong>
                            " · "{c.email.clone().unwrap_or_default()}" · "{c.job_title.clone()}
                            {if c.has_login {
                                view! { <span class="badge badge-active">{i18n.t(Msg::HasPortalAccess)}</span> }.into_any()
                            } else {
                                view! {
                                    <button type="button" class="button secondary" data-testid="invite"
                                        on:click=move |_| { invite.dispatch(InviteContact { id: cid }); }>
                                        {i18n.t(Msg::InviteToPortal)}
                                    </button>
                                }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <h3>{i18n.t(Msg::NewContact)}</h3>
            <form class="form" on:submit=submit novalidate data-testid="contact-form">
                <FormError error />
                <div class="grid-2">
                    <TextField scope="c" name="first_name" label=i18n.t(Msg::FirstName) value=first error />
                    <TextField scope="c" name="last_name" label=i18n.t(Msg::LastName) value=last error />
                    <TextField scope="c" name="email" label=i18n.t(Msg::Email) value=email error kind="email" />
                    <TextField scope="c" name="phone" label=i18n.t(Msg::Phone) value=phone error kind="tel" />
                    <TextField scope="c" name="job_title" label=i18n.t(Msg::JobTitle) value=job error />
                    <ChoiceField scope="c" name="language" label=i18n.t(Msg::DocumentLanguage) value=language error />
                </div>
                <button type="submit" class="button" data-testid="save-contact">{i18n.t(Msg::AddContact)}</button>
            </form>
        </section>
    }
}

/// `/ceo/leads`: the pipeline by status.
#[component]
pub fn LeadList() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=i18n.t(Msg::NavLeads).to_owned()>
            <a class="button" href="/ceo/leads/new">{i18n.t(Msg::NewLead)}</a>
        </PageHeader>
        <DataList kind=ListKind::Leads />
    }
}

/// `/ceo/leads/new` and `/ceo/leads/:id`: the lead, its activities, conversion.
#[component]
pub fn LeadPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let activity = ServerAction::<AddLeadActivity>::new();
    let lead = Resource::new(
        move || (id(), activity.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_lead(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match lead.await {
                    Ok(detail) => {
                        let lid = detail.as_ref().map(|d| d.id);
                        let activities = detail.as_ref().map(|d| d.activities.clone()).unwrap_or_default();
                        let converted = detail.as_ref().and_then(|d| d.party_id);
                        view! {
                            <LeadForm id=lid input=detail.map(|d| d.input) />
                            {lid.map(|lid| view! { <LeadActivities lead=lid activities action=activity converted /> })}
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LeadForm(id: Option<Uuid>, input: Option<LeadInput>) -> impl IntoView {
    let i18n = use_i18n();
    let first = use_user()
        .and_then(|u| u.companies.first().map(|c| c.id))
        .unwrap_or_default();
    let input = input.unwrap_or_else(|| LeadInput::new(first));
    let company = RwSignal::new(input.company_id);
    let title = RwSignal::new(input.title);
    let organisation = RwSignal::new(input.organisation);
    let contact = RwSignal::new(input.contact_name);
    let email = RwSignal::new(input.email);
    let phone = RwSignal::new(input.phone);
    let source = RwSignal::new(input.source);
    let status = RwSignal::new(input.status);
    let score = RwSignal::new(input.score);
    let value = RwSignal::new(input.estimated_value);
    let currency = RwSignal::new(input.currency);
    let notes = RwSignal::new(input.notes);
    let reseller = input.reseller_party_id;
    let save = ServerAction::<SaveLead>::new();
    let error = action_error(save.value());
    Effect::new(move |_| {
        if let (Some(Ok(saved)), None) = (save.value().get(), id) {
            go_to(&format!("/ceo/leads/{saved}"));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveLead {
            id,
            input: LeadInput {
                company_id: company.get_untracked(),
                title: title.get_untracked(),
                organisation: organisation.get_untracked(),
                contact_name: contact.get_untracked(),
                email: email.get_untracked(),
                phone: phone.get_untracked(),
                source: source.get_untracked(),
                status: status.get_untracked(),
                score: score.get_untracked(),
                estimated_value: value.get_untracked(),
                currency: currency.get_untracked(),
                reseller_party_id: reseller,
                notes: notes.get_untracked(),
            },
        });
    };
    let heading = if id.is_some() {
        title.get_untracked()
    } else {
        i18n.t(Msg::NewLead).to_owned()
    };
    view! {
        <PageHeader title=heading />
        <form class="form" on:submit=submit novalidate>
            <FormError error />
            {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <p class="alert alert-ok" role="status">{i18n.t(Msg::Saved)}</p> })}
            <div class="grid-2">
                {id.is_none().then(|| view! { <CompanyField value=company /> })}
                <TextField name="title" label=i18n.t(Msg::Title) value=title error />
                <TextField name="organisation" label=i18n.t(Msg::Organisation) value=organisation error />
                <TextField name="contact_name" label=i18n.t(Msg::Contact) value=contact error />
                <TextField name="email" label=i18n.t(Msg::Email) value=email error kind="email" />
                <TextField name="phone" label=i18n.t(Msg::Phone) value=phone error kind="tel" />
                <ChoiceField name="source" label=i18n.t(Msg::Source) value=source error />
                <ChoiceField name="status" label=i18n.t(Msg::Status) value=status error />
                <TextField name="score" label=i18n.t(Msg::Score) value=score error />
                <TextField name="estimated_value" label=i18n.t(Msg::EstimatedValue) value=value error />
                <div class="field">
                    <label for="f-currency">{i18n.t(Msg::Currency)}</label>
                    <select id="f-currency" on:change=move |ev| {
                        if let Some(c) = Currency::parse(&event_target_value(&ev)) { currency.set(c) }
                    }>
                        {Currency::ALL.iter().map(|c| {
                            let c = *c;
                            view! { <option value=c.code() selected=move || currency.get() == c>{c.code()}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="field">
                <label for="f-notes">{i18n.t(Msg::Notes)}</label>
                <textarea id="f-notes" rows="3" prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            </div>
            <button type="submit" class="button">{i18n.t(Msg::Save)}</button>
        </form>
    }
}

#[component]
fn LeadActivities(
    lead: Uuid,
    activities: Vec<ActivityView>,
    action: ServerAction<AddLeadActivity>,
    converted: Option<Uuid>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action.value());
    let convert = ServerAction::<ConvertLead>::new();
    let convert_error: Signal<Option<AppError>> = action_error(convert.value());
    Effect::new(move |_| {
        if let Some(Ok(c)) = convert.value().get() {
            go_to(&format!("/ceo/quotes/{}/edit", c.quote_id));
        }
    });
    let kind = RwSignal::new(ActivityKind::Note);
    let note = RwSignal::new(String::new());
    view! {
        <section class="page-card" aria-labelledby="activities-title">
            <h2 id="activities-title">{i18n.t(Msg::Activities)}</h2>
            <form class="form inline" on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(AddLeadActivity { lead_id: lead, kind: kind.get_untracked(), note: note.get_untracked() });
                note.set(String::new());
            }>
                <FormError error />
                <ChoiceField name="kind" label=i18n.t(Msg::Kind) value=kind error />
                <TextField name="note" label=i18n.t(Msg::Note) value=note error />
                <button type="submit" class="button secondary">{i18n.t(Msg::AddActivity)}</button>
            </form>
            <ul class="timeline">
                {activities.into_iter().map(|a| view! {
                    <li><strong>{i18n.t(a.kind.label())}</strong>" · "<time datetime=a.at.clone()>{date(i18n.locale, &a.at)}</time><p>{a.note}</p></li>
                }).collect_view()}
            </ul>
        </section>
        <section class="page-card" aria-labelledby="convert-title">
            <h2 id="convert-title">{i18n.t(Msg::ConvertLead)}</h2>
            <FormError error=convert_error />
            {match converted {
                Some(party) => view! { <p><a href=format!("/ceo/crm/{party}")>{i18n.t(Msg::OpenClient)}</a></p> }.into_any(),
                None => view! {
                    <p>{i18n.t(Msg::ConvertLeadIntro)}</p>
                    <button class="button" on:click=move |_| { convert.dispatch(ConvertLead { id: lead }); }>{i18n.t(Msg::ConvertLead)}</button>
                }.into_any(),
            }}
        </section>
    }
}

/// `/ceo/contacts`: every contact person, searchable and exportable.
#[component]
pub fn ContactList() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=i18n.t(Msg::NavContacts).to_owned() />
        <DataList kind=ListKind::Contacts />
    }
}
