//! What every request handler and server function can reach on the server.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;

/// Shared, cheap-to-clone server state, provided to server functions as context.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Leptos' site options (paths of the hashed assets, output name).
    pub leptos_options: LeptosOptions,
    /// The application's connection pool (the `unified_app` role, subject to RLS).
    pub pool: PgPool,
    /// Sign-in, sessions and tokens.
    pub auth: Arc<crate::auth::ssr::AuthService>,
    /// The document store (supplier bills' files).
    pub files: crate::storage::FileStore,
    /// The vision model that reads bills the other steps could not, when configured.
    pub vision: Option<crate::payables::ssr::reading::Vision>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Routes that are neither pages nor server functions (documents, exports, uploads, identity
/// endpoints), each with its path: the server mounts them from one list, and the isolation
/// matrix checks that it covers every one.
pub type PlainRoutes = Vec<(&'static str, axum::routing::MethodRouter<AppState>)>;
