//! Sign-in, sessions, tokens and the second factor, over real HTTP against a real Postgres,
//! tested as an attacker would.

use crate::common::*;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn password_sign_in_sets_http_only_session_cookies(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let response = app.login(CLIENT, PASSWORD).await;
    assert_eq!(response.status(), 200);
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    for name in ["up_at=", "up_rt="] {
        let cookie = cookies.iter().find(|c| c.starts_with(name)).expect(name);
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(
            !cookie.contains("Secure"),
            "plain-http localhost: no Secure flag: {cookie}"
        );
    }
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({ "Done": "/client" }));

    let me = app.whoami().await;
    assert_eq!(me["email"], CLIENT);
    assert_eq!(me["role"], "Client");
    assert_eq!(me["companies"].as_array().unwrap().len(), 1);
    assert_eq!(audit_events(&app.owner, "auth.login_succeeded").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn cookies_are_secure_behind_https(owner: PgPool) {
    load_demo(&owner).await;
    let app = TestApp::spawn_with(
        owner,
        &[("server.public_url", "https://platform.hmf.ch".into())],
    )
    .await;
    let response = app.login(CLIENT, PASSWORD).await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.contains("; Secure"), "{cookie}");
    let page = app.get("/").await;
    assert_eq!(
        page.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_user_and_wrong_password_get_the_same_answer(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let wrong = app.login(CLIENT, "not the password at all").await;
    let unknown = app
        .login("nobody@example.ch", "not the password at all")
        .await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    assert!(wrong.headers().get("set-cookie").is_none());
    let (a, b) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert_eq!(a, b);
    assert_eq!(a, r#""InvalidCredentials""#);
    assert_eq!(app.whoami().await, Value::Null);
    assert_eq!(audit_events(&app.owner, "auth.login_failed").await, 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_in_fields_are_validated(owner: PgPool) {
    let app = TestApp::spawn(owner).await;
    let response = app.login("not-an-email", "x").await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["Validation"][0]["field"], "email");
    let response = app.login(CLIENT, "").await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["Validation"][0]["field"], "password");
}

#[sqlx::test(migrations = "../migrations")]
async fn repeated_failures_lock_the_address_progressively(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    for _ in 0..5 {
        assert_eq!(app.login(CLIENT, "wrong password!!").await.status(), 401);
    }
    // Locked now, even with the right password; the answer says when to retry.
    let locked = app.login(CLIENT, PASSWORD).await;
    assert_eq!(locked.status(), 429);
    let retry: u64 = locked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "first lock is a minute: {retry}");
    assert_eq!(audit_events(&app.owner, "auth.lockout").await, 1);
    // Unknown addresses lock the same way: the lock reveals nothing about which accounts exist.
    for _ in 0..5 {
        app.login("nobody@example.ch", "wrong password!!").await;
    }
    assert_eq!(app.login("nobody@example.ch", "x").await.status(), 429);

    // The next failure after the lock expires doubles it.
    let mut tx = system_tx(&app.owner).await;
    sqlx::query(
        "UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE email = $1",
    )
    .bind(CLIENT)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(app.login(CLIENT, "wrong again!!!!").await.status(), 401);
    let locked = app.login(CLIENT, PASSWORD).await;
    let retry: u64 = locked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (61..=120).contains(&retry),
        "second lock is two minutes: {retry}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_in_attempts_are_rate_limited_per_account(owner: PgPool) {
    load_demo(&owner).await;
    let app = TestApp::spawn_with(owner, &[("auth.account_attempts_per_minute", 3.into())]).await;
    for _ in 0..3 {
        assert_eq!(app.login(STAFF, PASSWORD).await.status(), 200);
    }
    let limited = app.login(STAFF, PASSWORD).await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    // Another account from the same address is not affected.
    assert_eq!(app.login(CLIENT, PASSWORD).await.status(), 200);
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_in_endpoints_are_rate_limited_per_address(owner: PgPool) {
    let app =
        TestApp::spawn_with(owner, &[("security.auth_rate_limit_per_minute", 3.into())]).await;
    for i in 0..3 {
        let email = format!("someone{i}@example.ch");
        assert_eq!(app.login(&email, "whatever-password").await.status(), 401);
    }
    let limited = app
        .login("someone-else@example.ch", "whatever-password")
        .await;
    assert_eq!(limited.status(), 429);
    assert!(
        limited.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    // Other pages still answer.
    assert_eq!(app.get("/").await.status(), 200);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_general_rate_limit_answers_429_with_retry_after(owner: PgPool) {
    let app = TestApp::spawn_with(owner, &[("security.rate_limit_per_minute", 5.into())]).await;
    for _ in 0..5 {
        assert_eq!(app.get("/").await.status(), 200);
    }
    let limited = app.get("/login").await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    // Probes and static assets are not counted.
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_ceo_must_give_a_totp_code(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let first = app.login(CEO, PASSWORD).await;
    assert_eq!(first.status(), 200);
    let cookies: Vec<_> = first.headers().get_all("set-cookie").iter().collect();
    assert!(
        cookies
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("up_at=")),
        "no session yet"
    );
    assert_eq!(first.json::<Value>().await.unwrap(), json!("SecondFactor"));
    assert_eq!(
        app.whoami().await,
        Value::Null,
        "a password alone is not a session"
    );
    assert_eq!(
        app.get("/ceo").await.status(),
        302,
        "nor does it open the portal"
    );

    let current = ceo_code(0);
    let wrong = if current == "000000" {
        "111111"
    } else {
        "000000"
    };
    let refused = app
        .post_form("/api/auth/second_factor", &[("code", wrong)])
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        refused.json::<Value>().await.unwrap()["Validation"][0]["field"],
        "code"
    );

    let accepted = app
        .post_form("/api/auth/second_factor", &[("code", current.as_str())])
        .await;
    assert_eq!(accepted.status(), 200);
    assert_eq!(
        accepted.json::<Value>().await.unwrap(),
        json!({ "Done": "/ceo" })
    );
    assert_eq!(app.whoami().await["role"], "Ceo");
    assert_eq!(app.whoami().await["companies"].as_array().unwrap().len(), 5);

    // The same code, replayed within its 30-second window in a new sign-in, is refused.
    let (other, _) = new_client();
    let again = other
        .post(app.url("/api/auth/login"))
        .header("origin", app.origin())
        .form(&[("email", CEO), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(again.json::<Value>().await.unwrap(), json!("SecondFactor"));
    let replay = other
        .post(app.url("/api/auth/second_factor"))
        .header("origin", app.origin())
        .form(&[("code", current.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 422, "replayed code refused");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_recovery_code_works_exactly_once(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    app.sign_in(CEO, 0).await;
    let code = ceo_code(1);
    let regenerated = app
        .post_form("/api/account/recovery_codes", &[("code", code.as_str())])
        .await;
    assert_eq!(regenerated.status(), 200);
    let codes: Vec<String> = regenerated.json().await.unwrap();
    assert_eq!(codes.len(), 10);

    for (attempt, expected) in [(1, 200), (2, 422)] {
        let (client, _) = new_client();
        let first = client
            .post(app.url("/api/auth/login"))
            .header("origin", app.origin())
            .form(&[("email", CEO), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(first.status(), 200);
        let second = client
            .post(app.url("/api/auth/second_factor"))
            .header("origin", app.origin())
            .form(&[("code", codes[0].to_uppercase().as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(second.status(), expected, "recovery attempt {attempt}");
    }
    assert_eq!(audit_events(&app.owner, "auth.recovery_code_used").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn tokens_that_are_forged_expired_unsigned_or_of_an_unknown_key_are_refused(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    app.sign_in(CLIENT, 0).await;
    let genuine = app.cookie("up_at").expect("access token");
    let (status, me, _) = app.whoami_with_cookie(&format!("up_at={genuine}")).await;
    assert_eq!(
        (status.as_u16(), me["email"].as_str()),
        (200, Some(CLIENT)),
        "the genuine token works alone"
    );

    let parts: Vec<&str> = genuine.split('.').collect();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let kid = header["kid"].as_str().unwrap().to_owned();
    let b64 = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());

    // 1. Claims changed (another user id), original signature kept.
    let mut tampered = claims.clone();
    tampered["sub"] = json!(uuid::Uuid::new_v4());
    let forged = format!("{}.{}.{}", parts[0], b64(&tampered), parts[2]);
    // 2. alg=none, no signature.
    let none = format!(
        "{}.{}.",
        b64(&json!({ "alg": "none", "typ": "JWT", "kid": kid })),
        parts[1]
    );
    // 3. Signed by a key of our own making under the server's kid.
    let mut seed = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    seed.extend_from_slice(&[42u8; 32]);
    let mut attacker_header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA);
    attacker_header.kid = Some(kid.clone());
    let self_signed = jsonwebtoken::encode(
        &attacker_header,
        &claims,
        &jsonwebtoken::EncodingKey::from_ed_der(&seed),
    )
    .unwrap();
    // 4. HS256 with the public key as secret (algorithm confusion).
    let mut hs_header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    hs_header.kid = Some(kid.clone());
    let confused = jsonwebtoken::encode(
        &hs_header,
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(b"public"),
    )
    .unwrap();
    // 5. Genuine signature but an unknown kid.
    let wrong_kid = format!(
        "{}.{}.{}",
        b64(&json!({ "alg": "EdDSA", "typ": "JWT", "kid": "no-such-key" })),
        parts[1],
        parts[2]
    );
    // 6. Genuine key, expired a minute ago.
    let secrets = app::auth::ssr::crypto::SecretBox::from_base64(TEST_MASTER_KEY).unwrap();
    let ring = app::auth::ssr::keys::KeyRing::new(
        secrets,
        time::Duration::seconds(-60),
        time::Duration::days(30),
    );
    ring.refresh(&app.pool).await.unwrap();
    let sub: uuid::Uuid = claims["sub"].as_str().unwrap().parse().unwrap();
    let sid: uuid::Uuid = claims["sid"].as_str().unwrap().parse().unwrap();
    let (expired, _) = ring.issue(sub, sid).unwrap();

    for (what, token) in [
        ("tampered claims", forged),
        ("alg=none", none),
        ("attacker's key", self_signed),
        ("HS256 confusion", confused),
        ("unknown kid", wrong_kid),
        ("expired", expired),
    ] {
        let (status, me, _) = app.whoami_with_cookie(&format!("up_at={token}")).await;
        assert_eq!(status, 200, "{what}");
        assert_eq!(me, Value::Null, "{what} must not authenticate");
        let portal = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .get(app.url("/client"))
            .header("accept", "text/html")
            .header("cookie", format!("up_at={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(portal.status(), 302, "{what}: portal redirects to sign-in");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn rotating_the_signing_key_keeps_sessions_alive(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    app.sign_in(STAFF, 0).await;
    let before = app.cookie("up_at").unwrap();
    let old_kids = app.auth.keys.kids();

    let new_kid = app.auth.keys.rotate(&app.pool).await.unwrap();
    assert!(!old_kids.contains(&new_kid));
    let jwks: Value = app
        .get("/.well-known/jwks.json")
        .await
        .json()
        .await
        .unwrap();
    let published: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert!(
        published.len() >= 2,
        "old and new keys both published: {published:?}"
    );
    assert!(published.contains(&new_kid.as_str()));
    assert!(
        jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k.get("d").is_none()),
        "no private parts"
    );

    let (_, me, _) = app.whoami_with_cookie(&format!("up_at={before}")).await;
    assert_eq!(
        me["email"], STAFF,
        "a token of the previous key still verifies"
    );

    let (fresh, _) = new_client();
    let response = fresh
        .post(app.url("/api/auth/login"))
        .header("origin", app.origin())
        .form(&[("email", STAFF), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let token = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .find_map(|c| {
            c.to_str()
                .unwrap()
                .strip_prefix("up_at=")
                .map(|v| v.split(';').next().unwrap().to_owned())
        })
        .unwrap();
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["kid"], new_kid, "new tokens use the new key");
    assert_eq!(header["alg"], "EdDSA");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refresh_token_rotates_and_its_reuse_revokes_the_whole_family(owner: PgPool) {
    load_demo(&owner).await;
    let app = TestApp::spawn_with(owner, &[("auth.refresh_reuse_grace_secs", 0.into())]).await;
    app.sign_in(CLIENT, 0).await;
    let first = app.cookie("up_rt").unwrap();

    // Access token gone (expired): the refresh token alone restores the session, rotating.
    let (_, me, set) = app.whoami_with_cookie(&format!("up_rt={first}")).await;
    assert_eq!(me["email"], CLIENT);
    let second = set
        .iter()
        .find_map(|c| {
            c.strip_prefix("up_rt=")
                .map(|v| v.split(';').next().unwrap().to_owned())
        })
        .expect("a new refresh token");
    assert_ne!(second, first);
    assert!(
        set.iter().any(|c| c.starts_with("up_at=")),
        "and a new access token"
    );

    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    // The old one comes back: theft. The session dies, including the thief's successor.
    let (_, me, set) = app.whoami_with_cookie(&format!("up_rt={first}")).await;
    assert_eq!(me, Value::Null);
    assert!(
        set.iter().any(|c| c.starts_with("up_rt=;")),
        "cookies cleared"
    );
    let (_, me, _) = app.whoami_with_cookie(&format!("up_rt={second}")).await;
    assert_eq!(me, Value::Null, "the rotated successor is revoked too");
    assert_eq!(
        app.whoami().await,
        Value::Null,
        "and so is the session's access token"
    );
    assert_eq!(audit_events(&app.owner, "auth.refresh_reuse").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn parallel_refreshes_within_the_grace_period_do_not_sign_out(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    app.sign_in(CLIENT, 0).await;
    let token = app.cookie("up_rt").unwrap();
    let cookie = format!("up_rt={token}");
    let (a, b) = tokio::join!(
        app.whoami_with_cookie(&cookie),
        app.whoami_with_cookie(&cookie)
    );
    assert_eq!(a.1["email"], CLIENT);
    assert_eq!(b.1["email"], CLIENT);
    assert_eq!(audit_events(&app.owner, "auth.refresh_reuse").await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn logout_revokes_the_session_at_once(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    app.sign_in(PROVIDER, 0).await;
    let access = app.cookie("up_at").unwrap();
    let refresh = app.cookie("up_rt").unwrap();
    let out = app.post_form("/api/auth/logout", &[]).await;
    assert_eq!(out.status(), 200);
    assert!(out
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("up_at=;")));
    let (_, me, _) = app.whoami_with_cookie(&format!("up_at={access}")).await;
    assert_eq!(me, Value::Null, "the access token dies with its session");
    let (_, me, _) = app.whoami_with_cookie(&format!("up_rt={refresh}")).await;
    assert_eq!(me, Value::Null, "and so does the refresh token");
    assert_eq!(audit_events(&app.owner, "auth.logout").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn logout_everywhere_ends_every_session(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    app.sign_in(RESELLER, 0).await;
    let (other, other_jar) = new_client();
    other
        .post(app.url("/api/auth/login"))
        .header("origin", app.origin())
        .form(&[("email", RESELLER), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let other_access = cookie_in(&other_jar, &app.url("/"), "up_at").unwrap();

    let sessions: Vec<Value> = app
        .post_form("/api/account/sessions", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);

    let out = app.post_form("/api/auth/logout_everywhere", &[]).await;
    assert_eq!(out.json::<u64>().await.unwrap(), 2);
    let (_, me, _) = app
        .whoami_with_cookie(&format!("up_at={other_access}"))
        .await;
    assert_eq!(me, Value::Null);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_session_can_be_revoked_from_the_list_but_not_someone_elses(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    app.sign_in(STAFF, 0).await;
    let (other, other_jar) = new_client();
    other
        .post(app.url("/api/auth/login"))
        .header("origin", app.origin())
        .form(&[("email", CLIENT), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let clients_session: Value = other
        .post(app.url("/api/account/sessions"))
        .header("origin", app.origin())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = clients_session[0]["id"].as_str().unwrap().to_owned();
    let denied = app
        .post_form("/api/account/revoke_session", &[("id", id.as_str())])
        .await;
    assert_eq!(denied.status(), 404, "another user's session is not found");
    let still = cookie_in(&other_jar, &app.url("/"), "up_at").unwrap();
    assert_eq!(
        app.whoami_with_cookie(&format!("up_at={still}")).await.1["email"],
        CLIENT
    );

    let revoked = other
        .post(app.url("/api/account/revoke_session"))
        .header("origin", app.origin())
        .form(&[("id", id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    assert_eq!(
        app.whoami_with_cookie(&format!("up_at={still}")).await.1,
        Value::Null
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn password_reset_by_single_use_expiring_token(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    app.sign_in(CLIENT, 0).await;
    let before = app.cookie("up_at").unwrap();
    let (anonymous, _) = new_client();
    let ask = |email: &'static str| {
        anonymous
            .post(app.url("/api/auth/forgot"))
            .header("origin", app.origin())
            .form(&[("email", email)])
            .send()
    };
    assert_eq!(ask(CLIENT).await.unwrap().status(), 200);
    assert_eq!(
        ask("nobody@example.ch").await.unwrap().status(),
        200,
        "same answer for unknown"
    );

    let mails = sent_mail(&app.owner, "password_reset").await;
    assert_eq!(mails.len(), 1, "only the real account gets an email");
    assert_eq!(mails[0].0, CLIENT);
    assert!(
        mails[0].2.contains("mot de passe"),
        "in the user's language (fr)"
    );
    let token = link_token(&app.owner, "password_reset", CLIENT).await;

    let reset = |password: &str, confirm: &str, token: &str| {
        anonymous
            .post(app.url("/api/auth/reset"))
            .header("origin", app.origin())
            .form(&[
                ("token", token),
                ("new_password", password),
                ("confirm_password", confirm),
            ])
            .send()
    };
    let short = reset("short", "short", &token).await.unwrap();
    assert_eq!(short.status(), 422);
    assert_eq!(
        short.json::<Value>().await.unwrap()["Validation"][0]["field"],
        "new_password"
    );
    let mismatch = reset("a long new password", "another long one", &token)
        .await
        .unwrap();
    assert_eq!(
        mismatch.json::<Value>().await.unwrap()["Validation"][0]["field"],
        "confirm_password"
    );
    let bogus = reset("a long new password", "a long new password", "bogus-token")
        .await
        .unwrap();
    assert_eq!(
        bogus.json::<Value>().await.unwrap()["Validation"][0]["field"],
        "token"
    );

    assert_eq!(
        reset("a long new password", "a long new password", &token)
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        reset("yet another password", "yet another password", &token)
            .await
            .unwrap()
            .status(),
        422,
        "single use"
    );
    assert_eq!(
        app.whoami_with_cookie(&format!("up_at={before}")).await.1,
        Value::Null,
        "sessions revoked"
    );
    assert_eq!(
        app.login(CLIENT, PASSWORD).await.status(),
        401,
        "old password gone"
    );
    assert_eq!(app.login(CLIENT, "a long new password").await.status(), 200);

    // An expired link is refused.
    ask(CLIENT).await.unwrap();
    let mut tx = system_tx(&app.owner).await;
    sqlx::query(
        "UPDATE password_resets SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let token = link_token(&app.owner, "password_reset", CLIENT).await;
    assert_eq!(
        reset("a fresh long password", "a fresh long password", &token)
            .await
            .unwrap()
            .status(),
        422
    );
    assert_eq!(audit_events(&app.owner, "auth.password_reset").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn changing_the_password_needs_the_current_one(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    app.sign_in(PROVIDER, 0).await;
    let wrong = app
        .post_form(
            "/api/account/change_password",
            &[
                ("current_password", "not it at all"),
                ("new_password", "brand new password"),
                ("confirm_password", "brand new password"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(
        wrong.json::<Value>().await.unwrap()["Validation"][0]["field"],
        "current_password"
    );
    let ok = app
        .post_form(
            "/api/account/change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "brand new password"),
                ("confirm_password", "brand new password"),
            ],
        )
        .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(
        app.whoami().await["email"],
        PROVIDER,
        "the current session stays"
    );
    assert_eq!(
        app.login(PROVIDER, "brand new password").await.status(),
        200
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn totp_enrolment_from_the_account_page(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    app.sign_in(STAFF, 0).await;
    let started: Value = app
        .post_form("/api/account/totp_start", &[])
        .await
        .json()
        .await
        .unwrap();
    let secret = server::demo::base32_decode(started["secret_base32"].as_str().unwrap()).unwrap();
    assert!(started["qr_svg"].as_str().unwrap().contains("<svg"));
    let wrong = app
        .post_form("/api/account/totp_confirm", &[("code", "12345")])
        .await;
    assert_eq!(wrong.status(), 422);
    let code =
        app::auth::ssr::totp::code_at_step(&secret, app::auth::ssr::totp::current_step()).unwrap();
    let codes: Vec<String> = app
        .post_form("/api/account/totp_confirm", &[("code", code.as_str())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(codes.len(), 10);

    // Stored encrypted, never in clear.
    let mut tx = system_tx(&app.owner).await;
    let stored: Vec<u8> = sqlx::query_scalar("SELECT totp_secret FROM users WHERE email = $1")
        .bind(STAFF)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(!stored.windows(secret.len()).any(|w| w == secret.as_slice()));

    // Next sign-in asks for a code.
    let (client, _) = new_client();
    let first = client
        .post(app.url("/api/auth/login"))
        .header("origin", app.origin())
        .form(&[("email", STAFF), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(first.json::<Value>().await.unwrap(), json!("SecondFactor"));
    assert_eq!(audit_events(&app.owner, "auth.2fa_enabled").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_ceo_cannot_turn_two_factor_off(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    app.sign_in(CEO, 0).await;
    let code = ceo_code(1);
    let refused = app
        .post_form("/api/account/totp_disable", &[("code", code.as_str())])
        .await;
    assert_eq!(refused.status(), 403);
}

#[sqlx::test(migrations = "../migrations")]
async fn api_tokens_are_scoped_shown_once_hashed_and_revocable(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    app.sign_in(STAFF, 0).await;
    let me = app.whoami().await;
    let hypervisual = me["companies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "HYPERVISUAL")
        .unwrap()["id"]
        .clone();
    let lexaia_id = {
        let mut tx = system_tx(&app.owner).await;
        let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM companies WHERE code = 'LEXAIA'")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    };
    let request = |perms: Value, companies: Value| json!({ "request": { "name": "export script", "permissions": perms, "companies": companies, "days": 30 } });

    let beyond = app
        .post_json(
            "/api/account/create_api_token",
            &request(json!(["users.write"]), json!([hypervisual])),
        )
        .await;
    assert_eq!(beyond.status(), 403, "a permission the user lacks");
    let foreign = app
        .post_json(
            "/api/account/create_api_token",
            &request(json!(["companies.read"]), json!([lexaia_id])),
        )
        .await;
    assert_eq!(foreign.status(), 403, "a company the user is not in");
    let empty = app
        .post_json(
            "/api/account/create_api_token",
            &request(json!([]), json!([hypervisual])),
        )
        .await;
    assert_eq!(empty.status(), 422);

    let created: Value = app
        .post_json(
            "/api/account/create_api_token",
            &request(json!(["companies.read"]), json!([hypervisual])),
        )
        .await
        .json()
        .await
        .unwrap();
    let token = created["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("upt_"));
    let listed: Value = app
        .post_form("/api/account/api_tokens", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(!listed.to_string().contains(&token), "never listed again");
    let mut tx = system_tx(&app.owner).await;
    let stored: Vec<u8> = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        !String::from_utf8_lossy(&stored).contains(&token[4..]),
        "stored hashed"
    );

    let bearer = |path: &'static str| {
        reqwest::Client::new()
            .post(app.url(path))
            .bearer_auth(&token)
            .json(&json!({ "kind": "Parties", "query": {} }))
            .send()
    };
    let parties: Value = bearer("/api/lists/rows")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = parties["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["cells"][0]["Link"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Helvetia Events SA"));
    assert!(
        !names.contains(&"Bern Logistics GmbH"),
        "DAINAMICS is outside the token's scope"
    );
    let minting = reqwest::Client::new()
        .post(app.url("/api/account/create_api_token"))
        .bearer_auth(&token)
        .json(&request(json!(["companies.read"]), json!([hypervisual])))
        .send()
        .await
        .unwrap();
    assert_eq!(minting.status(), 403, "a token cannot mint tokens");

    let mut tx = system_tx(&app.owner).await;
    let used: Option<time::OffsetDateTime> =
        sqlx::query_scalar("SELECT last_used_at FROM api_tokens")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert!(used.is_some(), "last use recorded");

    let id = created["id"].as_str().unwrap();
    assert_eq!(
        app.post_form("/api/account/revoke_api_token", &[("id", id)])
            .await
            .status(),
        200
    );
    assert_eq!(
        bearer("/api/lists/rows").await.unwrap().status(),
        401,
        "revoked"
    );
    assert_eq!(audit_events(&app.owner, "auth.api_token_created").await, 1);
    assert_eq!(audit_events(&app.owner, "auth.api_token_revoked").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn cross_origin_posts_with_cookies_are_refused(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    app.sign_in(CLIENT, 0).await;
    let cross = app
        .client
        .post(app.url("/api/auth/logout"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    let no_origin = app
        .client
        .post(app.url("/api/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        no_origin.status(),
        403,
        "no Origin and no Referer with cookies"
    );
    let referer = app
        .client
        .post(app.url("/api/auth/whoami"))
        .header("referer", format!("{}/client", app.origin()))
        .send()
        .await
        .unwrap();
    assert_eq!(referer.status(), 200, "same-origin Referer is accepted");
    assert_eq!(
        app.whoami().await["email"],
        CLIENT,
        "the forged logout did nothing"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn cors_allows_only_configured_origins(owner: PgPool) {
    let app = TestApp::spawn_with(
        owner,
        &[("security.cors_origins", json!(["https://partner.example"]))],
    )
    .await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/api/auth/whoami"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .send()
    };
    let allowed = preflight("https://partner.example").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://partner.example"
    );
    assert_eq!(
        allowed.headers()["access-control-allow-credentials"],
        "true"
    );
    let denied = preflight("https://evil.example").await.unwrap();
    assert!(denied
        .headers()
        .get("access-control-allow-origin")
        .is_none());

    let default = TestApp::spawn(app.owner.clone()).await;
    let none = default
        .client
        .request(reqwest::Method::OPTIONS, default.url("/api/auth/whoami"))
        .header("origin", "https://partner.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(
        none.headers().get("access-control-allow-origin").is_none(),
        "deny by default"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_carry_security_headers_and_a_nonce_csp(owner: PgPool) {
    let app = TestApp::spawn(owner).await;
    let page = app.get("/login").await;
    let headers = page.headers().clone();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert!(
        headers.get("strict-transport-security").is_none(),
        "no HSTS on plain-http localhost"
    );
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_owned();
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce"
    );
    let again = app.get("/login").await;
    assert!(
        !again.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(&nonce),
        "fresh nonce per page"
    );
    let api = app.get("/healthz").await;
    assert!(api.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .starts_with("default-src 'self'"));
}

#[sqlx::test(migrations = "../migrations")]
async fn portals_are_guarded(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let anonymous = app.get("/ceo").await;
    assert_eq!(anonymous.status(), 302);
    assert_eq!(anonymous.headers()["location"], "/login?next=/ceo");

    app.sign_in(CLIENT, 0).await;
    for other in ["/ceo", "/provider", "/reseller", "/ceo/account"] {
        let response = app.get(other).await;
        assert_eq!(response.status(), 403, "{other}");
        let html = response.text().await.unwrap();
        assert!(html.contains(r#"data-testid="forbidden""#), "{other}");
        assert!(!html.contains("data-portal="), "{other}: no portal content");
        assert!(!html.contains("company-switcher"), "{other}");
    }
    let own = app.get("/client").await;
    assert_eq!(own.status(), 200);
    let html = own.text().await.unwrap();
    assert!(html.contains(r#"data-portal="client""#));
    assert!(
        html.contains("Sophie Martin"),
        "the user menu shows the user"
    );

    // Signed in, the sign-in page sends the user to their portal.
    let login = app.get("/login").await;
    assert_eq!(login.status(), 302);
    assert_eq!(login.headers()["location"], "/client");
}

#[sqlx::test(migrations = "../migrations")]
async fn staff_and_ceo_land_in_the_ceo_portal_with_their_companies(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    assert_eq!(app.sign_in(STAFF, 0).await, json!({ "Done": "/ceo" }));
    let html = app.get("/ceo").await.text().await.unwrap();
    assert!(html.contains("HYPERVISUAL") && html.contains("DAINAMICS"));
    assert!(
        !html.contains("LEXAIA"),
        "staff see only their companies in the switcher"
    );
    let next = app
        .post_form(
            "/api/auth/login",
            &[
                ("email", STAFF),
                ("password", PASSWORD),
                ("next", "/ceo/account"),
            ],
        )
        .await;
    assert_eq!(
        next.json::<Value>().await.unwrap(),
        json!({ "Done": "/ceo/account" })
    );
    let outside = app
        .post_form(
            "/api/auth/login",
            &[
                ("email", STAFF),
                ("password", PASSWORD),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(
        outside.json::<Value>().await.unwrap(),
        json!({ "Done": "/ceo" }),
        "no open redirect"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_ceo_cannot_open_the_portal_of_a_party(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    app.sign_in(CEO, 0).await;
    for other in ["/client", "/provider", "/reseller"] {
        let response = app.get(other).await;
        assert_eq!(response.status(), 403, "{other}");
    }
    assert_eq!(app.get("/ceo").await.status(), 200);
}
