//! `/ceo/bills`: supplier bills — the list and the drop zone, and a bill's validation screen
//! (its file beside the fields read from it, supplier, duplicates, deviations, approval).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api::payables::{get_bill, ApproveBill, RejectBill, SaveBill};
use crate::components::datatable::DataList;
use crate::components::forms::{
    action_error, ChoiceField, CompanyField, CurrencyField, FormError, TextField,
};
use crate::components::ui::{use_user, Badge, ErrorNote, PageHeader};
use crate::components::upload::BillDrop;
use crate::domain::status::BillStatus;
use crate::i18n::{use_i18n, Msg, PayMsg};
use crate::lists::ListKind;
use crate::payables::{BillInput, BillView};

/// The bills and the drop zone.
#[component]
pub fn BillList() -> impl IntoView {
    let i18n = use_i18n();
    let first = use_user()
        .and_then(|u| u.companies.first().map(|c| c.id))
        .unwrap_or_default();
    let company = RwSignal::new(first);
    let refresh = RwSignal::new(0u32);
    view! {
        <PageHeader title=i18n.t(Msg::NavBills).to_owned()>
            <a class="button secondary" href="/ceo/bills/runs" data-testid="payment-runs">{i18n.t(PayMsg::PaymentRuns)}</a>
        </PageHeader>
        <CompanyField scope="drop" value=company />
        <BillDrop company=Signal::derive(move || company.get()) base="/ceo" on_done=move |_| refresh.update(|n| *n += 1) />
        {move || {
            refresh.get();
            view! { <DataList kind=ListKind::Bills empty=i18n.t(PayMsg::BillsEmpty) /> }
        }}
    }
    .into_any()
}

