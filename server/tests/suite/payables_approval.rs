//! Approving supplier bills: the company's thresholds, the CEO's fresh second factor above the
//! second one, and the deviation check (IBAN, amount ordered) that sends a bill to the CEO.

use crate::common::*;
use serde_json::{json, Value};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn approval_follows_the_company_thresholds_and_the_ceo_confirms_large_bills_with_a_fresh_code(
    owner: PgPool,
) {
    let app = TestApp::spawn_demo(owner).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let party = supplier(&app.owner, hv, "Atelier Léman SA", "CH9300762011623852957").await;

    let make = |number: &'static str, amount: &'static str| {
        let (staff, party) = (&staff, party);
        async move {
            let mut file = qr_fixture("QrCodes/qr-payment-reference-non.png");
            file.extend_from_slice(number.as_bytes());
            let id = received_bill(staff, hv, "b.png", file).await;
            let mut input = bill(staff, id).await["input"].clone();
            input["party_id"] = json!(party);
            input["number"] = json!(number);
            input["issue_date"] = json!("2026-11-02");
            input["due_date"] = json!("2026-12-02");
            input["amount"] = json!(amount);
            assert_eq!(save_bill(staff, id, &input).await.status(), 200);
            id
        }
    };
    // CHF 5,000 and 20,000 are the defaults; at exactly the threshold the lower rule applies.
    let small = make("A-1", "5000.00").await;
    let large = make("A-2", "5000.05").await;
    let huge = make("A-3", "20000.05").await;
    assert_eq!(bill(&staff, large).await["needs_ceo"], true);
    assert_eq!(bill(&staff, huge).await["needs_second_factor"], true);

    assert_eq!(approve_bill(&staff, small, "").await.status(), 200);
    let refused = approve_bill(&staff, large, "").await;
    let body: Value = refused.json().await.unwrap();
    assert_eq!(
        body["Validation"][0],
        json!({ "field": "approval", "problem": "NeedsCeo" })
    );
    assert_eq!(bill_status(&staff, large).await, "ToApprove");
    assert_eq!(approve_bill(&ceo, large, "").await.status(), 200);

    // Above the second threshold: a code is required, must be right, and must be fresh.
    assert_eq!(
        problem_fields(approve_bill(&ceo, huge, "").await).await,
        vec!["code"]
    );
    assert_eq!(
        problem_fields(approve_bill(&ceo, huge, "000000").await).await,
        vec!["code"]
    );
    // The code the sign-in spent (read back: the 30-second step may have turned since).
    let mut tx = system_tx(&app.owner).await;
    let spent: i64 = sqlx::query_scalar("SELECT totp_last_step FROM users WHERE email = $1")
        .bind(CEO)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let secret = server::demo::base32_decode(server::demo::DEMO_CEO_TOTP_BASE32).unwrap();
    let spent_code = app::auth::ssr::totp::code_at_step(&secret, spent as u64).unwrap();
    let replayed = approve_bill(&ceo, huge, &spent_code).await;
    assert!(
        matches!(replayed.status().as_u16(), 422 | 429),
        "the code of the sign-in cannot approve: {}",
        replayed.status()
    );
    assert_eq!(bill_status(&staff, huge).await, "ToApprove");
    let approved = approve_bill(&ceo, huge, &ceo_code(1)).await;
    assert_eq!(approved.status(), 200, "{}", approved.text().await.unwrap());
    assert_eq!(
        bill(&staff, huge).await["approvals"][0]["second_factor"],
        true
    );

    // The thresholds are per company: lowered, the accountant may no longer approve CHF 100.
    let mut tx = system_tx(&app.owner).await;
    sqlx::query("UPDATE companies SET bill_ceo_above_minor = 5000 WHERE id = $1")
        .bind(hv)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let hundred = make("A-4", "100.00").await;
    assert_eq!(
        problem_fields(approve_bill(&staff, hundred, "").await).await,
        vec!["approval"]
    );

    // Another company's bill is not this accountant's, whatever its amount.
    let lexaia = company_id(&app.owner, "LEXAIA").await;
    let foreign = received_bill(
        &ceo,
        lexaia,
        "x.png",
        qr_fixture("QrCodes/qr-minimal-setup.png"),
    )
    .await;
    assert!(matches!(bill_get_status(&staff, foreign).await, 403 | 404));
    assert!(matches!(
        approve_bill(&staff, foreign, "").await.status().as_u16(),
        403 | 404
    ));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_changed_iban_or_an_amount_unlike_the_order_is_flagged_and_needs_the_ceo(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    let party = supplier(&app.owner, hv, "Atelier Léman SA", "CH9300762011623852957").await;
    let first = approved_bill(
        &staff,
        hv,
        party,
        "L-1",
        "300.00",
        "CHF",
        "CH9300762011623852957",
        "2026-12-01",
    )
    .await;
    // Paid last month to this IBAN.
    let mut tx = system_tx(&app.owner).await;
    sqlx::query("UPDATE supplier_bills SET status = 'paid', paid_on = '2026-11-20' WHERE id = $1")
        .bind(first)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let id = received_bill(
        &staff,
        hv,
        "c.png",
        qr_fixture("QrCodes/qr-payment-reference-non.png"),
    )
    .await;
    let mut input = bill(&staff, id).await["input"].clone();
    input["party_id"] = json!(party);
    input["number"] = json!("L-2");
    input["issue_date"] = json!("2026-11-02");
    input["due_date"] = json!("2026-12-02");
    input["amount"] = json!("310.00");
    // Same IBAN, the amount ordered: nothing to flag.
    input["expected_amount"] = json!("310.00");
    assert_eq!(save_bill(&staff, id, &input).await.status(), 200);
    let view = bill(&staff, id).await;
    assert_eq!(view["deviations"], json!([]));
    assert_eq!(view["needs_ceo"], false);

    // Another IBAN than last paid, and more than ordered: both flagged.
    input["iban"] = json!("CH5604835012345678009");
    input["expected_amount"] = json!("290.00");
    assert_eq!(save_bill(&staff, id, &input).await.status(), 200);
    let view = bill(&staff, id).await;
    assert_eq!(view["deviations"], json!(["IbanChanged", "AmountDiffers"]));
    assert_eq!(view["needs_ceo"], true, "however small the amount");
    assert_eq!(
        problem_fields(approve_bill(&staff, id, "").await).await,
        vec!["approval"]
    );
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    assert_eq!(approve_bill(&ceo, id, "").await.status(), 200);

    // Before any payment, the IBAN in the supplier's record is the one expected; a QR-IBAN is
    // compared with QR-IBANs only (a supplier has both).
    let known = supplier(&app.owner, hv, "Ticino Stampa SA", "CH9300762011623852957").await;
    let first = received_bill(
        &staff,
        hv,
        "t.png",
        qr_fixture("QrCodes/qr-payment-reference-non.png"),
    )
    .await;
    let mut input = bill(&staff, first).await["input"].clone();
    input["party_id"] = json!(known);
    input["number"] = json!("TS-1");
    input["issue_date"] = json!("2026-11-02");
    input["due_date"] = json!("2026-12-02");
    input["iban"] = json!("CH5604835012345678009");
    assert_eq!(save_bill(&staff, first, &input).await.status(), 200);
    assert_eq!(
        bill(&staff, first).await["deviations"],
        json!(["IbanChanged"])
    );
    input["iban"] = json!("CH4431999123000889012");
    input["reference_type"] = json!("Qrr");
    input["reference"] = json!("210000000003139471430009017");
    assert_eq!(save_bill(&staff, first, &input).await.status(), 200);
    assert_eq!(bill(&staff, first).await["deviations"], json!([]));
    // The provider is not shown what the company checks its bills against.
    let lumitech = party_id(&app.owner, LUMITECH).await;
    let provider = app.new_session();
    provider.sign_in(PROVIDER, 0).await;
    let theirs = received_bill(
        &provider,
        hv,
        "lt.png",
        qr_fixture("QrCodes/qr-full-set.png"),
    )
    .await;
    let mut input = bill(&staff, theirs).await["input"].clone();
    assert_eq!(input["party_id"], json!(lumitech));
    input["number"] = json!("LT-9");
    input["issue_date"] = json!("2026-11-02");
    input["due_date"] = json!("2026-12-02");
    input["expected_amount"] = json!("20.00");
    input["cost_account"] = json!("4400");
    assert_eq!(save_bill(&staff, theirs, &input).await.status(), 200);
    assert_eq!(
        bill(&staff, theirs).await["deviations"],
        json!(["AmountDiffers"])
    );
    let seen = bill(&provider, theirs).await;
    assert_eq!(
        (
            seen["deviations"].clone(),
            seen["input"]["expected_amount"].clone(),
            seen["input"]["cost_account"].clone(),
            seen["needs_ceo"].clone()
        ),
        (json!([]), json!(""), json!(""), json!(false))
    );
}
