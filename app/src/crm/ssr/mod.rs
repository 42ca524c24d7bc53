//! The server half of the CRM.

pub mod refs;
