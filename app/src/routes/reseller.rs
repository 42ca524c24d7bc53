//! The reseller portal (`/reseller`).

use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::components::layout::{PortalHome, PortalLayout};
use crate::portal::Portal;

/// The reseller portal's frame: navigation, user menu and the current page.
#[component]
pub fn ResellerLayout() -> impl IntoView {
    view! {
        <PortalLayout portal=Portal::Reseller>
            <Outlet />
        </PortalLayout>
    }
}

/// The reseller portal's start page.
#[component]
pub fn ResellerHome() -> impl IntoView {
    view! { <PortalHome portal=Portal::Reseller /> }
}
