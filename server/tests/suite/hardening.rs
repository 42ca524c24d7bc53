//! What an outside attack run found, each kept out by a test: malformed input answered 4xx by
//! every server function, one body limit, tokens that die with a reset or "sign out
//! everywhere", a sign-in throttle per address and network with an unlock link, a single-use
//! second step, the reseller's lead search, and bounded fuzzing of the server functions.

use crate::common::*;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};
use sqlx::PgPool;

/// Every registered server function, as `/api/...` paths.
fn server_functions() -> Vec<String> {
    let mut paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    paths.sort();
    paths
}

/// Sends `body` with `content_type` to `path` in `session`; the status.
async fn send(session: &TestApp, path: &str, content_type: &str, body: Vec<u8>) -> u16 {
    session
        .client
        .post(session.url(path))
        .header("origin", session.origin())
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

/// Bodies a client can send that no server function can understand.
fn malformed() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    vec![
        ("unreadable JSON", JSON, b"{\"input\": {\"broken".to_vec()),
        (
            "JSON of the wrong shape",
            JSON,
            b"{\"input\": 12, \"id\": [true]}".to_vec(),
        ),
        ("JSON, not an object", JSON, b"[1, 2, 3]".to_vec()),
        (
            "invalid UTF-8 in a form",
            FORM,
            vec![b'i', b'd', b'=', 0xff, 0xfe, b'&', 0xc3],
        ),
        (
            "NUL bytes in every usual field",
            FORM,
            b"id=%00&search=%00&email=%00&token=%00&code=%00&q=%00&locale=%00&company=%00".to_vec(),
        ),
        ("a form that is not one", FORM, b"%%%=&&==%zz".to_vec()),
        (
            "a huge number",
            FORM,
            format!("id={}", "9".repeat(4000)).into_bytes(),
        ),
        (
            "an unknown content type",
            "application/x-unknown",
            b"\x00\x01\x02".to_vec(),
        ),
    ]
}

#[sqlx::test(migrations = "../migrations")]
async fn every_server_function_answers_malformed_input_with_4xx(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let paths = server_functions();
    assert!(
        paths.len() >= 80,
        "{} server functions registered",
        paths.len()
    );
    let anonymous = app.new_session();
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    let mut refused = 0;
    let mut failures = Vec::new();
    for (who, session) in [
        ("anonymous", &anonymous),
        ("client", &client),
        ("ceo", &ceo),
    ] {
        for path in &paths {
            // Signing out would end the session this loop is testing with.
            if who != "anonymous" && path.contains("logout") {
                continue;
            }
            for (what, content_type, body) in malformed() {
                let status = send(session, path, content_type, body).await;
                if status >= 500 {
                    failures.push(format!("{who} {path} {what}: {status}"));
                }
                if (400..500).contains(&status) {
                    refused += 1;
                }
            }
        }
        assert!(
            session.whoami().await != Value::Null || who == "anonymous",
            "{who} still signed in"
        );
    }
    assert!(
        failures.is_empty(),
        "5xx for client input:\n{}",
        failures.join("\n")
    );
    assert!(
        refused > paths.len() * 8,
        "most malformed bodies are refused: {refused}"
    );

    // The cursor and search of a list, tampered.
    for query in [
        json!({ "after": "not-a-cursor" }),
        json!({ "after": "zz.00000000-0000-0000-0000-000000000000" }),
        json!({ "before": "6162.not-a-uuid" }),
        json!({ "q": "a\u{0}b" }),
        json!({ "q": "x".repeat(1000) }),
        json!({ "sort": "'; DROP TABLE invoices; --" }),
        json!({ "from": "2026-02-30" }),
        json!({ "min": "1e400" }),
    ] {
        let response = ceo
            .post_json(
                "/api/lists/rows",
                &json!({ "kind": "Invoices", "query": query }),
            )
            .await;
        let status = response.status().as_u16();
        assert!((400..500).contains(&status), "{query}: {status}");
    }
    // Text that is not ASCII where an IBAN is expected (found by the property tests: byte
    // slicing inside a character used to panic).
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let account = ceo
        .post_json(
            "/api/admin/save_account",
            &json!({ "account": { "id": null, "company_id": hv, "name": "x", "iban": "AAઠ1234567890123456",
                                  "qr_iban": "RFૠ", "currency": "CHF", "receives_invoices": false } }),
        )
        .await;
    assert_eq!(account.status(), 422);
    let csv = ceo.get("/exports/invoices.csv?after=garbage").await;
    assert!((400..500).contains(&csv.status().as_u16()));
}

