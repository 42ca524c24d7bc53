//! The authenticated caller of a request, and the one authorization check every server function
//! makes before it reads or writes.

use uuid::Uuid;

use super::db::Scope;
use crate::auth::{Permission, PermissionSet, Role};
use crate::error::AppError;

/// One company the caller works in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    /// The owner company.
    pub company_id: Uuid,
    /// What the caller may do there (already limited to the role's and the token's scope).
    pub permissions: PermissionSet,
    /// For portal roles: the party (client company, provider, reseller) they act for.
    pub party_id: Option<Uuid>,
}

/// How the caller proved who they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    /// A browser session (cookies).
    Session(Uuid),
    /// An API token (`Authorization: Bearer`).
    ApiToken(Uuid),
}

/// The signed-in caller, resolved by the auth middleware from cookies or a bearer token.
/// Built only on the server from the database: nothing in it comes from the browser.
#[derive(Clone, Debug)]
pub struct Caller {
    /// The user id.
    pub user_id: Uuid,
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// The user's role.
    pub role: Role,
    /// Session or API token.
    pub credential: Credential,
    /// Whether TOTP is enrolled.
    pub two_factor_enabled: bool,
    /// The companies the caller works in.
    pub memberships: Vec<Membership>,
    /// The company the user chose in the company switcher (`None`: all of them).
    pub focus: Option<Uuid>,
}

impl Caller {
    /// The session id, when the caller signed in with a browser session.
    pub fn session_id(&self) -> Option<Uuid> {
        match self.credential {
            Credential::Session(id) => Some(id),
            Credential::ApiToken(_) => None,
        }
    }

    /// Every permission the caller holds somewhere.
    pub fn permissions(&self) -> PermissionSet {
        self.memberships
            .iter()
            .fold(PermissionSet::empty(), |all, m| all.union(m.permissions))
    }

    /// Fails unless the caller holds `permission` in `company`.
    pub fn require(&self, permission: Permission, company: Uuid) -> Result<&Membership, AppError> {
        self.memberships
            .iter()
            .find(|m| m.company_id == company && m.permissions.contains(permission))
            .ok_or(AppError::Forbidden)
    }

    /// The database scope for work needing `permission`: only the companies (and parties) where
    /// the caller holds it, so row-level security enforces the permission too.
    pub fn scope(&self, permission: Permission) -> Result<Scope, AppError> {
        self.scope_where(|m| m.permissions.contains(permission))
    }

    /// Like [`Caller::scope`], narrowed to one company.
    pub fn scope_in(&self, permission: Permission, company: Uuid) -> Result<Scope, AppError> {
        self.require(permission, company)?;
        self.scope_where(|m| m.company_id == company)
    }

    /// Like [`Caller::scope`], narrowed to the company the user focuses on (company switcher)
    /// when they hold the permission there; CEO pages and KPIs read through this.
    pub fn focused(&self, permission: Permission) -> Result<Scope, AppError> {
        match self.focus {
            Some(company) if self.require(permission, company).is_ok() => {
                self.scope_in(permission, company)
            }
            _ => self.scope(permission),
        }
    }

    /// The scope for a list: the company asked for, or else the focused companies.
    pub fn list_scope(
        &self,
        permission: Permission,
        company: Option<Uuid>,
    ) -> Result<Scope, AppError> {
        match company {
            Some(company) => self.scope_in(permission, company),
            None => self.focused(permission),
        }
    }

    /// The scope for the caller's own account (sessions, tokens, 2FA): every company they belong
    /// to, but the identity tables only ever show their own rows.
    pub fn own_scope(&self) -> Scope {
        Scope {
            user_id: Some(self.user_id),
            role: self.role.as_str(),
            company_ids: self.memberships.iter().map(|m| m.company_id).collect(),
            party_ids: self.memberships.iter().filter_map(|m| m.party_id).collect(),
        }
    }

    fn scope_where(&self, keep: impl Fn(&Membership) -> bool) -> Result<Scope, AppError> {
        let kept: Vec<&Membership> = self.memberships.iter().filter(|m| keep(m)).collect();
        if kept.is_empty() {
            return Err(AppError::Forbidden);
        }
        Ok(Scope {
            user_id: Some(self.user_id),
            role: self.role.as_str(),
            company_ids: kept.iter().map(|m| m.company_id).collect(),
            party_ids: kept.iter().filter_map(|m| m.party_id).collect(),
        })
    }
}

/// Plain Axum routes take the caller as an argument; signed out, they answer 401 before the
/// handler runs. (Resolved by the auth middleware, like every request's.)
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<super::middleware::CallerSlot>()
            .and_then(|slot| slot.0.clone())
            .ok_or(AppError::Unauthenticated)
    }
}

/// The permissions a membership grants: the role's defaults, and for staff only what the
/// membership names (never more than staff may hold).
pub fn effective_permissions(role: Role, stored: &[String]) -> PermissionSet {
    match role {
        Role::Staff => {
            PermissionSet::from_names(stored).intersect(Role::Staff.default_permissions())
        }
        other => other.default_permissions(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: Role, memberships: Vec<Membership>) -> Caller {
        Caller {
            user_id: Uuid::from_u128(9),
            email: "a@example.ch".into(),
            display_name: "A".into(),
            role,
            credential: Credential::Session(Uuid::from_u128(1)),
            two_factor_enabled: false,
            memberships,
            focus: None,
        }
    }

    #[test]
    fn scope_keeps_only_companies_with_the_permission() {
        let a = Uuid::from_u128(100);
        let b = Uuid::from_u128(200);
        let staff = caller(
            Role::Staff,
            vec![
                Membership {
                    company_id: a,
                    permissions: PermissionSet::of(&[Permission::InvoicesRead]),
                    party_id: None,
                },
                Membership {
                    company_id: b,
                    permissions: PermissionSet::of(&[Permission::TimeRead]),
                    party_id: None,
                },
            ],
        );
        assert_eq!(
            staff.scope(Permission::InvoicesRead).unwrap().company_ids,
            vec![a]
        );
        assert_eq!(
            staff.scope(Permission::InvoicesWrite),
            Err(AppError::Forbidden)
        );
        assert!(staff.require(Permission::TimeRead, b).is_ok());
        assert_eq!(
            staff.require(Permission::TimeRead, a).err(),
            Some(AppError::Forbidden)
        );
        assert_eq!(
            staff.scope_in(Permission::InvoicesRead, b),
            Err(AppError::Forbidden)
        );
        assert_eq!(staff.own_scope().company_ids, vec![a, b]);
    }

    #[test]
    fn staff_never_exceed_the_staff_set() {
        let granted = effective_permissions(
            Role::Staff,
            &[
                "invoices.read".into(),
                "users.write".into(),
                "settings.write".into(),
            ],
        );
        assert_eq!(granted, PermissionSet::of(&[Permission::InvoicesRead]));
        // Portal roles get their role's set whatever the membership row says.
        assert_eq!(
            effective_permissions(Role::Client, &["users.write".into()]),
            Role::Client.default_permissions()
        );
    }
}
