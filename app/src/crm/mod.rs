//! CRM: the client, supplier, provider, partner and reseller companies (parties) of each owner
//! company, their contact people, leads and their activities.

pub mod lists;
#[cfg(feature = "ssr")]
pub mod ssr;
