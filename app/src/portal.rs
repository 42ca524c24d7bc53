//! The four portals: who they are for and where they live.

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;

/// One of the four portals, each behind its own role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Portal {
    /// The CEO and company staff.
    Ceo,
    /// A client company's contacts.
    Client,
    /// External providers (technicians, installers).
    Provider,
    /// Resellers and their commissions.
    Reseller,
}

impl Portal {
    /// Every portal, in the order the landing page lists them.
    pub const ALL: [Portal; 4] = [
        Portal::Ceo,
        Portal::Client,
        Portal::Provider,
        Portal::Reseller,
    ];

    /// The path the portal's route tree is mounted at.
    pub const fn base_path(self) -> &'static str {
        match self {
            Portal::Ceo => "/ceo",
            Portal::Client => "/client",
            Portal::Provider => "/provider",
            Portal::Reseller => "/reseller",
        }
    }

    /// The portal's name.
    pub const fn title(self) -> Msg {
        match self {
            Portal::Ceo => Msg::PortalCeo,
            Portal::Client => Msg::PortalClient,
            Portal::Provider => Msg::PortalProvider,
            Portal::Reseller => Msg::PortalReseller,
        }
    }

    /// One sentence on what the portal is for.
    pub const fn description(self) -> Msg {
        match self {
            Portal::Ceo => Msg::PortalCeoDescription,
            Portal::Client => Msg::PortalClientDescription,
            Portal::Provider => Msg::PortalProviderDescription,
            Portal::Reseller => Msg::PortalResellerDescription,
        }
    }

    /// A stable lowercase name, used in CSS classes and test ids.
    pub const fn slug(self) -> &'static str {
        match self {
            Portal::Ceo => "ceo",
            Portal::Client => "client",
            Portal::Provider => "provider",
            Portal::Reseller => "reseller",
        }
    }
}
