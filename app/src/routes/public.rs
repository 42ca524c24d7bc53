//! Public pages: the landing page and the sign-in page.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{
    CancelSignIn, ConfirmSignInEnrolment, EnrolmentView, Login, RequestPasswordReset,
    RequestUnlock, ResetPassword, SecondFactor, SignInResult, SignInStage, StartSignInEnrolment,
    UnlockAccount,
};
use crate::components::forms::{action_error, go_to, reload, Field, FormError};
use crate::components::layout::PublicFrame;
use crate::error::AppError;
use crate::i18n::{use_i18n, Msg};
use crate::portal::Portal;

/// The landing page: what the platform is and where each portal lives.
#[component]
pub fn Landing() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text="" />
        <PublicFrame>
            <section class="hero" aria-labelledby="hero-title">
                <h1 id="hero-title">{i18n.t(Msg::LandingTitle)}</h1>
                <p class="lead">{i18n.t(Msg::LandingDescription)}</p>
                <a class="button" href="/login">{i18n.t(Msg::SignIn)}</a>
            </section>
            <section aria-labelledby="portals-title">
                <h2 id="portals-title">{i18n.t(Msg::LandingPortals)}</h2>
                <ul class="cards">
                    {Portal::ALL
                        .into_iter()
                        .map(|portal| {
                            view! {
                                <li class="card">
                                    <h3>{i18n.t(portal.title())}</h3>
                                    <p>{i18n.t(portal.description())}</p>
                                    <a href=portal.base_path()>
                                        {i18n.t(Msg::LandingOpenPortal)}
                                        <span class="visually-hidden">
                                            ": "{i18n.t(portal.title())}
                                        </span>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        </PublicFrame>
    }
}

/// The sign-in page: credentials, then (when required) the second factor or its enrolment.
/// Which step shows is decided on the server from the cookies, so it also works without
/// JavaScript.
#[component]
pub fn Login() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let next = move || query.read().get("next");
    let sso_failed = move || query.read().get("error").as_deref() == Some("sso");
    let page = Resource::new_blocking(next, crate::api::auth::sign_in_page);

    view! {
        <Title text=i18n.t(Msg::SignIn) />
        <Meta name="description" content=i18n.t(Msg::LoginDescription) />
        <PublicFrame>
            <section class="auth-card" aria-labelledby="login-title">
                <h1 id="login-title">{i18n.t(Msg::LoginTitle)}</h1>
                {move || {
                    sso_failed()
                        .then(|| view! { <p class="alert alert-error" role="alert">{i18n.t(Msg::SsoFailed)}</p> })
                }}
                <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match page.await {
                            Ok(state) => match state.stage {
                                SignInStage::Credentials => {
                                    view! { <PasswordStep next=next() sso=state.sso /> }.into_any()
                                }
                                SignInStage::SecondFactor => view! { <CodeStep next=next() /> }.into_any(),
                                SignInStage::Enrol => view! { <EnrolStep next=next() /> }.into_any(),
                                SignInStage::SignedIn(to) => view! { <Redirect path=to /> }.into_any(),
                            },
                            Err(e) => view! {
                                <p class="alert alert-error" role="alert">{e.message(i18n.locale)}</p>
                            }
                                .into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </PublicFrame>
    }
}

/// Email and password (and the single-sign-on button when configured).
#[component]
fn PasswordStep(next: Option<String>, sso: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let login = ServerAction::<Login>::new();
    let error = action_error(login.value());
    Effect::new(move |_| match login.value().get() {
        Some(Ok(SignInResult::Done(to))) => go_to(&to),
        Some(Ok(_)) => reload(),
        _ => {}
    });
    let (password_visible, set_password_visible) = signal(false);
    // The toggle only works once the page is hydrated, so it stays hidden until then.
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    let sso_href = format!(
        "/auth/sso/start?next={}",
        next.clone().unwrap_or_default().replace('&', "%26")
    );
    view! {
        <p>{i18n.t(Msg::LoginDescription)}</p>
        <ActionForm action=login>
            <div class="form">
                <FormError error />
                <input type="hidden" name="next" value=next.unwrap_or_default() />
                <Field name="email" label=Msg::Email kind="email" autocomplete="username" error />
                <div class="field">
                    <label for="field-password">{i18n.t(Msg::Password)}</label>
                    <div class="input-with-button">
                        <input
                            id="field-password"
                            name="password"
                            type=move || if password_visible.get() { "text" } else { "password" }
                            autocomplete="current-password"
                            required
                            aria-invalid=move || {
                                error.get().and_then(|e| e.field_problem("password")).map(|_| "true")
                            }
                        />
                        <button
                            type="button"
                            class="button secondary"
                            data-testid="toggle-password"
                            aria-controls="field-password"
                            aria-pressed=move || password_visible.get().to_string()
                            hidden=move || !hydrated.get()
                            on:click=move |_| set_password_visible.update(|v| *v = !*v)
                        >
                            {move || {
                                if password_visible.get() {
                                    i18n.t(Msg::HidePassword)
                                } else {
                                    i18n.t(Msg::ShowPassword)
                                }
                            }}
                        </button>
                    </div>
                    <p class="field-error" role="alert">
                        {move || {
                            error
                                .get()
                                .and_then(|e| e.field_problem("password"))
                                .map(|p| p.message(i18n.locale))
                        }}
                    </p>
                </div>
                <button type="submit" class="button" disabled=move || login.pending().get()>
                    {i18n.t(Msg::SignIn)}
                </button>
            </div>
        </ActionForm>
        <p><a href="/forgot-password">{i18n.t(Msg::ForgotPassword)}</a></p>
        {move || {
            matches!(error.get(), Some(AppError::RateLimited { .. }))
                .then(|| view! { <p><a href="/unlock" data-testid="unlock-link">{i18n.t(Msg::LockedOut)}</a></p> })
        }}
        {sso.map(|name| {
            view! {
                <p class="sso">
                    <a class="button secondary" href=sso_href rel="external" data-testid="sso-login">
                        {i18n.t(Msg::SignInWith)}" "{name}
                    </a>
                </p>
            }
        })}
    }
}

/// The TOTP (or recovery) code.
#[component]
fn CodeStep(next: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let verify = ServerAction::<SecondFactor>::new();
    let cancel = ServerAction::<CancelSignIn>::new();
    let error = action_error(verify.value());
    Effect::new(move |_| {
        if let Some(Ok(SignInResult::Done(to))) = verify.value().get() {
            go_to(&to);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = cancel.value().get() {
            reload();
        }
    });
    view! {
        <h2>{i18n.t(Msg::TwoFactorTitle)}</h2>
        <p>{i18n.t(Msg::TwoFactorPrompt)}</p>
        <ActionForm action=verify>
            <div class="form">
                <FormError error />
                <input type="hidden" name="next" value=next.unwrap_or_default() />
                <Field
                    name="code"
                    label=Msg::TwoFactorCode
                    autocomplete="one-time-code"
                    hint=Msg::TwoFactorCodeHint
                    error
                />
                <button type="submit" class="button" disabled=move || verify.pending().get()>
                    {i18n.t(Msg::Verify)}
                </button>
            </div>
        </ActionForm>
        <ActionForm action=cancel>
            <button type="submit" class="link-button">{i18n.t(Msg::Cancel)}</button>
        </ActionForm>
    }
}

/// First sign-in of an account that must use a second factor: enrol it now.
#[component]
fn EnrolStep(next: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let start = ServerAction::<StartSignInEnrolment>::new();
    let confirm = ServerAction::<ConfirmSignInEnrolment>::new();
    let start_error = action_error(start.value());
    let error = action_error(confirm.value());
    view! {
        <h2>{i18n.t(Msg::EnrolTitle)}</h2>
        <p>{i18n.t(Msg::EnrolRequired)}</p>
        <FormError error=start_error />
        {move || match (start.value().get(), confirm.value().get()) {
            (_, Some(Ok(done))) => {
                let redirect = done.redirect.clone();
                view! {
                    <RecoveryCodes codes=done.recovery_codes />
                    <button class="button" on:click=move |_| go_to(&redirect)>
                        {i18n.t(Msg::Continue)}
                    </button>
                }
                    .into_any()
            }
            (Some(Ok(enrolment)), _) => {
                let next = next.clone().unwrap_or_default();
                view! {
                    <EnrolmentQr enrolment />
                    <ActionForm action=confirm>
                        <div class="form">
                            <FormError error />
                            <input type="hidden" name="next" value=next />
                            <Field
                                name="code"
                                label=Msg::TwoFactorCode
                                autocomplete="one-time-code"
                                inputmode="numeric"
                                error
                            />
                            <button type="submit" class="button">{i18n.t(Msg::Verify)}</button>
                        </div>
                    </ActionForm>
                }
                    .into_any()
            }
            _ => view! {
                <ActionForm action=start>
                    <button type="submit" class="button" data-testid="enrol-start">
                        {i18n.t(Msg::EnrolStart)}
                    </button>
                </ActionForm>
            }
                .into_any(),
        }}
    }
}

/// The QR code and the typed form of a new TOTP secret.
#[component]
pub fn EnrolmentQr(enrolment: EnrolmentView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="enrolment">
            <p>{i18n.t(Msg::EnrolScan)}</p>
            <div class="qr" role="img" aria-label=i18n.t(Msg::EnrolQrLabel) inner_html=enrolment.qr_svg></div>
            <p>
                {i18n.t(Msg::EnrolManual)}" "
                <code data-testid="totp-secret">{enrolment.secret_base32}</code>
            </p>
        </div>
    }
}

/// One-time recovery codes, shown once.
#[component]
pub fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="alert alert-warn" role="status">
            <p>{i18n.t(Msg::RecoveryCodesIntro)}</p>
            <ul class="recovery-codes" data-testid="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
        </div>
    }
}

