//! The CEO portal's lists: one page of rows for a filtered, sorted view.

use leptos::prelude::*;

use crate::error::AppError;
use crate::lists::{ListKind, ListPage, ListQuery};

/// One page of `kind`, filtered and sorted as `query` says (keyset: `after`/`before` cursors).
#[server(endpoint = "lists/rows", input = server_fn::codec::Json)]
pub async fn list_rows(kind: ListKind, query: ListQuery) -> Result<ListPage, AppError> {
    ssr::list_rows(kind, query).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::ssr::current::{self, caller};

    #[tracing::instrument(skip_all, fields(list = kind.slug()))]
    pub async fn list_rows(kind: ListKind, query: ListQuery) -> Result<ListPage, AppError> {
        let caller = caller()?;
        crate::lists::ssr::page(&current::state().pool, &caller, kind, &query).await
    }
}
