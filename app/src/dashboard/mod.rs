//! The CEO dashboard: alerts, KPIs with their trend, charts and the treasury forecast, for the
//! companies in focus, consolidated in CHF at the stored exchange rates.
//!
//! Definitions (shown in the UI and checked by tests):
//! - the period is the last 30 days up to today (Swiss date), compared with the 30 days before;
//! - *revenue* is the net (excl. VAT) of invoices fully paid in the period, by payment date;
//! - *invoiced* is the net of invoices issued in the period, less credit notes issued in it;
//! - *conversion* is quotes won (signed or later) over quotes sent, by issue date;
//! - *receivables* are the open balances of sent invoices, aged by days past due (not yet due
//!   counts as 0–30);
//! - the *forecast* at h days is bank balances + receivables due by then − open supplier bills
//!   due by then − the average monthly burn (supplier bills paid in the last 90 days ÷ 3) × h/30.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::money::Currency;
use crate::i18n::Msg;

#[cfg(feature = "ssr")]
pub mod ssr;

/// Days in a KPI period.
pub const PERIOD_DAYS: i64 = 30;
/// The treasury forecast horizons, in days.
pub const HORIZONS: [i64; 3] = [30, 60, 90];

/// A figure now and in the previous period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trend {
    /// This period.
    pub current: i64,
    /// The period before.
    pub previous: i64,
}

impl Trend {
    /// The change in basis points of the previous value (`None` when there was nothing before).
    pub fn change_bp(self) -> Option<i64> {
        (self.previous != 0).then(|| {
            let delta = (self.current - self.previous) as i128 * 10_000;
            (delta / (self.previous as i128).abs()) as i64
        })
    }
}

/// How urgent an alert or a figure is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Level {
    /// Fine.
    Ok,
    /// Look at it soon.
    Warning,
    /// Act now.
    Critical,
}

impl Level {
    /// CSS class and stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Warning => "warning",
            Level::Critical => "critical",
        }
    }

    /// Label.
    pub const fn label(self) -> Msg {
        match self {
            Level::Ok => Msg::LevelOk,
            Level::Warning => Msg::LevelWarning,
            Level::Critical => Msg::LevelCritical,
        }
    }
}

/// What an alert is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlertKind {
    /// An invoice past its due date.
    OverdueInvoice,
    /// A sent quote about to expire.
    ExpiringQuote,
    /// A signed quote whose deposit is not paid yet.
    DepositPending,
    /// An active project without activity.
    IdleProject,
    /// A new lead nobody has contacted.
    UntouchedLead,
}

impl AlertKind {
    /// Every kind, in display order.
    pub const ALL: [AlertKind; 5] = [
        AlertKind::OverdueInvoice,
        AlertKind::ExpiringQuote,
        AlertKind::DepositPending,
        AlertKind::IdleProject,
        AlertKind::UntouchedLead,
    ];

    /// Stored name (also the SQL tag).
    pub const fn as_str(self) -> &'static str {
        match self {
            AlertKind::OverdueInvoice => "overdue",
            AlertKind::ExpiringQuote => "quote_expiring",
            AlertKind::DepositPending => "deposit_pending",
            AlertKind::IdleProject => "project_idle",
            AlertKind::UntouchedLead => "lead_untouched",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<AlertKind> {
        AlertKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Heading of the group.
    pub const fn label(self) -> Msg {
        match self {
            AlertKind::OverdueInvoice => Msg::AlertOverdue,
            AlertKind::ExpiringQuote => Msg::AlertQuoteExpiring,
            AlertKind::DepositPending => Msg::AlertDepositPending,
            AlertKind::IdleProject => Msg::AlertProjectIdle,
            AlertKind::UntouchedLead => Msg::AlertLeadUntouched,
        }
    }

    /// Where the item is shown.
    pub fn href(self, id: Uuid) -> String {
        match self {
            AlertKind::OverdueInvoice => format!("/ceo/invoices/{id}"),
            AlertKind::ExpiringQuote | AlertKind::DepositPending => format!("/ceo/quotes/{id}"),
            AlertKind::IdleProject => format!("/ceo/projects#project-{id}"),
            AlertKind::UntouchedLead => format!("/ceo/leads/{id}"),
        }
    }

    /// The list of all items of this kind.
    pub const fn list_href(self) -> &'static str {
        match self {
            AlertKind::OverdueInvoice => "/ceo/invoices?status=overdue",
            AlertKind::ExpiringQuote => "/ceo/quotes?status=sent",
            AlertKind::DepositPending => "/ceo/quotes?status=awaiting_deposit",
            AlertKind::IdleProject => "/ceo/projects",
            AlertKind::UntouchedLead => "/ceo/leads?status=new",
        }
    }
}

/// One item needing attention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// Kind.
    pub kind: AlertKind,
    /// Severity.
    pub level: Level,
    /// The item's id (the link goes to it).
    pub id: Uuid,
    /// Owner company code.
    pub company_code: String,
    /// Number or title.
    pub label: String,
    /// Client or organisation.
    pub detail: String,
    /// Days overdue, idle or untouched; for expiring quotes, days left.
    pub days: i64,
}

