//! Approving a validated bill: below the company's first threshold, staff holding the approval
//! permission may; above it — or whenever the deviation check found something — the CEO must;
//! above the second threshold the CEO confirms with a fresh second-factor code.

use sqlx::PgPool;
use uuid::Uuid;

use super::notify::{notify, BillMail};
use crate::auth::ssr::audit::{self, AuditEvent, ClientInfo};
use crate::auth::ssr::AuthService;
use crate::auth::ssr::{begin, Caller};
use crate::auth::{Permission, Role};
use crate::domain::status::BillStatus;
use crate::error::{AppError, FieldProblem};

/// Approves bill `id`; `code` is the approver's current second-factor code when the amount needs
/// one. Refused (field `approval`) when the caller's role may not approve this bill.
pub async fn approve(
    pool: &PgPool,
    auth: &AuthService,
    caller: &Caller,
    id: Uuid,
    code: &str,
    client: &ClientInfo,
    public_url: &str,
) -> Result<(), AppError> {
    let scope = caller.scope(Permission::SupplierInvoicesApprove)?;
    let mut tx = begin(pool, &scope).await?;
    let b = sqlx::query!(
        r#"SELECT b.company_id, b.party_id, b.status AS "status: BillStatus", b.total_minor, cardinality(b.deviations) AS "deviations!",
                  c.bill_ceo_above_minor, c.bill_second_factor_above_minor
           FROM supplier_bills b JOIN companies c ON c.id = b.company_id WHERE b.id = $1 FOR UPDATE OF b"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    caller.require(Permission::SupplierInvoicesApprove, b.company_id)?;
    if b.status != BillStatus::ToApprove {
        return Err(AppError::Conflict);
    }
    let total = b.total_minor.unwrap_or(0);
    // Whatever order the thresholds are set in, an amount needing a code needs the CEO.
    let needs_ceo = total > b.bill_ceo_above_minor
        || total > b.bill_second_factor_above_minor
        || b.deviations > 0;
    let needs_code = total > b.bill_second_factor_above_minor;
    let second_factor = match caller.role {
        Role::Ceo if needs_code => {
            crate::auth::ssr::account::confirm_second_factor(pool, auth, caller, code).await?;
            true
        }
        Role::Ceo => false,
        Role::Staff if !needs_ceo => false,
        _ => return Err(AppError::field("approval", FieldProblem::NeedsCeo)),
    };
    sqlx::query!(
        r#"INSERT INTO bill_approvals (company_id, bill_id, user_id, role, second_factor, approver_name)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (company_id, bill_id, user_id) DO UPDATE SET second_factor = EXCLUDED.second_factor, at = now()"#,
        b.company_id,
        id,
        caller.user_id,
        if caller.role == Role::Ceo { "ceo" } else { "staff" },
        second_factor,
        caller.display_name.chars().take(200).collect::<String>()
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE supplier_bills SET status = 'approved', updated_at = now() WHERE company_id = $1 AND id = $2",
        b.company_id,
        id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        client,
        AuditEvent::BillApproved,
        Some(caller.user_id),
        serde_json::json!({ "company": b.company_id, "bill": id, "amount": total, "second_factor": second_factor }),
    )
    .await?;
    if let Some(party) = b.party_id {
        notify(
            &mut tx,
            b.company_id,
            party,
            BillMail::Approved,
            id,
            public_url,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
