//! The server half of banking: the ledger (accounts, imports, Revolut), reconciliation, and the
//! decisions people make on it.

pub mod accounts;
pub mod allocate;
pub mod debits;
pub mod import;
pub mod reconcile;
pub mod revolut;
pub mod upload;
pub mod webhook;

/// The plain routes of banking: the statement upload and Revolut's webhook.
pub fn routes() -> crate::state::PlainRoutes {
    let mut routes = upload::routes();
    routes.extend(webhook::routes());
    routes
}
