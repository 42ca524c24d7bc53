//! The command line: `server` (serve), `server migrate`, `server demo`, `server rotate-keys`.

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
    /// Start signing tokens with a new key now (older keys keep verifying until their tokens
    /// expire, so nobody is signed out).
    RotateKeys,
}

/// Runs the chosen command to completion.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
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
