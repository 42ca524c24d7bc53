//! The server half of administration.

pub mod companies;
pub mod invitations;
pub mod users;
