//! The CEO portal (`/ceo`): CRM, leads, quotes, invoices, banking, supplier bills, projects,
//! catalogue, terms, emails.

use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::components::layout::PortalLayout;
use crate::portal::Portal;

pub mod admin;
pub mod banking;
pub mod bills;
pub mod companies;
pub mod crm;
pub mod dashboard;
pub mod invoice_editor;
pub mod invoices;
pub mod payment_runs;
pub mod quotes;
pub mod reconcile;
pub mod subscriptions;
pub mod users;

/// The CEO portal's frame: navigation, company switcher, user menu and the current page.
#[component]
pub fn CeoLayout() -> impl IntoView {
    view! {
        <PortalLayout portal=Portal::Ceo>
            <Outlet />
        </PortalLayout>
    }
}
