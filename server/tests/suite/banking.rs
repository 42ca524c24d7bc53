//! Banking (W2): statements parsed like the reference importer parses them, imported once
//! however often they are uploaded, reconciled with invoices (reference, score, review, partial,
//! several invoices, overpayment, undo), never allocating a franc twice, and kept per company.

use crate::common::*;
use serde_json::{json, Value};
use server::demo::camt::{statement, Line};
use sqlx::PgPool;
use uuid::Uuid;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures/camt");

fn minor(amount: &Value) -> i64 {
    (amount.as_f64().unwrap() * 100.0).round() as i64
}

#[test]
fn every_fixture_statement_parses_like_its_golden() {
    let mut compared = 0;
    for name in ["camt053", "camt053-no-ntry", "camt053-txdtls", "camt054"] {
        let bytes = std::fs::read(format!("{FIXTURES}/test-{name}")).unwrap();
        let golden = pydata::parse(
            &std::fs::read_to_string(format!("{FIXTURES}/golden-{name}.pydata")).unwrap(),
        );
        let file = app::domain::camt::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let statements: Vec<&app::domain::camt::CamtStatement> = file
            .statements
            .iter()
            .filter(|s| !s.entries.is_empty())
            .collect();
        let expected = golden[2].as_array().unwrap();
        assert_eq!(
            statements.len(),
            expected.len(),
            "{name}: statements with entries"
        );
        for (s, g) in statements.iter().zip(expected) {
            assert_eq!(
                s.currency.as_deref(),
                golden[0].as_str(),
                "{name}: currency"
            );
            assert_eq!(s.iban.as_deref(), golden[1].as_str(), "{name}: account");
            assert_eq!(s.id, g["name"].as_str().unwrap(), "{name}: statement id");
            assert_eq!(
                s.opening.map(|b| b.0).unwrap_or(0),
                minor(&g["balance_start"]),
                "{name}: opening"
            );
            assert_eq!(
                s.closing.map(|b| b.0).unwrap_or(0),
                minor(&g["balance_end_real"]),
                "{name}: closing"
            );
            let transactions = g["transactions"].as_array().unwrap();
            assert_eq!(s.entries.len(), transactions.len(), "{name}: entries");
            for (e, t) in s.entries.iter().zip(transactions) {
                let what = format!("{name} {}", t["ref"]);
                assert_eq!(e.amount_minor, minor(&t["amount"]), "{what}: amount");
                assert_eq!(
                    e.booking_date.to_string(),
                    t["date"].as_str().unwrap(),
                    "{what}: date"
                );
                assert_eq!(
                    e.reference_text.as_deref(),
                    t["ref"].as_str(),
                    "{what}: reference"
                );
                assert_eq!(
                    e.counterparty_name.as_deref(),
                    t["partner_name"].as_str(),
                    "{what}: counterparty"
                );
                assert_eq!(
                    e.counterparty_account.as_deref(),
                    t["account_number"].as_str(),
                    "{what}: counterparty account"
                );
                assert_eq!(
                    e.transaction_code.as_deref(),
                    t["transaction_type"].as_str(),
                    "{what}: code"
                );
                compared += 1;
            }
            let ids: std::collections::HashSet<&str> =
                s.entries.iter().map(|e| e.bank_id.as_str()).collect();
            assert_eq!(
                ids.len(),
                s.entries.len(),
                "{name}: every entry has its own bank id"
            );
        }
        // The same bytes give the same ids (what makes a second import recognise them).
        let again = app::domain::camt::parse(&bytes).unwrap();
        assert_eq!(again, file, "{name}: parsing is deterministic");
    }
    assert_eq!(compared, 4 + 2 + 1);
    // A QR reference is one only when its check digit holds: the batch's second reference is,
    // the first (check digit 1, should be 6) is kept as text and never matched as a QRR.
    let file = app::domain::camt::parse(
        &std::fs::read(format!("{FIXTURES}/test-camt053-txdtls")).unwrap(),
    )
    .unwrap();
    let entries = &file.statements[0].entries;
    assert!(matches!(
        entries[1].reference,
        app::domain::camt::CamtReference::Qrr(_)
    ));
    assert!(matches!(
        entries[0].reference,
        app::domain::camt::CamtReference::Other(_)
    ));
}

