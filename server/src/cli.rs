//! The command line: `server` (serve), `server migrate`, `server demo`.

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::startup::{shutdown_signal, Application};
use crate::{db, demo, telemetry};

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
    /// Load the demo dataset and exit.
    Demo,
}

/// Runs the chosen command to completion.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load()?;
    telemetry::init(settings.log_format, &settings.log_filter);
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => serve(&settings, demo).await,
        Command::Migrate => {
            let pool = db::pool(&settings.database)?;
            db::migrate(&pool).await.context("running migrations")?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Demo => {
            let pool = db::pool(&settings.database)?;
            db::migrate(&pool).await.context("running migrations")?;
            load_demo(&pool).await
        }
    }
}

async fn serve(settings: &Settings, with_demo: bool) -> anyhow::Result<()> {
    let app = Application::build(settings).await?;
    if with_demo {
        load_demo(app.pool()).await?;
    }
    let address = app.local_addr()?;
    tracing::info!(%address, "listening");
    println!("\n  Unified Platform is running at http://{address}\n");
    app.run_until(shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn load_demo(pool: &sqlx::PgPool) -> anyhow::Result<()> {
    let report = demo::load_small(pool).await.context("loading demo data")?;
    tracing::info!(companies_added = report.companies_added, "demo data ready");
    Ok(())
}
