//! Dropping bills: several files at once (drag and drop, or chosen), each sent to
//! `/payables/upload` on its own, with its outcome listed (opened, a duplicate, refused and why).

use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{use_i18n, PayMsg};

/// Largest file accepted, in MB (the server refuses more, with the same limit).
pub const MAX_MB: u32 = 10;

/// What happened to one file.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Sent {
    Sending(String),
    Done(String, Uuid, Option<Uuid>),
    Refused(String, String),
}

/// The drop zone; `on_done` runs after each file (to refresh a list). Bills open at
/// `{base}/bills/{id}`.
#[component]
pub fn BillDrop(
    /// The company the bills are for.
    company: Signal<Uuid>,
    /// The portal's base path.
    base: &'static str,
    /// The section's title.
    #[prop(default = PayMsg::UploadTitle)]
    title: PayMsg,
    /// Runs after each file.
    #[prop(into)]
    on_done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Files are sent from the browser only.
    #[cfg(not(feature = "hydrate"))]
    let _ = (company, on_done);
    let sent = RwSignal::new(Vec::<Sent>::new());
    let input = NodeRef::<leptos::html::Input>::new();
    let over = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    let send_files = move |files: web_sys::FileList| {
        for i in 0..files.length() {
            let Some(file) = files.get(i) else { continue };
            let name = file.name();
            if file.size() > f64::from(MAX_MB) * 1024.0 * 1024.0 {
                let why = crate::error::FieldProblem::FileTooLarge { max_mb: MAX_MB }
                    .message(i18n.locale);
                sent.update(|s| s.push(Sent::Refused(name, why)));
                continue;
            }
            let index = sent.with_untracked(|s| s.len());
            sent.update(|s| s.push(Sent::Sending(name.clone())));
            let company = company.get_untracked();
            let locale = i18n.locale;
            leptos::task::spawn_local(async move {
                let outcome = upload(company, &file, locale).await;
                sent.update(|s| {
                    s[index] = match outcome {
                        Ok((id, same)) => Sent::Done(name.clone(), id, same),
                        Err(reason) => Sent::Refused(name.clone(), reason),
                    }
                });
                on_done.run(());
            });
        }
    };
    let on_change = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(files) = input.get_untracked().and_then(|i| i.files()) {
            send_files(files);
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        #[cfg(feature = "hydrate")]
        if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
            send_files(files);
        }
    };
    view! {
        <section class="page-card" aria-labelledby="drop-title">
            <h2 id="drop-title">{i18n.t(title)}</h2>
            <div class="dropzone" class:over=over data-testid="bill-drop"
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); over.set(true); }
                on:dragleave=move |_| over.set(false)
                on:drop=on_drop>
                <p>{i18n.t(PayMsg::DropHint)}</p>
                <label for="bill-files">{i18n.t(PayMsg::ChooseFiles)}</label>
                <input id="bill-files" type="file" multiple accept="application/pdf,image/png,image/jpeg" node_ref=input on:change=on_change />
            </div>
            <ul class="uploads" aria-live="polite" data-testid="uploads">
                {move || sent.get().into_iter().map(|s| match s {
                    Sent::Sending(name) => view! { <li>{name}" — "{i18n.t(PayMsg::Reading)}</li> }.into_any(),
                    Sent::Done(name, id, same) => view! {
                        <li data-testid="uploaded">
                            <a href=format!("{base}/bills/{id}")>{name}</a>
                            {same.map(|_| view! { " — " <strong class="warning">{i18n.t(PayMsg::SameFileUploaded)}</strong> })}
                        </li>
                    }.into_any(),
                    Sent::Refused(name, why) => view! { <li class="error" role="alert">{name}" — "{why}</li> }.into_any(),
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// Sends one file; the new bill's id and, when the same file came before, that bill's.
#[cfg(feature = "hydrate")]
async fn upload(
    company: Uuid,
    file: &web_sys::File,
    locale: crate::i18n::Locale,
) -> Result<(Uuid, Option<Uuid>), String> {
    use wasm_bindgen::JsCast;
    let network = PayMsg::Network.text(locale).to_owned();
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(file);
    let name: String = file
        .name()
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let promise = window().fetch_with_str_and_init(
        &format!("/payables/upload?company={company}&name={name}"),
        &init,
    );
    let response: web_sys::Response = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| network.clone())?
        .dyn_into()
        .map_err(|_| network.clone())?;
    if response.status() == 413 {
        return Err(crate::error::FieldProblem::FileTooLarge { max_mb: MAX_MB }.message(locale));
    }
    let text = wasm_bindgen_futures::JsFuture::from(response.text().map_err(|_| network.clone())?)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_default();
    if response.ok() {
        let intake: crate::payables::Intake =
            serde_json::from_str(&text).map_err(|_| network.clone())?;
        Ok((intake.bill_id, intake.same_file_as))
    } else {
        Err(serde_json::from_str::<crate::error::AppError>(&text)
            .map(|e| match e.field_problem("file") {
                Some(p) => p.message(locale),
                None => e.message(locale).to_owned(),
            })
            .unwrap_or_else(|_| response.status_text()))
    }
}
