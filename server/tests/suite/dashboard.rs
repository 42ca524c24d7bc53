//! The CEO dashboard over HTTP, checked against figures worked out by hand on a small fixed
//! dataset (currency conversion, period boundaries, aging buckets, thresholds, forecast), and the
//! company focus, the lists and the CSV export.

use crate::common::*;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

async fn id_of(owner: &PgPool, sql: &str, key: &str) -> Uuid {
    let mut tx = system_tx(owner).await;
    let id: Uuid = sqlx::query_scalar(sql)
        .bind(key)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// The fixed dataset. Amounts in minor units; dates relative to today (Swiss date).
async fn seed(owner: &PgPool) -> (Uuid, Uuid) {
    let hv = id_of(
        owner,
        "SELECT id FROM companies WHERE code = $1",
        "HYPERVISUAL",
    )
    .await;
    let dai = id_of(
        owner,
        "SELECT id FROM companies WHERE code = $1",
        "DAINAMICS",
    )
    .await;
    let mut tx = system_tx(owner).await;
    let statements = [
        // Two EUR rates: the later one (0.95, two days ago) is the one used.
        "INSERT INTO exchange_rates (currency, rate_date, chf_per_unit_micros) VALUES
            ('EUR', app_today() - 40, 900000), ('EUR', app_today() - 2, 950000)",
        "INSERT INTO parties (company_id, kind, name) VALUES ($1, 'client', 'Fixed Client HV'),
            ($1, 'supplier', 'Fixed Supplier HV'), ($2, 'client', 'Fixed Client DAI')",
        // HYPERVISUAL: a: sent, due in 25 days; b: EUR, paid 2 days ago; c: paid 40 days ago
        // (previous period); h: a draft (counts nowhere).
        "INSERT INTO invoices (company_id, number, party_id, status, currency, issue_date, due_date,
                               net_minor, vat_minor, total_minor, paid_minor, paid_at, reference_type)
         SELECT $1, v.number, p.id, v.status, v.currency, app_today() + v.issued, app_today() + v.due,
                v.net, v.total - v.net, v.total, v.paid, now() + v.paid_at * interval '1 day', 'NON'
         FROM (VALUES ('T-A', 'sent', 'CHF', -5, 25, 100000, 108100, 0, NULL::int),
                      ('T-B', 'paid', 'EUR', -10, 20, 50000, 54050, 54050, -2),
                      ('T-C', 'paid', 'CHF', -45, -15, 20000, 21620, 21620, -40),
                      ('T-H', 'draft', 'CHF', -1, 29, 70000, 75670, 0, NULL))
              AS v(number, status, currency, issued, due, net, total, paid, paid_at)
         JOIN parties p ON p.company_id = $1 AND p.name = 'Fixed Client HV'",
        // DAINAMICS: overdue by 70 (61–90), 31 (31–60), 30 (0–30) and 91 days (90+, part paid).
        "INSERT INTO invoices (company_id, number, party_id, status, currency, issue_date, due_date,
                               net_minor, vat_minor, total_minor, paid_minor, reference_type)
         SELECT $2, v.number, p.id, v.status, 'CHF', app_today() + v.issued, app_today() + v.due,
                v.net, v.total - v.net, v.total, v.paid, 'NON'
         FROM (VALUES ('T-D', 'sent', -100, -70, 30000, 32430, 0),
                      ('T-E', 'sent', -40, -31, 10000, 10810, 0),
                      ('T-F', 'sent', -60, -30, 5000, 5405, 0),
                      ('T-G', 'partial', -121, -91, 925, 1000, 400))
              AS v(number, status, issued, due, net, total, paid)
         JOIN parties p ON p.company_id = $2 AND p.name = 'Fixed Client DAI'",
        // Two quotes sent three days ago, one of them signed.
        "INSERT INTO quotes (company_id, number, party_id, status, issue_date, valid_until, total_minor)
         SELECT $1, v.number, p.id, v.status, app_today() - 3, app_today() + 27, 10000
         FROM (VALUES ('TQ-1', 'sent'), ('TQ-2', 'signed')) AS v(number, status)
         JOIN parties p ON p.company_id = $1 AND p.name = 'Fixed Client HV'",
        // Leads: two new (one untouched for 5 days), one qualified in EUR.
        "INSERT INTO leads (company_id, title, status, estimated_value_minor, currency, created_at) VALUES
            ($1, 'Old new lead', 'new', 100000, 'CHF', now() - interval '5 days'),
            ($1, 'Fresh new lead', 'new', 100000, 'CHF', now()),
            ($1, 'Qualified lead', 'qualified', 200000, 'EUR', now())",
        "INSERT INTO bank_accounts (company_id, name, iban, currency, balance_minor) VALUES
            ($1, 'Main', 'CH5604835012345678009', 'CHF', 50000000),
            ($1, 'Euro', 'CH9300762011623852957', 'EUR', 1000000)",
        // Burn: 9000.00 paid 60 days ago (÷ 3 months); 3000.00 scheduled, due in 20 days.
        "INSERT INTO supplier_bills (company_id, party_id, number, issue_date, due_date, total_minor, status, paid_on)
         SELECT $1, p.id, v.number, app_today() + v.issued, app_today() + v.due, v.total, v.status,
                CASE WHEN v.status = 'paid' THEN app_today() - 60 END
         FROM (VALUES ('S-1', -80, -60, 900000, 'paid'), ('S-2', -10, 20, 300000, 'scheduled'))
              AS v(number, issued, due, total, status)
         JOIN parties p ON p.company_id = $1 AND p.name = 'Fixed Supplier HV'",
        "INSERT INTO subscriptions (company_id, party_id, name, amount_minor, billing_interval, started_on, next_invoice_on)
         SELECT $1, p.id, v.name, v.amount, v.interval, app_today() - 100, app_today() + 20
         FROM (VALUES ('Monthly', 10000, 'month'), ('Yearly', 120000, 'year')) AS v(name, amount, interval)
         JOIN parties p ON p.company_id = $1 AND p.name = 'Fixed Client HV'",
        "INSERT INTO projects (company_id, party_id, name, status, last_activity_at)
         SELECT $1, p.id, 'Idle project', 'active', now() - interval '10 days'
         FROM parties p WHERE p.company_id = $1 AND p.name = 'Fixed Client HV'",
    ];
    for sql in statements {
        let query = sqlx::query(sql);
        let query = if sql.contains("$2") {
            query.bind(hv).bind(dai)
        } else if sql.contains("$1") {
            query.bind(hv)
        } else {
            query
        };
        query.execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    (hv, dai)
}

