//! Transactions that carry the caller's identity into Postgres, where row-level security reads it.

use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use crate::error::AppError;

/// Who a transaction acts for, as the RLS policies see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    /// `app.user_id`.
    pub user_id: Option<Uuid>,
    /// `app.role`: a [`crate::auth::Role`] name, or `system` for the identity machinery.
    pub role: &'static str,
    /// `app.company_ids`: the owner companies rows may belong to.
    pub company_ids: Vec<Uuid>,
    /// `app.party_ids`: the parties a portal user acts for.
    pub party_ids: Vec<Uuid>,
}

impl Scope {
    /// Automation acting for one company (e.g. raising the deposit invoice when a client signs):
    /// company-wide rights, in that company only.
    pub fn automation(company_id: Uuid) -> Scope {
        Scope {
            user_id: None,
            role: "staff",
            company_ids: vec![company_id],
            party_ids: Vec::new(),
        }
    }

    /// The identity machinery (sign-in, token refresh, key loading) and cross-company jobs
    /// (demo loading). Request handlers use the caller's scope instead.
    pub fn system() -> Scope {
        Scope {
            user_id: None,
            role: "system",
            company_ids: Vec::new(),
            party_ids: Vec::new(),
        }
    }
}

/// Postgres array literal: `{a,b}`.
fn array_literal(ids: &[Uuid]) -> String {
    let mut out = String::with_capacity(2 + ids.len() * 37);
    out.push('{');
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&id.hyphenated().to_string());
    }
    out.push('}');
    out
}

/// Begins a transaction whose statements run with `scope` (transaction-local settings, so
/// nothing leaks to the next user of the pooled connection).
pub async fn begin(
    pool: &PgPool,
    scope: &Scope,
) -> Result<Transaction<'static, Postgres>, AppError> {
    let mut tx = pool.begin().await?;
    set_scope(&mut tx, scope).await?;
    Ok(tx)
}

/// Switches the scope inside an open transaction (e.g. a client's signature, then the automation
/// that follows it, committed together).
pub async fn set_scope(conn: &mut sqlx::PgConnection, scope: &Scope) -> Result<(), AppError> {
    let user_id = scope.user_id.map(|id| id.to_string()).unwrap_or_default();
    sqlx::query!(
        r#"SELECT set_config('app.user_id', $1, true) AS "u!",
                  set_config('app.role', $2, true) AS "r!",
                  set_config('app.company_ids', $3, true) AS "c!",
                  set_config('app.party_ids', $4, true) AS "p!""#,
        user_id,
        scope.role,
        array_literal(&scope.company_ids),
        array_literal(&scope.party_ids),
    )
    .fetch_one(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_literals() {
        assert_eq!(array_literal(&[]), "{}");
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        assert_eq!(
            array_literal(&[a, b]),
            "{00000000-0000-0000-0000-000000000001,00000000-0000-0000-0000-000000000002}"
        );
    }
}
