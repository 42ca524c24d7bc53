//! Swiss VAT: rates with validity periods (the rate follows the date of service), per-line VAT,
//! totals per rate, and optional rounding of CHF totals to 5 centimes.

use serde::{Deserialize, Serialize};

use super::money::{div_round, round_to_5_centimes};

#[cfg(feature = "ssr")]
pub use periods::{rate_on, swiss_periods, VatPeriod};

/// A VAT category; its rate depends on the service date.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum VatCode {
    /// Standard rate (8.1% from 2024).
    #[default]
    Standard,
    /// Reduced rate (2.6% from 2024): food, books, medicines.
    Reduced,
    /// Accommodation (3.8% from 2024).
    Accommodation,
    /// Exempt or not subject (0%).
    Exempt,
}

impl VatCode {
    /// Every code.
    pub const ALL: [VatCode; 4] = [
        VatCode::Standard,
        VatCode::Reduced,
        VatCode::Accommodation,
        VatCode::Exempt,
    ];

    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            VatCode::Standard => "standard",
            VatCode::Reduced => "reduced",
            VatCode::Accommodation => "accommodation",
            VatCode::Exempt => "exempt",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<VatCode> {
        VatCode::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// What one line costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineAmounts {
    /// Net amount (after discount), minor units.
    pub net_minor: i64,
    /// VAT on it, minor units.
    pub vat_minor: i64,
}

/// Net = quantity × unit price × (1 − discount), rounded to the centime; VAT = net × rate,
/// rounded to the centime (half away from zero) — computed per line.
pub fn line_amounts(
    quantity_milli: i64,
    unit_price_minor: i64,
    discount_bp: i32,
    rate_bp: i32,
) -> LineAmounts {
    let gross = quantity_milli as i128 * unit_price_minor as i128 * (10_000 - discount_bp as i128);
    let net = div_round(gross, 1_000 * 10_000);
    let vat = div_round(net * rate_bp as i128, 10_000);
    LineAmounts {
        net_minor: net as i64,
        vat_minor: vat as i64,
    }
}

/// Net and VAT of all lines taxed at one rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateTotal {
    /// Category.
    pub code: VatCode,
    /// Rate in basis points.
    pub rate_bp: i32,
    /// Sum of net amounts.
    pub net_minor: i64,
    /// Sum of VAT amounts.
    pub vat_minor: i64,
}

/// Document totals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Per (code, rate), ordered by code then rate.
    pub per_rate: Vec<RateTotal>,
    /// Sum of nets.
    pub net_minor: i64,
    /// Sum of VAT.
    pub vat_minor: i64,
    /// Cash rounding applied to reach a multiple of 5 centimes (may be negative).
    pub rounding_minor: i64,
    /// Amount due: net + VAT + rounding.
    pub total_minor: i64,
}

/// Sums lines `(code, rate, amounts)` into totals per rate; with `round_5`, the total is rounded
/// to 5 centimes and the difference shown as a rounding line.
pub fn totals(lines: &[(VatCode, i32, LineAmounts)], round_5: bool) -> Totals {
    let mut per_rate: Vec<RateTotal> = Vec::new();
    for (code, rate_bp, amounts) in lines {
        match per_rate
            .iter_mut()
            .find(|r| r.code == *code && r.rate_bp == *rate_bp)
        {
            Some(r) => {
                r.net_minor += amounts.net_minor;
                r.vat_minor += amounts.vat_minor;
            }
            None => per_rate.push(RateTotal {
                code: *code,
                rate_bp: *rate_bp,
                net_minor: amounts.net_minor,
                vat_minor: amounts.vat_minor,
            }),
        }
    }
    per_rate.sort_by_key(|r| (r.code, r.rate_bp));
    let net_minor = per_rate.iter().map(|r| r.net_minor).sum::<i64>();
    let vat_minor = per_rate.iter().map(|r| r.vat_minor).sum::<i64>();
    let exact = net_minor + vat_minor;
    let total_minor = if round_5 {
        round_to_5_centimes(exact)
    } else {
        exact
    };
    Totals {
        per_rate,
        net_minor,
        vat_minor,
        rounding_minor: total_minor - exact,
        total_minor,
    }
}

/// Rates over time (needs dates: server only).
#[cfg(feature = "ssr")]
mod periods {
    use time::Date;

    use super::VatCode;

