//! The server binary: everything lives in the library; see `server::cli`.

use clap::Parser;

/// See the workspace manifest for why this allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    server::cli::run(server::cli::Cli::parse()).await
}
