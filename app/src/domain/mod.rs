//! Business rules with no I/O: money, Swiss VAT, IBANs, payment references and the QR-bill
//! payload. Money formatting is shared with the browser; the rest only runs on the server.

#[cfg(feature = "ssr")]
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod camt;
#[cfg(feature = "ssr")]
pub mod extract;
pub mod format;
#[cfg(feature = "ssr")]
pub mod matching;
pub mod money;
pub mod numbering;
#[cfg(feature = "ssr")]
pub mod pain001;
#[cfg(feature = "ssr")]
pub mod qrbill;
#[cfg(feature = "ssr")]
pub mod qrpayload;
#[cfg(feature = "ssr")]
pub mod reference;
pub mod status;
pub mod text;
pub mod vat;

#[cfg(all(test, feature = "ssr"))]
mod properties;
