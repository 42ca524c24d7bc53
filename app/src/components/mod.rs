//! Building blocks shared by the portals.

pub mod account;
pub mod charts;
pub mod datatable;
pub mod document_editor;
pub mod error;
pub mod forms;
pub mod language;
pub mod layout;
pub mod ui;
pub mod upload;