/// The alerts of one kind: the first few items and how many there are in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertGroup {
    /// Kind.
    pub kind: AlertKind,
    /// Items in all.
    pub total: i64,
    /// Of which critical.
    pub critical: i64,
    /// The most urgent items.
    pub items: Vec<Alert>,
}

/// Warning and critical thresholds of one company.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Overdue invoices: warning after this many days.
    pub overdue_warning_days: i32,
    /// Overdue invoices: critical after this many days.
    pub overdue_critical_days: i32,
    /// Quotes expiring within this many days.
    pub quote_expiry_days: i32,
    /// Active projects idle for this many days.
    pub project_idle_days: i32,
    /// New leads untouched for this many days.
    pub lead_untouched_days: i32,
    /// Runway below this many months: warning.
    pub runway_warning_months: i32,
    /// Runway below this many months: critical.
    pub runway_critical_months: i32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            overdue_warning_days: 7,
            overdue_critical_days: 30,
            quote_expiry_days: 7,
            project_idle_days: 7,
            lead_untouched_days: 3,
            runway_warning_months: 6,
            runway_critical_months: 3,
        }
    }
}

/// The thresholds form as typed (numbers are checked and reported by field on the server).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdsInput {
    /// Owner company.
    pub company_id: Uuid,
    /// See [`Thresholds`].
    pub overdue_warning_days: String,
    /// See [`Thresholds`].
    pub overdue_critical_days: String,
    /// See [`Thresholds`].
    pub quote_expiry_days: String,
    /// See [`Thresholds`].
    pub project_idle_days: String,
    /// See [`Thresholds`].
    pub lead_untouched_days: String,
    /// See [`Thresholds`].
    pub runway_warning_months: String,
    /// See [`Thresholds`].
    pub runway_critical_months: String,
}

/// A company's thresholds, for the settings page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyThresholds {
    /// Owner company.
    pub company_id: Uuid,
    /// Its name.
    pub company_name: String,
    /// Current values (defaults when never set).
    pub thresholds: Thresholds,
}

/// The exchange rate used for a currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateNote {
    /// Currency.
    pub currency: Currency,
    /// CHF per unit, in millionths.
    pub chf_per_unit_micros: i64,
    /// Date of the rate.
    pub rate_date: String,
}

impl RateNote {
    /// `0.9412` (four decimals).
    pub fn display(&self) -> String {
        let ten_thousandths = (self.chf_per_unit_micros + 50) / 100;
        format!(
            "{}.{:04}",
            ten_thousandths / 10_000,
            ten_thousandths % 10_000
        )
    }
}

/// Leads at one stage of the pipeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    /// Lead status.
    pub status: String,
    /// Number of leads.
    pub count: i64,
    /// Estimated value, CHF minor units.
    pub value_chf: i64,
}

/// Paid revenue of one month, per company (same order as [`Dashboard::companies`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRevenue {
    /// `YYYY-MM`.
    pub month: String,
    /// CHF minor units per company.
    pub per_company: Vec<i64>,
}

/// A company in the dashboard's legend.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyKey {
    /// Id.
    pub id: Uuid,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Brand colour.
    pub colour: String,
}

/// One bank account and its balance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankLine {
    /// Owner company code.
    pub company_code: String,
    /// Account name.
    pub name: String,
    /// IBAN.
    pub iban: String,
    /// Currency.
    pub currency: Currency,
    /// Balance in the account's currency, minor units.
    pub balance_minor: i64,
    /// Balance in CHF (`None` without an exchange rate).
    pub balance_chf: Option<i64>,
    /// Date of the balance.
    pub balance_on: String,
}

