//! Charts drawn as SVG on the server: readable before (and without) JavaScript, and accessible —
//! each chart has a title and description, every mark a `<title>`, and the figures are also in a
//! table that screen readers reach.

use leptos::prelude::*;

use crate::billing::money;
use crate::dashboard::{CompanyKey, MonthRevenue};
use crate::domain::money::Currency;
use crate::i18n::{use_i18n, Msg};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 64.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 8.0;

fn chf(minor: i64) -> String {
    money(Currency::CHF, minor)
}

/// A short axis label: `12k`, `1.5M`.
fn compact(minor: i64) -> String {
    let units = minor / 100;
    match units.abs() {
        u if u >= 1_000_000 => format!("{}.{}M", units / 1_000_000, (u % 1_000_000) / 100_000),
        u if u >= 1_000 => format!("{}k", units / 1_000),
        _ => units.to_string(),
    }
}

/// Twelve months of paid revenue, stacked per company.
#[component]
pub fn RevenueChart(months: Vec<MonthRevenue>, companies: Vec<CompanyKey>) -> impl IntoView {
    let i18n = use_i18n();
    let max = months
        .iter()
        .map(|m| m.per_company.iter().sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let plot_h = HEIGHT - BOTTOM - TOP;
    let slot = (WIDTH - LEFT) / months.len().max(1) as f64;
    let bar = slot * 0.7;
    let total: i64 = months.iter().flat_map(|m| m.per_company.iter()).sum();
    let grid = (0..=4)
        .map(|i| {
            let value = max * i / 4;
            let y = TOP + plot_h - plot_h * i as f64 / 4.0;
            view! {
                <line x1=LEFT x2=WIDTH y1=y y2=y class="grid" />
                <text x=LEFT - 6.0 y=y + 4.0 text-anchor="end" class="axis">{compact(value)}</text>
            }
        })
        .collect_view();
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
            let mut base = TOP + plot_h;
            let segments = m
                .per_company
                .iter()
                .zip(companies.iter())
                .filter(|(v, _)| **v > 0)
                .map(|(v, c)| {
                    let h = plot_h * *v as f64 / max as f64;
                    base -= h;
                    let label = format!("{} {}: {}", c.name, m.month, chf(*v));
                    view! {
                        <rect x=x y=base width=bar height=h fill=c.colour.clone()>
                            <title>{label}</title>
                        </rect>
                    }
                })
                .collect_view();
            let month_label = m.month[5..].to_owned();
            view! {
                <g>{segments}</g>
                <text x=x + bar / 2.0 y=HEIGHT - 6.0 text-anchor="middle" class="axis">{month_label}</text>
            }
        })
        .collect_view();
    let legend = companies
        .iter()
        .map(|c| {
            view! {
                // An SVG swatch: the Content-Security-Policy forbids inline style attributes.
                <li>
                    <svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" rx="2" fill=c.colour.clone() /></svg>
                    {c.name.clone()}
                </li>
            }
        })
        .collect_view();
    let rows = months
        .iter()
        .map(|m| {
            let cells = m
                .per_company
                .iter()
                .map(|v| view! { <td class="num">{chf(*v)}</td> })
                .collect_view();
            view! { <tr><th scope="row">{m.month.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    let heads = companies
        .iter()
        .map(|c| view! { <th scope="col">{c.code.clone()}</th> })
        .collect_view();
    view! {
        <figure class="chart" data-testid="chart-revenue">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby="chart-revenue-title chart-revenue-desc">
                <title id="chart-revenue-title">{i18n.t(Msg::ChartRevenueTitle)}</title>
                <desc id="chart-revenue-desc">{format!("{}: {}", i18n.t(Msg::Total), chf(total))}</desc>
                {grid}
                {bars}
            </svg>
            <figcaption>
                <span>{i18n.t(Msg::ChartRevenueTitle)}</span>
                <ul class="legend">{legend}</ul>
            </figcaption>
            <table class="sr-only">
                <caption>{i18n.t(Msg::ChartRevenueTitle)}</caption>
                <thead><tr><th scope="col">{i18n.t(Msg::Month)}</th>{heads}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </figure>
    }
}

/// Horizontal bars with a label and a value each (aging buckets, pipeline stages).
#[component]
pub fn BarChart(
    /// Used for ids and the test id.
    id: &'static str,
    /// Title of the chart.
    title: String,
    /// Label, value (for the bar's length) and the text shown for it.
    bars: Vec<(String, i64, String)>,
    /// Centre the bars (a funnel) instead of aligning them left.
    #[prop(optional)]
    funnel: bool,
) -> impl IntoView {
    let row_h = 28.0;
    let label_w = 150.0;
    let value_w = 170.0;
    let height = row_h * bars.len() as f64 + 8.0;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let span = WIDTH - label_w - value_w;
    let marks = bars
        .iter()
        .enumerate()
        .map(|(i, (label, value, text))| {
            let y = 4.0 + row_h * i as f64;
            let w = (span * *value as f64 / max as f64).max(if *value > 0 { 2.0 } else { 0.0 });
            let x = if funnel { label_w + (span - w) / 2.0 } else { label_w };
            let tip = format!("{label}: {text}");
            view! {
                <text x=label_w - 8.0 y=y + row_h / 2.0 + 4.0 text-anchor="end" class="axis">{label.clone()}</text>
                <rect x=x y=y + 4.0 width=w height=row_h - 8.0 class=format!("bar bar-{i}")>
                    <title>{tip}</title>
                </rect>
                <text x=WIDTH - value_w + 8.0 y=y + row_h / 2.0 + 4.0 class="value">{text.clone()}</text>
            }
        })
        .collect_view();
    let rows = bars
        .iter()
        .map(|(label, _, text)| view! { <tr><th scope="row">{label.clone()}</th><td class="num">{text.clone()}</td></tr> })
        .collect_view();
    let title_id = format!("chart-{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <figure class="chart" data-testid=format!("chart-{id}")>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby=labelled_by>
                <title id=title_id.clone()>{title.clone()}</title>
                {marks}
            </svg>
            <figcaption>{title.clone()}</figcaption>
            <table class="sr-only">
                <caption>{title}</caption>
                <tbody>{rows}</tbody>
            </table>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_labels_are_compact() {
        assert_eq!(compact(0), "0");
        assert_eq!(compact(99_900), "999");
        assert_eq!(compact(1_234_500), "12k");
        assert_eq!(compact(150_000_000), "1.5M");
    }
}
