//! Layered configuration: built-in defaults, then an optional TOML file, then environment.
//!
//! Precedence (last wins): defaults → `APP_CONFIG_FILE` (or `unified.toml` when present) →
//! `LEPTOS_*` variables set by cargo-leptos → `DATABASE_URL` → `APP_*` variables, where `__`
//! separates nesting (`APP_SERVER__PORT=8080`, `APP_DATABASE__MAX_CONNECTIONS=20`).
//! Secrets are [`SecretString`]s: they never appear in `Debug` output or logs.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use app::auth::ssr::AuthSettings;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use leptos::config::LeptosOptions;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgConnectOptions;

use crate::mailer::{MailDefaults, MailSettings};

/// Everything the server reads at start-up.
#[derive(Clone, Debug, Deserialize)]
pub struct Settings {
    /// HTTP listener and request limits.
    pub server: ServerSettings,
    /// The Postgres connection.
    pub database: DatabaseSettings,
    /// Where the built site (wasm, js, css, public files) lives.
    pub site: SiteSettings,
    /// Sign-in, sessions, tokens (`APP_AUTH__MASTER_KEY` is required).
    pub auth: AuthSettings,
    /// Web hardening: CORS, rate limits, proxies.
    pub security: SecuritySettings,
    /// Outgoing email (`APP_MAIL__SMTP_URL`); unset keeps mail in the outbox.
    pub mail: MailSettings,
    /// `pretty` (human) or `json` logs; `APP_LOG_FORMAT`.
    pub log_format: LogFormat,
    /// A `tracing` filter directive; `RUST_LOG` wins when set.
    pub log_filter: String,
    /// `development` (the default) or `production` (`APP_ENVIRONMENT`): production refuses to
    /// load demo data and to start while demo accounts with the demo password exist.
    pub environment: Environment,
    /// Where uploaded documents are kept (`APP_STORAGE__URL`).
    #[serde(default)]
    pub storage: StorageSettings,
    /// A vision model that reads bills the other steps could not (`APP_VISION__URL`,
    /// `APP_VISION__KEY`, `APP_VISION__MODEL`); unset, bills are read without one.
    #[serde(default)]
    pub vision: Option<VisionSettings>,
}

/// The document store.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct StorageSettings {
    /// `file:///absolute/folder`, `s3://bucket/prefix` (credentials and endpoint from the usual
    /// `AWS_*` variables) or `memory://`; empty: `.local/files` under the working directory.
    #[serde(default)]
    pub url: String,
}

impl StorageSettings {
    /// The store's URL, the default resolved against the working directory.
    pub fn resolved_url(&self) -> String {
        if !self.url.trim().is_empty() {
            return self.url.trim().to_owned();
        }
        let folder = std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("."))
            .join(".local")
            .join("files");
        format!("file://{}", folder.display())
    }
}

/// An OpenAI-compatible chat-completions endpoint that accepts images.
#[derive(Clone, Debug, Deserialize)]
pub struct VisionSettings {
    /// Base URL (`https://api.openai.com/v1`).
    pub url: String,
    /// API key.
    pub key: SecretString,
    /// Model name.
    #[serde(default = "default_vision_model")]
    pub model: String,
}

fn default_vision_model() -> String {
    "gpt-4o-mini".into()
}

/// Where the server runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// A developer's machine or a test: demo data allowed.
    Development,
    /// Real data: no demo accounts, ever.
    Production,
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
    /// The URL people reach the platform at (links in emails, SSO redirects, HSTS when https).
    pub public_url: String,
}

/// Web hardening.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SecuritySettings {
    /// Origins allowed to call the API from a browser (CORS); empty denies every other origin.
    pub cors_origins: Vec<String>,
    /// Requests per minute per client address (pages and API; static assets are free).
    pub rate_limit_per_minute: u32,
    /// Requests per minute per client address on the sign-in endpoints.
    pub auth_rate_limit_per_minute: u32,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_forwarded_for: bool,
}

