//! The billing lists: invoices and quotes, in every portal that shows them.

use uuid::Uuid;

use crate::domain::status::{InvoiceStatus, QuoteStatus, SubscriptionStatus};
use crate::i18n::Msg;
use crate::lists::{col, num, Column, ListDef};

/// The status filter value for open invoices past their due date (not a stored status).
pub const OVERDUE: &str = "overdue";

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

fn invoice_statuses() -> Vec<(&'static str, Msg)> {
    InvoiceStatus::ALL
        .iter()
        .map(|s| (s.as_str(), s.label()))
        .chain([(OVERDUE, Msg::StatusOverdue)])
        .collect()
}

fn invoice_status_label(value: &str) -> Msg {
    match InvoiceStatus::parse(value) {
        Some(s) => s.label(),
        None if value == OVERDUE => Msg::StatusOverdue,
        None => Msg::Status,
    }
}

/// Client invoices.
pub static INVOICES: ListDef = ListDef {
    slug: "invoices",
    path: "invoices",
    columns: INVOICE_COLUMNS,
    sorts: &[
        ("issue_date", Msg::IssueDate),
        ("due_date", Msg::DueDate),
        ("total", Msg::Total),
        ("number", Msg::Number),
    ],
    default_desc: true,
    has_amounts: true,
    has_client: true,
    statuses: invoice_statuses,
    row_path: |id: Uuid, _| format!("invoices/{id}"),
    status_label: invoice_status_label,
};

/// Quotes.
pub static QUOTES: ListDef = ListDef {
    slug: "quotes",
    path: "quotes",
    columns: QUOTE_COLUMNS,
    sorts: &[
        ("issue_date", Msg::IssueDate),
        ("valid_until", Msg::ValidUntil),
        ("total", Msg::Total),
        ("number", Msg::Number),
    ],
    default_desc: true,
    has_amounts: true,
    has_client: true,
    statuses: || {
        QuoteStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect()
    },
    row_path: |id: Uuid, _| format!("quotes/{id}"),
    status_label: |value| QuoteStatus::parse(value).map_or(Msg::Status, |s| s.label()),
};

const SUBSCRIPTION_COLUMNS: &[Column] = &[
    col(Msg::Name),
    col(Msg::Company),
    col(Msg::Client),
    col(Msg::Status),
    col(Msg::Interval),
    col(Msg::NextInvoice),
    num(Msg::Amount),
];

/// Subscriptions (recurring billing).
pub static SUBSCRIPTIONS: ListDef = ListDef {
    slug: "subscriptions",
    path: "subscriptions",
    columns: SUBSCRIPTION_COLUMNS,
    sorts: &[
        ("next", Msg::NextInvoice),
        ("name", Msg::Name),
        ("amount", Msg::Amount),
    ],
    default_desc: false,
    has_amounts: true,
    has_client: true,
    statuses: || {
        SubscriptionStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect()
    },
    row_path: |id: Uuid, _| format!("subscriptions/{id}"),
    status_label: |value| SubscriptionStatus::parse(value).map_or(Msg::Status, |s| s.label()),
};

/// The server half: SQL and row mappers.
#[cfg(feature = "ssr")]
pub mod spec {
    use sqlx::postgres::PgRow;

    use super::OVERDUE;
    use crate::auth::Permission;
    use crate::i18n::Msg;
    use crate::lists::ssr::{amount, date, field, plain, text, KeyType, Spec};
    use crate::lists::Cell;

    /// The condition of an open invoice past its due date.
    const OVERDUE_SQL: &str =
        "i.status IN ('sent', 'viewed', 'partial') AND i.due_date < (SELECT app_today())";

    fn invoice_cells(row: &PgRow) -> (Vec<Cell>, Option<uuid::Uuid>) {
        let status = text(row, "status");
        let mut badges = vec![status];
        if field::<bool>(row, "overdue").unwrap_or(false) {
            badges.push(OVERDUE.to_owned());
        }
        // A draft has no number yet.
        let number = field::<String>(row, "number").unwrap_or_else(|| "—".to_owned());
        (
            vec![
                Cell::Link(number),
                Cell::Text(text(row, "code")),
                Cell::Text(text(row, "party")),
                Cell::Status(badges),
                Cell::Text(date(row, "issue_date")),
                Cell::Text(date(row, "due_date")),
                Cell::Number(amount(row, "total_minor")),
                Cell::Number(amount(row, "balance")),
            ],
            field(row, "party_id"),
        )
    }

