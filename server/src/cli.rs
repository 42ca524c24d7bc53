//! The command line: `server` (serve), `server migrate`, `server demo`, `server bank …`,
//! `server bills read`, `server rotate-keys`.

use std::time::Duration;

use anyhow::Context;
use app::auth::ssr::crypto::SecretBox;
use app::auth::ssr::AuthService;
use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;

use crate::config::{Environment, Settings};
use crate::mailer::Mailer;
use crate::startup::{shutdown_signal, Application};
use crate::{db, demo, telemetry, workers};

/// Unified Platform server.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the platform (the default).
    Serve {
        /// Load the demo dataset before serving (idempotent) and print the demo logins.
        #[arg(long)]
        demo: bool,
    },
    /// Apply the database migrations and exit.
    Migrate,
    /// Load the demo dataset (the owner companies, logins, and generated documents at the
    /// chosen scale) and exit. A scale already loaded is not loaded again.
    Demo {
        /// How much to generate: `small` (the run command's) or `large` (100k invoices).
        #[arg(long, value_enum, default_value = "small")]
        scale: demo::generate::Scale,
    },
    /// Bank statements.
    Bank {
        #[command(subcommand)]
        command: BankCommand,
    },
    /// Supplier bills.
    Bills {
        #[command(subcommand)]
        command: BillsCommand,
    },
    /// Start signing tokens with a new key now (older keys keep verifying until their tokens
    /// expire, so nobody is signed out).
    RotateKeys,
}

#[derive(Debug, Subcommand)]
enum BankCommand {
    /// Imports a camt.053/054 statement (or a zip of them) into a company's ledger, reconciles
    /// what is new, and prints every entry and what was done with it.
    Import {
        /// The file.
        file: std::path::PathBuf,
        /// The company's code (e.g. HYPERVISUAL).
        #[arg(long)]
        company: String,
        /// Read and compare only: write nothing.
        #[arg(long)]
        dry_run: bool,
        /// One JSON object per entry, then the summary.
        #[arg(long)]
        json: bool,
    },
    /// Writes a generated camt.053 statement paying the company's open invoices (demo, benchmark).
    Sample {
        /// The company's code.
        #[arg(long)]
        company: String,
        /// How many entries.
        #[arg(long, default_value_t = 100)]
        entries: usize,
        /// The account's currency.
        #[arg(long, default_value = "CHF")]
        currency: String,
        /// Seed of the generator (different seeds give different bank ids).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write it.
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum BillsCommand {
    /// Reads a bill (PDF, PNG or JPEG) the way an upload is read — QR-bill, text layer, OCR,
    /// then the vision model when configured — and prints each field found with its source and
    /// confidence. Writes nothing; needs no database.
    Read {
        /// The file.
        file: std::path::PathBuf,
        /// The whole reading as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs the chosen command to completion.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Some(Command::Bills {
        command: BillsCommand::Read { file, json },
    }) = &cli.command
    {
        return bills_read(file, *json).await;
    }
    let settings = Settings::load()?;
    telemetry::init(settings.log_format, &settings.log_filter);
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => serve(&settings, demo).await,
        Command::Migrate => migrate(&settings).await,
        Command::Demo { scale } => {
            if settings.environment == Environment::Production {
                anyhow::bail!(
                    "demo data is never loaded in production (APP_ENVIRONMENT=production)"
                );
            }
            migrate(&settings).await?;
            let pool = db::app_pool(&settings.database)?;
            load_demo(&settings, &pool, scale).await
        }
        Command::Bank {
            command:
                BankCommand::Import {
                    file,
                    company,
                    dry_run,
                    json,
                },
        } => bank_import(&settings, &file, &company, dry_run, json).await,
        Command::Bank {
            command:
                BankCommand::Sample {
                    company,
                    entries,
                    currency,
                    seed,
                    out,
                },
        } => {
            let pool = db::app_pool(&settings.database)?;
            let company_id = company_by_code(&pool, &company).await?;
            let (_, xml) = demo::camt::sample(&pool, company_id, &currency, entries, seed).await?;
            std::fs::write(&out, xml).with_context(|| format!("writing {}", out.display()))?;
            Ok(())
        }
        // Answered above, before the settings (it needs none); kept for the match to be whole.
        Command::Bills {
            command: BillsCommand::Read { file, json },
        } => bills_read(&file, json).await,
        Command::RotateKeys => {
            let pool = db::app_pool(&settings.database)?;
            let auth =
                AuthService::new(settings.auth.clone(), &settings.server.public_url, &pool).await?;
            let kid = auth.keys.rotate(&pool).await?;
            println!(
                "now signing with key {kid}; live keys: {}",
                auth.keys.kids().join(", ")
            );
            Ok(())
        }
    }
}

