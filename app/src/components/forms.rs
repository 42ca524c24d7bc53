//! The one set of form pieces: labelled fields with their error (announced, tied to the input),
//! the error banner of a form. Element ids follow one scheme, `{scope}-{name}` (`f` unless a page
//! holds several forms), so labels, errors and tests find them the same way everywhere.
//! Uncontrolled [`Field`]s serve the forms that work without JavaScript (sign-in); the
//! controlled ones ([`TextField`], [`ChoiceField`], [`CompanyField`]) serve the portal pages.

use leptos::prelude::*;
use uuid::Uuid;

use crate::components::ui::use_user;
use crate::domain::money::Currency;
use crate::domain::status::Choice;
use crate::error::AppError;
use crate::i18n::{use_i18n, Msg};

/// The last error of a server action, as a signal forms can read.
pub type ActionError = Signal<Option<AppError>>;

/// Builds an [`ActionError`] from an action's value.
pub fn action_error<T, S>(value: S) -> ActionError
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

/// A labelled input whose error (from the server) is announced and tied to it.
#[component]
pub fn Field(
    /// The input's `name` (and, prefixed, its `id`).
    name: &'static str,
    /// The label text.
    label: Msg,
    /// The input type.
    #[prop(default = "text")]
    kind: &'static str,
    /// The `autocomplete` hint.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// The error of the form's last submission.
    error: ActionError,
    /// Whether the field must be filled in.
    #[prop(default = true)]
    required: bool,
    /// An `inputmode` hint (e.g. `numeric`).
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// A hint shown under the label.
    #[prop(optional)]
    hint: Option<Msg>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let problem = move || error.get().and_then(|e| e.field_problem(name));
    let described_by = {
        let error_id = error_id.clone();
        let hint_id = hint_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if problem().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{i18n.t(label)}</label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{i18n.t(h)}</p> })}
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                aria-invalid=move || problem().is_some().then_some("true")
                aria-describedby=described_by
            />
            <p class="field-error" id=error_id role="alert">
                {move || problem().map(|p| p.message(i18n.locale))}
            </p>
        </div>
    }
}

/// The form-level error: everything that is not about one field.
#[component]
pub fn FormError(error: ActionError) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || {
        error.get().map(|e| match &e {
            AppError::RateLimited { retry_after_secs } => {
                format!("{} ({} s)", e.message(i18n.locale), retry_after_secs)
            }
            _ => e.message(i18n.locale).to_owned(),
        })
    };
    view! {
        <div class="form-error" aria-live="polite">
            {move || message().map(|m| view! { <p class="alert alert-error" role="alert">{m}</p> })}
        </div>
    }
}

/// Navigates with a full page load (the server renders the next page with the new cookies).
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// Reloads the page.
pub fn reload() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().reload();
    }
}

/// The problem the last submission had with `name`, in the page's language.
fn problem_of(error: ActionError, name: &'static str) -> impl Fn() -> Option<String> + Copy {
    let i18n = use_i18n();
    move || {
        error
            .get()
            .and_then(|e| e.field_problem(name))
            .map(|p| p.message(i18n.locale))
    }
}

/// A controlled text input with its label, optional hint and server-side error.
#[component]
pub fn TextField(
    /// The field's name (as the server reports errors for it).
    name: &'static str,
    /// Prefix of the element id, unique per form on a page.
    #[prop(default = "f")]
    scope: &'static str,
    /// The label, already translated.
    label: &'static str,
    /// The value.
    value: RwSignal<String>,
    /// The error of the form's last submission.
    error: ActionError,
    /// The input type.
    #[prop(default = "text")]
    kind: &'static str,
    /// A hint under the label, already translated.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// An `inputmode` hint.
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let id = format!("{scope}-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let problem = problem_of(error, name);
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if problem().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
            <input id=id name=name type=kind inputmode=inputmode prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || problem().map(|_| "true")
                aria-describedby=described />
            <p class="field-error" id=error_id role="alert">{problem}</p>
        </div>
    }
}

/// A select over the values of a stored enum, each shown by its label.
#[component]
pub fn ChoiceField<T: Choice + PartialEq + Send + Sync>(
    /// The field's name.
    name: &'static str,
    /// Prefix of the element id, unique per form on a page.
    #[prop(default = "f")]
    scope: &'static str,
    /// The label, already translated.
    label: &'static str,
    /// The value.
    value: RwSignal<T>,
    /// The error of the form's last submission.
    error: ActionError,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("{scope}-{name}");
    let problem = problem_of(error, name);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name on:change=move |ev| {
                let chosen = event_target_value(&ev);
                if let Some(v) = T::all().iter().find(|v| v.name() == chosen) {
                    value.set(*v);
                }
            }>
                {T::all()
                    .iter()
                    .map(|c| {
                        let c = *c;
                        view! { <option value=c.name() selected=move || value.get() == c>{i18n.t(c.msg())}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" role="alert">{problem}</p>
        </div>
    }
}

/// A currency select.
#[component]
pub fn CurrencyField(
    /// The value.
    value: RwSignal<Currency>,
    /// Prefix of the element id.
    #[prop(default = "f")]
    scope: &'static str,
    /// The error of the form's last submission.
    error: ActionError,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("{scope}-currency");
    let problem = problem_of(error, "currency");
    view! {
        <div class="field">
            <label for=id.clone()>{i18n.t(Msg::Currency)}</label>
            <select id=id name="currency" on:change=move |ev| {
                if let Some(c) = Currency::parse(&event_target_value(&ev)) {
                    value.set(c);
                }
            }>
                {Currency::ALL
                    .iter()
                    .map(|c| {
                        let c = *c;
                        view! { <option value=c.code() selected=move || value.get() == c>{c.code()}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" role="alert">{problem}</p>
        </div>
    }
}

/// The company a form acts for, chosen among the signed-in user's.
#[component]
pub fn CompanyField(
    /// The chosen company.
    value: RwSignal<Uuid>,
    /// Prefix of the element id.
    #[prop(default = "f")]
    scope: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let companies = use_user().map(|u| u.companies).unwrap_or_default();
    let id = format!("{scope}-company");
    view! {
        <div class="field">
            <label for=id.clone()>{i18n.t(Msg::CompanySwitcher)}</label>
            <select id=id on:change=move |ev| {
                if let Ok(c) = event_target_value(&ev).parse() {
                    value.set(c);
                }
            }>
                {companies
                    .into_iter()
                    .map(|c| {
                        let id = c.id;
                        view! { <option value=c.id.to_string() selected=move || value.get() == id>{c.name}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
