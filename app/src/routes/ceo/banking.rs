//! `/ceo/banking`: the bank accounts with their balances and what waits for review, the
//! statement import (with its progress and summary), and each company's Revolut connection.

use leptos::prelude::*;

use crate::api::banking::{
    bank_accounts, revolut_connection, ConnectRevolut, ReconcileNow, SyncRevolut,
};
use crate::banking::{ImportSummary, RevolutInput};
use crate::billing::money;
use crate::components::forms::{action_error, CompanyField, FormError, TextField};
use crate::components::ui::{use_user, ErrorNote, PageHeader};
use crate::domain::format::date;
use crate::i18n::{use_i18n, BankMsg, Msg};

/// The banking page.
#[component]
pub fn BankingPage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let accounts = Resource::new(move || version.get(), |_| bank_accounts());
    view! {
        <PageHeader title=i18n.t(Msg::NavBanking).to_owned()>
            <a class="button secondary" href="/ceo/banking/transactions?status=proposed" data-testid="to-review">
                {i18n.t(Msg::MatchProposed)}
            </a>
            <a class="button secondary" href="/ceo/banking/transactions">{i18n.t(BankMsg::Transactions)}</a>
        </PageHeader>
        <section class="page-card" aria-labelledby="accounts-title">
            <h2 id="accounts-title">{i18n.t(BankMsg::AccountsTitle)}</h2>
            <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match accounts.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">{i18n.t(BankMsg::AccountsEmpty)}</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="table" data-testid="bank-accounts">
                                <thead><tr>
                                    <th scope="col">{i18n.t(Msg::Company)}</th>
                                    <th scope="col">{i18n.t(Msg::Name)}</th>
                                    <th scope="col">"IBAN"</th>
                                    <th scope="col">{i18n.t(BankMsg::BalanceOn)}</th>
                                    <th scope="col" class="num">{i18n.t(Msg::BankBalance)}</th>
                                    <th scope="col" class="num">{i18n.t(Msg::MatchUnmatched)}</th>
                                    <th scope="col" class="num">{i18n.t(Msg::MatchProposed)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|a| view! {
                                        <tr data-testid=format!("account-{}", a.iban)>
                                            <td>{a.company_code}</td>
                                            <td>{a.name}" · "{i18n.t(a.provider.label())}</td>
                                            <td class="mono">{crate::domain::format::iban(&a.iban)}</td>
                                            <td>{date(i18n.locale, &a.balance_on)}</td>
                                            <td class="num" data-testid="balance">{money(a.currency, a.balance_minor)}</td>
                                            <td class="num">{a.unmatched}</td>
                                            <td class="num">{a.proposed}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <ImportForm version />
        <ReconcileForm version />
        <RevolutSection />
    }
    .into_any()
}

/// Where an upload stands (only the browser moves it on).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Upload {
    Idle,
    Sending(u32),
    Reading,
    Done(ImportSummary),
    Refused(crate::error::AppError),
}

#[component]
fn ImportForm(version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let first = use_user()
        .and_then(|u| u.companies.first().map(|c| c.id))
        .unwrap_or_default();
    let company = RwSignal::new(first);
    let dry_run = RwSignal::new(false);
    let state = RwSignal::new(Upload::Idle);
    let file = NodeRef::<leptos::html::Input>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if let Some(input) = file.get_untracked() {
            send(
                input,
                company.get_untracked(),
                dry_run.get_untracked(),
                state,
                version,
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file, version);
    };
    let error = Signal::derive(move || match state.get() {
        Upload::Refused(e) => Some(e),
        _ => None,
    });
    view! {
        <section class="page-card" aria-labelledby="import-title">
            <h2 id="import-title">{i18n.t(BankMsg::ImportTitle)}</h2>
            <p>{i18n.t(BankMsg::ImportIntro)}</p>
            <form class="form" on:submit=on_submit data-testid="import-form">
                <FormError error />
                <div class="grid-2">
                    <CompanyField scope="import" value=company />
                    <div class="field">
                        <label for="import-file">{i18n.t(BankMsg::StatementFile)}</label>
                        <input id="import-file" type="file" accept=".xml,.zip,.053,.054,application/xml,application/zip" node_ref=file required />
                        <p class="field-error" role="alert">
                            {move || error.get().and_then(|e| e.field_problem("file")).map(|p| p.message(i18n.locale))}
                        </p>
                    </div>
                </div>
                <label class="check" for="import-dry-run">
                    <input id="import-dry-run" type="checkbox" prop:checked=dry_run on:change=move |ev| dry_run.set(event_target_checked(&ev)) />
                    {i18n.t(BankMsg::DryRun)}
                </label>
                <button type="submit" class="button" data-testid="import-statement"
                    disabled=move || matches!(state.get(), Upload::Sending(_) | Upload::Reading)>
                    {i18n.t(BankMsg::Import)}
                </button>
                {move || match state.get() {
                    Upload::Sending(percent) => view! {
                        <div class="progress" role="status">
                            <progress max="100" value=percent aria-label=i18n.t(BankMsg::StatementFile)></progress>
                            " "{i18n.t(BankMsg::Uploading).replace("{n}", &percent.to_string())}
                        </div>
                    }.into_any(),
                    Upload::Reading => view! {
                        <div class="progress" role="status"><progress aria-label=i18n.t(BankMsg::Reading)></progress>" "{i18n.t(BankMsg::Reading)}</div>
                    }.into_any(),
                    Upload::Done(s) => {
                        let template = if s.dry_run { BankMsg::DryRunDone } else { BankMsg::ImportDone };
                        let text = i18n.t(template)
                            .replace("{entries}", &s.entries.to_string())
                            .replace("{new}", &s.new_entries.to_string())
                            .replace("{known}", &s.known.to_string())
                            .replace("{matched}", &s.matched.to_string())
                            .replace("{review}", &s.to_review.to_string());
                        view! { <p class="alert alert-ok" role="status" data-testid="import-summary">{text}</p> }.into_any()
                    }
                    _ => ().into_any(),
                }}
            </form>
        </section>
    }
    .into_any()
}

