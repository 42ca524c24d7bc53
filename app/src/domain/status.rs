//! Every status, kind and source the platform stores, as enums shared by Rust, the browser and
//! Postgres. Columns stay `text` with a `CHECK` listing the same names; decoding a name that is
//! not listed here is an error (never a silent default), so the two can never drift apart
//! unnoticed.

use crate::i18n::Msg;

/// Implements `sqlx` encoding and decoding through `as_str` / `parse` for a type stored as text.
/// An unknown stored name is a decode error.
macro_rules! text_column {
    ($name:ty) => {
        $crate::domain::status::text_column!($name, as_str);
    };
    ($name:ty, $to_text:ident) => {
        #[cfg(feature = "ssr")]
        impl sqlx::Type<sqlx::Postgres> for $name {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::Type<sqlx::Postgres>>::type_info()
            }
            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $name {
            fn decode(
                value: sqlx::postgres::PgValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
                <$name>::parse(text.trim_end()).ok_or_else(|| {
                    format!("unknown {} {text:?} in the database", stringify!($name)).into()
                })
            }
        }

        #[cfg(feature = "ssr")]
        impl sqlx::Encode<'_, sqlx::Postgres> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Postgres>>::encode_by_ref(&self.$to_text(), buf)
            }
        }

        #[cfg(feature = "ssr")]
        impl sqlx::postgres::PgHasArrayType for $name {
            fn array_type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::postgres::PgHasArrayType>::array_type_info()
            }
        }
    };
}
pub(crate) use text_column;

/// Declares a stored enum: its variants with their stored names and labels, `ALL`, `as_str`,
/// `parse`, `label`, and its `sqlx` mapping (see [`text_column`]).
macro_rules! stored_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal => $msg:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $(#[doc = $text] $variant),* }

        impl $name {
            /// Every value, in the order menus show them.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// The stored name.
            pub const fn as_str(self) -> &'static str { match self { $($name::$variant => $text),* } }
            /// Parses a stored name.
            pub fn parse(text: &str) -> Option<$name> { match text { $($text => Some($name::$variant),)* _ => None } }
            /// The label shown to people.
            pub const fn label(self) -> $crate::i18n::Msg { match self { $($name::$variant => $crate::i18n::Msg::$msg),* } }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::domain::status::text_column!($name);
    };
}

text_column!(crate::domain::money::Currency, code);
text_column!(crate::domain::vat::VatCode);
text_column!(crate::auth::Role);
text_column!(crate::i18n::Locale, code);

stored_enum! {
    /// Where a quote stands.
    QuoteStatus {
        Draft = "draft" => StatusDraft,
        Sent = "sent" => StatusSent,
        Viewed = "viewed" => StatusViewed,
        Signed = "signed" => StatusSigned,
        AwaitingDeposit = "awaiting_deposit" => StatusAwaitingDeposit,
        Completed = "completed" => StatusCompleted,
        Rejected = "rejected" => StatusRejected,
        Expired = "expired" => StatusExpired,
    }
}

stored_enum! {
    /// Where an invoice stands. Being overdue is not a status: it is an open invoice whose due
    /// date has passed (see [`InvoiceStatus::overdue_on`]), so it never hides `partial`.
    InvoiceStatus {
        Draft = "draft" => StatusDraft,
        Sent = "sent" => StatusSent,
        Viewed = "viewed" => StatusViewed,
        Partial = "partial" => StatusPartial,
        Paid = "paid" => StatusPaid,
        Cancelled = "cancelled" => StatusCancelled,
        Disputed = "disputed" => StatusDisputed,
    }
}

stored_enum! {
    /// What an invoice is for.
    InvoiceKind {
        Deposit = "deposit" => KindDeposit,
        Milestone = "milestone" => KindMilestone,
        Recurring = "recurring" => KindRecurring,
        Support = "support" => KindSupport,
        Standard = "standard" => KindStandard,
        Final = "final" => KindFinal,
    }
}

stored_enum! {
    /// What a CRM party is to the owner company.
    PartyKind {
        Client = "client" => KindClient,
        Supplier = "supplier" => KindSupplier,
        Provider = "provider" => KindProvider,
        Partner = "partner" => KindPartner,
        Reseller = "reseller" => KindReseller,
    }
}

stored_enum! {
    /// Pipeline stage of a lead.
    LeadStatus {
        New = "new" => LeadNew,
        Contacted = "contacted" => LeadContacted,
        Qualified = "qualified" => LeadQualified,
        Proposal = "proposal" => LeadProposal,
        Negotiation = "negotiation" => LeadNegotiation,
        Won = "won" => LeadWon,
        Lost = "lost" => LeadLost,
    }
}

stored_enum! {
    /// Where a lead came from.
    LeadSource {
        Manual = "manual" => SourceManual,
        Form = "form" => SourceForm,
        Api = "api" => SourceApi,
        Referral = "referral" => SourceReferral,
        Reseller = "reseller" => KindReseller,
        Event = "event" => SourceEvent,
    }
}

