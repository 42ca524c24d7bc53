//! The account page, the same in every portal: password, second factor, sessions, API tokens.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::account::{
    list_api_tokens, list_sessions, ApiTokenRequest, ChangePassword, ConfirmTwoFactor,
    CreateApiToken, DisableTwoFactor, RegenerateRecoveryCodes, RevokeApiToken, RevokeSession,
    StartTwoFactor,
};
use crate::api::auth::LogoutEverywhere;
use crate::components::forms::{action_error, go_to, Field, FormError};
use crate::error::AppError;
use crate::i18n::{use_i18n, Msg};
use crate::routes::public::{EnrolmentQr, RecoveryCodes};

/// The account page.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    // The portal frame provides the user: the sections (which own resources) are built once,
    // not inside a <Suspense> (see PortalLayout).
    let user = use_context::<crate::auth::SessionUser>();
    view! {
        <Title text=i18n.t(Msg::Account) />
        <section class="page" data-testid="account-page">
            <h1>{i18n.t(Msg::Account)}</h1>
            {match user {
                Some(user) => view! {
                    <dl class="profile">
                        <dt>{i18n.t(Msg::Name)}</dt>
                        <dd>{user.display_name.clone()}</dd>
                        <dt>{i18n.t(Msg::Email)}</dt>
                        <dd>{user.email.clone()}</dd>
                    </dl>
                    <LanguageSection />
                    <PasswordSection />
                    <TwoFactorSection enabled=user.two_factor_enabled mandatory=user.role.requires_two_factor() />
                    <SessionsSection />
                    <ApiTokensSection
                        permissions=user.permissions.clone()
                        companies=user.companies.iter().map(|c| (c.id, c.name.clone())).collect()
                    />
                }
                    .into_any(),
                None => view! { <p>{i18n.t(Msg::ErrUnauthenticated)}</p> }.into_any(),
            }}
        </section>
    }
}