/// The Postgres connection.
#[derive(Clone, Debug, Deserialize)]
pub struct DatabaseSettings {
    /// `postgres://…` URL of the role that owns the schema and runs migrations.
    pub url: SecretString,
    /// The role the application works as: owns nothing, cannot bypass row-level security.
    pub app_role: String,
    /// That role's password, when the server requires one.
    #[serde(default)]
    pub app_password: Option<SecretString>,
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
    /// No master key: secrets at rest could not be encrypted.
    #[error("missing master_key: set APP_AUTH__MASTER_KEY to 32 random bytes, base64-encoded (e.g. `openssl rand -base64 32`)")]
    MissingMasterKey,
}

/// The defaults, as a figment provider (the database URL has none: it must be given).
#[derive(Serialize)]
struct Defaults {
    server: ServerSettings,
    database: DatabaseDefaults,
    site: SiteSettings,
    security: SecuritySettings,
    mail: MailDefaults,
    log_format: LogFormat,
    log_filter: &'static str,
    environment: Environment,
}

#[derive(Serialize)]
struct DatabaseDefaults {
    app_role: &'static str,
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
                public_url: "http://127.0.0.1:3000".into(),
            },
            database: DatabaseDefaults {
                app_role: "unified_app",
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
            security: SecuritySettings {
                cors_origins: Vec::new(),
                rate_limit_per_minute: 100,
                auth_rate_limit_per_minute: 20,
                trust_forwarded_for: false,
            },
            mail: MailDefaults::default(),
            log_format: LogFormat::Pretty,
            log_filter: "info,sqlx=warn,tower_http=info",
            environment: Environment::Development,
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
        if figment.find_value("auth.master_key").is_err() {
            return Err(ConfigError::MissingMasterKey);
        }
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
    /// Connection options of the application role: the owner's server and database, the
    /// application's user name (and password).
    ///
    /// Requests are short: no parallel workers (starting them costs ~10 ms, more than the
    /// work they share on two cores) and no JIT (compiling costs more than it saves).
    pub fn app_connect_options(&self) -> Result<PgConnectOptions, ConfigError> {
        let options = self
            .connect_options()?
            .username(&self.app_role)
            .options([("max_parallel_workers_per_gather", "0"), ("jit", "off")]);
        Ok(match &self.app_password {
            Some(password) => options.password(password.expose_secret()),
            None => options,
        })
    }

    /// Connection options of the schema owner, parsed from the URL.
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
// figment's `Jail` fixes the closure's error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use figment::Jail;

    const TEST_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

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
            jail.set_env("APP_AUTH__MASTER_KEY", TEST_KEY);
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
            assert_eq!(settings.security.rate_limit_per_minute, 100);
            assert_eq!(settings.auth.access_ttl_secs, 600);
            let app = settings
                .database
                .app_connect_options()
                .map_err(|e| e.to_string())?;
            assert_eq!(app.get_username(), "unified_app");
            assert_eq!(app.get_host(), "db.internal");
            Ok(())
        });
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.set_env("DATABASE_URL", "postgres://owner:s3cret@localhost/unified");
            jail.set_env("APP_AUTH__MASTER_KEY", TEST_KEY);
            jail.set_env("APP_DATABASE__APP_PASSWORD", "app-s3cret");
            let settings = Settings::load().map_err(|e| e.to_string())?;
            let printed = format!("{settings:?}");
            assert!(!printed.contains("s3cret"), "{printed}");
            assert!(!printed.contains(TEST_KEY), "{printed}");
            Ok(())
        });
    }

    #[test]
    fn missing_or_malformed_database_url_is_an_error() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.set_env("APP_AUTH__MASTER_KEY", TEST_KEY);
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

#[cfg(test)]
#[allow(clippy::result_large_err)]
mod auth_settings_tests {
    use super::*;
    use figment::Jail;

    #[test]
    fn the_master_key_is_required() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.set_env("DATABASE_URL", "postgres://owner@localhost/unified");
            let error = Settings::load().expect_err("no master key");
            assert!(error.to_string().contains("master_key"), "{error}");
            Ok(())
        });
    }
}