/// One page of a list as `app`'s user: the status and the body.
async fn list_rows(app: &TestApp, kind: &str, query: Value) -> (reqwest::StatusCode, Value) {
    let response = app
        .post_json("/api/lists/rows", &json!({"kind": kind, "query": query}))
        .await;
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn dashboard(app: &TestApp) -> Value {
    let response = app.post_json("/api/dashboard", &json!({})).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn alert<'a>(d: &'a Value, kind: &str) -> &'a Value {
    d["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["kind"] == kind)
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn kpis_match_the_hand_calculation(owner: PgPool) {
    load_demo(&owner).await;
    let (_hv, dai) = seed(&owner).await;
    let app = TestApp::spawn(owner.clone()).await;
    app.sign_in(CEO, 0).await;
    let d = dashboard(&app).await;

    // b: EUR 500.00 net at 0.95 = CHF 475.00; c is in the previous period.
    assert_eq!(d["revenue"], json!({"current": 47500, "previous": 20000}));
    // a + b now; c + e before (f, issued exactly 60 days ago, is outside both periods).
    assert_eq!(d["invoiced"], json!({"current": 147500, "previous": 30000}));
    assert_eq!(d["quotes_sent"]["current"], 2);
    assert_eq!(d["quotes_won"]["current"], 1);
    // a 1081.00 + d 324.30 + e 108.10 + f 54.05 + g 6.00 (10.00 less 4.00 paid).
    assert_eq!(d["receivables"], 157345);
    // 0–30 holds the not-yet-due a and f at exactly 30 days; e at 31 is in 31–60.
    assert_eq!(d["aging"], json!([113505, 10810, 32430, 600]));
    let stage = |s: &str| {
        d["pipeline"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["status"] == s)
            .unwrap()
            .clone()
    };
    assert_eq!(
        stage("new"),
        json!({"status": "new", "count": 2, "value_chf": 200000})
    );
    assert_eq!(
        stage("qualified"),
        json!({"status": "qualified", "count": 1, "value_chf": 190000})
    );
    assert_eq!(d["active_projects"], 1);
    assert_eq!(d["mrr"], 20000);
    assert_eq!(d["arr"], 240000);
    assert_eq!(d["rates"][0]["chf_per_unit_micros"], 950000);
    assert_eq!(d["missing_rates"], json!([]));

    // Alerts: 4 overdue (warning after 7 days), 3 of them critical (> 30 days); the idle
    // project and the lead untouched for 5 days.
    let overdue = alert(&d, "OverdueInvoice");
    assert_eq!(overdue["total"], 4);
    assert_eq!(overdue["critical"], 3);
    assert_eq!(overdue["items"][0]["label"], "T-G");
    assert_eq!(overdue["items"][0]["days"], 91);
    assert_eq!(alert(&d, "IdleProject")["total"], 1);
    assert_eq!(alert(&d, "UntouchedLead")["total"], 1);
    assert_eq!(
        alert(&d, "UntouchedLead")["items"][0]["label"],
        "Old new lead"
    );
    assert_eq!(alert(&d, "ExpiringQuote")["total"], 0);

    // Treasury: 500'000.00 + EUR 10'000.00 at 0.95; burn 9000.00 / 3 a month.
    let t = &d["treasury"];
    assert_eq!(t["balance"], 50950000);
    assert_eq!(t["monthly_burn"], 300000);
    assert_eq!(
        t["forecast"][0],
        json!({"days": 30, "receivables": 157345, "payables": 300000, "burn": 300000, "balance": 50507345})
    );
    assert_eq!(t["forecast"][1]["balance"], 50207345);
    assert_eq!(t["forecast"][2]["balance"], 49907345);
    assert_eq!(t["runway_tenths"], 1698);
    assert_eq!(t["runway_level"], "Ok");

    // Raising DAINAMICS' critical threshold to 60 days leaves e (31 days) a warning.
    let response = app
        .post_form(
            "/api/dashboard/save_thresholds",
            &[
                ("input[company_id]", &dai.to_string()),
                ("input[overdue_warning_days]", "7"),
                ("input[overdue_critical_days]", "60"),
                ("input[quote_expiry_days]", "7"),
                ("input[project_idle_days]", "7"),
                ("input[lead_untouched_days]", "3"),
                ("input[runway_warning_months]", "6"),
                ("input[runway_critical_months]", "3"),
            ],
        )
        .await;
    assert!(response.status().is_success(), "{}", response.status());
    let d = dashboard(&app).await;
    assert_eq!(alert(&d, "OverdueInvoice")["critical"], 2);

    // A bad threshold is refused by field.
    let dai_text = dai.to_string();
    let bad = |field: &'static str, value: &'static str| {
        let mut form = vec![
            ("input[company_id]", dai_text.as_str()),
            ("input[overdue_warning_days]", "7"),
            ("input[overdue_critical_days]", "30"),
            ("input[quote_expiry_days]", "7"),
            ("input[project_idle_days]", "7"),
            ("input[lead_untouched_days]", "3"),
            ("input[runway_warning_months]", "6"),
            ("input[runway_critical_months]", "3"),
        ];
        for pair in form.iter_mut() {
            if pair.0 == format!("input[{field}]") {
                pair.1 = value;
            }
        }
        form
    };
    let response = app
        .post_form(
            "/api/dashboard/save_thresholds",
            &bad("lead_untouched_days", "x"),
        )
        .await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    assert!(body.contains("lead_untouched_days"), "{body}");
    // Critical must come after warning.
    let response = app
        .post_form(
            "/api/dashboard/save_thresholds",
            &bad("overdue_critical_days", "5"),
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("overdue_critical_days"));

    // Later changes flow through the summaries the figures are read from: T-E (31–60 days) is
    // paid, T-G (90+) gets 1.00 more, T-F (0–30) is cancelled by a credit note.
    let mut tx = system_tx(&owner).await;
    for sql in [
        "UPDATE invoices SET paid_minor = total_minor, status = 'paid', paid_at = now() WHERE number = 'T-E'",
        "UPDATE invoices SET paid_minor = paid_minor + 100 WHERE number = 'T-G'",
        "UPDATE invoices SET credited_minor = total_minor, status = 'cancelled' WHERE number = 'T-F'",
    ] {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    let d = dashboard(&app).await;
    assert_eq!(d["receivables"], 157345 - 10810 - 100 - 5405);
    assert_eq!(d["aging"], json!([113505 - 5405, 0, 32430, 500]));
    assert_eq!(d["revenue"]["current"], 47500 + 10000);
    assert_eq!(alert(&d, "OverdueInvoice")["total"], 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_company_focus_narrows_every_figure_and_is_remembered(owner: PgPool) {
    load_demo(&owner).await;
    let (_hv, dai) = seed(&owner).await;
    let app = TestApp::spawn(owner.clone()).await;
    app.sign_in(CEO, 0).await;
    let response = app
        .post_form("/api/account/focus", &[("company", &dai.to_string())])
        .await;
    assert!(response.status().is_success(), "{}", response.status());
    let d = dashboard(&app).await;
    assert_eq!(d["companies"].as_array().unwrap().len(), 1);
    assert_eq!(d["receivables"], 32430 + 10810 + 5405 + 600);
    assert_eq!(d["revenue"]["current"], 0);
    assert_eq!(d["treasury"]["balance"], 0);
    // The lists follow the focus too.
    let list: Value = app
        .post_json("/api/lists/rows", &json!({"kind": "Invoices", "query": {}}))
        .await
        .json()
        .await
        .unwrap();
    let rows = list["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4, "{list}");
    // Remembered: a new session of the same user starts focused.
    let again = app.new_session();
    again.sign_in(CEO, 1).await;
    assert_eq!(again.whoami().await["focus"], json!(dai));
    // Back to all companies.
    app.post_form("/api/account/focus", &[("company", "")])
        .await;
    assert_eq!(dashboard(&app).await["receivables"], 157345);
    // A company the user does not work in is refused.
    let response = app
        .post_form(
            "/api/account/focus",
            &[("company", &Uuid::from_u128(7).to_string())],
        )
        .await;
    assert_eq!(response.status(), 403);
}

#[sqlx::test(migrations = "../migrations")]
async fn portal_roles_cannot_read_the_dashboard_and_staff_see_their_companies(owner: PgPool) {
    load_demo(&owner).await;
    seed(&owner).await;
    let app = TestApp::spawn(owner.clone()).await;
    for email in [CLIENT, PROVIDER, RESELLER] {
        let s = app.new_session();
        s.sign_in(email, 0).await;
        let response = s.post_json("/api/dashboard", &json!({})).await;
        assert_eq!(response.status(), 403, "{email}");
        let response = s.post_form("/api/account/focus", &[("company", "")]).await;
        assert_eq!(response.status(), 403, "{email}");
    }
    // The accountant works for HYPERVISUAL and DAINAMICS: both, and nothing else.
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    let d = dashboard(&staff).await;
    let codes: Vec<&str> = d["companies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["DAINAMICS", "HYPERVISUAL"]);
    assert_eq!(d["receivables"], 157345);
    // The accountant may not change thresholds (no settings.write).
    let lexaia = id_of(&owner, "SELECT id FROM companies WHERE code = $1", "LEXAIA").await;
    let lexaia = lexaia.to_string();
    let response = staff
        .post_form(
            "/api/dashboard/save_thresholds",
            &[
                ("input[company_id]", lexaia.as_str()),
                ("input[overdue_warning_days]", "7"),
                ("input[overdue_critical_days]", "30"),
                ("input[quote_expiry_days]", "7"),
                ("input[project_idle_days]", "7"),
                ("input[lead_untouched_days]", "3"),
                ("input[runway_warning_months]", "6"),
                ("input[runway_critical_months]", "3"),
            ],
        )
        .await;
    assert_eq!(response.status(), 403);
}

#[sqlx::test(migrations = "../migrations")]
async fn lists_filter_sort_page_by_keyset_and_export_every_row(owner: PgPool) {
    load_demo(&owner).await;
    seed(&owner).await;
    let sizes = server::demo::generate::Sizes {
        parties: 30,
        contacts: 30,
        leads: 30,
        quotes: 20,
        invoices: 130,
        lines_per_invoice: 2,
        supplier_bills: 5,
        subscriptions: 2,
        projects: 3,
    };
    let generated = server::demo::generate::generate(&owner, "test", sizes, 7)
        .await
        .unwrap();
    assert_eq!(generated.invoices, 650);
    let again = server::demo::generate::generate(&owner, "test", sizes, 7)
        .await
        .unwrap();
    assert!(again.already_loaded, "a second load is refused");

    let app = TestApp::spawn(owner.clone()).await;
    app.sign_in(CEO, 0).await;
    let rows = |query: Value| list_rows(&app, "Invoices", query);
    // Walk every page of paid invoices sorted by total: no row twice, none missed, in order.
    let mut seen = std::collections::HashSet::new();
    let mut query = json!({"status": "paid", "sort": "total", "dir": "asc"});
    let mut pages = 0;
    loop {
        let (status, page) = rows(query.clone()).await;
        assert_eq!(status, 200, "{page}");
        for r in page["rows"].as_array().unwrap() {
            assert!(
                seen.insert(r["id"].as_str().unwrap().to_owned()),
                "row twice"
            );
            assert_eq!(r["cells"][3], json!({"Status": ["paid"]}));
        }
        pages += 1;
        match page["next"].as_str() {
            Some(next) => query["after"] = json!(next),
            None => break,
        }
    }
    let mut tx = system_tx(&owner).await;
    let paid: i64 = sqlx::query_scalar("SELECT count(*) FROM invoices WHERE status = 'paid'")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(seen.len() as i64, paid);
    assert!(pages > 2);
    // Back one page from the second gives the first again.
    let (_, first) = rows(json!({"status": "paid", "sort": "total", "dir": "asc"})).await;
    let (_, second) =
        rows(json!({"status": "paid", "sort": "total", "dir": "asc", "after": first["next"]}))
            .await;
    let (_, back) =
        rows(json!({"status": "paid", "sort": "total", "dir": "asc", "before": second["prev"]}))
            .await;
    assert_eq!(back["rows"], first["rows"]);

    // Bad filters are refused by field, never a 500.
    for (query, field) in [
        (json!({"status": "nope"}), "status"),
        (json!({"sort": "password"}), "sort"),
        (json!({"from": "2026-13-01"}), "from"),
        (json!({"min": "abc"}), "min"),
        (json!({"after": "zz.not-a-cursor"}), "cursor"),
    ] {
        let (status, body) = rows(query).await;
        assert_eq!(status, 422, "{field}: {body}");
        assert!(body.to_string().contains(field), "{field}: {body}");
    }

    // The dashboard's figures are in the page itself (not streamed into inert templates later),
    // so it reads the same without JavaScript.
    let html = app.get("/ceo").await.text().await.unwrap();
    let figure = html
        .find("data-testid=\"kpi-receivables-value\"")
        .expect("figure");
    assert!(figure < html.find("</main>").expect("main"), "in place");
    assert!(!html.contains("<template"), "nothing streamed out of order");

    // The filtered page is server-rendered from its URL.
    let html = app
        .get("/ceo/invoices?q=T-D&status=overdue")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(">T-D</a>"), "filtered row");
    assert!(
        html.find(">T-D</a>").unwrap() < html.find("</main>").unwrap(),
        "in place"
    );
    assert!(!html.contains(">T-E</a>"), "row outside the filter");

    // CSV: every filtered row (more than a page), BOM, header, escaping.
    let response = app.get("/exports/invoices.csv?status=paid").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = response.text().await.unwrap();
    assert!(body.starts_with('\u{feff}'));
    let lines: Vec<&str> = body.trim_end().split("\r\n").collect();
    assert_eq!(lines.len() as i64, paid + 1, "header + every paid invoice");
    // Only the selected ids when some are ticked.
    let ids: Vec<String> = seen.iter().take(3).cloned().collect();
    let url = format!(
        "/exports/invoices.csv?status=paid&id={}&id={}&id={}",
        ids[0], ids[1], ids[2]
    );
    let body = app.get(&url).await.text().await.unwrap();
    assert_eq!(body.trim_end().split("\r\n").count(), 4);
    // Other lists export too; a client cannot export another party's rows.
    for list in ["quotes", "companies", "contacts", "leads"] {
        let response = app.get(&format!("/exports/{list}.csv")).await;
        assert_eq!(response.status(), 200, "{list}");
    }
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    let body = client
        .get("/exports/invoices.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(!body.contains("T-A") && !body.contains("T-D"), "{body}");
    let anonymous = app.new_session();
    assert_eq!(anonymous.get("/exports/invoices.csv").await.status(), 401);
    assert_eq!(app.get("/exports/nothing.csv").await.status(), 404);
}

#[sqlx::test(migrations = "../migrations")]
async fn search_finds_rows_by_their_text_or_their_party_and_follows_edits(owner: PgPool) {
    load_demo(&owner).await;
    let (hv, _) = seed(&owner).await;
    let app = TestApp::spawn(owner.clone()).await;
    app.sign_in(CEO, 0).await;
    let numbers = |kind: &'static str, q: &'static str| {
        let app = &app;
        async move {
            let (status, body) = list_rows(app, kind, json!({"q": q})).await;
            assert_eq!(status, 200, "{kind} {q}");
            let mut found: Vec<String> = body["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["cells"][0]["Link"].as_str().unwrap().to_owned())
                .collect();
            found.sort();
            found
        }
    };
    // By the row's own text, and (invoices, quotes) by the name of its party.
    assert_eq!(numbers("Invoices", "t-a").await, ["T-A"]);
    assert_eq!(
        numbers("Invoices", "Fixed Client DAI").await,
        ["T-D", "T-E", "T-F", "T-G"]
    );
    assert_eq!(numbers("Quotes", "fixed client hv").await, ["TQ-1", "TQ-2"]);
    assert_eq!(
        numbers("Parties", "Fixed Supplier").await,
        ["Fixed Supplier HV"]
    );
    assert_eq!(numbers("Leads", "qualified").await, ["Qualified lead"]);
    // LIKE wildcards typed by the user are plain characters.
    assert!(numbers("Invoices", "T-%").await.is_empty());
    assert!(numbers("Invoices", "T_A").await.is_empty());

    // Renaming a party, retitling an invoice, deleting a lead: the search follows.
    let mut tx = system_tx(&owner).await;
    for sql in [
        "UPDATE parties SET name = 'Zebra Events' WHERE company_id = $1 AND name = 'Fixed Client HV'",
        "UPDATE invoices SET title = 'Kiwi workshop' WHERE company_id = $1 AND number = 'T-H'",
        "DELETE FROM leads WHERE company_id = $1 AND title = 'Qualified lead'",
    ] {
        sqlx::query(sql).bind(hv).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    assert_eq!(
        numbers("Invoices", "zebra").await,
        ["T-A", "T-B", "T-C", "T-H"]
    );
    assert!(numbers("Invoices", "Fixed Client HV").await.is_empty());
    assert_eq!(numbers("Invoices", "kiwi").await, ["T-H"]);
    assert!(numbers("Leads", "qualified").await.is_empty());

    // The same search as the client user finds only its own party's invoices.
    let mut tx = system_tx(&owner).await;
    let own = "C-OWN-1".to_owned();
    sqlx::query(
        "INSERT INTO invoices (company_id, number, party_id, status, currency, issue_date, due_date,
                               net_minor, vat_minor, total_minor, reference_type)
         SELECT m.company_id, $2, m.party_id, 'sent', 'CHF', app_today(), app_today() + 30,
                1000, 81, 1081, 'NON'
         FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1 LIMIT 1",
    )
    .bind(CLIENT)
    .bind(&own)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    let search = |q: String| list_rows(&client, "Invoices", json!({"q": q}));
    let (status, body) = search(own.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["rows"][0]["cells"][0]["Link"], json!(own));
    for other in ["T-", "zebra", "Fixed Client DAI"] {
        let (status, body) = search(other.to_owned()).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["rows"], json!([]), "{other}: {body}");
    }
}
