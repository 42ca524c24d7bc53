//! Billing documents read back as a person (or a bank) would read them: the text extracted from
//! the rendered PDFs, the QR-bills decoded from their pixels, deposits that agree between quote
//! and invoice, credit notes per VAT rate, drafts, numbering at issue, account credit, logos.

use crate::common::*;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

/// Thousands separated by a space, as the SIX style guide writes amounts (written again here).
fn six(minor: i64) -> String {
    let units = (minor / 100).to_string();
    let mut out = String::new();
    for (i, ch) in units.chars().enumerate() {
        if i > 0 && (units.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(ch);
    }
    format!("{out}.{:02}", minor % 100)
}

/// `CHF 1'234.50` as documents print totals (written again here).
fn printed(currency: &str, minor: i64) -> String {
    format!("{currency} {}", six(minor).replace(' ', "'"))
}

fn id_of(value: &Value) -> Uuid {
    serde_json::from_value(value.clone()).expect("an id")
}

async fn send(app: &TestApp, invoice: Uuid) {
    call(app, "/api/invoices/send", &[("id", &invoice.to_string())]).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn pdfs_print_every_character_of_three_languages_and_number_their_pages(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let words = "L’atelier « Genève » – Zürich — Straße élève à è ä ö ü ç ß…";
    let mut lines = vec![line(words, "1", "1234.50", &today())];
    let mut discounted = line("Remise fidélité", "2", "100", &today());
    discounted["discount"] = json!("10");
    lines.push(discounted);
    for n in 1..=45 {
        lines.push(line(&format!("Position {n}"), "1", "10", &today()));
    }
    let id = create_invoice(&ceo, "CHF", lines).await;
    send(&ceo, id).await;
    let view = invoice(&ceo, id).await;
    let text = pdf_text(&download(&ceo, &format!("/documents/invoices/{id}")).await);
    // Long descriptions wrap: compare the words, whatever the line breaks.
    let flowing = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flowing.contains(words), "{words:?} missing from:\n{text}");
    for word in ["Désignation", "Échéance"] {
        assert!(text.contains(word), "{word:?} missing from:\n{text}");
    }
    assert!(
        text.contains("100.00 -10%"),
        "a discount prints with a minus:\n{text}"
    );
    assert!(!text.contains('?'), "no character was replaced:\n{text}");
    // Addresses the Swiss way: no "CH-" before the postcode.
    assert!(text.contains("1003 Lausanne") && text.contains("1700 Fribourg"));
    assert!(!text.contains("CH-1"), "{text}");
    // Every page says which of how many it is.
    let pages = text.matches('\u{c}').count();
    assert!(pages >= 2, "47 lines and a payment part take several pages");
    for page in 1..=pages {
        assert!(
            text.contains(&format!("{page}/{pages}")),
            "page {page}/{pages}"
        );
    }
    // The payment part writes amounts with a space between thousands.
    let total = view["amounts"]["total_minor"].as_i64().unwrap();
    assert!(total > 100_000);
    assert!(text.contains(&six(total)), "{} in:\n{text}", six(total));
    assert!(text.contains(&printed("CHF", total)));
}

#[sqlx::test(migrations = "../migrations")]
async fn qr_bills_decode_from_the_rendered_pdf_in_chf_and_eur(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let mut tx = system_tx(&app.owner).await;
    let accounts: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT currency::text, iban, qr_iban FROM bank_accounts WHERE company_id = $1 AND receives_invoices ORDER BY currency",
    )
    .bind(hv)
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let account = |currency: &str| {
        accounts
            .iter()
            .find(|(c, ..)| c == currency)
            .cloned()
            .unwrap()
    };

    for currency in ["CHF", "EUR"] {
        let id = create_invoice(
            &ceo,
            currency,
            vec![line("Stand design", "3", "1333.33", &today())],
        )
        .await;
        send(&ceo, id).await;
        let view = invoice(&ceo, id).await;
        let codes = pdf_qr_codes(&download(&ceo, &format!("/documents/invoices/{id}")).await);
        assert_eq!(codes.len(), 1, "{currency}: one QR code");
        let fields: Vec<&str> = codes[0].split('\n').collect();
        let (_, iban, qr_iban) = account(currency);
        let total = view["amounts"]["total_minor"].as_i64().unwrap();
        assert_eq!(fields[..3], ["SPC", "0200", "1"]);
        assert_eq!(fields[18], format!("{}.{:02}", total / 100, total % 100));
        assert_eq!(fields[19], currency);
        assert_eq!(fields[21], "Helvetia Events SA");
        assert_eq!(
            fields[28],
            view["payment"]["reference"]
                .as_str()
                .unwrap()
                .replace(' ', "")
        );
        match qr_iban {
            Some(qr_iban) => {
                assert_eq!(currency, "CHF");
                assert_eq!(fields[3], qr_iban, "the CHF account's QR-IBAN");
                assert_eq!(fields[27], "QRR");
                assert_eq!(fields[28].len(), 27);
            }
            None => {
                assert_eq!(currency, "EUR");
                assert_eq!(fields[3], iban, "the EUR account, not the CHF one");
                assert_eq!(fields[27], "SCOR");
                assert!(fields[28].starts_with("RF"));
            }
        }
        assert_eq!(
            view["payment"]["account"]
                .as_str()
                .unwrap()
                .replace(' ', ""),
            fields[3]
        );
    }
    // EUR amounts are not rounded to 5 centimes: 3 × 1333.33 = 3999.99 + 8.1 % VAT.
    let eur = create_invoice(&ceo, "EUR", vec![line("x", "3", "1333.33", &today())]).await;
    assert_eq!(
        invoice(&ceo, eur).await["amounts"]["total_minor"],
        399_999 + 32_400
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_qr_bill_payload_is_exactly_what_the_standard_asks(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let quote = create_quote(&ceo, vec![line("LED wall rental", "2", "1500", &today())]).await;
    call(&ceo, "/api/quotes/send", &[("id", &quote.to_string())]).await;
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    assert_eq!(sign(&client, quote).await.status(), 200);
    let view = call(&client, "/api/quotes/get", &[("id", &quote.to_string())]).await;
    let invoice_id = view["invoices"][0]["id"].as_str().unwrap().to_owned();
    let number = view["invoices"][0]["number"].as_str().unwrap().to_owned();
    let total = view["invoices"][0]["total_minor"].as_i64().unwrap();
    let pdf = client
        .get(&format!("/documents/invoices/{invoice_id}"))
        .await;
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let codes = pdf_qr_codes(&pdf.bytes().await.unwrap());

    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let padded = format!("{digits:0>26}");
    let reference = format!("{padded}{}", independent_mod10(&padded));
    let amount = format!("{}.{:02}", total / 100, total % 100);
    let expected = [
        "SPC",
        "0200",
        "1",
        "CH3830767001000000000",
        "S",
        "HYPERVISUAL SA",
        "Route de la Glâne",
        "107",
        "1700",
        "Fribourg",
        "CH",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        &amount,
        "CHF",
        "S",
        "Helvetia Events SA",
        "Avenue de la Gare",
        "12",
        "1003",
        "Lausanne",
        "CH",
        "QRR",
        &reference,
        &number,
        "EPD",
        &format!("//S1/10/{number}"),
    ]
    .join("\n");
    assert_eq!(codes, vec![expected]);
    assert!(app::domain::reference::is_qr_iban("CH3830767001000000000"));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_deposit_on_the_quote_is_the_deposit_invoiced(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    let rate_sets: [&[&str]; 2] = [&["Standard"], &["Standard", "Reduced", "Accommodation"]];
    let mut cases = 0;
    for currency in ["CHF", "EUR"] {
        for rates in rate_sets {
            for (quantity, price) in [("1", "3067.37"), ("3", "999.99"), ("7.5", "12345.67")] {
                for percent in ["30", "33.3"] {
                    let lines = rates
                        .iter()
                        .enumerate()
                        .map(|(n, code)| {
                            let mut l = line(&format!("Item {n}"), quantity, price, &today());
                            l["vat_code"] = json!(code);
                            l
                        })
                        .collect();
                    let mut input = quote_input(&ceo, lines).await;
                    input["currency"] = json!(currency);
                    input["deposit_percent"] = json!(percent);
                    let quote = id_of(
                        &call_json(&ceo, "/api/quotes/create", &json!({ "input": input })).await,
                    );
                    let q = quote.to_string();
                    call(&ceo, "/api/quotes/send", &[("id", &q)]).await;
                    let announced =
                        call(&ceo, "/api/quotes/get", &[("id", &q)]).await["deposit"].clone();
                    let quote_pdf =
                        pdf_text(&download(&ceo, &format!("/documents/quotes/{q}")).await);
                    assert_eq!(sign(&client, quote).await.status(), 200);
                    let signed = call(&ceo, "/api/quotes/get", &[("id", &q)]).await;
                    let deposit =
                        Uuid::parse_str(signed["invoices"][0]["id"].as_str().unwrap()).unwrap();
                    let invoiced = invoice(&ceo, deposit).await;
                    let case = format!("{currency} {rates:?} {quantity}×{price} {percent}%");
                    assert_eq!(invoiced["kind"], "Deposit", "{case}");
                    assert_eq!(announced, invoiced["amounts"], "{case}: per rate and total");
                    let total = invoiced["amounts"]["total_minor"].as_i64().unwrap();
                    assert!(
                        quote_pdf.contains(&printed(currency, total)),
                        "{case}: the quote prints {} in\n{quote_pdf}",
                        printed(currency, total)
                    );
                    cases += 1;
                }
            }
        }
    }
    assert_eq!(cases, 24);
}

#[sqlx::test(migrations = "../migrations")]
async fn credit_notes_correct_the_vat_of_each_rate_and_name_their_invoice(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let lines = [
        ("Standard", "1000.35"),
        ("Reduced", "500.10"),
        ("Accommodation", "333.33"),
    ]
    .iter()
    .map(|(code, price)| {
        let mut l = line(code, "1", price, &today());
        l["vat_code"] = json!(code);
        l
    })
    .collect();
    let whole = create_invoice(&ceo, "CHF", lines).await;
    send(&ceo, whole).await;
    let partly = create_invoice(
        &ceo,
        "CHF",
        vec![
            line("A", "1", "1000", &today()),
            json!({ "product_id": null, "description": "B", "quantity": "1", "unit": "day",
                    "unit_price": "500", "discount": "", "vat_code": "Reduced", "service_date": today() }),
        ],
    )
    .await;
    send(&ceo, partly).await;

    // The whole invoice credited: per rate, the credit note corrects exactly the invoice's VAT.
    let original = invoice(&ceo, whole).await;
    let note = call(
        &ceo,
        "/api/invoices/credit",
        &[
            ("id", &whole.to_string()),
            ("amount", ""),
            ("reason", "Event cancelled"),
        ],
    )
    .await;
    let credited = invoice(&ceo, whole).await;
    assert_eq!(credited["balance_minor"], 0);
    let notes = credited["credit_notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["id"], note);
    assert_eq!(notes[0]["per_rate"], original["amounts"]["per_rate"]);
    assert_eq!(notes[0]["total_minor"], original["amounts"]["total_minor"]);
    let vat: i64 = notes[0]["per_rate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["vat_minor"].as_i64().unwrap())
        .sum();
    assert_eq!(vat, original["amounts"]["vat_minor"].as_i64().unwrap());

    // The credit note's PDF: which invoice (number and date), and net and VAT per rate.
    let text =
        pdf_text(&download(&ceo, &format!("/documents/credit-notes/{}", id_of(&note))).await);
    let number = original["number"].as_str().unwrap();
    let issued = original["issue_date"].as_str().unwrap();
    let (y, m, d) = (&issued[0..4], &issued[5..7], &issued[8..10]);
    assert!(text.contains("Note de crédit"), "{text}");
    assert!(
        text.contains(number) && text.contains(&format!("{d}.{m}.{y}")),
        "{text}"
    );
    for rate in original["amounts"]["per_rate"].as_array().unwrap() {
        let net = rate["net_minor"].as_i64().unwrap();
        let vat = rate["vat_minor"].as_i64().unwrap();
        let label = app::domain::money::format_percent_bp(rate["rate_bp"].as_i64().unwrap() as i32);
        let (net, vat) = (printed("CHF", net), printed("CHF", vat));
        let row = format!("TVA {label}% -{} -{}", &net[4..], &vat[4..]);
        assert!(text.contains(&row), "{row} in\n{text}");
    }
    let total = printed("CHF", original["amounts"]["total_minor"].as_i64().unwrap());
    assert!(
        text.contains(&format!("Total TTC CHF -{}", &total[4..])),
        "{text}"
    );

    // Credited in two steps: the second credit closes every rate exactly.
    let first = call(
        &ceo,
        "/api/invoices/credit",
        &[
            ("id", &partly.to_string()),
            ("amount", "123.45"),
            ("reason", "Discount"),
        ],
    )
    .await;
    assert!(first.is_string());
    call(
        &ceo,
        "/api/invoices/credit",
        &[
            ("id", &partly.to_string()),
            ("amount", ""),
            ("reason", "Rest"),
        ],
    )
    .await;
    let view = invoice(&ceo, partly).await;
    assert_eq!(view["balance_minor"], 0);
    assert_eq!(view["status"], "Cancelled");
    for rate in view["amounts"]["per_rate"].as_array().unwrap() {
        let (mut net, mut vat) = (0, 0);
        for note in view["credit_notes"].as_array().unwrap() {
            for r in note["per_rate"].as_array().unwrap() {
                if r["rate_bp"] == rate["rate_bp"] {
                    net += r["net_minor"].as_i64().unwrap();
                    vat += r["vat_minor"].as_i64().unwrap();
                }
            }
        }
        assert_eq!(
            (net, vat),
            (
                rate["net_minor"].as_i64().unwrap(),
                rate["vat_minor"].as_i64().unwrap()
            )
        );
    }
    // Nothing is left to credit, and a credit above the balance is refused by field.
    let refused = ceo
        .post_form(
            "/api/invoices/credit",
            &[
                ("id", &partly.to_string()),
                ("amount", "1"),
                ("reason", "Again"),
            ],
        )
        .await;
    assert!(refused.status().is_client_error());
}

#[sqlx::test(migrations = "../migrations")]
async fn drafts_are_edited_and_deleted_and_take_a_number_only_when_issued(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    let draft = create_invoice(&ceo, "CHF", vec![line("Draft", "1", "100", &today())]).await;
    let d = draft.to_string();
    let view = invoice(&ceo, draft).await;
    assert_eq!(view["status"], "Draft");
    assert_eq!(view["number"], Value::Null, "no number before it is issued");
    assert_eq!(
        view["payment"],
        Value::Null,
        "no reference before it is issued"
    );
    assert_eq!(
        client
            .post_form("/api/invoices/get", &[("id", &d)])
            .await
            .status(),
        404,
        "clients never see drafts"
    );

    let mut input = call(&ceo, "/api/invoices/input", &[("id", &d)]).await;
    input["lines"][0]["quantity"] = json!("3");
    input["title"] = json!("Edited");
    call_json(
        &ceo,
        "/api/invoices/update",
        &json!({ "id": draft, "input": input }),
    )
    .await;
    let edited = invoice(&ceo, draft).await;
    assert_eq!(edited["title"], "Edited");
    assert_eq!(edited["amounts"]["net_minor"], 30_000);
    let mut bad = input.clone();
    bad["lines"][0]["unit_price"] = json!("-5");
    let refused = ceo
        .post_json(
            "/api/invoices/update",
            &json!({ "id": draft, "input": bad }),
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(invoice(&ceo, draft).await["amounts"]["net_minor"], 30_000);

    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    let gone = create_invoice(&ceo, "CHF", vec![line("Gone", "1", "1", &today())]).await;
    call(&ceo, "/api/invoices/delete", &[("id", &gone.to_string())]).await;
    assert_eq!(
        ceo.post_form("/api/invoices/get", &[("id", &gone.to_string())])
            .await
            .status(),
        404
    );
    assert_eq!(
        client
            .post_form("/api/invoices/delete", &[("id", &d)])
            .await
            .status(),
        403
    );

    send(&ceo, draft).await;
    let issued = invoice(&ceo, draft).await;
    assert!(issued["number"].as_str().unwrap().starts_with("INV-"));
    for (path, body) in [(
        "/api/invoices/update",
        json!({ "id": draft, "input": input }),
    )] {
        let response = ceo.post_json(path, &body).await;
        assert_eq!(response.status(), 409, "an issued invoice cannot change");
    }
    assert_eq!(
        ceo.post_form("/api/invoices/delete", &[("id", &d)])
            .await
            .status(),
        409,
        "an issued invoice cannot be deleted"
    );
    assert_eq!(invoice(&ceo, draft).await["amounts"], issued["amounts"]);
    let mut tx = system_tx(&app.owner).await;
    let deleted = sqlx::query("DELETE FROM invoices WHERE id = $1")
        .bind(draft)
        .execute(&mut *tx)
        .await;
    assert!(deleted.is_err(), "the database refuses it too");
}

#[sqlx::test(migrations = "../migrations")]
async fn fifty_drafts_issued_at_once_take_fifty_consecutive_numbers(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let mut drafts = Vec::new();
    for n in 0..50 {
        drafts.push(
            create_invoice(
                &ceo,
                "CHF",
                vec![line(&format!("#{n}"), "1", "10", &today())],
            )
            .await,
        );
    }
    // A draft deleted in between takes no number either.
    call(
        &ceo,
        "/api/invoices/delete",
        &[("id", &drafts.pop().unwrap().to_string())],
    )
    .await;
    let handles: Vec<_> = drafts
        .iter()
        .map(|id| {
            let (client, url, origin, id) = (
                ceo.client.clone(),
                ceo.url("/api/invoices/send"),
                ceo.origin(),
                id.to_string(),
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
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.await.unwrap(), 200);
    }
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let mut tx = system_tx(&app.owner).await;
    let numbers: Vec<String> = sqlx::query_scalar(
        "SELECT number FROM invoices WHERE company_id = $1 AND number LIKE 'INV-' || extract(year FROM app_today()) || '-%'",
    )
    .bind(hv)
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    let unnumbered: i64 =
        sqlx::query_scalar("SELECT count(*) FROM invoices WHERE id = ANY($1) AND number IS NULL")
            .bind(&drafts)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(unnumbered, 0);
    let mut counters: Vec<u32> = numbers
        .iter()
        .map(|n| n.rsplit('-').next().unwrap().parse().unwrap())
        .collect();
    counters.sort_unstable();
    assert!(counters.len() >= 49);
    assert_eq!(
        counters,
        (1..=counters.len() as u32).collect::<Vec<_>>(),
        "gap-free and unique"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_overpayment_becomes_credit_used_on_the_next_invoice_or_refunded(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let first = create_invoice(&ceo, "CHF", vec![line("Work", "1", "1000", &today())]).await;
    send(&ceo, first).await;
    let total = invoice(&ceo, first).await["amounts"]["total_minor"]
        .as_i64()
        .unwrap();
    let paid = total + 25_000;
    let outcome = call_json(
        &ceo,
        "/api/invoices/record_payment",
        &json!({ "payment": { "invoice_id": first, "amount": format!("{}.{:02}", paid / 100, paid % 100),
                              "paid_on": today(), "method": "BankTransfer" }}),
    )
    .await;
    assert_eq!(outcome["status"], "Paid");
    assert_eq!(outcome["applied_minor"], total);
    assert_eq!(outcome["credited_minor"], 25_000);

    let second = create_invoice(&ceo, "CHF", vec![line("More", "1", "100", &today())]).await;
    send(&ceo, second).await;
    let view = invoice(&ceo, second).await;
    assert_eq!(
        view["party_credit_minor"], 25_000,
        "the credit shows on the next invoice"
    );
    let second_total = view["amounts"]["total_minor"].as_i64().unwrap();
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    assert_eq!(
        client
            .post_form("/api/invoices/apply_credit", &[("id", &second.to_string())])
            .await
            .status(),
        403,
        "only staff book credit"
    );
    let used = call(
        &ceo,
        "/api/invoices/apply_credit",
        &[("id", &second.to_string())],
    )
    .await;
    assert_eq!(used["status"], "Paid");
    assert_eq!(used["applied_minor"], second_total);
    let left = 25_000 - second_total;

    let party = party_id(&app.owner, "Helvetia Events SA").await.to_string();
    let refund = |amount: String| {
        let party = party.clone();
        let ceo = &ceo;
        async move {
            ceo.post_form(
                "/api/invoices/refund_credit",
                &[
                    ("party_id", &party),
                    ("currency", "CHF"),
                    ("amount", &amount),
                    ("note", "Bank transfer back"),
                ],
            )
            .await
        }
    };
    let too_much = refund(format!("{}.{:02}", (left + 1) / 100, (left + 1) % 100)).await;
    assert_eq!(too_much.status(), 422);
    let in_eur = ceo
        .post_form(
            "/api/invoices/refund_credit",
            &[
                ("party_id", &party),
                ("currency", "EUR"),
                ("amount", "1"),
                ("note", "x"),
            ],
        )
        .await;
    assert_eq!(in_eur.status(), 422, "the credit is in CHF");
    assert_eq!(
        refund(format!("{}.{:02}", left / 100, left % 100))
            .await
            .status(),
        200
    );
    let third = create_invoice(&ceo, "CHF", vec![line("Again", "1", "100", &today())]).await;
    send(&ceo, third).await;
    assert_eq!(invoice(&ceo, third).await["party_credit_minor"], 0);
    assert!(ceo
        .post_form("/api/invoices/apply_credit", &[("id", &third.to_string())])
        .await
        .status()
        .is_client_error());
    let mut tx = system_tx(&app.owner).await;
    let balance: i64 =
        sqlx::query_scalar("SELECT coalesce(sum(amount_minor), 0)::bigint FROM party_credits")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(balance, 0, "the ledger balances");
}

#[sqlx::test(migrations = "../migrations")]
async fn vat_is_rounded_by_the_company_policy_and_says_so(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    // Three lines of 10.05: 0.81405 VAT each. Per line 3 × 0.81 = 2.43; per rate 30.15 → 2.44.
    let lines = || {
        (0..3)
            .map(|_| line("Ticket", "1", "10.05", &today()))
            .collect::<Vec<_>>()
    };
    let per_line = create_invoice(&ceo, "EUR", lines()).await;
    let page = call(&ceo, "/api/admin/company", &[("id", &hv.to_string())]).await;
    assert_eq!(page["settings"]["vat_rounding"], "PerLine");
    let mut settings = page["settings"].clone();
    settings["vat_rounding"] = json!("PerRate");
    call_json(
        &ceo,
        "/api/admin/save_company",
        &json!({ "settings": settings }),
    )
    .await;
    let per_rate = create_invoice(&ceo, "EUR", lines()).await;
    send(&ceo, per_line).await;
    send(&ceo, per_rate).await;

    let a = invoice(&ceo, per_line).await;
    let b = invoice(&ceo, per_rate).await;
    assert_eq!(
        (a["vat_rounding"].clone(), a["amounts"]["vat_minor"].clone()),
        (json!("PerLine"), json!(243))
    );
    assert_eq!(
        (b["vat_rounding"].clone(), b["amounts"]["vat_minor"].clone()),
        (json!("PerRate"), json!(244))
    );
    let text_a = pdf_text(&download(&ceo, &format!("/documents/invoices/{per_line}")).await);
    let text_b = pdf_text(&download(&ceo, &format!("/documents/invoices/{per_rate}")).await);
    assert!(text_a.contains("TVA calculée et arrondie par ligne."));
    assert!(text_b.contains("TVA calculée et arrondie par taux, sur le total."));
    assert!(text_a.contains("2.43") && text_b.contains("2.44"));
}

#[sqlx::test(migrations = "../migrations")]
async fn each_currency_is_paid_to_its_own_account_or_refused(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let page = call(&ceo, "/api/admin/company", &[("id", &hv.to_string())]).await;
    let mut eur = page["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["currency"] == "EUR")
        .cloned()
        .unwrap();
    eur["receives_invoices"] = json!(false);
    call_json(&ceo, "/api/admin/save_account", &json!({ "account": eur })).await;

    let input = json!({
        "company_id": hv, "party_id": party_id(&app.owner, "Helvetia Events SA").await,
        "contact_id": null, "title": "x", "currency": "EUR", "due_days": "30",
        "lines": [line("x", "1", "1", &today())],
    });
    let refused = ceo
        .post_json("/api/invoices/create", &json!({ "input": input }))
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        refused.json::<Value>().await.unwrap(),
        json!({ "Validation": [{ "field": "currency", "problem": "NoBankAccount" }] })
    );

    // A new EUR account with a bad IBAN is refused by field; a good one receives invoices.
    let mut fresh = json!({ "id": null, "company_id": hv, "name": "Compte EUR 2", "iban": "CH00 0000",
                            "qr_iban": "", "currency": "EUR", "receives_invoices": true });
    let bad = ceo
        .post_json("/api/admin/save_account", &json!({ "account": fresh }))
        .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(
        bad.json::<Value>().await.unwrap()["Validation"][0]["field"],
        "iban"
    );
    let iban = app::domain::reference::iban_from("CH", "00767000000123456").unwrap();
    fresh["iban"] = json!(iban);
    fresh["qr_iban"] = json!("CH3830767001000000000");
    let qr_in_usd = {
        let mut f = fresh.clone();
        f["currency"] = json!("USD");
        ceo.post_json("/api/admin/save_account", &json!({ "account": f }))
            .await
    };
    assert_eq!(qr_in_usd.status(), 422, "no QR-bill in USD");
    fresh["qr_iban"] = json!("");
    call_json(
        &ceo,
        "/api/admin/save_account",
        &json!({ "account": fresh }),
    )
    .await;
    let id = create_invoice(&ceo, "EUR", vec![line("x", "1", "1", &today())]).await;
    send(&ceo, id).await;
    assert_eq!(
        invoice(&ceo, id).await["payment"]["account"]
            .as_str()
            .unwrap()
            .replace(' ', ""),
        iban
    );

    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    let mut other = fresh.clone();
    other["name"] = json!("Staff account");
    assert_eq!(
        staff
            .post_json("/api/admin/save_account", &json!({ "account": other }))
            .await
            .status(),
        403,
        "the accountant may not change bank accounts"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_company_logo_is_on_every_document(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let hv = company_id(&app.owner, "HYPERVISUAL").await;
    let png = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../public/icons/icon-192.png"
    ))
    .unwrap();
    let put = |session: &TestApp, body: Vec<u8>, mime: &'static str| {
        session
            .client
            .put(session.url(&format!("/settings/companies/{hv}/logo")))
            .header("origin", session.origin())
            .header("content-type", mime)
            .body(body)
            .send()
    };
    assert_eq!(
        put(&ceo, b"not an image".to_vec(), "image/png")
            .await
            .unwrap()
            .status(),
        422
    );
    assert_eq!(
        put(&ceo, png.clone(), "image/gif").await.unwrap().status(),
        422
    );
    let staff = app.new_session();
    staff.sign_in(STAFF, 0).await;
    assert_eq!(
        put(&staff, png.clone(), "image/png")
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        put(&ceo, png.clone(), "image/png").await.unwrap().status(),
        204
    );
    assert_eq!(
        download(&ceo, &format!("/settings/companies/{hv}/logo")).await,
        png
    );

    let quote = create_quote(&ceo, vec![line("x", "1", "100", &today())]).await;
    let invoice_id = create_invoice(&ceo, "CHF", vec![line("x", "1", "100", &today())]).await;
    send(&ceo, invoice_id).await;
    let note = call(
        &ceo,
        "/api/invoices/credit",
        &[
            ("id", &invoice_id.to_string()),
            ("amount", "10"),
            ("reason", "x"),
        ],
    )
    .await;
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    for (session, path) in [
        (&ceo, format!("/documents/quotes/{quote}")),
        (&ceo, format!("/documents/invoices/{invoice_id}")),
        (&ceo, format!("/documents/credit-notes/{}", id_of(&note))),
        (&client, "/documents/statement".to_owned()),
    ] {
        let pdf = download(session, &path).await;
        assert_eq!(images_in(&pdf), 1, "{path}: the logo");
    }
    let removed = ceo
        .client
        .delete(ceo.url(&format!("/settings/companies/{hv}/logo")))
        .header("origin", ceo.origin())
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    assert_eq!(
        images_in(&download(&ceo, &format!("/documents/quotes/{quote}")).await),
        0
    );
}

/// How many images `pdfimages` lists in `pdf` (the QR code is vector art, not an image).
fn images_in(pdf: &[u8]) -> usize {
    let path = std::env::temp_dir().join(format!("up-images-{}.pdf", Uuid::new_v4()));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&path)
        .output()
        .expect("pdfimages (poppler-utils)");
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .filter(|l| l.split_whitespace().nth(2) == Some("image"))
        .count()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_generated_demo_data_holds_no_contradiction(owner: PgPool) {
    load_demo(&owner).await;
    let sizes = server::demo::generate::Sizes {
        parties: 40,
        contacts: 40,
        leads: 40,
        quotes: 60,
        invoices: 400,
        lines_per_invoice: 2,
        supplier_bills: 10,
        subscriptions: 10,
        projects: 10,
    };
    server::demo::generate::generate(&owner, "test", sizes, 11)
        .await
        .expect("the generator runs");
    // Three months of bank movements per company, imported and reconciled like a file.
    server::demo::camt::load_demo_statements(&app_pool(&owner), "http://localhost")
        .await
        .expect("the demo statements import");
    let mut tx = system_tx(&owner).await;
    let checks = [
        ("cancelled invoices with something open",
         "SELECT count(*) FROM invoices WHERE status = 'cancelled' AND paid_minor + credited_minor <> total_minor"),
        ("paid invoices with something open",
         "SELECT count(*) FROM invoices WHERE status = 'paid' AND paid_minor + credited_minor < total_minor"),
        ("open invoices without anything open",
         "SELECT count(*) FROM invoices WHERE status IN ('sent', 'viewed', 'partial') AND paid_minor + credited_minor >= total_minor"),
        ("partial invoices with nothing paid",
         "SELECT count(*) FROM invoices WHERE status = 'partial' AND paid_minor + credited_minor = 0"),
        ("credited amounts that are not their credit notes",
         "SELECT count(*) FROM invoices i WHERE credited_minor <> (SELECT coalesce(sum(total_minor), 0) FROM credit_notes c WHERE c.invoice_id = i.id)"),
        ("paid amounts that are not their payments",
         "SELECT count(*) FROM invoices i WHERE paid_minor <> (SELECT coalesce(sum(amount_minor), 0) FROM payments p WHERE p.invoice_id = i.id)"),
        ("credit notes whose rates do not add up",
         "SELECT count(*) FROM credit_notes c WHERE c.vat_minor <> (SELECT coalesce(sum(vat_minor), 0) FROM credit_note_rates r WHERE r.credit_note_id = c.id)
                                                  OR c.net_minor <> (SELECT coalesce(sum(net_minor), 0) FROM credit_note_rates r WHERE r.credit_note_id = c.id)"),
        ("numbered drafts", "SELECT count(*) FROM invoices WHERE status = 'draft' AND number IS NOT NULL"),
        ("issued invoices without number, account or reference",
         "SELECT count(*) FROM invoices WHERE status <> 'draft' AND (number IS NULL OR account_iban IS NULL)"),
        ("invoices whose lines do not add up",
         "SELECT count(*) FROM invoices i WHERE net_minor <> (SELECT coalesce(sum(net_minor), 0) FROM invoice_lines l WHERE l.invoice_id = i.id)"),
        ("totals that are not net + VAT + rounding",
         "SELECT count(*) FROM invoices WHERE total_minor <> net_minor + vat_minor + rounding_minor"),
        ("invoices paid before they were issued",
         "SELECT count(*) FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE p.paid_on < i.issue_date"),
        ("EUR or USD invoices paid to a CHF account",
         "SELECT count(*) FROM invoices i WHERE status <> 'draft' AND NOT EXISTS
            (SELECT 1 FROM bank_accounts b WHERE b.company_id = i.company_id AND b.currency = i.currency
                AND i.account_iban IN (b.iban, b.qr_iban))"),
        ("negative account credit", "SELECT count(*) FROM (SELECT party_id, currency FROM party_credits GROUP BY 1, 2 HAVING sum(amount_minor) < 0) x"),
            ("movements whose allocated amount is not their allocations",
         "SELECT count(*) FROM bank_transactions t WHERE allocated_minor <> (SELECT coalesce(sum(amount_minor), 0) FROM bank_allocations a WHERE a.transaction_id = t.id AND a.undone_at IS NULL)"),
        ("matched movements with something unallocated",
         "SELECT count(*) FROM bank_transactions WHERE match_status = 'matched' AND allocated_minor <> amount_minor"),
        ("allocations whose payment is not on their invoice",
         "SELECT count(*) FROM bank_allocations a JOIN payments p ON p.id = a.payment_id WHERE p.invoice_id <> a.invoice_id"),
        ("accounts with movements but no balance",
         "SELECT count(*) FROM bank_accounts b WHERE EXISTS (SELECT 1 FROM bank_transactions t WHERE t.account_id = b.id) AND b.balance_minor = 0"),
    ];
    let invoices: i64 = sqlx::query_scalar("SELECT count(*) FROM invoices")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert!(invoices >= 2000, "{invoices}");
    for (what, sql) in checks {
        let found: i64 = sqlx::query_scalar(sql).fetch_one(&mut *tx).await.unwrap();
        assert_eq!(found, 0, "{what}");
    }
    let (movements, matched, proposed): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE match_status = 'matched'), count(*) FILTER (WHERE match_status = 'proposed') FROM bank_transactions",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    assert_eq!(movements, 5 * 40, "a statement per company");
    assert!(
        matched * 2 > movements,
        "most movements matched: {matched}/{movements}"
    );
    assert!(proposed > 0, "some wait for review");
    let statuses: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT status FROM invoices ORDER BY 1")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
    for needed in ["cancelled", "draft", "paid", "partial", "sent"] {
        assert!(
            statuses.iter().any(|s| s == needed),
            "{needed} in {statuses:?}"
        );
    }
    // The database itself refuses a cancelled invoice with an open balance.
    let refused = sqlx::query(
        "UPDATE invoices SET status = 'cancelled' WHERE id = (SELECT id FROM invoices WHERE status = 'sent' LIMIT 1)",
    )
    .execute(&mut *tx)
    .await;
    assert!(
        refused.is_err(),
        "cancelled with an open balance is refused"
    );
}
