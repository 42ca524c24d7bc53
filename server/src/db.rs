//! The connection pool and the embedded migrations.

use sqlx::migrate::MigrateError;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

use crate::config::{ConfigError, DatabaseSettings};

/// A pool that connects on demand, so the server starts (and reports not-ready) even when the
/// database is briefly away, and recovers on its own when it returns.
pub fn pool(settings: &DatabaseSettings) -> Result<PgPool, ConfigError> {
    let options = settings.connect_options()?;
    Ok(PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(settings.acquire_timeout())
        .test_before_acquire(true)
        .connect_lazy_with(options))
}

/// Applies the migrations in `migrations/`, compiled into the binary.
pub async fn migrate(pool: &PgPool) -> Result<(), MigrateError> {
    sqlx::migrate!("../migrations").run(pool).await
}
