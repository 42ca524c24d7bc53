//! `/ceo/invoices`: the list and an invoice's page (send, record a payment, credit note, PDF).

use leptos::prelude::*;

use crate::components::datatable::DataList;
use crate::lists::ListKind;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api::invoices::{get_invoice, CreditInvoice, RecordPayment, SendInvoice};
use crate::billing::{money, InvoiceStatus, InvoiceView, PaymentInput};
use crate::components::forms::{action_error, FormError};
use crate::components::ui::{Badge, ErrorNote, LinesTable, PageHeader};
use crate::domain::money::format_plain;
use crate::i18n::{use_i18n, Msg};

/// Lists invoices with status and text filters kept in the URL.
#[component]
pub fn InvoiceList() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=i18n.t(Msg::NavInvoices).to_owned() />
        <DataList kind=ListKind::Invoices />
    }
}

/// A table of invoices linking to `{base}/{id}`.
#[component]
pub fn InvoiceTable(
    list: Vec<crate::billing::InvoiceSummary>,
    base: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="table" data-testid="invoices">
            <thead>
                <tr>
                    <th scope="col">{i18n.t(Msg::Number)}</th>
                    <th scope="col">{i18n.t(Msg::Client)}</th>
                    <th scope="col">{i18n.t(Msg::Kind)}</th>
                    <th scope="col">{i18n.t(Msg::Status)}</th>
                    <th scope="col" class="num">{i18n.t(Msg::Total)}</th>
                    <th scope="col" class="num">{i18n.t(Msg::Balance)}</th>
                    <th scope="col">{i18n.t(Msg::DueDate)}</th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .map(|i| view! {
                        <tr>
                            <td><a href=format!("{base}/{}", i.id)>{i.number}</a>" "<small class="muted">{i.company_code}</small></td>
                            <td>{i.party_name}</td>
                            <td>{i18n.t(i.kind.label())}</td>
                            <td><Badge label=i.status.label() class=i.status.as_str() /></td>
                            <td class="num">{money(i.currency, i.total_minor)}</td>
                            <td class="num">{money(i.currency, i.balance_minor)}</td>
                            <td>{i.due_date}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
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
            <dd data-testid="invoice-status"><Badge label=invoice.status.label() class=invoice.status.as_str() /></dd>
            <dt>{i18n.t(Msg::Kind)}</dt>
            <dd>{i18n.t(invoice.kind.label())}</dd>
            <dt>{i18n.t(Msg::Client)}</dt>
            <dd>{invoice.party_name.clone()}</dd>
            <dt>{i18n.t(Msg::IssueDate)}</dt>
            <dd>{invoice.issue_date.clone()}</dd>
            <dt>{i18n.t(Msg::DueDate)}</dt>
            <dd>{invoice.due_date.clone()}</dd>
            <dt>{i18n.t(Msg::Balance)}</dt>
            <dd data-testid="invoice-balance">{money(currency, invoice.balance_minor)}</dd>
        </dl>
        <LinesTable lines=invoice.lines.clone() amounts=invoice.amounts.clone() currency />
        {(!invoice.payments.is_empty()).then(|| view! {
            <section aria-labelledby="payments-title">
                <h2 id="payments-title">{i18n.t(Msg::Payments)}</h2>
                <ul data-testid="payments">
                    {invoice.payments.iter().map(|p| view! { <li>{p.paid_on.clone()}" · "{money(currency, p.amount_minor)}" · "{p.method.clone()}</li> }).collect_view()}
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
                            " · "{money(currency, c.total_minor)}" · "{c.reason.clone()}
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
}

/// An invoice's page for staff.
#[component]
pub fn InvoiceDetail() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let send = ServerAction::<SendInvoice>::new();
    let pay = ServerAction::<RecordPayment>::new();
    let credit = ServerAction::<CreditInvoice>::new();
    let invoice = Resource::new(
        move || {
            (
                id(),
                send.version().get(),
                pay.version().get(),
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
    let send_error = action_error(send.value());
    let pay_error = action_error(pay.value());
    let credit_error = action_error(credit.value());
    let amount = RwSignal::new(String::new());
    let paid_on = RwSignal::new(String::new());
    let method = RwSignal::new("bank_transfer".to_owned());
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
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match invoice.await {
                    Ok(inv) => {
                        let iid = inv.id;
                        let open = inv.status.open();
                        if amount.get_untracked().is_empty() && inv.balance_minor > 0 {
                            amount.set(format_plain(inv.balance_minor));
                        }
                        view! {
                            <PageHeader title=format!("{} {}", i18n.t(Msg::Invoice), inv.number)>
                                <a class="button secondary" href=format!("/documents/invoices/{iid}") rel="external" target="_blank" data-testid="invoice-pdf">"PDF"</a>
                                {(inv.status == InvoiceStatus::Draft).then(|| view! {
                                    <button class="button" on:click=move |_| { send.dispatch(SendInvoice { id: iid }); }>{i18n.t(Msg::Send)}</button>
                                })}
                            </PageHeader>
                            <FormError error=send_error />
                            // Outside the payment form, which is gone once the invoice is paid.
                            {move || matches!(pay.value().get(), Some(Ok(_))).then(|| view! { <p class="alert alert-ok" role="status">{i18n.t(Msg::PaymentRecorded)}</p> })}
                            {inv.quote_id.map(|q| view! { <p><a href=format!("/ceo/quotes/{q}")>{i18n.t(Msg::Quote)}" "{inv.quote_number.clone().unwrap_or_default()}</a></p> })}
                            <InvoiceBody invoice=inv.clone() />
                            {open.then(|| view! {
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
                                            <select id="method" on:change=move |ev| method.set(event_target_value(&ev))>
                                                <option value="bank_transfer">{i18n.t(Msg::BankTransfer)}</option>
                                                <option value="cash">{i18n.t(Msg::Cash)}</option>
                                                <option value="card">{i18n.t(Msg::Card)}</option>
                                                <option value="other">{i18n.t(Msg::Other)}</option>
                                            </select>
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
                                        <button type="submit" class="button secondary">{i18n.t(Msg::IssueCreditNote)}</button>
                                    </form>
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
