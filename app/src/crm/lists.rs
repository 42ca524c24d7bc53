//! The CRM lists: companies (parties), contacts and leads.

use uuid::Uuid;

use crate::domain::status::{LeadStatus, PartyKind};
use crate::i18n::Msg;
use crate::lists::{col, num, Column, ListDef};

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

/// Client, supplier, provider, partner and reseller companies.
pub static PARTIES: ListDef = ListDef {
    slug: "companies",
    path: "crm",
    columns: PARTY_COLUMNS,
    sorts: &[
        ("name", Msg::Name),
        ("town", Msg::Town),
        ("created", Msg::CreatedAt),
    ],
    default_desc: false,
    has_amounts: false,
    has_client: false,
    statuses: || {
        PartyKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect()
    },
    row_path: |id: Uuid, _| format!("crm/{id}"),
    status_label: |value| PartyKind::parse(value).map_or(Msg::Kind, |k| k.label()),
};

/// People at those companies (edited on their company's page).
pub static CONTACTS: ListDef = ListDef {
    slug: "contacts",
    path: "contacts",
    columns: CONTACT_COLUMNS,
    sorts: &[("name", Msg::Name), ("created", Msg::CreatedAt)],
    default_desc: false,
    has_amounts: false,
    has_client: true,
    statuses: Vec::new,
    row_path: |id: Uuid, party: Option<Uuid>| format!("crm/{}", party.unwrap_or(id)),
    status_label: |_| Msg::Status,
};

/// Leads.
pub static LEADS: ListDef = ListDef {
    slug: "leads",
    path: "leads",
    columns: LEAD_COLUMNS,
    sorts: &[
        ("updated", Msg::UpdatedAt),
        ("value", Msg::EstimatedValue),
        ("score", Msg::Score),
    ],
    default_desc: true,
    has_amounts: true,
    has_client: false,
    statuses: || {
        LeadStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect()
    },
    row_path: |id: Uuid, _| format!("leads/{id}"),
    status_label: |value| LeadStatus::parse(value).map_or(Msg::Status, |s| s.label()),
};

/// The server half: SQL and row mappers.
#[cfg(feature = "ssr")]
pub mod spec {
    use crate::auth::Permission;
    use crate::i18n::Msg;
    use crate::lists::ssr::{amount, field, plain, stamp, text, KeyType, Spec};
    use crate::lists::Cell;

    /// Parties.
    pub static PARTIES: Spec = Spec {
        permission: Permission::CompaniesRead,
        select: "p.id, c.code, p.name, p.kind, p.email, p.town, p.created_at",
        from: "parties p JOIN companies c ON c.id = p.company_id",
        id: "p.id",
        company: "p.company_id",
        status: Some("p.kind"),
        derived_statuses: &[],
        date: "p.created_at",
        amount: None,
        party: None,
        own: "p.id",
        search_kind: "party",
        search_column: "p.id",
        search_party: false,
        sorts: &[
            ("name", "p.name", KeyType::Text),
            ("town", "p.town", KeyType::Text),
            ("created", "p.created_at", KeyType::Timestamp),
        ],
        cells: |row| {
            (
                vec![
                    Cell::Link(text(row, "name")),
                    Cell::Text(text(row, "code")),
                    Cell::Status(vec![text(row, "kind")]),
                    Cell::Text(text(row, "email")),
                    Cell::Text(text(row, "town")),
                ],
                None,
            )
        },
        csv_extra: &[],
        csv: |row| {
            vec![
                text(row, "name"),
                text(row, "code"),
                text(row, "kind"),
                text(row, "email"),
                text(row, "town"),
            ]
        },
    };

    /// Contacts.
    pub static CONTACTS: Spec = Spec {
        permission: Permission::ContactsRead,
        select: "k.id, c.code, k.first_name, k.last_name, p.name AS party, k.party_id, k.email, k.phone, k.created_at",
        from: "contacts k JOIN companies c ON c.id = k.company_id \
               JOIN parties p ON p.company_id = k.company_id AND p.id = k.party_id",
        id: "k.id",
        company: "k.company_id",
        status: None,
        derived_statuses: &[],
        date: "k.created_at",
        amount: None,
        party: Some("k.party_id"),
        own: "k.party_id",
        search_kind: "contact",
        search_column: "k.id",
        search_party: false,
        sorts: &[
            ("name", "k.last_name", KeyType::Text),
            ("created", "k.created_at", KeyType::Timestamp),
        ],
        cells: |row| {
            (
                vec![
                    Cell::Link(format!(
                        "{} {}",
                        text(row, "first_name"),
                        text(row, "last_name")
                    )),
                    Cell::Text(text(row, "code")),
                    Cell::Text(text(row, "party")),
                    Cell::Text(text(row, "email")),
                    Cell::Text(text(row, "phone")),
                ],
                field(row, "party_id"),
            )
        },
        csv_extra: &[],
        csv: |row| {
            vec![
                format!("{} {}", text(row, "first_name"), text(row, "last_name")),
                text(row, "code"),
                text(row, "party"),
                text(row, "email"),
                text(row, "phone"),
            ]
        },
    };

    /// Leads.
    pub static LEADS: Spec = Spec {
        permission: Permission::LeadsRead,
        select:
            "l.id, c.code, l.title, l.organisation, l.status, l.score, l.estimated_value_minor, \
                 l.currency::text AS currency, l.updated_at",
        from: "leads l JOIN companies c ON c.id = l.company_id",
        id: "l.id",
        company: "l.company_id",
        status: Some("l.status"),
        derived_statuses: &[],
        date: "l.created_at",
        amount: Some("l.estimated_value_minor"),
        party: None,
        own: "l.reseller_party_id",
        search_kind: "lead",
        search_column: "l.id",
        search_party: false,
        sorts: &[
            ("updated", "l.updated_at", KeyType::Timestamp),
            ("value", "l.estimated_value_minor", KeyType::BigInt),
            ("score", "l.score", KeyType::Int),
        ],
        cells: |row| {
            (
                vec![
                    Cell::Link(text(row, "title")),
                    Cell::Text(text(row, "code")),
                    Cell::Text(text(row, "organisation")),
                    Cell::Status(vec![text(row, "status")]),
                    Cell::Number(field::<i32>(row, "score").unwrap_or(0).to_string()),
                    Cell::Number(amount(row, "estimated_value_minor")),
                    Cell::Text(stamp(row, "updated_at")),
                ],
                None,
            )
        },
        csv_extra: &[Msg::Currency],
        csv: |row| {
            vec![
                text(row, "title"),
                text(row, "code"),
                text(row, "organisation"),
                text(row, "status"),
                field::<i32>(row, "score").unwrap_or(0).to_string(),
                plain(row, "estimated_value_minor"),
                stamp(row, "updated_at"),
                text(row, "currency"),
            ]
        },
    };
}
