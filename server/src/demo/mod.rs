//! Demo data: the holding's five owner companies, loaded by the run command.
//!
//! Loading is idempotent: rows are keyed by their natural key and never duplicated. The
//! generated volume on top (see [`generate`]) is marked as loaded and never loaded twice.

pub mod camt;
pub mod generate;

use app::auth::ssr::crypto::SecretBox;
use app::auth::ssr::{begin, password, totp, Scope};
use app::auth::{Permission, PermissionSet};
use app::domain::reference::iban_from;
use sqlx::PgPool;
use uuid::Uuid;

/// One owner company of PRODUCT.md, with a complete (fictitious but valid) legal identity.
struct OwnerCompany {
    code: &'static str,
    name: &'static str,
    legal_name: &'static str,
    activity: &'static str,
    colour: &'static str,
    uid: &'static str,
    iban: &'static str,
    qr_iban: &'static str,
    default_vat: &'static str,
}

/// IBANs, QR-IBANs (IID 30000–31999) and UIDs below carry valid check digits.
const OWNER_COMPANIES: [OwnerCompany; 5] = [
    OwnerCompany {
        code: "HYPERVISUAL",
        name: "HYPERVISUAL",
        legal_name: "HYPERVISUAL SA",
        activity: "Creative studio: LED screens, totems, holograms (sale and rental), SaaS",
        colour: "#2196F3",
        uid: "CHE-109.876.542",
        iban: "CH1600767001000000000",
        qr_iban: "CH3830767001000000000",
        default_vat: "standard",
    },
    OwnerCompany {
        code: "DAINAMICS",
        name: "DAINAMICS",
        legal_name: "DAINAMICS SA",
        activity: "Tech and SaaS solutions",
        colour: "#4CAF50",
        uid: "CHE-112.345.676",
        iban: "CH9000768001000123457",
        qr_iban: "CH1530768001000123457",
        default_vat: "standard",
    },
    OwnerCompany {
        code: "LEXAIA",
        name: "LEXAIA",
        legal_name: "LEXAIA Sàrl",
        activity: "Legal services",
        colour: "#FF9800",
        uid: "CHE-213.456.787",
        iban: "CH9700700001000246914",
        qr_iban: "CH2230700001000246914",
        default_vat: "standard",
    },
    OwnerCompany {
        code: "ENKI_REALTY",
        name: "ENKI REALTY",
        legal_name: "ENKI REALTY SA",
        activity: "Real estate",
        colour: "#9C27B0",
        uid: "CHE-314.567.898",
        iban: "CH3200235001000370371",
        qr_iban: "CH0331235001000370371",
        default_vat: "exempt",
    },
    OwnerCompany {
        code: "TAKEOUT",
        name: "TAKEOUT",
        legal_name: "TAKEOUT SA",
        activity: "Food tech",
        colour: "#F44336",
        uid: "CHE-415.678.905",
        iban: "CH4500483001000493828",
        qr_iban: "CH6730483001000493828",
        default_vat: "reduced",
    },
];

/// The password of every demo login (demo data only: never use it for real accounts).
pub const DEMO_PASSWORD: &str = "Demo-Password-2026";

/// The CEO's demo TOTP secret (base32), printed at start-up so it can be added to an
/// authenticator app; the end-to-end tests compute codes from it.
pub const DEMO_CEO_TOTP_BASE32: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// A demo login: who it is and where it signs in.
pub struct DemoLogin {
    /// Sign-in email.
    pub email: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Role name.
    pub role: &'static str,
    /// Memberships: company code, party name (portal roles), staff permissions.
    pub companies: &'static [(&'static str, Option<&'static str>)],
}

/// One login per portal, plus an accountant (staff) to show company-scoped permissions.
pub const DEMO_LOGINS: [DemoLogin; 5] = [
    DemoLogin {
        email: "ceo@hmf.ch",
        name: "Jean Dupont",
        role: "ceo",
        companies: &[],
    },
    DemoLogin {
        email: "accountant@hmf.ch",
        name: "Anna Keller",
        role: "staff",
        companies: &[("HYPERVISUAL", None), ("DAINAMICS", None)],
    },
    DemoLogin {
        email: "client@helvetia-events.ch",
        name: "Sophie Martin",
        role: "client",
        companies: &[("HYPERVISUAL", Some("Helvetia Events SA"))],
    },
    DemoLogin {
        email: "provider@lumitech.ch",
        name: "Marco Rossi",
        role: "provider",
        companies: &[("HYPERVISUAL", Some("LumiTech Installations Sàrl"))],
    },
    DemoLogin {
        email: "reseller@romandie-partners.ch",
        name: "Luc Favre",
        role: "reseller",
        companies: &[("HYPERVISUAL", Some("Romandie Partners SA"))],
    },
];

