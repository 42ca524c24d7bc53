//! Revolut Business against a local server that follows its published API: connecting with a
//! signed client assertion, synchronising accounts and movements (paged, refreshed tokens),
//! webhooks verified by signature and handled once, and a reverted movement undoing its payment.

use crate::common::revolut::{connect, sign_webhook, FakeRevolut, AUTH_CODE, SECRET};
use crate::common::*;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

async fn webhook(app: &TestApp, company: Uuid, body: &Value, secret: &str, age_ms: i64) -> u16 {
    let text = body.to_string();
    let timestamp = time::OffsetDateTime::now_utc().unix_timestamp() * 1000 - age_ms;
    reqwest::Client::new()
        .post(app.url(&format!("/webhooks/revolut/{company}")))
        .header("content-type", "application/json")
        .header("Revolut-Request-Timestamp", timestamp.to_string())
        .header("Revolut-Signature", sign_webhook(secret, timestamp, &text))
        .body(text)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[sqlx::test(migrations = "../migrations")]
async fn revolut_movements_arrive_by_sync_and_webhook_once_and_a_reversal_undoes_its_payment(
    owner: PgPool,
) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let mut tx = system_tx(&app.owner).await;
    let eur_iban: String = sqlx::query_scalar(
        "SELECT iban FROM bank_accounts WHERE company_id = $1 AND currency = 'EUR'",
    )
    .bind(hv)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let revolut = FakeRevolut::start().await;
    revolut.account("acc-eur", "EUR", 12_345.67, &eur_iban);
    revolut.account("acc-gbp", "GBP", 10.0, "GB33BUKB20201555555555");

    // Connecting needs a valid code; the key and ids are checked by Revolut through the assertion.
    let bad = connect(&ceo, hv, &revolut, "wrong-code").await;
    assert_eq!(bad.status(), 422);
    assert_eq!(
        bad.json::<Value>().await.unwrap()["Validation"][0]["field"],
        "authorization_code"
    );
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    assert_eq!(
        connect(&staff, hv, &revolut, AUTH_CODE).await.status(),
        403,
        "integrations are the CEO's"
    );
    assert_eq!(connect(&ceo, hv, &revolut, AUTH_CODE).await.status(), 200);
    let mut tx = system_tx(&app.owner).await;
    let stored: Vec<u8> = sqlx::query_scalar("SELECT private_key FROM bank_connections")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        !String::from_utf8_lossy(&stored).contains("PRIVATE KEY"),
        "the key is stored sealed"
    );
    let status = call(
        &ceo,
        "/api/banking/revolut",
        &[("company_id", &hv.to_string())],
    )
    .await;
    assert_eq!(status["connected"], true);
    assert!(
        !status.to_string().contains("BEGIN"),
        "no secret goes to the browser"
    );

    // An EUR invoice, and its payment on Revolut with the invoice's creditor reference.
    let invoice_id = create_invoice(&ceo, "EUR", vec![line("Rig", "1", "1000", &today())]).await;
    call(
        &ceo,
        "/api/invoices/send",
        &[("id", &invoice_id.to_string())],
    )
    .await;
    let view = invoice(&ceo, invoice_id).await;
    let total = view["amounts"]["total_minor"].as_i64().unwrap();
    let reference = view["payment"]["reference"]
        .as_str()
        .unwrap()
        .replace(' ', "");
    assert!(reference.starts_with("RF"));
    let now = time::OffsetDateTime::now_utc();
    let stamp = |minutes: i64| {
        (now - time::Duration::minutes(minutes))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    revolut.incoming(
        "tx-1",
        "acc-eur",
        (total as f64 / 100.0, "EUR"),
        &reference,
        &stamp(30),
        "completed",
    );
    revolut.incoming(
        "tx-2",
        "acc-eur",
        (55.5, "EUR"),
        "Unrelated",
        &stamp(20),
        "completed",
    );
    revolut.incoming(
        "tx-3",
        "acc-gbp",
        (10.0, "GBP"),
        "Not ours",
        &stamp(10),
        "completed",
    );

    let new = call(
        &ceo,
        "/api/banking/revolut_sync",
        &[("company_id", &hv.to_string())],
    )
    .await;
    assert_eq!(
        new, 2,
        "two movements on the company's EUR account (the GBP account is not linked)"
    );
    assert_eq!(
        invoice(&ceo, invoice_id).await["status"],
        "Paid",
        "matched by its creditor reference"
    );
    let accounts = call(&ceo, "/api/banking/accounts", &[]).await;
    let eur = accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["iban"] == eur_iban)
        .unwrap()
        .clone();
    assert_eq!(
        (eur["provider"].clone(), eur["balance_minor"].clone()),
        (json!("Revolut"), json!(1_234_567))
    );
    // A second sync finds nothing new.
    assert_eq!(
        call(
            &ceo,
            "/api/banking/revolut_sync",
            &[("company_id", &hv.to_string())]
        )
        .await,
        0
    );

    // The access token expired: the next sync refreshes it with the refresh token.
    revolut.bank.lock().unwrap().token_lifetime = 1;
    let mut tx = system_tx(&app.owner).await;
    sqlx::query("UPDATE bank_connections SET access_expires_at = now() - interval '1 minute'")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    call(
        &ceo,
        "/api/banking/revolut_sync",
        &[("company_id", &hv.to_string())],
    )
    .await;
    assert!(revolut
        .bank
        .lock()
        .unwrap()
        .grants
        .contains(&"refresh_token".to_owned()));

    // A webhook brings a new payment: verified, recorded, matched; a replay changes nothing.
    let second = create_invoice(&ceo, "EUR", vec![line("Light", "1", "200", &today())]).await;
    call(&ceo, "/api/invoices/send", &[("id", &second.to_string())]).await;
    let second_view = invoice(&ceo, second).await;
    let second_total = second_view["amounts"]["total_minor"].as_i64().unwrap() as f64 / 100.0;
    let second_ref = second_view["payment"]["reference"]
        .as_str()
        .unwrap()
        .replace(' ', "");
    let created = revolut.incoming(
        "tx-4",
        "acc-eur",
        (second_total, "EUR"),
        &second_ref,
        &stamp(1),
        "completed",
    );
    let event = json!({ "event": "TransactionCreated", "timestamp": stamp(0), "data": created });
    assert_eq!(
        webhook(&app, hv, &event, "wsk_forged", 0).await,
        401,
        "a wrong signature"
    );
    assert_eq!(
        webhook(&app, hv, &event, SECRET, 6 * 60 * 1000).await,
        401,
        "too old"
    );
    assert_eq!(
        invoice(&ceo, second).await["status"],
        "Sent",
        "refused deliveries change nothing"
    );
    assert_eq!(webhook(&app, hv, &event, SECRET, 0).await, 204);
    assert_eq!(invoice(&ceo, second).await["status"], "Paid");
    let payments = {
        let mut tx = system_tx(&app.owner).await;
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM payments")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        n
    };
    assert_eq!(
        webhook(&app, hv, &event, SECRET, 0).await,
        204,
        "a replay is accepted…"
    );
    let mut tx = system_tx(&app.owner).await;
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM payments")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM bank_transactions WHERE bank_id = 'tx-4'")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((after, rows), (payments, 1), "…and changes nothing");

    // Revolut reverts it: the payment is undone and the invoice open again.
    let reverted = json!({ "event": "TransactionStateChanged", "timestamp": stamp(0),
                           "data": { "id": "tx-4", "request_id": "req-tx-4", "old_state": "completed", "new_state": "reverted" } });
    assert_eq!(webhook(&app, hv, &reverted, SECRET, 0).await, 204);
    let view = invoice(&ceo, second).await;
    assert_eq!(view["status"], "Sent");
    assert_eq!(view["balance_minor"], second_view["balance_minor"]);
    let mut tx = system_tx(&app.owner).await;
    let state: String =
        sqlx::query_scalar("SELECT state FROM bank_transactions WHERE bank_id = 'tx-4'")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(state, "reverted");
    // Unknown company or no secret: refused without saying more.
    assert_eq!(webhook(&app, Uuid::new_v4(), &event, SECRET, 0).await, 401);
    // Unreadable JSON with a valid signature: a 400, not a 500.
    let body = "{not json";
    let ts = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    let response = reqwest::Client::new()
        .post(app.url(&format!("/webhooks/revolut/{hv}")))
        .header("Revolut-Request-Timestamp", ts.to_string())
        .header("Revolut-Signature", sign_webhook(SECRET, ts, body))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}
