//! Server functions, grouped by concern. Each public function is the typed client/server
//! boundary; its server-side body lives in the module's `ssr` submodule and starts by checking
//! the caller's permission.

pub mod account;
pub mod admin;
pub mod auth;
pub mod banking;
pub mod catalog;
pub mod crm;
pub mod dashboard;
pub mod invoices;
pub mod lists;
pub mod locale;
pub mod payables;
pub mod projects;
pub mod quotes;
pub mod subscriptions;