/// CRM parties of the demo: (company code, kind, name, email, street, number, postal code, town).
type DemoParty = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);
const DEMO_PARTIES: [DemoParty; 6] = [
    (
        "HYPERVISUAL",
        "client",
        "Helvetia Events SA",
        "info@helvetia-events.ch",
        "Avenue de la Gare",
        "12",
        "1003",
        "Lausanne",
    ),
    (
        "HYPERVISUAL",
        "client",
        "Alpine Retail AG",
        "office@alpine-retail.ch",
        "Bundesgasse",
        "8",
        "3011",
        "Bern",
    ),
    (
        "HYPERVISUAL",
        "provider",
        "LumiTech Installations Sàrl",
        "contact@lumitech.ch",
        "Rue de Vevey",
        "45",
        "1630",
        "Bulle",
    ),
    (
        "HYPERVISUAL",
        "reseller",
        "Romandie Partners SA",
        "hello@romandie-partners.ch",
        "Rue du Seyon",
        "3",
        "2000",
        "Neuchâtel",
    ),
    (
        "DAINAMICS",
        "client",
        "Bern Logistics GmbH",
        "it@bern-logistics.ch",
        "Industriestrasse",
        "21",
        "3000",
        "Bern",
    ),
    (
        "LEXAIA",
        "client",
        "Studio Juridique Moret",
        "moret@studio-moret.ch",
        "Rue de Lausanne",
        "60",
        "1700",
        "Fribourg",
    ),
];

/// Products of the demo catalogue: (company, sku, name, unit, price in centimes, VAT code).
const DEMO_PRODUCTS: [(&str, &str, &str, &str, i64, &str); 5] = [
    (
        "HYPERVISUAL",
        "LED-WALL-DAY",
        "LED wall 4×3 m, rental per day",
        "day",
        150_000,
        "standard",
    ),
    (
        "HYPERVISUAL",
        "TOTEM-55",
        "Digital totem 55 inch, sale",
        "pce",
        489_000,
        "standard",
    ),
    (
        "HYPERVISUAL",
        "HOLO-SETUP",
        "Hologram set-up and calibration",
        "h",
        18_000,
        "standard",
    ),
    (
        "DAINAMICS",
        "SAAS-MONTH",
        "SaaS licence, monthly",
        "month",
        29_000,
        "standard",
    ),
    (
        "TAKEOUT",
        "MEAL-BOX",
        "Meal box (take-away)",
        "pce",
        1_850,
        "reduced",
    ),
];

/// The terms of sale every demo company starts with (version 1, in force).
const DEMO_TERMS: &str = "Conditions générales de vente\n\n\
1. Champ d'application. Les présentes conditions régissent toutes les offres et prestations.\n\
2. Offres. Les devis sont valables jusqu'à la date indiquée.\n\
3. Acompte. Un acompte est dû à la signature lorsque le devis le prévoit ; le projet démarre à sa réception.\n\
4. Paiement. Les factures sont payables à 30 jours, par QR-facture.\n\
5. Droit applicable. Droit suisse ; for à Fribourg.";

/// What the staff demo login may do in its companies.
fn accountant_permissions() -> PermissionSet {
    use Permission::*;
    PermissionSet::of(&[
        CompaniesRead,
        ContactsRead,
        InvoicesRead,
        InvoicesWrite,
        InvoicesSend,
        PaymentsRead,
        PaymentsWrite,
        CreditNotesWrite,
        BankRead,
        BankWrite,
        SupplierInvoicesRead,
        // The accountant validates supplier bills and approves those below the CEO's threshold.
        SupplierInvoicesWrite,
        SupplierInvoicesApprove,
        DunningRead,
        ReportsRead,
    ])
}

