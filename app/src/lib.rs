//! Unified Platform's user interface and server functions.
//!
//! The same components render on the server (feature `ssr`) and hydrate in the browser (feature
//! `hydrate`). Routes mirror the four portals; server-only code sits behind `ssr` in each module.

pub mod admin;
pub mod api;
pub mod auth;
pub mod banking;
pub mod billing;
pub mod components;
pub mod crm;
pub mod dashboard;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod lists;
pub mod payables;
pub mod portal;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod storage;

pub use routes::{shell, App};
