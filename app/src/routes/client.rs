//! The client portal (`/client`).

use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::components::layout::{PortalHome, PortalLayout};
use crate::portal::Portal;

/// The client portal's frame: navigation, user menu and the current page.
#[component]
pub fn ClientLayout() -> impl IntoView {
    view! {
        <PortalLayout portal=Portal::Client>
            <Outlet />
        </PortalLayout>
    }
}

/// The client portal's start page.
#[component]
pub fn ClientHome() -> impl IntoView {
    view! { <PortalHome portal=Portal::Client /> }
}
