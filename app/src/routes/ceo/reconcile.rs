//! `/ceo/banking/transactions`: the movements (filters and keyset pages like every list) and one
//! movement's page, where a person allocates it, splits it, rejects a proposal, marks it as not
//! an invoice payment, or undoes an allocation. Keyboard: A, R and I on the movement's page.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api::banking::{
    bank_transaction, AllocateTransaction, IgnoreTransaction, RejectProposal, UndoAllocation,
};
use crate::banking::{AllocationInput, CandidateView, TransactionView};
use crate::billing::money;
use crate::components::datatable::DataList;
use crate::components::forms::{action_error, FormError};
use crate::components::ui::{Badge, ErrorNote, PageHeader};
use crate::domain::format::date;
use crate::domain::money::format_plain;
use crate::domain::status::{IgnoreReason, MatchStatus};
use crate::i18n::{use_i18n, BankMsg, Msg};
use crate::lists::ListKind;

/// The movements.
#[component]
pub fn TransactionList() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=i18n.t(BankMsg::Transactions).to_owned()>
            <a class="button secondary" href="/ceo/banking">{i18n.t(Msg::NavBanking)}</a>
        </PageHeader>
        <DataList kind=ListKind::BankTransactions empty=i18n.t(BankMsg::TransactionsEmpty) />
    }
    .into_any()
}