/// A bill's validation screen (`/ceo/bills/:id`).
#[component]
pub fn BillPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let save = ServerAction::<SaveBill>::new();
    let approve = ServerAction::<ApproveBill>::new();
    let reject = ServerAction::<RejectBill>::new();
    // Reloaded after a change that went through only: a refused save keeps what was typed.
    let changed = RwSignal::new(0u32);
    let reload_on_success = move |value: Signal<bool>| {
        Effect::new(move |_| {
            if value.get() {
                changed.update(|n| *n += 1);
            }
        });
    };
    reload_on_success(Signal::derive(move || {
        matches!(save.value().get(), Some(Ok(())))
    }));
    reload_on_success(Signal::derive(move || {
        matches!(approve.value().get(), Some(Ok(())))
    }));
    reload_on_success(Signal::derive(move || {
        matches!(reject.value().get(), Some(Ok(())))
    }));
    let bill = Resource::new(
        move || (id(), changed.get()),
        |(id, ..)| async move {
            match id {
                Some(id) => get_bill(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match bill.await {
                    Ok(b) => view! { <BillScreen b save approve reject /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn BillScreen(
    b: BillView,
    save: ServerAction<SaveBill>,
    approve: ServerAction<ApproveBill>,
    reject: ServerAction<RejectBill>,
) -> impl IntoView {
    let i18n = use_i18n();
    let title = if b.input.number.is_empty() {
        b.file_name.clone()
    } else {
        format!("{} {}", i18n.t(PayMsg::Bill), b.input.number)
    };
    let header = view! {
        <PageHeader title=title>
            <span data-testid="bill-status"><Badge label=b.status.label() class=b.status.as_str() /></span>
        </PageHeader>
    }
    .into_any();
    let file = view! { <BillFile b=b.clone() /> }.into_any();
    let warnings = view! { <BillWarnings b=b.clone() /> }.into_any();
    let form = view! { <BillForm b=b.clone() save /> }.into_any();
    let decisions = view! { <BillDecisions b approve reject /> }.into_any();
    view! {
        {header}
        <div class="split">
            {file}
            <section class="page-card" aria-labelledby="fields-title">
                <h2 id="fields-title">{i18n.t(PayMsg::Fields)}</h2>
                {warnings}
                {form}
            </section>
        </div>
        {decisions}
    }
    .into_any()
}

/// The bill's file beside the fields, and what the reading could not do.
#[component]
fn BillFile(b: BillView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page-card viewer" aria-label=i18n.t(PayMsg::Document)>
            {b.file_url.clone().map(|url| view! {
                <iframe src=url.clone() title=i18n.t(PayMsg::Document) data-testid="bill-file"></iframe>
                <p><a href=url rel="external" target="_blank">{b.file_name.clone()}</a></p>
            })}
            {(!b.notes.is_empty()).then(|| view! {
                <ul class="notes">{b.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
            })}
        </section>
    }
    .into_any()
}

/// Possible duplicates, and what the deviation check found.
#[component]
fn BillWarnings(b: BillView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {(!b.duplicates.is_empty()).then(|| view! {
            <div class="alert alert-warning" role="alert" data-testid="duplicates">
                <p>{i18n.t(PayMsg::PossibleDuplicate)}</p>
                <ul>{b.duplicates.iter().map(|d| view! {
                    <li><a href=format!("/ceo/bills/{}", d.id)>{d.number.clone().unwrap_or_default()}</a>
                        " · "{i18n.t(d.status.label())}
                        {d.same_file.then(|| format!(" · {}", i18n.t(PayMsg::SameFile)))}</li>
                }).collect_view()}</ul>
            </div>
        })}
        {(!b.deviations.is_empty()).then(|| view! {
            <div class="alert alert-warning" role="alert" data-testid="deviations">
                <p>{i18n.t(PayMsg::DeviationsFound)}</p>
                <ul>{b.deviations.iter().map(|d| view! { <li>{i18n.t(d.label())}</li> }).collect_view()}</ul>
            </div>
        })}
    }
    .into_any()
}

/// The fields, editable until the bill is approved.
#[component]
fn BillForm(b: BillView, save: ServerAction<SaveBill>) -> impl IntoView {
    let i18n = use_i18n();
    let id = b.id;
    let editable = matches!(b.status, BillStatus::Draft | BillStatus::ToApprove);
    let input = b.input.clone();
    let party = RwSignal::new(input.party_id.map(|p| p.to_string()).unwrap_or_default());
    let new_supplier = RwSignal::new(String::new());
    let number = RwSignal::new(input.number.clone());
    let issue_date = RwSignal::new(input.issue_date.clone());
    let due_date = RwSignal::new(input.due_date.clone());
    let currency = RwSignal::new(input.currency);
    let amount = RwSignal::new(input.amount.clone());
    let vat_standard = RwSignal::new(input.vat_standard.clone());
    let vat_reduced = RwSignal::new(input.vat_reduced.clone());
    let vat_accommodation = RwSignal::new(input.vat_accommodation.clone());
    let iban = RwSignal::new(input.iban.clone());
    let reference_type = RwSignal::new(input.reference_type);
    let reference = RwSignal::new(input.reference.clone());
    let message = RwSignal::new(input.message.clone());
    let cost_account = RwSignal::new(input.cost_account.clone());
    let project = RwSignal::new(input.project_id.map(|p| p.to_string()).unwrap_or_default());
    let expected = RwSignal::new(input.expected_amount.clone());
    let error = action_error(save.value());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveBill {
            id,
            input: BillInput {
                party_id: party.get_untracked().parse().ok(),
                new_supplier: new_supplier.get_untracked(),
                number: number.get_untracked(),
                issue_date: issue_date.get_untracked(),
                due_date: due_date.get_untracked(),
                currency: currency.get_untracked(),
                amount: amount.get_untracked(),
                vat_standard: vat_standard.get_untracked(),
                vat_reduced: vat_reduced.get_untracked(),
                vat_accommodation: vat_accommodation.get_untracked(),
                iban: iban.get_untracked(),
                reference_type: reference_type.get_untracked(),
                reference: reference.get_untracked(),
                message: message.get_untracked(),
                cost_account: cost_account.get_untracked(),
                project_id: project.get_untracked().parse().ok(),
                expected_amount: expected.get_untracked(),
            },
        });
    };
    let sources = b
        .read
        .iter()
        .filter(|f| {
            ["amount", "iban", "reference", "number", "issue_date"].contains(&f.name.as_str())
        })
        .map(|f| format!("{}: {} · {} %", f.name, f.source, f.confidence))
        .collect::<Vec<_>>()
        .join(" · ");
    let supplier = view! {
        <div class="field">
            <label for="b-party">{i18n.t(Msg::Supplier)}</label>
            <select id="b-party" disabled=!editable on:change=move |ev| party.set(event_target_value(&ev))>
                <option value="">{i18n.t(PayMsg::NewSupplier)}</option>
                {b.party_name.clone().zip(b.input.party_id).map(|(name, pid)| view! {
                    <option value=pid.to_string() selected=true>{name}</option>
                })}
                {b.suppliers.iter().filter(|s| Some(s.party_id) != b.input.party_id).map(|s| view! {
                    <option value=s.party_id.to_string()>{format!("{} ({})", s.name, i18n.t(s.matched_by.label()))}</option>
                }).collect_view()}
            </select>
        </div>
        {move || party.get().is_empty().then(|| view! {
            <TextField scope="b" name="new_supplier" label=i18n.t(PayMsg::NewSupplierName) value=new_supplier error />
        })}
    }
    .into_any();
    let money = view! {
        <div class="grid-2">
            <TextField scope="b" name="number" label=i18n.t(Msg::Number) value=number error />
            <TextField scope="b" name="amount" label=i18n.t(Msg::Amount) value=amount error inputmode="decimal" />
            <CurrencyField scope="b" value=currency error />
            <TextField scope="b" name="issue_date" label=i18n.t(Msg::IssueDate) value=issue_date error kind="date" />
            <TextField scope="b" name="due_date" label=i18n.t(Msg::DueDate) value=due_date error kind="date" />
        </div>
        <fieldset class="grid-3">
            <legend>{i18n.t(PayMsg::VatIncluded)}</legend>
            <TextField scope="b" name="vat_standard" label=i18n.t(PayMsg::VatStandard) value=vat_standard error inputmode="decimal" />
            <TextField scope="b" name="vat_reduced" label=i18n.t(PayMsg::VatReduced) value=vat_reduced error inputmode="decimal" />
            <TextField scope="b" name="vat_accommodation" label=i18n.t(PayMsg::VatAccommodation) value=vat_accommodation error inputmode="decimal" />
        </fieldset>
    }
    .into_any();
    let payment = view! {
        <div class="grid-2">
            <TextField scope="b" name="iban" label=i18n.t(PayMsg::PayTo) value=iban error />
            <ChoiceField scope="b" name="reference_type" label=i18n.t(PayMsg::ReferenceType) value=reference_type error />
            <TextField scope="b" name="reference" label=i18n.t(Msg::Reference) value=reference error />
            <TextField scope="b" name="message" label=i18n.t(Msg::Note) value=message error />
        </div>
    }
    .into_any();
    let booking = view! {
        <div class="grid-2">
            <TextField scope="b" name="cost_account" label=i18n.t(PayMsg::CostAccount) value=cost_account error />
            <div class="field">
                <label for="b-project">{i18n.t(PayMsg::Project)}</label>
                <select id="b-project" on:change=move |ev| project.set(event_target_value(&ev))>
                    <option value="">{i18n.t(PayMsg::NoProject)}</option>
                    {b.projects.iter().map(|p| {
                        let pid = p.id.to_string();
                        let selected = Some(p.id) == b.input.project_id;
                        view! { <option value=pid selected=selected>{p.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <TextField scope="b" name="expected_amount" label=i18n.t(PayMsg::OrderAmount) value=expected error inputmode="decimal" hint=i18n.t(PayMsg::OrderAmountHint) />
        </div>
    }
    .into_any();
    view! {
        <form class="form" on:submit=submit data-testid="bill-form">
            <FormError error />
            {supplier}
            {money}
            {payment}
            {booking}
            <p class="hint" data-testid="read-sources">{i18n.t(PayMsg::ReadFrom)}": "{sources}</p>
            {editable.then(|| view! {
                <button type="submit" class="button" data-testid="save-bill">{i18n.t(PayMsg::SaveForApproval)}</button>
            })}
        </form>
    }
    .into_any()
}

/// Approval (with a fresh code when the amount needs one), rejection, and who approved.
#[component]
fn BillDecisions(
    b: BillView,
    approve: ServerAction<ApproveBill>,
    reject: ServerAction<RejectBill>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = b.id;
    let code = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let approve_error = action_error(approve.value());
    let reject_error = action_error(reject.value());
    let approval = (b.status == BillStatus::ToApprove).then(|| {
        view! {
            <section class="page-card" aria-labelledby="approve-title">
                <h2 id="approve-title">{i18n.t(PayMsg::Approval)}</h2>
                <p>{i18n.t(if b.needs_ceo { PayMsg::NeedsCeo } else { PayMsg::StaffMayApprove })}</p>
                <form class="form inline" on:submit=move |ev| {
                    ev.prevent_default();
                    approve.dispatch(ApproveBill { id, code: code.get_untracked() });
                }>
                    <FormError error=approve_error />
                    {b.needs_second_factor.then(|| view! {
                        <TextField scope="a" name="code" label=i18n.t(Msg::TwoFactorCode) value=code error=approve_error
                            inputmode="numeric" hint=i18n.t(PayMsg::NeedsSecondFactor) />
                    })}
                    <button type="submit" class="button" data-testid="approve-bill">{i18n.t(PayMsg::Approve)}</button>
                </form>
            </section>
        }
        .into_any()
    });
    let rejection = matches!(b.status, BillStatus::Draft | BillStatus::ToApprove | BillStatus::Approved).then(|| {
        view! {
            <section class="page-card" aria-labelledby="reject-title">
                <h2 id="reject-title">{i18n.t(PayMsg::Reject)}</h2>
                <form class="form inline" on:submit=move |ev| {
                    ev.prevent_default();
                    reject.dispatch(RejectBill { id, reason: reason.get_untracked() });
                }>
                    <FormError error=reject_error />
                    <TextField scope="r" name="reason" label=i18n.t(Msg::Reason) value=reason error=reject_error />
                    <button type="submit" class="button secondary" data-testid="reject-bill">{i18n.t(PayMsg::Reject)}</button>
                </form>
            </section>
        }
        .into_any()
    });
    let history = view! {
        {b.rejected_reason.clone().map(|r| view! {
            <p class="alert alert-error" role="status" data-testid="rejected-reason">{i18n.t(PayMsg::RejectedBecause)}" "{r}</p>
        })}
        {b.paid_on.clone().map(|d| view! {
            <p class="alert alert-success" role="status">{i18n.t(PayMsg::PaidOn)}" "{crate::domain::format::date(i18n.locale, &d)}</p>
        })}
        {(!b.approvals.is_empty()).then(|| view! {
            <section class="page-card">
                <h2>{i18n.t(PayMsg::Approvals)}</h2>
                <ul data-testid="approvals">{b.approvals.iter().map(|a| view! {
                    <li>{a.name.clone()}" · "{a.at.clone()}{a.second_factor.then_some(" · 2FA")}</li>
                }).collect_view()}</ul>
            </section>
        })}
    }
    .into_any();
    view! { {approval} {rejection} {history} }.into_any()
}
