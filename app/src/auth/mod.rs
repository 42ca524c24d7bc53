//! Identity and access: roles, permissions and what the browser may know about its user.
//!
//! [`Permission`] is the single source of truth for what can be granted. The server-side half
//! (sessions, tokens, 2FA, SSO, the request context that row-level security reads) lives in
//! [`ssr`], compiled only into the server.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::portal::Portal;

#[cfg(feature = "ssr")]
pub mod ssr;

/// What kind of user someone is; decides their portal and default permissions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Superadmin: every company, every permission.
    Ceo,
    /// Company staff (e.g. an accountant): their companies, their granted permissions.
    Staff,
    /// A client company's contact.
    Client,
    /// An external provider.
    Provider,
    /// A reseller.
    Reseller,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::Ceo,
        Role::Staff,
        Role::Client,
        Role::Provider,
        Role::Reseller,
    ];

    /// The name stored in the database and set in the row-level-security context.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Ceo => "ceo",
            Role::Staff => "staff",
            Role::Client => "client",
            Role::Provider => "provider",
            Role::Reseller => "reseller",
        }
    }

    /// Parses a stored role name.
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// The portal this role works in.
    pub const fn portal(self) -> Portal {
        match self {
            Role::Ceo | Role::Staff => Portal::Ceo,
            Role::Client => Portal::Client,
            Role::Provider => Portal::Provider,
            Role::Reseller => Portal::Reseller,
        }
    }

    /// Whether the role acts for a party (client company, provider, reseller) rather than a company.
    pub const fn is_portal_party(self) -> bool {
        matches!(self, Role::Client | Role::Provider | Role::Reseller)
    }

    /// Whether a second factor is mandatory for this role.
    pub const fn requires_two_factor(self) -> bool {
        matches!(self, Role::Ceo)
    }

    /// The permissions a role holds in each of its companies. Staff get theirs per company
    /// (stored on the membership), limited to [`Role::Staff`]'s grantable set.
    pub fn default_permissions(self) -> PermissionSet {
        use Permission::*;
        match self {
            Role::Ceo => PermissionSet::all(),
            // Everything but administering people and the platform itself.
            Role::Staff => PermissionSet::all()
                .without(UsersWrite)
                .without(SettingsWrite)
                .without(IntegrationsWrite),
            Role::Client => PermissionSet::of(&[
                CompaniesRead,
                QuotesRead,
                QuotesSign,
                InvoicesRead,
                PaymentsRead,
                ProjectsRead,
                DocumentsRead,
                TicketsRead,
                TicketsWrite,
                MessagesRead,
                MessagesWrite,
            ]),
            Role::Provider => PermissionSet::of(&[
                CompaniesRead,
                ProposalsRead,
                ProposalsWrite,
                OrdersRead,
                OrdersConfirm,
                ProjectsRead,
                TimeRead,
                TimeWrite,
                SupplierInvoicesRead,
                SupplierInvoicesWrite,
                MessagesRead,
                MessagesWrite,
                KnowledgeRead,
            ]),
            Role::Reseller => PermissionSet::of(&[
                CompaniesRead,
                ContactsRead,
                LeadsRead,
                LeadsWrite,
                QuotesRead,
                QuotesWrite,
                CommissionsRead,
                MessagesRead,
                MessagesWrite,
            ]),
        }
    }
}