#[sqlx::test(migrations = "../migrations")]
async fn fuzzed_inputs_to_the_server_functions_never_answer_5xx(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let paths: Vec<String> = server_functions()
        .into_iter()
        .filter(|p| !p.contains("logout"))
        .collect();
    // Generated, not shrunk: a bounded number of random bodies per run (seeded, reproducible).
    let field = proptest::sample::select(vec![
        "id",
        "input",
        "search",
        "email",
        "code",
        "token",
        "amount",
        "company_id",
        "q",
        "next",
        "locale",
        "active",
        "page",
        "reason",
        "currency",
        "party_id",
    ]);
    let value = proptest::prop_oneof![
        proptest::string::string_regex("[\\PC\\x00-\\x1f%&=+]{0,40}").unwrap(),
        proptest::num::i64::ANY.prop_map(|n| n.to_string()),
        proptest::sample::select(vec![
            "00000000-0000-0000-0000-000000000000".to_owned(),
            "-1".to_owned(),
            "1e309".to_owned(),
            "true".to_owned(),
            "null".to_owned(),
            "2026-13-45".to_owned(),
        ]),
    ];
    let form = proptest::collection::vec((field, value), 0..6);
    let json_value = proptest::arbitrary::any::<i64>()
        .prop_map(Value::from)
        .boxed()
        .prop_recursive(3, 24, 4, |inner| {
            proptest::prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::hash_map("[a-z_]{1,10}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
                "[\\PC]{0,20}".prop_map(Value::String),
            ]
        });
    let case = (
        proptest::sample::select(paths),
        form,
        json_value,
        proptest::bool::ANY,
    );
    let mut runner = TestRunner::new(Config {
        cases: 400,
        rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
        ..Config::default()
    });
    let mut failures = Vec::new();
    for _ in 0..400 {
        let (path, form, json_body, as_json) = case.new_tree(&mut runner).unwrap().current();
        let (content_type, body) = if as_json {
            (JSON, serde_json::to_vec(&json_body).unwrap())
        } else {
            let encoded: String = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form.iter().map(|(k, v)| (*k, v.as_str())))
                .finish();
            (FORM, encoded.into_bytes())
        };
        let status = send(&ceo, &path, content_type, body.clone()).await;
        if status >= 500 {
            failures.push(format!(
                "{path} {}: {status}",
                String::from_utf8_lossy(&body)
            ));
        }
    }
    assert!(failures.is_empty(), "5xx:\n{}", failures.join("\n"));
}