async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let owner = db::owner_pool(&settings.database)?;
    db::migrate(&owner).await.context("running migrations")?;
    owner.close().await;
    tracing::info!("migrations applied");
    Ok(())
}

async fn serve(settings: &Settings, with_demo: bool) -> anyhow::Result<()> {
    let secrets = SecretBox::from_base64(settings.auth.master_key.expose_secret())
        .context("APP_AUTH__MASTER_KEY must be 32 bytes, base64")?;
    let mailer = Mailer::new(&settings.mail, secrets)?;
    if mailer.is_none() {
        tracing::info!("no SMTP server configured (APP_MAIL__SMTP_URL): emails stay in the outbox");
    }
    let app = Application::build(settings).await?;
    refuse_unsafe_start(settings.environment, with_demo, app.pool()).await?;
    if with_demo {
        load_demo(settings, app.pool(), demo::generate::Scale::Small).await?;
    }
    let address = app.local_addr()?;
    tracing::info!(%address, "listening");
    let mut workers = workers::spawn(
        app.pool().clone(),
        app.auth(),
        mailer,
        Duration::from_secs(settings.mail.poll_secs.max(1)),
    );
    println!("\n  Unified Platform is running at http://{address}\n");
    if with_demo {
        println!("{}", demo::banner());
    }
    app.run_until(shutdown_signal()).await?;
    workers.abort_all();
    tracing::info!("stopped");
    Ok(())
}

/// What production never does: load demo data, or serve while a demo account still signs in
/// with the published demo password.
pub async fn refuse_unsafe_start(
    environment: Environment,
    with_demo: bool,
    pool: &sqlx::PgPool,
) -> anyhow::Result<()> {
    if environment != Environment::Production {
        return Ok(());
    }
    if with_demo {
        anyhow::bail!("--demo is refused in production (APP_ENVIRONMENT=production)");
    }
    let demo = demo::demo_credentials_present(pool).await?;
    if !demo.is_empty() {
        anyhow::bail!(
            "refusing to start in production: demo accounts still sign in with the demo password ({}); deactivate them or change their passwords",
            demo.join(", ")
        );
    }
    Ok(())
}

async fn load_demo(
    settings: &Settings,
    pool: &sqlx::PgPool,
    scale: demo::generate::Scale,
) -> anyhow::Result<()> {
    let secrets = SecretBox::from_base64(settings.auth.master_key.expose_secret())
        .context("APP_AUTH__MASTER_KEY must be 32 bytes, base64")?;
    let report = demo::load_small(pool, &secrets)
        .await
        .context("loading demo data")?;
    tracing::info!(
        companies_added = report.companies_added,
        users_added = report.users_added,
        "demo data ready"
    );
    let started = std::time::Instant::now();
    // The bulk load needs the schema owner (trigger switch, statistics); see `generate`.
    let owner = db::owner_pool(&settings.database)?;
    let generated =
        demo::generate::generate(&owner, scale.name(), scale.sizes(), demo::generate::SEED)
            .await
            .with_context(|| format!("generating the {} demo dataset", scale.name()));
    owner.close().await;
    let generated = generated?;
    if generated.already_loaded {
        tracing::info!(
            scale = scale.name(),
            "demo documents already loaded; nothing to do"
        );
    } else {
        if scale == demo::generate::Scale::Small {
            demo::camt::load_demo_statements(pool, &settings.server.public_url).await?;
        }
        tracing::info!(
            scale = scale.name(),
            invoices = generated.invoices,
            invoice_lines = generated.invoice_lines,
            parties = generated.parties,
            contacts = generated.contacts,
            leads = generated.leads,
            seconds = started.elapsed().as_secs_f32(),
            "demo documents generated"
        );
    }
    Ok(())
}