macro_rules! permissions {
    ($($variant:ident = $name:literal,)*) => {
        /// A grantable right, named `resource.action`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[repr(u8)]
        pub enum Permission { $(#[doc = $name] $variant,)* }

        impl Permission {
            /// Every permission, in declaration order.
            pub const ALL: &'static [Permission] = &[$(Permission::$variant,)*];

            /// The `resource.action` name.
            pub const fn as_str(self) -> &'static str {
                match self { $(Permission::$variant => $name,)* }
            }

            /// Parses a `resource.action` name.
            pub fn parse(name: &str) -> Option<Permission> {
                match name { $($name => Some(Permission::$variant),)* _ => None }
            }
        }
    };
}

permissions! {
    CompaniesRead = "companies.read",
    CompaniesWrite = "companies.write",
    ContactsRead = "contacts.read",
    ContactsWrite = "contacts.write",
    LeadsRead = "leads.read",
    LeadsWrite = "leads.write",
    ProductsRead = "products.read",
    ProductsWrite = "products.write",
    QuotesRead = "quotes.read",
    QuotesWrite = "quotes.write",
    QuotesSend = "quotes.send",
    QuotesSign = "quotes.sign",
    TermsRead = "terms.read",
    TermsWrite = "terms.write",
    InvoicesRead = "invoices.read",
    InvoicesWrite = "invoices.write",
    InvoicesSend = "invoices.send",
    PaymentsRead = "payments.read",
    PaymentsWrite = "payments.write",
    CreditNotesWrite = "credit_notes.write",
    BankRead = "bank.read",
    BankWrite = "bank.write",
    SupplierInvoicesRead = "supplier_invoices.read",
    SupplierInvoicesWrite = "supplier_invoices.write",
    SupplierInvoicesApprove = "supplier_invoices.approve",
    ExpensesWrite = "expenses.write",
    DunningRead = "dunning.read",
    DunningWrite = "dunning.write",
    SubscriptionsWrite = "subscriptions.write",
    ReportsRead = "reports.read",
    ProjectsRead = "projects.read",
    ProjectsWrite = "projects.write",
    TimeRead = "time.read",
    TimeWrite = "time.write",
    TimeValidate = "time.validate",
    TicketsRead = "tickets.read",
    TicketsWrite = "tickets.write",
    MessagesRead = "messages.read",
    MessagesWrite = "messages.write",
    DocumentsRead = "documents.read",
    DocumentsWrite = "documents.write",
    KnowledgeRead = "knowledge.read",
    ProposalsRead = "proposals.read",
    ProposalsWrite = "proposals.write",
    OrdersRead = "orders.read",
    OrdersWrite = "orders.write",
    OrdersConfirm = "orders.confirm",
    CommissionsRead = "commissions.read",
    CommissionsWrite = "commissions.write",
    AuditRead = "audit.read",
    UsersRead = "users.read",
    UsersWrite = "users.write",
    SettingsRead = "settings.read",
    SettingsWrite = "settings.write",
    IntegrationsWrite = "integrations.write",
}

/// A set of permissions, as a bit set (there are fewer than 128).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PermissionSet(u128);

impl PermissionSet {
    /// No permission.
    pub const fn empty() -> Self {
        PermissionSet(0)
    }

    /// Every permission.
    pub fn all() -> Self {
        Self::of(Permission::ALL)
    }

    /// Exactly these permissions.
    pub fn of(permissions: &[Permission]) -> Self {
        permissions
            .iter()
            .fold(Self::empty(), |set, p| set.with(*p))
    }

    /// This set plus `p`.
    pub const fn with(self, p: Permission) -> Self {
        PermissionSet(self.0 | 1u128 << p as u8)
    }

    /// This set minus `p`.
    pub const fn without(self, p: Permission) -> Self {
        PermissionSet(self.0 & !(1u128 << p as u8))
    }

    /// Whether `p` is in the set.
    pub const fn contains(self, p: Permission) -> bool {
        self.0 & (1u128 << p as u8) != 0
    }

    /// Permissions in either set.
    pub const fn union(self, other: PermissionSet) -> Self {
        PermissionSet(self.0 | other.0)
    }

    /// Permissions in both sets.
    pub const fn intersect(self, other: PermissionSet) -> Self {
        PermissionSet(self.0 & other.0)
    }

    /// Whether every permission of `self` is in `other`.
    pub const fn is_subset_of(self, other: PermissionSet) -> bool {
        self.0 & !other.0 == 0
    }

    /// The permissions, in declaration order.
    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL
            .iter()
            .copied()
            .filter(move |p| self.contains(*p))
    }

    /// Parses stored names; unknown names (from a newer or older release) are ignored.
    pub fn from_names<S: AsRef<str>>(names: &[S]) -> Self {
        names
            .iter()
            .filter_map(|n| Permission::parse(n.as_ref()))
            .fold(Self::empty(), |set, p| set.with(p))
    }

    /// The `resource.action` names.
    pub fn names(self) -> Vec<String> {
        self.iter().map(|p| p.as_str().to_owned()).collect()
    }
}

/// An owner company as its members see it (for the company switcher).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyRef {
    /// The company id.
    pub id: Uuid,
    /// Short code, e.g. `HYPERVISUAL`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Brand colour, `#RRGGBB`.
    pub colour: String,
}

/// What the browser may know about the signed-in user. Never carries secrets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    /// The user id.
    pub id: Uuid,
    /// Sign-in email address.
    pub email: String,
    /// Name shown in the user menu.
    pub display_name: String,
    /// The user's role.
    pub role: Role,
    /// The companies the user works in.
    pub companies: Vec<CompanyRef>,
    /// Whether TOTP is enrolled.
    pub two_factor_enabled: bool,
    /// Every permission held in at least one company (`resource.action`).
    pub permissions: Vec<String>,
    /// The company chosen in the company switcher (`None`: all).
    pub focus: Option<Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(*p));
            assert!(seen.insert(p.as_str()), "duplicate {}", p.as_str());
            let (resource, action) = p.as_str().split_once('.').expect("resource.action");
            assert!(!resource.is_empty() && !action.is_empty());
        }
        assert!(Permission::ALL.len() < 128, "PermissionSet is a u128");
    }

    #[test]
    fn sets_behave_like_sets() {
        let set = PermissionSet::of(&[Permission::InvoicesRead, Permission::TimeWrite]);
        assert!(set.contains(Permission::InvoicesRead));
        assert!(!set.contains(Permission::InvoicesWrite));
        assert!(set.is_subset_of(PermissionSet::all()));
        assert!(!PermissionSet::all().is_subset_of(set));
        assert_eq!(PermissionSet::from_names(&set.names()), set);
        assert_eq!(
            PermissionSet::from_names(&["invoices.read", "bogus.thing"]),
            PermissionSet::of(&[Permission::InvoicesRead])
        );
        assert_eq!(
            set.without(Permission::TimeWrite),
            PermissionSet::of(&[Permission::InvoicesRead])
        );
    }

    #[test]
    fn portal_roles_cannot_administer() {
        for role in [Role::Client, Role::Provider, Role::Reseller, Role::Staff] {
            let perms = role.default_permissions();
            assert!(!perms.contains(Permission::UsersWrite), "{role:?}");
            assert!(!perms.contains(Permission::SettingsWrite), "{role:?}");
        }
        assert!(Role::Ceo
            .default_permissions()
            .contains(Permission::UsersWrite));
        assert!(!Role::Client
            .default_permissions()
            .contains(Permission::InvoicesWrite));
    }
}
