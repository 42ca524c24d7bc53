//! Single sign-on against a real OpenID Provider (the `oidc-provider` npm package, run locally).

use std::process::Stdio;
use std::time::Duration;

use crate::common::*;
use app::auth::ssr::oidc::{SsoClient, SsoError};
use app::auth::ssr::settings::SsoSettings;
use serde_json::{json, Value};
use sqlx::PgPool;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const CLIENT_ID: &str = "unified-platform";
const CLIENT_SECRET: &str = "test-client-secret";

/// The OpenID Provider, running for the duration of a test.
struct Provider {
    issuer: String,
    _child: Child,
}

async fn provider() -> Provider {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end/oidc/provider.mjs");
    let mut child = Command::new("node")
        .arg(script)
        .env("PORT", "0")
        .env("CLIENT_ID", CLIENT_ID)
        .env("CLIENT_SECRET", CLIENT_SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs the OpenID Provider (npm ci in end2end/)");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let issuer = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(issuer) = line.strip_prefix("issuer ") {
                return issuer.to_owned();
            }
        }
        panic!("provider exited");
    })
    .await
    .expect("provider starts");
    // Keep reading: the provider logs notices later, and a closed pipe would kill it.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Provider {
        issuer,
        _child: child,
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn app_with_sso(owner: PgPool, provider: &Provider) -> TestApp {
    load_demo(&owner).await;
    let port = free_port();
    TestApp::spawn_with(
        owner,
        &[
            ("server.port", port.into()),
            (
                "server.public_url",
                format!("http://127.0.0.1:{port}").into(),
            ),
            (
                "auth.sso",
                json!({
                    "issuer_url": provider.issuer,
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "display_name": "HMF ID",
                }),
            ),
        ],
    )
    .await
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

fn absolute(base: &str, location: &str) -> String {
    if location.starts_with("http") {
        location.to_owned()
    } else {
        format!("{}{}", base.trim_end_matches('/'), location)
    }
}

/// Drives the provider's own login and consent pages as `login` until it sends the browser back
/// to `stop_at` (the callback); returns that callback URL.
async fn provider_login(
    client: &reqwest::Client,
    issuer: &str,
    start: &str,
    login: &str,
    stop_at: &str,
) -> String {
    let mut url = start.to_owned();
    for _ in 0..20 {
        if url.starts_with(stop_at) {
            return url;
        }
        let response = client.get(&url).send().await.unwrap();
        if response.status().is_redirection() {
            url = absolute(issuer, &location(&response));
            continue;
        }
        let html = response.text().await.unwrap();
        let action = html
            .split("action=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("a form on {url}: {html}"))
            .to_owned();
        let prompt = html
            .split("name=\"prompt\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or("consent")
            .to_owned();
        let mut form: Vec<(&str, &str)> = vec![("prompt", prompt.as_str())];
        if html.contains("name=\"login\"") {
            form.extend([("login", login), ("password", "any")]);
        }
        let posted = client
            .post(absolute(issuer, &action))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert!(
            posted.status().is_redirection(),
            "provider form post: {}",
            posted.status()
        );
        url = absolute(issuer, &location(&posted));
    }
    panic!("the provider never sent the browser back")
}

/// Starts SSO at the app, signs in at the provider, and returns the app's answer to the callback.
async fn sso_round_trip(
    app: &TestApp,
    provider: &Provider,
    login: &str,
    tamper: impl Fn(String) -> String,
) -> reqwest::Response {
    let start = app.get("/auth/sso/start?next=/client").await;
    assert_eq!(start.status(), 303);
    let authorize = location(&start);
    assert!(authorize.starts_with(&provider.issuer));
    assert!(
        authorize.contains("code_challenge_method=S256"),
        "PKCE S256: {authorize}"
    );
    assert!(authorize.contains("state=") && authorize.contains("nonce="));
    let callback = provider_login(
        &app.client,
        &provider.issuer,
        &authorize,
        login,
        &app.url("/auth/sso/callback"),
    )
    .await;
    app.client
        .get(tamper(callback))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn sso_signs_in_an_existing_user_by_verified_email(owner: PgPool) {
    let provider = provider().await;
    let app = app_with_sso(owner, &provider).await;
    let login_page = app.get("/login").await.text().await.unwrap();
    assert!(login_page.contains("HMF ID"), "the SSO button is offered");

    let done = sso_round_trip(&app, &provider, CLIENT, |u| u).await;
    assert_eq!(done.status(), 303);
    assert_eq!(location(&done), "/client");
    assert_eq!(app.whoami().await["email"], CLIENT);

    let mut tx = system_tx(&app.owner).await;
    let linked: (String, String) = sqlx::query_as("SELECT issuer, email FROM external_identities")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE event = 'auth.sso_linked'")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(linked, (provider.issuer.clone(), CLIENT.to_owned()));
    assert_eq!(audited, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn sso_still_asks_the_ceo_for_the_second_factor(owner: PgPool) {
    let provider = provider().await;
    let app = app_with_sso(owner, &provider).await;
    let done = sso_round_trip(&app, &provider, CEO, |u| u).await;
    assert_eq!(location(&done), "/login?next=/client");
    assert_eq!(app.whoami().await, Value::Null);
    let code = ceo_code(0);
    let second: Value = app
        .post_form("/api/auth/second_factor", &[("code", code.as_str())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second, json!({ "Done": "/ceo" }));
}

#[sqlx::test(migrations = "../migrations")]
async fn sso_refuses_unknown_and_unverified_addresses(owner: PgPool) {
    let provider = provider().await;
    let app = app_with_sso(owner, &provider).await;
    let unknown = sso_round_trip(&app, &provider, "stranger@example.ch", |u| u).await;
    assert_eq!(location(&unknown), "/login?error=sso");
    assert_eq!(app.whoami().await, Value::Null, "no account is created");

    let session = app.new_session();
    let unverified =
        sso_round_trip(&session, &provider, &format!("unverified-{CLIENT}"), |u| u).await;
    assert_eq!(location(&unverified), "/login?error=sso");
    assert_eq!(session.whoami().await, Value::Null);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_tampered_state_is_refused(owner: PgPool) {
    let provider = provider().await;
    let app = app_with_sso(owner, &provider).await;
    let tampered = sso_round_trip(&app, &provider, CLIENT, |url| {
        let (head, state) = url.split_once("state=").unwrap();
        let (value, tail) = state.split_once('&').unwrap_or((state, ""));
        let mut forged = value.to_owned();
        forged.replace_range(0..1, if value.starts_with('A') { "B" } else { "A" });
        format!("{head}state={forged}&{tail}")
    })
    .await;
    assert_eq!(location(&tampered), "/login?error=sso");
    assert_eq!(app.whoami().await, Value::Null);
    assert!(
        tampered
            .headers()
            .get_all("set-cookie")
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("up_at=")),
        "no session cookie"
    );
    let mut tx = system_tx(&app.owner).await;
    let refused: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE event = 'auth.sso_refused'")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(refused, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_callback_without_our_state_cookie_is_refused(owner: PgPool) {
    let provider = provider().await;
    let app = app_with_sso(owner, &provider).await;
    let start = app.get("/auth/sso/start").await;
    let callback = provider_login(
        &app.client,
        &provider.issuer,
        &location(&start),
        CLIENT,
        &app.url("/auth/sso/callback"),
    )
    .await;
    // Another browser (an attacker forwarding a code) has no state cookie.
    let stranger = app.new_session();
    let refused = stranger.client.get(callback).send().await.unwrap();
    assert_eq!(location(&refused), "/login?error=sso");
    assert_eq!(stranger.whoami().await, Value::Null);
}

/// A real ID token from the provider, obtained through our client, to check verification itself.
async fn real_id_token(provider: &Provider) -> (SsoClient, String, String) {
    let settings = SsoSettings {
        issuer_url: provider.issuer.clone(),
        client_id: CLIENT_ID.into(),
        client_secret: Some(CLIENT_SECRET.to_owned().into()),
        display_name: "HMF ID".into(),
    };
    let public = format!("http://127.0.0.1:{}", free_port());
    let sso = SsoClient::new(settings, &public).unwrap();
    let (url, kept) = sso.start("/").await.unwrap();
    let (browser, _) = new_client();
    let callback = provider_login(
        &browser,
        &provider.issuer,
        &url,
        CLIENT,
        &format!("{public}/auth/sso/callback"),
    )
    .await;
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(callback.split_once('?').unwrap().1.as_bytes())
            .into_owned()
            .collect();
    let get = |k: &str| query.iter().find(|(n, _)| n == k).unwrap().1.clone();

    let mut wrong_verifier = kept.clone();
    wrong_verifier.pkce_verifier = "x".repeat(64);
    assert!(
        matches!(
            sso.exchange(&wrong_verifier, &get("state"), &get("code"))
                .await,
            Err(SsoError::Exchange(_))
        ),
        "a code is useless without the PKCE verifier"
    );
    // The provider revokes a code once an exchange with it failed; start over for a good one.
    let (url, kept) = sso.start("/").await.unwrap();
    let callback = provider_login(
        &browser,
        &provider.issuer,
        &url,
        CLIENT,
        &format!("{public}/auth/sso/callback"),
    )
    .await;
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(callback.split_once('?').unwrap().1.as_bytes())
            .into_owned()
            .collect();
    let get = |k: &str| query.iter().find(|(n, _)| n == k).unwrap().1.clone();
    let tokens = sso
        .exchange(&kept, &get("state"), &get("code"))
        .await
        .unwrap();
    let identity = sso
        .identity(&tokens, &kept.nonce)
        .await
        .expect("the genuine tokens verify");
    assert_eq!(identity.email, CLIENT);
    assert_eq!(identity.issuer, provider.issuer);
    (sso, tokens.id_token, kept.nonce)
}

#[tokio::test]
async fn id_tokens_with_a_wrong_nonce_or_audience_are_refused() {
    let provider = provider().await;
    let (sso, raw, nonce) = real_id_token(&provider).await;
    let claims = sso
        .verify(&raw, &nonce)
        .await
        .expect("the genuine token verifies");
    assert_eq!(claims.issuer, provider.issuer);

    assert_eq!(
        sso.verify(&raw, "another-nonce").await,
        Err(SsoError::Nonce)
    );
    assert_eq!(
        sso.verify_for(&raw, &nonce, "another-client").await,
        Err(SsoError::Audience)
    );

    let mut parts: Vec<String> = raw.split('.').map(str::to_owned).collect();
    parts[2] = parts[2].chars().rev().collect();
    assert!(
        matches!(
            sso.verify(&parts.join("."), &nonce).await,
            Err(SsoError::IdToken(_))
        ),
        "bad signature"
    );
}
