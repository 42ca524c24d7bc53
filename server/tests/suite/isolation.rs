//! Tenant isolation: every server function, called as every role, for another company's and
//! another party's data, is denied and leaks nothing; and row-level security holds on its own.

use crate::common::*;
use app::auth::ssr::{begin, Scope};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

/// Names that identify another tenant's data in a response.
struct Foreign {
    /// A party of another owner company (LEXAIA), that no demo user but the CEO may see.
    other_company_party: Uuid,
    /// A party of the same owner company (HYPERVISUAL) but another client.
    other_party: Uuid,
}

async fn foreign(owner: &PgPool) -> Foreign {
    let mut tx = system_tx(owner).await;
    let id = |name: &'static str| {
        sqlx::query_scalar::<_, Uuid>("SELECT id FROM parties WHERE name = $1").bind(name)
    };
    let other_company_party = id("Studio Juridique Moret")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let other_party = id("Alpine Retail AG").fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    Foreign {
        other_company_party,
        other_party,
    }
}

/// Every server function, with arguments aimed at `target` (a foreign party, session or token id).
/// Listing functions take no target: their answer is checked for foreign names instead.
fn calls(target: Uuid) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    let t = target.to_string();
    vec![
        ("/api/crm/party", vec![("id", t.clone())]),
        ("/api/account/revoke_session", vec![("id", t.clone())]),
        ("/api/account/revoke_api_token", vec![("id", t.clone())]),
        ("/api/account/sessions", vec![]),
        ("/api/account/api_tokens", vec![]),
        ("/api/auth/whoami", vec![]),
    ]
}

const FOREIGN_NAMES: [&str; 2] = ["Studio Juridique Moret", "Alpine Retail AG"];

