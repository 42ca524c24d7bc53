//! Building blocks shared by the portals.

pub mod error;
pub mod language;
pub mod layout;
