//! The CEO portal's big lists (invoices, quotes, companies, contacts, leads): filters kept in the
//! URL, sorting, trigram search, keyset pagination, bulk selection and streamed CSV export.
//!
//! One engine serves the five lists; each [`ListKind`] declares its columns, sort orders and
//! filters, and the server builds the SQL from those whitelists only.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::billing::{InvoiceStatus, QuoteStatus};
use crate::i18n::Msg;

#[cfg(feature = "ssr")]
pub mod ssr;

/// Rows per page.
pub const PAGE_ROWS: usize = 50;

/// Which list.
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
}

/// How a cell is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cell {
    /// Plain text.
    Text(String),
    /// A link to the row's page.
    Link(String),
    /// A stored status or kind, translated by the UI.
    Status(String),
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

const fn col(label: Msg) -> Column {
    Column {
        label,
        numeric: false,
    }
}

const fn num(label: Msg) -> Column {
    Column {
        label,
        numeric: true,
    }
}

const INVOICE_COLUMNS: &[Column] = &[
    col(Msg::Number),
    col(Msg::Company),
    col(Msg::Client),
    col(Msg::Status),
    col(Msg::IssueDate),
    col(Msg::DueDate),
    num(Msg::Total),
    num(Msg::Balance),
];
const QUOTE_COLUMNS: &[Column] = &[
    col(Msg::Number),
    col(Msg::Company),
    col(Msg::Client),
    col(Msg::Status),
    col(Msg::IssueDate),
    col(Msg::ValidUntil),
    num(Msg::Total),
];
const PARTY_COLUMNS: &[Column] = &[
    col(Msg::Name),
    col(Msg::Company),
    col(Msg::Kind),
    col(Msg::Email),
    col(Msg::Town),
];
const CONTACT_COLUMNS: &[Column] = &[
    col(Msg::Name),
    col(Msg::Company),
    col(Msg::Organisation),
    col(Msg::Email),
    col(Msg::Phone),
];
const LEAD_COLUMNS: &[Column] = &[
    col(Msg::Title),
    col(Msg::Company),
    col(Msg::Organisation),
    col(Msg::Status),
    num(Msg::Score),
    num(Msg::EstimatedValue),
    col(Msg::UpdatedAt),
];

impl ListKind {
    /// Every list.
    pub const ALL: [ListKind; 5] = [
        ListKind::Invoices,
        ListKind::Quotes,
        ListKind::Parties,
        ListKind::Contacts,
        ListKind::Leads,
    ];

    /// URL name (`/exports/{slug}.csv`).
    pub const fn slug(self) -> &'static str {
        match self {
            ListKind::Invoices => "invoices",
            ListKind::Quotes => "quotes",
            ListKind::Parties => "companies",
            ListKind::Contacts => "contacts",
            ListKind::Leads => "leads",
        }
    }

    /// Parses a URL name.
    pub fn parse(slug: &str) -> Option<ListKind> {
        ListKind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// The page of one row.
    pub fn row_href(self, id: Uuid, parent: Option<Uuid>) -> String {
        match self {
            ListKind::Invoices => format!("/ceo/invoices/{id}"),
            ListKind::Quotes => format!("/ceo/quotes/{id}"),
            ListKind::Parties => format!("/ceo/crm/{id}"),
            // A contact is edited on its company's page.
            ListKind::Contacts => format!("/ceo/crm/{}", parent.unwrap_or(id)),
            ListKind::Leads => format!("/ceo/leads/{id}"),
        }
    }

    /// The list page.
    pub const fn page_path(self) -> &'static str {
        match self {
            ListKind::Invoices => "/ceo/invoices",
            ListKind::Quotes => "/ceo/quotes",
            ListKind::Parties => "/ceo/crm",
            ListKind::Contacts => "/ceo/contacts",
            ListKind::Leads => "/ceo/leads",
        }
    }

    /// Columns, in order.
    pub const fn columns(self) -> &'static [Column] {
        match self {
            ListKind::Invoices => INVOICE_COLUMNS,
            ListKind::Quotes => QUOTE_COLUMNS,
            ListKind::Parties => PARTY_COLUMNS,
            ListKind::Contacts => CONTACT_COLUMNS,
            ListKind::Leads => LEAD_COLUMNS,
        }
    }

    /// Sort orders offered: key and label; the first is the default.
    pub const fn sorts(self) -> &'static [(&'static str, Msg)] {
        match self {
            ListKind::Invoices => &[
                ("issue_date", Msg::IssueDate),
                ("due_date", Msg::DueDate),
                ("total", Msg::Total),
                ("number", Msg::Number),
            ],
            ListKind::Quotes => &[
                ("issue_date", Msg::IssueDate),
                ("valid_until", Msg::ValidUntil),
                ("total", Msg::Total),
                ("number", Msg::Number),
            ],
            ListKind::Parties => &[
                ("name", Msg::Name),
                ("town", Msg::Town),
                ("created", Msg::CreatedAt),
            ],
            ListKind::Contacts => &[("name", Msg::Name), ("created", Msg::CreatedAt)],
            ListKind::Leads => &[
                ("updated", Msg::UpdatedAt),
                ("value", Msg::EstimatedValue),
                ("score", Msg::Score),
            ],
        }
    }

    /// Whether the default order is descending (newest first).
    pub const fn default_desc(self) -> bool {
        matches!(
            self,
            ListKind::Invoices | ListKind::Quotes | ListKind::Leads
        )
    }

    /// The values the status filter offers (party kinds for companies; none for contacts).
    pub fn statuses(self) -> Vec<(&'static str, Msg)> {
        match self {
            ListKind::Invoices => InvoiceStatus::ALL
                .iter()
                .map(|s| (s.as_str(), s.label()))
                .collect(),
            ListKind::Quotes => QuoteStatus::ALL
                .iter()
                .map(|s| (s.as_str(), s.label()))
                .collect(),
            ListKind::Parties => crate::api::crm::PARTY_KINDS
                .iter()
                .map(|k| (*k, choice_msg(k)))
                .collect(),
            ListKind::Contacts => Vec::new(),
            ListKind::Leads => crate::api::crm::LEAD_STATUSES
                .iter()
                .map(|k| (*k, choice_msg(k)))
                .collect(),
        }
    }

    /// Whether the list filters by an amount range.
    pub const fn has_amounts(self) -> bool {
        matches!(
            self,
            ListKind::Invoices | ListKind::Quotes | ListKind::Leads
        )
    }

    /// Whether the list filters by client.
    pub const fn has_client(self) -> bool {
        matches!(
            self,
            ListKind::Invoices | ListKind::Quotes | ListKind::Contacts
        )
    }

    /// The label of a stored status shown in a [`Cell::Status`].
    pub fn status_label(self, value: &str) -> Msg {
        match self {
            ListKind::Invoices => InvoiceStatus::parse(value)
                .map(|s| s.label())
                .unwrap_or(Msg::Status),
            ListKind::Quotes => QuoteStatus::parse(value)
                .map(|s| s.label())
                .unwrap_or(Msg::Status),
            _ => choice_msg(value),
        }
    }
}

fn choice_msg(value: &str) -> Msg {
    crate::routes::ceo::crm::choice_label(value)
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
    /// Where the row links to.
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
    fn every_list_has_a_default_sort_and_columns() {
        for kind in ListKind::ALL {
            assert!(!kind.sorts().is_empty(), "{kind:?}");
            assert!(!kind.columns().is_empty(), "{kind:?}");
            assert_eq!(ListKind::parse(kind.slug()), Some(kind));
        }
    }
}