/// Asks for a reset link.
#[component]
pub fn ForgotPassword() -> impl IntoView {
    let i18n = use_i18n();
    let request = ServerAction::<RequestPasswordReset>::new();
    let error = action_error(request.value());
    view! {
        <Title text=i18n.t(Msg::ForgotPassword) />
        <PublicFrame>
            <section class="auth-card" aria-labelledby="forgot-title">
                <h1 id="forgot-title">{i18n.t(Msg::ForgotPassword)}</h1>
                <p>{i18n.t(Msg::ForgotIntro)}</p>
                {move || match request.value().get() {
                    Some(Ok(())) => view! {
                        <p class="alert alert-ok" role="status" data-testid="reset-sent">
                            {i18n.t(Msg::ForgotSent)}
                        </p>
                    }
                        .into_any(),
                    _ => view! {
                        <ActionForm action=request>
                            <div class="form">
                                <FormError error />
                                <Field name="email" label=Msg::Email kind="email" autocomplete="username" error />
                                <button type="submit" class="button">{i18n.t(Msg::SendResetLink)}</button>
                            </div>
                        </ActionForm>
                    }
                        .into_any(),
                }}
                <p><a href="/login">{i18n.t(Msg::BackToSignIn)}</a></p>
            </section>
        </PublicFrame>
    }
}