stored_enum! {
    /// What was done with a lead.
    ActivityKind {
        Call = "call" => ActivityCall,
        Email = "email" => ActivityEmail,
        Meeting = "meeting" => ActivityMeeting,
        Note = "note" => ActivityNote,
    }
}

stored_enum! {
    /// How a payment was made.
    PaymentMethod {
        BankTransfer = "bank_transfer" => MethodBankTransfer,
        Cash = "cash" => MethodCash,
        Card = "card" => MethodCard,
        Credit = "credit" => MethodCredit,
        Other = "other" => MethodOther,
    }
}

stored_enum! {
    /// Where a project stands.
    ProjectStatus {
        Planning = "planning" => ProjectPlanning,
        DepositPending = "deposit_pending" => ProjectDepositPending,
        Active = "active" => ProjectActive,
        Completed = "completed" => ProjectCompleted,
        Cancelled = "cancelled" => ProjectCancelled,
    }
}

stored_enum! {
    /// Where a subscription stands.
    SubscriptionStatus {
        Active = "active" => SubscriptionActive,
        Paused = "paused" => SubscriptionPaused,
        Cancelled = "cancelled" => SubscriptionCancelled,
    }
}

stored_enum! {
    /// How often a subscription bills.
    BillingInterval {
        Month = "month" => IntervalMonth,
        Quarter = "quarter" => IntervalQuarter,
        Year = "year" => IntervalYear,
    }
}

stored_enum! {
    /// The kind of payment reference an invoice carries.
    ReferenceType {
        Qrr = "QRR" => ReferenceQrr,
        Scor = "SCOR" => ReferenceScor,
        Non = "NON" => ReferenceNone,
    }
}

stored_enum! {
    /// What moved a client's account credit.
    CreditKind {
        Overpayment = "overpayment" => CreditOverpayment,
        Applied = "applied" => CreditApplied,
        Refund = "refund" => CreditRefund,
        Reversed = "reversed" => CreditReversed,
    }
}

stored_enum! {
    /// How a document's VAT is rounded (a company setting, printed on every document).
    VatRounding {
        PerLine = "per_line" => VatRoundingPerLine,
        PerRate = "per_rate" => VatRoundingPerRate,
    }
}

impl BillingInterval {
    /// Months per period.
    pub const fn months(self) -> u32 {
        match self {
            BillingInterval::Month => 1,
            BillingInterval::Quarter => 3,
            BillingInterval::Year => 12,
        }
    }
}

impl QuoteStatus {
    /// Whether the client can still sign it.
    pub const fn signable(self) -> bool {
        matches!(self, QuoteStatus::Sent | QuoteStatus::Viewed)
    }
    /// Whether its content can still be edited.
    pub const fn editable(self) -> bool {
        matches!(self, QuoteStatus::Draft)
    }
}

impl InvoiceStatus {
    /// Whether it still expects money.
    pub const fn open(self) -> bool {
        matches!(
            self,
            InvoiceStatus::Sent | InvoiceStatus::Viewed | InvoiceStatus::Partial
        )
    }

    /// Whether an invoice in this status and due on `due` (ISO date) is overdue on `today`.
    /// ISO dates compare as text, so this works in the browser too.
    pub fn overdue_on(self, due: &str, today: &str) -> bool {
        self.open() && due < today
    }
}

/// Labels of values that have no enum of their own (document languages).
pub fn language_label(code: &str) -> Msg {
    match code {
        "de" => Msg::LanguageDe,
        "en" => Msg::LanguageEn,
        _ => Msg::LanguageFr,
    }
}

/// A stored enum's name and label, for select menus.
pub trait Choice: Copy + 'static {
    /// The stored name.
    fn name(self) -> &'static str;
    /// The label.
    fn msg(self) -> Msg;
    /// Every value.
    fn all() -> &'static [Self];
}

impl Choice for crate::i18n::Locale {
    fn name(self) -> &'static str {
        self.code()
    }
    fn msg(self) -> Msg {
        language_label(self.code())
    }
    fn all() -> &'static [Self] {
        &crate::i18n::Locale::ALL
    }
}

