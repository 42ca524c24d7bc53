//! The one list engine: filters kept in the URL, sorting, trigram search, keyset pagination,
//! bulk selection and streamed CSV export, in every portal.
//!
//! Each domain declares its lists in its own `lists.rs` (a [`ListDef`] for the browser, the SQL
//! and row mapper on the server); [`ListKind`] registers them here, in one place. The server
//! builds the SQL from those whitelists only.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::i18n::Msg;
use crate::portal::Portal;

#[cfg(feature = "ssr")]
pub mod ssr;

/// Rows per page.
pub const PAGE_ROWS: usize = 50;

/// Which list: the registry of every domain's lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ListKind {
    /// Client invoices.
    Invoices,
    /// Quotes.
    Quotes,
    /// Client, supplier, partner companies (CRM parties).
    Parties,
    /// People at those companies.
    Contacts,
    /// Leads.
    Leads,
    /// Subscriptions.
    Subscriptions,
    /// Bank movements.
    BankTransactions,
    /// Supplier bills.
    Bills,
}

impl ListKind {
    /// Every list.
    pub const ALL: [ListKind; 8] = [
        ListKind::Invoices,
        ListKind::Quotes,
        ListKind::Parties,
        ListKind::Contacts,
        ListKind::Leads,
        ListKind::Subscriptions,
        ListKind::BankTransactions,
        ListKind::Bills,
    ];

    /// The list's declaration.
    pub fn def(self) -> &'static ListDef {
        match self {
            ListKind::Invoices => &crate::billing::lists::INVOICES,
            ListKind::Quotes => &crate::billing::lists::QUOTES,
            ListKind::Parties => &crate::crm::lists::PARTIES,
            ListKind::Contacts => &crate::crm::lists::CONTACTS,
            ListKind::Leads => &crate::crm::lists::LEADS,
            ListKind::Subscriptions => &crate::billing::lists::SUBSCRIPTIONS,
            ListKind::BankTransactions => &crate::banking::lists::TRANSACTIONS,
            ListKind::Bills => &crate::payables::lists::BILLS,
        }
    }

    /// URL name (`/exports/{slug}.csv`).
    pub fn slug(self) -> &'static str {
        self.def().slug
    }

    /// Parses a URL name.
    pub fn parse(slug: &str) -> Option<ListKind> {
        ListKind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// The list page in `portal`.
    pub fn page_path(self, portal: Portal) -> String {
        format!("{}/{}", portal.base_path(), self.def().path)
    }
}

/// What a list shows and offers: its columns, sort orders and filters, and where its rows link.
#[derive(Debug)]
pub struct ListDef {
    /// URL name of the export.
    pub slug: &'static str,
    /// The list page, relative to the portal (`invoices` → `/ceo/invoices`).
    pub path: &'static str,
    /// Columns, in order.
    pub columns: &'static [Column],
    /// Sort orders offered: key and label; the first is the default.
    pub sorts: &'static [(&'static str, Msg)],
    /// Whether the default order is descending (newest first).
    pub default_desc: bool,
    /// Whether the list filters by an amount range.
    pub has_amounts: bool,
    /// Whether the list filters by client.
    pub has_client: bool,
    /// The values the status filter offers, with their labels.
    pub statuses: fn() -> Vec<(&'static str, Msg)>,
    /// The page of one row, relative to the portal (`parent`: the row's party, if any).
    pub row_path: fn(Uuid, Option<Uuid>) -> String,
    /// The label of a status value shown in a [`Cell::Status`].
    pub status_label: fn(&str) -> Msg,
}

/// How a cell is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cell {
    /// Plain text.
    Text(String),
    /// A link to the row's page.
    Link(String),
    /// Stored statuses or kinds (one badge each), translated by the UI.
    Status(Vec<String>),
    /// A right-aligned figure (already formatted).
    Number(String),
}

/// A column of a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// Header.
    pub label: Msg,
    /// Right-aligned.
    pub numeric: bool,
}

/// A text column.
pub const fn col(label: Msg) -> Column {
    Column {
        label,
        numeric: false,
    }
}

