//! The server half of supplier bills: reading files, the bill's life to approval, payment runs,
//! and the plain routes (upload, the stored file, the pain.001 file).

pub mod approval;
pub mod bank_file;
pub mod bills;
pub mod matching;
pub mod notify;
pub mod payment_run;
pub mod reading;
pub mod routes;
pub mod transfers;
pub mod vision;

pub use routes::routes;
