//! Supplier bills from upload to approval over HTTP: a provider's own bill, the accountant's
//! validation (field errors, supplier matched or created, duplicates), the approval rules per
//! company (thresholds, the CEO's fresh second factor, the deviation check), rejection with a
//! reason, and who sees what.

use crate::common::*;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

const LUMITECH_MAIL: &str = "contact@lumitech.ch";

#[sqlx::test(migrations = "../migrations")]
async fn a_provider_submits_their_bill_the_accountant_validates_it_and_the_ceo_approves_it(
    owner: PgPool,
) {
    let app = TestApp::spawn_demo(owner).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let lumitech = party_id(&app.owner, LUMITECH).await;
    let provider = app.new_session();
    provider.sign_in(PROVIDER, 0).await;
    let pdf = qr_fixture("FpdfOutput/qr-full-set.pdf");
    let id = received_bill(&provider, hv, "facture-lumitech.pdf", pdf.clone()).await;

    // What the provider sees: their draft, read from its QR-bill.
    let seen = bill(&provider, id).await;
    assert_eq!(seen["status"], "Draft");
    assert_eq!(
        seen["input"]["party_id"],
        json!(lumitech),
        "a provider's bill is theirs"
    );
    assert_eq!(seen["input"]["iban"], "CH4431999123000889012");
    assert_eq!(seen["input"]["amount"], "25.90");
    assert_eq!(seen["input"]["reference_type"], "Qrr");
    assert_eq!(seen["input"]["reference"], "123456789012345678901234567");
    assert_eq!(seen["input"]["message"], "Invoice 1234568 Gardening work");
    assert!(seen["read"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["name"] == "iban" && f["source"] == "qr" && f["confidence"] == 100));
    assert_eq!(
        seen["suppliers"],
        json!([]),
        "the CRM is not shown to a provider"
    );
    assert_eq!(seen["projects"], json!([]));
    let file_url = seen["file_url"].as_str().unwrap().to_owned();
    let file = provider.get(&file_url).await;
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "application/pdf");
    assert_eq!(
        file.bytes().await.unwrap().to_vec(),
        pdf,
        "the file as uploaded"
    );
    let received = sent_mail(&app.owner, "bill_received").await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].0, LUMITECH_MAIL);
    assert!(
        received[0].2.contains("/provider/bills"),
        "{}",
        received[0].2
    );

    // A provider submits; validating and approving are the company's.
    assert_eq!(save_bill(&provider, id, &seen["input"]).await.status(), 403);
    assert_eq!(approve_bill(&provider, id, "").await.status(), 403);
    assert_eq!(bill_status(&provider, id).await, "Draft");

    // A client of the same company sees neither the bill nor its file.
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    assert!(matches!(bill_get_status(&client, id).await, 403 | 404));
    assert!(matches!(
        client.get(&file_url).await.status().as_u16(),
        403 | 404
    ));

    // The accountant validates what was read.
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    let view = bill(&staff, id).await;
    assert_eq!(view["party_name"], LUMITECH);
    let mut input = view["input"].clone();
    input["number"] = json!("LT-2026-041");
    input["issue_date"] = json!("2026-11-20");
    input["due_date"] = json!("2026-12-20");
    input["amount"] = json!("1840.00");
    input["vat_standard"] = json!("137.90");
    input["cost_account"] = json!("4400");
    let saved = save_bill(&staff, id, &input).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let view = bill(&staff, id).await;
    assert_eq!(view["status"], "ToApprove");
    assert_eq!(view["input"]["vat_standard"], "137.90");
    assert_eq!(view["input"]["vat_reduced"], "");
    assert_eq!(view["needs_ceo"], false);

    // The CEO approves (below the second-factor threshold: no code).
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let approved = approve_bill(&ceo, id, "").await;
    assert_eq!(approved.status(), 200, "{}", approved.text().await.unwrap());
    let view = bill(&staff, id).await;
    assert_eq!(view["status"], "Approved");
    assert_eq!(view["approvals"].as_array().unwrap().len(), 1);
    assert_eq!(view["approvals"][0]["second_factor"], false);
    // Approving twice is a conflict, not a second approval.
    assert_eq!(approve_bill(&ceo, id, "").await.status(), 409);
    let theirs = bill(&provider, id).await;
    assert_eq!(theirs["status"], "Approved");
    assert_eq!(theirs["approvals"], json!([]), "who approved is internal");
    let approved_mail = sent_mail(&app.owner, "bill_approved").await;
    assert_eq!(approved_mail.len(), 1);
    assert_eq!(approved_mail[0].0, LUMITECH_MAIL);
    assert!(
        approved_mail[0].1.contains("LT-2026-041") || approved_mail[0].2.contains("LT-2026-041")
    );
    for event in [
        "payables.bill_received",
        "payables.bill_validated",
        "payables.bill_approved",
    ] {
        assert_eq!(audit_events(&app.owner, event).await, 1, "{event}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_files_and_bad_fields_are_refused_with_the_field_and_nothing_is_lost(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;

    let (status, body) = upload_bill(&staff, hv, "notes.txt", b"just some text".to_vec()).await;
    assert_eq!(
        (status, body["Validation"][0]["field"].clone()),
        (422, json!("file"))
    );
    assert_eq!(body["Validation"][0]["problem"], json!("UnsupportedFile"));
    let (status, body) = upload_bill(&staff, hv, "empty.pdf", Vec::new()).await;
    assert_eq!(
        (status, body["Validation"][0]["field"].clone()),
        (422, json!("file"))
    );
    let mut huge = b"%PDF-1.4\n".to_vec();
    huge.resize(10 * 1024 * 1024 + 1, b' ');
    let (status, _) = upload_bill(&staff, hv, "huge.pdf", huge).await;
    assert_eq!(status, 413, "larger than the 10 MB limit");
    assert_eq!(
        count_rows(
            &app.owner,
            "SELECT count(*) FROM supplier_bills WHERE status = 'draft'"
        )
        .await,
        0
    );
    assert_eq!(
        count_rows(&app.owner, "SELECT count(*) FROM stored_files").await,
        0
    );

    // Another company's bills are not this accountant's to receive.
    let other = company_id(&app.owner, "LEXAIA").await;
    let (status, _) = upload_bill(
        &staff,
        other,
        "a.png",
        qr_fixture("QrCodes/qr-minimal-setup.png"),
    )
    .await;
    assert_eq!(status, 403);

    let id = received_bill(
        &staff,
        hv,
        "scor.png",
        qr_fixture("QrCodes/qr-payment-reference-scor.png"),
    )
    .await;
    let view = bill(&staff, id).await;
    assert_eq!(view["input"]["reference_type"], "Scor");
    assert_eq!(view["input"]["reference"], "RF18539007547034");
    // No supplier known by that IBAN or name: none matched, one to create.
    assert_eq!(view["input"]["party_id"], Value::Null);
    let good = {
        let mut i = view["input"].clone();
        i["new_supplier"] = json!("Thomas LeClaire");
        i["number"] = json!("TL-77");
        i["issue_date"] = json!("2026-11-02");
        i["due_date"] = json!("2026-12-02");
        i
    };
    let broken = |changes: &[(&str, Value)]| {
        let mut i = good.clone();
        for (k, v) in changes {
            i[*k] = v.clone();
        }
        i
    };
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (broken(&[("number", json!(""))]), vec!["number"]),
        (
            broken(&[("issue_date", json!("2026-13-01"))]),
            vec!["issue_date"],
        ),
        (
            broken(&[("due_date", json!("2026-10-01"))]),
            vec!["due_date"],
        ),
        (broken(&[("amount", json!("0"))]), vec!["amount"]),
        (broken(&[("amount", json!("12,3.4"))]), vec!["amount"]),
        (
            broken(&[("vat_reduced", json!("99.00"))]),
            vec!["vat_reduced"],
        ),
        (
            broken(&[("vat_accommodation", json!("-1"))]),
            vec!["vat_accommodation"],
        ),
        // Each below the total, together not.
        (
            broken(&[("vat_standard", json!("20")), ("vat_reduced", json!("10"))]),
            vec!["vat_standard"],
        ),
        (
            broken(&[("iban", json!("CH9300762011623852958"))]),
            vec!["iban"],
        ),
        // A QR reference needs a QR-IBAN; a creditor reference must carry its check digits.
        (
            broken(&[
                ("reference_type", json!("Qrr")),
                ("reference", json!("210000000003139471430009017")),
            ]),
            vec!["reference"],
        ),
        (
            broken(&[("reference", json!("RF19539007547034"))]),
            vec!["reference"],
        ),
        (broken(&[("new_supplier", json!(""))]), vec!["new_supplier"]),
        (
            broken(&[("expected_amount", json!("-5"))]),
            vec!["expected_amount"],
        ),
        (
            broken(&[("number", json!("")), ("amount", json!("x"))]),
            vec!["number", "amount"],
        ),
    ];
    for (input, fields) in cases {
        let refused = save_bill(&staff, id, &input).await;
        assert_eq!(problem_fields(refused).await, fields, "{input}");
    }
    assert_eq!(
        bill_status(&staff, id).await,
        "Draft",
        "a refused save changes nothing"
    );

    let saved = save_bill(&staff, id, &good).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let view = bill(&staff, id).await;
    assert_eq!(view["status"], "ToApprove");
    assert_eq!(
        view["party_name"], "Thomas LeClaire",
        "the supplier was created"
    );
    let created = view["input"]["party_id"].clone();

    // The next bill with that IBAN finds the supplier by it.
    let again = received_bill(
        &staff,
        hv,
        "non.png",
        qr_fixture("QrCodes/qr-payment-reference-non.png"),
    )
    .await;
    let next = bill(&staff, again).await;
    assert_eq!(next["input"]["party_id"], created);
    assert_eq!(next["suppliers"][0]["matched_by"], "Iban");
    // Same supplier, same amount: shown as a possible duplicate of the first.
    assert_eq!(next["duplicates"][0]["id"], json!(id));
    assert_eq!(next["duplicates"][0]["same_file"], false);
    // Validating it with the first one's number is refused on the number.
    let mut input = next["input"].clone();
    input["number"] = json!("TL-77");
    input["issue_date"] = json!("2026-11-02");
    input["due_date"] = json!("2026-12-02");
    assert_eq!(
        problem_fields(save_bill(&staff, again, &input).await).await,
        vec!["number"]
    );

    // An unknown bill is not found; a malformed body is a client error, not a 500.
    assert_eq!(save_bill(&staff, Uuid::new_v4(), &good).await.status(), 404);
    let garbled = staff
        .post_json(
            "/api/bills/save",
            &json!({ "id": id, "input": { "number": 5 } }),
        )
        .await;
    assert!(garbled.status().is_client_error(), "{}", garbled.status());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_bill_with_a_text_layer_arrives_filled_in_with_its_vat_at_the_rate_it_fits(
    owner: PgPool,
) {
    let app = TestApp::spawn_demo(owner).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    let ocr = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures/ocr");
    let azure = std::fs::read(format!("{ocr}/AzureInterior.pdf")).unwrap();
    let id = received_bill(&staff, hv, "azure.pdf", azure).await;
    let view = bill(&staff, id).await;
    let input = &view["input"];
    assert_eq!(input["number"], "INV/2023/03/0008");
    assert_eq!(input["issue_date"], "2023-03-20");
    assert_eq!(input["currency"], "USD");
    assert_eq!(input["amount"], "279.84");
    // 16.94 on a net of 262.90 is nearest the standard rate.
    assert_eq!(input["vat_standard"], "16.94");
    assert_eq!(input["vat_reduced"], "");
    assert!(view["read"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["source"] == "text"));

    // An invoice in a currency the platform does not pay in says so.
    let oyo = std::fs::read(format!("{ocr}/oyo.pdf")).unwrap();
    let id = received_bill(&staff, hv, "oyo.pdf", oyo).await;
    let view = bill(&staff, id).await;
    assert_eq!(view["input"]["currency"], "CHF");
    assert!(
        view["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("INR")),
        "{}",
        view["notes"]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_same_file_twice_is_one_stored_file_and_a_flagged_duplicate(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    let png = qr_fixture("QrCodes/qr-ultimate-debtor.png");
    let (_, first) = upload_bill(&staff, hv, "a.png", png.clone()).await;
    let (status, second) = upload_bill(&staff, hv, "a-again.png", png).await;
    assert_eq!(status, 200);
    assert_eq!(first["same_file_as"], Value::Null);
    assert_eq!(second["same_file_as"], first["bill_id"]);
    assert_eq!(
        count_rows(&app.owner, "SELECT count(*) FROM stored_files").await,
        1
    );
    let second_id: Uuid = serde_json::from_value(second["bill_id"].clone()).unwrap();
    let view = bill(&staff, second_id).await;
    assert_eq!(view["duplicates"][0]["id"], first["bill_id"]);
    assert_eq!(view["duplicates"][0]["same_file"], true);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_rejected_bill_says_why_and_its_provider_is_told(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let provider = app.new_session();
    provider.sign_in(PROVIDER, 0).await;
    let id = received_bill(
        &provider,
        hv,
        "lt.png",
        qr_fixture("QrCodes/qr-full-set.png"),
    )
    .await;
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    assert_eq!(reject_bill(&provider, id, "no").await.status(), 403);
    assert_eq!(
        problem_fields(reject_bill(&staff, id, "  ").await).await,
        vec!["reason"]
    );
    assert_eq!(
        problem_fields(reject_bill(&staff, id, &"x".repeat(501)).await).await,
        vec!["reason"]
    );
    assert_eq!(
        reject_bill(
            &staff,
            id,
            "Le bon de commande 118 ne couvre pas ces travaux"
        )
        .await
        .status(),
        200
    );
    let theirs = bill(&provider, id).await;
    assert_eq!(theirs["status"], "Rejected");
    assert_eq!(
        theirs["rejected_reason"],
        "Le bon de commande 118 ne couvre pas ces travaux"
    );
    let mail = sent_mail(&app.owner, "bill_rejected").await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].0, LUMITECH_MAIL);
    assert!(
        mail[0].2.contains("Le bon de commande 118"),
        "{}",
        mail[0].2
    );
    // Rejected is final.
    assert_eq!(reject_bill(&staff, id, "again").await.status(), 409);
    assert_eq!(approve_bill(&staff, id, "").await.status(), 409);
    assert_eq!(audit_events(&app.owner, "payables.bill_rejected").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn providers_see_only_their_own_bills_and_staff_only_their_companies(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let lexaia = company_id(&app.owner, "LEXAIA").await;
    let provider = app.new_session();
    provider.sign_in(PROVIDER, 0).await;
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let theirs = received_bill(
        &provider,
        hv,
        "mine.png",
        qr_fixture("QrCodes/qr-full-set.png"),
    )
    .await;
    let staffs = received_bill(
        &staff,
        hv,
        "office.png",
        qr_fixture("QrCodes/qr-minimal-setup.png"),
    )
    .await;
    let foreign = received_bill(
        &ceo,
        lexaia,
        "lex.png",
        qr_fixture("QrCodes/qr-ultimate-debtor.png"),
    )
    .await;

    // A provider cannot upload for another company, nor read what is not theirs.
    let (status, _) = upload_bill(
        &provider,
        lexaia,
        "x.png",
        qr_fixture("QrCodes/qr-full-set.png"),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(bill_get_status(&provider, theirs).await, 200);
    for other in [staffs, foreign] {
        assert!(
            matches!(bill_get_status(&provider, other).await, 403 | 404),
            "{other}"
        );
        let url = bill(&ceo, other).await["file_url"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(matches!(
            provider.get(&url).await.status().as_u16(),
            403 | 404
        ));
    }
    // Their list holds their bill only; the accountant's holds HYPERVISUAL's (demo bills
    // included) and no LEXAIA bill.
    let ids = |page: Value| -> Vec<Uuid> {
        page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| serde_json::from_value(r["id"].clone()).unwrap())
            .collect()
    };
    let query = json!({ "kind": "Bills", "query": { "sort": "created" } });
    let mine = ids(call_json(&provider, "/api/lists/rows", &query).await);
    assert!(mine.contains(&theirs));
    let lumitech = party_id(&app.owner, LUMITECH).await;
    for id in &mine {
        let sql = format!(
            "SELECT count(*) FROM supplier_bills WHERE id = '{id}' AND party_id = '{lumitech}'"
        );
        assert_eq!(count_rows(&app.owner, &sql).await, 1, "{id} is LumiTech's");
    }
    assert!(!mine.contains(&staffs) && !mine.contains(&foreign));
    let all: Vec<Uuid> = ids(call_json(&staff, "/api/lists/rows", &query).await);
    assert!(all.contains(&theirs) && all.contains(&staffs));
    assert!(!all.contains(&foreign));
    let elsewhere = staff
        .post_json(
            "/api/lists/rows",
            &json!({ "kind": "Bills", "query": { "company": lexaia } }),
        )
        .await;
    assert_eq!(elsewhere.status(), 403);
    assert!(matches!(bill_get_status(&staff, foreign).await, 403 | 404));
    assert_eq!(bill_get_status(&staff, staffs).await, 200);
}