macro_rules! choices {
    ($($name:ident),*) => {$(
        impl Choice for $name {
            fn name(self) -> &'static str { self.as_str() }
            fn msg(self) -> Msg { self.label() }
            fn all() -> &'static [Self] { $name::ALL }
        }
    )*};
}
choices!(
    QuoteStatus,
    InvoiceStatus,
    InvoiceKind,
    PartyKind,
    LeadStatus,
    LeadSource,
    ActivityKind,
    PaymentMethod,
    ProjectStatus,
    SubscriptionStatus,
    BillingInterval,
    VatRounding,
    ReferenceType,
    CreditKind
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for s in InvoiceStatus::ALL {
            assert_eq!(InvoiceStatus::parse(s.as_str()), Some(*s));
        }
        for s in LeadStatus::ALL {
            assert_eq!(LeadStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(InvoiceStatus::parse("overdue"), None);
        assert_eq!(InvoiceStatus::parse("Paid"), None);
        assert_eq!(PartyKind::parse(""), None);
    }

    #[test]
    fn overdue_is_open_and_past_due_whatever_the_status() {
        let today = "2026-12-02";
        assert!(InvoiceStatus::Partial.overdue_on("2026-12-01", today));
        assert!(InvoiceStatus::Sent.overdue_on("2026-11-02", today));
        assert!(!InvoiceStatus::Sent.overdue_on("2026-12-02", today));
        assert!(!InvoiceStatus::Paid.overdue_on("2020-01-01", today));
        assert!(!InvoiceStatus::Draft.overdue_on("2020-01-01", today));
    }
}

stored_enum! {
    /// Where a bank account's movements come from.
    BankProvider {
        Camt = "camt" => BankProviderCamt,
        Revolut = "revolut" => BankProviderRevolut,
    }
}

stored_enum! {
    /// The bank's state of a movement (camt entries are completed, or pending when notified
    /// before booking; Revolut's states as it reports them).
    BankTxState {
        Pending = "pending" => BankStatePending,
        Completed = "completed" => BankStateCompleted,
        Reverted = "reverted" => BankStateReverted,
        Declined = "declined" => BankStateDeclined,
        Failed = "failed" => BankStateFailed,
    }
}

stored_enum! {
    /// What reconciliation made of a movement.
    MatchStatus {
        Unmatched = "unmatched" => MatchUnmatched,
        Proposed = "proposed" => MatchProposed,
        Matched = "matched" => MatchMatched,
        Ignored = "ignored" => MatchIgnored,
    }
}

stored_enum! {
    /// Why a movement is not the payment of an invoice.
    IgnoreReason {
        Fee = "fee" => IgnoreFee,
        OwnTransfer = "own_transfer" => IgnoreOwnTransfer,
        Salary = "salary" => IgnoreSalary,
        Refund = "refund" => IgnoreRefund,
        Other = "other" => IgnoreOther,
    }
}

stored_enum! {
    /// How an allocation was decided.
    AllocationMethod {
        Reference = "reference" => AllocationReference,
        Score = "score" => AllocationScore,
        Manual = "manual" => AllocationManual,
    }
}

stored_enum! {
    /// What made reconciliation think a movement pays an invoice (shown to the reviewer).
    MatchReason {
        Reference = "reference" => ReasonReference,
        ExactAmount = "exact_amount" => ReasonExactAmount,
        AmountLessFees = "amount_less_fees" => ReasonAmountLessFees,
        KnownAccount = "known_account" => ReasonKnownAccount,
        SimilarName = "similar_name" => ReasonSimilarName,
        NumberInText = "number_in_text" => ReasonNumberInText,
        DateFits = "date_fits" => ReasonDateFits,
        OtherCurrency = "other_currency" => ReasonOtherCurrency,
    }
}

stored_enum! {
    /// Where a supplier bill stands: read from its file (`draft`), validated and waiting for
    /// approval, approved, in a payment run, paid; or rejected / cancelled.
    BillStatus {
        Draft = "draft" => BillDraft,
        ToApprove = "to_approve" => BillToApprove,
        Approved = "approved" => BillApproved,
        Scheduled = "scheduled" => BillScheduled,
        Paid = "paid" => BillPaid,
        Rejected = "rejected" => BillRejected,
        Cancelled = "cancelled" => BillCancelled,
    }
}

stored_enum! {
    /// Where a payment run stands.
    RunStatus {
        Draft = "draft" => RunDraft,
        Confirmed = "confirmed" => RunConfirmed,
        Done = "done" => RunDone,
        Failed = "failed" => RunFailed,
    }
}

stored_enum! {
    /// Where one bill's transfer of a payment run stands.
    RunItemState {
        Pending = "pending" => TransferPending,
        Sent = "sent" => TransferSent,
        Failed = "failed" => TransferFailed,
    }
}

stored_enum! {
    /// How a payment run pays from an account.
    PayMethod {
        Revolut = "revolut" => PayRevolut,
        Pain001 = "pain001" => PayPain001,
    }
}

stored_enum! {
    /// What the deviation check found on a bill (each needs the CEO's approval).
    Deviation {
        IbanChanged = "iban_changed" => DeviationIban,
        AmountDiffers = "amount_differs" => DeviationAmount,
        CurrencyDiffers = "currency_differs" => DeviationCurrency,
    }
}

stored_enum! {
    /// How a CRM party was found to be a bill's supplier.
    SupplierMatch {
        Iban = "iban" => SupplierByIban,
        VatNumber = "vat_number" => SupplierByVat,
        Name = "name" => SupplierByName,
    }
}
