//! Test harness: the real application on a random port, against a real Postgres database.

#![allow(dead_code)] // each test binary uses its own part of the harness

use std::net::SocketAddr;

use app::auth::ssr::crypto::SecretBox;
use figment::providers::Serialized;
use server::config::Settings;
use server::startup::Application;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use tokio::sync::oneshot;

/// The master key of every test server (32 bytes, base64).
pub const TEST_MASTER_KEY: &str = "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=";

/// A running application and an HTTP client pointed at it.
pub struct TestApp {
    /// Where the application listens.
    pub address: SocketAddr,
    /// A client that keeps cookies and does not follow redirects.
    pub client: reqwest::Client,
    /// The application's pool (the `unified_app` role, subject to row-level security).
    pub pool: PgPool,
    /// The schema owner's pool (what `#[sqlx::test]` gave), for arranging and inspecting data.
    pub owner: PgPool,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

/// Settings for tests: random port, no migrations (sqlx::test already ran them), generous rate
/// limits (tests that check the limits lower them), a fixed master key.
pub fn test_settings(overrides: &[(&str, serde_json::Value)]) -> Settings {
    let mut figment = Settings::figment()
        .merge(Serialized::default("server.port", 0))
        .merge(Serialized::default("database.migrate", false))
        .merge(Serialized::default("site.hash_files", false))
        .merge(Serialized::default("auth.master_key", TEST_MASTER_KEY))
        .merge(Serialized::default("security.rate_limit_per_minute", 100_000))
        .merge(Serialized::default("security.auth_rate_limit_per_minute", 100_000))
        .merge(Serialized::default("auth.account_attempts_per_minute", 100_000));
    for (key, value) in overrides {
        figment = figment.merge(Serialized::default(key, value.clone()));
    }
    Settings::from_figment(figment).expect("test settings")
}

/// A pool of the application role on the same database as the owner's pool.
pub fn app_pool(owner: &PgPool) -> PgPool {
    let options = owner.connect_options().as_ref().clone().username("unified_app");
    PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(std::time::Duration::from_secs(5))
        .connect_lazy_with(options)
}

/// Loads the demo dataset (companies, parties, one login per portal).
pub async fn load_demo(owner: &PgPool) {
    let secrets = SecretBox::from_base64(TEST_MASTER_KEY).expect("test key");
    server::demo::load_small(&app_pool(owner), &secrets)
        .await
        .expect("demo data loads");
}

impl TestApp {
    /// Serves the application on the database of `owner` (the `#[sqlx::test]` pool) until the
    /// `TestApp` is dropped. The application itself connects as the RLS-bound role.
    pub async fn spawn(owner: PgPool) -> TestApp {
        Self::spawn_with(owner, &[]).await
    }

    /// Like [`TestApp::spawn`], with the demo dataset loaded first.
    pub async fn spawn_demo(owner: PgPool) -> TestApp {
        load_demo(&owner).await;
        Self::spawn_with(owner, &[]).await
    }

    /// Like [`TestApp::spawn`], with configuration overrides (`("server.body_limit_bytes", 10.into())`).
    pub async fn spawn_with(owner: PgPool, overrides: &[(&str, serde_json::Value)]) -> TestApp {
        let pool = app_pool(&owner);
        Self::spawn_on(owner, pool, overrides).await
    }

    /// Serves with an explicit application pool (e.g. one going through a cuttable link).
    pub async fn spawn_on(owner: PgPool, pool: PgPool, overrides: &[(&str, serde_json::Value)]) -> TestApp {
        server::telemetry::init(server::config::LogFormat::Pretty, "warn");
        let settings = test_settings(overrides);
        let app = Application::build_with_pool(&settings, pool.clone())
            .await
            .expect("application builds");
        let address = app.local_addr().expect("bound address");
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .expect("http client");
        TestApp {
            address,
            client,
            pool,
            owner,
            stop: Some(stop),
            server: Some(server),
        }
    }

    /// The absolute URL of `path` on this application.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    /// GET `path`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// The origin of this server, for the `Origin` header of state-changing requests.
    pub fn origin(&self) -> String {
        format!("http://{}", self.address)
    }

    /// POSTs a form to a server function (`/api/...`) from this app's own origin.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("origin", self.origin())
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    /// POSTs JSON to a server function from this app's own origin.
    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("origin", self.origin())
            .json(body)
            .send()
            .await
            .expect("POST")
    }

    /// Stops the server and waits for it to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
