//! Supplier-bill helpers: fixtures, the upload route, and a bill taken through validation and
//! approval over HTTP, as the portals do it.

use super::*;
use serde_json::{json, Value};
use uuid::Uuid;

/// `../shared/fixtures/qrbill`.
pub const QR_FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures/qrbill");

/// A QR-bill fixture's bytes (`FpdfOutput/qr-full-set.pdf`, `QrCodes/qr-minimal-setup.png`…).
pub fn qr_fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{QR_FIXTURES}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Uploads a file as the portals do (`POST /payables/upload`); status and answer.
pub async fn upload_bill(
    session: &TestApp,
    company: Uuid,
    name: &str,
    bytes: Vec<u8>,
) -> (u16, Value) {
    let response = session
        .client
        .post(session.url(&format!("/payables/upload?company={company}&name={name}")))
        .header("origin", session.origin())
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Uploads and returns the draft's id, asserting success.
pub async fn received_bill(session: &TestApp, company: Uuid, name: &str, bytes: Vec<u8>) -> Uuid {
    let (status, intake) = upload_bill(session, company, name, bytes).await;
    assert_eq!(status, 200, "upload of {name}: {intake}");
    serde_json::from_value(intake["bill_id"].clone()).unwrap()
}

/// A bill's page as `session` sees it (asserting 200).
pub async fn bill(session: &TestApp, id: Uuid) -> Value {
    call(session, "/api/bills/get", &[("id", &id.to_string())]).await
}

/// Saves (validates) a bill's fields.
pub async fn save_bill(session: &TestApp, id: Uuid, input: &Value) -> reqwest::Response {
    session
        .post_json("/api/bills/save", &json!({ "id": id, "input": input }))
        .await
}

/// Approves a bill, with a second-factor `code` (empty when none is needed).
pub async fn approve_bill(session: &TestApp, id: Uuid, code: &str) -> reqwest::Response {
    session
        .post_form(
            "/api/bills/approve",
            &[("id", &id.to_string()), ("code", code)],
        )
        .await
}

/// Rejects a bill with `reason`.
pub async fn reject_bill(session: &TestApp, id: Uuid, reason: &str) -> reqwest::Response {
    session
        .post_form(
            "/api/bills/reject",
            &[("id", &id.to_string()), ("reason", reason)],
        )
        .await
}

/// The fields of a validation error (`422`), in order.
pub async fn problem_fields(response: reqwest::Response) -> Vec<String> {
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    body["Validation"]
        .as_array()
        .unwrap_or_else(|| panic!("not a validation error: {body}"))
        .iter()
        .map(|p| p["field"].as_str().unwrap().to_owned())
        .collect()
}

/// A supplier party of `company` with an IBAN (created as the schema owner).
pub async fn supplier(owner: &PgPool, company: Uuid, name: &str, iban: &str) -> Uuid {
    let mut tx = system_tx(owner).await;
    let id = sqlx::query_scalar(
        "INSERT INTO parties (company_id, kind, name, iban, country) VALUES ($1, 'supplier', $2, $3, 'CH') RETURNING id",
    )
    .bind(company)
    .bind(name)
    .bind(iban)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

/// A bill of `party` uploaded (a QR-bill with a QR-IBAN and QRR reference, or, when `iban` is
/// a plain IBAN, without reference), validated with `number`, `amount` and `due` and approved by
/// `staff`; its id.
#[allow(clippy::too_many_arguments)]
pub async fn approved_bill(
    staff: &TestApp,
    company: Uuid,
    party: Uuid,
    number: &str,
    amount: &str,
    currency: &str,
    iban: &str,
    due: &str,
) -> Uuid {
    // A different file each time (the same file would be the same bill).
    let mut file = qr_fixture("QrCodes/qr-full-set.png");
    file.extend_from_slice(number.as_bytes());
    let id = received_bill(staff, company, &format!("{number}.png"), file).await;
    let mut input = bill(staff, id).await["input"].clone();
    let qr = app::domain::reference::is_qr_iban(iban);
    input["party_id"] = json!(party);
    input["number"] = json!(number);
    input["issue_date"] = json!("2026-11-01");
    input["due_date"] = json!(due);
    input["amount"] = json!(amount);
    input["currency"] = json!(currency);
    input["iban"] = json!(iban);
    input["reference_type"] = json!(if qr { "Qrr" } else { "Non" });
    input["reference"] = json!(if qr {
        "210000000003139471430009017"
    } else {
        ""
    });
    let saved = save_bill(staff, id, &input).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let approved = approve_bill(staff, id, "").await;
    assert_eq!(approved.status(), 200, "{}", approved.text().await.unwrap());
    id
}

/// A count from the schema owner's view.
pub async fn count_rows(owner: &PgPool, sql: &str) -> i64 {
    let mut tx = system_tx(owner).await;
    let n = sqlx::query_scalar(sql).fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    n
}

/// The demo provider's party.
pub const LUMITECH: &str = "LumiTech Installations Sàrl";

/// A bill's status as `session` sees it.
pub async fn bill_status(session: &TestApp, id: Uuid) -> Value {
    bill(session, id).await["status"].clone()
}

/// The HTTP status `session` gets asking for a bill's page.
pub async fn bill_get_status(session: &TestApp, id: Uuid) -> u16 {
    session
        .post_form("/api/bills/get", &[("id", &id.to_string())])
        .await
        .status()
        .as_u16()
}