/// Chooses a new password with the token from the reset email.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let reset = ServerAction::<ResetPassword>::new();
    let error = action_error(reset.value());
    view! {
        <Title text=i18n.t(Msg::ResetPassword) />
        <PublicFrame>
            <section class="auth-card" aria-labelledby="reset-title">
                <h1 id="reset-title">{i18n.t(Msg::ResetPassword)}</h1>
                {move || match reset.value().get() {
                    Some(Ok(())) => view! {
                        <p class="alert alert-ok" role="status" data-testid="reset-done">
                            {i18n.t(Msg::ResetDone)}
                        </p>
                        <p><a class="button" href="/login">{i18n.t(Msg::SignIn)}</a></p>
                    }
                        .into_any(),
                    _ => view! {
                        <ActionForm action=reset>
                            <div class="form">
                                <FormError error />
                                <p class="field-error" role="alert">
                                    {move || {
                                        error
                                            .get()
                                            .and_then(|e| e.field_problem("token"))
                                            .map(|_| i18n.t(Msg::ResetLinkInvalid))
                                    }}
                                </p>
                                <input type="hidden" name="token" value=token />
                                <Field
                                    name="new_password"
                                    label=Msg::NewPassword
                                    kind="password"
                                    autocomplete="new-password"
                                    hint=Msg::PasswordRules
                                    error
                                />
                                <Field
                                    name="confirm_password"
                                    label=Msg::ConfirmPassword
                                    kind="password"
                                    autocomplete="new-password"
                                    error
                                />
                                <button type="submit" class="button">{i18n.t(Msg::ResetPassword)}</button>
                            </div>
                        </ActionForm>
                    }
                        .into_any(),
                }}
            </section>
        </PublicFrame>
    }
}

