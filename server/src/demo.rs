//! Demo data: the holding's five owner companies, loaded by the run command.
//!
//! Loading is idempotent: rows are keyed by their natural key and never duplicated.

use sqlx::PgPool;

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

/// What the demo loader did, for the start-up banner.
#[derive(Debug, Default)]
pub struct DemoReport {
    /// Owner companies inserted by this run (0 when they were already there).
    pub companies_added: u64,
}

/// Loads the small demo dataset; a second run changes nothing.
pub async fn load_small(pool: &PgPool) -> Result<DemoReport, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let mut report = DemoReport::default();
    for company in &OWNER_COMPANIES {
        let vat_number = format!("{} MWST", company.uid);
        let done = sqlx::query!(
            r#"INSERT INTO companies
                 (code, name, legal_name, activity, colour, uid, vat_number,
                  street, building_number, postal_code, town, country, iban, qr_iban, default_vat)
               VALUES ($1, $2, $3, $4, $5, $6, $7, 'Route de la Glâne', '107', '1700', 'Fribourg', 'CH', $8, $9, $10)
               ON CONFLICT (code) DO NOTHING"#,
            company.code,
            company.name,
            company.legal_name,
            company.activity,
            company.colour,
            company.uid,
            vat_number,
            company.iban,
            company.qr_iban,
            company.default_vat,
        )
        .execute(&mut *tx)
        .await?;
        report.companies_added += done.rows_affected();
    }
    tx.commit().await?;
    Ok(report)
}