/// The expected cash position at one horizon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forecast {
    /// Days ahead.
    pub days: i64,
    /// Receivables due by then (CHF minor).
    pub receivables: i64,
    /// Open supplier bills due by then (CHF minor).
    pub payables: i64,
    /// Burn over the horizon (CHF minor).
    pub burn: i64,
    /// Expected balance (CHF minor).
    pub balance: i64,
}

/// Cash: balances, forecast and runway.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Treasury {
    /// Bank accounts.
    pub accounts: Vec<BankLine>,
    /// Sum of balances, CHF minor.
    pub balance: i64,
    /// Average monthly burn, CHF minor.
    pub monthly_burn: i64,
    /// 30/60/90-day forecast.
    pub forecast: Vec<Forecast>,
    /// Months of runway, in tenths (`None` without burn).
    pub runway_tenths: Option<i64>,
    /// How worrying the runway is.
    pub runway_level: Level,
}

/// Everything on the dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// Today (Swiss date), `YYYY-MM-DD`.
    pub as_of: String,
    /// The companies included.
    pub companies: Vec<CompanyKey>,
    /// Alerts by kind.
    pub alerts: Vec<AlertGroup>,
    /// Paid revenue, excl. VAT, CHF minor.
    pub revenue: Trend,
    /// Invoiced, excl. VAT, CHF minor.
    pub invoiced: Trend,
    /// Quotes sent.
    pub quotes_sent: Trend,
    /// Quotes won.
    pub quotes_won: Trend,
    /// Open receivables, CHF minor.
    pub receivables: i64,
    /// Receivables by days past due: 0–30, 31–60, 61–90, 90+ (CHF minor).
    pub aging: [i64; 4],
    /// Leads by stage.
    pub pipeline: Vec<Stage>,
    /// Active projects.
    pub active_projects: i64,
    /// Monthly recurring revenue (CHF minor), when subscriptions exist.
    pub mrr: Option<i64>,
    /// Annual recurring revenue (CHF minor), when subscriptions exist.
    pub arr: Option<i64>,
    /// Rates used for conversion.
    pub rates: Vec<RateNote>,
    /// Currencies with amounts but no rate (left out of CHF totals).
    pub missing_rates: Vec<Currency>,
    /// 12 months of paid revenue per company, oldest first.
    pub monthly: Vec<MonthRevenue>,
    /// Cash.
    pub treasury: Treasury,
}

impl Dashboard {
    /// Conversion rate in basis points for a period (`None` when no quote was sent).
    pub fn conversion_bp(sent: i64, won: i64) -> Option<i64> {
        (sent > 0).then(|| won * 10_000 / sent)
    }
}

/// Converts `minor` units of `currency` into CHF minor units at `micros` CHF per unit, rounding
/// half away from zero. Exact integer arithmetic: money is never a float.
pub fn to_chf(minor: i64, micros: i64) -> i64 {
    let product = minor as i128 * micros as i128;
    let half = 500_000i128 * product.signum();
    ((product + half) / 1_000_000) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversion_rounds_half_away_from_zero() {
        assert_eq!(to_chf(100, 941_234), 94);
        assert_eq!(to_chf(150, 1_000_000), 150);
        assert_eq!(to_chf(1, 500_000), 1);
        assert_eq!(to_chf(-1, 500_000), -1);
        assert_eq!(to_chf(3, 1_166_667), 4);
    }

    #[test]
    fn trend_change_is_relative_to_the_previous_period() {
        assert_eq!(
            Trend {
                current: 150,
                previous: 100
            }
            .change_bp(),
            Some(5_000)
        );
        assert_eq!(
            Trend {
                current: 50,
                previous: 100
            }
            .change_bp(),
            Some(-5_000)
        );
        assert_eq!(
            Trend {
                current: 50,
                previous: 0
            }
            .change_bp(),
            None
        );
    }

    #[test]
    fn rate_shows_four_decimals() {
        let note = RateNote {
            currency: Currency::EUR,
            chf_per_unit_micros: 941_234,
            rate_date: "2026-11-30".into(),
        };
        assert_eq!(note.display(), "0.9412");
        let near_one = RateNote {
            chf_per_unit_micros: 999_960,
            ..note
        };
        assert_eq!(near_one.display(), "1.0000");
    }
}
