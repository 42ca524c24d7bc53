//! `/ceo/invoices`: the list and an invoice's page (draft actions, payments, account credit,
//! credit notes, PDF).

use leptos::prelude::*;

use crate::components::datatable::DataList;
use crate::lists::ListKind;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api::invoices::{
    get_invoice, ApplyCredit, CreditInvoice, DeleteInvoice, RecordPayment, SendInvoice,
};
use crate::billing::{money, InvoiceStatus, InvoiceView, PaymentInput};
use crate::components::document_editor::today_iso;
use crate::components::forms::{action_error, go_to, FormError};
use crate::components::ui::{Badge, ErrorNote, LinesTable, PageHeader};
use crate::domain::format::date;
use crate::domain::money::{format_minor, format_percent_bp, format_plain};
use crate::domain::status::PaymentMethod;
use crate::i18n::{use_i18n, BillingMsg, Msg};

/// Lists invoices with status and text filters kept in the URL.
#[component]
pub fn InvoiceList() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=i18n.t(Msg::NavInvoices).to_owned()>
            <a class="button" href="/ceo/invoices/new" data-testid="new-invoice">{i18n.t(BillingMsg::NewInvoice)}</a>
        </PageHeader>
        <DataList kind=ListKind::Invoices />
    }
    .into_any()
}

/// An invoice's title: "Invoice INV-2026-0042", or "Draft invoice" before it is issued.
pub fn invoice_title(i18n: crate::i18n::I18n, invoice: &InvoiceView) -> String {
    match &invoice.number {
        Some(n) => format!("{} {n}", i18n.t(Msg::Invoice)),
        None => i18n.t(BillingMsg::DraftInvoice).to_owned(),
    }
}

