//! The server binary: everything lives in the library; see `server::cli`.

use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    server::cli::run(server::cli::Cli::parse()).await
}
