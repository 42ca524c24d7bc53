//! Form pieces: labelled fields with their error, and the error banner of a form.

use leptos::prelude::*;

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