async fn call(app: &TestApp, path: &str, args: &[(&str, String)]) -> (u16, String) {
    let form: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = app.post_form(path, &form).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

#[sqlx::test(migrations = "../migrations")]
async fn every_server_function_denies_other_tenants_to_every_role(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let foreign = foreign(&app.owner).await;

    // Signed out: nothing but the public functions answers.
    for (path, args) in calls(foreign.other_company_party) {
        let (status, body) = call(&app, path, &args).await;
        if path == "/api/auth/whoami" {
            assert_eq!((status, body.as_str()), (200, "null"));
        } else {
            assert_eq!(status, 401, "{path} signed out: {body}");
        }
    }

    // Another session and token of another user, as targets for the account functions.
    let (victim, _) = new_client();
    victim
        .post(app.url("/api/auth/login"))
        .header("origin", app.origin())
        .form(&[("email", RESELLER), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let victim_session: Value = victim
        .post(app.url("/api/account/sessions"))
        .header("origin", app.origin())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let victim_session: Uuid = victim_session[0]["id"].as_str().unwrap().parse().unwrap();

    for (email, sees_other_party, sees_other_company) in [
        (STAFF, true, false),
        (CLIENT, false, false),
        (PROVIDER, false, false),
        (RESELLER, false, false),
        (CEO, true, true),
    ] {
        let me = app.new_session();
        me.sign_in(email, 0).await;

        for (target, visible) in [
            (foreign.other_company_party, sees_other_company),
            (foreign.other_party, sees_other_party),
        ] {
            let (status, body) = call(&me, "/api/crm/party", &[("id", target.to_string())]).await;
            if visible {
                assert_eq!(status, 200, "{email} may see {target}");
            } else {
                assert!(
                    status == 404 || status == 403,
                    "{email} reading {target}: {status} {body}"
                );
                assert!(
                    FOREIGN_NAMES.iter().all(|n| !body.contains(n)),
                    "{email}: {body}"
                );
            }
        }
        let response = me
            .post_json(
                "/api/lists/rows",
                &json!({ "kind": "Parties", "query": {} }),
            )
            .await;
        let (status, body) = (response.status().as_u16(), response.text().await.unwrap());
        assert_eq!(status, 200, "{email}: {body}");
        assert_eq!(
            body.contains("Studio Juridique Moret"),
            sees_other_company,
            "{email}: {body}"
        );
        assert_eq!(
            body.contains("Alpine Retail AG"),
            sees_other_party,
            "{email}: {body}"
        );

        if email != RESELLER {
            for (path, args) in [
                (
                    "/api/account/revoke_session",
                    vec![("id", victim_session.to_string())],
                ),
                (
                    "/api/account/revoke_api_token",
                    vec![("id", victim_session.to_string())],
                ),
            ] {
                let (status, body) = call(&me, path, &args).await;
                assert_eq!(status, 404, "{email} {path}: {body}");
            }
            let (_, sessions) = call(&me, "/api/account/sessions", &[]).await;
            assert!(
                !sessions.contains(&victim_session.to_string()),
                "{email} sees only own sessions"
            );
        }
        // Every function of the matrix answered something other than a server error.
        for (path, args) in calls(foreign.other_company_party) {
            let (status, body) = call(&me, path, &args).await;
            assert!(status < 500, "{email} {path}: {status} {body}");
        }
    }
    // The victim's session survived every attempt.
    let still: Value = victim
        .post(app.url("/api/auth/whoami"))
        .header("origin", app.origin())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(still["email"], RESELLER);
}

#[sqlx::test(migrations = "../migrations")]
async fn row_level_security_holds_without_any_where_clause(owner: PgPool) {
    load_demo(&owner).await;
    let pool = app_pool(&owner);
    let mut tx = system_tx(&owner).await;
    let ids: Vec<(String, Uuid)> = sqlx::query_as("SELECT code, id FROM companies")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    let helvetia: Uuid =
        sqlx::query_scalar("SELECT id FROM parties WHERE name = 'Helvetia Events SA'")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    let client_user: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(CLIENT)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let company = |code: &str| ids.iter().find(|(c, _)| c == code).unwrap().1;

    let names = |scope: Scope| {
        let pool = pool.clone();
        async move {
            let mut tx = begin(&pool, &scope).await.unwrap();
            // Deliberately unfiltered: only the policies decide what comes back.
            let rows: Vec<String> = sqlx::query_scalar("SELECT name FROM parties ORDER BY name")
                .fetch_all(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            rows
        }
    };

    let client = Scope {
        user_id: Some(client_user),
        role: "client",
        company_ids: vec![company("HYPERVISUAL")],
        party_ids: vec![helvetia],
    };
    assert_eq!(names(client.clone()).await, vec!["Helvetia Events SA"]);

    let staff = Scope {
        user_id: Some(Uuid::new_v4()),
        role: "staff",
        company_ids: vec![company("DAINAMICS")],
        party_ids: vec![],
    };
    assert_eq!(names(staff).await, vec!["Bern Logistics GmbH"]);

    let nobody = Scope {
        user_id: None,
        role: "",
        company_ids: vec![],
        party_ids: vec![],
    };
    assert!(names(nobody).await.is_empty(), "no context, no rows");

    // The same holds for the identity tables and the owner companies.
    let mut tx = begin(&pool, &client).await.unwrap();
    let users: Vec<String> = sqlx::query_scalar("SELECT email FROM users")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    let companies: Vec<String> = sqlx::query_scalar("SELECT code FROM companies")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    let tokens: i64 = sqlx::query_scalar("SELECT count(*) FROM refresh_tokens")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let keys: i64 = sqlx::query_scalar("SELECT count(*) FROM signing_keys")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(users, vec![CLIENT]);
    assert_eq!(companies, vec!["HYPERVISUAL"]);
    assert_eq!((tokens, keys), (0, 0));

    // Writing into another company is refused by the policy, not only by the code.
    let mut tx = begin(&pool, &client).await.unwrap();
    let write = sqlx::query(
        "INSERT INTO parties (company_id, kind, name) VALUES ($1, 'client', 'Injected')",
    )
    .bind(company("HYPERVISUAL"))
    .execute(&mut *tx)
    .await;
    assert!(write.is_err(), "portal roles cannot create parties");
    drop(tx);

    // A session-level setting cannot outlive the transaction that made it (pooled connections).
    let mut conn = pool.acquire().await.unwrap();
    let leaked: Option<String> =
        sqlx::query_scalar("SELECT NULLIF(current_setting('app.role', true), '')")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert_eq!(leaked, None);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_application_role_owns_nothing_and_cannot_bypass_rls(owner: PgPool) {
    let pool = app_pool(&owner);
    let (superuser, bypass): (bool, bool) =
        sqlx::query_as("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(!superuser && !bypass);
    let owned: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(owned, 0);
    let unprotected: Vec<String> = sqlx::query_scalar(
        "SELECT relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> '_sqlx_migrations'
           AND NOT (c.relrowsecurity AND c.relforcerowsecurity)",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(
        unprotected.is_empty(),
        "tables without forced RLS: {unprotected:?}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_audit_log_is_append_only_even_for_the_owner(owner: PgPool) {
    let mut tx = system_tx(&owner).await;
    sqlx::query("INSERT INTO audit_log (event) VALUES ('test.event')")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // Row-level security gives no one an UPDATE or DELETE policy: nothing is touched.
    let mut tx = system_tx(&owner).await;
    let update = sqlx::query("UPDATE audit_log SET event = 'rewritten'")
        .execute(&mut *tx)
        .await
        .unwrap();
    let delete = sqlx::query("DELETE FROM audit_log")
        .execute(&mut *tx)
        .await
        .unwrap();
    assert_eq!((update.rows_affected(), delete.rows_affected()), (0, 0));
    tx.commit().await.unwrap();

    // Even with RLS lifted (as the owner or a superuser could), the trigger refuses.
    let mut tx = owner.begin().await.unwrap();
    sqlx::query("ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY")
        .execute(&mut *tx)
        .await
        .unwrap();
    let rewrite = sqlx::query("UPDATE audit_log SET event = 'rewritten'")
        .execute(&mut *tx)
        .await;
    assert!(rewrite.unwrap_err().to_string().contains("append-only"));
    drop(tx);
    let mut tx = owner.begin().await.unwrap();
    sqlx::query("ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY")
        .execute(&mut *tx)
        .await
        .unwrap();
    assert!(sqlx::query("DELETE FROM audit_log")
        .execute(&mut *tx)
        .await
        .is_err());
    assert!(sqlx::query("TRUNCATE audit_log")
        .execute(&mut *tx)
        .await
        .is_err());
    drop(tx);

    // And the application role has no UPDATE or DELETE privilege at all.
    let pool = app_pool(&owner);
    let mut tx = begin(&pool, &Scope::system()).await.unwrap();
    let denied = sqlx::query("DELETE FROM audit_log").execute(&mut *tx).await;
    assert!(denied
        .unwrap_err()
        .to_string()
        .contains("permission denied"));
    drop(tx);

    let mut tx = system_tx(&owner).await;
    let events: Vec<String> = sqlx::query_scalar("SELECT event FROM audit_log")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(events, vec!["test.event"]);
}

/// Another tenant's documents, made by the CEO: a LEXAIA quote and invoice (a company no demo
/// user but the CEO belongs to) and an Alpine Retail quote and invoice (another client of
/// HYPERVISUAL).
/// `(quote, invoice, quote number, invoice number)`.
pub(crate) struct ForeignDocuments {
    pub(crate) lexaia: (Uuid, Uuid, String, String),
    pub(crate) alpine: (Uuid, Uuid, String, String),
    pub(crate) lexaia_company: Uuid,
    pub(crate) lexaia_party: Uuid,
    pub(crate) lead: Uuid,
}

/// Makes the [`ForeignDocuments`] with `ceo`, a signed-in CEO session.
pub(crate) async fn foreign_documents(ceo: &TestApp) -> ForeignDocuments {
    let mut tx = system_tx(&ceo.owner).await;
    let ids: Vec<(String, Uuid)> = sqlx::query_as("SELECT code, id FROM companies")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    let party = |name: &'static str| {
        sqlx::query_scalar::<_, Uuid>("SELECT id FROM parties WHERE name = $1").bind(name)
    };
    let moret = party("Studio Juridique Moret")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let alpine = party("Alpine Retail AG").fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let company = |code: &str| ids.iter().find(|(c, _)| c == code).unwrap().1;
    let today = app::domain::calendar::iso_date(app::domain::calendar::today());
    let until =
        app::domain::calendar::iso_date(app::domain::calendar::today() + time::Duration::days(20));
    let mut made = Vec::new();
    for (code, party_id) in [("LEXAIA", moret), ("HYPERVISUAL", alpine)] {
        let contact: Uuid = ceo
            .post_json("/api/crm/save_contact", &json!({ "id": null, "input": {
                "company_id": company(code), "party_id": party_id, "first_name": "Eve", "last_name": code,
                "email": format!("eve@{}.example", code.to_lowercase()), "phone": "", "job_title": "", "language": "fr" }}))
            .await
            .json()
            .await
            .unwrap();
        let line = json!({ "product_id": null, "description": format!("Secret work for {code}"), "quantity": "1", "unit": "pce",
            "unit_price": "999", "discount": "", "vat_code": "Standard", "service_date": today });
        let quote: Uuid = ceo
            .post_json("/api/quotes/create", &json!({ "input": {
                "company_id": company(code), "party_id": party_id, "contact_id": contact, "title": format!("Confidential {code}"),
                "currency": "CHF", "valid_until": until, "project_type": "", "deposit_percent": "", "notes": "", "lines": [line] }}))
            .await
            .json()
            .await
            .unwrap();
        ceo.post_form("/api/quotes/send", &[("id", &quote.to_string())])
            .await;
        let invoice: Uuid = ceo
            .post_json("/api/invoices/create", &json!({ "input": {
                "company_id": company(code), "party_id": party_id, "contact_id": contact, "title": format!("Confidential {code}"),
                "currency": "CHF", "due_days": "", "lines": [line] }}))
            .await
            .json()
            .await
            .unwrap();
        ceo.post_form("/api/invoices/send", &[("id", &invoice.to_string())])
            .await;
        let q: Value = ceo
            .post_form("/api/quotes/get", &[("id", &quote.to_string())])
            .await
            .json()
            .await
            .unwrap();
        let i: Value = ceo
            .post_form("/api/invoices/get", &[("id", &invoice.to_string())])
            .await
            .json()
            .await
            .unwrap();
        made.push((
            quote,
            invoice,
            q["number"].as_str().unwrap().to_owned(),
            i["number"].as_str().unwrap().to_owned(),
        ));
    }
    let lead: Uuid = ceo
        .post_json("/api/crm/save_lead", &json!({ "id": null, "input": {
            "company_id": company("LEXAIA"), "title": "Confidential lead", "organisation": "Secret SA", "contact_name": "",
            "email": "", "phone": "", "source": "Manual", "status": "New", "score": "10", "estimated_value": "1000",
            "currency": "CHF", "reseller_party_id": null, "notes": "" }}))
        .await
        .json()
        .await
        .unwrap();
    ForeignDocuments {
        lexaia: made[0].clone(),
        alpine: made[1].clone(),
        lexaia_company: company("LEXAIA"),
        lexaia_party: moret,
        lead,
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn every_sales_function_denies_other_tenants_and_parties(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let f = foreign_documents(&ceo).await;
    let before: (i64, i64, i64) = {
        let mut tx = system_tx(&app.owner).await;
        let row = sqlx::query_as("SELECT (SELECT count(*) FROM quotes), (SELECT count(*) FROM payments), (SELECT count(*) FROM contacts)")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        row
    };

    // (role, the documents that are foreign to it, ids and names that must never appear).
    // Document numbers are per company (every company has its own INV-2026-0001), so
    // ids and titles are the unique markers, not numbers.
    let marks = |d: &(Uuid, Uuid, String, String), title: &str, party: &str| -> Vec<String> {
        vec![d.0.to_string(), d.1.to_string(), title.into(), party.into()]
    };
    let mut lexaia_secrets = marks(&f.lexaia, "Confidential LEXAIA", "Studio Juridique Moret");
    lexaia_secrets.extend([f.lead.to_string(), "Confidential lead".into()]);
    let mut all_secrets = lexaia_secrets.clone();
    all_secrets.extend(marks(
        &f.alpine,
        "Confidential HYPERVISUAL",
        "Alpine Retail AG",
    ));
    let cases = [
        (STAFF, vec![f.lexaia.clone()], lexaia_secrets),
        (
            CLIENT,
            vec![f.lexaia.clone(), f.alpine.clone()],
            all_secrets.clone(),
        ),
        (
            PROVIDER,
            vec![f.lexaia.clone(), f.alpine.clone()],
            all_secrets.clone(),
        ),
        (
            RESELLER,
            vec![f.lexaia.clone(), f.alpine.clone()],
            all_secrets,
        ),
    ];
    let today = app::domain::calendar::iso_date(app::domain::calendar::today());
    for (email, foreign, secrets) in cases {
        let me = app.new_session();
        me.sign_in(email, 0).await;
        let leak = |who: &str, what: &str, body: &str| {
            for s in &secrets {
                assert!(
                    !body.contains(s.as_str()),
                    "{who} {what} leaked {s}: {body}"
                );
            }
        };
        // The CEO portal's dashboard, lists and exports: nothing foreign in any answer, and
        // asking for a foreign company is refused.
        let dashboard = me.post_json("/api/dashboard", &json!({})).await;
        let status = dashboard.status().as_u16();
        let body = dashboard.text().await.unwrap();
        assert!(
            status == 200 || status == 403,
            "{email} dashboard: {status}"
        );
        assert_eq!(status == 200, email == STAFF, "{email} dashboard: {status}");
        leak(email, "dashboard", &body);
        let lexaia = f.lexaia_company.to_string();
        for kind in ["Invoices", "Quotes", "Parties", "Contacts", "Leads"] {
            let response = me
                .post_json("/api/lists/rows", &json!({ "kind": kind, "query": {} }))
                .await;
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            assert!(
                status == 200 || status == 403,
                "{email} {kind}: {status} {body}"
            );
            leak(email, kind, &body);
            let response = me
                .post_json(
                    "/api/lists/rows",
                    &json!({ "kind": kind, "query": { "company": lexaia } }),
                )
                .await;
            assert_eq!(response.status(), 403, "{email} {kind} in LEXAIA");
        }
        for list in ["invoices", "quotes", "companies", "contacts", "leads"] {
            let response = me.get(&format!("/exports/{list}.csv")).await;
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            assert!(
                status == 200 || status == 403,
                "{email} {list}.csv: {status}"
            );
            leak(email, list, &body);
            let response = me
                .get(&format!("/exports/{list}.csv?company={lexaia}"))
                .await;
            assert_eq!(response.status(), 403, "{email} {list}.csv in LEXAIA");
        }
        let response = me
            .post_form("/api/account/focus", &[("company", &lexaia)])
            .await;
        assert_eq!(response.status(), 403, "{email} focus on LEXAIA");
        for (quote, invoice, _, _) in &foreign {
            let (q, i) = (quote.to_string(), invoice.to_string());
            let forms: Vec<(&str, Vec<(&str, &str)>)> = vec![
                ("/api/quotes/get", vec![("id", &q)]),
                ("/api/quotes/input", vec![("id", &q)]),
                ("/api/quotes/duplicate", vec![("id", &q)]),
                ("/api/quotes/send", vec![("id", &q)]),
                ("/api/quotes/terms", vec![("id", &q)]),
                ("/api/quotes/reject", vec![("id", &q)]),
                ("/api/quotes/final_invoice", vec![("id", &q)]),
                ("/api/invoices/get", vec![("id", &i)]),
                ("/api/invoices/send", vec![("id", &i)]),
                (
                    "/api/invoices/credit",
                    vec![("id", &i), ("amount", "1"), ("reason", "x")],
                ),
                ("/api/crm/invite_contact", vec![("id", &q)]),
            ];
            for (path, args) in forms {
                let response = me.post_form(path, &args).await;
                let status = response.status().as_u16();
                let body = response.text().await.unwrap();
                assert!(
                    (400..500).contains(&status),
                    "{email} {path}: {status} {body}"
                );
                leak(email, path, &body);
            }
            let jsons = vec![
                (
                    "/api/invoices/record_payment",
                    json!({ "payment": { "invoice_id": invoice, "amount": "1", "paid_on": today, "method": "Cash" }}),
                ),
                (
                    "/api/quotes/sign",
                    json!({ "signature": { "quote_id": quote, "terms_version_id": Uuid::nil(), "accept_terms": true,
                    "signer_name": "Mallory", "signature_kind": "typed", "signature_data": "Mallory" }}),
                ),
            ];
            for (path, body) in jsons {
                let response = me.post_json(path, &body).await;
                let status = response.status().as_u16();
                let text = response.text().await.unwrap();
                assert!(
                    (400..500).contains(&status),
                    "{email} {path}: {status} {text}"
                );
                leak(email, path, &text);
            }
            for path in [
                format!("/documents/quotes/{q}"),
                format!("/documents/invoices/{i}"),
            ] {
                let response = me.get(&path).await;
                assert!(
                    (400..500).contains(&response.status().as_u16()),
                    "{email} {path}"
                );
            }
        }
        // Writes aimed at a foreign company are refused whatever the form says.
        for (path, body) in [
            (
                "/api/crm/save_party",
                json!({ "id": null, "input": { "company_id": f.lexaia_company, "kind": "Client", "name": "Injected",
                "email": "", "phone": "", "street": "", "building_number": "", "postal_code": "", "town": "", "country": "CH",
                "vat_number": "", "iban": "", "language": "fr", "notes": "" }}),
            ),
            (
                "/api/crm/save_contact",
                json!({ "id": null, "input": { "company_id": f.lexaia_company, "party_id": f.lexaia_party,
                "first_name": "In", "last_name": "Jected", "email": "", "phone": "", "job_title": "", "language": "fr" }}),
            ),
            (
                "/api/catalog/save_product",
                json!({ "id": null, "input": { "company_id": f.lexaia_company, "sku": "X", "name": "X",
                "description": "", "unit": "pce", "unit_price": "1", "currency": "CHF", "vat_code": "Standard", "active": true }}),
            ),
        ] {
            let response = me.post_json(path, &body).await;
            assert_eq!(response.status(), 403, "{email} {path}");
        }
        for (path, args) in [
            (
                "/api/terms/list",
                vec![("company_id", f.lexaia_company.to_string())],
            ),
            (
                "/api/terms/save",
                vec![
                    ("company_id", f.lexaia_company.to_string()),
                    ("title", "x".into()),
                    ("content", "x".into()),
                    ("effective_date", today.clone()),
                ],
            ),
            (
                "/api/crm/party_detail",
                vec![("id", f.lexaia_party.to_string())],
            ),
            ("/api/crm/lead", vec![("id", f.lead.to_string())]),
            (
                "/api/crm/lead_activity",
                vec![
                    ("lead_id", f.lead.to_string()),
                    ("kind", "note".into()),
                    ("note", "x".into()),
                ],
            ),
            ("/api/crm/convert_lead", vec![("id", f.lead.to_string())]),
        ] {
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let response = me.post_form(path, &args).await;
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            assert!(
                (400..500).contains(&status),
                "{email} {path}: {status} {body}"
            );
            leak(email, path, &body);
        }
        // Lists never carry foreign rows.
        for kind in ["Invoices", "Quotes", "Parties", "Contacts", "Leads"] {
            let response = me
                .post_json("/api/lists/rows", &json!({ "kind": kind, "query": {} }))
                .await;
            let body = response.text().await.unwrap();
            leak(email, kind, &body);
        }
        for path in [
            "/api/projects/list",
            "/api/catalog/products",
            "/api/emails/list",
            "/api/portal/client_dashboard",
        ] {
            let response = me.post_form(path, &[]).await;
            let body = response.text().await.unwrap();
            leak(email, path, &body);
        }
    }
    let after: (i64, i64, i64) = {
        let mut tx = system_tx(&app.owner).await;
        let row = sqlx::query_as("SELECT (SELECT count(*) FROM quotes), (SELECT count(*) FROM payments), (SELECT count(*) FROM contacts)")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        row
    };
    assert_eq!(
        before, after,
        "nothing was created, paid or duplicated across tenants"
    );
    let mut tx = system_tx(&app.owner).await;
    let statuses: Vec<String> = sqlx::query_scalar("SELECT status FROM quotes ORDER BY number")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(statuses.iter().all(|s| s == "sent"), "{statuses:?}");
}
