//! `/client/quotes`: the client's quotes; a quote's page to accept the terms and sign.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api::quotes::{get_quote, quote_terms, RejectQuote, SignQuote};
use crate::billing::{money, QuoteView, SignatureInput, TermsView};
use crate::components::datatable::DataList;
use crate::components::forms::{action_error, FormError};
use crate::components::ui::{Badge, ErrorNote, LinesTable, PageHeader};
use crate::i18n::{use_i18n, Msg};
use crate::lists::ListKind;
use crate::portal::Portal;

/// The client's quotes.
#[component]
pub fn ClientQuotes() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=i18n.t(Msg::NavQuotes).to_owned() />
        <DataList kind=ListKind::Quotes portal=Portal::Client empty=i18n.t(Msg::ClientQuotesEmpty) />
    }
}

/// A quote for the client: opening it marks it viewed; accept the terms and sign.
#[component]
pub fn ClientQuote() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let sign = ServerAction::<SignQuote>::new();
    let reject = ServerAction::<RejectQuote>::new();
    // Created here, not in the sign form: the form is built inside <Suspense> (see PortalLayout).
    let terms = Resource::new(id, |id| async move {
        match id {
            Some(id) => quote_terms(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    let quote = Resource::new(
        move || (id(), sign.version().get(), reject.version().get()),
        |(id, ..)| async move {
            match id {
                Some(id) => get_quote(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match quote.await {
                    Ok(q) => view! { <QuotePage quote=q sign reject terms /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QuotePage(
    quote: QuoteView,
    sign: ServerAction<SignQuote>,
    reject: ServerAction<RejectQuote>,
    terms: Resource<Result<TermsView, crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let qid = quote.id;
    let signable = quote.status.signable();
    view! {
        <PageHeader title=format!("{} {}", i18n.t(Msg::Quote), quote.number)>
            <a class="button secondary" href=format!("/documents/quotes/{qid}") rel="external" target="_blank">"PDF"</a>
        </PageHeader>
        <dl class="facts">
            <dt>{i18n.t(Msg::Status)}</dt>
            <dd data-testid="quote-status"><Badge label=quote.status.label() class=quote.status.as_str() /></dd>
            <dt>{i18n.t(Msg::CompanySwitcher)}</dt>
            <dd>{quote.company_name.clone()}</dd>
            <dt>{i18n.t(Msg::ValidUntil)}</dt>
            <dd>{quote.valid_until.clone()}</dd>
            <dt>{i18n.t(Msg::DepositPercent)}</dt>
            <dd>{crate::domain::money::format_percent_bp(quote.deposit_bp)}"%"</dd>
        </dl>
        {(!quote.title.is_empty()).then(|| view! { <h2>{quote.title.clone()}</h2> })}
        <LinesTable lines=quote.lines.clone() amounts=quote.amounts.clone() currency=quote.currency />
        {quote.signature.clone().map(|s| view! {
            <p class="alert alert-ok" role="status" data-testid="signed">{i18n.t(Msg::SignedBy)}" "{s.signer_name}" · "{s.signed_at}</p>
        })}
        {(!quote.invoices.is_empty()).then(|| view! {
            <section aria-labelledby="q-invoices">
                <h2 id="q-invoices">{i18n.t(Msg::NavInvoices)}</h2>
                <ul>{quote.invoices.iter().map(|inv| view! {
                    <li><a href=format!("/client/invoices/{}", inv.id) data-testid="deposit-invoice-link">{inv.number.clone()}</a>" · "{i18n.t(inv.kind.label())}" · "
                        <Badge label=inv.status.label() class=inv.status.as_str() />" · "{money(inv.currency, inv.total_minor)}</li>
                }).collect_view()}</ul>
            </section>
        })}
        {signable.then(|| view! { <SignForm quote_id=qid sign reject terms /> })}
    }
}

#[component]
fn SignForm(
    quote_id: Uuid,
    sign: ServerAction<SignQuote>,
    reject: ServerAction<RejectQuote>,
    terms: Resource<Result<TermsView, crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(sign.value());
    let reject_error = action_error(reject.value());
    let accepted = RwSignal::new(false);
    let signer = RwSignal::new(String::new());
    let drawn = RwSignal::new(false);
    let path = RwSignal::new(String::new());
    let drawing = RwSignal::new(false);
    let problem = move |field: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.field_problem(field))
                .map(|p| p.message(i18n.locale))
        }
    };
    view! {
        <section class="page-card sign" aria-labelledby="sign-title">
            <h2 id="sign-title">{i18n.t(Msg::AcceptAndSign)}</h2>
            <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match terms.await {
                        Ok(t) => {
                            let terms_id = t.id;
                            view! {
                                <h3>{t.title.clone()}" (v"{t.version}", "{t.effective_date.clone()}")"</h3>
                                <div class="terms-text" tabindex="0" role="document" aria-label=i18n.t(Msg::NavTerms) data-testid="terms-text">{t.content.clone()}</div>
                                <p class="muted">"SHA-256 "{t.content_hash.clone()}</p>
                                <form class="form" on:submit=move |ev| {
                                    ev.prevent_default();
                                    let kind = if drawn.get_untracked() { "drawn" } else { "typed" };
                                    let data = if drawn.get_untracked() { path.get_untracked() } else { signer.get_untracked() };
                                    sign.dispatch(SignQuote { signature: SignatureInput {
                                        quote_id,
                                        terms_version_id: terms_id,
                                        accept_terms: accepted.get_untracked(),
                                        signer_name: signer.get_untracked(),
                                        signature_kind: kind.into(),
                                        signature_data: data,
                                    }});
                                }>
                                    <FormError error />
                                    <div class="field check">
                                        <input id="accept" type="checkbox" prop:checked=accepted
                                            on:change=move |ev| accepted.set(event_target_checked(&ev))
                                            aria-describedby="accept-error" />
                                        <label for="accept">{i18n.t(Msg::AcceptTerms)}</label>
                                        <p class="field-error" id="accept-error" role="alert">{problem("accept_terms")}</p>
                                    </div>
                                    <div class="field">
                                        <label for="signer">{i18n.t(Msg::SignerName)}</label>
                                        <input id="signer" autocomplete="name" prop:value=signer on:input=move |ev| signer.set(event_target_value(&ev)) />
                                        <p class="field-error" role="alert">{problem("signer_name")}</p>
                                    </div>
                                    <fieldset class="signature-mode">
                                        <legend>{i18n.t(Msg::Signature)}</legend>
                                        <label><input type="radio" name="mode" checked=move || !drawn.get() on:change=move |_| drawn.set(false) />{i18n.t(Msg::TypedSignature)}</label>
                                        <label><input type="radio" name="mode" checked=move || drawn.get() on:change=move |_| drawn.set(true) />{i18n.t(Msg::DrawnSignature)}</label>
                                    </fieldset>
                                    {move || if drawn.get() {
                                        view! {
                                            <svg class="signature-pad" viewBox="0 0 400 120" role="img" aria-label=i18n.t(Msg::DrawHere)
                                                on:pointerdown=move |ev| {
                                                    drawing.set(true);
                                                    path.update(|p| p.push_str(&format!("M{} {} ", ev.offset_x(), ev.offset_y())));
                                                }
                                                on:pointermove=move |ev| {
                                                    if drawing.get_untracked() {
                                                        path.update(|p| p.push_str(&format!("L{} {} ", ev.offset_x(), ev.offset_y())));
                                                    }
                                                }
                                                on:pointerup=move |_| drawing.set(false)
                                                on:pointerleave=move |_| drawing.set(false)>
                                                <path d=move || path.get() fill="none" stroke="#1e3a5f" stroke-width="2" />
                                            </svg>
                                            <button type="button" class="button secondary" on:click=move |_| path.set(String::new())>{i18n.t(Msg::Clear)}</button>
                                        }.into_any()
                                    } else {
                                        view! { <p class="typed-signature" aria-hidden="true">{move || signer.get()}</p> }.into_any()
                                    }}
                                    <p class="field-error" role="alert">{problem("signature_data")}</p>
                                    <button type="submit" class="button" data-testid="sign" disabled=move || sign.pending().get()>{i18n.t(Msg::SignQuote)}</button>
                                </form>
                                <FormError error=reject_error />
                                <button type="button" class="link-button" on:click=move |_| { reject.dispatch(RejectQuote { id: quote_id }); }>{i18n.t(Msg::DeclineQuote)}</button>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNote error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