/// Lifts a sign-in lock: asks for the emailed link, or (with the link's token) uses it.
#[component]
pub fn UnlockPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let request = ServerAction::<RequestUnlock>::new();
    let unlock = ServerAction::<UnlockAccount>::new();
    let request_error = action_error(request.value());
    let unlock_error = action_error(unlock.value());
    view! {
        <Title text=i18n.t(Msg::UnlockTitle) />
        <PublicFrame>
            <section class="auth-card" aria-labelledby="unlock-title">
                <h1 id="unlock-title">{i18n.t(Msg::UnlockTitle)}</h1>
                {move || {
                    if token().is_empty() {
                        match request.value().get() {
                            Some(Ok(())) => view! {
                                <p class="alert alert-ok" role="status" data-testid="unlock-sent">{i18n.t(Msg::UnlockSent)}</p>
                            }
                                .into_any(),
                            _ => view! {
                                <p>{i18n.t(Msg::UnlockIntro)}</p>
                                <ActionForm action=request>
                                    <div class="form">
                                        <FormError error=request_error />
                                        <Field name="email" label=Msg::Email kind="email" autocomplete="username" error=request_error />
                                        <button type="submit" class="button">{i18n.t(Msg::SendResetLink)}</button>
                                    </div>
                                </ActionForm>
                            }
                                .into_any(),
                        }
                    } else {
                        match unlock.value().get() {
                            Some(Ok(())) => view! {
                                <p class="alert alert-ok" role="status" data-testid="unlock-done">{i18n.t(Msg::UnlockDone)}</p>
                                <p><a class="button" href="/login">{i18n.t(Msg::SignIn)}</a></p>
                            }
                                .into_any(),
                            _ => view! {
                                <ActionForm action=unlock>
                                    <div class="form">
                                        <FormError error=unlock_error />
                                        <p class="field-error" role="alert">
                                            {move || {
                                                unlock_error
                                                    .get()
                                                    .and_then(|e| e.field_problem("token"))
                                                    .map(|_| i18n.t(Msg::ResetLinkInvalid))
                                            }}
                                        </p>
                                        <input type="hidden" name="token" value=token />
                                        <button type="submit" class="button">{i18n.t(Msg::UnlockConfirm)}</button>
                                    </div>
                                </ActionForm>
                            }
                                .into_any(),
                        }
                    }
                }}
                <p><a href="/login">{i18n.t(Msg::BackToSignIn)}</a></p>
            </section>
        </PublicFrame>
    }
}
