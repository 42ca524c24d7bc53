//! Billing helpers shared by the test modules: demo ids, documents built over HTTP, and reading
//! rendered PDFs back (text with `pdftotext`, the QR code with `pdftoppm` and `rqrr`).

use super::*;
use serde_json::{json, Value};
use uuid::Uuid;

/// The id of the demo company with `code`.
pub async fn company_id(owner: &PgPool, code: &str) -> Uuid {
    let mut tx = system_tx(owner).await;
    let id: Uuid = sqlx::query_scalar("SELECT id FROM companies WHERE code = $1")
        .bind(code)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// The id of the demo party named `name`.
pub async fn party_id(owner: &PgPool, name: &str) -> Uuid {
    let mut tx = system_tx(owner).await;
    let id: Uuid = sqlx::query_scalar("SELECT id FROM parties WHERE name = $1")
        .bind(name)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// The id of the contact with `email`.
pub async fn contact_of(owner: &PgPool, email: &str) -> Uuid {
    let mut tx = system_tx(owner).await;
    let id: Uuid = sqlx::query_scalar("SELECT id FROM contacts WHERE email = $1")
        .bind(email)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Today in Zurich, ISO.
pub fn today() -> String {
    app::domain::calendar::iso_date(app::domain::calendar::today())
}

/// Today + `days`, ISO.
pub fn in_days(days: i64) -> String {
    app::domain::calendar::iso_date(app::domain::calendar::today() + time::Duration::days(days))
}

/// A standard-rate line as the editor sends it.
pub fn line(description: &str, quantity: &str, price: &str, date: &str) -> Value {
    json!({
        "product_id": null, "description": description, "quantity": quantity, "unit": "day",
        "unit_price": price, "discount": "", "vat_code": "Standard", "service_date": date,
    })
}

/// A quote of HYPERVISUAL to Helvetia Events (the demo client) with `lines`.
pub async fn quote_input(app: &TestApp, lines: Vec<Value>) -> Value {
    json!({
        "company_id": company_id(&app.owner, "HYPERVISUAL").await,
        "party_id": party_id(&app.owner, "Helvetia Events SA").await,
        "contact_id": contact_of(&app.owner, CLIENT).await,
        "title": "LED wall for the Lausanne fair",
        "currency": "CHF",
        "valid_until": in_days(30),
        "project_type": "",
        "deposit_percent": "",
        "notes": "",
        "lines": lines,
    })
}

/// Creates the quote of [`quote_input`]; its id.
pub async fn create_quote(app: &TestApp, lines: Vec<Value>) -> Uuid {
    let input = quote_input(app, lines).await;
    let response = app
        .post_json("/api/quotes/create", &json!({ "input": input }))
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

/// The outbox rows of `kind` as stored: `(to, subject, body)`.
pub async fn outbox(owner: &PgPool, kind: &str) -> Vec<(String, String, String)> {
    let mut tx = system_tx(owner).await;
    let rows = sqlx::query_as("SELECT to_address, subject, body_text FROM email_outbox WHERE kind = $1 ORDER BY created_at")
        .bind(kind)
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    rows
}

/// Signs `quote` as the client session, accepting the current terms.
pub async fn sign(client: &TestApp, quote: Uuid) -> reqwest::Response {
    let terms: Value = client
        .post_form("/api/quotes/terms", &[("id", &quote.to_string())])
        .await
        .json()
        .await
        .unwrap();
    client
        .post_json(
            "/api/quotes/sign",
            &json!({ "signature": {
                "quote_id": quote, "terms_version_id": terms["id"], "accept_terms": true,
                "signer_name": "Sophie Martin", "signature_kind": "typed", "signature_data": "Sophie Martin",
            }}),
        )
        .await
}

/// Parses a binary greyscale PGM (what `pdftoppm -gray` writes).
pub fn read_pgm(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes[i] == b'#' {
            while bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, bytes[i + 1..i + 1 + w * h].to_vec())
}

/// The modulo-10 recursive check digit, written again here to check the application's.
pub fn independent_mod10(digits: &str) -> u32 {
    let table = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5];
    let mut carry = 0;
    for d in digits.chars().map(|c| c.to_digit(10).unwrap() as usize) {
        carry = table[(carry + d) % 10];
    }
    ((10 - carry) % 10) as u32
}

/// Writes `pdf` to a fresh temporary directory; the directory (remove it when done).
fn pdf_on_disk(pdf: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("up-pdf-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("doc.pdf"), pdf).unwrap();
    dir
}

/// The text a reader would copy out of `pdf` (poppler's `pdftotext`, in drawing order).
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = pdf_on_disk(pdf);
    let status = std::process::Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(dir.join("doc.pdf"))
        .arg(dir.join("doc.txt"))
        .status()
        .expect("pdftotext (poppler-utils) reads the PDF");
    assert!(status.success(), "pdftotext accepts the PDF");
    let text = std::fs::read_to_string(dir.join("doc.txt")).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    text
}

/// Every QR code on every page of `pdf`, decoded (pages rendered at 200 dpi in greyscale).
pub fn pdf_qr_codes(pdf: &[u8]) -> Vec<String> {
    let dir = pdf_on_disk(pdf);
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "200", "-gray"])
        .arg(dir.join("doc.pdf"))
        .arg(dir.join("page"))
        .status()
        .expect("pdftoppm (poppler-utils) renders the PDF");
    assert!(status.success());
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pgm"))
        .collect();
    pages.sort();
    let mut codes = Vec::new();
    for page in pages {
        let (w, h, pixels) = read_pgm(&std::fs::read(page).unwrap());
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
        for grid in image.detect_grids() {
            codes.push(grid.decode().expect("the QR code decodes").1);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    codes
}

/// POSTs a form and returns the JSON answer, asserting 200.
pub async fn call(app: &TestApp, path: &str, form: &[(&str, &str)]) -> Value {
    let response = app.post_form(path, form).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, 200, "{path}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// POSTs JSON and returns the JSON answer, asserting 200.
pub async fn call_json(app: &TestApp, path: &str, body: &Value) -> Value {
    let response = app.post_json(path, body).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, 200, "{path}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// A draft invoice of HYPERVISUAL to Helvetia Events in `currency`; its id.
pub async fn create_invoice(app: &TestApp, currency: &str, lines: Vec<Value>) -> Uuid {
    let input = json!({
        "company_id": company_id(&app.owner, "HYPERVISUAL").await,
        "party_id": party_id(&app.owner, "Helvetia Events SA").await,
        "contact_id": contact_of(&app.owner, CLIENT).await,
        "title": "Event services",
        "currency": currency,
        "due_days": "30",
        "lines": lines,
    });
    let id = call_json(app, "/api/invoices/create", &json!({ "input": input })).await;
    serde_json::from_value(id).unwrap()
}

/// An invoice as its page shows it.
pub async fn invoice(app: &TestApp, id: Uuid) -> Value {
    call(app, "/api/invoices/get", &[("id", &id.to_string())]).await
}

/// The body of a GET that must answer 200.
pub async fn download(app: &TestApp, path: &str) -> Vec<u8> {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.bytes().await.unwrap().to_vec()
}
