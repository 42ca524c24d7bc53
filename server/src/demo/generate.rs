//! Generated demo data at scale: deterministic (seeded ChaCha), Swiss-flavoured (names, towns,
//! IBANs with valid check digits, VAT mix, CHF/EUR/USD, seasonal invoicing), for all five owner
//! companies. Rows are streamed with `COPY` into temporary tables, then moved into the business
//! tables with one `INSERT … SELECT` each (COPY cannot write into tables under row-level
//! security; the statement-level triggers then update the summaries once per table).

use std::fmt::Write as _;

use app::auth::ssr::{begin, Scope};
use app::billing::ssr::invoices::reference_for;
use app::billing::ssr::Account;
use app::domain::money::Currency;
use app::domain::reference::iban_from;
use app::domain::vat::{line_amounts, rate_on, swiss_periods, totals, VatCode, VatRounding};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::{PgConnection, PgPool};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

/// How much to generate per owner company.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sizes {
    /// Client, supplier and partner companies.
    pub parties: usize,
    /// Contact people.
    pub contacts: usize,
    /// Leads.
    pub leads: usize,
    /// Quotes.
    pub quotes: usize,
    /// Invoices.
    pub invoices: usize,
    /// Average lines per invoice (uniform 1..=2×avg−1).
    pub lines_per_invoice: usize,
    /// Supplier bills.
    pub supplier_bills: usize,
    /// Subscriptions.
    pub subscriptions: usize,
    /// Projects.
    pub projects: usize,
}

/// The named scales of `server demo --scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    /// The run command's demo: a few hundred documents per company.
    Small,
    /// The benchmark's: 100,000 invoices with over 1,000,000 lines, over 20,000 client
    /// companies and 20,000 contacts, 50,000 leads.
    Large,
}

impl Scale {
    /// Sizes per company.
    pub const fn sizes(self) -> Sizes {
        match self {
            Scale::Small => Sizes {
                parties: 40,
                contacts: 60,
                leads: 60,
                quotes: 40,
                invoices: 150,
                lines_per_invoice: 4,
                supplier_bills: 40,
                subscriptions: 6,
                projects: 12,
            },
            // Per company; 70 % of the parties are clients: 20,300 client companies in all,
            // 20,000 contacts, 50,000 leads, 100,000 invoices with about 1,100,000 lines.
            Scale::Large => Sizes {
                parties: 5_800,
                contacts: 4_000,
                leads: 10_000,
                quotes: 4_000,
                invoices: 20_000,
                lines_per_invoice: 11,
                supplier_bills: 600,
                subscriptions: 60,
                projects: 200,
            },
        }
    }

    /// Name stored in `demo_loads`.
    pub const fn name(self) -> &'static str {
        match self {
            Scale::Small => "small",
            Scale::Large => "large",
        }
    }
}

/// The seed of the named scales: the same data on every machine.
pub const SEED: u64 = 20_261_201;

/// What a generation did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Generated {
    /// Whether this label was loaded before (nothing was done).
    pub already_loaded: bool,
    /// Rows written per table.
    pub invoices: usize,
    /// Invoice lines written.
    pub invoice_lines: usize,
    /// Parties written.
    pub parties: usize,
    /// Contacts written.
    pub contacts: usize,
    /// Leads written.
    pub leads: usize,
}

