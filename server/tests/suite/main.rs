//! The server's integration tests, in one binary (one link of the application, not one per
//! file): the real application on a random port, a real Postgres per test (`#[sqlx::test]`).

mod common;

mod admin;
mod auth;
mod banking;
mod banking_revolut;
mod billing;
mod dashboard;
mod documents;
mod foundations;
mod hardening;
mod health;
mod isolation;
mod isolation_matrix;
mod mail;
mod pages;
mod payables;
mod payables_approval;
mod payables_reading;
mod payables_runs;
mod shutdown;
mod sso;