/// A figure column.
pub const fn num(label: Msg) -> Column {
    Column {
        label,
        numeric: true,
    }
}

/// The filters, sort and position of a list, as in its URL. Every field is optional; the server
/// checks each against the list's whitelists and reports a bad one by field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    /// Owner company.
    pub company: Option<String>,
    /// Status (party kind for companies).
    pub status: Option<String>,
    /// Free text.
    pub q: Option<String>,
    /// From date (`YYYY-MM-DD`), inclusive.
    pub from: Option<String>,
    /// To date, inclusive.
    pub to: Option<String>,
    /// Minimum amount (`1234.50`).
    pub min: Option<String>,
    /// Maximum amount.
    pub max: Option<String>,
    /// Client (party id).
    pub client: Option<String>,
    /// Sort key.
    pub sort: Option<String>,
    /// `asc` or `desc`.
    pub dir: Option<String>,
    /// Rows after this cursor.
    pub after: Option<String>,
    /// Rows before this cursor.
    pub before: Option<String>,
}

impl ListQuery {
    /// The parameter names, in URL order.
    pub const KEYS: [&'static str; 12] = [
        "company", "status", "q", "from", "to", "min", "max", "client", "sort", "dir", "after",
        "before",
    ];

    fn slot(&mut self, key: &str) -> Option<&mut Option<String>> {
        Some(match key {
            "company" => &mut self.company,
            "status" => &mut self.status,
            "q" => &mut self.q,
            "from" => &mut self.from,
            "to" => &mut self.to,
            "min" => &mut self.min,
            "max" => &mut self.max,
            "client" => &mut self.client,
            "sort" => &mut self.sort,
            "dir" => &mut self.dir,
            "after" => &mut self.after,
            "before" => &mut self.before,
            _ => return None,
        })
    }

    /// Reads the query from URL parameters (empty values mean "not set").
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ListQuery {
        let mut q = ListQuery::default();
        for (k, v) in pairs {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            if let Some(slot) = q.slot(k) {
                *slot = Some(v.to_owned());
            }
        }
        q
    }

    /// The set parameters, in URL order.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut copy = self.clone();
        ListQuery::KEYS
            .iter()
            .filter_map(|k| copy.slot(k).and_then(|v| v.take()).map(|v| (*k, v)))
            .collect()
    }

    /// The URL query string (`a=1&b=2`), percent-encoded.
    pub fn to_query_string(&self) -> String {
        self.pairs()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The same filters and sort, at the first page.
    pub fn first_page(&self) -> ListQuery {
        ListQuery {
            after: None,
            before: None,
            ..self.clone()
        }
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One row of a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListRow {
    /// The row's id (bulk selection uses it).
    pub id: Uuid,
    /// Where the row links to (in the caller's portal).
    pub href: String,
    /// Cells, in column order.
    pub cells: Vec<Cell>,
}

/// One page of a list, with the cursors of its neighbours.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListPage {
    /// Rows.
    pub rows: Vec<ListRow>,
    /// Cursor of the next page.
    pub next: Option<String>,
    /// Cursor of the previous page.
    pub prev: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_round_trips_through_the_url() {
        let q = ListQuery::from_pairs([
            ("status", "sent"),
            ("q", "Müller & Co"),
            ("page", "3"),
            ("min", ""),
        ]);
        assert_eq!(q.status.as_deref(), Some("sent"));
        assert_eq!(q.min, None);
        assert_eq!(q.to_query_string(), "status=sent&q=M%C3%BCller%20%26%20Co");
    }

    #[test]
    fn every_list_is_declared_once_with_a_default_sort_and_columns() {
        let mut slugs = std::collections::HashSet::new();
        for kind in ListKind::ALL {
            let def = kind.def();
            assert!(!def.sorts.is_empty(), "{kind:?}");
            assert!(!def.columns.is_empty(), "{kind:?}");
            assert!(slugs.insert(def.slug), "{} twice", def.slug);
            assert_eq!(ListKind::parse(kind.slug()), Some(kind));
        }
        assert_eq!(
            ListKind::Invoices.page_path(Portal::Client),
            "/client/invoices"
        );
    }
}
