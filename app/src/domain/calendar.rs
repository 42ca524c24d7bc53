//! The one business calendar: dates are Swiss dates (Europe/Zurich), in Rust exactly as in
//! Postgres' `app_today()`.
//!
//! Switzerland keeps Central European Time (UTC+1) and, since 1996, the EU's summer time rule:
//! UTC+2 from the last Sunday of March at 01:00 UTC to the last Sunday of October at 01:00 UTC.
//! The rule is a few lines, exact for every date this platform handles, and needs no time-zone
//! database in the binary; `server/tests` checks it hour by hour against Postgres' tz database.

use time::format_description::well_known::Iso8601;
use time::macros::format_description;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::error::{AppError, FieldProblem};

/// The last Sunday of `month` in `year`.
fn last_sunday(year: i32, month: Month) -> Date {
    let last = Date::from_calendar_date(year, month, month.length(year)).unwrap_or(Date::MIN);
    let back = last.weekday().number_days_from_sunday();
    last - time::Duration::days(back.into())
}

/// When summer time starts and ends in `year`, as UTC instants.
fn summer_time(year: i32) -> (OffsetDateTime, OffsetDateTime) {
    let at_one_utc =
        |d: Date| PrimitiveDateTime::new(d, Time::from_hms(1, 0, 0).unwrap_or(Time::MIDNIGHT));
    (
        at_one_utc(last_sunday(year, Month::March)).assume_utc(),
        at_one_utc(last_sunday(year, Month::October)).assume_utc(),
    )
}

/// The offset from UTC in Zurich at `instant`.
pub fn zurich_offset(instant: OffsetDateTime) -> UtcOffset {
    let utc = instant.to_offset(UtcOffset::UTC);
    let (start, end) = summer_time(utc.year());
    let hours = if utc >= start && utc < end { 2 } else { 1 };
    UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// `instant` as Zurich local time.
pub fn in_zurich(instant: OffsetDateTime) -> OffsetDateTime {
    instant.to_offset(zurich_offset(instant))
}

/// The Swiss date of `instant`.
pub fn date_at(instant: OffsetDateTime) -> Date {
    in_zurich(instant).date()
}

/// Today in Switzerland: documents are dated, payments booked and reminders due by it.
pub fn today() -> Date {
    date_at(OffsetDateTime::now_utc())
}

/// Parses a `YYYY-MM-DD` form field (`field` names it in the error).
pub fn parse_date(field: &str, text: &str) -> Result<Date, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::field(field, FieldProblem::Required));
    }
    Date::parse(text, format_description!("[year]-[month]-[day]"))
        .map_err(|_| AppError::field(field, FieldProblem::Invalid))
}

/// `YYYY-MM-DD`: how dates cross the wire and sit in date inputs.
pub fn iso_date(date: Date) -> String {
    date.format(&Iso8601::DATE).unwrap_or_default()
}

/// The same day `months` months later, clamped to the end of shorter months (31 January + 1
/// month = 28/29 February). Billing periods step by it.
pub fn add_months(date: Date, months: u32) -> Date {
    let index = date.year() * 12 + (date.month() as i32 - 1) + months as i32;
    let (year, month0) = (index.div_euclid(12), index.rem_euclid(12));
    let month = Month::try_from(month0 as u8 + 1).unwrap_or(Month::January);
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn summer_time_follows_the_last_sundays_of_march_and_october() {
        assert_eq!(last_sunday(2026, Month::March), date!(2026 - 03 - 29));
        assert_eq!(last_sunday(2026, Month::October), date!(2026 - 10 - 25));
        assert_eq!(last_sunday(2027, Month::March), date!(2027 - 03 - 28));
        // 31 March 2024 is itself a Sunday.
        assert_eq!(last_sunday(2024, Month::March), date!(2024 - 03 - 31));
    }

    #[test]
    fn the_date_changes_at_local_midnight_not_utc_midnight() {
        // Summer: 22:30 UTC is already tomorrow in Zurich (00:30 CEST).
        assert_eq!(
            date_at(datetime!(2026-07-14 22:30 UTC)),
            date!(2026 - 07 - 15)
        );
        assert_eq!(
            date_at(datetime!(2026-07-14 21:59 UTC)),
            date!(2026 - 07 - 14)
        );
        // Winter: one hour only.
        assert_eq!(
            date_at(datetime!(2026-01-14 22:30 UTC)),
            date!(2026 - 01 - 14)
        );
        assert_eq!(
            date_at(datetime!(2026-01-14 23:00 UTC)),
            date!(2026 - 01 - 15)
        );
        // New Year's Eve rolls the year over at 23:00 UTC.
        assert_eq!(
            date_at(datetime!(2026-12-31 23:00 UTC)),
            date!(2027 - 01 - 01)
        );
    }

    #[test]
    fn offsets_switch_at_one_in_the_morning_utc() {
        let at = |i| zurich_offset(i).whole_hours();
        assert_eq!(at(datetime!(2026-03-29 00:59 UTC)), 1);
        assert_eq!(at(datetime!(2026-03-29 01:00 UTC)), 2);
        assert_eq!(at(datetime!(2026-10-25 00:59 UTC)), 2);
        assert_eq!(at(datetime!(2026-10-25 01:00 UTC)), 1);
    }

    #[test]
    fn months_are_added_with_the_day_clamped() {
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2028 - 01 - 31), 1), date!(2028 - 02 - 29));
        assert_eq!(add_months(date!(2026 - 11 - 15), 3), date!(2027 - 02 - 15));
        assert_eq!(add_months(date!(2026 - 12 - 01), 12), date!(2027 - 12 - 01));
        assert_eq!(add_months(date!(2026 - 05 - 31), 0), date!(2026 - 05 - 31));
    }
}
