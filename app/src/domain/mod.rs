//! Business rules with no I/O: money, Swiss VAT, IBANs, payment references and the QR-bill
//! payload. Money formatting is shared with the browser; the rest only runs on the server.

pub mod money;
#[cfg(feature = "ssr")]
pub mod qrbill;
#[cfg(feature = "ssr")]
pub mod reference;
pub mod vat;
