//! Layered configuration: built-in defaults, then an optional TOML file, then environment.
//!
//! Precedence (last wins): defaults → `APP_CONFIG_FILE` (or `unified.toml` when present) →
//! `LEPTOS_*` variables set by cargo-leptos → `DATABASE_URL` → `APP_*` variables, where `__`
//! separates nesting (`APP_SERVER__PORT=8080`, `APP_DATABASE__MAX_CONNECTIONS=20`).
//! Secrets are [`SecretString`]s: they never appear in `Debug` output or logs.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use leptos::config::LeptosOptions;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgConnectOptions;

/// Everything the server reads at start-up.
#[derive(Clone, Debug, Deserialize)]
pub struct Settings {
    /// HTTP listener and request limits.
    pub server: ServerSettings,
    /// The Postgres connection.
    pub database: DatabaseSettings,
    /// Where the built site (wasm, js, css, public files) lives.
    pub site: SiteSettings,
    /// `pretty` (human) or `json` logs; `APP_LOG_FORMAT`.
    pub log_format: LogFormat,
    /// A `tracing` filter directive; `RUST_LOG` wins when set.
    pub log_filter: String,
}

/// HTTP listener and request limits.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ServerSettings {
    /// Interface to listen on.
    pub host: IpAddr,
    /// Port to listen on; 0 picks a free one (tests).
    pub port: u16,
    /// A request taking longer than this is cut off.
    pub request_timeout_secs: u64,
    /// Largest accepted request body.
    pub body_limit_bytes: usize,
}

/// The Postgres connection.
#[derive(Clone, Debug, Deserialize)]
pub struct DatabaseSettings {
    /// `postgres://…` URL of the role that owns the schema and runs migrations.
    pub url: SecretString,
    /// Size of the connection pool.
    pub max_connections: u32,
    /// How long a request waits for a free connection before answering 503.
    pub acquire_timeout_ms: u64,
    /// Run the embedded migrations at start-up.
    pub migrate: bool,
}

/// Where the built site lives (written by cargo-leptos).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SiteSettings {
    /// Folder with `pkg/` and the public files.
    pub root: String,
    /// Sub-folder of `root` with the wasm, js and css.
    pub pkg_dir: String,
    /// Base name of the generated wasm/js/css files.
    pub output_name: String,
    /// Whether asset names carry a content hash (release builds).
    pub hash_files: bool,
}

/// Log output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines for a terminal.
    Pretty,
    /// One JSON object per line for log collectors.
    Json,
}

/// Why the configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A source held a value of the wrong shape or a required value is missing.
    #[error("invalid configuration: {0}")]
    Invalid(#[from] Box<figment::Error>),
    /// The database URL does not parse.
    #[error("invalid database URL: {0}")]
    DatabaseUrl(#[source] sqlx::Error),
}

/// The defaults, as a figment provider (the database URL has none: it must be given).
#[derive(Serialize)]
struct Defaults {
    server: ServerSettings,
    database: DatabaseDefaults,
    site: SiteSettings,
    log_format: LogFormat,
    log_filter: &'static str,
}

#[derive(Serialize)]
struct DatabaseDefaults {
    max_connections: u32,
    acquire_timeout_ms: u64,
    migrate: bool,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            server: ServerSettings {
                host: IpAddr::V4(Ipv4Addr::LOCALHOST),
                port: 3000,
                request_timeout_secs: 30,
                body_limit_bytes: 10 * 1024 * 1024,
            },
            database: DatabaseDefaults {
                max_connections: 16,
                acquire_timeout_ms: 3000,
                migrate: true,
            },
            site: SiteSettings {
                root: "target/site".into(),
                pkg_dir: "pkg".into(),
                output_name: "unified-platform".into(),
                hash_files: false,
            },
            log_format: LogFormat::Pretty,
            log_filter: "info,sqlx=warn,tower_http=info",
        }
    }
}

impl Settings {
    /// Loads the settings from the process environment and the optional config file.
    pub fn load() -> Result<Settings, ConfigError> {
        Self::from_figment(Self::figment())
    }