const FIRST: &[&str] = &[
    "Luca", "Léa", "Noah", "Mia", "Elias", "Emma", "Matteo", "Chloé", "Julien", "Sophie",
    "Nicolas", "Anna", "Thomas", "Laura", "David", "Sarah", "Marco", "Giulia", "Lukas", "Nina",
    "Samuel", "Camille", "Yannick", "Céline", "Reto", "Ursula", "Beat", "Corinne", "Jonas",
    "Aline",
];
const LAST: &[&str] = &[
    "Müller",
    "Meier",
    "Schmid",
    "Keller",
    "Weber",
    "Huber",
    "Schneider",
    "Meyer",
    "Steiner",
    "Fischer",
    "Gerber",
    "Brunner",
    "Baumann",
    "Frei",
    "Zimmermann",
    "Moser",
    "Widmer",
    "Favre",
    "Rochat",
    "Bonvin",
    "Dubois",
    "Rossi",
    "Bianchi",
    "Monnier",
    "Perret",
    "Python",
    "Chappuis",
    "Gauthier",
    "Berset",
    "Sutter",
];
const SUFFIX: &[&str] = &[
    "AG",
    "SA",
    "Sàrl",
    "GmbH",
    "& Cie",
    "Holding SA",
    "Events SA",
    "Immobilier SA",
    "Bau AG",
    "Consulting",
    "Hôtellerie SA",
    "Technik AG",
];
/// Town, postal code, language.
const TOWNS: &[(&str, &str, &str)] = &[
    ("Fribourg", "1700", "fr"),
    ("Lausanne", "1003", "fr"),
    ("Genève", "1204", "fr"),
    ("Neuchâtel", "2000", "fr"),
    ("Sion", "1950", "fr"),
    ("Bulle", "1630", "fr"),
    ("Bern", "3011", "de"),
    ("Zürich", "8001", "de"),
    ("Basel", "4051", "de"),
    ("Luzern", "6003", "de"),
    ("St. Gallen", "9000", "de"),
    ("Winterthur", "8400", "de"),
    ("Lugano", "6900", "en"),
];
const STREETS: &[&str] = &[
    "Rue de Lausanne",
    "Bahnhofstrasse",
    "Route de la Glâne",
    "Avenue de la Gare",
    "Hauptstrasse",
    "Rue du Simplon",
    "Seestrasse",
    "Chemin des Vignes",
    "Industriestrasse",
    "Rue de Romont",
];
const LINE_TEXTS: &[&str] = &[
    "Conseil et conception",
    "Installation sur site",
    "Location écran LED (jour)",
    "Maintenance",
    "Développement logiciel",
    "Licence SaaS (mois)",
    "Transport et montage",
    "Formation",
    "Support technique",
    "Gestion de projet",
    "Hologramme (location)",
    "Frais de déplacement",
];
const LEAD_TITLES: &[&str] = &[
    "Écran LED pour salon",
    "Totem interactif",
    "Site web et SaaS",
    "Audit juridique",
    "Gestion immobilière",
    "Application de commande",
    "Hologramme pour lancement",
    "Maintenance annuelle",
];

/// Sortable random ids: a counter in the high bits keeps index inserts local.
struct Ids {
    rng: ChaCha8Rng,
    next: u64,
}

impl Ids {
    fn id(&mut self) -> Uuid {
        self.next += 1;
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next.to_be_bytes());
        self.rng.fill(&mut bytes[8..]);
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

/// A `COPY … FROM STDIN` text-format buffer.
#[derive(Default)]
struct Copy {
    buf: String,
    rows: usize,
}

/// One field for [`Copy`].
enum F<'a> {
    S(&'a str),
    I(i64),
    U(Uuid),
    D(Date),
    T(OffsetDateTime),
    N,
}

impl Copy {
    fn row(&mut self, fields: &[F<'_>]) {
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.buf.push('\t');
            }
            match f {
                F::S(s) => {
                    for c in s.chars() {
                        match c {
                            '\\' => self.buf.push_str("\\\\"),
                            '\t' => self.buf.push_str("\\t"),
                            '\n' => self.buf.push_str("\\n"),
                            '\r' => self.buf.push_str("\\r"),
                            c => self.buf.push(c),
                        }
                    }
                }
                F::I(v) => {
                    let _ = write!(self.buf, "{v}");
                }
                F::U(v) => {
                    let _ = write!(self.buf, "{v}");
                }
                F::D(d) => {
                    let _ = write!(self.buf, "{d}");
                }
                F::T(t) => {
                    let _ = write!(
                        self.buf,
                        "{} {:02}:{:02}:{:02}+00",
                        t.date(),
                        t.hour(),
                        t.minute(),
                        t.second()
                    );
                }
                F::N => self.buf.push_str("\\N"),
            }
        }
        self.buf.push('\n');
        self.rows += 1;
    }

    /// Creates `tmp_{table}` like `table` and copies the rows into it.
    async fn load(
        self,
        conn: &mut PgConnection,
        table: &str,
        columns: &str,
    ) -> Result<usize, sqlx::Error> {
        sqlx::query(&format!(
            "CREATE TEMP TABLE tmp_{table} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
        ))
        .execute(&mut *conn)
        .await?;
        let mut copy = conn
            .copy_in_raw(&format!("COPY tmp_{table} ({columns}) FROM STDIN"))
            .await?;
        copy.send(self.buf.into_bytes()).await?;
        copy.finish().await?;
        Ok(self.rows)
    }
}

async fn move_rows(conn: &mut PgConnection, table: &str, columns: &str) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO {table} ({columns}) SELECT {columns} FROM tmp_{table}"
    ))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

struct Company {
    id: Uuid,
    code: String,
    default_vat: String,
    products: Vec<(Uuid, String, i64, String)>,
    /// The accounts invoices are paid to, per currency.
    accounts: Vec<(Currency, Account)>,
}