/// Sends the chosen file with `XMLHttpRequest` (whose upload reports its progress) and shows
/// the summary the server answers.
#[cfg(feature = "hydrate")]
fn send(
    input: web_sys::HtmlInputElement,
    company: uuid::Uuid,
    dry_run: bool,
    state: RwSignal<Upload>,
    version: RwSignal<u32>,
) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        state.set(Upload::Refused(crate::error::AppError::field(
            "file",
            crate::error::FieldProblem::Required,
        )));
        return;
    };
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
        return;
    };
    let name: String = js_sys_encode(&file.name());
    let url = format!(
        "/banking/import?company={company}&name={name}{}",
        if dry_run { "&dry_run=1" } else { "" }
    );
    if xhr.open("POST", &url).is_err() {
        return;
    }
    let _ = xhr.set_request_header("Content-Type", "application/octet-stream");
    state.set(Upload::Sending(0));
    if let Ok(upload) = xhr.upload() {
        let progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                if e.length_computable() && e.total() > 0.0 {
                    let percent = (e.loaded() / e.total() * 100.0).round() as u32;
                    state.set(if percent >= 100 {
                        Upload::Reading
                    } else {
                        Upload::Sending(percent)
                    });
                }
            });
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        progress.forget();
    }
    let done_xhr = xhr.clone();
    let done = Closure::<dyn FnMut()>::new(move || {
        let text = done_xhr.response_text().ok().flatten().unwrap_or_default();
        let status = done_xhr.status().unwrap_or(0);
        if (200..300).contains(&status) {
            match serde_json::from_str::<ImportSummary>(&text) {
                Ok(summary) => {
                    state.set(Upload::Done(summary));
                    version.update(|v| *v += 1);
                }
                Err(_) => state.set(Upload::Refused(crate::error::AppError::Internal)),
            }
        } else {
            let error =
                serde_json::from_str::<crate::error::AppError>(&text).unwrap_or(match status {
                    413 => {
                        crate::error::AppError::field("file", crate::error::FieldProblem::TooLarge)
                    }
                    401 => crate::error::AppError::Unauthenticated,
                    403 => crate::error::AppError::Forbidden,
                    _ => crate::error::AppError::Network,
                });
            state.set(Upload::Refused(error));
        }
    });
    xhr.set_onloadend(Some(done.as_ref().unchecked_ref()));
    done.forget();
    if xhr.send_with_opt_blob(Some(&file)).is_err() {
        state.set(Upload::Refused(crate::error::AppError::Network));
    }
}

