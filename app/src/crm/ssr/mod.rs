//! The server half of the CRM: one file per aggregate, plus the reference check every
//! document input goes through.

pub mod contacts;
pub mod leads;
pub mod parties;
pub mod refs;
