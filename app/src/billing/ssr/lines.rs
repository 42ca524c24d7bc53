//! Turning typed lines into priced lines: parse, validate field by field, rate by service date.

use sqlx::PgConnection;
use time::Date;
use uuid::Uuid;

use crate::billing::{Amounts, LineInput, LineView};
use crate::domain::calendar::parse_date;
use crate::domain::money::{parse_minor, parse_percent_bp, parse_quantity};
use crate::domain::vat::{
    line_amounts, totals, LineAmounts, VatCode, VatPeriod, VatRounding, MAX_AMOUNT_MINOR,
};
use crate::error::{AppError, FieldError, FieldProblem};

/// A line ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricedLine {
    /// Catalogue product.
    pub product_id: Option<Uuid>,
    /// Description.
    pub description: String,
    /// Quantity, thousandths.
    pub quantity_milli: i64,
    /// Unit label.
    pub unit: String,
    /// Unit price, minor units.
    pub unit_price_minor: i64,
    /// Discount, basis points.
    pub discount_bp: i32,
    /// VAT category.
    pub vat_code: VatCode,
    /// Rate for the service date.
    pub vat_rate_bp: i32,
    /// Date of service.
    pub service_date: Date,
    /// Net and VAT.
    pub amounts: LineAmounts,
}

/// The VAT periods as stored (the table is the source of truth for rates).
pub async fn vat_periods(conn: &mut PgConnection) -> Result<Vec<VatPeriod>, AppError> {
    let rows = sqlx::query!("SELECT code, valid_from, valid_to, rate_bp FROM vat_rates")
        .fetch_all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(VatPeriod {
                code: VatCode::parse(&r.code)?,
                valid_from: r.valid_from,
                valid_to: r.valid_to,
                rate_bp: r.rate_bp,
            })
        })
        .collect())
}

/// Largest quantity on a line: one million units (in thousandths).
pub const MAX_QUANTITY_MILLI: i64 = 1_000_000_000;

