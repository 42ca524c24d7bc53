//! The CEO portal (`/ceo`): CRM, leads, quotes, invoices, projects, catalogue, terms, emails.

use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::components::layout::{PortalHome, PortalLayout};
use crate::portal::Portal;

pub mod admin;
pub mod crm;
pub mod invoices;
pub mod quotes;

/// The CEO portal's frame: navigation, company switcher, user menu and the current page.
#[component]
pub fn CeoLayout() -> impl IntoView {
    view! {
        <PortalLayout portal=Portal::Ceo>
            <Outlet />
        </PortalLayout>
    }
}

/// The CEO portal's start page.
#[component]
pub fn CeoHome() -> impl IntoView {
    view! { <PortalHome portal=Portal::Ceo /> }
}
