//! Small shared pieces of the portal pages: headings, badges, amounts, tables of documents.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::auth::SessionUser;
use crate::billing::{money, Amounts, LineView};
use crate::domain::money::{format_minor, format_percent_bp, format_quantity, Currency};
use crate::error::AppError;
use crate::i18n::{use_i18n, Msg};

/// A page's title (document and `<h1>`), with optional actions on the right.
#[component]
pub fn PageHeader(title: String, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    view! {
        <Title text=title.clone() />
        <div class="page-header">
            <h1>{title}</h1>
            <div class="page-actions">{children.map(|c| c())}</div>
        </div>
    }
}

/// A status chip; the CSS class is the stored status name.
#[component]
pub fn Badge(label: Msg, class: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! { <span class=format!("badge badge-{class}")>{i18n.t(label)}</span> }
}

/// An error from a server function, as a sentence.
#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="alert alert-error" role="alert">{error.message(i18n.locale)}</p> }
}

/// The signed-in user, provided by the portal frame.
pub fn use_user() -> Option<SessionUser> {
    use_context::<SessionUser>()
}

/// Document lines as a table, with totals per VAT rate.
#[component]
pub fn LinesTable(lines: Vec<LineView>, amounts: Amounts, currency: Currency) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="table lines">
            <thead>
                <tr>
                    <th scope="col">{i18n.t(Msg::Description)}</th>
                    <th scope="col" class="num">{i18n.t(Msg::Quantity)}</th>
                    <th scope="col" class="num">{i18n.t(Msg::UnitPrice)}</th>
                    <th scope="col" class="num">{i18n.t(Msg::VatRate)}</th>
                    <th scope="col" class="num">{i18n.t(Msg::Amount)}</th>
                </tr>
            </thead>
            <tbody>
                {lines
                    .into_iter()
                    .map(|l| {
                        view! {
                            <tr>
                                <td>{l.description}<small class="muted">" · "{l.service_date}</small></td>
                                <td class="num">{format_quantity(l.quantity_milli)}" "{l.unit}</td>
                                <td class="num">
                                    {format_minor(l.unit_price_minor)}
                                    {(l.discount_bp > 0).then(|| format!(" −{}%", format_percent_bp(l.discount_bp)))}
                                </td>
                                <td class="num">{format_percent_bp(l.vat_rate_bp)}"%"</td>
                                <td class="num">{format_minor(l.net_minor)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
            <tfoot>
                <tr>
                    <th scope="row" colspan="4">{i18n.t(Msg::NetTotal)}</th>
                    <td class="num">{format_minor(amounts.net_minor)}</td>
                </tr>
                {amounts
                    .per_rate
                    .iter()
                    .map(|r| {
                        view! {
                            <tr>
                                <th scope="row" colspan="4">
                                    {i18n.t(Msg::VatRate)}" "{format_percent_bp(r.rate_bp)}"% ("{format_minor(r.net_minor)}")"
                                </th>
                                <td class="num">{format_minor(r.vat_minor)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
                {(amounts.rounding_minor != 0)
                    .then(|| {
                        view! {
                            <tr>
                                <th scope="row" colspan="4">{i18n.t(Msg::Rounding)}</th>
                                <td class="num">{format_minor(amounts.rounding_minor)}</td>
                            </tr>
                        }
                    })}
                <tr class="total">
                    <th scope="row" colspan="4">{i18n.t(Msg::Total)}</th>
                    <td class="num" data-testid="total">{money(currency, amounts.total_minor)}</td>
                </tr>
            </tfoot>
        </table>
    }
}

/// Reads a query parameter of the current URL.
pub fn query(name: &'static str) -> Memo<Option<String>> {
    let q = leptos_router::hooks::use_query_map();
    Memo::new(move |_| q.read().get(name).filter(|v| !v.is_empty()))
}

/// Asks the browser's confirmation dialog (`false` on the server, where nothing is confirmed).
pub fn confirm(question: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        window().confirm_with_message(question).unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = question;
        false
    }
}