/// What the demo loader did, for the start-up banner.
#[derive(Debug, Default)]
pub struct DemoReport {
    /// Owner companies inserted by this run (0 when they were already there).
    pub companies_added: u64,
    /// Users inserted by this run.
    pub users_added: u64,
}

/// Loads the small demo dataset through the application's pool (as the system context); a
/// second run changes nothing.
pub async fn load_small(
    pool: &PgPool,
    secrets: &SecretBox,
) -> Result<DemoReport, app::error::AppError> {
    let mut tx = begin(pool, &Scope::system()).await?;
    let mut report = DemoReport::default();
    for (n, company) in OWNER_COMPANIES.iter().enumerate() {
        let vat_number = format!("{} MWST", company.uid);
        let done = sqlx::query!(
            r#"INSERT INTO companies
                 (code, name, legal_name, activity, colour, uid, vat_number,
                  street, building_number, postal_code, town, country, default_vat, email, sender_name)
               VALUES ($1, $2, $3, $4, $5, $6, $7, 'Route de la Glâne', '107', '1700', 'Fribourg', 'CH', $8,
                       lower($1) || '@hmf.ch', $2)
               ON CONFLICT (code) DO NOTHING"#,
            company.code,
            company.name,
            company.legal_name,
            company.activity,
            company.colour,
            company.uid,
            vat_number,
            company.default_vat,
        )
        .execute(&mut *tx)
        .await?;
        report.companies_added += done.rows_affected();
        // The account invoices in CHF point to (with its QR-IBAN), and one each in EUR and USD
        // (creditor references: the bank issued no QR-IBAN for them).
        let eur = iban_from("CH", &format!("00767{:012}", 900_000 + n)).unwrap_or_default();
        let usd = iban_from("CH", &format!("00767{:012}", 910_000 + n)).unwrap_or_default();
        for (name, iban, qr_iban, currency) in [
            ("Compte CHF", company.iban, Some(company.qr_iban), "CHF"),
            ("Compte EUR", eur.as_str(), None, "EUR"),
            ("Compte USD", usd.as_str(), None, "USD"),
        ] {
            sqlx::query!(
                r#"INSERT INTO bank_accounts (company_id, name, iban, qr_iban, currency, receives_invoices)
                   SELECT c.id, $2, $3, $4, $5, true FROM companies c WHERE c.code = $1
                   ON CONFLICT (company_id, iban) DO NOTHING"#,
                company.code,
                name,
                iban,
                qr_iban,
                currency,
            )
            .execute(&mut *tx)
            .await?;
        }
    }

    for (code, kind, name, email, street, number, postal, town) in DEMO_PARTIES {
        sqlx::query!(
            r#"INSERT INTO parties (company_id, kind, name, email, street, building_number, postal_code, town)
               SELECT c.id, $2, $3, $4, $5, $6, $7, $8 FROM companies c
               WHERE c.code = $1
                 AND NOT EXISTS (SELECT 1 FROM parties p WHERE p.company_id = c.id AND p.name = $3)"#,
            code,
            kind,
            name,
            email,
            street,
            number,
            postal,
            town,
        )
        .execute(&mut *tx)
        .await?;
    }
    for (code, sku, name, unit, price, vat) in DEMO_PRODUCTS {
        sqlx::query!(
            r#"INSERT INTO products (company_id, sku, name, unit, unit_price_minor, vat_code)
               SELECT c.id, $2, $3, $4, $5, $6 FROM companies c WHERE c.code = $1
               ON CONFLICT (company_id, sku) DO NOTHING"#,
            code,
            sku,
            name,
            unit,
            price,
            vat,
        )
        .execute(&mut *tx)
        .await?;
    }
    let terms_hash = app::auth::ssr::crypto::hex_digest(DEMO_TERMS.as_bytes());
    sqlx::query!(
        r#"INSERT INTO terms_versions (company_id, version, status, title, content, content_hash, effective_date, activated_at)
           SELECT c.id, 1, 'active', 'Conditions générales de vente', $1, $2, DATE '2026-01-01', now() FROM companies c
           ON CONFLICT (company_id, version) DO NOTHING"#,
        DEMO_TERMS,
        terms_hash,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"INSERT INTO deposit_rules (company_id, project_type, percent_bp, due_days)
           SELECT c.id, 'default', 3000, 10 FROM companies c
           ON CONFLICT DO NOTHING"#
    )
    .execute(&mut *tx)
    .await?;

    let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let ceo_secret = base32_decode(DEMO_CEO_TOTP_BASE32).ok_or(app::error::AppError::Internal)?;
    let sealed_secret = totp::seal_secret(secrets, &ceo_secret)?;
    for login in &DEMO_LOGINS {
        let is_ceo = login.role == "ceo";
        let user_id = sqlx::query_scalar!(
            r#"INSERT INTO users (email, display_name, role, password_hash, locale, totp_secret, totp_enabled_at)
               VALUES ($1, $2, $3, $4, 'fr', $5, CASE WHEN $6 THEN now() END)
               ON CONFLICT (email) DO NOTHING
               RETURNING id"#,
            login.email,
            login.name,
            login.role,
            hash,
            is_ceo.then_some(sealed_secret.as_slice()),
            is_ceo,
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(user_id) = user_id else { continue };
        report.users_added += 1;
        for (code, party) in login.companies {
            let permissions = if login.role == "staff" {
                accountant_permissions().names()
            } else {
                Vec::new()
            };
            add_membership(&mut tx, user_id, code, *party, &permissions).await?;
            if login.role == "client" {
                // The client login is also the party's contact person (documents go to them).
                let (first, last) = login.name.split_once(' ').unwrap_or((login.name, "-"));
                sqlx::query!(
                    r#"INSERT INTO contacts (company_id, party_id, first_name, last_name, email, user_id)
                       SELECT p.company_id, p.id, $3, $4, $5, $6 FROM parties p JOIN companies c ON c.id = p.company_id
                       WHERE c.code = $1 AND p.name = $2
                       ON CONFLICT DO NOTHING"#,
                    code,
                    party.unwrap_or_default(),
                    first,
                    last,
                    login.email,
                    user_id,
                )
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(report)
}

async fn add_membership(
    conn: &mut sqlx::PgConnection,
    user_id: Uuid,
    company_code: &str,
    party: Option<&str>,
    permissions: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"INSERT INTO memberships (user_id, company_id, permissions, party_id)
           SELECT $1, c.id, $3, (SELECT p.id FROM parties p WHERE p.company_id = c.id AND p.name = $4)
           FROM companies c WHERE c.code = $2
           ON CONFLICT DO NOTHING"#,
        user_id,
        company_code,
        permissions,
        party,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The demo logins that exist in this database and still open with the demo password: a
/// production server refuses to start while there is any.
pub async fn demo_credentials_present(pool: &PgPool) -> Result<Vec<String>, app::error::AppError> {
    let mut tx = begin(pool, &Scope::system()).await?;
    let emails: Vec<String> = DEMO_LOGINS.iter().map(|l| l.email.to_owned()).collect();
    let rows = sqlx::query!(
        r#"SELECT email, password_hash AS "password_hash!" FROM users
           WHERE email = ANY($1) AND password_hash IS NOT NULL AND is_active"#,
        &emails
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut present = Vec::new();
    for row in rows {
        if password::verify(DEMO_PASSWORD.to_owned(), Some(row.password_hash), "").await {
            present.push(row.email);
        }
    }
    Ok(present)
}

/// RFC 4648 base32 (no padding), for the fixed demo TOTP secret.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = 0u64;
    let mut count = 0u32;
    let mut out = Vec::new();
    for c in text.bytes() {
        let value = ALPHABET.iter().position(|a| *a == c)? as u64;
        bits = (bits << 5) | value;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    Some(out)
}

/// The start-up banner's list of demo logins.
pub fn banner() -> String {
    let mut text = String::from("  Demo logins (password for all: ");
    text.push_str(DEMO_PASSWORD);
    text.push_str(
        ")
",
    );
    for login in &DEMO_LOGINS {
        text.push_str(&format!(
            "    {:<9} {}
",
            login.role, login.email
        ));
    }
    text.push_str(&format!(
        "  The CEO signs in with a second factor: add the TOTP secret {DEMO_CEO_TOTP_BASE32}
  to an authenticator app (demo only).
"
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_round_trip_of_the_demo_secret() {
        let bytes = base32_decode(DEMO_CEO_TOTP_BASE32).unwrap();
        assert_eq!(bytes.len(), 20);
        assert_eq!(&bytes[..5], b"Hello");
        assert_eq!(base32_decode("A1"), None);
    }
}
