//! The browser entry point: hydrates the server-rendered page and registers the service worker.

// The hydration future nests the whole route tree's types.
#![recursion_limit = "256"]

use wasm_bindgen::UnwrapThrowExt;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Portal pages are lazy routes (their wasm chunks load first): hydration is asynchronous.
    // As `leptos::mount::hydrate_lazy`, plus marking the page once it is done.
    wasm_bindgen_futures::spawn_local(async {
        let owner = leptos::mount::hydrate_from_async(
            leptos::prelude::document().body().unwrap_throw(),
            app::App,
        )
        .await;
        owner.forget();
        mark_hydrated();
    });
    register_service_worker();
}

/// `<html data-hydrated>`: from here on the page is interactive (the benchmark and the
/// browser tests wait for it).
fn mark_hydrated() {
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}

/// Release builds only: a development build must never be served stale from a cache.
fn register_service_worker() {
    if cfg!(debug_assertions) {
        return;
    }
    let navigator = leptos::prelude::window().navigator();
    let _ = navigator.service_worker().register("/sw.js");
}