    /// Invoices.
    pub static INVOICES: Spec = Spec {
        permission: Permission::InvoicesRead,
        select: "i.id, c.code, i.number, p.name AS party, i.party_id, i.status, i.currency::text AS currency, \
                 i.total_minor, (i.total_minor - i.paid_minor - i.credited_minor) AS balance, i.issue_date, i.due_date, \
                 (i.status IN ('sent', 'viewed', 'partial') AND i.due_date < (SELECT app_today())) AS overdue",
        from: "invoices i JOIN companies c ON c.id = i.company_id \
               JOIN parties p ON p.company_id = i.company_id AND p.id = i.party_id",
        id: "i.id",
        company: "i.company_id",
        status: Some("i.status"),
        derived_statuses: &[(OVERDUE, OVERDUE_SQL)],
        date: "i.issue_date",
        amount: Some("i.total_minor"),
        party: Some("i.party_id"),
        own: "i.party_id",
        search_kind: "invoice",
        search_column: "i.id",
        search_party: true,
        sorts: &[
            ("issue_date", "i.issue_date", KeyType::Date),
            ("due_date", "i.due_date", KeyType::Date),
            ("total", "i.total_minor", KeyType::BigInt),
            ("number", "i.number", KeyType::Text),
        ],
        cells: invoice_cells,
        csv_extra: &[Msg::Currency],
        csv: |row| {
            vec![
                text(row, "number"),
                text(row, "code"),
                text(row, "party"),
                text(row, "status"),
                date(row, "issue_date"),
                date(row, "due_date"),
                plain(row, "total_minor"),
                plain(row, "balance"),
                text(row, "currency"),
            ]
        },
    };

    /// Subscriptions.
    pub static SUBSCRIPTIONS: Spec = Spec {
        permission: Permission::InvoicesRead,
        select: "s.id, c.code, s.name, p.name AS party, s.party_id, s.status, s.billing_interval, \
                 s.currency::text AS currency, s.amount_minor, s.next_invoice_on",
        from: "subscriptions s JOIN companies c ON c.id = s.company_id \
               JOIN parties p ON p.company_id = s.company_id AND p.id = s.party_id",
        id: "s.id",
        company: "s.company_id",
        status: Some("s.status"),
        derived_statuses: &[],
        date: "s.next_invoice_on",
        amount: Some("s.amount_minor"),
        party: Some("s.party_id"),
        own: "s.party_id",
        search_kind: "party",
        search_column: "s.party_id",
        search_party: false,
        sorts: &[
            ("next", "s.next_invoice_on", KeyType::Date),
            ("name", "s.name", KeyType::Text),
            ("amount", "s.amount_minor", KeyType::BigInt),
        ],
        cells: |row| {
            (
                vec![
                    Cell::Link(text(row, "name")),
                    Cell::Text(text(row, "code")),
                    Cell::Text(text(row, "party")),
                    Cell::Status(vec![text(row, "status")]),
                    Cell::Status(vec![text(row, "billing_interval")]),
                    Cell::Text(date(row, "next_invoice_on")),
                    Cell::Number(amount(row, "amount_minor")),
                ],
                field(row, "party_id"),
            )
        },
        csv_extra: &[Msg::Currency],
        csv: |row| {
            vec![
                text(row, "name"),
                text(row, "code"),
                text(row, "party"),
                text(row, "status"),
                text(row, "billing_interval"),
                date(row, "next_invoice_on"),
                plain(row, "amount_minor"),
                text(row, "currency"),
            ]
        },
    };

    /// Quotes.
    pub static QUOTES: Spec = Spec {
        permission: Permission::QuotesRead,
        select: "q.id, c.code, q.number, p.name AS party, q.party_id, q.status, q.currency::text AS currency, \
                 q.total_minor, q.issue_date, q.valid_until",
        from: "quotes q JOIN companies c ON c.id = q.company_id \
               JOIN parties p ON p.company_id = q.company_id AND p.id = q.party_id",
        id: "q.id",
        company: "q.company_id",
        status: Some("q.status"),
        derived_statuses: &[],
        date: "q.issue_date",
        amount: Some("q.total_minor"),
        party: Some("q.party_id"),
        own: "q.party_id",
        search_kind: "quote",
        search_column: "q.id",
        search_party: true,
        sorts: &[
            ("issue_date", "q.issue_date", KeyType::Date),
            ("valid_until", "q.valid_until", KeyType::Date),
            ("total", "q.total_minor", KeyType::BigInt),
            ("number", "q.number", KeyType::Text),
        ],
        cells: |row| {
            (
                vec![
                    Cell::Link(text(row, "number")),
                    Cell::Text(text(row, "code")),
                    Cell::Text(text(row, "party")),
                    Cell::Status(vec![text(row, "status")]),
                    Cell::Text(date(row, "issue_date")),
                    Cell::Text(date(row, "valid_until")),
                    Cell::Number(amount(row, "total_minor")),
                ],
                field(row, "party_id"),
            )
        },
        csv_extra: &[Msg::Currency],
        csv: |row| {
            vec![
                text(row, "number"),
                text(row, "code"),
                text(row, "party"),
                text(row, "status"),
                date(row, "issue_date"),
                date(row, "valid_until"),
                plain(row, "total_minor"),
                text(row, "currency"),
            ]
        },
    };
}
