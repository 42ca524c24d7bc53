//! The exhaustive isolation matrix: every registered server function and every plain route is
//! listed with how it keeps tenants apart, and each case is run for every role that does not
//! belong to the target company. A new function or route that is not listed fails the test.

use std::collections::BTreeSet;

use crate::common::*;
use crate::isolation::foreign_documents;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

/// One request: a form or a JSON body to a server function, or a method on a plain route.
#[derive(Clone, Debug)]
enum Call {
    Form(Vec<(&'static str, String)>),
    Json(Value),
    Route(reqwest::Method, String),
}

/// How a server function or route keeps tenants apart.
enum Case {
    /// Answers before sign-in and holds no tenant data.
    Public,
    /// Acts on the caller's own account or session only; without a session it is refused.
    Own,
    /// Aimed at another tenant's records: refused (4xx) for every role, nothing leaked.
    Foreign(Vec<Call>),
    /// The caller's own rows: allowed or refused, never anything foreign.
    Listing(Call),
}

/// Everything of LEXAIA (no demo user but the CEO belongs to it) that a request can aim at.
struct Target {
    company: Uuid,
    party: Uuid,
    quote: Uuid,
    invoice: Uuid,
    credit_note: Uuid,
    lead: Uuid,
    contact: Uuid,
    subscription: Uuid,
    terms: Uuid,
    ceo: Uuid,
    ceo_session: Uuid,
    ceo_token: Uuid,
    bank_transaction: Uuid,
    bank_allocation: Uuid,
    /// A supplier bill of LEXAIA waiting for approval, its stored file, and a payment run.
    bill: Uuid,
    bill_file: String,
    payment_run: Uuid,
    settings: Value,
    /// HYPERVISUAL's client Helvetia with a contact of another client (Alpine Retail).
    helvetia: Uuid,
    alpine_contact: Uuid,
    hypervisual: Uuid,
}

fn form(pairs: &[(&'static str, String)]) -> Call {
    Call::Form(pairs.to_vec())
}

fn line() -> Value {
    json!({ "product_id": null, "description": "Injected", "quantity": "1", "unit": "pce",
            "unit_price": "1", "discount": "", "vat_code": "Standard", "service_date": today() })
}

fn quote_input(company: Uuid, party: Uuid, contact: Option<Uuid>) -> Value {
    json!({ "company_id": company, "party_id": party, "contact_id": contact, "title": "Injected",
            "currency": "CHF", "valid_until": in_days(10), "project_type": "", "deposit_percent": "",
            "notes": "", "lines": [line()] })
}

fn invoice_input(company: Uuid, party: Uuid, contact: Option<Uuid>) -> Value {
    json!({ "company_id": company, "party_id": party, "contact_id": contact, "title": "Injected",
            "currency": "CHF", "due_days": "", "lines": [line()] })
}

fn subscription_input(company: Uuid, party: Uuid, contact: Option<Uuid>) -> Value {
    json!({ "company_id": company, "party_id": party, "contact_id": contact, "name": "Injected",
            "currency": "CHF", "interval": "Month", "starts_on": today(), "ends_on": "",
            "status": "Active", "due_days": "", "lines": [line()] })
}

/// The matrix: every server function (by path) and plain route (by pattern).
fn matrix(t: &Target) -> Vec<(&'static str, Case)> {
    use Case::*;
    let id = |v: Uuid| v.to_string();
    let access =
        json!([{ "company_id": t.company, "party_id": null, "permissions": ["invoices.read"] }]);
    let get = |path: String| Call::Route(reqwest::Method::GET, path);
    vec![
        ("/api/account/api_tokens", Own),
        ("/api/account/change_password", Own),
        (
            "/api/account/create_api_token",
            Foreign(vec![Call::Json(json!({ "request": {
            "name": "x", "permissions": ["companies.read"], "companies": [t.company], "days": 30 } }))]),
        ),
        (
            "/api/account/focus",
            Foreign(vec![form(&[("company", id(t.company))])]),
        ),
        ("/api/account/recovery_codes", Own),
        (
            "/api/account/revoke_api_token",
            Foreign(vec![form(&[("id", id(t.ceo_token))])]),
        ),
        (
            "/api/account/revoke_session",
            Foreign(vec![form(&[("id", id(t.ceo_session))])]),
        ),
        ("/api/account/sessions", Own),
        ("/api/account/totp_confirm", Own),
        ("/api/account/totp_disable", Own),
        ("/api/account/totp_start", Own),
        (
            "/api/admin/company",
            Foreign(vec![form(&[("id", id(t.company))])]),
        ),
        (
            "/api/admin/invite",
            Foreign(vec![Call::Json(json!({ "input": {
            "email": "mallory@example.ch", "display_name": "Mallory", "role": "Staff", "locale": "en", "access": access } }))]),
        ),
        (
            "/api/admin/reset_two_factor",
            Foreign(vec![form(&[("id", id(t.ceo))])]),
        ),
        (
            "/api/admin/save_account",
            Foreign(vec![Call::Json(json!({ "account": {
            "id": null, "company_id": t.company, "name": "Mallory", "iban": "CH9300762011623852957",
            "qr_iban": "", "currency": "CHF", "receives_invoices": true } }))]),
        ),
        (
            "/api/admin/save_company",
            Foreign(vec![Call::Json(json!({ "settings": t.settings }))]),
        ),
        (
            "/api/admin/save_deposit_rule",
            Foreign(vec![Call::Json(json!({ "rule": {
            "company_id": t.company, "project_type": "default", "percent": "0", "due_days": "1" }, "remove": true }))]),
        ),
        (
            "/api/admin/set_access",
            Foreign(vec![Call::Json(json!({ "id": t.ceo, "access": access }))]),
        ),
        (
            "/api/admin/set_active",
            Foreign(vec![form(&[("id", id(t.ceo)), ("active", "false".into())])]),
        ),
        ("/api/admin/user", Foreign(vec![form(&[("id", id(t.ceo))])])),
        ("/api/admin/users", Listing(form(&[]))),
        ("/api/auth/cancel", Public),
        ("/api/auth/enrol_confirm", Public),
        ("/api/auth/enrol_start", Public),
        ("/api/auth/forgot", Public),
        ("/api/auth/login", Public),
        // Without a session it only clears cookies.
        ("/api/auth/logout", Public),
        ("/api/auth/logout_everywhere", Own),
        ("/api/auth/portal_access", Public),
        ("/api/auth/request_unlock", Public),
        ("/api/auth/reset", Public),
        ("/api/auth/second_factor", Public),
        ("/api/auth/sign_in_page", Public),
        ("/api/auth/unlock", Public),
        ("/api/auth/whoami", Public),
        ("/api/banking/accounts", Listing(form(&[]))),
        (
            "/api/banking/allocate",
            Foreign(vec![Call::Json(json!({ "id": t.bank_transaction,
            "allocations": [{ "invoice_id": t.invoice, "amount": "" }] }))]),
        ),
        (
            "/api/banking/ignore",
            Foreign(vec![form(&[
                ("id", id(t.bank_transaction)),
                ("reason", "Fee".into()),
            ])]),
        ),
        (
            "/api/banking/reconcile",
            Foreign(vec![form(&[("company_id", id(t.company))])]),
        ),
        (
            "/api/banking/reject",
            Foreign(vec![form(&[
                ("id", id(t.bank_transaction)),
                ("invoice_id", id(t.invoice)),
            ])]),
        ),
        (
            "/api/banking/revolut",
            Foreign(vec![form(&[("company_id", id(t.company))])]),
        ),
        (
            "/api/banking/revolut_connect",
            Foreign(vec![Call::Json(json!({ "input": {
            "company_id": t.company, "api_url": "https://b2b.revolut.com/api/1.0", "client_id": "x", "issuer": "x",
            "private_key_pem": "x", "authorization_code": "x", "webhook_secret": "x" } }))]),
        ),
        (
            "/api/banking/revolut_sync",
            Foreign(vec![form(&[("company_id", id(t.company))])]),
        ),
        (
            "/api/banking/transaction",
            Foreign(vec![form(&[("id", id(t.bank_transaction))])]),
        ),
        (
            "/api/banking/undo",
            Foreign(vec![form(&[("id", id(t.bank_allocation))])]),
        ),
        (
            "/api/bills/approve",
            Foreign(vec![form(&[("id", id(t.bill)), ("code", String::new())])]),
        ),
        ("/api/bills/get", Foreign(vec![form(&[("id", id(t.bill))])])),
        (
            "/api/bills/reject",
            Foreign(vec![form(&[("id", id(t.bill)), ("reason", "x".into())])]),
        ),
        (
            "/api/bills/run",
            Foreign(vec![form(&[("id", id(t.payment_run))])]),
        ),
        (
            "/api/bills/run_confirm",
            Foreign(vec![form(&[
                ("company_id", id(t.company)),
                ("due_until", in_days(400)),
            ])]),
        ),
        (
            "/api/bills/run_preview",
            Foreign(vec![form(&[
                ("company_id", id(t.company)),
                ("due_until", in_days(400)),
            ])]),
        ),
        (
            "/api/bills/run_retry",
            Foreign(vec![form(&[("id", id(t.payment_run))])]),
        ),
        (
            "/api/bills/save",
            Foreign(vec![Call::Json(json!({ "id": t.bill, "input": {
            "party_id": null, "new_supplier": "Injected", "number": "INJ-1", "issue_date": today(), "due_date": today(),
            "currency": "CHF", "amount": "1", "vat_standard": "", "vat_reduced": "", "vat_accommodation": "", "iban": "CH9300762011623852957", "reference_type": "Non",
            "reference": "", "message": "", "cost_account": "", "project_id": null, "expected_amount": "" } }))]),
        ),
        (
            "/api/catalog/products",
            Foreign(vec![form(&[("company_id", id(t.company))])]),
        ),
        (
            "/api/catalog/save_product",
            Foreign(vec![Call::Json(json!({ "id": null, "input": {
            "company_id": t.company, "sku": "X", "name": "X", "description": "", "unit": "pce",
            "unit_price": "1", "currency": "CHF", "vat_code": "Standard", "active": true } }))]),
        ),
        ("/api/catalog/vat_rates", Listing(form(&[]))),
        (
            "/api/crm/convert_lead",
            Foreign(vec![form(&[("id", id(t.lead))])]),
        ),
        (
            "/api/crm/invite_contact",
            Foreign(vec![form(&[("id", id(t.contact))])]),
        ),
        ("/api/crm/lead", Foreign(vec![form(&[("id", id(t.lead))])])),
        (
            "/api/crm/lead_activity",
            Foreign(vec![form(&[
                ("lead_id", id(t.lead)),
                ("kind", "Note".into()),
                ("note", "x".into()),
            ])]),
        ),
        (
            "/api/crm/party",
            Foreign(vec![form(&[("id", id(t.party))])]),
        ),
        (
            "/api/crm/party_choices",
            Foreign(vec![form(&[("company_id", id(t.company))])]),
        ),
        (
            "/api/crm/party_detail",
            Foreign(vec![form(&[("id", id(t.party))])]),
        ),
        (
            "/api/crm/save_contact",
            Foreign(vec![
                Call::Json(
                    json!({ "id": null, "input": { "company_id": t.company, "party_id": t.party, "first_name": "In",
                "last_name": "Jected", "email": "", "phone": "", "job_title": "", "language": "fr" } }),
                ),
                Call::Json(
                    json!({ "id": t.contact, "input": { "company_id": t.hypervisual, "party_id": t.helvetia, "first_name": "In",
                "last_name": "Jected", "email": "", "phone": "", "job_title": "", "language": "fr" } }),
                ),
            ]),
        ),
        (
            "/api/crm/save_lead",
            Foreign(vec![Call::Json(json!({ "id": t.lead, "input": {
            "company_id": t.company, "title": "Injected", "organisation": "", "contact_name": "", "email": "", "phone": "",
            "source": "Manual", "status": "New", "score": "", "estimated_value": "", "currency": "CHF",
            "reseller_party_id": null, "notes": "" } }))]),
        ),
        (
            "/api/crm/save_party",
            Foreign(vec![
                Call::Json(
                    json!({ "id": null, "input": { "company_id": t.company, "kind": "Client", "name": "Injected",
                "email": "", "phone": "", "street": "", "building_number": "", "postal_code": "", "town": "", "country": "CH",
                "vat_number": "", "iban": "", "language": "fr", "notes": "" } }),
                ),
                Call::Json(
                    json!({ "id": t.party, "input": { "company_id": t.hypervisual, "kind": "Client", "name": "Injected",
                "email": "", "phone": "", "street": "", "building_number": "", "postal_code": "", "town": "", "country": "CH",
                "vat_number": "", "iban": "", "language": "fr", "notes": "" } }),
                ),
            ]),
        ),
        ("/api/dashboard", Listing(form(&[]))),
        (
            "/api/dashboard/save_thresholds",
            Foreign(vec![Call::Json(json!({ "input": {
            "company_id": t.company, "overdue_warning_days": "1", "overdue_critical_days": "2", "quote_expiry_days": "3",
            "project_idle_days": "4", "lead_untouched_days": "5", "runway_warning_months": "6" } }))]),
        ),
        ("/api/dashboard/thresholds", Listing(form(&[]))),
        (
            "/api/emails/list",
            Foreign(vec![form(&[("company_id", id(t.company))])]),
        ),
        (
            "/api/invoices/apply_credit",
            Foreign(vec![form(&[("id", id(t.invoice))])]),
        ),
        (
            "/api/invoices/create",
            Foreign(vec![
                Call::Json(json!({ "input": invoice_input(t.company, t.party, None) })),
                // Another client's contact on an invoice of a company the caller may bill.
                Call::Json(
                    json!({ "input": invoice_input(t.hypervisual, t.helvetia, Some(t.alpine_contact)) }),
                ),
            ]),
        ),
        (
            "/api/invoices/credit",
            Foreign(vec![form(&[
                ("id", id(t.invoice)),
                ("amount", "1".into()),
                ("reason", "x".into()),
            ])]),
        ),
        (
            "/api/invoices/delete",
            Foreign(vec![form(&[("id", id(t.invoice))])]),
        ),
        (
            "/api/invoices/get",
            Foreign(vec![form(&[("id", id(t.invoice))])]),
        ),
        (
            "/api/invoices/input",
            Foreign(vec![form(&[("id", id(t.invoice))])]),
        ),
        (
            "/api/invoices/record_payment",
            Foreign(vec![Call::Json(json!({ "payment": {
            "invoice_id": t.invoice, "amount": "1", "paid_on": today(), "method": "Cash" } }))]),
        ),
        (
            "/api/invoices/refund_credit",
            Foreign(vec![form(&[
                ("party_id", id(t.party)),
                ("currency", "CHF".into()),
                ("amount", "1".into()),
                ("note", "x".into()),
            ])]),
        ),
        (
            "/api/invoices/send",
            Foreign(vec![form(&[("id", id(t.invoice))])]),
        ),
        (
            "/api/invoices/update",
            Foreign(vec![Call::Json(
                json!({ "id": t.invoice, "input": invoice_input(t.company, t.party, None) }),
            )]),
        ),
        (
            "/api/lists/rows",
            Foreign(vec![Call::Json(
                json!({ "kind": "Invoices", "query": { "company": t.company } }),
            )]),
        ),
        ("/api/portal/client_dashboard", Listing(form(&[]))),
        ("/api/portal/language", Own),
        ("/api/projects/list", Listing(form(&[]))),
        (
            "/api/quotes/create",
            Foreign(vec![
                Call::Json(json!({ "input": quote_input(t.company, t.party, None) })),
                Call::Json(
                    json!({ "input": quote_input(t.hypervisual, t.helvetia, Some(t.alpine_contact)) }),
                ),
            ]),
        ),
        (
            "/api/quotes/duplicate",
            Foreign(vec![form(&[("id", id(t.quote))])]),
        ),
        (
            "/api/quotes/final_invoice",
            Foreign(vec![form(&[("id", id(t.quote))])]),
        ),
        (
            "/api/quotes/get",
            Foreign(vec![form(&[("id", id(t.quote))])]),
        ),
        (
            "/api/quotes/input",
            Foreign(vec![form(&[("id", id(t.quote))])]),
        ),
        (
            "/api/quotes/reject",
            Foreign(vec![form(&[("id", id(t.quote))])]),
        ),
        (
            "/api/quotes/send",
            Foreign(vec![form(&[("id", id(t.quote))])]),
        ),
        (
            "/api/quotes/sign",
            Foreign(vec![Call::Json(json!({ "signature": {
            "quote_id": t.quote, "terms_version_id": t.terms, "accept_terms": true, "signer_name": "Mallory",
            "signature_kind": "typed", "signature_data": "Mallory" } }))]),
        ),
        (
            "/api/quotes/terms",
            Foreign(vec![form(&[("id", id(t.quote))])]),
        ),
        (
            "/api/quotes/update",
            Foreign(vec![Call::Json(
                json!({ "id": t.quote, "input": quote_input(t.company, t.party, None) }),
            )]),
        ),
        ("/api/set_locale", Public),
        (
            "/api/subscriptions/get",
            Foreign(vec![form(&[("id", id(t.subscription))])]),
        ),
        ("/api/subscriptions/run_now", Listing(form(&[]))),
        (
            "/api/subscriptions/save",
            Foreign(vec![
                Call::Json(
                    json!({ "id": t.subscription, "input": subscription_input(t.company, t.party, None) }),
                ),
                Call::Json(
                    json!({ "id": null, "input": subscription_input(t.hypervisual, t.helvetia, Some(t.alpine_contact)) }),
                ),
            ]),
        ),
        (
            "/api/terms/activate",
            Foreign(vec![form(&[("id", id(t.terms))])]),
        ),
        (
            "/api/terms/list",
            Foreign(vec![form(&[("company_id", id(t.company))])]),
        ),
        (
            "/api/terms/save",
            Foreign(vec![form(&[
                ("company_id", id(t.company)),
                ("title", "x".into()),
                ("content", "x".into()),
                ("effective_date", today()),
            ])]),
        ),
        // Plain routes.
        ("/healthz", Public),
        ("/readyz", Public),
        ("/auth/sso/start", Public),
        ("/auth/sso/callback", Public),
        ("/.well-known/jwks.json", Public),
        (
            "/banking/import",
            Foreign(vec![Call::Route(
                reqwest::Method::POST,
                format!("/banking/import?company={}&name=x.xml", t.company),
            )]),
        ),
        (
            "/payables/upload",
            Foreign(vec![Call::Route(
                reqwest::Method::POST,
                format!("/payables/upload?company={}&name=x.png", t.company),
            )]),
        ),
        (
            "/payables/files/{company}/{sha}",
            Foreign(vec![get(format!(
                "/payables/files/{}/{}",
                t.company, t.bill_file
            ))]),
        ),
        (
            "/payables/runs/{id}/pain001.xml",
            Foreign(vec![get(format!(
                "/payables/runs/{}/pain001.xml",
                t.payment_run
            ))]),
        ),
        // Public: its authentication is the signature (tested in banking_revolut.rs).
        ("/webhooks/revolut/{company}", Public),
        (
            "/documents/quotes/{id}",
            Foreign(vec![get(format!("/documents/quotes/{}", t.quote))]),
        ),
        (
            "/documents/invoices/{id}",
            Foreign(vec![get(format!("/documents/invoices/{}", t.invoice))]),
        ),
        (
            "/documents/credit-notes/{id}",
            Foreign(vec![get(format!(
                "/documents/credit-notes/{}",
                t.credit_note
            ))]),
        ),
        (
            "/documents/statement",
            Foreign(vec![get(format!(
                "/documents/statement?format=csv&party={}",
                t.party
            ))]),
        ),
        (
            "/exports/{file}",
            Foreign(vec![get(format!(
                "/exports/invoices.csv?company={}",
                t.company
            ))]),
        ),
        (
            "/settings/companies/{id}/logo",
            Foreign(vec![
                get(format!("/settings/companies/{}/logo", t.company)),
                Call::Route(
                    reqwest::Method::PUT,
                    format!("/settings/companies/{}/logo", t.company),
                ),
                Call::Route(
                    reqwest::Method::DELETE,
                    format!("/settings/companies/{}/logo", t.company),
                ),
            ]),
        ),
    ]
}

async fn send(session: &TestApp, path: &str, call: &Call) -> (u16, String) {
    let request = match call {
        Call::Form(pairs) => session.client.post(session.url(path)).form(pairs),
        Call::Json(body) => session.client.post(session.url(path)).json(body),
        Call::Route(method, url) => {
            let request = session.client.request(method.clone(), session.url(url));
            if *method == reqwest::Method::PUT || *method == reqwest::Method::POST {
                request
                    .header("content-type", "image/png")
                    .body(vec![0u8; 64])
            } else {
                request
            }
        }
    };
    let response = request
        .header("origin", session.origin())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

async fn target(ceo: &TestApp) -> (Target, Vec<String>) {
    let f = foreign_documents(ceo).await;
    let owner = &ceo.owner;
    let hypervisual = company_id(owner, "HYPERVISUAL").await;
    let helvetia = party_id(owner, "Helvetia Events SA").await;
    let alpine = party_id(owner, "Alpine Retail AG").await;
    let credit_note = call(
        ceo,
        "/api/invoices/credit",
        &[
            ("id", &f.lexaia.1.to_string()),
            ("amount", "10"),
            ("reason", "Secret"),
        ],
    )
    .await;
    let subscription = call_json(
        ceo,
        "/api/subscriptions/save",
        &json!({ "id": null, "input": {
            "company_id": f.lexaia_company, "party_id": f.lexaia_party, "contact_id": null, "name": "Secret retainer",
            "currency": "CHF", "interval": "Month", "starts_on": in_days(-40), "ends_on": "", "status": "Active",
            "due_days": "", "lines": [line()] }}),
    )
    .await;
    let token = call_json(
        ceo,
        "/api/account/create_api_token",
        &json!({ "request": { "name": "ceo script", "permissions": ["companies.read"], "companies": [f.lexaia_company], "days": 30 } }),
    )
    .await;
    let settings = call(
        ceo,
        "/api/admin/company",
        &[("id", &f.lexaia_company.to_string())],
    )
    .await["settings"]
        .clone();
    let mut tx = system_tx(owner).await;
    let ceo_id: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(CEO)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let ceo_session: Uuid =
        sqlx::query_scalar("SELECT id FROM sessions WHERE user_id = $1 LIMIT 1")
            .bind(ceo_id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    let contact: Uuid = sqlx::query_scalar("SELECT id FROM contacts WHERE company_id = $1 LIMIT 1")
        .bind(f.lexaia_company)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let terms: Uuid =
        sqlx::query_scalar("SELECT id FROM terms_versions WHERE company_id = $1 LIMIT 1")
            .bind(f.lexaia_company)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    let alpine_contact: Uuid = sqlx::query_scalar(
        "INSERT INTO contacts (company_id, party_id, first_name, last_name, email) VALUES ($1, $2, 'Other', 'Client', 'other@alpine.example') RETURNING id",
    )
    .bind(hypervisual)
    .bind(alpine)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let bank_account: Uuid = sqlx::query_scalar(
        "SELECT id FROM bank_accounts WHERE company_id = $1 AND currency = 'CHF'",
    )
    .bind(f.lexaia_company)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // A movement of LEXAIA, allocated to its invoice (what other roles must not see or undo).
    let mut tx = app::auth::ssr::begin(
        &ceo.pool,
        &app::auth::ssr::Scope::automation(f.lexaia_company),
    )
    .await
    .unwrap();
    let bank_transaction: Uuid = sqlx::query_scalar(
        "INSERT INTO bank_transactions (company_id, account_id, bank_id, source, booked_on, amount_minor, currency, counterparty_name)
         VALUES ($1, $2, 'SECRET-1', 'camt', app_today(), 1000, 'CHF', 'Secret payer') RETURNING id",
    )
    .bind(f.lexaia_company)
    .bind(bank_account)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let bank_allocation = app::banking::ssr::allocate::allocate_in(
        &mut tx,
        f.lexaia_company,
        bank_transaction,
        &app::banking::ssr::allocate::Part {
            invoice_id: f.lexaia.1,
            transaction_minor: 1000,
            invoice_minor: 1000,
        },
        app::domain::status::AllocationMethod::Manual,
        None,
        None,
        "http://localhost",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // A supplier bill of LEXAIA (to approve, with its file) and a payment run.
    let mut tx = system_tx(owner).await;
    let bill_file = "5ec7e7".repeat(10) + "5ec7";
    sqlx::query("INSERT INTO stored_files (company_id, sha256, size_bytes, mime) VALUES ($1, $2, 10, 'application/pdf')")
        .bind(f.lexaia_company)
        .bind(&bill_file)
        .execute(&mut *tx)
        .await
        .unwrap();
    let bill: Uuid = sqlx::query_scalar(
        "INSERT INTO supplier_bills (company_id, party_id, number, issue_date, due_date, currency, total_minor, status, file_sha256, file_name, iban)
         VALUES ($1, $2, 'SECRET-BILL-1', app_today(), app_today(), 'CHF', 1000, 'to_approve', $3, 'secret.pdf', 'CH9300762011623852957') RETURNING id",
    )
    .bind(f.lexaia_company)
    .bind(f.lexaia_party)
    .bind(&bill_file)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let payment_run: Uuid = sqlx::query_scalar(
        "INSERT INTO payment_runs (company_id, due_until, status, created_by) VALUES ($1, app_today(), 'confirmed', $2) RETURNING id",
    )
    .bind(f.lexaia_company)
    .bind(ceo_id)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let secrets = vec![
        "Secret payer".into(),
        "SECRET-BILL-1".into(),
        f.lexaia.0.to_string(),
        f.lexaia.1.to_string(),
        "Confidential LEXAIA".into(),
        "Studio Juridique Moret".into(),
        f.lead.to_string(),
        "Confidential lead".into(),
        "Secret retainer".into(),
        f.lexaia_company.to_string(),
    ];
    let target = Target {
        company: f.lexaia_company,
        party: f.lexaia_party,
        quote: f.lexaia.0,
        invoice: f.lexaia.1,
        credit_note: serde_json::from_value(credit_note).unwrap(),
        lead: f.lead,
        contact,
        subscription: serde_json::from_value(subscription).unwrap(),
        terms,
        ceo: ceo_id,
        ceo_session,
        ceo_token: serde_json::from_value(token["id"].clone()).unwrap(),
        bank_transaction,
        bank_allocation,
        bill,
        bill_file,
        payment_run,
        settings,
        helvetia,
        alpine_contact,
        hypervisual,
    };
    (target, secrets)
}

/// Row counts of everything a foreign request could have written.
async fn footprint(owner: &PgPool) -> Vec<i64> {
    let mut tx = system_tx(owner).await;
    let mut counts = Vec::new();
    for table in [
        "quotes", "invoices", "payments", "credit_notes", "contacts", "parties", "leads", "lead_activities",
        "products", "subscriptions", "bank_transactions", "bank_allocations WHERE undone_at IS NULL", "bank_imports",
        "bank_connections", "bank_proposals", "bank_transactions WHERE match_status = 'ignored'", "terms_versions", "bank_accounts", "memberships", "users", "password_resets",
        "api_tokens WHERE revoked_at IS NULL", "sessions WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE email = 'ceo@hmf.ch')", "party_credits", "email_outbox",
        "supplier_bills", "supplier_bills WHERE status = 'to_approve'", "stored_files", "payment_runs", "payment_run_items",
        "bill_approvals", "supplier_counterparties",
    ] {
        counts.push(
            sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
                .fetch_one(&mut *tx)
                .await
                .unwrap(),
        );
    }
    let state: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM companies WHERE code = 'LEXAIA' AND logo IS NULL AND name = 'LEXAIA'",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    counts.push(state);
    tx.commit().await.unwrap();
    counts
}

#[sqlx::test(migrations = "../migrations")]
async fn every_server_function_and_route_is_in_the_isolation_matrix_and_holds(owner: PgPool) {
    let app = TestApp::spawn_demo(owner).await;
    let ceo = app.new_session();
    ceo.sign_in(CEO, 0).await;
    let (target, secrets) = target(&ceo).await;
    let matrix = matrix(&target);

    // Exhaustive: the matrix names exactly what the server registers.
    let listed: BTreeSet<String> = matrix.iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(listed.len(), matrix.len(), "each entry once");
    let mut registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.to_owned())
        .collect();
    registered.extend(
        server::startup::plain_routes()
            .into_iter()
            .map(|(p, _)| p.to_owned()),
    );
    let missing: Vec<_> = registered.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "not in the isolation matrix: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "in the matrix but not registered: {stale:?}"
    );

    let before = footprint(&app.owner).await;
    let anonymous = app.new_session();
    for (email, offset) in [(STAFF, 0), (CLIENT, 0), (PROVIDER, 0), (RESELLER, 0)] {
        let me = app.new_session();
        me.sign_in(email, offset).await;
        for (path, case) in &matrix {
            let calls: Vec<&Call> = match case {
                Case::Public | Case::Own => continue,
                Case::Foreign(calls) => calls.iter().collect(),
                Case::Listing(call) => vec![call],
            };
            for call in calls {
                let (status, body) = send(&me, path, call).await;
                match case {
                    Case::Foreign(_) => assert!(
                        (400..500).contains(&status),
                        "{email} {path} {call:?}: {status} {body}"
                    ),
                    _ => assert!(
                        status == 200 || status == 403,
                        "{email} {path}: {status} {body}"
                    ),
                }
                for secret in &secrets {
                    assert!(
                        !body.contains(secret.as_str()),
                        "{email} {path} leaked {secret}: {body}"
                    );
                }
            }
        }
        assert_ne!(me.whoami().await, Value::Null, "{email} still signed in");
    }
    for (path, case) in &matrix {
        if let Case::Own = case {
            let (status, _) = send(&anonymous, path, &Call::Form(vec![])).await;
            assert!((400..500).contains(&status), "anonymous {path}: {status}");
        }
    }
    assert_eq!(
        before,
        footprint(&app.owner).await,
        "nothing was written across tenants"
    );
    let mut tx = system_tx(&app.owner).await;
    let lexaia_recurring: i64 =
        sqlx::query_scalar("SELECT count(*) FROM invoices WHERE subscription_id = $1")
            .bind(target.subscription)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        lexaia_recurring, 0,
        "other roles' \"invoice now\" never reaches LEXAIA"
    );

    // The CEO, allowed everywhere, still cannot put another client's contact on a document.
    for (path, body) in [
        (
            "/api/invoices/create",
            json!({ "input": invoice_input(target.hypervisual, target.helvetia, Some(target.alpine_contact)) }),
        ),
        (
            "/api/quotes/create",
            json!({ "input": quote_input(target.hypervisual, target.helvetia, Some(target.alpine_contact)) }),
        ),
        (
            "/api/subscriptions/save",
            json!({ "id": null, "input": subscription_input(target.hypervisual, target.helvetia, Some(target.alpine_contact)) }),
        ),
    ] {
        let response = ceo.post_json(path, &body).await;
        assert_eq!(response.status(), 422, "{path}");
        assert_eq!(
            response.json::<Value>().await.unwrap()["Validation"][0]["field"],
            "contact_id",
            "{path}"
        );
    }
}
