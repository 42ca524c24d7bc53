//! The payables list: supplier bills (the CEO portal's, and a provider's own in theirs).

use uuid::Uuid;

use crate::domain::status::BillStatus;
use crate::i18n::Msg;
use crate::lists::{col, num, Column, ListDef};

const BILL_COLUMNS: &[Column] = &[
    col(Msg::DueDate),
    col(Msg::Company),
    col(Msg::Supplier),
    col(Msg::Number),
    col(Msg::Status),
    num(Msg::Amount),
];

/// Supplier bills.
pub static BILLS: ListDef = ListDef {
    slug: "bills",
    path: "bills",
    columns: BILL_COLUMNS,
    sorts: &[
        ("due_date", Msg::DueDate),
        ("created", Msg::CreatedAt),
        ("total", Msg::Amount),
    ],
    default_desc: true,
    has_amounts: true,
    has_client: false,
    statuses: || {
        BillStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect()
    },
    row_path: |id: Uuid, _| format!("bills/{id}"),
    status_label: |value| BillStatus::parse(value).map_or(Msg::Status, |s| s.label()),
};

/// The server half: SQL and row mapper.
#[cfg(feature = "ssr")]
pub mod spec {
    use crate::auth::Permission;
    use crate::i18n::Msg;
    use crate::lists::ssr::{amount, date, field, text, KeyType, Spec};
    use crate::lists::Cell;

    /// Supplier bills.
    pub static BILLS: Spec = Spec {
        permission: Permission::SupplierInvoicesRead,
        select: "b.id, coalesce(b.due_date, b.created_at::date) AS due_date, c.code, coalesce(p.name, '') AS supplier, coalesce(b.number, b.file_name) AS number, \
                 b.party_id, b.status, coalesce(b.total_minor, 0) AS total_minor, b.currency::text AS currency, b.created_at",
        from: "supplier_bills b JOIN companies c ON c.id = b.company_id \
               LEFT JOIN parties p ON p.company_id = b.company_id AND p.id = b.party_id",
        id: "b.id",
        company: "b.company_id",
        status: Some("b.status"),
        derived_statuses: &[],
        date: "coalesce(b.due_date, b.created_at::date)",
        amount: Some("b.total_minor"),
        party: None,
        own: "b.party_id",
        search_kind: "bill",
        search_column: "b.id",
        search_party: true,
        sorts: &[
            ("due_date", "coalesce(b.due_date, b.created_at::date)", KeyType::Date),
            ("created", "b.created_at", KeyType::Timestamp),
            ("total", "b.total_minor", KeyType::BigInt),
        ],
        cells: |row| {
            (
                vec![
                    Cell::Link(date(row, "due_date")),
                    Cell::Text(text(row, "code")),
                    Cell::Text(text(row, "supplier")),
                    Cell::Text(text(row, "number")),
                    Cell::Status(vec![text(row, "status")]),
                    Cell::Number(amount(row, "total_minor")),
                ],
                field(row, "party_id"),
            )
        },
        csv_extra: &[Msg::Currency],
        csv: |row| {
            vec![
                date(row, "due_date"),
                text(row, "code"),
                text(row, "supplier"),
                text(row, "number"),
                text(row, "status"),
                crate::lists::ssr::plain(row, "total_minor"),
                text(row, "currency"),
            ]
        },
    };
}
