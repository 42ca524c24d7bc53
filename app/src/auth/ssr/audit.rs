//! The append-only audit log of security events.

use std::net::IpAddr;

use serde_json::Value;
use sqlx::types::ipnetwork::IpNetwork;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::error::AppError;

/// Where a request came from, as far as the server can tell.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientInfo {
    /// The client's address (the peer, or the forwarded address behind a trusted proxy).
    pub ip: Option<IpAddr>,
    /// The `User-Agent` header, truncated.
    pub user_agent: Option<String>,
}

impl ClientInfo {
    /// The address as a Postgres `inet`.
    pub fn inet(&self) -> Option<IpNetwork> {
        self.ip.map(IpNetwork::from)
    }
}

/// Security events, named once here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditEvent {
    /// Password (and second factor, when required) accepted; a session started.
    LoginSucceeded,
    /// Wrong email, password or second-factor code.
    LoginFailed,
    /// Too many failures: the address is locked for a while.
    Lockout,
    /// A link to lift a sign-in lock was requested.
    UnlockRequested,
    /// A sign-in lock was lifted through the emailed link.
    Unlocked,
    /// The user signed out of one session.
    Logout,
    /// The user signed out of every session.
    LogoutEverywhere,
    /// A session was revoked from the sessions list.
    SessionRevoked,
    /// An already-used refresh token came back: its whole session was revoked.
    RefreshReuse,
    /// TOTP enrolled.
    TwoFactorEnabled,
    /// TOTP removed.
    TwoFactorDisabled,
    /// A recovery code was used to sign in.
    RecoveryCodeUsed,
    /// New recovery codes replaced the old ones.
    RecoveryCodesRegenerated,
    /// The password was changed by its owner.
    PasswordChanged,
    /// A reset link was requested.
    PasswordResetRequested,
    /// The password was reset through a link.
    PasswordReset,
    /// An API token was created.
    ApiTokenCreated,
    /// An API token was revoked.
    ApiTokenRevoked,
    /// A single-sign-on identity was linked to a user.
    SsoLinked,
    /// A single-sign-on login was refused.
    SsoRefused,
    /// A client accepted the terms and signed a quote.
    QuoteSigned,
    /// A payment was recorded against an invoice.
    PaymentRecorded,
    /// A credit note was issued.
    CreditNoteIssued,
    /// A client contact was invited to the portal.
    PortalInvitation,
    /// A client's account credit paid (part of) an invoice.
    CreditApplied,
    /// A client's account credit was paid back.
    CreditRefunded,
    /// A draft invoice was deleted.
    InvoiceDeleted,
    /// Someone was invited to a portal (staff, provider, reseller, client).
    UserInvited,
    /// An invitation was accepted: the account has its password.
    InvitationAccepted,
    /// A user's role, companies or permissions changed.
    UserAccessChanged,
    /// A user was deactivated (sessions and API tokens revoked).
    UserDeactivated,
    /// A user was reactivated.
    UserReactivated,
    /// An administrator removed a user's second factor.
    TwoFactorReset,
    /// A company's settings (identity, numbering, documents, mail) changed.
    CompanySettingsChanged,
    /// A company bank account was added or changed.
    BankAccountSaved,
    /// A deposit rule was added, changed or removed.
    DepositRuleSaved,
    /// A subscription was created or changed.
    SubscriptionSaved,
    /// A bank statement was imported.
    BankStatementImported,
    /// A person allocated a bank movement to invoices.
    BankAllocated,
    /// A person rejected a proposed match.
    BankProposalRejected,
    /// A person marked a movement as not an invoice payment (or back).
    BankTransactionIgnored,
    /// A person undid an allocation.
    BankAllocationUndone,
    /// A company's Revolut Business connection was saved.
    RevolutConnected,
    /// A supplier bill's file arrived (read, a draft made).
    BillReceived,
    /// A supplier bill was validated (waits for approval).
    BillValidated,
    /// A supplier bill was approved.
    BillApproved,
    /// A supplier bill was rejected.
    BillRejected,
    /// A payment run was confirmed.
    PaymentRunConfirmed,
    /// A supplier bill was paid (its transfer accepted, or its debit booked).
    BillPaid,
    /// A supplier bill's transfer was refused or reverted: it is to pay again.
    BillPaymentFailed,
}