/// HYPERVISUAL's CHF invoicing account.
async fn chf_account(owner: &PgPool) -> (Uuid, String) {
    let company = company_id(owner, "HYPERVISUAL").await;
    let mut tx = system_tx(owner).await;
    let iban: String = sqlx::query_scalar("SELECT iban FROM bank_accounts WHERE company_id = $1 AND currency = 'CHF' AND receives_invoices")
        .bind(company)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (company, iban)
}

/// An issued CHF invoice to Helvetia: its id and page.
async fn issued(ceo: &TestApp, price: &str) -> (Uuid, Value) {
    let id = create_invoice(ceo, "CHF", vec![line("Work", "1", price, &today())]).await;
    call(ceo, "/api/invoices/send", &[("id", &id.to_string())]).await;
    (id, invoice(ceo, id).await)
}

fn open_of(view: &Value) -> i64 {
    view["balance_minor"].as_i64().unwrap()
}

fn reference_of(view: &Value) -> String {
    view["payment"]["reference"]
        .as_str()
        .unwrap()
        .replace(' ', "")
}

fn credit(
    bank_id: &str,
    amount_minor: i64,
    reference: Option<(&'static str, String)>,
    text: &str,
    name: &str,
) -> Line {
    Line {
        bank_id: bank_id.to_owned(),
        booked: app::domain::calendar::today(),
        amount_minor,
        reference,
        text: text.to_owned(),
        name: name.to_owned(),
        iban: Some("CH9300762011623852957".to_owned()),
    }
}

/// Uploads `bytes` as the CEO portal does; status and answer.
async fn upload(
    session: &TestApp,
    company: Uuid,
    name: &str,
    bytes: Vec<u8>,
    dry_run: bool,
) -> (u16, Value) {
    let response = session
        .client
        .post(session.url(&format!(
            "/banking/import?company={company}&name={name}{}",
            if dry_run { "&dry_run=1" } else { "" }
        )))
        .header("origin", session.origin())
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn count(owner: &PgPool, sql: &str) -> i64 {
    let mut tx = system_tx(owner).await;
    let n = sqlx::query_scalar(sql).fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    n
}

#[sqlx::test(migrations = "../migrations")]
async fn a_statement_pays_invoices_by_reference_once_however_often_it_is_imported(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let (company, iban) = chf_account(&app.owner).await;
    let (a, va) = issued(&ceo, "1000").await;
    let (b, vb) = issued(&ceo, "250").await;
    let (c, vc) = issued(&ceo, "80").await;
    let lines = vec![
        credit(
            "E1",
            open_of(&va),
            Some(("QRR", reference_of(&va))),
            "",
            "Helvetia Events SA",
        ),
        credit(
            "E2",
            open_of(&vb),
            None,
            &format!("Facture {}", vb["number"].as_str().unwrap()),
            "Helvetia Events SA",
        ),
        credit(
            "E3",
            open_of(&vc) + 1_000,
            Some(("QRR", reference_of(&vc))),
            "",
            "Helvetia Events SA",
        ),
        Line {
            amount_minor: -1_500,
            ..credit("E4", 0, None, "Frais de tenue de compte", "Banque")
        },
        credit("E5", 4_200, None, "Don", "Inconnu"),
    ];
    let xml = statement(&iban, "CHF", "STMT-1", 500_000, &lines).into_bytes();

    let (status, dry) = upload(&ceo, company, "stmt.xml", xml.clone(), true).await;
    assert_eq!(status, 200, "{dry}");
    assert_eq!(
        (
            dry["entries"].clone(),
            dry["new_entries"].clone(),
            dry["dry_run"].clone()
        ),
        (json!(5), json!(5), json!(true))
    );
    assert_eq!(
        count(&app.owner, "SELECT count(*) FROM bank_transactions").await,
        0,
        "a trial writes nothing"
    );

    let (status, first) = upload(&ceo, company, "stmt.xml", xml.clone(), false).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["new_entries"], 5);
    assert_eq!(first["matched"], 3, "{first}");
    for (id, what) in [
        (a, "by QR reference"),
        (b, "by number and amount"),
        (c, "overpaid"),
    ] {
        assert_eq!(invoice(&ceo, id).await["status"], "Paid", "{what}");
    }
    assert_eq!(
        invoice(&ceo, c).await["party_credit_minor"],
        1_000,
        "the overpayment is the client's credit"
    );
    let payments = count(&app.owner, "SELECT count(*) FROM payments").await;

    let (status, again) = upload(&ceo, company, "stmt.xml", xml, false).await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            again["new_entries"].clone(),
            again["known"].clone(),
            again["matched"].clone()
        ),
        (json!(0), json!(5), json!(0))
    );
    assert_eq!(
        count(&app.owner, "SELECT count(*) FROM bank_transactions").await,
        5
    );
    assert_eq!(
        count(&app.owner, "SELECT count(*) FROM payments").await,
        payments,
        "no franc counted twice"
    );

    // The closing balance of the statement is the account's balance.
    let accounts = call(&ceo, "/api/banking/accounts", &[]).await;
    let chf = accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["iban"] == iban)
        .unwrap()
        .clone();
    let closing = 500_000 + lines.iter().map(|l| l.amount_minor).sum::<i64>();
    assert_eq!(chf["balance_minor"], closing);
    // The client sees the invoices paid at once.
    let client = app.new_session();
    client.sign_in(CLIENT, 0).await;
    let home = call(&client, "/api/portal/client_dashboard", &[]).await;
    let unpaid = home["home"]["unpaid_invoices"].to_string();
    for id in [a, b, c] {
        assert!(!unpaid.contains(&id.to_string()));
    }
    assert_eq!(audit_events(&app.owner, "bank.statement_imported").await, 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn proposals_are_reviewed_split_rejected_ignored_and_undone(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let (company, iban) = chf_account(&app.owner).await;
    // Two invoices of the same amount: a payment of that amount alone is a question, not an answer.
    let (d, vd) = issued(&ceo, "300").await;
    let (_e, _) = issued(&ceo, "300").await;
    let (f, vf) = issued(&ceo, "700").await;
    let (g, vg) = issued(&ceo, "400").await;
    let (h, vh) = issued(&ceo, "110").await;
    let (i, vi) = issued(&ceo, "220").await;
    let (j, vj) = issued(&ceo, "50").await;
    let (k, vk) = issued(&ceo, "60").await;
    let both = format!(
        "{} {}",
        vh["number"].as_str().unwrap(),
        vi["number"].as_str().unwrap()
    );
    let lines = vec![
        credit("P1", open_of(&vd), None, "Paiement", "Someone"),
        credit(
            "P2",
            open_of(&vf) - 500,
            None,
            "Paiement",
            "Helvetia Events",
        ),
        credit(
            "P3",
            open_of(&vg) / 2,
            Some(("QRR", reference_of(&vg))),
            "",
            "Helvetia Events SA",
        ),
        credit(
            "P4",
            open_of(&vg) - open_of(&vg) / 2,
            Some(("QRR", reference_of(&vg))),
            "",
            "Helvetia Events SA",
        ),
        credit(
            "P5",
            open_of(&vh) + open_of(&vi),
            None,
            &both,
            "Helvetia Events SA",
        ),
        credit(
            "P6",
            open_of(&vj) + open_of(&vk),
            None,
            "Sammelzahlung",
            "Unbekannt",
        ),
        credit("P7", 999, None, "Intérêts", "Banque"),
    ];
    let (status, summary) = upload(
        &ceo,
        company,
        "s.xml",
        statement(&iban, "CHF", "S2", 0, &lines).into_bytes(),
        false,
    )
    .await;
    assert_eq!(status, 200, "{summary}");
    assert_eq!(
        invoice(&ceo, g).await["status"],
        "Paid",
        "paid in two parts"
    );
    assert_eq!(
        invoice(&ceo, h).await["status"],
        "Paid",
        "one payment of two invoices"
    );
    assert_eq!(invoice(&ceo, i).await["status"], "Paid");
    let tx_of = |bank_id: &'static str| {
        let owner = app.owner.clone();
        async move {
            let mut tx = system_tx(&owner).await;
            let id: Uuid =
                sqlx::query_scalar("SELECT id FROM bank_transactions WHERE bank_id = $1")
                    .bind(bank_id)
                    .fetch_one(&mut *tx)
                    .await
                    .unwrap();
            tx.commit().await.unwrap();
            id
        }
    };

    // P1: two candidates with the same score; the person picks D.
    let p1 = tx_of("P1").await;
    let view = call(&ceo, "/api/banking/transaction", &[("id", &p1.to_string())]).await;
    assert_eq!(view["match_status"], "Proposed");
    let candidates = view["candidates"].as_array().unwrap();
    assert!(candidates.len() >= 2, "{view}");
    assert_eq!(candidates[0]["score"], candidates[1]["score"]);
    assert!(candidates[0]["reasons"]
        .as_array()
        .unwrap()
        .contains(&json!("ExactAmount")));
    call_json(
        &ceo,
        "/api/banking/allocate",
        &json!({ "id": p1, "allocations": [{ "invoice_id": d, "amount": "" }] }),
    )
    .await;
    assert_eq!(invoice(&ceo, d).await["status"], "Paid");
    let again = ceo
        .post_json(
            "/api/banking/allocate",
            &json!({ "id": p1, "allocations": [{ "invoice_id": d, "amount": "" }] }),
        )
        .await;
    assert!(again.status().is_client_error(), "nothing left to allocate");

    // P2: short by a fee, a similar name: proposed; rejected, it is unmatched again.
    let p2 = tx_of("P2").await;
    let view = call(&ceo, "/api/banking/transaction", &[("id", &p2.to_string())]).await;
    assert_eq!(view["match_status"], "Proposed");
    assert_eq!(view["candidates"][0]["invoice_id"], f.to_string());
    call(
        &ceo,
        "/api/banking/reject",
        &[("id", &p2.to_string()), ("invoice_id", &f.to_string())],
    )
    .await;
    assert_eq!(
        call(&ceo, "/api/banking/transaction", &[("id", &p2.to_string())]).await["match_status"],
        "Unmatched"
    );

    // P6: one payment split across J and K by hand; more than the movement is refused.
    let p6 = tx_of("P6").await;
    let too_much = ceo
        .post_json(
            "/api/banking/allocate",
            &json!({ "id": p6, "allocations": [
            { "invoice_id": j, "amount": "1000" } ] }),
        )
        .await;
    assert_eq!(too_much.status(), 422);
    let j_open = open_of(&vj);
    call_json(
        &ceo,
        "/api/banking/allocate",
        &json!({ "id": p6, "allocations": [
        { "invoice_id": j, "amount": format!("{}.{:02}", j_open / 100, j_open % 100) },
        { "invoice_id": k, "amount": "" } ] }),
    )
    .await;
    assert_eq!(invoice(&ceo, j).await["status"], "Paid");
    assert_eq!(invoice(&ceo, k).await["status"], "Paid");

    // P7: interest, not an invoice payment; an ignored movement is allocated to nothing.
    let p7 = tx_of("P7").await;
    call(
        &ceo,
        "/api/banking/ignore",
        &[("id", &p7.to_string()), ("reason", "Other")],
    )
    .await;
    let view = call(&ceo, "/api/banking/transaction", &[("id", &p7.to_string())]).await;
    assert_eq!(
        (view["match_status"].clone(), view["ignored_reason"].clone()),
        (json!("Ignored"), json!("Other"))
    );
    assert!(ceo
        .post_json(
            "/api/banking/allocate",
            &json!({ "id": p7, "allocations": [{ "invoice_id": f, "amount": "" }] })
        )
        .await
        .status()
        .is_client_error());

    // Undo: D is open again, its payment booked back, the movement unmatched.
    let view = call(&ceo, "/api/banking/transaction", &[("id", &p1.to_string())]).await;
    let allocation = view["allocations"][0]["id"].as_str().unwrap().to_owned();
    call(&ceo, "/api/banking/undo", &[("id", &allocation)]).await;
    let d_view = invoice(&ceo, d).await;
    assert_eq!(d_view["status"], "Sent");
    assert_eq!(d_view["balance_minor"], open_of(&vd));
    assert_eq!(
        call(&ceo, "/api/banking/transaction", &[("id", &p1.to_string())]).await["match_status"],
        "Unmatched"
    );
    assert_eq!(
        count(
            &app.owner,
            "SELECT count(*) FROM payments WHERE reversal_of IS NOT NULL"
        )
        .await,
        1
    );
    assert_eq!(
        count(&app.owner, "SELECT count(*) FROM invoices i WHERE paid_minor <> (SELECT coalesce(sum(amount_minor), 0) FROM payments p WHERE p.invoice_id = i.id)").await,
        0,
        "paid amounts are their payments"
    );
    assert!(
        ceo.post_form("/api/banking/undo", &[("id", &allocation)])
            .await
            .status()
            .is_client_error(),
        "undone once"
    );
    for event in [
        "bank.allocated",
        "bank.proposal_rejected",
        "bank.ignored",
        "bank.allocation_undone",
    ] {
        assert!(
            audit_events(&app.owner, event).await >= 1,
            "{event} audited"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_imports_runs_and_people_never_allocate_a_franc_twice(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let (company, iban) = chf_account(&app.owner).await;
    let mut lines = Vec::new();
    let mut ids = Vec::new();
    for n in 0..12 {
        let (id, view) = issued(&ceo, &format!("{}", 100 + n)).await;
        lines.push(credit(
            &format!("C{n}"),
            open_of(&view),
            Some(("QRR", reference_of(&view))),
            "",
            "Helvetia Events SA",
        ));
        ids.push(id);
    }
    let xml = statement(&iban, "CHF", "CONC", 0, &lines).into_bytes();
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let (client, url, origin, body) = (
            ceo.client.clone(),
            ceo.url(&format!("/banking/import?company={company}&name=c.xml")),
            ceo.origin(),
            xml.clone(),
        );
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .header("origin", origin)
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    for _ in 0..2 {
        let (client, url, origin) = (
            ceo.client.clone(),
            ceo.url("/api/banking/reconcile"),
            ceo.origin(),
        );
        let company = company.to_string();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .header("origin", origin)
                .form(&[("company_id", company)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    assert_eq!(
        count(&app.owner, "SELECT count(*) FROM bank_transactions").await,
        12
    );
    assert_eq!(
        count(
            &app.owner,
            "SELECT count(*) FROM bank_allocations WHERE undone_at IS NULL"
        )
        .await,
        12
    );
    assert_eq!(
        count(
            &app.owner,
            "SELECT count(*) FROM bank_transactions WHERE allocated_minor <> amount_minor"
        )
        .await,
        0
    );
    assert_eq!(
        count(&app.owner, "SELECT count(*) FROM invoices i WHERE paid_minor <> (SELECT coalesce(sum(amount_minor), 0) FROM payments p WHERE p.invoice_id = i.id)").await,
        0
    );
    for id in ids {
        let view = invoice(&ceo, id).await;
        assert_eq!(
            (view["status"].clone(), view["party_credit_minor"].clone()),
            (json!("Paid"), json!(0))
        );
    }

    // A person accepting the same proposal twice at once: one allocation.
    let (m, vm) = issued(&ceo, "999").await;
    let (_m2, _) = issued(&ceo, "999").await;
    let xml = statement(
        &iban,
        "CHF",
        "CONC2",
        0,
        &[credit("RACE", open_of(&vm), None, "x", "y")],
    )
    .into_bytes();
    upload(&ceo, company, "r.xml", xml, false).await;
    let mut tx = system_tx(&app.owner).await;
    let race: Uuid = sqlx::query_scalar("SELECT id FROM bank_transactions WHERE bank_id = 'RACE'")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let clicks: Vec<_> = (0..3)
        .map(|_| {
            let (client, url, origin) = (
                ceo.client.clone(),
                ceo.url("/api/banking/allocate"),
                ceo.origin(),
            );
            tokio::spawn(async move {
                client
                    .post(url)
                    .header("origin", origin)
                    .json(
                        &json!({ "id": race, "allocations": [{ "invoice_id": m, "amount": "" }] }),
                    )
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
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(statuses.iter().all(|s| *s == 200 || (400..500).contains(s)));
    assert_eq!(
        count(
            &app.owner,
            &format!("SELECT count(*) FROM bank_allocations WHERE transaction_id = '{race}'")
        )
        .await,
        1
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_files_are_refused_with_a_reason_and_write_nothing(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let (company, iban) = chf_account(&app.owner).await;
    let good = statement(&iban, "CHF", "OK", 0, &[credit("G1", 100, None, "x", "y")]);
    let other = statement(
        "CH5604835012345678009",
        "CHF",
        "OTHER",
        0,
        &[credit("O1", 100, None, "x", "y")],
    );
    let eur = statement(&iban, "EUR", "EUR", 0, &[credit("R1", 100, None, "x", "y")]);
    let pain = r#"<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn/></Document>"#;
    let zip_with = |files: &[(&str, &str)]| {
        let mut bytes = Vec::new();
        {
            let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
            for (name, content) in files {
                zip.start_file(*name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                std::io::Write::write_all(&mut zip, content.as_bytes()).unwrap();
            }
            zip.finish().unwrap();
        }
        bytes
    };
    for (what, bytes, problem) in [
        (
            "not XML",
            b"hello, this is a PDF".to_vec(),
            "UnreadableStatement",
        ),
        (
            "truncated",
            good.as_bytes()[..good.len() / 2].to_vec(),
            "UnreadableStatement",
        ),
        (
            "another message",
            pain.as_bytes().to_vec(),
            "UnreadableStatement",
        ),
        (
            "another company's account",
            other.clone().into_bytes(),
            "OtherAccount",
        ),
        ("another currency", eur.into_bytes(), "OtherAccount"),
        (
            "a zip with one bad file",
            zip_with(&[("a.xml", &good), ("b.xml", "<nope/>")]),
            "UnreadableStatement",
        ),
        ("an empty zip", zip_with(&[]), "UnreadableStatement"),
    ] {
        let (status, body) = upload(&ceo, company, "bad.xml", bytes, false).await;
        assert_eq!(status, 422, "{what}: {body}");
        assert_eq!(
            body,
            json!({ "Validation": [{ "field": "file", "problem": problem }] }),
            "{what}"
        );
    }
    let (status, _) = upload(&ceo, company, "empty.xml", Vec::new(), false).await;
    assert_eq!(status, 422);
    assert_eq!(
        count(&app.owner, "SELECT count(*) FROM bank_transactions").await,
        0
    );
    assert_eq!(
        count(&app.owner, "SELECT count(*) FROM bank_imports").await,
        0
    );

    // A zip of two good statements is imported whole.
    let second = statement(&iban, "CHF", "OK2", 0, &[credit("G2", 200, None, "x", "y")]);
    let (status, summary) = upload(
        &ceo,
        company,
        "both.zip",
        zip_with(&[("1.xml", &good), ("2.xml", &second)]),
        false,
    )
    .await;
    assert_eq!(status, 200, "{summary}");
    assert_eq!(summary["new_entries"], 2);
    // The fixtures themselves: a real camt.054 of another bank's account is refused by account.
    let fixture = std::fs::read(format!("{FIXTURES}/test-camt054")).unwrap();
    assert_eq!(upload(&ceo, company, "f.xml", fixture, false).await.0, 422);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_company_s_ledger_is_its_own(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let lexaia = company_id(&app.owner, "LEXAIA").await;
    let mut tx = system_tx(&app.owner).await;
    let iban: String = sqlx::query_scalar(
        "SELECT iban FROM bank_accounts WHERE company_id = $1 AND currency = 'CHF'",
    )
    .bind(lexaia)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let xml = statement(
        &iban,
        "CHF",
        "LX",
        0,
        &[credit(
            "LX1",
            12_345,
            None,
            "Secret LEXAIA payment",
            "Mystery SA",
        )],
    );
    let (status, _) = upload(&ceo, lexaia, "lx.xml", xml.clone().into_bytes(), false).await;
    assert_eq!(status, 200);
    let mut tx = system_tx(&app.owner).await;
    let secret: Uuid = sqlx::query_scalar("SELECT id FROM bank_transactions WHERE bank_id = 'LX1'")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (_, hv_invoice) = issued(&ceo, "10").await;
    let hv_invoice_id = hv_invoice["id"].as_str().unwrap().to_owned();

    for email in [STAFF, CLIENT, PROVIDER, RESELLER] {
        let me = app.new_session();
        me.sign_in(email, 0).await;
        let list = me
            .post_json(
                "/api/lists/rows",
                &json!({ "kind": "BankTransactions", "query": {} }),
            )
            .await;
        let status = list.status().as_u16();
        let body = list.text().await.unwrap();
        assert!(status == 200 || status == 403, "{email}: {status}");
        assert!(
            !body.contains("Mystery") && !body.contains(&secret.to_string()),
            "{email} saw LEXAIA's movement"
        );
        let accounts = me.post_form("/api/banking/accounts", &[]).await;
        assert!(!accounts.text().await.unwrap().contains(&iban), "{email}");
        for (path, form) in [
            ("/api/banking/transaction", vec![("id", secret.to_string())]),
            (
                "/api/banking/ignore",
                vec![("id", secret.to_string()), ("reason", "Fee".to_owned())],
            ),
            (
                "/api/banking/reject",
                vec![
                    ("id", secret.to_string()),
                    ("invoice_id", hv_invoice_id.clone()),
                ],
            ),
            (
                "/api/banking/reconcile",
                vec![("company_id", lexaia.to_string())],
            ),
        ] {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let response = me.post_form(path, &pairs).await;
            assert!(response.status().is_client_error(), "{email} {path}");
            assert!(!response.text().await.unwrap().contains("Mystery"));
        }
        let allocate = me
            .post_json("/api/banking/allocate", &json!({ "id": secret, "allocations": [{ "invoice_id": hv_invoice_id, "amount": "" }] }))
            .await;
        assert!(allocate.status().is_client_error(), "{email} allocate");
        assert_eq!(
            upload(&me, lexaia, "x.xml", xml.clone().into_bytes(), false)
                .await
                .0,
            403,
            "{email} upload"
        );
    }
    assert_eq!(
        count(&app.owner, "SELECT count(*) FROM bank_allocations").await,
        0
    );
    assert_eq!(
        count(
            &app.owner,
            "SELECT count(*) FROM bank_transactions WHERE match_status = 'ignored'"
        )
        .await,
        0
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_command_line_prints_every_entry_and_what_it_did(owner: PgPool) {
    load_demo(&owner).await;
    let (company, iban) = chf_account(&owner).await;
    let _ = company;
    let app = TestApp::spawn(owner.clone()).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let (_, va) = issued(&ceo, "500").await;
    let xml = statement(
        &iban,
        "CHF",
        "CLI",
        0,
        &[
            credit(
                "K1",
                open_of(&va),
                Some(("QRR", reference_of(&va))),
                "",
                "Helvetia Events SA",
            ),
            Line {
                amount_minor: -700,
                ..credit("K2", 0, None, "Frais", "Banque")
            },
        ],
    );
    let file = std::env::temp_dir().join(format!("cli-{}.xml", Uuid::new_v4()));
    std::fs::write(&file, xml).unwrap();
    let options = owner.connect_options();
    let host = options
        .get_socket()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| options.get_host().to_owned());
    let url = format!(
        "postgres://{}@localhost/{}?host={host}&port={}",
        options.get_username(),
        options.get_database().unwrap(),
        options.get_port()
    );
    let run = |extra: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_server"));
        command
            .args(["bank", "import"])
            .arg(&file)
            .args(["--company", "hypervisual", "--json"])
            .args(extra)
            .env("DATABASE_URL", &url)
            .env("APP_AUTH__MASTER_KEY", TEST_MASTER_KEY)
            .env("APP_LOG_FILTER", "error");
        command.output().unwrap()
    };
    let dry = run(&["--dry-run"]);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(dry.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["reference_type"], "QRR");
    assert_eq!(lines[0]["direction"], "credit");
    assert_eq!(lines[0]["counterparty_name"], "Helvetia Events SA");
    assert_eq!(lines[0]["outcome"], "would_import");
    assert_eq!(lines[1]["direction"], "debit");
    assert_eq!(lines[1]["amount"], "7.00");
    assert_eq!(lines[2]["summary"]["dry_run"], true);
    let done = run(&[]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let out = String::from_utf8(done.stdout).unwrap();
    assert!(
        out.lines()
            .next()
            .unwrap()
            .contains("\"outcome\":\"matched\""),
        "{out}"
    );
    let again = run(&[]);
    let out = String::from_utf8(again.stdout).unwrap();
    assert!(
        out.lines().all(|l| !l.contains("\"outcome\":\"new\"")),
        "{out}"
    );
    assert!(out.contains("\"known\":2"), "{out}");
    let unknown = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["bank", "import"])
        .arg(&file)
        .args(["--company", "NOPE"])
        .env("DATABASE_URL", &url)
        .env("APP_AUTH__MASTER_KEY", TEST_MASTER_KEY)
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    let _ = std::fs::remove_file(&file);
}
