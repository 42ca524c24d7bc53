//! The ceo portal (`/ceo`).

use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::components::layout::{PortalHome, PortalLayout};
use crate::portal::Portal;

/// The ceo portal's frame: navigation, user menu and the current page.
#[component]
pub fn CeoLayout() -> impl IntoView {
    view! {
        <PortalLayout portal=Portal::Ceo>
            <Outlet />
        </PortalLayout>
    }
}

/// The ceo portal's start page.
#[component]
pub fn CeoHome() -> impl IntoView {
    view! { <PortalHome portal=Portal::Ceo /> }
}
