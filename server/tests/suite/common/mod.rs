//! Test harness: the real application on a random port, against a real Postgres database.

#![allow(dead_code)] // each test binary uses its own part of the harness

use std::net::SocketAddr;
use std::sync::Arc;

use app::auth::ssr::{begin, AuthService, Scope};
use reqwest::cookie::{CookieStore, Jar};

use app::auth::ssr::crypto::SecretBox;
use figment::providers::Serialized;
use server::config::Settings;
use server::startup::Application;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use tokio::sync::oneshot;

mod billing;
mod payables;
pub mod pydata;
pub mod revolut;
pub use billing::*;
pub use payables::*;

/// The master key of every test server (32 bytes, base64).
pub const TEST_MASTER_KEY: &str = "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=";

/// A running application and an HTTP client pointed at it.
pub struct TestApp {
    /// Where the application listens.
    pub address: SocketAddr,
    /// A client that keeps cookies (in [`TestApp::jar`]) and does not follow redirects.
    pub client: reqwest::Client,
    /// The client's cookies.
    pub jar: Arc<Jar>,
    /// The server's identity service (to rotate keys, inspect settings).
    pub auth: Arc<AuthService>,
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
        .merge(Serialized::default("storage.url", "memory://"))
        .merge(Serialized::default("auth.master_key", TEST_MASTER_KEY))
        .merge(Serialized::default(
            "security.rate_limit_per_minute",
            100_000,
        ))
        .merge(Serialized::default(
            "security.auth_rate_limit_per_minute",
            100_000,
        ))
        .merge(Serialized::default(
            "auth.account_attempts_per_minute",
            100_000,
        ));
    for (key, value) in overrides {
        figment = figment.merge(Serialized::default(key, value.clone()));
    }
    Settings::from_figment(figment).expect("test settings")
}

