//! Background work of a server instance.

use std::sync::Arc;
use std::time::Duration;

use app::auth::ssr::AuthService;
use sqlx::PgPool;
use tokio::task::JoinSet;

/// How often the signing keys are re-read (another instance may have rotated them).
const KEY_REFRESH: Duration = Duration::from_secs(300);
/// How often dated statuses are brought up to date (expired quotes, overdue invoices).
const DUE_DATES: Duration = Duration::from_secs(3600);

/// Starts the workers; abort the set to stop them.
pub fn spawn(pool: PgPool, auth: Arc<AuthService>) -> JoinSet<()> {
    let mut set = JoinSet::new();
    let due_pool = pool.clone();
    set.spawn(async move {
        let mut tick = tokio::time::interval(DUE_DATES);
        loop {
            tick.tick().await;
            match app::billing::ssr::quotes::expire_due(&due_pool).await {
                Ok(n) if n > 0 => tracing::info!(expired = n, "quotes expired"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "expiring quotes failed"),
            }
            match app::billing::ssr::invoices::mark_overdue(&due_pool).await {
                Ok(n) if n > 0 => tracing::info!(overdue = n, "invoices overdue"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "marking overdue invoices failed"),
            }
        }
    });
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
