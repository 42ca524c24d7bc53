//! Background work of a server instance.

use std::sync::Arc;
use std::time::Duration;

use app::auth::ssr::AuthService;
use sqlx::PgPool;
use tokio::task::JoinSet;

/// How often the signing keys are re-read (another instance may have rotated them).
const KEY_REFRESH: Duration = Duration::from_secs(300);

/// Starts the workers; abort the set to stop them.
pub fn spawn(pool: PgPool, auth: Arc<AuthService>) -> JoinSet<()> {
    let mut set = JoinSet::new();
    set.spawn(async move {
        let mut tick = tokio::time::interval(KEY_REFRESH);
        tick.tick().await;
        loop {
            tick.tick().await;
            if let Err(error) = auth.keys.refresh(&pool).await {
                tracing::warn!(%error, "refreshing signing keys failed");
            }
        }
    });
    set
}
