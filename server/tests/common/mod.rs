//! Test harness: the real application on a random port, against a real Postgres database.

#![allow(dead_code)] // each test binary uses its own part of the harness

use std::net::SocketAddr;

use figment::providers::Serialized;
use server::config::Settings;
use server::startup::Application;
use sqlx::PgPool;
use tokio::sync::oneshot;

/// A running application and an HTTP client pointed at it.
pub struct TestApp {
    /// Where the application listens.
    pub address: SocketAddr,
    /// A client that keeps cookies and does not follow redirects.
    pub client: reqwest::Client,
    /// The database the application uses.
    pub pool: PgPool,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

/// Settings for tests: random port, no migrations (sqlx::test already ran them), quiet logs.
pub fn test_settings(overrides: &[(&str, serde_json::Value)]) -> Settings {
    let mut figment = Settings::figment()
        .merge(Serialized::default("server.port", 0))
        .merge(Serialized::default("database.migrate", false))
        .merge(Serialized::default("site.hash_files", false));
    for (key, value) in overrides {
        figment = figment.merge(Serialized::default(key, value.clone()));
    }
    Settings::from_figment(figment).expect("test settings")
}

impl TestApp {
    /// Serves the application on `pool` until the `TestApp` is dropped.
    pub async fn spawn(pool: PgPool) -> TestApp {
        Self::spawn_with(pool, &[]).await
    }

    /// Like [`TestApp::spawn`], with configuration overrides (`("server.body_limit_bytes", 10.into())`).
    pub async fn spawn_with(pool: PgPool, overrides: &[(&str, serde_json::Value)]) -> TestApp {
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