/// One movement (`/ceo/banking/transactions/:id`).
#[component]
pub fn TransactionPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let allocate = ServerAction::<AllocateTransaction>::new();
    let reject = ServerAction::<RejectProposal>::new();
    let ignore = ServerAction::<IgnoreTransaction>::new();
    let undo = ServerAction::<UndoAllocation>::new();
    let view = Resource::new(
        move || {
            (
                id(),
                allocate.version().get(),
                reject.version().get(),
                ignore.version().get(),
                undo.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => bank_transaction(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(t) => view! { <TransactionBody t allocate reject ignore undo /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn TransactionBody(
    t: TransactionView,
    allocate: ServerAction<AllocateTransaction>,
    reject: ServerAction<RejectProposal>,
    ignore: ServerAction<IgnoreTransaction>,
    undo: ServerAction<UndoAllocation>,
) -> impl IntoView {
    let i18n = use_i18n();
    let tid = t.id;
    let remaining = t.amount_minor - t.allocated_minor;
    let open = t.amount_minor > 0 && remaining > 0 && t.match_status != MatchStatus::Ignored;
    let first = t.candidates.first().map(|c| c.invoice_id);
    let allocate_error = action_error(allocate.value());
    let other_error = action_error(ignore.value());
    let undo_error = action_error(undo.value());
    let reason = RwSignal::new(IgnoreReason::Fee);
    // Shortcuts on the page: A allocates to the first candidate, R rejects it, I ignores.
    let keys = move |ev: leptos::ev::KeyboardEvent| {
        let typing = ev
            .target()
            .and_then(|t| {
                use leptos::wasm_bindgen::JsCast;
                t.dyn_into::<leptos::web_sys::HtmlElement>().ok()
            })
            .is_some_and(|e| {
                matches!(
                    e.tag_name().as_str(),
                    "INPUT" | "TEXTAREA" | "SELECT" | "BUTTON"
                )
            });
        if typing || ev.ctrl_key() || ev.meta_key() || ev.alt_key() || !open {
            return;
        }
        match (ev.key().as_str(), first) {
            ("a" | "A", Some(invoice_id)) => {
                ev.prevent_default();
                allocate.dispatch(AllocateTransaction {
                    id: tid,
                    allocations: vec![AllocationInput {
                        invoice_id,
                        amount: String::new(),
                    }],
                });
            }
            ("r" | "R", Some(invoice_id)) => {
                reject.dispatch(RejectProposal {
                    id: tid,
                    invoice_id,
                });
            }
            ("i" | "I", _) => {
                ignore.dispatch(IgnoreTransaction {
                    id: tid,
                    reason: Some(reason.get_untracked()),
                });
            }
            _ => {}
        }
    };
    let title = format!(
        "{} {}",
        i18n.t(BankMsg::Transaction),
        date(i18n.locale, &t.booked_on)
    );
    view! {
        <div on:keydown=keys tabindex="-1" data-testid="transaction-page">
            <PageHeader title=title>
                <Badge label=t.match_status.label() class=t.match_status.as_str() />
            </PageHeader>
            <section class="page-card">
                <dl class="facts" data-testid="transaction-facts">
                    <dt>{i18n.t(Msg::Amount)}</dt><dd data-testid="transaction-amount">{money(t.currency, t.amount_minor)}</dd>
                    <dt>{i18n.t(Msg::BankAccount)}</dt><dd>{t.account_name.clone()}</dd>
                    <dt>{i18n.t(Msg::Counterparty)}</dt><dd>{t.counterparty_name.clone()}" "<span class="mono">{t.counterparty_account.clone()}</span></dd>
                    <dt>{i18n.t(Msg::Reference)}</dt><dd class="mono">{t.reference.clone()}</dd>
                    <dt>{i18n.t(Msg::Description)}</dt><dd>{t.details.clone()}</dd>
                    <dt>{i18n.t(Msg::Status)}</dt><dd>{i18n.t(t.state.label())}</dd>
                    <dt>{i18n.t(BankMsg::Remaining)}</dt><dd data-testid="remaining">{money(t.currency, remaining.max(0))}</dd>
                </dl>
            </section>
            <Allocations t=t.clone() undo undo_error />
            {open.then(|| view! {
                <Candidates t=t.clone() allocate reject allocate_error />
                <section class="page-card" aria-labelledby="ignore-title">
                    <h2 id="ignore-title">{i18n.t(BankMsg::Ignore)}</h2>
                    <form class="form inline" on:submit=move |ev| {
                        ev.prevent_default();
                        ignore.dispatch(IgnoreTransaction { id: tid, reason: Some(reason.get_untracked()) });
                    }>
                        <FormError error=other_error />
                        <div class="field">
                            <label for="ignore-reason">{i18n.t(BankMsg::IgnoreReason)}</label>
                            <select id="ignore-reason" on:change=move |ev| {
                                if let Some(r) = IgnoreReason::parse(&event_target_value(&ev)) { reason.set(r) }
                            }>
                                {IgnoreReason::ALL.iter().map(|r| view! {
                                    <option value=r.as_str()>{i18n.t(r.label())}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <button type="submit" class="button secondary" data-testid="ignore" aria-keyshortcuts="I">{i18n.t(BankMsg::Ignore)}</button>
                    </form>
                </section>
            })}
            {(t.match_status == MatchStatus::Ignored).then(|| view! {
                <section class="page-card">
                    <p>{t.ignored_reason.map(|r| i18n.t(r.label())).unwrap_or_default()}</p>
                    <button class="button secondary" data-testid="unignore"
                        on:click=move |_| { ignore.dispatch(IgnoreTransaction { id: tid, reason: None }); }>
                        {i18n.t(BankMsg::Unignore)}
                    </button>
                </section>
            })}
            <p class="hint">{i18n.t(BankMsg::KeyboardHint)}</p>
        </div>
    }
    .into_any()
}

#[component]
fn Allocations(
    t: TransactionView,
    undo: ServerAction<UndoAllocation>,
    undo_error: crate::components::forms::ActionError,
) -> impl IntoView {
    let i18n = use_i18n();
    if t.allocations.is_empty() {
        return ().into_any();
    }
    let currency = t.currency;
    view! {
        <section class="page-card" aria-labelledby="allocations-title">
            <h2 id="allocations-title">{i18n.t(BankMsg::Allocations)}</h2>
            <FormError error=undo_error />
            <table class="table" data-testid="allocations">
                <thead><tr>
                    <th scope="col">{i18n.t(Msg::Invoice)}</th>
                    <th scope="col">{i18n.t(Msg::Method)}</th>
                    <th scope="col" class="num">{i18n.t(BankMsg::Applied)}</th>
                    <th scope="col" class="num">{i18n.t(BankMsg::CreditLeft)}</th>
                    <th scope="col">{i18n.t(Msg::Actions)}</th>
                </tr></thead>
                <tbody>
                    {t.allocations.into_iter().map(|a| {
                        let aid = a.id;
                        view! {
                            <tr class:undone=a.undone>
                                <td><a href=a.target_path>{a.target_number}</a></td>
                                <td>{i18n.t(a.method.label())}</td>
                                <td class="num">{money(currency, a.applied_minor)}</td>
                                <td class="num">{money(currency, a.credit_minor)}</td>
                                <td>
                                    {if a.undone {
                                        view! { <span>{i18n.t(BankMsg::Undone)}</span> }.into_any()
                                    } else {
                                        view! {
                                            <button class="button secondary" data-testid="undo-allocation" on:click=move |_| {
                                                if crate::components::ui::confirm(i18n.t(BankMsg::ConfirmUndo)) {
                                                    undo.dispatch(UndoAllocation { id: aid });
                                                }
                                            }>{i18n.t(BankMsg::Undo)}</button>
                                        }.into_any()
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}

#[component]
fn Candidates(
    t: TransactionView,
    allocate: ServerAction<AllocateTransaction>,
    reject: ServerAction<RejectProposal>,
    allocate_error: crate::components::forms::ActionError,
) -> impl IntoView {
    let i18n = use_i18n();
    let tid = t.id;
    if t.candidates.is_empty() {
        return view! {
            <section class="page-card"><p class="empty" data-testid="no-candidates">{i18n.t(BankMsg::NoCandidates)}</p></section>
        }
        .into_any();
    }
    let amounts: Vec<(CandidateView, RwSignal<String>)> = t
        .candidates
        .iter()
        .map(|c| (c.clone(), RwSignal::new(String::new())))
        .collect();
    let split = amounts.clone();
    view! {
        <section class="page-card" aria-labelledby="candidates-title">
            <h2 id="candidates-title">{i18n.t(BankMsg::Candidates)}</h2>
            <FormError error=allocate_error />
            <table class="table" data-testid="candidates">
                <thead><tr>
                    <th scope="col">{i18n.t(Msg::Invoice)}</th>
                    <th scope="col">{i18n.t(Msg::Client)}</th>
                    <th scope="col">{i18n.t(Msg::DueDate)}</th>
                    <th scope="col" class="num">{i18n.t(Msg::Balance)}</th>
                    <th scope="col" class="num">{i18n.t(Msg::Score)}</th>
                    <th scope="col">{i18n.t(Msg::Reason)}</th>
                    <th scope="col">{i18n.t(Msg::Actions)}</th>
                </tr></thead>
                <tbody>
                    {t.candidates.iter().enumerate().map(|(i, c)| {
                        let invoice_id = c.invoice_id;
                        let why = c.reasons.iter().map(|r| i18n.t(r.label())).collect::<Vec<_>>().join(", ");
                        view! {
                            <tr data-testid="candidate">
                                <td><a href=format!("/ceo/invoices/{invoice_id}")>{c.number.clone()}</a></td>
                                <td>{c.party_name.clone()}</td>
                                <td>{date(i18n.locale, &c.due_date)}</td>
                                <td class="num">{money(c.currency, c.open_minor)}</td>
                                <td class="num" data-testid="score">{c.score}</td>
                                <td>{why}</td>
                                <td class="actions">
                                    <button class="button" data-testid="accept"
                                        aria-keyshortcuts=if i == 0 { Some("A") } else { None }
                                        on:click=move |_| {
                                            allocate.dispatch(AllocateTransaction {
                                                id: tid,
                                                allocations: vec![AllocationInput { invoice_id, amount: String::new() }],
                                            });
                                        }>{i18n.t(BankMsg::Allocate)}</button>
                                    " "
                                    <button class="button secondary" data-testid="reject"
                                        aria-keyshortcuts=if i == 0 { Some("R") } else { None }
                                        on:click=move |_| { reject.dispatch(RejectProposal { id: tid, invoice_id }); }>
                                        {i18n.t(BankMsg::Reject)}
                                    </button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <details>
                <summary>{i18n.t(BankMsg::Split)}</summary>
                <form class="form" data-testid="split-form" on:submit=move |ev| {
                    ev.prevent_default();
                    let parts: Vec<AllocationInput> = split
                        .iter()
                        .filter(|(_, a)| !a.get_untracked().trim().is_empty())
                        .map(|(c, a)| AllocationInput { invoice_id: c.invoice_id, amount: a.get_untracked() })
                        .collect();
                    allocate.dispatch(AllocateTransaction { id: tid, allocations: parts });
                }>
                    {amounts.into_iter().enumerate().map(|(i, (c, amount))| {
                        let id = format!("split-{i}");
                        let field = format!("allocations.{i}.amount");
                        view! {
                            <div class="field">
                                <label for=id.clone()>{i18n.t(BankMsg::AmountFor).replace("{number}", &c.number)}</label>
                                <input id=id inputmode="decimal" placeholder=format_plain(c.open_minor)
                                    prop:value=amount on:input=move |ev| amount.set(event_target_value(&ev)) />
                                <p class="field-error" role="alert">
                                    {move || allocate_error.get().and_then(|e| e.field_problem(&field)).map(|p| p.message(i18n.locale))}
                                </p>
                            </div>
                        }
                    }).collect_view()}
                    <button type="submit" class="button" data-testid="allocate-split">{i18n.t(BankMsg::AllocateAmounts)}</button>
                </form>
            </details>
        </section>
    }
    .into_any()
}
