//! The list engine's SQL: built with `QueryBuilder` from per-list whitelists (columns, sort
//! expressions, filters), so nothing from the URL reaches the SQL text; values are always bound.
//! (These are the one place where SQL is assembled at run time: the filter combinations are too
//! many for `query!`. Their plans are checked at scale by the index test and the benchmark.)

mod export;

pub use export::{csv_field, csv_record, routes};

use sqlx::postgres::PgRow;
use sqlx::{PgPool, Postgres, QueryBuilder, Row};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use uuid::Uuid;

use super::*;
use crate::auth::ssr::{begin, Caller, Scope};
use crate::auth::Permission;
use crate::billing::money;
use crate::domain::calendar::{iso_date, parse_date};
use crate::domain::money::{format_plain, parse_minor, Currency};
use crate::domain::text::search_pattern;
use crate::error::{AppError, FieldProblem};
use crate::portal::Portal;

/// The SQL type of a sort key (the cursor's value is cast to it).
#[derive(Clone, Copy, Debug)]
pub enum KeyType {
    /// `date`.
    Date,
    /// `bigint`.
    BigInt,
    /// `integer`.
    Int,
    /// `text`.
    Text,
    /// `timestamptz`.
    Timestamp,
}

impl KeyType {
    const fn cast(self) -> &'static str {
        match self {
            KeyType::Date => "::date",
            KeyType::BigInt => "::bigint",
            KeyType::Int => "::integer",
            KeyType::Text => "::text",
            KeyType::Timestamp => "::timestamptz",
        }
    }
}

/// What the engine needs to know about one list on the server; each domain declares its own.
#[derive(Debug)]
pub struct Spec {
    /// The permission reading the list needs.
    pub permission: Permission,
    /// `SELECT` list (without the sort key).
    pub select: &'static str,
    /// `FROM` with joins.
    pub from: &'static str,
    /// The row id column.
    pub id: &'static str,
    /// The company column.
    pub company: &'static str,
    /// The status column the status filter compares.
    pub status: Option<&'static str>,
    /// Status filter values that are conditions rather than stored values (`overdue`).
    pub derived_statuses: &'static [(&'static str, &'static str)],
    /// Column the date range applies to.
    pub date: &'static str,
    /// Column the amount range applies to.
    pub amount: Option<&'static str>,
    /// Column the client filter applies to.
    pub party: Option<&'static str>,
    /// The party a portal user must be (row-level security enforces it; saying it in the
    /// query lets Postgres use an index instead of filtering every row of the company).
    pub own: &'static str,
    /// Its kind in `search_index` (the searched text is defined there).
    pub search_kind: &'static str,
    /// The column the found ids are matched against (the row id, or its party's for lists
    /// searched by their party's name).
    pub search_column: &'static str,
    /// Also match rows whose party's name matches.
    pub search_party: bool,
    /// Sort key → expression and type.
    pub sorts: &'static [(&'static str, &'static str, KeyType)],
    /// The cells of a row, and the party it belongs to (for its link).
    pub cells: fn(&PgRow) -> (Vec<Cell>, Option<Uuid>),
    /// Extra CSV headers after the columns' (e.g. the currency).
    pub csv_extra: &'static [crate::i18n::Msg],
    /// The plain values of a row, for CSV.
    pub csv: fn(&PgRow) -> Vec<String>,
}

/// The registry: the server half of each list, declared by its domain.
fn spec(kind: ListKind) -> &'static Spec {
    match kind {
        ListKind::Invoices => &crate::billing::lists::spec::INVOICES,
        ListKind::Quotes => &crate::billing::lists::spec::QUOTES,
        ListKind::Parties => &crate::crm::lists::spec::PARTIES,
        ListKind::Contacts => &crate::crm::lists::spec::CONTACTS,
        ListKind::Leads => &crate::crm::lists::spec::LEADS,
        ListKind::Subscriptions => &crate::billing::lists::spec::SUBSCRIPTIONS,
        ListKind::BankTransactions => &crate::banking::lists::spec::TRANSACTIONS,
        ListKind::Bills => &crate::payables::lists::spec::BILLS,
    }
}

