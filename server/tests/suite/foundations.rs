//! The foundations the domains stand on: one calendar, typed states, the database's own guards
//! on what portal users may change, recurring billing, and the fixes found in review (lead
//! conversion, quote input, client home and statement over every party, catalogue search,
//! production mode).

use crate::common::*;
use app::auth::ssr::{begin, Scope};
use serde_json::{json, Value};
use sqlx::PgPool;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

#[sqlx::test(migrations = "../migrations")]
async fn rust_and_postgres_agree_on_the_swiss_date_across_both_summer_time_changes(owner: PgPool) {
    let mut instants: Vec<OffsetDateTime> = Vec::new();
    for start in [
        datetime!(2026-03-27 00:00 UTC),
        datetime!(2026-10-23 00:00 UTC),
        datetime!(2027-03-26 00:00 UTC),
        datetime!(2027-10-29 00:00 UTC),
        datetime!(2026-06-29 00:00 UTC),
        datetime!(2026-12-29 00:00 UTC),
    ] {
        for hour in 0..5 * 24 {
            for minute in [0, 30, 59] {
                instants.push(start + Duration::hours(hour) + Duration::minutes(minute));
            }
        }
    }
    let dates: Vec<time::Date> = sqlx::query_scalar(
        "SELECT app_date_at(t) FROM unnest($1::timestamptz[]) WITH ORDINALITY AS u(t, n) ORDER BY n",
    )
    .bind(&instants)
    .fetch_all(&owner)
    .await
    .unwrap();
    assert_eq!(dates.len(), instants.len());
    for (instant, postgres) in instants.iter().zip(&dates) {
        assert_eq!(
            app::domain::calendar::date_at(*instant),
            *postgres,
            "at {instant}"
        );
    }
    // The hour where the two used to disagree: 00:30 in Zurich in summer is 22:30 UTC.
    let summer_night = datetime!(2026-06-30 22:30 UTC);
    assert_eq!(
        app::domain::calendar::date_at(summer_night),
        time::macros::date!(2026 - 07 - 01)
    );
    // Winter: 00:30 in Zurich is 23:30 UTC.
    assert_eq!(
        app::domain::calendar::date_at(datetime!(2026-12-31 23:30 UTC)),
        time::macros::date!(2027 - 01 - 01)
    );
    // And "today" is the same date on both sides right now (retried once around midnight).
    for attempt in 0..2 {
        let postgres: time::Date = sqlx::query_scalar("SELECT app_today()")
            .fetch_one(&owner)
            .await
            .unwrap();
        if postgres == app::domain::calendar::today() {
            break;
        }
        assert_eq!(attempt, 0, "app_today() and calendar::today() disagree");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn every_stored_state_is_a_rust_enum_and_unknown_names_do_not_decode(owner: PgPool) {
    use app::domain::status::*;
    fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<String> {
        let mut v: Vec<String> = all.iter().map(|x| name(*x).to_owned()).collect();
        v.sort();
        v
    }
    let columns: Vec<(&str, &str, Vec<String>)> = vec![
        (
            "invoices",
            "status",
            names(InvoiceStatus::ALL, InvoiceStatus::as_str),
        ),
        (
            "invoices",
            "kind",
            names(InvoiceKind::ALL, InvoiceKind::as_str),
        ),
        (
            "invoices",
            "reference_type",
            names(ReferenceType::ALL, ReferenceType::as_str),
        ),
        (
            "invoices",
            "vat_rounding",
            names(VatRounding::ALL, VatRounding::as_str),
        ),
        (
            "quotes",
            "status",
            names(QuoteStatus::ALL, QuoteStatus::as_str),
        ),
        ("parties", "kind", names(PartyKind::ALL, PartyKind::as_str)),
        (
            "leads",
            "status",
            names(LeadStatus::ALL, LeadStatus::as_str),
        ),
        (
            "leads",
            "source",
            names(LeadSource::ALL, LeadSource::as_str),
        ),
        (
            "lead_activities",
            "kind",
            names(ActivityKind::ALL, ActivityKind::as_str),
        ),
        (
            "payments",
            "method",
            names(PaymentMethod::ALL, PaymentMethod::as_str),
        ),
        (
            "projects",
            "status",
            names(ProjectStatus::ALL, ProjectStatus::as_str),
        ),
        (
            "subscriptions",
            "status",
            names(SubscriptionStatus::ALL, SubscriptionStatus::as_str),
        ),
        (
            "subscriptions",
            "billing_interval",
            names(BillingInterval::ALL, BillingInterval::as_str),
        ),
        (
            "party_credits",
            "kind",
            names(CreditKind::ALL, CreditKind::as_str),
        ),
        (
            "invoice_lines",
            "vat_code",
            names(
                &app::domain::vat::VatCode::ALL,
                app::domain::vat::VatCode::as_str,
            ),
        ),
        (
            "users",
            "role",
            names(&app::auth::Role::ALL, app::auth::Role::as_str),
        ),
        (
            "invoices",
            "language",
            names(&app::i18n::Locale::ALL, app::i18n::Locale::code),
        ),
        (
            "invoices",
            "currency",
            names(
                &app::domain::money::Currency::ALL,
                app::domain::money::Currency::code,
            ),
        ),
    ];
    for (table, column, rust) in columns {
        let checks: Vec<String> = sqlx::query_scalar(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c'",
        )
        .bind(table)
        .fetch_all(&owner)
        .await
        .unwrap();
        let prefix = format!("CHECK (({column} = ANY (ARRAY[");
        let check = checks
            .iter()
            .find(|c| c.starts_with(&prefix))
            .unwrap_or_else(|| {
                panic!("{table}.{column} has a CHECK listing its values: {checks:?}")
            });
        let mut stored: Vec<String> = check[prefix.len()..]
            .split(',')
            .filter_map(|v| v.split('\'').nth(1).map(str::to_owned))
            .collect();
        stored.sort();
        assert_eq!(
            stored, rust,
            "{table}.{column}: the database and Rust list the same names"
        );
    }

    // A name Rust does not know is an error, never a default.
    let overdue = sqlx::query_scalar::<_, InvoiceStatus>("SELECT 'overdue'::text")
        .fetch_one(&owner)
        .await;
    let error = overdue
        .expect_err("'overdue' is not an invoice status")
        .to_string();
    assert!(error.contains("unknown"), "{error}");
    let known = sqlx::query_scalar::<_, InvoiceStatus>("SELECT 'partial'::text")
        .fetch_one(&owner)
        .await
        .unwrap();
    assert_eq!(known, InvoiceStatus::Partial);
}

/// The demo client's transaction scope, as the application opens it.
async fn client_scope(owner: &PgPool) -> Scope {
    let mut tx = system_tx(owner).await;
    let (user, company, party): (Uuid, Uuid, Uuid) = sqlx::query_as(
        "SELECT u.id, m.company_id, m.party_id FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = $1",
    )
    .bind(CLIENT)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    Scope {
        user_id: Some(user),
        role: "client",
        company_ids: vec![company],
        party_ids: vec![party],
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_database_lets_a_client_make_only_the_transitions_the_portal_makes(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let quote = create_quote(&ceo, vec![line("Wall", "1", "1000", &today())]).await;
    call(&ceo, "/api/quotes/send", &[("id", &quote.to_string())]).await;
    let invoice_id = create_invoice(&ceo, "CHF", vec![line("Work", "1", "500", &today())]).await;
    call(
        &ceo,
        "/api/invoices/send",
        &[("id", &invoice_id.to_string())],
    )
    .await;
    let scope = client_scope(&app.owner).await;
    let pool = app_pool(&app.owner);

    let attempt = |sql: &'static str, id: Uuid| {
        let (pool, scope) = (pool.clone(), scope.clone());
        async move {
            let mut tx = begin(&pool, &scope).await.unwrap();
            let result = sqlx::query(sql).bind(id).execute(&mut *tx).await;
            match result {
                Ok(done) => {
                    tx.commit().await.unwrap();
                    Ok(done.rows_affected())
                }
                Err(error) => Err(error.to_string()),
            }
        }
    };
    for (sql, id) in [
        (
            "UPDATE invoices SET total_minor = 1 WHERE id = $1",
            invoice_id,
        ),
        (
            "UPDATE invoices SET status = 'paid' WHERE id = $1",
            invoice_id,
        ),
        (
            "UPDATE invoices SET paid_minor = total_minor WHERE id = $1",
            invoice_id,
        ),
        (
            "UPDATE invoices SET status = 'viewed', due_date = due_date + 365 WHERE id = $1",
            invoice_id,
        ),
        ("UPDATE quotes SET total_minor = 1 WHERE id = $1", quote),
        ("UPDATE quotes SET title = 'Mine now' WHERE id = $1", quote),
        (
            "UPDATE quotes SET status = 'completed' WHERE id = $1",
            quote,
        ),
        (
            "UPDATE quotes SET status = 'signed', deposit_bp = 0 WHERE id = $1",
            quote,
        ),
    ] {
        let refused = attempt(sql, id).await;
        assert!(
            refused.as_ref().is_err_and(|e| e.contains("cannot")),
            "{sql}: {refused:?}"
        );
    }
    // The portal's own transitions pass.
    assert_eq!(
        attempt(
            "UPDATE invoices SET status = 'viewed', viewed_at = now() WHERE id = $1",
            invoice_id
        )
        .await,
        Ok(1)
    );
    assert_eq!(
        attempt(
            "UPDATE quotes SET status = 'viewed', viewed_at = now() WHERE id = $1",
            quote
        )
        .await,
        Ok(1)
    );
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    assert_eq!(
        sign(&client, quote).await.status(),
        200,
        "signing still works"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_refused_caller_does_not_mark_a_quote_viewed(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let quote = create_quote(&ceo, vec![line("Wall", "1", "1000", &today())]).await;
    call(&ceo, "/api/quotes/send", &[("id", &quote.to_string())]).await;
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    let response = client
        .post_form("/api/quotes/input", &[("id", &quote.to_string())])
        .await;
    assert_eq!(response.status(), 403, "editing a quote is staff work");
    let mut tx = system_tx(&app.owner).await;
    let (status, viewed): (String, Option<OffsetDateTime>) =
        sqlx::query_as("SELECT status, viewed_at FROM quotes WHERE id = $1")
            .bind(quote)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((status.as_str(), viewed), ("sent", None));
    // Opening it to read does mark it viewed.
    call(&client, "/api/quotes/get", &[("id", &quote.to_string())]).await;
    let view = call(&ceo, "/api/quotes/get", &[("id", &quote.to_string())]).await;
    assert_eq!(view["status"], "Viewed");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_client_with_parties_in_two_companies_sees_all_it_owes(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    // Helvetia's contact also acts for Bern Logistics, a client of DAINAMICS.
    let dai = company_id(&app.owner, "DAINAMICS").await;
    let bern = party_id(&app.owner, "Bern Logistics GmbH").await;
    let mut tx = system_tx(&app.owner).await;
    sqlx::query(
        "INSERT INTO memberships (user_id, company_id, party_id, permissions)
         SELECT u.id, $1, $2, m.permissions FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = $3",
    )
    .bind(dai)
    .bind(bern)
    .bind(CLIENT)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();

    // More unpaid invoices than any first page: 53 at HYPERVISUAL, one at DAINAMICS.
    let mut expected = 0;
    for n in 0..53 {
        let id = create_invoice(
            &ceo,
            "CHF",
            vec![line(&format!("#{n}"), "1", "100", &today())],
        )
        .await;
        call(&ceo, "/api/invoices/send", &[("id", &id.to_string())]).await;
        expected += invoice(&ceo, id).await["balance_minor"].as_i64().unwrap();
    }
    let input = json!({
        "company_id": dai, "party_id": bern, "contact_id": null, "title": "Logistics software",
        "currency": "CHF", "due_days": "30", "lines": [line("Licence", "1", "777", &today())],
    });
    let bern_invoice: Uuid = serde_json::from_value(
        call_json(&ceo, "/api/invoices/create", &json!({ "input": input })).await,
    )
    .unwrap();
    call(
        &ceo,
        "/api/invoices/send",
        &[("id", &bern_invoice.to_string())],
    )
    .await;
    let bern_view = invoice(&ceo, bern_invoice).await;
    expected += bern_view["balance_minor"].as_i64().unwrap();

    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    let home = call(&client, "/api/portal/client_dashboard", &[]).await;
    let unpaid = home["home"]["unpaid_invoices"].as_array().unwrap();
    assert_eq!(unpaid.len(), 54);
    assert!(unpaid
        .iter()
        .any(|i| i["party_name"] == "Bern Logistics GmbH"));
    assert_eq!(home["home"]["owed"], json!([["CHF", expected]]));

    let csv =
        String::from_utf8(download(&client, "/documents/statement?format=csv").await).unwrap();
    assert!(
        csv.contains("Bern Logistics GmbH") || csv.contains(bern_view["number"].as_str().unwrap())
    );
    let rows = csv.lines().filter(|l| l.contains("INV-")).count();
    assert_eq!(rows, 54, "the statement covers both parties:\n{csv}");
    let pdf = pdf_text(&download(&client, "/documents/statement").await);
    assert!(pdf.contains("Bern Logistics GmbH"), "{pdf}");
    assert!(pdf.contains("Helvetia Events SA"), "{pdf}");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_catalogue_search_matches_percent_and_underscore_literally(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    for (sku, name) in [
        ("BAN-50", "Banner 50% off"),
        ("BAN-500", "Banner 500 pieces"),
        ("BAN_X", "Banner x"),
    ] {
        call_json(
            &ceo,
            "/api/catalog/save_product",
            &json!({ "id": null, "input": { "company_id": hv, "sku": sku, "name": name, "description": "",
                     "unit": "pc", "unit_price": "10", "currency": "CHF", "vat_code": "Standard", "active": true }}),
        )
        .await;
    }
    let search = |text: &'static str| {
        let ceo = &ceo;
        async move {
            let found = call(ceo, "/api/catalog/products", &[("search", text)]).await;
            let mut names: Vec<String> = found
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["sku"].as_str().unwrap().to_owned())
                .collect();
            names.sort();
            names
        }
    };
    assert_eq!(search("50%").await, vec!["BAN-50"]);
    assert_eq!(search("BAN_").await, vec!["BAN_X"]);
    assert_eq!(search("banner").await, vec!["BAN-50", "BAN-500", "BAN_X"]);
    let refused = ceo
        .post_form("/api/catalog/products", &[("search", "a\u{0}b")])
        .await;
    assert_eq!(
        refused.status(),
        422,
        "a NUL byte is refused by field, not a 500"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn two_clicks_on_convert_make_one_client(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let lead = call_json(
        &ceo,
        "/api/crm/save_lead",
        &json!({ "id": null, "input": {
            "company_id": hv, "title": "Trade fair stand", "organisation": "Gruyère Expo SA",
            "contact_name": "Anne Dupasquier", "email": "anne@gruyere-expo.example", "phone": "",
            "source": "Event", "status": "Qualified", "score": "70", "estimated_value": "12000",
            "currency": "CHF", "reseller_party_id": null, "notes": "" }}),
    )
    .await;
    let id = lead.as_str().unwrap().to_owned();
    let clicks: Vec<_> = (0..4)
        .map(|_| {
            let (client, url, origin, id) = (
                ceo.client.clone(),
                ceo.url("/api/crm/convert_lead"),
                ceo.origin(),
                id.clone(),
            );
            tokio::spawn(async move {
                client
                    .post(url)
                    .header("origin", origin)
                    .form(&[("id", id)])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for click in clicks {
        statuses.push(click.await.unwrap());
    }
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        vec![200, 409, 409, 409],
        "one conversion, the others told it is done"
    );
    let mut tx = system_tx(&app.owner).await;
    let parties: i64 =
        sqlx::query_scalar("SELECT count(*) FROM parties WHERE name = 'Gruyère Expo SA'")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    let contacts: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM contacts WHERE email = 'anne@gruyere-expo.example'",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((parties, contacts), (1, 1));
}

fn subscription(hv: Uuid, party: Uuid, starts: &str, ends: &str) -> Value {
    json!({
        "company_id": hv, "party_id": party, "contact_id": null, "name": "Hosting and support",
        "currency": "CHF", "interval": "Month", "starts_on": starts, "ends_on": ends,
        "status": "Active", "due_days": "10",
        "lines": [line("Hosting", "1", "80", &today()), line("Support", "2", "10", &today())],
    })
}

#[sqlx::test(migrations = "../migrations")]
async fn subscriptions_invoice_each_period_once_however_often_the_job_runs(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let party = party_id(&app.owner, "Helvetia Events SA").await;
    let mrr_before = call(&ceo, "/api/dashboard", &[]).await["mrr"]
        .as_i64()
        .unwrap_or(0);

    // Refused input, field by field.
    for (field, input) in [
        (
            "ends_on",
            subscription(hv, party, &in_days(-10), &in_days(-20)),
        ),
        ("starts_on", subscription(hv, party, "yesterday", "")),
        ("name", {
            let mut s = subscription(hv, party, &today(), "");
            s["name"] = json!("");
            s
        }),
    ] {
        let response = ceo
            .post_json(
                "/api/subscriptions/save",
                &json!({ "id": null, "input": input }),
            )
            .await;
        assert_eq!(response.status(), 422, "{field}");
        assert_eq!(
            response.json::<Value>().await.unwrap()["Validation"][0]["field"],
            field
        );
    }
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    let body = json!({ "id": null, "input": subscription(hv, party, &in_days(-65), "") });
    assert_eq!(
        client
            .post_json("/api/subscriptions/save", &body)
            .await
            .status(),
        403
    );
    assert_eq!(
        client
            .post_form("/api/subscriptions/run_now", &[])
            .await
            .status(),
        403
    );

    // Started 65 days ago: three monthly periods are due (65 days ≥ 2 months, < 3 months).
    let id: Uuid =
        serde_json::from_value(call_json(&ceo, "/api/subscriptions/save", &body).await).unwrap();
    let view = call(&ceo, "/api/subscriptions/get", &[("id", &id.to_string())]).await;
    assert_eq!(view["amount_minor"], 10_000, "80 + 2 × 10 per month");
    assert_eq!(view["next_invoice_on"], in_days(-65));

    // The daily job on two instances at once, and the "invoice now" button.
    let today = app::domain::calendar::today();
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let pool = app.pool.clone();
            tokio::spawn(async move {
                app::billing::ssr::subscriptions::run_due(&pool, today, None, "http://localhost")
                    .await
                    .unwrap()
            })
        })
        .collect();
    let button = call(&ceo, "/api/subscriptions/run_now", &[]).await;
    let mut issued = button.as_u64().unwrap() as usize;
    for run in runs {
        issued += run.await.unwrap().issued;
    }
    assert_eq!(issued, 3, "three periods, each invoiced once");
    let again =
        app::billing::ssr::subscriptions::run_due(&app.pool, today, None, "http://localhost")
            .await
            .unwrap();
    assert_eq!(again.issued, 0, "a second run the same day does nothing");

    let mut tx = system_tx(&app.owner).await;
    let invoices: Vec<(String, String, time::Date, Option<String>, i64)> = sqlx::query_as(
        "SELECT kind, status, period_start, number, net_minor FROM invoices WHERE subscription_id = $1 ORDER BY period_start",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(invoices.len(), 3);
    let start = today - Duration::days(65);
    for (n, (kind, status, period, number, net)) in invoices.iter().enumerate() {
        assert_eq!((kind.as_str(), status.as_str()), ("recurring", "sent"));
        assert_eq!(*period, app::domain::calendar::add_months(start, n as u32));
        assert!(number.is_some());
        assert_eq!(*net, 10_000);
    }
    let view = call(&ceo, "/api/subscriptions/get", &[("id", &id.to_string())]).await;
    assert_eq!(
        view["next_invoice_on"],
        app::domain::calendar::iso_date(app::domain::calendar::add_months(start, 3))
    );
    assert_eq!(view["invoices"].as_array().unwrap().len(), 3);
    let mrr_after = call(&ceo, "/api/dashboard", &[]).await["mrr"]
        .as_i64()
        .unwrap();
    assert_eq!(
        mrr_after - mrr_before,
        10_000,
        "MRR comes from the subscriptions"
    );

    // Paused: nothing more is invoiced; the ends_on date stops it for good.
    let mut paused = subscription(hv, party, &in_days(-65), "");
    paused["status"] = json!("Paused");
    call_json(
        &ceo,
        "/api/subscriptions/save",
        &json!({ "id": id, "input": paused }),
    )
    .await;
    let later = app::domain::calendar::add_months(today, 2);
    let report =
        app::billing::ssr::subscriptions::run_due(&app.pool, later, None, "http://localhost")
            .await
            .unwrap();
    assert_eq!(report.issued, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn production_refuses_demo_data_and_demo_passwords(owner: PgPool) {
    use server::cli::refuse_unsafe_start;
    use server::config::Environment;
    let pool = app_pool(&owner);
    refuse_unsafe_start(Environment::Production, false, &pool)
        .await
        .expect("an empty database may serve in production");
    let demo = refuse_unsafe_start(Environment::Production, true, &pool).await;
    assert!(demo.unwrap_err().to_string().contains("--demo is refused"));

    load_demo(&owner).await;
    let refused = refuse_unsafe_start(Environment::Production, false, &pool)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains(CEO) && refused.contains(CLIENT),
        "{refused}"
    );
    refuse_unsafe_start(Environment::Development, true, &pool)
        .await
        .expect("development may use the demo");

    // Once every demo account has another password (or is deactivated), production starts.
    let mut tx = system_tx(&owner).await;
    sqlx::query("UPDATE users SET is_active = false WHERE email <> $1")
        .bind(CEO)
        .execute(&mut *tx)
        .await
        .unwrap();
    let hash = app::auth::ssr::password::hash("a long and private password".to_owned())
        .await
        .unwrap();
    sqlx::query("UPDATE users SET password_hash = $2 WHERE email = $1")
        .bind(CEO)
        .bind(hash)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    refuse_unsafe_start(Environment::Production, false, &pool)
        .await
        .expect("no demo password left");
}
