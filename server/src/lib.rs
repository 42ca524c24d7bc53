//! The Unified Platform server: configuration, telemetry, start-up, middleware and probes.
//! `main.rs` only parses the command line and calls into here.

pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod health;
pub mod layers;
pub mod mailer;
pub mod security;
pub mod startup;
pub mod telemetry;
pub mod workers;
