//! The banking list: bank movements, with what reconciliation made of them.

use uuid::Uuid;

use crate::domain::status::MatchStatus;
use crate::i18n::Msg;
use crate::lists::{col, num, Column, ListDef};

const TRANSACTION_COLUMNS: &[Column] = &[
    col(Msg::Date),
    col(Msg::Company),
    col(Msg::BankAccount),
    col(Msg::Counterparty),
    col(Msg::Reference),
    col(Msg::Status),
    num(Msg::Amount),
];

/// Bank movements (the reconciliation screen).
pub static TRANSACTIONS: ListDef = ListDef {
    slug: "bank-transactions",
    path: "banking/transactions",
    columns: TRANSACTION_COLUMNS,
    sorts: &[("booked_on", Msg::Date), ("amount", Msg::Amount)],
    default_desc: true,
    has_amounts: true,
    has_client: false,
    statuses: || {
        MatchStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect()
    },
    row_path: |id: Uuid, _| format!("banking/transactions/{id}"),
    status_label: |value| MatchStatus::parse(value).map_or(Msg::Status, |s| s.label()),
};

/// The server half: SQL and row mapper.
#[cfg(feature = "ssr")]
pub mod spec {
    use crate::auth::Permission;
    use crate::i18n::Msg;
    use crate::lists::ssr::{amount, date, text, KeyType, Spec};
    use crate::lists::Cell;

    /// Bank movements.
    pub static TRANSACTIONS: Spec = Spec {
        permission: Permission::BankRead,
        select: "t.id, t.booked_on, c.code, b.name AS account, t.counterparty_name, \
                 CASE WHEN t.reference <> '' THEN t.reference ELSE left(t.details, 60) END AS reference, \
                 t.match_status, t.amount_minor, t.currency::text AS currency",
        from: "bank_transactions t JOIN companies c ON c.id = t.company_id \
               JOIN bank_accounts b ON b.company_id = t.company_id AND b.id = t.account_id",
        id: "t.id",
        company: "t.company_id",
        status: Some("t.match_status"),
        derived_statuses: &[],
        date: "t.booked_on",
        amount: Some("t.amount_minor"),
        party: None,
        own: "NULL::uuid",
        search_kind: "bank",
        search_column: "t.id",
        search_party: false,
        sorts: &[
            ("booked_on", "t.booked_on", KeyType::Date),
            ("amount", "t.amount_minor", KeyType::BigInt),
        ],
        cells: |row| {
            (
                vec![
                    Cell::Link(date(row, "booked_on")),
                    Cell::Text(text(row, "code")),
                    Cell::Text(text(row, "account")),
                    Cell::Text(text(row, "counterparty_name")),
                    Cell::Text(text(row, "reference")),
                    Cell::Status(vec![text(row, "match_status")]),
                    Cell::Number(amount(row, "amount_minor")),
                ],
                None,
            )
        },
        csv_extra: &[Msg::Currency],
        csv: |row| {
            vec![
                date(row, "booked_on"),
                text(row, "code"),
                text(row, "account"),
                text(row, "counterparty_name"),
                text(row, "reference"),
                text(row, "match_status"),
                crate::lists::ssr::plain(row, "amount_minor"),
                text(row, "currency"),
            ]
        },
    };
}
