//! The server half of identity and access: sessions, tokens, second factor, single sign-on,
//! API tokens, audit, and the request context that row-level security reads.

pub mod account;
pub mod api_tokens;
pub mod audit;
pub mod caller;
pub mod cookies;
pub mod crypto;
pub mod current;
pub mod db;
pub mod keys;
pub mod login;
pub mod middleware;
pub mod oidc;
pub mod password;
pub mod routes;
pub mod service;
pub mod sessions;
pub mod settings;
pub mod totp;

pub use audit::ClientInfo;
pub use caller::{Caller, Membership};
pub use db::{begin, set_scope, Scope};
pub use service::AuthService;
pub use settings::AuthSettings;