/// A swiss IBAN for a clearing number and account number.
fn swiss_iban(rng: &mut ChaCha8Rng) -> String {
    let clearing = [767u32, 700, 235, 483, 768, 9000, 8440][rng.random_range(0..7)];
    let account: u64 = rng.random_range(0..1_000_000_000_000);
    iban_from("CH", &format!("{clearing:05}{account:012}")).unwrap_or_default()
}

fn seasonal_day(rng: &mut ChaCha8Rng, today: Date, span_days: i64) -> Date {
    // Fewer documents in August and late December, more in spring and autumn.
    loop {
        let back = rng.random_range(0..span_days);
        let day = today - Duration::days(back);
        let weight = match (day.month() as u8, day.day()) {
            (8, _) => 45,
            (12, d) if d > 20 => 30,
            (3..=5, _) | (9..=11, _) => 100,
            _ => 75,
        };
        if rng.random_range(0..100) < weight {
            return day;
        }
    }
}

/// Generates one labelled dataset (refused when the label was loaded before). `pool` connects
/// as the schema owner: the load switches a row trigger off and refreshes statistics, which only
/// the owner may do; rows are still written under the system scope's row-level policies.
pub async fn generate(
    pool: &PgPool,
    label: &str,
    sizes: Sizes,
    seed: u64,
) -> Result<Generated, app::error::AppError> {
    let mut tx = begin(pool, &Scope::system()).await?;
    // One loader at a time; a second one waits, then sees the marker and stops.
    sqlx::query!("SELECT pg_advisory_xact_lock(20261201)")
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM demo_loads WHERE scale = $1) AS "done!""#,
        label
    )
    .fetch_one(&mut *tx)
    .await?;
    if done {
        return Ok(Generated {
            already_loaded: true,
            ..Generated::default()
        });
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut ids = Ids {
        rng: ChaCha8Rng::seed_from_u64(seed ^ 0x5eed),
        next: rng.random(),
    };
    let today = sqlx::query_scalar!(r#"SELECT app_today() AS "today!""#)
        .fetch_one(&mut *tx)
        .await?;
    let now = OffsetDateTime::now_utc();
    let companies = load_companies(&mut tx).await?;
    let periods = swiss_periods();
    let existing: Vec<(Uuid, String, i32, i64)> =
        sqlx::query!("SELECT company_id, kind, year, last_value FROM document_sequences")
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|r| (r.company_id, r.kind, r.year, r.last_value as i64))
            .collect();

    let mut parties = Copy::default();
    let mut contacts = Copy::default();
    let mut leads = Copy::default();
    let mut quotes = Copy::default();
    let mut invoices = Copy::default();
    let mut lines = Copy::default();
    let mut statuses = Copy::default();
    let mut payments = Copy::default();
    let mut bills = Copy::default();
    let mut subscriptions = Copy::default();
    let mut projects = Copy::default();
    let mut accounts = Copy::default();
    let mut credit_notes = Copy::default();
    let mut credit_rates = Copy::default();
    let mut sequences: Vec<(Uuid, &'static str, i32, i64)> = Vec::new();

    for company in &companies {
        let mut credit_seq = start_of(&existing, company.id, "credit_note");
        // Parties: mostly clients, some suppliers and partners.
        let mut clients: Vec<(Uuid, String)> = Vec::new();
        let mut suppliers: Vec<(Uuid, String)> = Vec::new();
        for n in 0..sizes.parties {
            let id = ids.id();
            let kind = match n % 10 {
                0 | 1 => "supplier",
                2 => "partner",
                _ => "client",
            };
            let (town, postal, language) = *TOWNS.choose(&mut rng).unwrap_or(&TOWNS[0]);
            let name = format!(
                "{} {} {}",
                LAST.choose(&mut rng).unwrap_or(&"Muster"),
                SUFFIX.choose(&mut rng).unwrap_or(&"SA"),
                n + 1
            );
            let email = format!("info{}@{}.example", n + 1, company.code.to_lowercase());
            let street = STREETS.choose(&mut rng).unwrap_or(&STREETS[0]);
            let number = rng.random_range(1..200).to_string();
            let iban = swiss_iban(&mut rng);
            let created = now - Duration::days(rng.random_range(0..900));
            parties.row(&[
                F::U(id),
                F::U(company.id),
                F::S(kind),
                F::S(&name),
                F::S(&email),
                F::S(street),
                F::S(&number),
                F::S(postal),
                F::S(town),
                F::S(language),
                F::S(&iban),
                F::T(created),
                F::T(created),
            ]);
            match kind {
                "supplier" => suppliers.push((id, iban.clone())),
                "client" => clients.push((id, language.to_owned())),
                _ => {}
            }
        }
        for n in 0..sizes.contacts {
            let (party, language) = &clients[n % clients.len()];
            let first = FIRST.choose(&mut rng).unwrap_or(&"Anna");
            let last = LAST.choose(&mut rng).unwrap_or(&"Muster");
            let email = format!(
                "{}.{}{}@client{}.example",
                first.to_lowercase(),
                last.to_lowercase(),
                n + 1,
                company.code.to_lowercase()
            );
            let phone = format!(
                "+41 2{} {:03} {:02} {:02}",
                n % 10,
                n % 1000,
                n % 100,
                (n / 7) % 100
            );
            let created = now - Duration::days(rng.random_range(0..900));
            contacts.row(&[
                F::U(ids.id()),
                F::U(company.id),
                F::U(*party),
                F::S(first),
                F::S(last),
                F::S(&email),
                F::S(&phone),
                F::S(language),
                F::T(created),
                F::T(created),
            ]);
        }
        for n in 0..sizes.leads {
            let status = match rng.random_range(0..100) {
                0..=24 => "new",
                25..=44 => "contacted",
                45..=59 => "qualified",
                60..=71 => "proposal",
                72..=79 => "negotiation",
                80..=89 => "won",
                _ => "lost",
            };
            // New leads are days old (a living pipeline is worked on); the rest span two years.
            let age_hours = if status == "new" { 24 * 20 } else { 24 * 720 };
            let created = now - Duration::hours(rng.random_range(1..age_hours));
            let updated = created + Duration::hours(rng.random_range(0..240));
            let touched = (status != "new" || rng.random_range(0..3) == 0).then_some(updated);
            let currency = if rng.random_range(0..10) == 0 {
                "EUR"
            } else {
                "CHF"
            };
            let title = format!(
                "{} #{}",
                LEAD_TITLES.choose(&mut rng).unwrap_or(&"Projet"),
                n + 1
            );
            let organisation = format!(
                "{} {}",
                LAST.choose(&mut rng).unwrap_or(&"Muster"),
                SUFFIX.choose(&mut rng).unwrap_or(&"SA")
            );
            let contact = format!(
                "{} {}",
                FIRST.choose(&mut rng).unwrap_or(&"Anna"),
                LAST.choose(&mut rng).unwrap_or(&"Muster")
            );
            let source = ["manual", "form", "api", "referral", "event"][rng.random_range(0..5)];
            leads.row(&[
                F::U(ids.id()),
                F::U(company.id),
                F::S(&title),
                F::S(&organisation),
                F::S(&contact),
                F::S(source),
                F::S(status),
                F::I(rng.random_range(0..=100)),
                F::I(rng.random_range(5..500) * 100_000),
                F::S(currency),
                F::T(created),
                F::T(updated.min(now)),
                touched.map(|t| F::T(t.min(now))).unwrap_or(F::N),
            ]);
        }

        // Quotes (no lines: the quote list and KPIs need their header and totals).
        let mut quote_seq = start_of(&existing, company.id, "quote");
        for _ in 0..sizes.quotes {
            let issue = seasonal_day(&mut rng, today, 540);
            let year = issue.year();
            let seq = bump(&mut quote_seq, year);
            let status = match (today - issue).whole_days() {
                d if d < 20 => ["sent", "viewed", "draft", "signed"][rng.random_range(0..4)],
                _ => [
                    "completed",
                    "completed",
                    "rejected",
                    "expired",
                    "awaiting_deposit",
                ][rng.random_range(0..5)],
            };
            let (party, language) = &clients[rng.random_range(0..clients.len())];
            let net: i64 = rng.random_range(500..50_000) * 100;
            let vat = net * 81 / 1000;
            let valid = issue + Duration::days(30);
            quotes.row(&[
                F::U(ids.id()),
                F::U(company.id),
                F::S(&format!("Q-{year}-{seq:04}")),
                F::U(*party),
                F::S(&format!(
                    "Offre {}",
                    LEAD_TITLES.choose(&mut rng).unwrap_or(&"Projet")
                )),
                F::S(status),
                F::S("CHF"),
                F::S(language),
                F::D(issue),
                F::D(valid),
                F::I(net),
                F::I(vat),
                F::I(net + vat),
            ]);
        }
        for (year, last) in quote_seq {
            sequences.push((company.id, "quote", year, last));
        }

        // Invoices with their lines; statuses follow their age: what is still unpaid fell due
        // days or weeks ago, as in a business that collects its money.
        let mut invoice_seq = start_of(&existing, company.id, "invoice");
        for _ in 0..sizes.invoices {
            let id = ids.id();
            let issue = seasonal_day(&mut rng, today, 730);
            let currency = match rng.random_range(0..100) {
                0..=6 => Currency::EUR,
                7..=9 => Currency::USD,
                _ => Currency::CHF,
            };
            let (party, language) = &clients[rng.random_range(0..clients.len())];
            let count = rng.random_range(1..=sizes.lines_per_invoice * 2 - 1);
            let mut amounts = Vec::with_capacity(count);
            for position in 1..=count {
                let product = (rng.random_range(0..3) > 0)
                    .then(|| company.products.choose(&mut rng))
                    .flatten();
                let (product_id, text, price, vat_name) = match product {
                    Some((pid, name, price, vat)) => {
                        (F::U(*pid), name.as_str(), *price, vat.as_str())
                    }
                    None => (
                        F::N,
                        *LINE_TEXTS.choose(&mut rng).unwrap_or(&"Prestation"),
                        rng.random_range(50..5_000) * 100,
                        company.default_vat.as_str(),
                    ),
                };
                let code = VatCode::parse(vat_name).unwrap_or(VatCode::Standard);
                let service = issue - Duration::days(rng.random_range(0..20));
                let rate = rate_on(&periods, code, service).unwrap_or(0);
                let quantity = rng.random_range(1..20) * 1000;
                let discount = if rng.random_range(0..8) == 0 { 1000 } else { 0 };
                let a = line_amounts(quantity, price, discount, rate).unwrap_or(
                    app::domain::vat::LineAmounts {
                        net_minor: 0,
                        vat_minor: 0,
                    },
                );
                amounts.push((code, rate, a));
                lines.row(&[
                    F::U(ids.id()),
                    F::U(company.id),
                    F::U(id),
                    F::I(position as i64),
                    product_id,
                    F::S(text),
                    F::I(quantity),
                    F::I(price),
                    F::I(discount as i64),
                    F::S(code.as_str()),
                    F::I(rate as i64),
                    F::D(service),
                    F::I(a.net_minor),
                    F::I(a.vat_minor),
                ]);
            }
            let t = totals(&amounts, VatRounding::PerLine, currency == Currency::CHF);
            let due = issue + Duration::days(30);
            let days_late = (today - due).whole_days();
            let roll = rng.random_range(0..100);
            let status = if (today - issue).whole_days() < 3 && roll < 30 {
                "draft"
            } else if days_late <= 0 {
                ["sent", "viewed", "paid", "viewed", "partial"][rng.random_range(0..5)]
            } else if days_late <= 60 {
                match roll {
                    0..=59 => "paid",
                    60..=74 => "viewed",
                    75..=84 => "sent",
                    85..=94 => "partial",
                    _ => "cancelled",
                }
            } else {
                match roll {
                    0..=95 => "paid",
                    _ => "cancelled",
                }
            };
            // A draft has no number, no reference and no account yet.
            let issued = status != "draft";
            let account = company.accounts.iter().find(|(c, _)| *c == currency);
            let number = issued.then(|| {
                let seq = bump(&mut invoice_seq, issue.year());
                format!("INV-{}-{seq:04}", issue.year())
            });
            let (reference_type, reference) = match (&number, account) {
                (Some(n), Some((_, a))) => {
                    let (kind, reference) = reference_for(a, currency, n);
                    (kind.as_str(), reference)
                }
                _ => ("NON", String::new()),
            };
            invoices.row(&[
                F::U(id),
                F::U(company.id),
                number.as_deref().map(F::S).unwrap_or(F::N),
                F::U(*party),
                F::S(currency.code()),
                F::S(language),
                F::D(issue),
                F::D(due),
                F::I(t.net_minor),
                F::I(t.vat_minor),
                F::I(t.rounding_minor),
                F::I(t.total_minor),
                F::S(reference_type),
                F::S(&reference),
            ]);
            let paid_on = (issue + Duration::days(rng.random_range(3..50))).min(today);
            let sent_at = issue.midnight().assume_utc() + Duration::hours(9);
            let (paid_minor, paid_at) = match status {
                "paid" => (t.total_minor, Some(paid_on)),
                "partial" => (t.total_minor / 2, None),
                _ => (0, None),
            };
            // A cancelled invoice is cancelled by a credit note for all it asked, rate by rate.
            let credited = if status == "cancelled" {
                let seq = bump(&mut credit_seq, issue.year());
                let note = ids.id();
                credit_notes.row(&[
                    F::U(note),
                    F::U(company.id),
                    F::S(&format!("CN-{}-{seq:04}", issue.year())),
                    F::U(id),
                    F::U(*party),
                    F::S(currency.code()),
                    F::I(t.net_minor),
                    F::I(t.vat_minor),
                    F::I(t.rounding_minor),
                    F::I(t.total_minor),
                    F::S("Annulation"),
                    F::D(issue + Duration::days(2)),
                ]);
                for r in &t.per_rate {
                    credit_rates.row(&[
                        F::U(company.id),
                        F::U(note),
                        F::S(r.code.as_str()),
                        F::I(r.rate_bp as i64),
                        F::I(r.net_minor),
                        F::I(r.vat_minor),
                    ]);
                }
                t.total_minor
            } else {
                0
            };
            statuses.row(&[
                F::U(id),
                F::S(status),
                F::I(paid_minor),
                F::I(credited),
                account
                    .filter(|_| issued)
                    .map(|(_, a)| F::S(a.invoice_iban()))
                    .unwrap_or(F::N),
                if issued { F::T(sent_at) } else { F::N },
                paid_at
                    .map(|d| F::T(d.midnight().assume_utc() + Duration::hours(10)))
                    .unwrap_or(F::N),
            ]);
            if paid_minor > 0 {
                payments.row(&[
                    F::U(ids.id()),
                    F::U(company.id),
                    F::U(id),
                    F::U(*party),
                    F::I(paid_minor),
                    F::S(currency.code()),
                    F::D(paid_at.unwrap_or(paid_on)),
                ]);
            }
        }
        for (year, last) in invoice_seq {
            sequences.push((company.id, "invoice", year, last));
        }
        for (year, last) in credit_seq {
            sequences.push((company.id, "credit_note", year, last));
        }

        // Supplier bills: paid when old; recent ones approved, or waiting for approval.
        for n in 0..sizes.supplier_bills {
            let issue = seasonal_day(&mut rng, today, 240);
            let due = issue + Duration::days(30);
            let amount: i64 = rng.random_range(200..8_000) * 100;
            let (status, paid) = if due < today - Duration::days(5) {
                ("paid", Some(due.min(today)))
            } else if n % 3 == 0 {
                ("to_approve", None)
            } else {
                ("approved", None)
            };
            // Paid to the supplier's account: a payment run can pay the approved ones.
            let (supplier, iban) = &suppliers[n % suppliers.len()];
            bills.row(&[
                F::U(ids.id()),
                F::U(company.id),
                F::U(*supplier),
                F::S(&format!("F-{}", 10_000 + n)),
                F::D(issue),
                F::D(due),
                F::S("CHF"),
                F::I(amount),
                F::S(status),
                paid.map(F::D).unwrap_or(F::N),
                F::S(iban),
            ]);
        }
        for n in 0..sizes.subscriptions {
            let (party, _) = &clients[n % clients.len()];
            let (interval, months) =
                [("month", 1), ("month", 1), ("quarter", 3), ("year", 12)][n % 4];
            let started = today - Duration::days(rng.random_range(30..700));
            // The next period not invoiced yet: the first period start from today on.
            let mut next = started;
            while next < today {
                next = app::domain::calendar::add_months(next, months);
            }
            subscriptions.row(&[
                F::U(ids.id()),
                F::U(company.id),
                F::U(*party),
                F::S(&format!("Abonnement {}", n + 1)),
                F::I(rng.random_range(50..2_000) * 100),
                F::S("CHF"),
                F::S(interval),
                F::S(if n % 9 == 8 { "cancelled" } else { "active" }),
                F::D(started),
                F::D(next),
            ]);
        }
        for n in 0..sizes.projects {
            let (party, _) = &clients[n % clients.len()];
            let status = ["active", "active", "active", "completed", "planning"][n % 5];
            let activity = now - Duration::hours(rng.random_range(1..24 * 20));
            projects.row(&[
                F::U(ids.id()),
                F::U(company.id),
                F::U(*party),
                F::S(&format!("Projet {} {}", company.code, n + 1)),
                F::S(status),
                F::T(activity - Duration::days(30)),
                F::T(activity),
            ]);
        }
        let balance = rng.random_range(50_000..900_000) * 100;
        accounts.row(&[
            F::U(ids.id()),
            F::U(company.id),
            F::S("Compte courant"),
            F::S(&swiss_iban(&mut rng)),
            F::S("CHF"),
            F::I(balance),
            F::D(today),
        ]);
        accounts.row(&[
            F::U(ids.id()),
            F::U(company.id),
            F::S("Compte EUR"),
            F::S(&swiss_iban(&mut rng)),
            F::S("EUR"),
            F::I(balance / 5),
            F::D(today),
        ]);
    }

    let mut report = Generated {
        parties: parties.rows,
        contacts: contacts.rows,
        leads: leads.rows,
        invoices: invoices.rows,
        invoice_lines: lines.rows,
        ..Generated::default()
    };
    const PARTY: &str = "id, company_id, kind, name, email, street, building_number, postal_code, town, language, iban, created_at, updated_at";
    const CONTACT: &str = "id, company_id, party_id, first_name, last_name, email, phone, language, created_at, updated_at";
    const LEAD: &str = "id, company_id, title, organisation, contact_name, source, status, score, estimated_value_minor, currency, created_at, updated_at, last_activity_at";
    const QUOTE: &str = "id, company_id, number, party_id, title, status, currency, language, issue_date, valid_until, net_minor, vat_minor, total_minor";
    const INVOICE: &str = "id, company_id, number, party_id, currency, language, issue_date, due_date, net_minor, vat_minor, rounding_minor, total_minor, reference_type, reference";
    const LINE: &str = "id, company_id, invoice_id, position, product_id, description, quantity_milli, unit_price_minor, discount_bp, vat_code, vat_rate_bp, service_date, net_minor, vat_minor";
    const PAYMENT: &str = "id, company_id, invoice_id, party_id, amount_minor, currency, paid_on";
    const BILL: &str = "id, company_id, party_id, number, issue_date, due_date, currency, total_minor, status, paid_on, iban";
    const SUBSCRIPTION: &str = "id, company_id, party_id, name, amount_minor, currency, billing_interval, status, started_on, next_invoice_on";
    const PROJECT: &str = "id, company_id, party_id, name, status, created_at, last_activity_at";
    const ACCOUNT: &str = "id, company_id, name, iban, currency, balance_minor, balance_on";
    const CREDIT_NOTE: &str = "id, company_id, number, invoice_id, party_id, currency, net_minor, vat_minor, rounding_minor, total_minor, reason, issue_date";
    const CREDIT_RATE: &str = "company_id, credit_note_id, vat_code, rate_bp, net_minor, vat_minor";

    for (copy, table, columns) in [
        (parties, "parties", PARTY),
        (contacts, "contacts", CONTACT),
        (leads, "leads", LEAD),
        (quotes, "quotes", QUOTE),
        (invoices, "invoices", INVOICE),
        (lines, "invoice_lines", LINE),
        (bills, "supplier_bills", BILL),
        (subscriptions, "subscriptions", SUBSCRIPTION),
        (projects, "projects", PROJECT),
        (accounts, "bank_accounts", ACCOUNT),
    ] {
        copy.load(&mut tx, table, columns).await?;
        // The lines' lock trigger checks, row by row, that their invoice is still a draft. Here
        // they all are (statuses come after), so the loader — the tables' owner — switches it
        // off for this one statement: a million lookups fewer.
        let bulk_lines = table == "invoice_lines";
        if bulk_lines {
            sqlx::query("ALTER TABLE invoice_lines DISABLE TRIGGER invoice_lines_locked")
                .execute(&mut *tx)
                .await?;
        }
        move_rows(&mut tx, table, columns).await?;
        if bulk_lines {
            sqlx::query("ALTER TABLE invoice_lines ENABLE TRIGGER invoice_lines_locked")
                .execute(&mut *tx)
                .await?;
        }
    }
    // Invoices went in as drafts so their lines could be added; now they take their status
    // (one statement: the summary trigger aggregates the whole change at once).
    sqlx::query(
        "CREATE TEMP TABLE tmp_invoice_status (id uuid, status text, paid_minor bigint, credited_minor bigint, account_iban text, sent_at timestamptz, paid_at timestamptz) ON COMMIT DROP",
    )
    .execute(&mut *tx)
    .await?;
    {
        let mut copy = tx.copy_in_raw("COPY tmp_invoice_status FROM STDIN").await?;
        copy.send(statuses.buf.into_bytes()).await?;
        copy.finish().await?;
    }
    // (A temporary table: checked at run time, not by `query!`.)
    sqlx::query(
        "UPDATE invoices i SET status = s.status, paid_minor = s.paid_minor, credited_minor = s.credited_minor,
                account_iban = s.account_iban, sent_at = s.sent_at, paid_at = s.paid_at
         FROM tmp_invoice_status s WHERE i.id = s.id AND s.status <> 'draft'",
    )
    .execute(&mut *tx)
    .await?;
    // Each subscription bills one item: its amount.
    sqlx::query!(
        r#"INSERT INTO subscription_items (company_id, subscription_id, position, description, quantity_milli, unit_price_minor, vat_code)
           SELECT s.company_id, s.id, 1, s.name, 1000, s.amount_minor, c.default_vat
           FROM subscriptions s JOIN companies c ON c.id = s.company_id
           WHERE NOT EXISTS (SELECT 1 FROM subscription_items i WHERE i.company_id = s.company_id AND i.subscription_id = s.id)"#
    )
    .execute(&mut *tx)
    .await?;
    payments.load(&mut tx, "payments", PAYMENT).await?;
    move_rows(&mut tx, "payments", PAYMENT).await?;
    credit_notes
        .load(&mut tx, "credit_notes", CREDIT_NOTE)
        .await?;
    move_rows(&mut tx, "credit_notes", CREDIT_NOTE).await?;
    credit_rates
        .load(&mut tx, "credit_note_rates", CREDIT_RATE)
        .await?;
    move_rows(&mut tx, "credit_note_rates", CREDIT_RATE).await?;

    // Numbering continues after the generated documents.
    for (company, kind, year, last) in sequences {
        sqlx::query!(
            r#"INSERT INTO document_sequences (company_id, kind, year, last_value) VALUES ($1, $2, $3, $4)
               ON CONFLICT (company_id, kind, year) DO UPDATE
                   SET last_value = GREATEST(document_sequences.last_value, EXCLUDED.last_value)"#,
            company,
            kind,
            year,
            last as i32
        )
        .execute(&mut *tx)
        .await?;
    }
    // Daily rates for the last 60 days.
    sqlx::query!(
        r#"INSERT INTO exchange_rates (currency, rate_date, chf_per_unit_micros, source)
           SELECT c, d::date, CASE c WHEN 'EUR' THEN 935000 + (extract(doy FROM d)::int % 17) * 500
                                     ELSE 795000 + (extract(doy FROM d)::int % 13) * 700 END, 'demo'
           FROM unnest(ARRAY['EUR', 'USD']) c, generate_series(app_today() - 60, app_today(), interval '1 day') d
           ON CONFLICT DO NOTHING"#
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO demo_loads (scale, seed) VALUES ($1, $2)",
        label,
        seed as i64
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    // Fresh statistics so the planner sees the new sizes at once, and a visibility map so that
    // counts over covering indexes (untouched leads) need not visit the table.
    for table in [
        "parties",
        "contacts",
        "leads",
        "quotes",
        "invoices",
        "invoice_lines",
        "payments",
        "supplier_bills",
        "kpi_daily",
        "lead_stage_totals",
        "receivable_days",
        "search_index",
    ] {
        let _ = sqlx::query(&format!("VACUUM (ANALYZE) {table}"))
            .execute(pool)
            .await;
    }
    report.already_loaded = false;
    Ok(report)
}

/// The last numbers already used by a company for a kind of document, per year.
fn start_of(rows: &[(Uuid, String, i32, i64)], company: Uuid, kind: &str) -> Vec<(i32, i64)> {
    rows.iter()
        .filter(|(c, k, _, _)| *c == company && k == kind)
        .map(|(_, _, year, last)| (*year, *last))
        .collect()
}

/// Next number of a per-year sequence.
fn bump(seq: &mut Vec<(i32, i64)>, year: i32) -> i64 {
    match seq.iter_mut().find(|(y, _)| *y == year) {
        Some((_, last)) => {
            *last += 1;
            *last
        }
        None => {
            seq.push((year, 1));
            1
        }
    }
}

async fn load_companies(conn: &mut PgConnection) -> Result<Vec<Company>, sqlx::Error> {
    let rows = sqlx::query!("SELECT id, code, default_vat FROM companies ORDER BY code")
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let products = sqlx::query!(
            "SELECT id, name, unit_price_minor, vat_code FROM products WHERE company_id = $1 ORDER BY sku",
            r.id
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name, p.unit_price_minor, p.vat_code))
        .collect();
        let accounts = sqlx::query!(
            r#"SELECT currency AS "currency: Currency", iban, qr_iban FROM bank_accounts
               WHERE company_id = $1 AND receives_invoices"#,
            r.id
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|a| {
            (
                a.currency,
                Account {
                    iban: a.iban,
                    qr_iban: a.qr_iban,
                },
            )
        })
        .collect();
        out.push(Company {
            id: r.id,
            code: r.code,
            default_vat: r.default_vat,
            products,
            accounts,
        });
    }
    Ok(out)
}