    /// The layered sources, exposed so tests can add their own overrides on top.
    pub fn figment() -> Figment {
        let file = std::env::var("APP_CONFIG_FILE").unwrap_or_else(|_| "unified.toml".into());
        Figment::from(Serialized::defaults(Defaults::default()))
            .merge(Toml::file(file))
            .merge(
                Env::raw()
                    .only(&[
                        "LEPTOS_SITE_ROOT",
                        "LEPTOS_SITE_PKG_DIR",
                        "LEPTOS_OUTPUT_NAME",
                        "LEPTOS_HASH_FILES",
                    ])
                    .map(|key| {
                        let key = key.as_str().to_ascii_lowercase();
                        let field = key.trim_start_matches("leptos_");
                        let field = field.strip_prefix("site_").unwrap_or(field);
                        format!("site.{field}").into()
                    }),
            )
            .merge(
                Env::raw()
                    .only(&["DATABASE_URL"])
                    .map(|_| "database.url".into()),
            )
            .merge(Env::prefixed("APP_").split("__").ignore(&["CONFIG_FILE"]))
    }

    /// Extracts and checks the settings from `figment`.
    pub fn from_figment(figment: Figment) -> Result<Settings, ConfigError> {
        let settings: Settings = figment.extract().map_err(Box::new)?;
        settings.database.connect_options()?;
        Ok(settings)
    }

    /// Leptos' options, derived from the site settings (one source of truth for asset paths).
    pub fn leptos_options(&self) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name(self.site.output_name.as_str())
            .site_root(self.site.root.as_str())
            .site_pkg_dir(self.site.pkg_dir.as_str())
            .site_addr(self.server.address())
            .hash_files(self.site.hash_files)
            .build()
    }
}

impl ServerSettings {
    /// The socket address to bind.
    pub fn address(&self) -> SocketAddr {
        SocketAddr::new(self.host, self.port)
    }

    /// The per-request time limit.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }
}

impl DatabaseSettings {
    /// Connection options parsed from the URL.
    pub fn connect_options(&self) -> Result<PgConnectOptions, ConfigError> {
        self.url
            .expose_secret()
            .parse::<PgConnectOptions>()
            .map_err(ConfigError::DatabaseUrl)
    }

    /// The pool's wait for a free connection.
    pub fn acquire_timeout(&self) -> Duration {
        Duration::from_millis(self.acquire_timeout_ms)
    }
}

impl SiteSettings {
    /// The folder of the hashed assets on disk.
    pub fn pkg_path(&self) -> PathBuf {
        PathBuf::from(&self.root).join(&self.pkg_dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use figment::Jail;

    #[test]
    fn environment_overrides_file_and_defaults() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_file(
                "unified.toml",
                "[server]\nport = 4000\nrequest_timeout_secs = 5\n",
            )?;
            jail.set_env(
                "DATABASE_URL",
                "postgres://owner:s3cret@db.internal/unified",
            );
            jail.set_env("APP_SERVER__PORT", "4100");
            jail.set_env("APP_LOG_FORMAT", "json");
            jail.set_env("LEPTOS_SITE_ROOT", "/srv/site");
            jail.set_env("LEPTOS_HASH_FILES", "true");
            let settings = Settings::load().map_err(|e| e.to_string())?;
            assert_eq!(settings.server.port, 4100);
            assert_eq!(settings.server.request_timeout_secs, 5);
            assert_eq!(settings.log_format, LogFormat::Json);
            assert_eq!(settings.site.root, "/srv/site");
            assert!(settings.site.hash_files);
            assert_eq!(settings.database.max_connections, 16);
            Ok(())
        });
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.set_env("DATABASE_URL", "postgres://owner:s3cret@localhost/unified");
            let settings = Settings::load().map_err(|e| e.to_string())?;
            let printed = format!("{settings:?}");
            assert!(!printed.contains("s3cret"), "{printed}");
            Ok(())
        });
    }

    #[test]
    fn missing_or_malformed_database_url_is_an_error() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            assert!(Settings::load().is_err(), "no URL must be refused");
            jail.set_env(
                "DATABASE_URL",
                "postgres://owner@localhost:notaport/unified",
            );
            assert!(matches!(Settings::load(), Err(ConfigError::DatabaseUrl(_))));
            Ok(())
        });
    }
}
