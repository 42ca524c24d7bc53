//! Reading supplier bills, through the same pipeline the upload and `server bills read` use:
//! every QR-bill of `../shared/fixtures/qrbill/` decoded to the exact payload it encodes, every
//! invoice of `../shared/fixtures/ocr/` compared field by field with what another extractor
//! reads from it, and the vision step against a local chat-completions server.

use std::sync::{Arc, Mutex};

use app::domain::money::parse_minor;
use app::payables::ssr::reading::{read, Reading, Source, Vision};
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

const QR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures/qrbill");
const OCR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures/ocr");

fn value<'a>(r: &'a Reading, name: &str) -> Option<&'a str> {
    r.get(name).map(|f| f.value.as_str())
}

fn source(r: &Reading, name: &str) -> Option<Source> {
    r.get(name).map(|f| f.source)
}

/// The fields of an SPC payload, by their position in the Swiss QR-bill guidelines (2.3), read
/// here line by line — independently of the platform's parser.
struct Spc<'a> {
    iban: &'a str,
    creditor: &'a str,
    amount: &'a str,
    currency: &'a str,
    reference_type: &'a str,
    reference: &'a str,
    message: &'a str,
    bill_information: &'a str,
}

fn spc(payload: &str) -> Spc<'_> {
    let lines: Vec<&str> = payload
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .collect();
    let at = |i: usize| lines.get(i).copied().unwrap_or_default();
    Spc {
        iban: at(3),
        creditor: at(5),
        amount: at(18),
        currency: at(19),
        reference_type: at(27),
        reference: at(28),
        message: at(29),
        bill_information: at(31),
    }
}

fn check_fields(what: &str, reading: &Reading, expected: &Spc<'_>) {
    assert_eq!(value(reading, "iban"), Some(expected.iban), "{what}: IBAN");
    assert_eq!(
        value(reading, "supplier"),
        Some(expected.creditor),
        "{what}: creditor"
    );
    assert_eq!(
        value(reading, "currency"),
        Some(expected.currency),
        "{what}: currency"
    );
    assert_eq!(
        source(reading, "iban"),
        Some(Source::Qr),
        "{what}: the IBAN comes from the QR-bill"
    );
    if expected.amount.is_empty() {
        assert!(
            reading.get("amount").is_none_or(|f| f.source != Source::Qr),
            "{what}: a bill without an amount has none from its QR code"
        );
    } else {
        assert_eq!(
            value(reading, "amount").map(|a| parse_minor(a).unwrap()),
            Some(parse_minor(expected.amount).unwrap()),
            "{what}: amount"
        );
        assert_eq!(
            source(reading, "amount"),
            Some(Source::Qr),
            "{what}: amount source"
        );
    }
    assert_eq!(
        value(reading, "reference_type"),
        Some(expected.reference_type),
        "{what}: reference type"
    );
    assert_eq!(
        value(reading, "reference").unwrap_or_default(),
        expected.reference,
        "{what}: reference"
    );
    assert_eq!(
        value(reading, "message").unwrap_or_default(),
        expected.message,
        "{what}: message"
    );
    assert_eq!(
        value(reading, "bill_information").unwrap_or_default(),
        expected.bill_information,
        "{what}: billing information"
    );
    assert!(
        reading.get("iban").unwrap().confidence >= 90,
        "{what}: a QR-bill is sure"
    );
}

#[tokio::test]
async fn every_qr_fixture_decodes_to_the_exact_payload_it_encodes_from_its_image_and_its_pdf() {
    let mut names: Vec<String> = std::fs::read_dir(format!("{QR}/QrCodes"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".txt").map(str::to_owned))
        .collect();
    names.sort();
    assert_eq!(names.len(), 14, "the fixtures with a payload");
    for name in &names {
        let payload = std::fs::read_to_string(format!("{QR}/QrCodes/{name}.txt")).unwrap();
        let expected = spc(&payload);
        let png = std::fs::read(format!("{QR}/QrCodes/{name}.png")).unwrap();
        let reading = read(&png, None).await.expect("a PNG is read");
        assert_eq!(
            reading.qr_payload.as_deref(),
            Some(payload.as_str()),
            "{name}.png"
        );
        check_fields(&format!("{name}.png"), &reading, &expected);

        // The PDF bill of the same name carries the same payment part.
        let pdf = std::fs::read(format!("{QR}/FpdfOutput/{name}.pdf")).unwrap();
        let reading = read(&pdf, None).await.expect("a PDF is read");
        assert_eq!(reading.kind, "pdf");
        assert_eq!(
            reading.qr_payload.as_deref(),
            Some(payload.as_str()),
            "{name}.pdf"
        );
        check_fields(&format!("{name}.pdf"), &reading, &expected);
    }

    // The one PDF without a PNG twin: its payload is read and valid, accents included.
    let pdf = std::fs::read(format!("{QR}/FpdfOutput/qr-utf8.svg.pdf")).unwrap();
    let reading = read(&pdf, None).await.unwrap();
    let payload = reading
        .qr_payload
        .clone()
        .expect("qr-utf8.svg.pdf has a QR-bill");
    assert!(payload.starts_with("SPC\n0200\n1\n"));
    check_fields("qr-utf8.svg.pdf", &reading, &spc(&payload));
    assert!(
        !payload.is_ascii(),
        "the UTF-8 fixture keeps its accents: {payload}"
    );

    // `proof-of-validation.png` is a screenshot of the bank's validation portal, not a QR code:
    // out of scope for decoding; it must simply not be taken for a bill.
    let proof = std::fs::read(format!("{QR}/QrCodes/proof-of-validation.png")).unwrap();
    let reading = read(&proof, None).await.unwrap();
    assert_eq!(reading.qr_payload, None);
    assert!(reading.get("reference_type").is_none());
}