    /// A rate valid from a date (inclusive) until the next period starts.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct VatPeriod {
        /// Category.
        pub code: VatCode,
        /// First day of validity.
        pub valid_from: Date,
        /// Last day of validity; `None` while current.
        pub valid_to: Option<Date>,
        /// Rate in basis points (810 = 8.1%).
        pub rate_bp: i32,
    }

    /// The rate of `code` for a service on `date`, if a period covers it.
    pub fn rate_on(periods: &[VatPeriod], code: VatCode, date: Date) -> Option<i32> {
        periods
            .iter()
            .find(|p| {
                p.code == code && p.valid_from <= date && p.valid_to.is_none_or(|to| date <= to)
            })
            .map(|p| p.rate_bp)
    }

    /// The Swiss rates: 2018–2023 and from 2024-01-01 (what the `vat_rates` table is seeded with).
    pub fn swiss_periods() -> Vec<VatPeriod> {
        use time::macros::date;
        let mut periods = Vec::new();
        for (code, old, new) in [
            (VatCode::Standard, 770, 810),
            (VatCode::Reduced, 250, 260),
            (VatCode::Accommodation, 370, 380),
            (VatCode::Exempt, 0, 0),
        ] {
            periods.push(VatPeriod {
                code,
                valid_from: date!(2018 - 01 - 01),
                valid_to: Some(date!(2023 - 12 - 31)),
                rate_bp: old,
            });
            periods.push(VatPeriod {
                code,
                valid_from: date!(2024 - 01 - 01),
                valid_to: None,
                rate_bp: new,
            });
        }
        periods
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_rate_follows_the_service_date() {
        let p = swiss_periods();
        assert_eq!(
            rate_on(&p, VatCode::Standard, date!(2023 - 12 - 31)),
            Some(770)
        );
        assert_eq!(
            rate_on(&p, VatCode::Standard, date!(2024 - 01 - 01)),
            Some(810)
        );
        assert_eq!(
            rate_on(&p, VatCode::Reduced, date!(2023 - 06 - 30)),
            Some(250)
        );
        assert_eq!(
            rate_on(&p, VatCode::Reduced, date!(2026 - 11 - 25)),
            Some(260)
        );
        assert_eq!(
            rate_on(&p, VatCode::Accommodation, date!(2023 - 01 - 01)),
            Some(370)
        );
        assert_eq!(
            rate_on(&p, VatCode::Accommodation, date!(2024 - 02 - 29)),
            Some(380)
        );
        assert_eq!(rate_on(&p, VatCode::Exempt, date!(2025 - 01 - 01)), Some(0));
        assert_eq!(
            rate_on(&p, VatCode::Standard, date!(2017 - 12 - 31)),
            None,
            "before any period"
        );
    }

    /// (quantity milli, unit price, discount bp, rate bp) → (net, vat)
    const LINES: &[(i64, i64, i32, i32, i64, i64)] = &[
        (1_000, 10_000, 0, 810, 10_000, 810),
        // 0.5 centime of VAT rounds up (half away from zero): 6.17 × 8.1% = 0.49977 → 0.50
        (1_000, 617, 0, 810, 617, 50),
        // 1.85 × 2.6% = 0.0481 → 0.05; 1.85 × 7.7% = 0.14245 → 0.14
        (1_000, 185, 0, 260, 185, 5),
        (1_000, 185, 0, 770, 185, 14),
        // 2.5 h × 120.00 − 10% = 270.00; VAT 8.1% = 21.87
        (2_500, 12_000, 1_000, 810, 27_000, 2_187),
        // 3 × 33.33 with 15% off = 84.9915 → 84.99; VAT 3.8% = 3.22962 → 3.23
        (3_000, 3_333, 1_500, 380, 8_499, 323),
        // 0.333 × 1.00 = 0.333 → 0.33
        (333, 100, 0, 810, 33, 3),
        // A credit line (negative quantity) rounds symmetrically.
        (-1_000, 617, 0, 810, -617, -50),
        (1_000, 99_999_999, 0, 0, 99_999_999, 0),
    ];

    #[test]
    fn line_amounts_table() {
        for &(q, p, d, r, net, vat) in LINES {
            assert_eq!(
                line_amounts(q, p, d, r),
                LineAmounts {
                    net_minor: net,
                    vat_minor: vat
                },
                "{q} × {p} −{d} @{r}"
            );
        }
    }

    #[test]
    fn totals_per_rate_across_the_2024_change() {
        let p = swiss_periods();
        // The same service, billed on one invoice: December 2023 at 7.7%, January 2024 at 8.1%.
        let dec = rate_on(&p, VatCode::Standard, date!(2023 - 12 - 15)).unwrap();
        let jan = rate_on(&p, VatCode::Standard, date!(2024 - 01 - 15)).unwrap();
        let lines = vec![
            (VatCode::Standard, dec, line_amounts(1_000, 100_000, 0, dec)),
            (VatCode::Standard, jan, line_amounts(1_000, 100_000, 0, jan)),
            (VatCode::Standard, jan, line_amounts(2_000, 1_995, 0, jan)),
            (VatCode::Reduced, 260, line_amounts(1_000, 4_990, 0, 260)),
        ];
        let t = totals(&lines, false);
        assert_eq!(
            t.per_rate,
            vec![
                RateTotal {
                    code: VatCode::Standard,
                    rate_bp: 770,
                    net_minor: 100_000,
                    vat_minor: 7_700
                },
                RateTotal {
                    code: VatCode::Standard,
                    rate_bp: 810,
                    net_minor: 103_990,
                    vat_minor: 8_423
                },
                RateTotal {
                    code: VatCode::Reduced,
                    rate_bp: 260,
                    net_minor: 4_990,
                    vat_minor: 130
                },
            ]
        );
        assert_eq!(t.net_minor, 208_980);
        assert_eq!(t.vat_minor, 16_253);
        assert_eq!(t.total_minor, 225_233);
        assert_eq!(t.rounding_minor, 0);

        let rounded = totals(&lines, true);
        assert_eq!(rounded.total_minor, 225_235);
        assert_eq!(rounded.rounding_minor, 2);
    }

    #[test]
    fn cash_rounding_edges() {
        for (exact, expected) in [
            (1_001, 1_000),
            (1_002, 1_000),
            (1_003, 1_005),
            (1_007, 1_005),
            (1_008, 1_010),
        ] {
            let t = totals(
                &[(
                    VatCode::Exempt,
                    0,
                    LineAmounts {
                        net_minor: exact,
                        vat_minor: 0,
                    },
                )],
                true,
            );
            assert_eq!(
                (t.total_minor, t.rounding_minor),
                (expected, expected - exact),
                "{exact}"
            );
        }
    }
}