/// Percent-encodes a file name for the query string.
#[cfg(feature = "hydrate")]
fn js_sys_encode(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
fn ReconcileForm(version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let first = use_user()
        .and_then(|u| u.companies.first().map(|c| c.id))
        .unwrap_or_default();
    let company = RwSignal::new(first);
    let run = ServerAction::<ReconcileNow>::new();
    let error = action_error(run.value());
    Effect::new(move |_| {
        if matches!(run.value().get(), Some(Ok(_))) {
            version.update(|v| *v += 1);
        }
    });
    view! {
        <section class="page-card" aria-labelledby="reconcile-title">
            <h2 id="reconcile-title">{i18n.t(BankMsg::ReconcileNow)}</h2>
            <form class="form inline" on:submit=move |ev| {
                ev.prevent_default();
                run.dispatch(ReconcileNow { company_id: company.get_untracked() });
            }>
                <FormError error />
                <CompanyField scope="reconcile" value=company />
                <button type="submit" class="button secondary" data-testid="reconcile-now">{i18n.t(BankMsg::ReconcileNow)}</button>
            </form>
            {move || run.value().get().and_then(|r| r.ok()).map(|n| view! {
                <p class="alert alert-ok" role="status">{i18n.t(BankMsg::ReconcileDone).replace("{n}", &n.to_string())}</p>
            })}
        </section>
    }
    .into_any()
}

#[component]
fn RevolutSection() -> impl IntoView {
    let i18n = use_i18n();
    let first = use_user()
        .and_then(|u| u.companies.first().map(|c| c.id))
        .unwrap_or_default();
    let company = RwSignal::new(first);
    let connect = ServerAction::<ConnectRevolut>::new();
    let sync = ServerAction::<SyncRevolut>::new();
    let connect_error = action_error(connect.value());
    let sync_error = action_error(sync.value());
    let status = Resource::new(
        move || (company.get(), connect.version().get(), sync.version().get()),
        |(c, ..)| revolut_connection(c),
    );
    let api_url = RwSignal::new("https://b2b.revolut.com/api/1.0".to_owned());
    let client_id = RwSignal::new(String::new());
    let issuer = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    view! {
        <section class="page-card" aria-labelledby="revolut-title">
            <h2 id="revolut-title">{i18n.t(BankMsg::RevolutTitle)}</h2>
            <CompanyField scope="revolut" value=company />
            <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(s) => view! {
                            <dl class="facts" data-testid="revolut-status">
                                <dt>{i18n.t(Msg::Status)}</dt>
                                <dd>{i18n.t(if s.connected { BankMsg::RevolutConnected } else { BankMsg::RevolutNotConnected })}</dd>
                                <dt>{i18n.t(BankMsg::LastSynced)}</dt>
                                <dd>{s.last_synced_at.map(|t| date(i18n.locale, &t)).unwrap_or_else(|| i18n.t(BankMsg::Never).to_owned())}</dd>
                                <dt>{i18n.t(BankMsg::WebhookUrl)}</dt>
                                <dd class="mono">{s.webhook_url}</dd>
                            </dl>
                            {s.last_error.map(|e| view! { <p class="alert alert-error" role="alert">{e}</p> })}
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error /> }.into_any(),
                    }
                })}
            </Suspense>
            <form class="form" on:submit=move |ev| {
                ev.prevent_default();
                connect.dispatch(ConnectRevolut { input: RevolutInput {
                    company_id: company.get_untracked(),
                    api_url: api_url.get_untracked(),
                    client_id: client_id.get_untracked(),
                    issuer: issuer.get_untracked(),
                    private_key_pem: key.get_untracked(),
                    authorization_code: code.get_untracked(),
                    webhook_secret: secret.get_untracked(),
                }});
            }>
                <FormError error=connect_error />
                <div class="grid-2">
                    <TextField scope="rv" name="api_url" label=i18n.t(BankMsg::ApiUrl) value=api_url error=connect_error />
                    <TextField scope="rv" name="client_id" label=i18n.t(BankMsg::ClientId) value=client_id error=connect_error />
                    <TextField scope="rv" name="issuer" label=i18n.t(BankMsg::Issuer) value=issuer error=connect_error />
                    <TextField scope="rv" name="authorization_code" label=i18n.t(BankMsg::AuthorizationCode) value=code error=connect_error />
                    <TextField scope="rv" name="webhook_secret" label=i18n.t(BankMsg::WebhookSecret) value=secret error=connect_error kind="password" />
                </div>
                <div class="field">
                    <label for="rv-private_key_pem">{i18n.t(BankMsg::PrivateKey)}</label>
                    <textarea id="rv-private_key_pem" rows="4" prop:value=key on:input=move |ev| key.set(event_target_value(&ev))
                        aria-describedby="rv-key-hint"></textarea>
                    <p class="hint" id="rv-key-hint">{i18n.t(BankMsg::KeepSecretHint)}</p>
                    <p class="field-error" role="alert">
                        {move || connect_error.get().and_then(|e| e.field_problem("private_key_pem")).map(|p| p.message(i18n.locale))}
                    </p>
                </div>
                <button type="submit" class="button" data-testid="revolut-connect">{i18n.t(BankMsg::Connect)}</button>
            </form>
            <FormError error=sync_error />
            <button class="button secondary" data-testid="revolut-sync"
                on:click=move |_| { sync.dispatch(SyncRevolut { company_id: company.get_untracked() }); }>
                {i18n.t(BankMsg::SyncNow)}
            </button>
            {move || sync.value().get().and_then(|r| r.ok()).map(|n| view! {
                <p class="alert alert-ok" role="status">{i18n.t(BankMsg::SyncDone).replace("{n}", &n.to_string())}</p>
            })}
        </section>
    }
    .into_any()
}
