//! People and access (invitations to every portal, permissions, deactivation, second-factor
//! reset) and company settings, over HTTP as the CEO and the other roles use them.

use crate::common::*;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

fn invitation(email: &str, role: &str, access: Value) -> Value {
    json!({ "input": { "email": email, "display_name": "New Person", "role": role, "locale": "en", "access": access } })
}

/// Accepts the invitation sent to `email` (chooses a password); a signed-in session.
async fn accept(app: &TestApp, email: &str) -> TestApp {
    let token = link_token(&app.owner, "portal_invitation", email).await;
    let anonymous = app.new_session();
    let response = anonymous
        .post_form(
            "/api/auth/reset",
            &[
                ("token", token.as_str()),
                ("new_password", "a new long password"),
                ("confirm_password", "a new long password"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let session = app.new_session();
    let login = session.login(email, "a new long password").await;
    assert_eq!(login.status(), 200, "{email} signs in");
    session
}

async fn user_id(owner: &PgPool, email: &str) -> Uuid {
    let mut tx = system_tx(owner).await;
    let id = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn audit_count(owner: &PgPool, event: &str, about: Uuid) -> i64 {
    let mut tx = system_tx(owner).await;
    let n = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE event = $1 AND details->>'user' = $2",
    )
    .bind(event)
    .bind(about.to_string())
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    n
}

#[sqlx::test(migrations = "../migrations")]
async fn the_ceo_invites_staff_providers_resellers_and_clients(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let dai = company_id(&app.owner, "DAINAMICS").await;
    let lumitech = party_id(&app.owner, "LumiTech Installations Sàrl").await;
    let romandie = party_id(&app.owner, "Romandie Partners SA").await;
    let alpine = party_id(&app.owner, "Alpine Retail AG").await;

    // Refused input, field by field.
    for (field, body) in [
        (
            "email",
            invitation(
                "not-an-address",
                "Staff",
                json!([{ "company_id": hv, "party_id": null, "permissions": [] }]),
            ),
        ),
        (
            "role",
            invitation(
                "boss@example.ch",
                "Ceo",
                json!([{ "company_id": hv, "party_id": null, "permissions": [] }]),
            ),
        ),
        ("access", invitation("x@example.ch", "Staff", json!([]))),
        (
            "access.0.party_id",
            invitation(
                "p@example.ch",
                "Provider",
                json!([{ "company_id": hv, "party_id": null, "permissions": [] }]),
            ),
        ),
        (
            "access.0.party_id",
            invitation(
                "p@example.ch",
                "Provider",
                json!([{ "company_id": hv, "party_id": alpine, "permissions": [] }]),
            ),
        ),
        (
            "access.0.permissions",
            invitation(
                "s@example.ch",
                "Staff",
                json!([{ "company_id": hv, "party_id": null, "permissions": ["no.such"] }]),
            ),
        ),
        (
            "email",
            invitation(
                CEO,
                "Staff",
                json!([{ "company_id": hv, "party_id": null, "permissions": [] }]),
            ),
        ),
    ] {
        let response = ceo.post_json("/api/admin/invite", &body).await;
        assert_eq!(response.status(), 422, "{field}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["Validation"][0]["field"], field, "{error}");
    }

    let invites = [
        (
            "bookkeeper@example.ch",
            "Staff",
            json!([{ "company_id": hv, "party_id": null, "permissions": ["invoices.read"] }]),
        ),
        (
            "installer@example.ch",
            "Provider",
            json!([{ "company_id": hv, "party_id": lumitech, "permissions": [] }]),
        ),
        (
            "agent@example.ch",
            "Reseller",
            json!([{ "company_id": hv, "party_id": romandie, "permissions": [] }]),
        ),
        (
            "buyer@alpine-retail.ch",
            "Client",
            json!([{ "company_id": hv, "party_id": alpine, "permissions": [] }]),
        ),
    ];
    for (email, role, access) in &invites {
        let outcome = call_json(
            &ceo,
            "/api/admin/invite",
            &invitation(email, role, access.clone()),
        )
        .await;
        assert_eq!(outcome, "Invited", "{email}");
    }
    // Staff reading the outbox see that a personal link was sent, never the link.
    let outbox = call(&ceo, "/api/emails/list", &[]).await.to_string();
    assert!(outbox.contains("installer@example.ch"));
    assert!(!outbox.contains("token="), "{outbox}");
    let mut tx = system_tx(&app.owner).await;
    let clear: i64 = sqlx::query_scalar("SELECT count(*) FROM email_outbox WHERE body_text LIKE '%token=%' OR subject LIKE '%token=%'")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(clear, 0, "no access link is stored in clear");

    for (email, role, _) in &invites {
        let session = accept(&app, email).await;
        let me = session.whoami().await;
        assert_eq!(me["role"], *role, "{email}");
        let codes: Vec<&str> = me["companies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, vec!["HYPERVISUAL"], "{email}");
    }

    // The bookkeeper holds exactly what was granted.
    let staff = app.new_session();
    staff
        .login("bookkeeper@example.ch", "a new long password")
        .await;
    let invoices = staff
        .post_json(
            "/api/lists/rows",
            &json!({ "kind": "Invoices", "query": {} }),
        )
        .await;
    assert_eq!(invoices.status(), 200);
    let quotes = staff
        .post_json("/api/lists/rows", &json!({ "kind": "Quotes", "query": {} }))
        .await;
    assert_eq!(quotes.status(), 403, "quotes.read was not granted");
    let elsewhere = staff
        .post_json(
            "/api/lists/rows",
            &json!({ "kind": "Invoices", "query": { "company": dai } }),
        )
        .await;
    assert_eq!(elsewhere.status(), 403);
    assert_eq!(staff.post_form("/api/admin/users", &[]).await.status(), 403);

    // The provider sees the provider portal's data only.
    let provider = app.new_session();
    provider
        .login("installer@example.ch", "a new long password")
        .await;
    assert_eq!(
        provider.post_form("/api/dashboard", &[]).await.status(),
        403
    );
    assert_eq!(
        provider
            .post_json(
                "/api/lists/rows",
                &json!({ "kind": "Invoices", "query": {} })
            )
            .await
            .status(),
        403
    );

    // Access changes: the bookkeeper gets quotes too, and DAINAMICS.
    let bookkeeper = user_id(&app.owner, "bookkeeper@example.ch").await;
    call_json(
        &ceo,
        "/api/admin/set_access",
        &json!({ "id": bookkeeper, "access": [
            { "company_id": hv, "party_id": null, "permissions": ["invoices.read", "quotes.read"] },
            { "company_id": dai, "party_id": null, "permissions": ["invoices.read"] },
        ]}),
    )
    .await;
    let detail = call(&ceo, "/api/admin/user", &[("id", &bookkeeper.to_string())]).await;
    assert_eq!(detail["access"].as_array().unwrap().len(), 2);
    let fresh = app.new_session();
    fresh
        .login("bookkeeper@example.ch", "a new long password")
        .await;
    assert_eq!(
        fresh
            .post_json("/api/lists/rows", &json!({ "kind": "Quotes", "query": {} }))
            .await
            .status(),
        200
    );
    // Nobody is granted more than staff may hold.
    call_json(
        &ceo,
        "/api/admin/set_access",
        &json!({ "id": bookkeeper, "access": [
            { "company_id": hv, "party_id": null, "permissions": ["users.write", "invoices.read"] },
        ]}),
    )
    .await;
    let detail = call(&ceo, "/api/admin/user", &[("id", &bookkeeper.to_string())]).await;
    assert!(!detail.to_string().contains("users.write"), "{detail}");
    let users = call(&ceo, "/api/admin/users", &[]).await;
    assert!(users
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["email"] == "agent@example.ch" && u["has_password"] == true));
}

#[sqlx::test(migrations = "../migrations")]
async fn inviting_an_existing_account_sends_a_notice_and_never_touches_its_credentials(
    owner: PgPool,
) {
    let app = TestApp::spawn_demo(owner).await;
    let dai = company_id(&app.owner, "DAINAMICS").await;
    let bern = party_id(&app.owner, "Bern Logistics GmbH").await;
    let mut tx = system_tx(&app.owner).await;
    let before: (String, i64) = sqlx::query_as(
        "SELECT password_hash, (SELECT count(*) FROM password_resets r WHERE r.user_id = u.id) FROM users u WHERE email = $1",
    )
    .bind(CLIENT)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    // A contact of DAINAMICS's client with the address of HYPERVISUAL's client account.
    let contact: Uuid = sqlx::query_scalar(
        "INSERT INTO contacts (company_id, party_id, first_name, last_name, email) VALUES ($1, $2, 'Same', 'Person', $3) RETURNING id",
    )
    .bind(dai)
    .bind(bern)
    .bind(CLIENT)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();

    // The accountant (staff of DAINAMICS) invites that contact to the client portal: first
    // without the right to (refused), then once the CEO granted contacts.write there.
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    assert_eq!(
        staff
            .post_form("/api/crm/invite_contact", &[("id", &contact.to_string())])
            .await
            .status(),
        403
    );
    let mut tx = system_tx(&app.owner).await;
    sqlx::query(
        "UPDATE memberships SET permissions = permissions || '{contacts.write}'
         WHERE company_id = $1 AND user_id = (SELECT id FROM users WHERE email = $2)",
    )
    .bind(dai)
    .bind(STAFF)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    let outcome = call(
        &staff,
        "/api/crm/invite_contact",
        &[("id", &contact.to_string())],
    )
    .await;
    assert_eq!(outcome, "AccessGranted");
    let mut tx = system_tx(&app.owner).await;
    let after: (String, i64) = sqlx::query_as(
        "SELECT password_hash, (SELECT count(*) FROM password_resets r WHERE r.user_id = u.id) FROM users u WHERE email = $1",
    )
    .bind(CLIENT)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(before, after, "same password, no password link");
    let notices = sent_mail(&app.owner, "access_granted").await;
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].0, CLIENT);
    assert!(!notices[0].2.contains("token="));
    assert!(sent_mail(&app.owner, "portal_invitation").await.is_empty());
    // The account still signs in with its own password and now also sees Bern Logistics.
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    let codes = client.whoami().await["companies"].to_string();
    assert!(
        codes.contains("DAINAMICS") && codes.contains("HYPERVISUAL"),
        "{codes}"
    );

    // An address that belongs to another kind of account is refused, not reused.
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let response = ceo
        .post_json(
            "/api/admin/invite",
            &invitation(
                PROVIDER,
                "Client",
                json!([{ "company_id": dai, "party_id": bern, "permissions": [] }]),
            ),
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>().await.unwrap()["Validation"][0]["problem"],
        "Taken"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn deactivating_someone_stops_their_session_and_tokens_at_once(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    call_json(
        &ceo,
        "/api/admin/invite",
        &invitation(
            "temp@example.ch",
            "Staff",
            json!([{ "company_id": hv, "party_id": null, "permissions": ["companies.read"] }]),
        ),
    )
    .await;
    let temp = accept(&app, "temp@example.ch").await;
    let token = call_json(
        &temp,
        "/api/account/create_api_token",
        &json!({ "request": { "name": "script", "permissions": ["companies.read"], "companies": [hv], "days": 30 } }),
    )
    .await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let bearer = || {
        reqwest::Client::new()
            .post(app.url("/api/lists/rows"))
            .bearer_auth(&token)
            .json(&json!({ "kind": "Parties", "query": {} }))
            .send()
    };
    assert_eq!(bearer().await.unwrap().status(), 200);
    assert_eq!(temp.whoami().await["email"], "temp@example.ch");

    let id = user_id(&app.owner, "temp@example.ch").await;
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    assert_eq!(
        staff
            .post_form(
                "/api/admin/set_active",
                &[("id", &id.to_string()), ("active", "false")]
            )
            .await
            .status(),
        403,
        "the accountant administers nobody"
    );
    let me = user_id(&app.owner, CEO).await;
    assert_eq!(
        ceo.post_form(
            "/api/admin/set_active",
            &[("id", &me.to_string()), ("active", "false")]
        )
        .await
        .status(),
        409,
        "the CEO cannot lock themselves out"
    );
    call(
        &ceo,
        "/api/admin/set_active",
        &[("id", &id.to_string()), ("active", "false")],
    )
    .await;

    assert_eq!(
        temp.whoami().await,
        Value::Null,
        "the open session stops at once"
    );
    assert_eq!(
        temp.post_json(
            "/api/lists/rows",
            &json!({ "kind": "Parties", "query": {} })
        )
        .await
        .status(),
        401
    );
    assert_eq!(
        bearer().await.unwrap().status(),
        401,
        "and so does the API token"
    );
    let again = app.new_session();
    assert_ne!(
        again
            .login("temp@example.ch", "a new long password")
            .await
            .status(),
        200
    );
    assert_eq!(
        audit_count(&app.owner, "admin.user_deactivated", id).await,
        1
    );

    call(
        &ceo,
        "/api/admin/set_active",
        &[("id", &id.to_string()), ("active", "true")],
    )
    .await;
    assert_eq!(
        again
            .login("temp@example.ch", "a new long password")
            .await
            .status(),
        200
    );
    assert_eq!(
        bearer().await.unwrap().status(),
        401,
        "revoked tokens stay revoked"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_lost_second_factor_is_reset_by_the_ceo_with_an_audit_entry(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    // The accountant has a second factor (the demo CEO's secret, sealed for them).
    let secret = server::demo::base32_decode(server::demo::DEMO_CEO_TOTP_BASE32).unwrap();
    let secrets = app::auth::ssr::crypto::SecretBox::from_base64(TEST_MASTER_KEY).unwrap();
    let sealed = app::auth::ssr::totp::seal_secret(&secrets, &secret).unwrap();
    let mut tx = system_tx(&app.owner).await;
    sqlx::query("UPDATE users SET totp_secret = $2, totp_enabled_at = now() WHERE email = $1")
        .bind(STAFF)
        .bind(sealed)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let staff = app.new_session();
    assert_eq!(
        staff
            .login(STAFF, PASSWORD)
            .await
            .json::<Value>()
            .await
            .unwrap(),
        "SecondFactor"
    );
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    let id = user_id(&app.owner, STAFF).await;

    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    assert_eq!(
        client
            .post_form("/api/admin/reset_two_factor", &[("id", &id.to_string())])
            .await
            .status(),
        403
    );
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    call(
        &ceo,
        "/api/admin/reset_two_factor",
        &[("id", &id.to_string())],
    )
    .await;
    assert_eq!(audit_count(&app.owner, "admin.2fa_reset", id).await, 1);
    let mut tx = system_tx(&app.owner).await;
    let actor: Uuid =
        sqlx::query_scalar("SELECT user_id FROM audit_log WHERE event = 'admin.2fa_reset'")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        actor,
        user_id(&app.owner, CEO).await,
        "the audit names who reset it"
    );
    assert_eq!(
        staff.whoami().await,
        Value::Null,
        "their sessions are signed out"
    );
    let again = app.new_session();
    assert_ne!(
        again
            .login(STAFF, PASSWORD)
            .await
            .json::<Value>()
            .await
            .unwrap(),
        "SecondFactor",
        "the old factor is gone"
    );
    assert_eq!(
        ceo.post_form("/api/admin/reset_two_factor", &[("id", &id.to_string())])
            .await
            .status(),
        409,
        "nothing left to reset"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn company_settings_are_validated_and_reach_the_documents(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let page = call(&ceo, "/api/admin/company", &[("id", &hv.to_string())]).await;
    let settings = page["settings"].clone();
    for (field, value) in [
        ("uid", "CHE-12.345.678"),
        ("country", "Switzerland"),
        ("colour", "red"),
        ("payment_terms_days", "-1"),
        ("invoice_number_format", "INV-{YYYY}"),
        ("quote_number_format", "Q-{N"),
        ("reply_to", "not an address"),
        ("legal_name", ""),
    ] {
        let mut bad = settings.clone();
        bad[field] = json!(value);
        let response = ceo
            .post_json("/api/admin/save_company", &json!({ "settings": bad }))
            .await;
        assert_eq!(response.status(), 422, "{field}");
        assert_eq!(
            response.json::<Value>().await.unwrap()["Validation"][0]["field"],
            field
        );
    }
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    assert_eq!(
        staff
            .post_json("/api/admin/save_company", &json!({ "settings": settings }))
            .await
            .status(),
        403
    );

    let mut changed = settings.clone();
    changed["legal_name"] = json!("HYPERVISUAL Société Anonyme");
    changed["invoice_number_format"] = json!("HV{YY}-{NNNNN}");
    changed["payment_terms_days"] = json!("10");
    changed["sender_name"] = json!("HYPERVISUAL Comptabilité");
    changed["reply_to"] = json!("Compta@Hypervisual.ch");
    call_json(
        &ceo,
        "/api/admin/save_company",
        &json!({ "settings": changed }),
    )
    .await;
    let saved =
        call(&ceo, "/api/admin/company", &[("id", &hv.to_string())]).await["settings"].clone();
    assert_eq!(saved["reply_to"], "compta@hypervisual.ch");

    let input = json!({
        "company_id": hv, "party_id": party_id(&app.owner, "Helvetia Events SA").await,
        "contact_id": contact_of(&app.owner, CLIENT).await, "title": "x", "currency": "CHF", "due_days": "",
        "lines": [line("x", "1", "100", &today())],
    });
    let id: Uuid = serde_json::from_value(
        call_json(&ceo, "/api/invoices/create", &json!({ "input": input })).await,
    )
    .unwrap();
    call(&ceo, "/api/invoices/send", &[("id", &id.to_string())]).await;
    let view = invoice(&ceo, id).await;
    let yy = &today()[2..4];
    assert_eq!(
        view["number"],
        format!("HV{yy}-00001"),
        "the company's own format"
    );
    assert_eq!(view["due_date"], in_days(10), "the company's payment terms");
    let text = pdf_text(&download(&ceo, &format!("/documents/invoices/{id}")).await);
    assert!(text.contains("HYPERVISUAL Société Anonyme"), "{text}");
}
