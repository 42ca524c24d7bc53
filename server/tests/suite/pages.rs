//! The app shell over real HTTP: server-rendered pages, 404s, headers and the middleware stack.

use crate::common::*;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn landing_and_login_are_server_rendered(pool: PgPool) {
    let app = TestApp::spawn(pool).await;

    let landing = app.get("/").await;
    assert_eq!(landing.status(), 200);
    assert!(landing.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let cache = landing.headers()["cache-control"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cache.contains("no-cache"),
        "HTML must be revalidated: {cache}"
    );
    let html = landing.text().await.unwrap();
    assert!(html.contains("<title>Unified Platform</title>"), "{html}");
    assert!(html.contains("Run your five companies from one place"));
    assert!(html.contains(r#"<link rel="manifest" href="/manifest.webmanifest""#));
    for portal in ["/ceo", "/client", "/provider", "/reseller"] {
        assert!(
            html.contains(&format!(r#"href="{portal}""#)),
            "landing links {portal}"
        );
    }

    let login = app.get("/login").await;
    assert_eq!(login.status(), 200);
    let html = login.text().await.unwrap();
    assert!(
        html.contains("<title>Sign in · Unified Platform</title>"),
        "{html}"
    );
    assert!(html.contains(r#"<label for="field-email">"#) && html.contains(r#"id="field-email""#));
    assert!(
        html.contains(r#"<label for="field-password">"#) && html.contains(r#"id="field-password""#)
    );
    assert!(html.contains(r#"href="/forgot-password""#));
}

#[sqlx::test(migrations = "../migrations")]
async fn each_portal_root_has_its_layout(owner: PgPool) {
    load_demo(&owner).await;
    let app = TestApp::spawn(owner).await;
    for (email, path, slug, title) in [
        (CEO, "/ceo", "ceo", "CEO portal"),
        (CLIENT, "/client", "client", "Client portal"),
        (PROVIDER, "/provider", "provider", "Provider portal"),
        (RESELLER, "/reseller", "reseller", "Reseller portal"),
    ] {
        let session = app.new_session();
        session.sign_in(email, 0).await;
        let response = session.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains(&format!(r#"data-portal="{slug}""#)),
            "{path}: layout"
        );
        assert!(
            html.contains(&format!("<title>{title} · Unified Platform</title>")),
            "{path}: title"
        );
        assert!(
            html.contains(r#"aria-label="Main navigation""#),
            "{path}: navigation"
        );
        assert!(
            html.contains(r#"aria-label="User menu""#),
            "{path}: user menu"
        );
        assert_eq!(
            html.contains(r#"data-testid="company-switcher""#),
            slug == "ceo",
            "{path}: only the CEO layout has the company switcher"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_paths_render_the_404_page_with_status_404(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    for path in ["/no-such-page", "/ceo/no-such-page", "/client/a/b/c"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains(r#"data-testid="not-found""#),
            "{path}: {html}"
        );
        assert!(html.contains("<title>Page not found · Unified Platform</title>"));
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_follow_the_language_cookie_then_accept_language(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let german = app
        .client
        .get(app.url("/"))
        .header("accept-language", "de-CH,de;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(german.contains(r#"<html lang="de""#));
    assert!(german.contains("Führen Sie Ihre fünf Unternehmen von einem Ort aus"));

    // Choosing French through the server function sets the cookie for the next pages.
    let chosen = app
        .client
        .post(app.url("/api/set_locale"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("locale=fr")
        .send()
        .await
        .unwrap();
    assert_eq!(chosen.status(), 200);
    let cookie = chosen.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("lang=fr;") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let french = app
        .client
        .get(app.url("/login"))
        .header("accept-language", "de")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(french.contains(r#"<html lang="fr""#));
    assert!(french.contains("Connexion à Unified Platform"));
}

#[sqlx::test(migrations = "../migrations")]
async fn an_unsupported_language_is_a_field_error(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let response = app
        .client
        .post(app.url("/api/set_locale"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("locale=xx")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.headers().get("set-cookie").is_none());
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["Validation"][0]["field"], "locale", "{body}");
    assert_eq!(body["Validation"][0]["problem"], "Invalid", "{body}");

    let missing = app
        .client
        .post(app.url("/api/set_locale"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(
        missing.status(),
        400,
        "a missing argument is a bad request, not a 500"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn responses_carry_a_request_id_and_honour_a_given_one(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let generated = app.get("/healthz").await;
    let id = generated.headers()["x-request-id"].to_str().unwrap();
    assert!(
        uuid::Uuid::parse_str(id).is_ok(),
        "generated id is a UUID: {id}"
    );

    let given = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "trace-me-123");
}

#[sqlx::test(migrations = "../migrations")]
async fn html_is_compressed_when_the_client_accepts_it(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let response = app
        .client
        .get(app.url("/"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "br");
}

#[sqlx::test(migrations = "../migrations")]
async fn oversized_bodies_are_refused_with_413(pool: PgPool) {
    let app = TestApp::spawn_with(pool, &[("server.body_limit_bytes", 1024.into())]).await;
    let response = app
        .client
        .post(app.url("/api/set_locale"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("locale={}", "x".repeat(4096)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
}

#[sqlx::test(migrations = "../migrations")]
async fn static_public_files_are_served_with_cache_headers(pool: PgPool) {
    let site = std::env::temp_dir().join(format!("up-site-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(
        site.join("manifest.webmanifest"),
        r#"{"name":"Unified Platform"}"#,
    )
    .unwrap();
    std::fs::write(site.join("pkg/app.0123abcd.wasm"), b"\0asm").unwrap();
    let app = TestApp::spawn_with(
        pool,
        &[
            ("site.root", site.to_string_lossy().into_owned().into()),
            ("site.hash_files", true.into()),
        ],
    )
    .await;

    let manifest = app.get("/manifest.webmanifest").await;
    assert_eq!(manifest.status(), 200);
    assert_eq!(manifest.headers()["cache-control"], "no-cache");

    let asset = app.get("/pkg/app.0123abcd.wasm").await;
    assert_eq!(asset.status(), 200);
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );

    let missing = app.get("/pkg/missing.js").await;
    assert_eq!(missing.status(), 404);
    assert_ne!(
        missing.headers()["cache-control"],
        "public, max-age=31536000, immutable",
        "a 404 must never be cached forever"
    );
    let _ = std::fs::remove_dir_all(site);
}