/// The amounts, payments, credit notes and payment instructions of an invoice (both portals).
#[component]
pub fn InvoiceBody(invoice: InvoiceView) -> impl IntoView {
    let i18n = use_i18n();
    let currency = invoice.currency;
    view! {
        <dl class="facts">
            <dt>{i18n.t(Msg::Status)}</dt>
            <dd data-testid="invoice-status"><Badge label=invoice.status.label() class=invoice.status.as_str() />
                {invoice.overdue.then(|| view! { " " <span class="badge badge-overdue" data-testid="invoice-overdue">{i18n.t(BillingMsg::Overdue)}</span> })}</dd>
            <dt>{i18n.t(Msg::Kind)}</dt>
            <dd>{i18n.t(invoice.kind.label())}</dd>
            <dt>{i18n.t(Msg::Client)}</dt>
            <dd>{invoice.party_name.clone()}</dd>
            <dt>{i18n.t(Msg::IssueDate)}</dt>
            <dd>{date(i18n.locale, &invoice.issue_date)}</dd>
            <dt>{i18n.t(Msg::DueDate)}</dt>
            <dd>{date(i18n.locale, &invoice.due_date)}</dd>
            <dt>{i18n.t(Msg::Balance)}</dt>
            <dd data-testid="invoice-balance">{money(currency, invoice.balance_minor)}</dd>
        </dl>
        <LinesTable lines=invoice.lines.clone() amounts=invoice.amounts.clone() currency />
        {(!invoice.payments.is_empty()).then(|| view! {
            <section aria-labelledby="payments-title">
                <h2 id="payments-title">{i18n.t(Msg::Payments)}</h2>
                <ul data-testid="payments">
                    {invoice.payments.iter().map(|p| view! { <li>{date(i18n.locale, &p.paid_on)}" · "{money(currency, p.amount_minor)}" · "{i18n.t(p.method.label())}</li> }).collect_view()}
                </ul>
            </section>
        })}
        {(!invoice.credit_notes.is_empty()).then(|| view! {
            <section aria-labelledby="credits-title">
                <h2 id="credits-title">{i18n.t(Msg::CreditNotes)}</h2>
                <ul>
                    {invoice.credit_notes.iter().map(|c| view! {
                        <li>
                            <a href=format!("/documents/credit-notes/{}", c.id) rel="external" target="_blank">{c.number.clone()}</a>
                            " · "{date(i18n.locale, &c.issue_date)}" · "{money(currency, c.total_minor)}" · "{c.reason.clone()}
                            <ul class="muted">
                                {c.per_rate.iter().map(|r| view! {
                                    <li>{i18n.t(Msg::VatRate)}" "{format_percent_bp(r.rate_bp)}"%: "{format_minor(r.net_minor)}" + "{format_minor(r.vat_minor)}</li>
                                }).collect_view()}
                            </ul>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {invoice.payment.clone().map(|p| view! {
            <section class="page-card payment" aria-labelledby="pay-title" data-testid="payment-instructions">
                <h2 id="pay-title">{i18n.t(Msg::HowToPay)}</h2>
                <div class="pay-grid">
                    {p.qr_svg.clone().map(|svg| view! { <div class="qr-bill" data-testid="qr-code" inner_html=svg></div> })}
                    <dl class="facts">
                        <dt>{i18n.t(Msg::Account)}" / IBAN"</dt>
                        <dd data-testid="pay-account">{p.account.clone()}</dd>
                        <dt>{i18n.t(Msg::PayableTo)}</dt>
                        <dd>{p.creditor.join(", ")}</dd>
                        <dt>{i18n.t(Msg::Reference)}</dt>
                        <dd data-testid="pay-reference">{p.reference.clone()}</dd>
                        <dt>{i18n.t(Msg::Amount)}</dt>
                        <dd>{money(p.currency, p.amount_minor)}</dd>
                    </dl>
                </div>
            </section>
        })}
    }
    .into_any()
}

/// An invoice's page for staff: edit, delete or issue a draft; record a payment, use the
/// client's credit or issue a credit note on an issued one.
#[component]
pub fn InvoiceDetail() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let send = ServerAction::<SendInvoice>::new();
    let delete = ServerAction::<DeleteInvoice>::new();
    let pay = ServerAction::<RecordPayment>::new();
    let use_credit = ServerAction::<ApplyCredit>::new();
    let credit = ServerAction::<CreditInvoice>::new();
    let invoice = Resource::new(
        move || {
            (
                id(),
                send.version().get(),
                pay.version().get(),
                use_credit.version().get(),
                credit.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => get_invoice(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            go_to("/ceo/invoices");
        }
    });
    let send_error = action_error(send.value());
    let delete_error = action_error(delete.value());
    let credit_use_error = action_error(use_credit.value());
    let top_error = Signal::derive(move || {
        send_error
            .get()
            .or(delete_error.get())
            .or(credit_use_error.get())
    });
    view! {
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match invoice.await {
                    Ok(inv) => {
                        let iid = inv.id;
                        let draft = inv.status == InvoiceStatus::Draft;
                        let can_use_credit = inv.status.open() && inv.party_credit_minor > 0;
                        let credit_left = money(inv.currency, inv.party_credit_minor);
                        view! {
                            <PageHeader title=invoice_title(i18n, &inv)>
                                <a class="button secondary" href=format!("/documents/invoices/{iid}") rel="external" target="_blank" data-testid="invoice-pdf">"PDF"</a>
                                {draft.then(|| view! {
                                    <a class="button secondary" href=format!("/ceo/invoices/{iid}/edit") data-testid="edit-invoice">{i18n.t(Msg::Edit)}</a>
                                    <button class="button secondary" data-testid="delete-invoice" on:click=move |_| {
                                        if crate::components::ui::confirm(i18n.t(BillingMsg::ConfirmDeleteDraft)) {
                                            delete.dispatch(DeleteInvoice { id: iid });
                                        }
                                    }>{i18n.t(BillingMsg::DeleteDraft)}</button>
                                    <button class="button" data-testid="send-invoice" on:click=move |_| { send.dispatch(SendInvoice { id: iid }); }>{i18n.t(BillingMsg::IssueAndSend)}</button>
                                })}
                            </PageHeader>
                            <FormError error=top_error />
                            {move || match pay.value().get() {
                                Some(Ok(outcome)) => Some(view! {
                                    <p class="alert alert-ok" role="status">{i18n.t(Msg::PaymentRecorded)}
                                        {(outcome.credited_minor > 0).then(|| view! { " " {i18n.t(BillingMsg::OverpaymentKept)} })}</p>
                                }),
                                _ => None,
                            }}
                            {inv.quote_id.map(|q| view! { <p><a href=format!("/ceo/quotes/{q}")>{i18n.t(Msg::Quote)}" "{inv.quote_number.clone().unwrap_or_default()}</a></p> })}
                            <InvoiceBody invoice=inv.clone() />
                            {can_use_credit.then(|| view! {
                                <section class="page-card" aria-labelledby="credit-use-title">
                                    <h2 id="credit-use-title">{i18n.t(BillingMsg::AccountCredit)}": "{credit_left.clone()}</h2>
                                    <button class="button secondary" data-testid="use-credit" on:click=move |_| { use_credit.dispatch(ApplyCredit { id: iid }); }>
                                        {i18n.t(BillingMsg::UseCredit)}
                                    </button>
                                </section>
                            })}
                            {inv.status.open().then(|| view! { <PaymentForms invoice=inv.clone() pay credit /> })}
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// Recording a payment and issuing a credit note on an open invoice.
#[component]
fn PaymentForms(
    invoice: InvoiceView,
    pay: ServerAction<RecordPayment>,
    credit: ServerAction<CreditInvoice>,
) -> impl IntoView {
    let i18n = use_i18n();
    let iid = invoice.id;
    let pay_error = action_error(pay.value());
    let credit_error = action_error(credit.value());
    let amount = RwSignal::new(format_plain(invoice.balance_minor));
    let paid_on = RwSignal::new(today_iso());
    let method = RwSignal::new(PaymentMethod::BankTransfer);
    let credit_amount = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let field = move |error: Signal<Option<crate::error::AppError>>, name: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.field_problem(name))
                .map(|p| p.message(i18n.locale))
        }
    };
    view! {
        <section class="page-card" aria-labelledby="record-title">
            <h2 id="record-title">{i18n.t(Msg::RecordPayment)}</h2>
            <form class="form inline" on:submit=move |ev| {
                ev.prevent_default();
                pay.dispatch(RecordPayment { payment: PaymentInput {
                    invoice_id: iid,
                    amount: amount.get_untracked(),
                    paid_on: paid_on.get_untracked(),
                    method: method.get_untracked(),
                }});
            }>
                <FormError error=pay_error />
                <div class="field">
                    <label for="amount">{i18n.t(Msg::Amount)}</label>
                    <input id="amount" inputmode="decimal" prop:value=amount on:input=move |ev| amount.set(event_target_value(&ev)) />
                    <p class="field-error" role="alert">{field(pay_error, "amount")}</p>
                </div>
                <div class="field">
                    <label for="paid_on">{i18n.t(Msg::PaidOn)}</label>
                    <input id="paid_on" type="date" prop:value=paid_on on:input=move |ev| paid_on.set(event_target_value(&ev)) />
                    <p class="field-error" role="alert">{field(pay_error, "paid_on")}</p>
                </div>
                <div class="field">
                    <label for="method">{i18n.t(Msg::Method)}</label>
                    <select id="method" on:change=move |ev| {
                        if let Some(m) = PaymentMethod::parse(&event_target_value(&ev)) { method.set(m) }
                    }>
                        {PaymentMethod::ALL.iter().filter(|m| **m != PaymentMethod::Credit).map(|m| view! {
                            <option value=m.as_str()>{i18n.t(m.label())}</option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{field(pay_error, "method")}</p>
                </div>
                <button type="submit" class="button" data-testid="record-payment">{i18n.t(Msg::RecordPayment)}</button>
            </form>
        </section>
        <section class="page-card" aria-labelledby="credit-title">
            <h2 id="credit-title">{i18n.t(Msg::IssueCreditNote)}</h2>
            <form class="form inline" on:submit=move |ev| {
                ev.prevent_default();
                credit.dispatch(CreditInvoice { id: iid, amount: credit_amount.get_untracked(), reason: reason.get_untracked() });
            }>
                <FormError error=credit_error />
                <div class="field">
                    <label for="credit-amount">{i18n.t(Msg::AmountEmptyForAll)}</label>
                    <input id="credit-amount" inputmode="decimal" prop:value=credit_amount on:input=move |ev| credit_amount.set(event_target_value(&ev)) />
                    <p class="field-error" role="alert">{field(credit_error, "amount")}</p>
                </div>
                <div class="field grow">
                    <label for="reason">{i18n.t(Msg::Reason)}</label>
                    <input id="reason" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev)) />
                    <p class="field-error" role="alert">{field(credit_error, "reason")}</p>
                </div>
                <button type="submit" class="button secondary" data-testid="issue-credit-note">{i18n.t(Msg::IssueCreditNote)}</button>
            </form>
        </section>
    }
    .into_any()
}