impl AuditEvent {
    /// The stored event name.
    pub const fn as_str(self) -> &'static str {
        match self {
            AuditEvent::LoginSucceeded => "auth.login_succeeded",
            AuditEvent::LoginFailed => "auth.login_failed",
            AuditEvent::Lockout => "auth.lockout",
            AuditEvent::UnlockRequested => "auth.unlock_requested",
            AuditEvent::Unlocked => "auth.unlocked",
            AuditEvent::Logout => "auth.logout",
            AuditEvent::LogoutEverywhere => "auth.logout_everywhere",
            AuditEvent::SessionRevoked => "auth.session_revoked",
            AuditEvent::RefreshReuse => "auth.refresh_reuse",
            AuditEvent::TwoFactorEnabled => "auth.2fa_enabled",
            AuditEvent::TwoFactorDisabled => "auth.2fa_disabled",
            AuditEvent::RecoveryCodeUsed => "auth.recovery_code_used",
            AuditEvent::RecoveryCodesRegenerated => "auth.recovery_codes_regenerated",
            AuditEvent::PasswordChanged => "auth.password_changed",
            AuditEvent::PasswordResetRequested => "auth.password_reset_requested",
            AuditEvent::PasswordReset => "auth.password_reset",
            AuditEvent::ApiTokenCreated => "auth.api_token_created",
            AuditEvent::ApiTokenRevoked => "auth.api_token_revoked",
            AuditEvent::SsoLinked => "auth.sso_linked",
            AuditEvent::SsoRefused => "auth.sso_refused",
            AuditEvent::QuoteSigned => "sales.quote_signed",
            AuditEvent::PaymentRecorded => "finance.payment_recorded",
            AuditEvent::CreditNoteIssued => "finance.credit_note_issued",
            AuditEvent::PortalInvitation => "crm.portal_invitation",
            AuditEvent::CreditApplied => "finance.credit_applied",
            AuditEvent::CreditRefunded => "finance.credit_refunded",
            AuditEvent::InvoiceDeleted => "finance.invoice_deleted",
            AuditEvent::UserInvited => "admin.user_invited",
            AuditEvent::InvitationAccepted => "admin.invitation_accepted",
            AuditEvent::UserAccessChanged => "admin.user_access_changed",
            AuditEvent::UserDeactivated => "admin.user_deactivated",
            AuditEvent::UserReactivated => "admin.user_reactivated",
            AuditEvent::TwoFactorReset => "admin.2fa_reset",
            AuditEvent::CompanySettingsChanged => "admin.company_settings_changed",
            AuditEvent::BankAccountSaved => "admin.bank_account_saved",
            AuditEvent::DepositRuleSaved => "admin.deposit_rule_saved",
            AuditEvent::SubscriptionSaved => "finance.subscription_saved",
            AuditEvent::BankStatementImported => "bank.statement_imported",
            AuditEvent::BankAllocated => "bank.allocated",
            AuditEvent::BankProposalRejected => "bank.proposal_rejected",
            AuditEvent::BankTransactionIgnored => "bank.ignored",
            AuditEvent::BankAllocationUndone => "bank.allocation_undone",
            AuditEvent::RevolutConnected => "bank.revolut_connected",
            AuditEvent::BillReceived => "payables.bill_received",
            AuditEvent::BillValidated => "payables.bill_validated",
            AuditEvent::BillApproved => "payables.bill_approved",
            AuditEvent::BillRejected => "payables.bill_rejected",
            AuditEvent::PaymentRunConfirmed => "payables.payment_run_confirmed",
            AuditEvent::BillPaid => "payables.bill_paid",
            AuditEvent::BillPaymentFailed => "payables.bill_payment_failed",
        }
    }
}

/// Appends an event, inside the caller's transaction so it commits with the change it records.
pub async fn record(
    conn: &mut PgConnection,
    client: &ClientInfo,
    event: AuditEvent,
    user_id: Option<Uuid>,
    details: Value,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"INSERT INTO audit_log (event, user_id, ip, user_agent, details)
           VALUES ($1, $2, $3, $4, $5)"#,
        event.as_str(),
        user_id,
        client.inet(),
        client.user_agent.as_deref(),
        details,
    )
    .execute(conn)
    .await?;
    Ok(())
}
