//! The connection pool and the embedded migrations.

use sqlx::migrate::MigrateError;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

use crate::config::{ConfigError, DatabaseSettings};

/// The application's pool, as the role row-level security applies to. It connects on demand,
/// so the server starts (and reports not-ready) even when the database is briefly away, and
/// recovers on its own when it returns.
pub fn app_pool(settings: &DatabaseSettings) -> Result<PgPool, ConfigError> {
    let options = settings.app_connect_options()?;
    Ok(PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(settings.acquire_timeout())
        .test_before_acquire(true)
        // Request context is transaction-local already; this is the backstop for a session-level
        // setting that should never have been made. (`DISCARD ALL` would drop cached statements.)
        .after_release(|conn, _| {
            Box::pin(async move {
                sqlx::Executor::execute(&mut *conn, "RESET ALL").await?;
                Ok(true)
            })
        })
        .connect_lazy_with(options))
}

/// A small pool of the schema owner, for migrations only.
pub fn owner_pool(settings: &DatabaseSettings) -> Result<PgPool, ConfigError> {
    Ok(PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(settings.acquire_timeout())
        .connect_lazy_with(settings.connect_options()?))
}

/// Applies the migrations in `migrations/`, compiled into the binary.
pub async fn migrate(pool: &PgPool) -> Result<(), MigrateError> {
    sqlx::migrate!("../migrations").run(pool).await
}
