//! The list view of every portal: a GET filter form (so a filtered view is a URL that can be
//! bookmarked and is rendered on the server), the table with row selection, keyset paging links
//! and CSV export.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::lists::list_rows;
use crate::auth::SessionUser;
use crate::components::ui::ErrorNote;
use crate::i18n::{use_i18n, Msg};
use crate::lists::{Cell, ListKind, ListPage, ListQuery};
use crate::portal::Portal;

/// The list of `kind` as the URL's filters say, in `portal` (its links stay in the portal).
#[component]
pub fn DataList(
    kind: ListKind,
    #[prop(default = Portal::Ceo)] portal: Portal,
    /// What the list is for and the first thing to do, shown while it is empty (translated).
    #[prop(optional)]
    empty: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let map = params.read();
        let pairs: Vec<(&str, String)> = ListQuery::KEYS
            .iter()
            .filter_map(|k| map.get(k).map(|v| (*k, v)))
            .collect();
        ListQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
    });
    let page = Resource::new(move || query.get(), move |q| list_rows(kind, q));
    view! {
        <FilterForm kind portal query />
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) if p.rows.is_empty() => view! { <p class="empty" data-testid="list-empty">{empty.unwrap_or_else(|| i18n.t(Msg::NothingYet))}</p> }.into_any(),
                    Ok(p) => view! { <Rows kind portal page=p query=query.get_untracked() /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn value_of(
    query: Memo<ListQuery>,
    pick: fn(&ListQuery) -> &Option<String>,
) -> impl Fn() -> String {
    move || query.with(|q| pick(q).clone().unwrap_or_default())
}

#[component]
fn FilterForm(kind: ListKind, portal: Portal, query: Memo<ListQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let companies = use_context::<SessionUser>()
        .map(|u| u.companies)
        .unwrap_or_default();
    let slug = kind.slug();
    let id = move |name: &str| format!("{slug}-{name}");
    let def = kind.def();
    let page_path = kind.page_path(portal);
    let statuses = (def.statuses)();
    let status_label = if kind == ListKind::Parties {
        Msg::Kind
    } else {
        Msg::Status
    };
    let selected = move |pick: fn(&ListQuery) -> &Option<String>, value: &'static str| {
        move || query.with(|q| pick(q).as_deref() == Some(value))
    };
    let client_chip = move || {
        query.with(|q| q.client.clone()).map(|client| {
            let without = ListQuery {
                client: None,
                ..query.get_untracked().first_page()
            };
            view! {
                <input type="hidden" name="client" value=client />
                <a class="chip" href=format!("{}?{}", kind.page_path(portal), without.to_query_string())>
                    {i18n.t(Msg::FilteredByClient)}" ✕"
                </a>
            }
        })
    };
    view! {
        <form method="get" action=page_path.clone() class="filters" role="search" data-testid=format!("{slug}-filters")>
            <div class="field">
                <label for=id("q")>{i18n.t(Msg::Search)}</label>
                <input id=id("q") name="q" type="search" value=value_of(query, |q| &q.q) />
            </div>
            {(!statuses.is_empty()).then(|| view! {
                <div class="field">
                    <label for=id("status")>{i18n.t(status_label)}</label>
                    <select id=id("status") name="status">
                        <option value="">{i18n.t(Msg::All)}</option>
                        {statuses.into_iter().map(|(value, label)| view! {
                            <option value=value selected=selected(|q| &q.status, value)>{i18n.t(label)}</option>
                        }).collect_view()}
                    </select>
                </div>
            })}
            {(companies.len() > 1).then(|| view! {
                <div class="field">
                    <label for=id("company")>{i18n.t(Msg::Company)}</label>
                    <select id=id("company") name="company">
                        <option value="">{i18n.t(Msg::AllCompanies)}</option>
                        {companies.into_iter().map(|c| {
                            let value = c.id.to_string();
                            let is = value.clone();
                            view! {
                                <option value=value selected=move || query.with(|q| q.company.as_deref() == Some(is.as_str()))>{c.name}</option>
                            }
                        }).collect_view()}
                    </select>
                </div>
            })}
            <div class="field">
                <label for=id("from")>{i18n.t(Msg::DateFrom)}</label>
                <input id=id("from") name="from" type="date" value=value_of(query, |q| &q.from) />
            </div>
            <div class="field">
                <label for=id("to")>{i18n.t(Msg::DateTo)}</label>
                <input id=id("to") name="to" type="date" value=value_of(query, |q| &q.to) />
            </div>
            {def.has_amounts.then(|| view! {
                <div class="field">
                    <label for=id("min")>{i18n.t(Msg::MinAmount)}</label>
                    <input id=id("min") name="min" inputmode="decimal" size="10" value=value_of(query, |q| &q.min) />
                </div>
                <div class="field">
                    <label for=id("max")>{i18n.t(Msg::MaxAmount)}</label>
                    <input id=id("max") name="max" inputmode="decimal" size="10" value=value_of(query, |q| &q.max) />
                </div>
            })}
            <div class="field">
                <label for=id("sort")>{i18n.t(Msg::SortBy)}</label>
                <select id=id("sort") name="sort">
                    {def.sorts.iter().map(|(key, label)| view! {
                        <option value=*key selected=selected(|q| &q.sort, key)>{i18n.t(*label)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=id("dir")>{i18n.t(Msg::Direction)}</label>
                <select id=id("dir") name="dir">
                    <option value="">"—"</option>
                    <option value="asc" selected=selected(|q| &q.dir, "asc")>{i18n.t(Msg::Ascending)}</option>
                    <option value="desc" selected=selected(|q| &q.dir, "desc")>{i18n.t(Msg::Descending)}</option>
                </select>
            </div>
            {client_chip}
            <div class="filter-actions">
                <button type="submit" class="button secondary">{i18n.t(Msg::Filter)}</button>
                <a href=kind.page_path(portal)>{i18n.t(Msg::ClearFilters)}</a>
            </div>
        </form>
    }
}

#[component]
fn Rows(kind: ListKind, portal: Portal, page: ListPage, query: ListQuery) -> impl IntoView {
    let i18n = use_i18n();
    let slug = kind.slug();
    let all = RwSignal::new(false);
    let base = query.first_page();
    let filters = base.to_query_string();
    let path = kind.page_path(portal);
    let link = move |cursor: ListQuery| format!("{path}?{}", cursor.to_query_string());
    let prev = page.prev.map(|c| {
        link(ListQuery {
            before: Some(c),
            ..base.clone()
        })
    });
    let next = page.next.map(|c| {
        link(ListQuery {
            after: Some(c),
            ..base.clone()
        })
    });
    let hidden = base
        .pairs()
        .into_iter()
        .map(|(k, v)| view! { <input type="hidden" name=k value=v /> })
        .collect_view();
    let heads = kind
        .def()
        .columns
        .iter()
        .map(|c| {
            view! { <th scope="col" class=c.numeric.then_some("num")>{i18n.t(c.label)}</th> }
        })
        .collect_view();
    let rows = page
        .rows
        .into_iter()
        .map(|row| {
            let name = row
                .cells
                .first()
                .map(|c| match c {
                    Cell::Link(t) | Cell::Text(t) | Cell::Number(t) => t.clone(),
                    Cell::Status(codes) => codes.join(" "),
                })
                .unwrap_or_default();
            let href = row.href.clone();
            let cells = row
                .cells
                .into_iter()
                .map(|cell| match cell {
                    Cell::Link(text) => view! { <td><a href=href.clone()>{text}</a></td> }.into_any(),
                    Cell::Text(text) => view! { <td>{text}</td> }.into_any(),
                    Cell::Number(text) => view! { <td class="num">{text}</td> }.into_any(),
                    Cell::Status(codes) => view! {
                        <td>{codes.into_iter().map(|code| {
                            let label = (kind.def().status_label)(&code);
                            view! { <span class=format!("badge badge-{code}")>{i18n.t(label)}</span>" " }
                        }).collect_view()}</td>
                    }.into_any(),
                })
                .collect_view();
            view! {
                <tr>
                    <td class="select">
                        <input
                            type="checkbox"
                            name="id"
                            value=row.id.to_string()
                            prop:checked=move || all.get()
                            aria-label=format!("{} {}", i18n.t(Msg::SelectRow), name)
                        />
                    </td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let export_all = format!(
        "/exports/{slug}.csv{}{filters}",
        if filters.is_empty() { "" } else { "?" }
    );
    view! {
        <form method="get" action=format!("/exports/{slug}.csv") class="bulk" data-testid=format!("{slug}-list")>
            {hidden}
            <table class="table" data-testid=slug>
                <thead>
                    <tr>
                        <th scope="col" class="select">
                            <input
                                type="checkbox"
                                aria-label=i18n.t(Msg::SelectPage)
                                on:change=move |ev| all.set(event_target_checked(&ev))
                            />
                        </th>
                        {heads}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <div class="list-footer">
                <nav class="pager" aria-label=i18n.t(Msg::Pages)>
                    {prev.map(|href| view! { <a rel="prev" href=href data-testid="page-prev">{i18n.t(Msg::Previous)}</a> })}
                    {next.map(|href| view! { <a rel="next" href=href data-testid="page-next">{i18n.t(Msg::Next)}</a> })}
                </nav>
                <div class="exports">
                    <button type="submit" class="button secondary">{i18n.t(Msg::ExportSelected)}</button>
                    <a class="button secondary" href=export_all download data-testid="export-all">{i18n.t(Msg::ExportCsv)}</a>
                </div>
            </div>
        </form>
    }
}