/// A checked query: every value parsed, every name whitelisted.
struct Checked {
    status: Option<String>,
    pattern: Option<String>,
    from: Option<time::Date>,
    to: Option<time::Date>,
    min: Option<i64>,
    max: Option<i64>,
    client: Option<Uuid>,
    sort: (&'static str, KeyType),
    desc: bool,
    after: Option<(String, Uuid)>,
    before: Option<(String, Uuid)>,
    ids: Vec<Uuid>,
}

fn check(kind: ListKind, spec: &Spec, q: &ListQuery, ids: Vec<Uuid>) -> Result<Checked, AppError> {
    let status = match q.status.as_deref() {
        Some(s) if (kind.def().statuses)().iter().any(|(v, _)| *v == s) => Some(s.to_owned()),
        Some(_) => return Err(AppError::field("status", FieldProblem::Invalid)),
        None => None,
    };
    let date = |field: &'static str, v: &Option<String>| {
        v.as_deref().map(|d| parse_date(field, d)).transpose()
    };
    let amount = |field: &'static str, v: &Option<String>| {
        v.as_deref()
            .map(|a| {
                parse_minor(a)
                    .ok()
                    .filter(|m| *m >= 0)
                    .ok_or(AppError::field(field, FieldProblem::Invalid))
            })
            .transpose()
    };
    let client = q
        .client
        .as_deref()
        .map(|c| Uuid::parse_str(c).map_err(|_| AppError::field("client", FieldProblem::Invalid)))
        .transpose()?;
    let (sort_key, sort_expr, sort_type) = match q.sort.as_deref() {
        None => spec.sorts[0],
        Some(key) => *spec
            .sorts
            .iter()
            .find(|(k, _, _)| *k == key)
            .ok_or(AppError::field("sort", FieldProblem::Invalid))?,
    };
    let _ = sort_key;
    let desc = match q.dir.as_deref() {
        None => q.sort.is_none() && kind.def().default_desc,
        Some("desc") => true,
        Some("asc") => false,
        Some(_) => return Err(AppError::field("dir", FieldProblem::Invalid)),
    };
    let pattern = search_pattern("q", q.q.as_deref())?;
    Ok(Checked {
        status,
        pattern,
        from: date("from", &q.from)?,
        to: date("to", &q.to)?,
        min: if spec.amount.is_some() {
            amount("min", &q.min)?
        } else {
            None
        },
        max: if spec.amount.is_some() {
            amount("max", &q.max)?
        } else {
            None
        },
        client: if spec.party.is_some() { client } else { None },
        sort: (sort_expr, sort_type),
        desc,
        after: q.after.as_deref().map(cursor_decode).transpose()?,
        before: q.before.as_deref().map(cursor_decode).transpose()?,
        ids,
    })
}

/// A cursor is the sort value (hex, so any text survives the URL) and the row id.
fn cursor_encode(value: &str, id: Uuid) -> String {
    let hex: String = value.bytes().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.{}", id.simple())
}

fn cursor_decode(cursor: &str) -> Result<(String, Uuid), AppError> {
    let bad = || AppError::field("cursor", FieldProblem::Invalid);
    let (hex, id) = cursor.rsplit_once('.').ok_or_else(bad)?;
    if hex.len() % 2 != 0 || hex.len() > 2000 {
        return Err(bad());
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|_| bad())?;
    let value = String::from_utf8(bytes).map_err(|_| bad())?;
    Ok((value, Uuid::parse_str(id).map_err(|_| bad())?))
}

/// Which slice of the list to read.
enum Window {
    /// One page (plus one row, to know whether there is more).
    Page,
    /// Everything that matches (export).
    All,
}

fn build<'a>(
    spec: &Spec,
    c: &'a Checked,
    scope: &'a Scope,
    window: Window,
) -> QueryBuilder<'a, Postgres> {
    let companies = &scope.company_ids;
    let (sort_expr, sort_type) = c.sort;
    let mut b = QueryBuilder::new("SELECT ");
    b.push(spec.select)
        .push(", ")
        .push(sort_expr)
        .push("::text AS sort_key FROM ")
        .push(spec.from)
        .push(" WHERE ")
        .push(spec.company)
        .push(" = ANY(")
        .push_bind(companies)
        .push(")");
    if let Some(status) = &c.status {
        match spec.derived_statuses.iter().find(|(v, _)| v == status) {
            Some((_, condition)) => {
                b.push(format!(" AND ({condition})"));
            }
            None => {
                if let Some(col) = spec.status {
                    b.push(format!(" AND {col} = ")).push_bind(status);
                }
            }
        }
    }
    if !scope.party_ids.is_empty() {
        b.push(format!(" AND {} = ANY(", spec.own))
            .push_bind(&scope.party_ids)
            .push(")");
    }
    if let Some(pattern) = &c.pattern {
        // The matching ids come from `search_ids` (see its migration: under row-level security
        // a trigram index on the table itself can never serve an ILIKE).
        b.push(format!(
            " AND {} = ANY(ARRAY(SELECT search_ids('{}', ",
            spec.search_column, spec.search_kind
        ))
        .push_bind(pattern)
        .push(format!(", {})))", spec.search_party));
    }
    if let Some(from) = c.from {
        b.push(format!(" AND {} >= ", spec.date)).push_bind(from);
    }
    if let Some(to) = c.to {
        // Inclusive: timestamps on the last day count.
        b.push(format!(" AND {} < ", spec.date))
            .push_bind(to)
            .push("::date + 1");
    }
    if let Some(col) = spec.amount {
        if let Some(min) = c.min {
            b.push(format!(" AND {col} >= ")).push_bind(min);
        }
        if let Some(max) = c.max {
            b.push(format!(" AND {col} <= ")).push_bind(max);
        }
    }
    if let (Some(col), Some(client)) = (spec.party, c.client) {
        b.push(format!(" AND {col} = ")).push_bind(client);
    }
    if !c.ids.is_empty() {
        b.push(format!(" AND {} = ANY(", spec.id))
            .push_bind(&c.ids)
            .push(")");
    }
    // Keyset: rows strictly after (or before) the cursor in the chosen order.
    let backwards = c.before.is_some() && matches!(window, Window::Page);
    let cursor = if backwards { &c.before } else { &c.after };
    if let (Some((value, id)), Window::Page) = (cursor, &window) {
        let forward_greater = !c.desc;
        let greater = forward_greater != backwards;
        b.push(format!(
            " AND ({sort_expr}, {}) {} (",
            spec.id,
            if greater { ">" } else { "<" }
        ))
        .push_bind(value.as_str())
        .push(sort_type.cast())
        .push(", ")
        .push_bind(*id)
        .push(")");
    }
    let desc = c.desc != backwards;
    let dir = if desc { "DESC" } else { "ASC" };
    b.push(format!(" ORDER BY {sort_expr} {dir}, {} {dir}", spec.id));
    if let Window::Page = window {
        b.push(" LIMIT ").push_bind((PAGE_ROWS + 1) as i64);
    }
    b
}

