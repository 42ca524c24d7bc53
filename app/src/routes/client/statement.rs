//! `/client/statement`: the statement of account for a period, as PDF or CSV.

use leptos::prelude::*;

use crate::components::ui::{query, PageHeader};
use crate::i18n::{use_i18n, Msg};

/// Choose a period; download the statement.
#[component]
pub fn Statement() -> impl IntoView {
    let i18n = use_i18n();
    let from = query("from");
    let to = query("to");
    let link = move |format: &'static str| {
        let mut params = vec![format!("format={format}")];
        if let Some(f) = from.get() {
            params.push(format!("from={f}"));
        }
        if let Some(t) = to.get() {
            params.push(format!("to={t}"));
        }
        format!("/documents/statement?{}", params.join("&"))
    };
    view! {
        <PageHeader title=i18n.t(Msg::NavStatement).to_owned() />
        <form method="get" class="filters">
            <label for="from">{i18n.t(Msg::From)}</label>
            <input id="from" name="from" type="date" value=move || from.get().unwrap_or_default() />
            <label for="to">{i18n.t(Msg::To)}</label>
            <input id="to" name="to" type="date" value=move || to.get().unwrap_or_default() />
            <button type="submit" class="button secondary">{i18n.t(Msg::Filter)}</button>
        </form>
        <p>
            <a class="button" href=move || link("pdf") rel="external" target="_blank" data-testid="statement-pdf">{i18n.t(Msg::DownloadPdf)}</a>" "
            <a class="button secondary" href=move || link("csv") rel="external" data-testid="statement-csv">{i18n.t(Msg::DownloadCsv)}</a>
        </p>
    }
}