#[sqlx::test(migrations = "../migrations")]
async fn one_body_limit_applies_everywhere_and_answers_413(owner: PgPool) {
    load_demo(&owner).await;
    let limit = 64 * 1024;
    let app =
        TestApp::spawn_with(owner.clone(), &[("server.body_limit_bytes", limit.into())]).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let big = |n: usize| format!("{{\"input\": \"{}\"}}", "x".repeat(n)).into_bytes();
    assert_eq!(
        send(&ceo, "/api/invoices/create", JSON, big(2 * limit)).await,
        413
    );
    assert_ne!(
        send(&ceo, "/api/invoices/create", JSON, big(limit / 2)).await,
        413
    );
    // Without a length announced (chunked), the limit still holds.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..32).map(|_| Ok(vec![b'x'; 8 * 1024])).collect();
    let chunked = ceo
        .client
        .post(ceo.url("/api/invoices/create"))
        .header("origin", ceo.origin())
        .header("content-type", JSON)
        .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
        .send()
        .await
        .unwrap();
    assert_eq!(chunked.status(), 413);
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let logo = ceo
        .client
        .put(ceo.url(&format!("/settings/companies/{hv}/logo")))
        .header("origin", ceo.origin())
        .header("content-type", "image/png")
        .body(vec![0u8; 2 * limit])
        .send()
        .await
        .unwrap();
    assert_eq!(logo.status(), 413, "plain routes share the limit");
    app.shutdown().await;

    // With the default limit (10 MiB), a 3 MiB body reaches the server function (which refuses
    // its content), not a hidden 2 MiB limit.
    let app = TestApp::spawn(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 1).await; // the current step's code was used above
    let status = send(&ceo, "/api/invoices/create", JSON, big(3 * 1024 * 1024)).await;
    assert!((400..500).contains(&status) && status != 413, "{status}");
    let logo = ceo
        .client
        .put(ceo.url(&format!("/settings/companies/{hv}/logo")))
        .header("origin", ceo.origin())
        .header("content-type", "image/png")
        .body(vec![0u8; 3 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(logo.status(), 422, "the logo's own limit answers by field");
    assert_eq!(
        logo.json::<Value>().await.unwrap()["Validation"][0]["problem"],
        "TooLarge"
    );
}

async fn api_token(session: &TestApp) -> String {
    let me = session.whoami().await;
    let company = me["companies"][0]["id"].clone();
    call_json(
        session,
        "/api/account/create_api_token",
        &json!({ "request": { "name": "script", "permissions": ["companies.read"], "companies": [company], "days": 30 } }),
    )
    .await["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn token_works(app: &TestApp, token: &str) -> bool {
    reqwest::Client::new()
        .post(app.url("/api/lists/rows"))
        .bearer_auth(token)
        .json(&json!({ "kind": "Parties", "query": {} }))
        .send()
        .await
        .unwrap()
        .status()
        == 200
}

#[sqlx::test(migrations = "../migrations")]
async fn api_tokens_die_with_a_password_reset_and_with_sign_out_everywhere(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    let kept = api_token(&staff).await;
    let revoked = api_token(&staff).await;
    assert!(token_works(&app, &revoked).await);

    // "Sign out everywhere" ends the sessions and the tokens.
    call(&staff, "/api/auth/logout_everywhere", &[]).await;
    assert!(!token_works(&app, &revoked).await);
    assert!(!token_works(&app, &kept).await);

    // A password reset too.
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    let token = api_token(&staff).await;
    assert!(token_works(&app, &token).await);
    app.new_session()
        .post_form("/api/auth/forgot", &[("email", STAFF)])
        .await;
    let link = link_token(&app.owner, "password_reset", STAFF).await;
    call(
        &app.new_session(),
        "/api/auth/reset",
        &[
            ("token", &link),
            ("new_password", "a brand new password"),
            ("confirm_password", "a brand new password"),
        ],
    )
    .await;
    assert!(
        !token_works(&app, &token).await,
        "a reset revokes the tokens"
    );
    let mut tx = system_tx(&app.owner).await;
    let live: i64 = sqlx::query_scalar("SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(live, 0);
}

/// A password sign-in from `ip` (the app trusts `X-Forwarded-For` in this test).
async fn login_from(app: &TestApp, ip: &str, email: &str, password: &str) -> u16 {
    app.client
        .post(app.url("/api/auth/login"))
        .header("origin", app.origin())
        .header("x-forwarded-for", ip)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[sqlx::test(migrations = "../migrations")]
async fn failures_from_one_network_do_not_lock_the_account_elsewhere_and_a_link_unlocks_it(
    owner: PgPool,
) {
    load_demo(&owner).await;
    let app = TestApp::spawn_with(owner, &[("security.trust_forwarded_for", true.into())]).await;
    let attacker = "203.0.113.9";
    for _ in 0..5 {
        assert_eq!(
            login_from(&app, attacker, CLIENT, "wrong password!!").await,
            401
        );
    }
    assert_eq!(
        login_from(&app, attacker, CLIENT, PASSWORD).await,
        429,
        "locked for the attacker's network"
    );
    assert_eq!(
        login_from(&app.new_session(), "198.51.100.7", CLIENT, PASSWORD).await,
        200,
        "the owner signs in from elsewhere"
    );

    // Same network (an office behind one address): the owner asks for an unlock link.
    for _ in 0..5 {
        login_from(&app, attacker, CLIENT, "wrong password!!").await;
    }
    assert_eq!(login_from(&app, attacker, CLIENT, PASSWORD).await, 429);
    let page = app.get("/unlock").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("field-email"));
    call(
        &app.new_session(),
        "/api/auth/request_unlock",
        &[("email", CLIENT)],
    )
    .await;
    call(
        &app.new_session(),
        "/api/auth/request_unlock",
        &[("email", "nobody@example.ch")],
    )
    .await;
    let mails = sent_mail(&app.owner, "account_unlock").await;
    assert_eq!(mails.len(), 1, "only a real account gets a link");
    let token = link_token(&app.owner, "account_unlock", CLIENT).await;
    let bogus = app
        .new_session()
        .post_form("/api/auth/unlock", &[("token", "bogus")])
        .await;
    assert_eq!(bogus.status(), 422);
    call(&app.new_session(), "/api/auth/unlock", &[("token", &token)]).await;
    assert_eq!(
        login_from(&app.new_session(), attacker, CLIENT, PASSWORD).await,
        200
    );
    let again = app
        .new_session()
        .post_form("/api/auth/unlock", &[("token", token.as_str())])
        .await;
    assert_eq!(again.status(), 422, "single use");
    assert_eq!(audit_events(&app.owner, "auth.unlocked").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_second_step_cookie_works_once(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let first = app.new_session();
    assert_eq!(
        first
            .login(CEO, PASSWORD)
            .await
            .json::<Value>()
            .await
            .unwrap(),
        "SecondFactor"
    );
    let pending = first.cookie("up_mfa").expect("the second-step cookie");
    let code = ceo_code(0);
    call(
        &first,
        "/api/auth/second_factor",
        &[("code", code.as_str())],
    )
    .await;

    // The same cookie, replayed with a fresh valid code, signs nobody in.
    let replay = app.new_session();
    let response = replay
        .client
        .post(replay.url("/api/auth/second_factor"))
        .header("origin", replay.origin())
        .header("cookie", format!("up_mfa={pending}"))
        .form(&[("code", ceo_code(1))])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(response
        .headers()
        .get_all("set-cookie")
        .iter()
        .all(|c| !c.to_str().unwrap().starts_with("up_at=")));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_reseller_finds_their_own_leads_by_search(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let romandie = party_id(&app.owner, "Romandie Partners SA").await;
    for (title, reseller) in [
        ("Salon Fribourg 2027", Some(romandie)),
        ("Salon Fribourg interne", None),
    ] {
        call_json(
            &ceo,
            "/api/crm/save_lead",
            &json!({ "id": null, "input": {
                "company_id": hv, "title": title, "organisation": "Expo Fribourg SA",
                "contact_name": "Luc Python", "email": "", "phone": "", "source": "Reseller",
                "status": "New", "score": "", "estimated_value": "", "currency": "CHF",
                "reseller_party_id": reseller, "notes": "" }}),
        )
        .await;
    }
    let reseller = app.new_session();
    reseller.sign_in(RESELLER, 0).await;
    let found = call_json(
        &reseller,
        "/api/lists/rows",
        &json!({ "kind": "Leads", "query": { "q": "Fribourg" } }),
    )
    .await;
    let text = found["rows"].to_string();
    assert!(text.contains("Salon Fribourg 2027"), "{found}");
    assert!(
        !text.contains("interne"),
        "only the reseller's own leads: {found}"
    );
}