/// Parses and prices every line; all problems are reported at once, as `lines.{i}.{field}`.
/// Quantities, prices and what a line comes to are bounded: a typing error is refused, never
/// stored as a wrapped-around figure.
pub fn price(
    inputs: &[LineInput],
    periods: &[VatPeriod],
    allow_negative: bool,
) -> Result<Vec<PricedLine>, AppError> {
    if inputs.is_empty() {
        return Err(AppError::field("lines", FieldProblem::Required));
    }
    if inputs.len() > 500 {
        return Err(AppError::field("lines", FieldProblem::TooLong { max: 500 }));
    }
    let mut errors = Vec::new();
    let mut priced = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let mut problem = |field: &str, p: FieldProblem| {
            errors.push(FieldError {
                field: format!("lines.{i}.{field}"),
                problem: p,
            })
        };
        let description = input.description.trim().to_owned();
        if description.is_empty() {
            problem("description", FieldProblem::Required);
        } else if description.chars().count() > 1000 {
            problem("description", FieldProblem::TooLong { max: 1000 });
        }
        let quantity = match parse_quantity(&input.quantity) {
            Ok(q) if q.abs() > MAX_QUANTITY_MILLI => {
                problem("quantity", FieldProblem::TooLarge);
                None
            }
            Ok(q) if q != 0 && (allow_negative || q > 0) => Some(q),
            Err(crate::domain::money::ParseError::Overflow) => {
                problem("quantity", FieldProblem::TooLarge);
                None
            }
            _ => {
                problem("quantity", required_or_invalid(&input.quantity));
                None
            }
        };
        let price = match parse_minor(&input.unit_price) {
            Ok(p) if p.abs() > MAX_AMOUNT_MINOR => {
                problem("unit_price", FieldProblem::TooLarge);
                None
            }
            Ok(p) if allow_negative || p >= 0 => Some(p),
            Err(crate::domain::money::ParseError::Overflow) => {
                problem("unit_price", FieldProblem::TooLarge);
                None
            }
            _ => {
                problem("unit_price", required_or_invalid(&input.unit_price));
                None
            }
        };
        let discount = if input.discount.trim().is_empty() {
            Some(0)
        } else {
            parse_percent_bp(&input.discount)
                .ok()
                .filter(|d| (0..=10_000).contains(d))
        };
        if discount.is_none() {
            problem("discount", FieldProblem::Invalid);
        }
        let service_date = match parse_date("service_date", &input.service_date) {
            Ok(d) => Some(d),
            Err(AppError::Validation(v)) => {
                for e in v {
                    problem("service_date", e.problem);
                }
                None
            }
            Err(_) => None,
        };
        let rate =
            service_date.and_then(|d| crate::domain::vat::rate_on(periods, input.vat_code, d));
        if service_date.is_some() && rate.is_none() {
            // No VAT period covers that date (before 2018).
            problem("service_date", FieldProblem::Invalid);
        }
        let unit = if input.unit.trim().is_empty() {
            "pce".to_owned()
        } else {
            input.unit.trim().chars().take(20).collect()
        };
        if let (Some(q), Some(p), Some(d), Some(date), Some(r)) =
            (quantity, price, discount, service_date, rate)
        {
            let Some(amounts) = line_amounts(q, p, d, r) else {
                problem("quantity", FieldProblem::TooLarge);
                continue;
            };
            priced.push(PricedLine {
                product_id: input.product_id,
                description,
                quantity_milli: q,
                unit,
                unit_price_minor: p,
                discount_bp: d,
                vat_code: input.vat_code,
                vat_rate_bp: r,
                service_date: date,
                amounts,
            });
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    // 500 bounded lines cannot overflow a 64-bit sum; the document as a whole is bounded too.
    let net: i64 = priced.iter().map(|l| l.amounts.net_minor.abs()).sum();
    if net > MAX_AMOUNT_MINOR {
        return Err(AppError::field("lines", FieldProblem::TooLarge));
    }
    Ok(priced)
}

fn required_or_invalid(text: &str) -> FieldProblem {
    if text.trim().is_empty() {
        FieldProblem::Required
    } else {
        FieldProblem::Invalid
    }
}

/// Totals of priced lines.
pub fn amounts(lines: &[PricedLine], policy: VatRounding, round_5: bool) -> Amounts {
    let t = totals(
        &lines
            .iter()
            .map(|l| (l.vat_code, l.vat_rate_bp, l.amounts))
            .collect::<Vec<_>>(),
        policy,
        round_5,
    );
    Amounts {
        per_rate: t.per_rate,
        net_minor: t.net_minor,
        vat_minor: t.vat_minor,
        rounding_minor: t.rounding_minor,
        total_minor: t.total_minor,
    }
}

/// Totals of stored lines (for display and PDFs).
pub fn amounts_of_views(lines: &[LineView], policy: VatRounding, round_5: bool) -> Amounts {
    let t = totals(
        &lines
            .iter()
            .map(|l| {
                (
                    l.vat_code,
                    l.vat_rate_bp,
                    LineAmounts {
                        net_minor: l.net_minor,
                        vat_minor: l.vat_minor,
                    },
                )
            })
            .collect::<Vec<_>>(),
        policy,
        round_5,
    );
    Amounts {
        per_rate: t.per_rate,
        net_minor: t.net_minor,
        vat_minor: t.vat_minor,
        rounding_minor: t.rounding_minor,
        total_minor: t.total_minor,
    }
}

/// A stored line as form input (to edit the document it belongs to).
pub fn as_input(l: &LineView) -> LineInput {
    use crate::domain::money::{format_percent_bp, format_plain, format_quantity};
    LineInput {
        product_id: l.product_id,
        description: l.description.clone(),
        quantity: format_quantity(l.quantity_milli),
        unit: l.unit.clone(),
        unit_price: format_plain(l.unit_price_minor),
        discount: if l.discount_bp == 0 {
            String::new()
        } else {
            format_percent_bp(l.discount_bp)
        },
        vat_code: l.vat_code,
        service_date: l.service_date.clone(),
    }
}

/// Back to the shared view type.
pub fn view(position: i32, l: &PricedLine) -> LineView {
    LineView {
        position,
        product_id: l.product_id,
        description: l.description.clone(),
        quantity_milli: l.quantity_milli,
        unit: l.unit.clone(),
        unit_price_minor: l.unit_price_minor,
        discount_bp: l.discount_bp,
        vat_code: l.vat_code,
        vat_rate_bp: l.vat_rate_bp,
        service_date: crate::domain::calendar::iso_date(l.service_date),
        net_minor: l.amounts.net_minor,
        vat_minor: l.amounts.vat_minor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vat::swiss_periods;

    fn line(q: &str, p: &str, d: &str, date: &str) -> LineInput {
        LineInput {
            product_id: None,
            description: "LED wall rental".into(),
            quantity: q.into(),
            unit: "day".into(),
            unit_price: p.into(),
            discount: d.into(),
            vat_code: VatCode::Standard,
            service_date: date.into(),
        }
    }

    #[test]
    fn prices_lines_by_service_date() {
        let priced = price(
            &[
                line("1", "1000", "", "2023-12-31"),
                line("1", "1000", "", "2024-01-01"),
            ],
            &swiss_periods(),
            false,
        )
        .unwrap();
        assert_eq!(priced[0].vat_rate_bp, 770);
        assert_eq!(priced[1].vat_rate_bp, 810);
        let a = amounts(&priced, VatRounding::PerLine, true);
        assert_eq!(
            (a.net_minor, a.vat_minor, a.total_minor),
            (200_000, 15_800, 215_800)
        );
        assert_eq!(a.per_rate.len(), 2);
    }

    #[test]
    fn reports_every_bad_field() {
        let err = price(
            &[
                line("", "abc", "150", "2024-13-01"),
                line("-1", "10", "", "2017-05-01"),
            ],
            &swiss_periods(),
            false,
        )
        .unwrap_err();
        let AppError::Validation(errors) = err else {
            panic!("validation")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "lines.0.quantity",
                "lines.0.unit_price",
                "lines.0.discount",
                "lines.0.service_date",
                "lines.1.quantity",
                "lines.1.service_date"
            ]
        );
        assert_eq!(
            price(&[], &swiss_periods(), false),
            Err(AppError::field("lines", FieldProblem::Required))
        );
    }

    #[test]
    fn huge_quantities_and_prices_are_refused_not_wrapped() {
        let refused = |q: &str, p: &str| {
            let AppError::Validation(errors) =
                price(&[line(q, p, "", "2026-01-01")], &swiss_periods(), false).unwrap_err()
            else {
                panic!("validation")
            };
            errors
                .into_iter()
                .map(|e| (e.field, e.problem))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            refused("99999999999", "1"),
            [("lines.0.quantity".to_owned(), FieldProblem::TooLarge)]
        );
        assert_eq!(
            refused("1", "999999999999999999999"),
            [("lines.0.unit_price".to_owned(), FieldProblem::TooLarge)]
        );
        // Each bound alone, but the product too large: refused on the line.
        assert_eq!(
            refused("1000000", "99999999999"),
            [("lines.0.quantity".to_owned(), FieldProblem::TooLarge)]
        );
        // Twenty lines just under the bound each: the document is too large.
        let many: Vec<LineInput> = (0..20)
            .map(|_| line("1", "90000000000", "", "2026-01-01"))
            .collect();
        assert_eq!(
            price(&many, &swiss_periods(), false),
            Err(AppError::field("lines", FieldProblem::TooLarge))
        );
    }
}