/// The language of the interface and of the documents and emails the user receives.
#[component]
fn LanguageSection() -> impl IntoView {
    let i18n = use_i18n();
    let set = ServerAction::<crate::api::projects::SetMyLanguage>::new();
    let error = action_error(set.value());
    Effect::new(move |_| {
        if let Some(Ok(())) = set.value().get() {
            crate::components::forms::reload();
        }
    });
    view! {
        <section class="page-card" aria-labelledby="language-title">
            <h2 id="language-title">{i18n.t(Msg::DocumentLanguage)}</h2>
            <ActionForm action=set>
                <div class="form inline">
                    <FormError error />
                    <div class="field">
                        <label for="my-language">{i18n.t(Msg::Language)}</label>
                        <select id="my-language" name="locale">
                            {crate::i18n::Locale::ALL
                                .into_iter()
                                .map(|l| view! { <option value=l.code() selected=l == i18n.locale>{l.native_name()}</option> })
                                .collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="button secondary">{i18n.t(Msg::Save)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn PasswordSection() -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangePassword>::new();
    let error = action_error(change.value());
    view! {
        <section class="page-card" aria-labelledby="password-title">
            <h2 id="password-title">{i18n.t(Msg::ChangePassword)}</h2>
            {move || {
                matches!(change.value().get(), Some(Ok(())))
                    .then(|| view! { <p class="alert alert-ok" role="status">{i18n.t(Msg::PasswordChanged)}</p> })
            }}
            <ActionForm action=change>
                <div class="form">
                    <FormError error />
                    <Field name="current_password" label=Msg::CurrentPassword kind="password" autocomplete="current-password" error />
                    <Field
                        name="new_password"
                        label=Msg::NewPassword
                        kind="password"
                        autocomplete="new-password"
                        hint=Msg::PasswordRules
                        error
                    />
                    <Field name="confirm_password" label=Msg::ConfirmPassword kind="password" autocomplete="new-password" error />
                    <button type="submit" class="button">{i18n.t(Msg::ChangePassword)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn TwoFactorSection(enabled: bool, mandatory: bool) -> impl IntoView {
    let i18n = use_i18n();
    let start = ServerAction::<StartTwoFactor>::new();
    let confirm = ServerAction::<ConfirmTwoFactor>::new();
    let disable = ServerAction::<DisableTwoFactor>::new();
    let regenerate = ServerAction::<RegenerateRecoveryCodes>::new();
    let confirm_error = action_error(confirm.value());
    let disable_error = action_error(disable.value());
    let regenerate_error = action_error(regenerate.value());
    let start_error = action_error(start.value());
    view! {
        <section class="page-card" aria-labelledby="twofa-title" data-testid="two-factor">
            <h2 id="twofa-title">{i18n.t(Msg::TwoFactorTitle)}</h2>
            {move || {
                if let Some(Ok(codes)) = confirm.value().get() {
                    return view! {
                        <p class="alert alert-ok" role="status">{i18n.t(Msg::TwoFactorOn)}</p>
                        <RecoveryCodes codes />
                    }
                        .into_any();
                }
                if let Some(Ok(())) = disable.value().get() {
                    return view! { <p class="alert alert-ok" role="status">{i18n.t(Msg::TwoFactorOff)}</p> }.into_any();
                }
                if enabled {
                    view! {
                        <p>{i18n.t(Msg::TwoFactorOn)}</p>
                        {move || regenerate.value().get().and_then(Result::ok).map(|codes| view! { <RecoveryCodes codes /> })}
                        <ActionForm action=regenerate>
                            <div class="form">
                                <FormError error=regenerate_error />
                                <Field name="code" label=Msg::TwoFactorCode autocomplete="one-time-code" inputmode="numeric" error=regenerate_error />
                                <button type="submit" class="button secondary">{i18n.t(Msg::NewRecoveryCodes)}</button>
                            </div>
                        </ActionForm>
                        {(!mandatory).then(|| view! {
                            <ActionForm action=disable>
                                <div class="form">
                                    <FormError error=disable_error />
                                    <Field name="code" label=Msg::TwoFactorCode autocomplete="one-time-code" inputmode="numeric" error=disable_error />
                                    <button type="submit" class="button secondary">{i18n.t(Msg::TwoFactorDisable)}</button>
                                </div>
                            </ActionForm>
                        })}
                    }
                        .into_any()
                } else {
                    match start.value().get() {
                        Some(Ok(enrolment)) => view! {
                            <EnrolmentQr enrolment />
                            <ActionForm action=confirm>
                                <div class="form">
                                    <FormError error=confirm_error />
                                    <Field name="code" label=Msg::TwoFactorCode autocomplete="one-time-code" inputmode="numeric" error=confirm_error />
                                    <button type="submit" class="button">{i18n.t(Msg::Verify)}</button>
                                </div>
                            </ActionForm>
                        }
                            .into_any(),
                        _ => view! {
                            <p>{i18n.t(Msg::TwoFactorOffIntro)}</p>
                            <FormError error=start_error />
                            <ActionForm action=start>
                                <button type="submit" class="button" data-testid="enrol-start">{i18n.t(Msg::EnrolStart)}</button>
                            </ActionForm>
                        }
                            .into_any(),
                    }
                }
            }}
        </section>
    }
}

#[component]
fn SessionsSection() -> impl IntoView {
    let i18n = use_i18n();
    let revoke = ServerAction::<RevokeSession>::new();
    let everywhere = ServerAction::<LogoutEverywhere>::new();
    let sessions = Resource::new(move || revoke.version().get(), |_| list_sessions());
    Effect::new(move |_| {
        if let Some(Ok(_)) = everywhere.value().get() {
            go_to("/login");
        }
    });
    view! {
        <section class="page-card" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{i18n.t(Msg::Sessions)}</h2>
            <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let list = sessions.await.unwrap_or_default();
                    view! {
                        <table class="table" data-testid="sessions">
                            <caption class="visually-hidden">{i18n.t(Msg::Sessions)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{i18n.t(Msg::Device)}</th>
                                    <th scope="col">{i18n.t(Msg::IpAddress)}</th>
                                    <th scope="col">{i18n.t(Msg::LastSeen)}</th>
                                    <th scope="col"><span class="visually-hidden">{i18n.t(Msg::Actions)}</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                {list
                                    .into_iter()
                                    .map(|s| view! {
                                        <tr>
                                            <td>{s.user_agent.clone().unwrap_or_default()}" ("{s.method.clone()}")"</td>
                                            <td>{s.ip.clone().unwrap_or_default()}</td>
                                            <td><time datetime=s.last_seen_at.clone()>{s.last_seen_at.clone()}</time></td>
                                            <td>
                                                {if s.current {
                                                    view! { <strong>{i18n.t(Msg::ThisDevice)}</strong> }.into_any()
                                                } else {
                                                    view! {
                                                        <ActionForm action=revoke>
                                                            <input type="hidden" name="id" value=s.id.to_string() />
                                                            <button type="submit" class="button secondary">{i18n.t(Msg::SignOut)}</button>
                                                        </ActionForm>
                                                    }
                                                        .into_any()
                                                }}
                                            </td>
                                        </tr>
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                })}
            </Suspense>
            <ActionForm action=everywhere>
                <p class="hint">{i18n.t(Msg::SignOutEverywhereHint)}</p>
                <button type="submit" class="button secondary" data-testid="logout-everywhere">
                    {i18n.t(Msg::SignOutEverywhere)}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ApiTokensSection(
    permissions: Vec<String>,
    companies: Vec<(uuid::Uuid, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let error = action_error(create.value());
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_tokens(),
    );
    let (name, set_name) = signal(String::new());
    let (days, set_days) = signal(90i64);
    let chosen_permissions = RwSignal::new(Vec::<String>::new());
    let chosen_companies = RwSignal::new(Vec::<uuid::Uuid>::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateApiToken {
            request: ApiTokenRequest {
                name: name.get_untracked(),
                permissions: chosen_permissions.get_untracked(),
                companies: chosen_companies.get_untracked(),
                days: days.get_untracked(),
            },
        });
    };
    let field_problem = move |field: &'static str| {
        move || {
            error
                .get()
                .and_then(|e: AppError| e.field_problem(field))
                .map(|p| p.message(i18n.locale))
        }
    };
    view! {
        <section class="page-card" aria-labelledby="tokens-title">
            <h2 id="tokens-title">{i18n.t(Msg::ApiTokens)}</h2>
            {move || create.value().get().and_then(Result::ok).map(|t| view! {
                <div class="alert alert-warn" role="status">
                    <p>{i18n.t(Msg::ApiTokenShownOnce)}</p>
                    <code data-testid="new-api-token">{t.token}</code>
                </div>
            })}
            <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let list = tokens.await.unwrap_or_default();
                    view! {
                        <ul class="token-list" data-testid="api-tokens">
                            {list.into_iter().map(|t| view! {
                                <li>
                                    <strong>{t.name.clone()}</strong>" "<code>{t.prefix.clone()}"…"</code>
                                    " · "{t.companies.join(", ")}" · "{t.permissions.join(", ")}
                                    <ActionForm action=revoke>
                                        <input type="hidden" name="id" value=t.id.to_string() />
                                        <button type="submit" class="button secondary">{i18n.t(Msg::Revoke)}</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }
                })}
            </Suspense>
            <form class="form" on:submit=submit>
                <FormError error />
                <div class="field">
                    <label for="token-name">{i18n.t(Msg::Name)}</label>
                    <input id="token-name" name="name" required
                        prop:value=name on:input=move |ev| set_name.set(event_target_value(&ev)) />
                    <p class="field-error" role="alert">{field_problem("name")}</p>
                </div>
                <div class="field">
                    <label for="token-days">{i18n.t(Msg::ValidForDays)}</label>
                    <input id="token-days" name="days" type="number" min="1" max="365"
                        prop:value=move || days.get().to_string()
                        on:input=move |ev| set_days.set(event_target_value(&ev).parse().unwrap_or(0)) />
                    <p class="field-error" role="alert">{field_problem("days")}</p>
                </div>
                <fieldset>
                    <legend>{i18n.t(Msg::CompanySwitcher)}</legend>
                    {companies.into_iter().map(|(id, label)| view! {
                        <label class="check">
                            <input type="checkbox" value=id.to_string()
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen_companies.update(|c| if on { c.push(id) } else { c.retain(|x| *x != id) });
                                } />
                            {label}
                        </label>
                    }).collect_view()}
                    <p class="field-error" role="alert">{field_problem("companies")}</p>
                </fieldset>
                <fieldset>
                    <legend>{i18n.t(Msg::Permissions)}</legend>
                    {permissions.into_iter().map(|p| {
                        let value = p.clone();
                        view! {
                            <label class="check">
                                <input type="checkbox" value=p.clone()
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        let v = value.clone();
                                        chosen_permissions.update(|c| if on { c.push(v) } else { c.retain(|x| *x != v) });
                                    } />
                                <code>{p}</code>
                            </label>
                        }
                    }).collect_view()}
                    <p class="field-error" role="alert">{field_problem("permissions")}</p>
                </fieldset>
                <button type="submit" class="button">{i18n.t(Msg::CreateApiToken)}</button>
            </form>
        </section>
    }
}