/// A column of a row, `None` when null or of another type.
pub fn field<'r, T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>>(
    row: &'r PgRow,
    name: &str,
) -> Option<T> {
    row.try_get::<Option<T>, _>(name).ok().flatten()
}

/// A text column (empty when null).
pub fn text(row: &PgRow, name: &str) -> String {
    field::<String>(row, name).unwrap_or_default()
}

/// A date column as `YYYY-MM-DD`.
pub fn date(row: &PgRow, name: &str) -> String {
    field::<time::Date>(row, name)
        .map(iso_date)
        .unwrap_or_default()
}

/// A timestamp column's day, `YYYY-MM-DD`.
pub fn stamp(row: &PgRow, name: &str) -> String {
    field::<OffsetDateTime>(row, name)
        .and_then(|t| t.format(&Rfc3339).ok())
        .map(|s| s[..10].to_owned())
        .unwrap_or_default()
}

/// The row's `currency` column.
pub fn currency(row: &PgRow) -> Currency {
    field::<Currency>(row, "currency").unwrap_or(Currency::CHF)
}

/// An amount column with the row's currency (`CHF 1'234.50`).
pub fn amount(row: &PgRow, name: &str) -> String {
    money(currency(row), field(row, name).unwrap_or(0))
}

/// An amount column as a plain decimal, for CSV.
pub fn plain(row: &PgRow, name: &str) -> String {
    format_plain(field::<i64>(row, name).unwrap_or(0))
}

fn to_list_row(kind: ListKind, portal: Portal, row: &PgRow) -> ListRow {
    let id: Uuid = field(row, "id").unwrap_or_default();
    let (cells, parent) = (spec(kind).cells)(row);
    ListRow {
        id,
        href: format!(
            "{}/{}",
            portal.base_path(),
            (kind.def().row_path)(id, parent)
        ),
        cells,
    }
}

fn scope_for(caller: &Caller, spec: &Spec, q: &ListQuery) -> Result<Scope, AppError> {
    let company = q
        .company
        .as_deref()
        .map(|c| Uuid::parse_str(c).map_err(|_| AppError::field("company", FieldProblem::Invalid)))
        .transpose()?;
    caller.list_scope(spec.permission, company)
}

/// One page of a list for the caller.
pub async fn page(
    pool: &PgPool,
    caller: &Caller,
    kind: ListKind,
    q: &ListQuery,
) -> Result<ListPage, AppError> {
    let spec = spec(kind);
    let scope = scope_for(caller, spec, q)?;
    let checked = check(kind, spec, q, Vec::new())?;
    let mut tx = begin(pool, &scope).await?;
    let rows = build(spec, &checked, &scope, Window::Page)
        .build()
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    let backwards = checked.before.is_some();
    let more = rows.len() > PAGE_ROWS;
    let mut rows: Vec<&PgRow> = rows.iter().take(PAGE_ROWS).collect();
    if backwards {
        rows.reverse();
    }
    let key = |r: &PgRow| cursor_encode(&text(r, "sort_key"), field(r, "id").unwrap_or_default());
    let (first, last) = (rows.first().map(|r| key(r)), rows.last().map(|r| key(r)));
    let (next, prev) = if backwards {
        (last, if more { first } else { None })
    } else {
        (
            if more { last } else { None },
            if checked.after.is_some() { first } else { None },
        )
    };
    Ok(ListPage {
        rows: rows
            .into_iter()
            .map(|r| to_list_row(kind, caller.role.portal(), r))
            .collect(),
        next,
        prev,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_survive_any_text() {
        let id = Uuid::from_u128(42);
        for value in ["2026-01-01", "Müller & Söhne, \"AG\"", ""] {
            assert_eq!(
                cursor_decode(&cursor_encode(value, id)).unwrap(),
                (value.to_owned(), id)
            );
        }
        assert!(cursor_decode("zz.nope").is_err());
        assert!(cursor_decode("abc").is_err());
    }
}