/// `server bank import FILE --company CODE [--dry-run] [--json]`: reads the file (a camt.053 or
/// camt.054, or a zip of them), prints every entry and what was done with it, and a summary.
async fn bank_import(
    settings: &Settings,
    file: &std::path::Path,
    company: &str,
    dry_run: bool,
    json: bool,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let pool = db::app_pool(&settings.database)?;
    let company_id = company_by_code(&pool, company).await?;
    let scope = app::auth::ssr::Scope::automation(company_id);
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let report = app::banking::ssr::import::import(
        &pool,
        &scope,
        company_id,
        &name,
        &bytes,
        dry_run,
        None,
        &app::auth::ssr::ClientInfo::default(),
        &settings.server.public_url,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{}", e.message(app::i18n::Locale::En)))?;
    let s = &report.summary;
    if json {
        for entry in &report.entries {
            println!("{}", serde_json::to_string(entry)?);
        }
        println!("{}", serde_json::json!({ "summary": s }));
    } else {
        for e in &report.entries {
            println!(
                "{} {:>6} {:>14} {} {:<12} {:<28} {:<30} {:?}",
                e.booking_date,
                e.direction,
                e.amount,
                e.currency,
                e.reference_type,
                e.reference,
                e.counterparty_name.as_deref().unwrap_or("-"),
                e.outcome
            );
        }
        println!(
            "{} entries read ({}): {} new, {} already known, {} matched, {} to review{}",
            s.entries,
            s.messages.join(", "),
            s.new_entries,
            s.known,
            s.matched,
            s.to_review,
            if s.dry_run {
                " — trial run, nothing written"
            } else {
                ""
            }
        );
    }
    Ok(())
}

/// The id of the company with `code` (any case).
async fn company_by_code(pool: &sqlx::PgPool, code: &str) -> anyhow::Result<uuid::Uuid> {
    let mut tx = app::auth::ssr::begin(pool, &app::auth::ssr::Scope::system()).await?;
    let id = sqlx::query_scalar!(
        "SELECT id FROM companies WHERE upper(code) = upper($1)",
        code
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    id.with_context(|| format!("no company with the code {code}"))
}

/// `server bills read`: the reading pipeline on one file, nothing written.
async fn bills_read(file: &std::path::Path, json: bool) -> anyhow::Result<()> {
    use app::payables::ssr::reading::{self, Vision};
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    // The vision model is the only setting the pipeline uses (no database, no master key).
    let vision = Settings::figment()
        .extract_inner::<Option<crate::config::VisionSettings>>("vision")
        .ok()
        .flatten()
        .map(|v| Vision {
            url: v.url,
            key: v.key,
            model: v.model,
        });
    let started = std::time::Instant::now();
    let read = reading::read(&bytes, vision.as_ref()).await?;
    let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    if json {
        let mut value = serde_json::to_value(&read)?;
        value["elapsed_ms"] = ms.into();
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(());
    }
    println!(
        "{}: {} ({} page(s), text layer: {}), read in {ms} ms",
        file.display(),
        read.kind,
        read.pages,
        if read.text_layer { "yes" } else { "no" }
    );
    for f in &read.fields {
        let source = serde_json::to_value(f.source)?;
        println!(
            "  {:<16} {:<40} {:<7} {:>3} %",
            f.name,
            f.value,
            source.as_str().unwrap_or_default(),
            f.confidence
        );
    }
    for note in &read.notes {
        println!("  note: {note}");
    }
    Ok(())
}
