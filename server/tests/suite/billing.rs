//! The sales cycle (W1) over HTTP: quotes, signature with terms, deposit invoice with QR-bill,
//! payments, credit notes, immutability, numbering, VAT by service date.

use crate::common::*;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

#[sqlx::test(migrations = "../migrations")]
async fn the_sales_cycle_from_quote_to_active_project(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let quote = create_quote(
        &ceo,
        vec![
            line("LED wall rental", "2", "1500", &today()),
            line("Set-up", "3.5", "180", &today()),
        ],
    )
    .await;

    let draft: Value = ceo
        .post_form("/api/quotes/get", &[("id", &quote.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(draft["status"], "Draft");
    assert!(draft["number"].as_str().unwrap().starts_with("Q-"));
    // 3000 + 630 = 3630.00 net; VAT 8.1% = 294.03; total 3924.03 → rounded to 3924.05 (CHF, 5 centimes).
    assert_eq!(draft["amounts"]["net_minor"], 363_000);
    assert_eq!(draft["amounts"]["vat_minor"], 29_403);
    assert_eq!(draft["amounts"]["total_minor"], 392_405);
    assert_eq!(
        draft["deposit_bp"], 3000,
        "the company's default deposit rule"
    );

    // The client cannot see a draft.
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    assert_eq!(
        client
            .post_form("/api/quotes/get", &[("id", &quote.to_string())])
            .await
            .status(),
        404
    );

    assert_eq!(
        ceo.post_form("/api/quotes/send", &[("id", &quote.to_string())])
            .await
            .status(),
        200
    );
    let sent = outbox(&app.owner, "quote_sent").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, CLIENT);
    assert!(
        sent[0].2.contains(&format!("/client/quotes/{quote}")),
        "{}",
        sent[0].2
    );

    let viewed: Value = client
        .post_form("/api/quotes/get", &[("id", &quote.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(viewed["status"], "Viewed", "opening it marks it viewed");

    let refused = client
        .post_json(
            "/api/quotes/sign",
            &json!({ "signature": {
                "quote_id": quote, "terms_version_id": Uuid::nil(), "accept_terms": false,
                "signer_name": "S", "signature_kind": "typed", "signature_data": "S",
            }}),
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        refused.json::<Value>().await.unwrap()["Validation"][0]["field"],
        "accept_terms"
    );

    let signed = sign(&client, quote).await;
    assert_eq!(signed.status(), 200, "{}", signed.text().await.unwrap());
    let after: Value = client
        .post_form("/api/quotes/get", &[("id", &quote.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after["status"], "AwaitingDeposit");
    assert_eq!(after["signature"]["signer_name"], "Sophie Martin");
    assert_eq!(after["signature"]["terms_version"], 1);
    assert_eq!(after["signature"]["quote_hash"].as_str().unwrap().len(), 64);

    // The legal proof: terms version and hash, quote hash, time, IP, user agent, signer.
    let mut tx = system_tx(&app.owner).await;
    let proof: (String, String, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT s.terms_hash, t.content_hash, host(s.ip), s.user_agent FROM quote_signatures s JOIN terms_versions t ON t.id = s.terms_version_id",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(proof.0, proof.1);
    assert_eq!(proof.2.as_deref(), Some("127.0.0.1"));
    assert!(proof.3.is_some());

    // The deposit invoice: 30% of each VAT rate's net, sent, with its QR reference.
    let deposit = &after["invoices"][0];
    assert_eq!(deposit["kind"], "Deposit");
    assert_eq!(deposit["status"], "Sent");
    let total = deposit["total_minor"].as_i64().unwrap();
    // 30% of 3630.00 = 1089.00 net + 88.21 VAT = 1177.21 → 1177.20 (CHF rounding).
    assert_eq!(total, 117_720);
    let invoice_id: Uuid = deposit["id"].as_str().unwrap().parse().unwrap();
    let invoice: Value = client
        .post_form("/api/invoices/get", &[("id", &invoice_id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(invoice["status"], "Viewed");
    assert!(invoice["payment"]["qr_svg"]
        .as_str()
        .unwrap()
        .starts_with("<svg"));
    assert_eq!(
        invoice["payment"]["account"], "CH38 3076 7001 0000 0000 0",
        "HYPERVISUAL's QR-IBAN"
    );
    assert_eq!(outbox(&app.owner, "invoice_sent").await.len(), 1);
    let projects: Value = ceo
        .post_form("/api/projects/list", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(projects[0]["status"], "deposit_pending");

    // The client cannot record payments.
    let paid_by_client = client
        .post_json("/api/invoices/record_payment", &json!({ "payment": { "invoice_id": invoice_id, "amount": "1177.20", "paid_on": today(), "method": "BankTransfer" }}))
        .await;
    assert_eq!(paid_by_client.status(), 403);

    async fn pay_as(app: &TestApp, invoice: Uuid, amount: &str) -> reqwest::Response {
        let body = json!({ "payment": { "invoice_id": invoice, "amount": amount, "paid_on": today(), "method": "BankTransfer" }});
        app.post_json("/api/invoices/record_payment", &body).await
    }
    let pay = |amount: &'static str| pay_as(&ceo, invoice_id, amount);
    assert_eq!(
        pay("500").await.json::<Value>().await.unwrap()["status"],
        json!("Partial")
    );
    // The payment date: never in the future, well-formed, and today when left empty.
    for (paid_on, why) in [("2999-01-01", "future"), ("31.12.2026", "malformed")] {
        let body = json!({ "payment": { "invoice_id": invoice_id, "amount": "1", "paid_on": paid_on, "method": "Cash" }});
        let refused = ceo.post_json("/api/invoices/record_payment", &body).await;
        assert_eq!(refused.status(), 422, "{why}");
        assert_eq!(
            refused.json::<Value>().await.unwrap()["Validation"][0]["field"],
            "paid_on",
            "{why}"
        );
    }
    // Paying more than the balance settles the invoice; the excess is the client's credit.
    let body = json!({ "payment": { "invoice_id": invoice_id, "amount": "700", "paid_on": "", "method": "BankTransfer" }});
    let last = ceo.post_json("/api/invoices/record_payment", &body).await;
    let outcome = last.json::<Value>().await.unwrap();
    assert_eq!(
        (
            &outcome["status"],
            &outcome["applied_minor"],
            &outcome["credited_minor"]
        ),
        (&json!("Paid"), &json!(67720), &json!(2280))
    );
    assert!(outcome["payment_id"].is_string(), "the payment booked");
    let paid: Value = ceo
        .post_form("/api/invoices/get", &[("id", &invoice_id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(paid["payments"][1]["paid_on"], json!(today()));
    assert_eq!(
        paid["payments"][1]["amount_minor"], 67720,
        "only the balance is applied"
    );
    assert_eq!(
        paid["party_credit_minor"], 2280,
        "the excess waits on the client's account"
    );
    assert_eq!(pay("1").await.status(), 409, "nothing left to pay");

    let projects: Value = ceo
        .post_form("/api/projects/list", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(projects[0]["status"], "active");
    let done: Value = ceo
        .post_form("/api/quotes/get", &[("id", &quote.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(done["status"], "Completed");
    let activated = outbox(&app.owner, "project_activated").await;
    assert_eq!(activated.len(), 1);
    assert_eq!(activated[0].0, CLIENT);

    // The final invoice takes the deposit off.
    let final_id: Uuid = ceo
        .post_form("/api/quotes/final_invoice", &[("id", &quote.to_string())])
        .await
        .json()
        .await
        .unwrap();
    let final_invoice: Value = ceo
        .post_form("/api/invoices/get", &[("id", &final_id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(final_invoice["kind"], "Final");
    assert_eq!(final_invoice["status"], "Draft");
    assert_eq!(final_invoice["amounts"]["net_minor"], 363_000 - 108_900);
    assert_eq!(
        ceo.post_form("/api/quotes/final_invoice", &[("id", &quote.to_string())])
            .await
            .status(),
        409,
        "only one"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_signed_quote_and_a_sent_invoice_cannot_change(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let quote = create_quote(&ceo, vec![line("Totem", "1", "4890", &today())]).await;
    ceo.post_form("/api/quotes/send", &[("id", &quote.to_string())])
        .await;
    let input = quote_input(&ceo, vec![line("Totem", "1", "1", &today())]).await;
    let edit_sent = ceo
        .post_json(
            "/api/quotes/update",
            &json!({ "id": quote, "input": input }),
        )
        .await;
    assert_eq!(edit_sent.status(), 409, "a sent quote is no longer a draft");

    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    assert_eq!(sign(&client, quote).await.status(), 200);
    let again = sign(&client, quote).await;
    assert_eq!(again.status(), 409, "signing twice");
    let edit_signed = ceo
        .post_json(
            "/api/quotes/update",
            &json!({ "id": quote, "input": input }),
        )
        .await;
    assert_eq!(edit_signed.status(), 409);

    // Even straight SQL, in the company's own scope, cannot touch a signed quote or a sent invoice.
    let company = company_id(&app.owner, "HYPERVISUAL").await;
    let pool = app_pool(&app.owner);
    let scope = app::auth::ssr::Scope::automation(company);
    for statement in [
        "UPDATE quote_lines SET unit_price_minor = 1",
        "UPDATE quotes SET total_minor = 1 WHERE status = 'awaiting_deposit'",
        "DELETE FROM quote_lines",
        "UPDATE invoices SET total_minor = 1",
        "UPDATE invoice_lines SET net_minor = 1",
        "UPDATE invoices SET due_date = due_date + 1",
    ] {
        let mut tx = app::auth::ssr::begin(&pool, &scope).await.unwrap();
        let result = sqlx::query(statement).execute(&mut *tx).await;
        assert!(result.is_err(), "{statement} must be refused");
        assert!(
            result.unwrap_err().to_string().contains("cannot change"),
            "{statement}"
        );
    }
    let view: Value = ceo
        .post_form("/api/quotes/get", &[("id", &quote.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["amounts"]["net_minor"], 489_000);
}

#[sqlx::test(migrations = "../migrations")]
async fn numbers_have_no_gaps_or_duplicates_under_concurrency(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let input = quote_input(&ceo, vec![line("Item", "1", "100", &today())]).await;
    let body = json!({ "input": input });
    let handles: Vec<_> = (0..50)
        .map(|_| {
            let (client, url, origin, body) = (
                ceo.client.clone(),
                ceo.url("/api/quotes/create"),
                ceo.origin(),
                body.clone(),
            );
            tokio::spawn(async move {
                client
                    .post(url)
                    .header("origin", origin)
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.await.unwrap(), 200);
    }
    let mut tx = system_tx(&app.owner).await;
    let numbers: Vec<String> = sqlx::query_scalar("SELECT number FROM quotes ORDER BY number")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let year = app::domain::calendar::today().year();
    let expected: Vec<String> = (1..=50).map(|n| format!("Q-{year}-{n:04}")).collect();
    assert_eq!(numbers, expected);

    // A creation that fails after taking its number gives the number back.
    let bad = quote_input(&ceo, vec![line("Item", "1", "abc", &today())]).await;
    assert_eq!(
        ceo.post_json("/api/quotes/create", &json!({ "input": bad }))
            .await
            .status(),
        422
    );
    create_quote(&ceo, vec![line("Item", "1", "100", &today())]).await;
    let mut tx = system_tx(&app.owner).await;
    let last: String = sqlx::query_scalar("SELECT max(number) FROM quotes")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(last, format!("Q-{year}-0051"));
}

#[sqlx::test(migrations = "../migrations")]
async fn lines_are_validated_field_by_field_and_rated_by_service_date(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let mut input = quote_input(&ceo, vec![line("", "-1", "12.345", "2024-02-30")]).await;
    let response = ceo
        .post_json("/api/quotes/create", &json!({ "input": input }))
        .await;
    assert_eq!(response.status(), 422);
    let errors: Value = response.json().await.unwrap();
    let fields: Vec<&str> = errors["Validation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "lines.0.description",
            "lines.0.quantity",
            "lines.0.unit_price",
            "lines.0.service_date"
        ]
    );

    input["valid_until"] = json!("2020-01-01");
    input["lines"] = json!([line("x", "1", "1", &today())]);
    let past = ceo
        .post_json("/api/quotes/create", &json!({ "input": input }))
        .await;
    assert_eq!(
        past.json::<Value>().await.unwrap()["Validation"][0]["field"],
        "valid_until"
    );

    // The same service either side of 1 January 2024: 7.7% then 8.1%.
    let quote = create_quote(
        &ceo,
        vec![
            line("December", "1", "1000", "2023-12-15"),
            line("January", "1", "1000", "2024-01-15"),
        ],
    )
    .await;
    let view: Value = ceo
        .post_form("/api/quotes/get", &[("id", &quote.to_string())])
        .await
        .json()
        .await
        .unwrap();
    let rates: Vec<i64> = view["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["vat_rate_bp"].as_i64().unwrap())
        .collect();
    assert_eq!(rates, [770, 810]);
    let per_rate = view["amounts"]["per_rate"].as_array().unwrap();
    assert_eq!(per_rate.len(), 2);
    assert_eq!(per_rate[0]["vat_minor"], 7_700);
    assert_eq!(per_rate[1]["vat_minor"], 8_100);
    assert_eq!(view["amounts"]["total_minor"], 215_800);
}

#[sqlx::test(migrations = "../migrations")]
async fn credit_notes_reduce_what_is_due(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(STAFF, 0).await;
    let input = json!({ "input": {
        "company_id": company_id(&app.owner, "HYPERVISUAL").await,
        "party_id": party_id(&app.owner, "Helvetia Events SA").await,
        "contact_id": contact_of(&app.owner, CLIENT).await,
        "title": "Support", "currency": "CHF", "due_days": "",
        "lines": [line("Support hours", "10", "100", &today())],
    }});
    let created = ceo.post_json("/api/invoices/create", &input).await;
    assert_eq!(created.status(), 200, "{}", created.text().await.unwrap());
    let id: Uuid = created.json().await.unwrap();
    // 1000 + 81 VAT = 1081.00
    assert_eq!(
        ceo.post_form(
            "/api/invoices/credit",
            &[("id", &id.to_string()), ("amount", "10"), ("reason", "x")]
        )
        .await
        .status(),
        409,
        "drafts are edited, not credited"
    );
    assert_eq!(
        ceo.post_form("/api/invoices/send", &[("id", &id.to_string())])
            .await
            .status(),
        200
    );
    let too_much = ceo
        .post_form(
            "/api/invoices/credit",
            &[
                ("id", &id.to_string()),
                ("amount", "2000"),
                ("reason", "goodwill"),
            ],
        )
        .await;
    assert_eq!(too_much.status(), 422);
    let no_reason = ceo
        .post_form(
            "/api/invoices/credit",
            &[("id", &id.to_string()), ("amount", "81"), ("reason", "")],
        )
        .await;
    assert_eq!(
        no_reason.json::<Value>().await.unwrap()["Validation"][0]["field"],
        "reason"
    );
    assert_eq!(
        ceo.post_form(
            "/api/invoices/credit",
            &[
                ("id", &id.to_string()),
                ("amount", "81"),
                ("reason", "goodwill")
            ]
        )
        .await
        .status(),
        200
    );
    let view: Value = ceo
        .post_form("/api/invoices/get", &[("id", &id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["balance_minor"], 100_000);
    assert!(view["credit_notes"][0]["number"]
        .as_str()
        .unwrap()
        .starts_with("CN-"));
    assert_eq!(
        ceo.post_form(
            "/api/invoices/credit",
            &[
                ("id", &id.to_string()),
                ("amount", ""),
                ("reason", "cancel")
            ]
        )
        .await
        .status(),
        200
    );
    let view: Value = ceo
        .post_form("/api/invoices/get", &[("id", &id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["status"], "Cancelled");
    assert_eq!(view["balance_minor"], 0);
    assert!(view["payment"].is_null(), "nothing to pay");
}

#[sqlx::test(migrations = "../migrations")]
async fn quotes_expire_and_overdue_is_a_due_date_in_the_past_not_a_status(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let quote = create_quote(&ceo, vec![line("Item", "1", "100", &today())]).await;
    ceo.post_form("/api/quotes/send", &[("id", &quote.to_string())])
        .await;
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    assert_eq!(sign(&client, quote).await.status(), 200);
    let stale = create_quote(&ceo, vec![line("Item", "1", "100", &today())]).await;
    ceo.post_form("/api/quotes/send", &[("id", &stale.to_string())])
        .await;
    let deposit: Uuid = {
        let mut tx = system_tx(&app.owner).await;
        sqlx::query_scalar("SELECT id FROM invoices WHERE quote_id = $1")
            .bind(quote)
            .fetch_one(&mut *tx)
            .await
            .unwrap()
    };
    // Part of the deposit is paid while it is still due: the invoice is partial.
    let paid = ceo
        .post_json(
            "/api/invoices/record_payment",
            &json!({ "payment": { "invoice_id": deposit, "amount": "10", "paid_on": "", "method": "BankTransfer" } }),
        )
        .await;
    assert_eq!(paid.status(), 200);

    let mut tx = system_tx(&app.owner).await;
    sqlx::query("UPDATE quotes SET issue_date = app_today() - 60, valid_until = app_today() - 1 WHERE id = $1")
        .bind(stale)
        .execute(&mut *tx)
        .await
        .unwrap();
    // Invoices are locked once issued; the test moves the clock the only honest way: via the
    // owner with the lock trigger briefly disabled.
    sqlx::query("ALTER TABLE invoices DISABLE TRIGGER invoices_locked")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("UPDATE invoices SET issue_date = app_today() - 40, due_date = app_today() - 30")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("ALTER TABLE invoices ENABLE TRIGGER invoices_locked")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    assert_eq!(
        app::billing::ssr::signing::expire_due(&app.pool)
            .await
            .unwrap(),
        1
    );
    let view: Value = ceo
        .post_form("/api/quotes/get", &[("id", &stale.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["status"], "Expired");
    assert_eq!(
        sign(&client, stale).await.status(),
        409,
        "an expired quote cannot be signed"
    );
    // Past its due date the deposit is overdue, and still partial: nothing overwrote it.
    let invoice: Value = ceo
        .post_form("/api/invoices/get", &[("id", &deposit.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(invoice["status"], "Partial");
    assert_eq!(invoice["overdue"], true);
    let overdue: Value = ceo
        .post_json(
            "/api/lists/rows",
            &json!({ "kind": "Invoices", "query": { "status": "overdue" } }),
        )
        .await
        .json()
        .await
        .unwrap();
    let rows = overdue["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{overdue}");
    assert_eq!(rows[0]["id"], json!(deposit));
    assert_eq!(
        rows[0]["cells"][3],
        json!({ "Status": ["partial", "overdue"] })
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn statements_download_as_csv_and_pdf(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let quote = create_quote(&ceo, vec![line("Item", "1", "1000", &today())]).await;
    ceo.post_form("/api/quotes/send", &[("id", &quote.to_string())])
        .await;
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    assert_eq!(sign(&client, quote).await.status(), 200);
    let csv = client.get("/documents/statement?format=csv").await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains("INV INV-"), "{text}");
    let pdf = client.get("/documents/statement?from=2026-01-01").await;
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bad = client
        .get("/documents/statement?from=2026-12-31&to=2026-01-01")
        .await;
    assert_eq!(bad.status(), 422);
    let anonymous = app.new_session();
    assert_eq!(anonymous.get("/documents/statement").await.status(), 401);
}
