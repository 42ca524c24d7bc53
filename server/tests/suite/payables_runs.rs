//! Payment runs: approved bills due up to a date, totals per account and currency, then paid —
//! by Revolut transfers (against the local Revolut server: one transfer per bill whatever the
//! retries and lost answers) or by a pain.001 file valid against its ISO 20022 schema — and the
//! bank's debits, imported later, matched back to the bills they paid.

use app::payables::ssr::payment_run::request_id;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::common::revolut::{connect, FakeRevolut, AUTH_CODE};
use crate::common::*;

const PAIN_XSD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../.local/xsd/pain.001.001.09.xsd"
);

async fn account_iban(owner: &PgPool, company: Uuid, currency: &str) -> String {
    let mut tx = system_tx(owner).await;
    let iban = sqlx::query_scalar(
        "SELECT iban FROM bank_accounts WHERE company_id = $1 AND currency = $2 ORDER BY receives_invoices DESC, name LIMIT 1",
    )
    .bind(company)
    .bind(currency)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    iban
}

/// The demo's approved bills wait for approval again: a run here pays the test's bills only.
async fn hold_demo_bills(owner: &PgPool) {
    let mut tx = system_tx(owner).await;
    sqlx::query("UPDATE supplier_bills SET status = 'to_approve' WHERE status = 'approved'")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn preview(session: &TestApp, company: Uuid, due_until: &str) -> Value {
    call(
        session,
        "/api/bills/run_preview",
        &[
            ("company_id", &company.to_string()),
            ("due_until", due_until),
        ],
    )
    .await
}

async fn confirm(session: &TestApp, company: Uuid, due_until: &str) -> reqwest::Response {
    session
        .post_form(
            "/api/bills/run_confirm",
            &[
                ("company_id", &company.to_string()),
                ("due_until", due_until),
            ],
        )
        .await
}

async fn confirmed(session: &TestApp, company: Uuid, due_until: &str) -> Uuid {
    let response = confirm(session, company, due_until).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn run(session: &TestApp, id: Uuid) -> Value {
    call(session, "/api/bills/run", &[("id", &id.to_string())]).await
}

fn items(run: &Value) -> Vec<Value> {
    run["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["bills"].as_array().unwrap().clone())
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_payment_run_pays_each_bill_once_through_revolut_whatever_the_retries(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    hold_demo_bills(&app.owner).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    let revolut = FakeRevolut::start().await;
    let chf = account_iban(&app.owner, hv, "CHF").await;
    revolut.account("acc-chf", "CHF", 50_000.0, &chf);
    assert_eq!(connect(&ceo, hv, &revolut, AUTH_CODE).await.status(), 200);
    // The first synchronisation links the account by its IBAN.
    call(
        &ceo,
        "/api/banking/revolut_sync",
        &[("company_id", &hv.to_string())],
    )
    .await;

    let leman = supplier(&app.owner, hv, "Atelier Léman SA", "CH9300762011623852957").await;
    let jura = supplier(
        &app.owner,
        hv,
        "Jura Fiduciaire SA",
        "CH4431999123000889012",
    )
    .await;
    let a1 = approved_bill(
        &staff,
        hv,
        leman,
        "AL-1",
        "120.00",
        "CHF",
        "CH9300762011623852957",
        "2026-12-10",
    )
    .await;
    let a2 = approved_bill(
        &staff,
        hv,
        leman,
        "AL-2",
        "80.50",
        "CHF",
        "CH9300762011623852957",
        "2026-12-15",
    )
    .await;
    let j1 = approved_bill(
        &staff,
        hv,
        jura,
        "JF-1",
        "300.00",
        "CHF",
        "CH4431999123000889012",
        "2026-12-12",
    )
    .await;
    let later = approved_bill(
        &staff,
        hv,
        leman,
        "AL-3",
        "99.00",
        "CHF",
        "CH9300762011623852957",
        "2027-01-31",
    )
    .await;

    // The preview: the three bills due by the end of December, one account, one total.
    let p = preview(&staff, hv, "2026-12-31").await;
    assert_eq!(p["id"], Value::Null);
    assert_eq!(p["groups"].as_array().unwrap().len(), 1, "{p}");
    let g = &p["groups"][0];
    assert_eq!(
        (
            g["method"].clone(),
            g["currency"].clone(),
            g["iban"].clone()
        ),
        (json!("Revolut"), json!("CHF"), json!(chf))
    );
    assert_eq!(g["total_minor"], 50_050);
    let ids: Vec<Value> = items(&p).iter().map(|b| b["bill_id"].clone()).collect();
    assert_eq!(ids, vec![json!(a1), json!(j1), json!(a2)], "by due date");
    assert!(!ids.contains(&json!(later)));
    assert!(
        revolut.bank.lock().unwrap().pay_requests.is_empty(),
        "a preview moves nothing"
    );
    // Bad dates and other portals are refused.
    let bad = staff
        .post_form(
            "/api/bills/run_preview",
            &[("company_id", &hv.to_string()), ("due_until", "31.12.")],
        )
        .await;
    assert_eq!(problem_fields(bad).await, vec!["due_until"]);
    let provider = app.new_session();
    provider.sign_in(PROVIDER, 0).await;
    assert_eq!(confirm(&provider, hv, "2026-12-31").await.status(), 403);

    // Confirmed; the bank makes the first transfer but its answer is lost.
    revolut.bank.lock().unwrap().lose_pay_answers = 1;
    let run_id = confirmed(&staff, hv, "2026-12-31").await;
    let r = run(&staff, run_id).await;
    assert_eq!(
        r["status"], "Confirmed",
        "a transfer is still without an answer"
    );
    let states: Vec<Value> = items(&r).iter().map(|b| b["state"].clone()).collect();
    assert_eq!(states.iter().filter(|s| **s == "Pending").count(), 1, "{r}");
    assert_eq!(states.iter().filter(|s| **s == "Sent").count(), 2, "{r}");
    assert_eq!(
        audit_events(&app.owner, "payables.payment_run_confirmed").await,
        1
    );

    // Retried: the same request id, so the bank answers with the transfer it made.
    let r = call(
        &staff,
        "/api/bills/run_retry",
        &[("id", &run_id.to_string())],
    )
    .await;
    assert_eq!(r["status"], "Done");
    assert!(items(&r).iter().all(|b| b["state"] == "Sent"), "{r}");
    assert_eq!(
        call(
            &staff,
            "/api/bills/run_retry",
            &[("id", &run_id.to_string())]
        )
        .await["status"],
        "Done"
    );
    {
        let bank = revolut.bank.lock().unwrap();
        assert_eq!(bank.transfers.len(), 3, "one transfer per bill");
        assert_eq!(bank.pay_requests.len(), 4, "three requests and one retry");
        let mut keys: Vec<&str> = bank
            .pay_requests
            .iter()
            .map(|r| r["request_id"].as_str().unwrap())
            .collect();
        keys.sort();
        keys.dedup();
        let mut expected = vec![request_id(a1, 0), request_id(a2, 0), request_id(j1, 0)];
        expected.sort();
        assert_eq!(keys, expected);
        assert_eq!(
            bank.counterparties.len(),
            2,
            "one counterparty per supplier, reused"
        );
        let j1_pay = bank
            .pay_requests
            .iter()
            .find(|r| r["request_id"] == request_id(j1, 0))
            .unwrap();
        assert_eq!(j1_pay["amount"], json!(300.0));
        assert_eq!(j1_pay["currency"], "CHF");
        assert_eq!(
            j1_pay["reference"], "210000000003139471430009017",
            "the QR reference is kept"
        );
        assert_eq!(j1_pay["account_id"], "acc-chf");
    }
    for id in [a1, a2, j1] {
        assert_eq!(bill(&staff, id).await["status"], "Paid");
    }
    assert_eq!(bill(&staff, later).await["status"], "Approved");
    let again = confirm(&staff, hv, "2026-12-31").await;
    let body: Value = again.json().await.unwrap();
    assert_eq!(
        body["Validation"][0],
        json!({ "field": "due_until", "problem": "NothingToPay" })
    );

    // A transfer the bank declines: the bill goes back to approved, and the next run makes a
    // new transfer (a new request id) for it.
    let tessin = supplier(&app.owner, hv, "Tessin Print SA", "CH5604835012345678009").await;
    let t1 = approved_bill(
        &staff,
        hv,
        tessin,
        "TP-1",
        "45.00",
        "CHF",
        "CH5604835012345678009",
        "2026-12-20",
    )
    .await;
    revolut.bank.lock().unwrap().refuse_iban = Some("CH5604835012345678009".into());
    let failed = confirmed(&staff, hv, "2026-12-31").await;
    let r = run(&staff, failed).await;
    assert_eq!(r["status"], "Failed");
    assert_eq!(items(&r)[0]["state"], "Failed");
    assert!(
        items(&r)[0]["error"].as_str().unwrap().contains("declined"),
        "{r}"
    );
    assert_eq!(bill(&staff, t1).await["status"], "Approved");
    // The new attempt meets a Revolut failure (500): not a refusal, so the same key is retried.
    {
        let mut bank = revolut.bank.lock().unwrap();
        bank.refuse_iban = None;
        bank.server_errors = 1;
    }
    let second = confirmed(&staff, hv, "2026-12-31").await;
    let r = run(&staff, second).await;
    assert_eq!(
        (r["status"].clone(), items(&r)[0]["state"].clone()),
        (json!("Confirmed"), json!("Pending"))
    );
    assert_eq!(bill(&staff, t1).await["status"], "Scheduled");
    let r = call(
        &staff,
        "/api/bills/run_retry",
        &[("id", &second.to_string())],
    )
    .await;
    assert_eq!(r["status"], "Done");
    assert_eq!(bill(&staff, t1).await["status"], "Paid");
    assert!(revolut
        .bank
        .lock()
        .unwrap()
        .transfers
        .iter()
        .any(|(r, _)| *r == request_id(t1, 1)));

    // The bank books the transfers; the next synchronisation matches each debit to its bill,
    // once, however often it runs.
    let transfer_ids: Vec<String> = revolut
        .bank
        .lock()
        .unwrap()
        .transfers
        .iter()
        .map(|(_, t)| t["id"].as_str().unwrap().to_owned())
        .collect();
    let booked = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    for id in &transfer_ids {
        revolut.complete(id, &booked);
    }
    for _ in 0..2 {
        call(
            &ceo,
            "/api/banking/revolut_sync",
            &[("company_id", &hv.to_string())],
        )
        .await;
    }
    let matched = count_rows(
        &app.owner,
        &format!("SELECT count(*) FROM bank_allocations WHERE company_id = '{hv}' AND bill_id IS NOT NULL AND undone_at IS NULL"),
    )
    .await;
    assert_eq!(matched, 4, "one debit per paid bill");
    assert_eq!(
        count_rows(&app.owner, &format!("SELECT count(DISTINCT bill_id) FROM bank_allocations WHERE company_id = '{hv}' AND bill_id IS NOT NULL")).await,
        4
    );

    // Revolut reverts one transfer: its debit is unmatched and its bill is to pay again.
    let reverted = revolut
        .bank
        .lock()
        .unwrap()
        .transfers
        .iter()
        .find(|(r, _)| *r == request_id(a2, 0))
        .map(|(_, t)| t["id"].as_str().unwrap().to_owned())
        .unwrap();
    for t in revolut
        .bank
        .lock()
        .unwrap()
        .transactions
        .iter_mut()
        .filter(|t| t["id"] == reverted.as_str())
    {
        t["state"] = json!("reverted");
        t["updated_at"] = json!(booked);
    }
    call(
        &ceo,
        "/api/banking/revolut_sync",
        &[("company_id", &hv.to_string())],
    )
    .await;
    let view = bill(&staff, a2).await;
    assert_eq!(
        (view["status"].clone(), view["paid_on"].clone()),
        (json!("Approved"), Value::Null)
    );
    assert_eq!(bill(&staff, a1).await["status"], "Paid");
    let p = preview(&staff, hv, "2026-12-31").await;
    assert_eq!(
        items(&p)
            .iter()
            .map(|b| b["bill_id"].clone())
            .collect::<Vec<_>>(),
        vec![json!(a2)]
    );
}

/// A camt.054 debit notification of `iban` for one debit carrying `end_to_end_id`.
fn camt054_debit(iban: &str, amount: &str, currency: &str, end_to_end_id: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>DEBIT-1</MsgId><CreDtTm>2026-12-03T08:00:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>NTF-1</Id><CreDtTm>2026-12-03T08:00:00</CreDtTm>
      <Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>{currency}</Ccy></Acct>
      <Ntry>
        <Amt Ccy="{currency}">{amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-12-03</Dt></BookgDt><ValDt><Dt>2026-12-03</Dt></ValDt>
        <AcctSvcrRef>BANK-REF-1</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>{end_to_end_id}</EndToEndId></Refs>
          <Amt Ccy="{currency}">{amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd>
        </TxDtls></NtryDtls>
      </Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>
"#
    )
    .into_bytes()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_bank_without_revolut_gets_a_pain001_file_valid_against_its_schema_and_the_debit_pays_the_bill(
    owner: PgPool,
) {
    let app = TestApp::spawn_demo(owner).await;
    hold_demo_bills(&app.owner).await;
    let dai = company_id(&app.owner, "DAINAMICS").await;
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    let jura = supplier(
        &app.owner,
        dai,
        "Jura Fiduciaire SA",
        "CH4431999123000889012",
    )
    .await;
    let berlin = supplier(
        &app.owner,
        dai,
        "Berlin Design GmbH",
        "DE89370400440532013000",
    )
    .await;
    let chf_bill = approved_bill(
        &staff,
        dai,
        jura,
        "JF-9",
        "1250.40",
        "CHF",
        "CH4431999123000889012",
        "2026-12-10",
    )
    .await;
    let eur_bill = approved_bill(
        &staff,
        dai,
        berlin,
        "BD-3",
        "480.00",
        "EUR",
        "DE89370400440532013000",
        "2026-12-11",
    )
    .await;

    let p = preview(&staff, dai, "2026-12-31").await;
    let groups = p["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2, "one per account and currency: {p}");
    assert!(groups.iter().all(|g| g["method"] == "Pain001"));
    let run_id = confirmed(&staff, dai, "2026-12-31").await;
    assert_eq!(
        bill(&staff, chf_bill).await["status"],
        "Scheduled",
        "paid when the bank debits it"
    );

    let response = staff
        .get(&format!("/payables/runs/{run_id}/pain001.xml"))
        .await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/xml"));
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("pain001-"));
    let xml = response.text().await.unwrap();
    assert!(
        std::path::Path::new(PAIN_XSD).exists(),
        "{PAIN_XSD} is installed by server/scripts/setup.sh"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pain001.xml");
    std::fs::write(&file, &xml).unwrap();
    let lint = std::process::Command::new("xmllint")
        .args(["--noout", "--schema", PAIN_XSD])
        .arg(&file)
        .output()
        .expect("xmllint (libxml2-utils) is installed by the setup");
    assert!(
        lint.status.success(),
        "{}\n{xml}",
        String::from_utf8_lossy(&lint.stderr)
    );
    // The QR reference and the end-to-end ids the bank will report back.
    assert!(
        xml.contains("<Ref>210000000003139471430009017</Ref>"),
        "{xml}"
    );
    assert!(xml.contains("QRR"), "{xml}");
    assert!(xml.contains(&format!(
        "<EndToEndId>{}</EndToEndId>",
        request_id(chf_bill, 0)
    )));
    assert!(xml.contains(&format!(
        "<EndToEndId>{}</EndToEndId>",
        request_id(eur_bill, 0)
    )));
    assert!(
        xml.contains(r#"<InstdAmt Ccy="CHF">1250.40</InstdAmt>"#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<InstdAmt Ccy="EUR">480.00</InstdAmt>"#),
        "{xml}"
    );
    assert_eq!(
        xml.matches("<PmtInf>").count(),
        2,
        "one payment per debtor account and currency"
    );

    // Who may download it: not a client, not an unknown run.
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    assert_eq!(
        client
            .get(&format!("/payables/runs/{run_id}/pain001.xml"))
            .await
            .status(),
        403
    );
    assert_eq!(
        staff
            .get(&format!("/payables/runs/{}/pain001.xml", Uuid::new_v4()))
            .await
            .status(),
        404
    );

    // The bank's camt.054 debit carries the end-to-end id back: the bill is paid.
    let chf = account_iban(&app.owner, dai, "CHF").await;
    let (status, body) = {
        let response = staff
            .client
            .post(staff.url(&format!("/banking/import?company={dai}&name=debit.xml")))
            .header("origin", staff.origin())
            .header("content-type", "application/octet-stream")
            .body(camt054_debit(
                &chf,
                "1250.40",
                "CHF",
                &request_id(chf_bill, 0),
            ))
            .send()
            .await
            .unwrap();
        (
            response.status().as_u16(),
            response.json::<Value>().await.unwrap_or_default(),
        )
    };
    assert_eq!(status, 200, "{body}");
    let view = bill(&staff, chf_bill).await;
    assert_eq!(view["status"], "Paid");
    assert_eq!(view["paid_on"], "2026-12-03", "on the debit's booking date");
    assert_eq!(
        bill(&staff, eur_bill).await["status"],
        "Scheduled",
        "its debit has not come"
    );
}