/// A pool of the application role on the same database as the owner's pool.
pub fn app_pool(owner: &PgPool) -> PgPool {
    let options = owner
        .connect_options()
        .as_ref()
        .clone()
        .username("unified_app");
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

/// A client with its own cookie jar, not following redirects.
pub fn new_client() -> (reqwest::Client, Arc<Jar>) {
    let jar = Arc::new(Jar::default());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("unified-platform-tests/1.0")
        .cookie_provider(jar.clone())
        .build()
        .expect("http client");
    (client, jar)
}

/// Demo logins (see `server::demo`).
pub const CEO: &str = "ceo@hmf.ch";
/// Staff of HYPERVISUAL and DAINAMICS.
pub const STAFF: &str = "accountant@hmf.ch";
/// Client user of Helvetia Events SA (HYPERVISUAL).
pub const CLIENT: &str = "client@helvetia-events.ch";
/// Provider user of LumiTech (HYPERVISUAL).
pub const PROVIDER: &str = "provider@lumitech.ch";
/// Reseller user of Romandie Partners (HYPERVISUAL).
pub const RESELLER: &str = "reseller@romandie-partners.ch";
/// The demo password.
pub const PASSWORD: &str = server::demo::DEMO_PASSWORD;

/// The CEO's TOTP code for the step `offset` steps from now.
pub fn ceo_code(offset: i64) -> String {
    let secret = server::demo::base32_decode(server::demo::DEMO_CEO_TOTP_BASE32).expect("secret");
    let step = (app::auth::ssr::totp::current_step() as i64 + offset) as u64;
    app::auth::ssr::totp::code_at_step(&secret, step).expect("code")
}

/// A transaction on the owner's pool in the system context (to inspect identity tables).
pub async fn system_tx(owner: &PgPool) -> sqlx::Transaction<'static, sqlx::Postgres> {
    begin(owner, &Scope::system())
        .await
        .expect("system transaction")
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
    pub async fn spawn_on(
        owner: PgPool,
        pool: PgPool,
        overrides: &[(&str, serde_json::Value)],
    ) -> TestApp {
        server::telemetry::init(
            server::config::LogFormat::Pretty,
            "warn,sqlx=error,tower_http=error",
        );
        let settings = test_settings(overrides);
        let app = Application::build_with_pool(&settings, pool.clone())
            .await
            .expect("application builds");
        let address = app.local_addr().expect("bound address");
        let auth = app.auth();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        let (client, jar) = new_client();
        TestApp {
            address,
            client,
            jar,
            auth,
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

    /// GET `path` as a browser navigation does (`Accept: text/html`).
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
            .send()
            .await
            .expect("GET")
    }

    /// The origin of this server, for the `Origin` header of state-changing requests.
    pub fn origin(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Another browser on the same server: its own cookies, nothing shared but the server.
    pub fn new_session(&self) -> TestApp {
        let (client, jar) = new_client();
        TestApp {
            address: self.address,
            client,
            jar,
            auth: self.auth.clone(),
            pool: self.pool.clone(),
            owner: self.owner.clone(),
            stop: None,
            server: None,
        }
    }

    /// The value of cookie `name` in this app's client jar.
    pub fn cookie(&self, name: &str) -> Option<String> {
        cookie_in(&self.jar, &self.url("/"), name)
    }

    /// Signs in with a password through the server function (first step only).
    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form(
            "/api/auth/login",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// Signs in completely, with the CEO's TOTP code at step `offset` when asked for one.
    pub async fn sign_in(&self, email: &str, totp_offset: i64) -> serde_json::Value {
        let first = self.login(email, PASSWORD).await;
        assert_eq!(first.status(), 200, "sign-in of {email}");
        let body: serde_json::Value = first.json().await.expect("json");
        if body == serde_json::json!("SecondFactor") {
            let code = ceo_code(totp_offset);
            let second = self
                .post_form("/api/auth/second_factor", &[("code", code.as_str())])
                .await;
            assert_eq!(second.status(), 200, "second factor of {email}");
            return second.json().await.expect("json");
        }
        body
    }

    /// `whoami` as seen with exactly this `Cookie` header (no jar).
    pub async fn whoami_with_cookie(
        &self,
        cookie: &str,
    ) -> (reqwest::StatusCode, serde_json::Value, Vec<String>) {
        let response = reqwest::Client::new()
            .post(self.url("/api/auth/whoami"))
            .header("origin", self.origin())
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .send()
            .await
            .expect("whoami");
        let status = response.status();
        let set_cookies = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap_or_default().to_owned())
            .collect();
        (
            status,
            response.json().await.unwrap_or_default(),
            set_cookies,
        )
    }

    /// `whoami` with this app's client (and jar).
    pub async fn whoami(&self) -> serde_json::Value {
        self.post_form("/api/auth/whoami", &[])
            .await
            .json()
            .await
            .expect("json")
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

/// The value of cookie `name` for `url` in `jar`.
pub fn cookie_in(jar: &Jar, url: &str, name: &str) -> Option<String> {
    let url = url.parse().ok()?;
    let header = jar.cookies(&url)?;
    header
        .to_str()
        .ok()?
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
}

/// The emails of `kind` in the outbox as the mail sender would send them — sealed links opened
/// with the test master key — oldest first: `(to, subject, body)`. Also checks that no row
/// holds a password link in clear.
pub async fn sent_mail(owner: &PgPool, kind: &str) -> Vec<(String, String, String)> {
    let secrets = SecretBox::from_base64(TEST_MASTER_KEY).expect("test key");
    let mut tx = system_tx(owner).await;
    let rows: Vec<(String, String, String, Option<Vec<u8>>)> = sqlx::query_as(
        "SELECT to_address, subject, body_text, secret_link FROM email_outbox WHERE kind = $1 ORDER BY created_at",
    )
    .bind(kind)
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    rows.into_iter()
        .map(|(to, subject, body, sealed)| {
            assert!(
                !body.contains("token="),
                "a link granting access is never stored in clear: {body}"
            );
            let body = app::billing::ssr::email::reveal(&body, sealed.as_deref(), &secrets)
                .expect("the seal opens with the server's key");
            (to, subject, body)
        })
        .collect()
}

/// The token of the last password link (reset or invitation) sent to `to`.
pub async fn link_token(owner: &PgPool, kind: &str, to: &str) -> String {
    let mail = sent_mail(owner, kind)
        .await
        .into_iter()
        .rev()
        .find(|(address, ..)| address == to)
        .unwrap_or_else(|| panic!("no {kind} email to {to}"));
    mail.2
        .split("token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a link with a token")
        .to_owned()
}

/// How many audit entries of `event` there are.
pub async fn audit_events(owner: &PgPool, event: &str) -> i64 {
    let mut tx = system_tx(owner).await;
    let n = sqlx::query_scalar::<_, i64>("SELECT count(*) FROM audit_log WHERE event = $1")
        .bind(event)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    n
}