/// What `../shared/fixtures/ocr/*.json` says of a fixture, in the platform's forms.
struct Expected {
    number: String,
    date: String,
    amount_minor: i64,
    currency: String,
    vat_number: Option<String>,
    vat_minor: Option<i64>,
}

fn expected(name: &str) -> Expected {
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{OCR}/{name}.json")).unwrap())
            .unwrap();
    let e = &json[0];
    let minor = |v: &Value| (v.as_f64().unwrap() * 100.0).round() as i64;
    Expected {
        // The other extractor keeps a leading `#` it reads as part of the number; the number is
        // what follows it.
        number: e["invoice_number"]
            .as_str()
            .unwrap()
            .trim_start_matches('#')
            .to_owned(),
        date: e["date"].as_str().unwrap().to_owned(),
        amount_minor: minor(&e["amount"]),
        currency: e["currency"].as_str().unwrap().to_owned(),
        vat_number: e["vat"].as_str().map(|v| v.replace(' ', "")),
        vat_minor: e.get("amount_tax").filter(|v| !v.is_null()).map(minor),
    }
}

/// Every field another extractor reads, compared one by one. Out of scope, and why:
/// - `issuer` / `partner_name`: that extractor has one template per issuer; the platform matches
///   the supplier to a CRM party by IBAN, VAT number or name, or the accountant picks it;
/// - line items and `amount_untaxed`: a bill is booked by its total and VAT;
/// - `FlipkartInvoice.png`'s number: a 789-pixel-wide screenshot where the number is 8 pixels
///   high; OCR reads it unreliably (the same invoice's PDF is checked).
#[tokio::test]
async fn every_ocr_fixture_agrees_field_by_field_with_its_expected_reading() {
    let cases = [
        ("AmazonWebServices", "pdf", Source::Text),
        ("AmazonWebServices", "png", Source::Ocr),
        ("AzureInterior", "pdf", Source::Text),
        ("FlipkartInvoice", "pdf", Source::Text),
        ("FlipkartInvoice", "png", Source::Ocr),
        ("NetpresseInvoice", "pdf", Source::Text),
        ("QualityHosting", "pdf", Source::Text),
        ("coolblue1", "pdf", Source::Text),
        ("oyo", "pdf", Source::Text),
        ("oyo", "png", Source::Ocr),
    ];
    let mut mismatches = Vec::new();
    for (name, ext, via) in cases {
        let what = format!("{name}.{ext}");
        let e = expected(name);
        let bytes = std::fs::read(format!("{OCR}/{name}.{ext}")).unwrap();
        let r = read(&bytes, None).await.expect("read");
        assert!(
            r.steps.contains(&via),
            "{what}: read by {via:?}: {:?}",
            r.steps
        );
        assert_eq!(r.text_layer, via == Source::Text, "{what}: text layer");
        let mut check = |field: &str, got: Option<String>, want: String| {
            if got.as_deref() != Some(want.as_str()) {
                mismatches.push(format!("{what} {field}: read {got:?}, expected {want:?}"));
            }
        };
        if !(name == "FlipkartInvoice" && ext == "png") {
            check(
                "number",
                value(&r, "number").map(str::to_owned),
                e.number.clone(),
            );
        }
        check(
            "issue_date",
            value(&r, "issue_date").map(str::to_owned),
            e.date.clone(),
        );
        check(
            "amount",
            value(&r, "amount")
                .and_then(|a| parse_minor(a).ok())
                .map(|a| a.to_string()),
            e.amount_minor.to_string(),
        );
        check(
            "currency",
            value(&r, "currency").map(str::to_owned),
            e.currency.clone(),
        );
        if let Some(vat) = e.vat_number {
            check(
                "vat_number",
                value(&r, "vat_number").map(|v| v.replace(' ', "")),
                vat,
            );
        }
        if let Some(vat) = e.vat_minor {
            check(
                "vat_amount",
                value(&r, "vat_amount")
                    .and_then(|a| parse_minor(a).ok())
                    .map(|a| a.to_string()),
                vat.to_string(),
            );
        }
        for f in &r.fields {
            assert!(f.confidence <= 100, "{what}: {f:?}");
            assert_eq!(
                f.source, via,
                "{what}: nothing but the {via:?} step read {f:?}"
            );
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[tokio::test]
async fn files_that_are_not_bills_are_refused_and_a_broken_pdf_is_reported_not_fatal() {
    assert!(read(b"hello, not a bill", None).await.is_err());
    assert!(read(&vec![b'%'; 11 * 1024 * 1024], None).await.is_err());
    // A PDF header and nothing else: poppler cannot read it; the reading says so, no panic.
    let reading = read(b"%PDF-1.4\n%broken\n", None)
        .await
        .expect("still a reading");
    assert_eq!(reading.qr_payload, None);
    assert!(reading.fields.is_empty(), "{:?}", reading.fields);
}

/// A local OpenAI-compatible server: `POST /v1/chat/completions` as the public contract has it
/// (bearer key, `model`, `messages` with an `image_url` part), answering with `answer`.
async fn fake_vision(answer: Value) -> (String, Arc<Mutex<Vec<(HeaderMap, Value)>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let router = Router::new().route(
        "/v1/chat/completions",
        post(move |headers: HeaderMap, Json(body): Json<Value>| {
            let log = log.clone();
            let answer = answer.clone();
            async move {
                log.lock().unwrap().push((headers, body));
                Json(json!({
                    "id": "chatcmpl-1", "object": "chat.completion", "created": 1_764_000_000, "model": "vision-test",
                    "choices": [{ "index": 0, "finish_reason": "stop",
                                  "message": { "role": "assistant", "content": answer.to_string() } }],
                    "usage": { "prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2 }
                }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (url, seen)
}

fn blank_scan() -> Vec<u8> {
    let image = image::GrayImage::from_pixel(1600, 1000, image::Luma([255u8]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

#[tokio::test]
async fn a_vision_model_fills_what_the_other_steps_could_not_read_and_only_that() {
    let (url, seen) = fake_vision(json!({
        "supplier": "Atelier Léman SA", "number": "F-2026-118", "issue_date": "2026-11-20",
        "due_date": "2026-12-20", "amount": "1250.40", "currency": "CHF",
        "vat_number": "CHE-109.322.551", "iban": "", "reference": "",
        // Not in the forms asked for: ignored.
        "notes": "n/a"
    }))
    .await;
    let vision = Vision {
        url,
        key: secrecy::SecretString::from("sk-test-key"),
        model: "vision-test".into(),
    };
    let reading = read(&blank_scan(), Some(&vision)).await.unwrap();
    assert_eq!(reading.steps, vec![Source::Qr, Source::Ocr, Source::Vision]);
    assert_eq!(value(&reading, "number"), Some("F-2026-118"));
    assert_eq!(value(&reading, "amount"), Some("1250.40"));
    assert_eq!(value(&reading, "issue_date"), Some("2026-11-20"));
    assert_eq!(value(&reading, "vat_number"), Some("CHE-109.322.551"));
    assert_eq!(source(&reading, "amount"), Some(Source::Vision));
    assert!(reading.get("iban").is_none(), "an empty answer is no value");
    assert!(reading.get("notes").is_none());
    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests.len(), 1);
    let (headers, body) = &requests[0];
    assert_eq!(headers["authorization"], "Bearer sk-test-key");
    assert_eq!(body["model"], "vision-test");
    let image_url = body["messages"][1]["content"][1]["image_url"]["url"]
        .as_str()
        .unwrap();
    assert!(
        image_url.starts_with("data:image/png;base64,"),
        "the page is sent as an image"
    );

    // A bill whose text layer gave its number, date and total needs no model: it is not asked.
    let (url, seen) = fake_vision(json!({})).await;
    let vision = Vision { url, ..vision };
    let pdf = std::fs::read(format!("{OCR}/AmazonWebServices.pdf")).unwrap();
    let reading = read(&pdf, Some(&vision)).await.unwrap();
    assert_eq!(reading.steps, vec![Source::Qr, Source::Text]);
    assert_eq!(seen.lock().unwrap().len(), 0);

    // A model that answers nonsense leaves a note, not an error.
    let (url, _) = fake_vision(json!("not an object")).await;
    let vision = Vision { url, ..vision };
    let reading = read(&blank_scan(), Some(&vision)).await.unwrap();
    assert!(reading.get("number").is_none());
    assert!(
        reading
            .notes
            .iter()
            .any(|n| n.contains("did not answer JSON")),
        "{:?}",
        reading.notes
    );
}
