//! Swiss VAT: rates with validity periods (the rate follows the date of service), per-line VAT,
//! totals per rate, and optional rounding of CHF totals to 5 centimes.

use serde::{Deserialize, Serialize};

use super::money::{div_round, round_to_5_centimes};
pub use super::status::VatRounding;

#[cfg(feature = "ssr")]
pub use periods::{likely_code, rate_on, swiss_periods, VatPeriod};

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

/// The largest amount one line (or one document) may come to, in minor units: CHF 100 billion.
/// Anything larger is a typing error, and stays far from the limits of 64-bit sums.
pub const MAX_AMOUNT_MINOR: i64 = 10_000_000_000_000;

/// Net = quantity × unit price × (1 − discount), rounded to the centime; VAT = net × rate,
/// rounded to the centime (half away from zero) — computed per line. `None` when the line
/// comes to more than [`MAX_AMOUNT_MINOR`] (either sign).
pub fn line_amounts(
    quantity_milli: i64,
    unit_price_minor: i64,
    discount_bp: i32,
    rate_bp: i32,
) -> Option<LineAmounts> {
    let gross = (quantity_milli as i128)
        .checked_mul(unit_price_minor as i128)?
        .checked_mul(10_000 - discount_bp as i128)?;
    let net = div_round(gross, 1_000 * 10_000);
    if net.abs() > MAX_AMOUNT_MINOR as i128 {
        return None;
    }
    let vat = div_round(net * rate_bp as i128, 10_000);
    Some(LineAmounts {
        net_minor: net as i64,
        vat_minor: vat as i64,
    })
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

/// Sums lines `(code, rate, amounts)` into totals per rate. The VAT of a rate is the sum of
/// its lines' VAT ([`VatRounding::PerLine`]) or the rate applied once to the rate's net total,
/// rounded once ([`VatRounding::PerRate`]). With `round_5`, the total is rounded to 5 centimes
/// and the difference shown as a rounding line.
pub fn totals(lines: &[(VatCode, i32, LineAmounts)], policy: VatRounding, round_5: bool) -> Totals {
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
    if policy == VatRounding::PerRate {
        for r in &mut per_rate {
            r.vat_minor = div_round(r.net_minor as i128 * r.rate_bp as i128, 10_000) as i64;
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

/// The deposit of a quote, one line per VAT rate: each rate's net × the deposit percentage,
/// its VAT at that rate. The quote announces, and the deposit invoice asks for, exactly these
/// lines' totals (same rounding policy, same cash rounding).
pub fn deposit_lines(per_rate: &[RateTotal], deposit_bp: i32) -> Vec<RateTotal> {
    per_rate
        .iter()
        .filter(|r| r.net_minor != 0)
        .map(|r| {
            let net = div_round(r.net_minor as i128 * deposit_bp as i128, 10_000) as i64;
            RateTotal {
                code: r.code,
                rate_bp: r.rate_bp,
                net_minor: net,
                vat_minor: div_round(net as i128 * r.rate_bp as i128, 10_000) as i64,
            }
        })
        .collect()
}

/// The totals of the deposit lines (what the quote prints and the deposit invoice asks).
pub fn deposit_totals(
    per_rate: &[RateTotal],
    deposit_bp: i32,
    policy: VatRounding,
    round_5: bool,
) -> Totals {
    let lines: Vec<(VatCode, i32, LineAmounts)> = deposit_lines(per_rate, deposit_bp)
        .into_iter()
        .map(|r| {
            (
                r.code,
                r.rate_bp,
                LineAmounts {
                    net_minor: r.net_minor,
                    vat_minor: r.vat_minor,
                },
            )
        })
        .collect();
    totals(&lines, policy, round_5)
}

/// What a credit note takes back, per VAT rate, from what is still creditable per rate
/// (`remaining`: the invoice's per-rate net and VAT less earlier credit notes).
///
/// `amount` (VAT included) up to the remaining gross: crediting all that remains takes each
/// rate's remainder exactly (so a fully credited invoice has all its VAT credited, to the
/// centime); a part is spread over the rates in proportion to their gross, largest remainders
/// first, and split into net and VAT at each rate. `None` when `amount` exceeds what remains.
pub fn credit_per_rate(remaining: &[RateTotal], amount: i64) -> Option<Vec<RateTotal>> {
    let gross: Vec<i64> = remaining
        .iter()
        .map(|r| r.net_minor + r.vat_minor)
        .collect();
    let total: i64 = gross.iter().sum();
    if amount <= 0 || amount > total {
        return None;
    }
    if amount == total {
        return Some(
            remaining
                .iter()
                .filter(|r| r.net_minor + r.vat_minor != 0)
                .cloned()
                .collect(),
        );
    }
    // Largest remainder: floor shares, then one centime more to the largest fractions.
    let mut shares: Vec<(usize, i64, i128)> = gross
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let exact = amount as i128 * *g as i128;
            (i, (exact / total as i128) as i64, exact % total as i128)
        })
        .collect();
    let mut left = amount - shares.iter().map(|s| s.1).sum::<i64>();
    shares.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    for share in shares.iter_mut() {
        if left == 0 {
            break;
        }
        share.1 += 1;
        left -= 1;
    }
    shares.sort_by_key(|s| s.0);
    Some(
        shares
            .into_iter()
            .filter(|s| s.1 != 0)
            .map(|(i, share, _)| {
                let r = &remaining[i];
                let vat = div_round(
                    share as i128 * r.rate_bp as i128,
                    10_000 + r.rate_bp as i128,
                ) as i64;
                RateTotal {
                    code: r.code,
                    rate_bp: r.rate_bp,
                    net_minor: share - vat,
                    vat_minor: vat,
                }
            })
            .collect(),
    )
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

    /// The rate a bill's VAT was most likely charged at: the one whose VAT on the net
    /// (`total − vat`) is closest to `vat_minor`, among the taxed Swiss rates on `date`
    /// (a supplier's bill states its total and VAT; the rate is often not read).
    pub fn likely_code(total_minor: i64, vat_minor: i64, date: Date) -> VatCode {
        let periods = swiss_periods();
        let net = i128::from(total_minor - vat_minor);
        [VatCode::Standard, VatCode::Reduced, VatCode::Accommodation]
            .into_iter()
            .filter_map(|code| {
                let rate = rate_on(&periods, code, date)?;
                let expected = net * i128::from(rate) / 10_000;
                Some((code, (expected - i128::from(vat_minor)).abs()))
            })
            .min_by_key(|(_, gap)| *gap)
            .map_or(VatCode::Standard, |(code, _)| code)
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
    fn a_bills_vat_is_placed_at_the_rate_it_fits() {
        let day = date!(2026 - 11 - 20);
        // 1,840.00 with 137.90 VAT: 1,702.10 × 8.1 % = 137.87.
        assert_eq!(likely_code(184_000, 13_790, day), VatCode::Standard);
        // 3.8 % of 1,000.00 = 38.00.
        assert_eq!(likely_code(103_800, 3_800, day), VatCode::Accommodation);
        assert_eq!(likely_code(102_600, 2_600, day), VatCode::Reduced);
        // Before 2024 the standard rate was 7.7 %.
        assert_eq!(
            likely_code(107_700, 7_700, date!(2023 - 06 - 01)),
            VatCode::Standard
        );
    }

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
                Some(LineAmounts {
                    net_minor: net,
                    vat_minor: vat
                }),
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
            (
                VatCode::Standard,
                dec,
                line_amounts(1_000, 100_000, 0, dec).unwrap(),
            ),
            (
                VatCode::Standard,
                jan,
                line_amounts(1_000, 100_000, 0, jan).unwrap(),
            ),
            (
                VatCode::Standard,
                jan,
                line_amounts(2_000, 1_995, 0, jan).unwrap(),
            ),
            (
                VatCode::Reduced,
                260,
                line_amounts(1_000, 4_990, 0, 260).unwrap(),
            ),
        ];
        let t = totals(&lines, VatRounding::PerLine, false);
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

        let rounded = totals(&lines, VatRounding::PerLine, true);
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
                VatRounding::PerLine,
                true,
            );
            assert_eq!(
                (t.total_minor, t.rounding_minor),
                (expected, expected - exact),
                "{exact}"
            );
        }
    }

    fn rate(code: VatCode, rate_bp: i32, net: i64, vat: i64) -> RateTotal {
        RateTotal {
            code,
            rate_bp,
            net_minor: net,
            vat_minor: vat,
        }
    }

    #[test]
    fn overflowing_lines_are_refused_not_wrapped() {
        assert_eq!(line_amounts(i64::MAX, i64::MAX, 0, 810), None);
        assert_eq!(line_amounts(1_000_000_000, 100_000_000_000, 0, 810), None);
        assert_eq!(line_amounts(-1_000_000_000, 100_000_000_000, 0, 810), None);
        let biggest = line_amounts(1_000, MAX_AMOUNT_MINOR, 0, 810).unwrap();
        assert_eq!(biggest.net_minor, MAX_AMOUNT_MINOR);
    }

    #[test]
    fn per_rate_rounding_rounds_once_per_rate() {
        // Three lines of 6.17 at 8.1%: per line 0.50 each = 1.50; per rate 18.51 × 8.1% = 1.499 → 1.50;
        // seven lines of 0.33: per line 0.03 each = 0.21; per rate 2.31 × 8.1% = 0.187 → 0.19.
        let line = |p| {
            (
                VatCode::Standard,
                810,
                line_amounts(1_000, p, 0, 810).unwrap(),
            )
        };
        let seven: Vec<_> = (0..7).map(|_| line(33)).collect();
        assert_eq!(totals(&seven, VatRounding::PerLine, false).vat_minor, 21);
        assert_eq!(totals(&seven, VatRounding::PerRate, false).vat_minor, 19);
        let three: Vec<_> = (0..3).map(|_| line(617)).collect();
        assert_eq!(totals(&three, VatRounding::PerLine, false).vat_minor, 150);
        assert_eq!(totals(&three, VatRounding::PerRate, false).vat_minor, 150);
    }

    #[test]
    fn the_deposit_is_one_line_per_rate_and_totals_like_an_invoice() {
        let quote = [
            rate(VatCode::Reduced, 260, 123_457, 3_210),
            rate(VatCode::Standard, 810, 283_333, 22_950),
        ];
        let lines = deposit_lines(&quote, 3_000);
        assert_eq!(
            lines,
            vec![
                rate(VatCode::Reduced, 260, 37_037, 963),
                rate(VatCode::Standard, 810, 85_000, 6_885),
            ]
        );
        let t = deposit_totals(&quote, 3_000, VatRounding::PerLine, true);
        assert_eq!((t.net_minor, t.vat_minor), (122_037, 7_848));
        assert_eq!((t.total_minor, t.rounding_minor), (129_885, 0));
        assert!(deposit_lines(&quote, 0).iter().all(|l| l.net_minor == 0));
    }

    #[test]
    fn crediting_everything_takes_each_rate_exactly() {
        let invoice = [
            rate(VatCode::Reduced, 260, 4_990, 130),
            rate(VatCode::Standard, 770, 100_000, 7_700),
            rate(VatCode::Standard, 810, 103_990, 8_423),
        ];
        let all = credit_per_rate(&invoice, 225_233).unwrap();
        assert_eq!(all, invoice.to_vec());
        assert_eq!(credit_per_rate(&invoice, 225_234), None);
        assert_eq!(credit_per_rate(&invoice, 0), None);

        // A part is spread by gross and sums to the amount, to the centime.
        let part = credit_per_rate(&invoice, 10_000).unwrap();
        let sum: i64 = part.iter().map(|r| r.net_minor + r.vat_minor).sum();
        assert_eq!(sum, 10_000);
        for r in &part {
            let vat = div_round(r.net_minor as i128 * r.rate_bp as i128, 10_000) as i64;
            assert!((vat - r.vat_minor).abs() <= 1, "{r:?}");
        }
        // Two parts that together take everything credit all the VAT.
        let first = credit_per_rate(&invoice, 100_000).unwrap();
        let remaining: Vec<RateTotal> = invoice
            .iter()
            .map(|r| {
                let c = first
                    .iter()
                    .find(|c| c.rate_bp == r.rate_bp && c.code == r.code);
                rate(
                    r.code,
                    r.rate_bp,
                    r.net_minor - c.map_or(0, |c| c.net_minor),
                    r.vat_minor - c.map_or(0, |c| c.vat_minor),
                )
            })
            .collect();
        let second = credit_per_rate(&remaining, 125_233).unwrap();
        let vat: i64 = first.iter().chain(&second).map(|r| r.vat_minor).sum();
        assert_eq!(vat, 16_253);
    }
}
