//! The provider portal (`/provider`).

use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::components::layout::{PortalHome, PortalLayout};
use crate::portal::Portal;

/// The provider portal's frame: navigation, user menu and the current page.
#[component]
pub fn ProviderLayout() -> impl IntoView {
    view! {
        <PortalLayout portal=Portal::Provider>
            <Outlet />
        </PortalLayout>
    }
}

/// The provider portal's start page.
#[component]
pub fn ProviderHome() -> impl IntoView {
    view! { <PortalHome portal=Portal::Provider /> }
}
