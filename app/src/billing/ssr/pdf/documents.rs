//! The documents: a letterhead, the lines and totals, and what each kind adds.

use super::payment_part::payment_part;
use super::words::{t, L};
use super::{postal_line, wrap, Canvas, LEFT, MM, PAGE_H, RIGHT};
use crate::billing::ssr::{Issuer, Recipient};
use crate::billing::{money, Amounts, InvoiceView, LineView, QuoteView};
use crate::domain::format::date;
use crate::domain::money::{format_minor, format_percent_bp, format_quantity, Currency};
use crate::domain::qrbill::QrBill;
use crate::domain::status::VatRounding;
use crate::i18n::Locale;

/// The sender block (with the logo), the recipient window and the document heading; returns
/// the next y.
pub(super) fn letterhead(
    c: &mut Canvas,
    issuer: &Issuer,
    to: &Recipient,
    title: &str,
    meta: &[(String, String)],
) -> f32 {
    c.colour_bar(&issuer.colour);
    if let Some((bytes, mime)) = &issuer.logo {
        c.logo(bytes, mime, RIGHT, 11.0, 45.0, 22.0);
    }
    c.text(LEFT, 18.0, 14.0, true, &issuer.legal_name);
    let mut y = 23.0;
    for line in [
        format!("{} {}", issuer.street, issuer.building_number),
        postal_line(&issuer.country, &issuer.postal_code, &issuer.town),
        issuer
            .uid
            .clone()
            .map(|u| format!("UID/IDE {u}"))
            .unwrap_or_default(),
        issuer.vat_number.clone().unwrap_or_default(),
        issuer.email.clone(),
        issuer.phone.clone(),
    ] {
        if !line.trim().is_empty() {
            c.text(LEFT, y, 8.0, false, line.trim());
            y += 3.8;
        }
    }
    // The recipient, placed for a right-window C5 envelope.
    let mut ry = 50.0;
    for line in [
        to.name.clone(),
        format!("{} {}", to.street, to.building_number)
            .trim()
            .to_owned(),
        postal_line(&to.country, &to.postal_code, &to.town),
    ] {
        if !line.trim().is_empty() {
            c.text(118.0, ry, 10.0, false, &line);
            ry += 4.6;
        }
    }
    c.text(LEFT, 82.0, 16.0, true, title);
    let mut my = 89.0;
    for (label, value) in meta {
        c.text(LEFT, my, 9.0, false, label);
        c.text(LEFT + 35.0, my, 9.0, true, value);
        my += 4.5;
    }
    my + 4.0
}

const COL_QTY: f32 = 122.0;
const COL_PRICE: f32 = 145.0;
const COL_VAT: f32 = 160.0;

pub(super) fn table_header(c: &mut Canvas, locale: Locale, y: f32) -> f32 {
    c.fill(LEFT, y - 4.0, RIGHT - LEFT, 6.0, 0.92);
    c.text(LEFT + 1.0, y, 8.0, true, t(locale, L::Description));
    c.text_right(COL_QTY, y, 8.0, true, t(locale, L::Quantity));
    c.text_right(COL_PRICE, y, 8.0, true, t(locale, L::UnitPrice));
    c.text_right(COL_VAT, y, 8.0, true, t(locale, L::Vat));
    c.text_right(RIGHT - 1.0, y, 8.0, true, t(locale, L::Amount));
    y + 6.0
}

/// The VAT lines of a document: per rate, its net and VAT.
pub(super) fn vat_lines(
    c: &mut Canvas,
    locale: Locale,
    mut y: f32,
    amounts: &Amounts,
    currency: Currency,
) -> f32 {
    for rate in &amounts.per_rate {
        c.text(
            120.0,
            y,
            9.0,
            false,
            &format!(
                "{} {}% ({} {})",
                t(locale, L::VatAt),
                format_percent_bp(rate.rate_bp),
                currency.code(),
                format_minor(rate.net_minor)
            ),
        );
        c.text_right(RIGHT - 1.0, y, 9.0, false, &format_minor(rate.vat_minor));
        y += 4.5;
    }
    y
}

/// Draws the lines (breaking pages as needed) and the totals, with how VAT was rounded;
/// returns the next y.
#[allow(clippy::too_many_arguments)]
pub(super) fn lines_and_totals(
    c: &mut Canvas,
    locale: Locale,
    start: f32,
    lines: &[LineView],
    amounts: &Amounts,
    currency: Currency,
    policy: VatRounding,
    bottom: f32,
) -> f32 {
    let mut y = table_header(c, locale, start);
    for line in lines {
        let text_lines = wrap(&line.description, (COL_QTY - LEFT - 22.0) * MM, 9.0, false);
        let height = text_lines.len() as f32 * 4.2 + 1.5;
        if y + height > bottom {
            c.new_page();
            y = table_header(c, locale, 20.0);
        }
        for (i, text) in text_lines.iter().enumerate() {
            c.text(LEFT + 1.0, y + i as f32 * 4.2, 9.0, false, text);
        }
        let discount = if line.discount_bp > 0 {
            format!(" -{}%", format_percent_bp(line.discount_bp))
        } else {
            String::new()
        };
        c.text_right(
            COL_QTY,
            y,
            9.0,
            false,
            &format!("{} {}", format_quantity(line.quantity_milli), line.unit),
        );
        c.text_right(
            COL_PRICE,
            y,
            9.0,
            false,
            &format!("{}{discount}", format_minor(line.unit_price_minor)),
        );
        c.text_right(
            COL_VAT,
            y,
            9.0,
            false,
            &format!("{}%", format_percent_bp(line.vat_rate_bp)),
        );
        c.text_right(RIGHT - 1.0, y, 9.0, false, &format_minor(line.net_minor));
        y += height;
    }
    let needed = 12.0 + amounts.per_rate.len() as f32 * 4.5 + 14.0;
    if y + needed > bottom {
        c.new_page();
        y = 20.0;
    }
    c.line(LEFT, y - 2.0, RIGHT, y - 2.0, 0.5, false);
    y += 3.0;
    c.text(120.0, y, 9.0, false, t(locale, L::NetTotal));
    c.text_right(RIGHT - 1.0, y, 9.0, false, &format_minor(amounts.net_minor));
    y += 4.5;
    y = vat_lines(c, locale, y, amounts, currency);
    if amounts.rounding_minor != 0 {
        c.text(120.0, y, 9.0, false, t(locale, L::Rounding));
        c.text_right(
            RIGHT - 1.0,
            y,
            9.0,
            false,
            &format_minor(amounts.rounding_minor),
        );
        y += 4.5;
    }
    c.line(118.0, y - 2.5, RIGHT, y - 2.5, 0.5, false);
    y += 2.0;
    c.text(120.0, y, 11.0, true, t(locale, L::Total));
    c.text_right(
        RIGHT - 1.0,
        y,
        11.0,
        true,
        &money(currency, amounts.total_minor),
    );
    y += 5.0;
    let note = match policy {
        VatRounding::PerLine => L::RoundedPerLine,
        VatRounding::PerRate => L::RoundedPerRate,
    };
    c.text(LEFT, y, 7.0, false, t(locale, note));
    y + 6.0
}

/// A quote, with the deposit it asks on signature (the same figure the deposit invoice will).
pub fn quote(issuer: &Issuer, to: &Recipient, locale: Locale, view: &QuoteView) -> Vec<u8> {
    let mut c = Canvas::new();
    let mut y = letterhead(
        &mut c,
        issuer,
        to,
        &format!("{} {}", t(locale, L::Quote), view.number),
        &[
            (
                t(locale, L::Date).to_owned(),
                date(locale, &view.issue_date),
            ),
            (
                t(locale, L::ValidUntil).to_owned(),
                date(locale, &view.valid_until),
            ),
        ],
    );
    if !view.title.is_empty() {
        c.text(LEFT, y, 11.0, true, &view.title);
        y += 7.0;
    }
    let mut y = lines_and_totals(
        &mut c,
        locale,
        y,
        &view.lines,
        &view.amounts,
        view.currency,
        view.vat_rounding,
        270.0,
    );
    if let Some(deposit) = &view.deposit {
        c.text(
            120.0,
            y,
            9.0,
            false,
            &format!(
                "{} ({}%)",
                t(locale, L::Deposit),
                format_percent_bp(view.deposit_bp)
            ),
        );
        c.text_right(
            RIGHT - 1.0,
            y,
            9.0,
            false,
            &money(view.currency, deposit.total_minor),
        );
        y += 8.0;
    }
    for line in wrap(&view.notes, (RIGHT - LEFT) * MM, 9.0, false) {
        if y > 280.0 {
            c.new_page();
            y = 20.0;
        }
        c.text(LEFT, y, 9.0, false, &line);
        y += 4.2;
    }
    c.finish()
}

/// An invoice; with `bill`, the last page carries the Swiss QR-bill payment part.
pub fn invoice(
    issuer: &Issuer,
    to: &Recipient,
    locale: Locale,
    view: &InvoiceView,
    bill: Option<&QrBill>,
) -> Vec<u8> {
    let mut c = Canvas::new();
    let mut meta = vec![
        (
            t(locale, L::Date).to_owned(),
            date(locale, &view.issue_date),
        ),
        (
            t(locale, L::DueDate).to_owned(),
            date(locale, &view.due_date),
        ),
    ];
    if let Some(q) = &view.quote_number {
        meta.push((t(locale, L::Quote).to_owned(), q.clone()));
    }
    let mut y = letterhead(
        &mut c,
        issuer,
        to,
        &format!(
            "{} {}",
            t(locale, L::Invoice),
            view.number.as_deref().unwrap_or_default()
        ),
        &meta,
    );
    if !view.title.is_empty() {
        c.text(LEFT, y, 11.0, true, &view.title);
        y += 7.0;
    }
    let mut y = lines_and_totals(
        &mut c,
        locale,
        y,
        &view.lines,
        &view.amounts,
        view.currency,
        view.vat_rounding,
        275.0,
    );
    if view.paid_minor + view.credited_minor > 0 {
        c.text(120.0, y, 9.0, false, t(locale, L::AlreadyPaid));
        c.text_right(
            RIGHT - 1.0,
            y,
            9.0,
            false,
            &format!("-{}", format_minor(view.paid_minor + view.credited_minor)),
        );
        y += 4.5;
        c.text(120.0, y, 10.0, true, t(locale, L::Balance));
        c.text_right(
            RIGHT - 1.0,
            y,
            10.0,
            true,
            &money(view.currency, view.balance_minor),
        );
    }
    if let Some(bill) = bill {
        // The payment part takes the bottom 105 mm of the last page; a full page gets a new one.
        if y > PAGE_H - 105.0 - 6.0 {
            c.new_page();
        }
        payment_part(&mut c, locale, bill);
    }
    c.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::{InvoiceKind, InvoiceStatus};
    use crate::domain::qrbill::{Address, Reference};
    use crate::domain::vat::{RateTotal, VatCode};

    fn issuer() -> Issuer {
        Issuer {
            id: uuid::Uuid::nil(),
            code: "HYPERVISUAL".into(),
            name: "HYPERVISUAL".into(),
            legal_name: "HYPERVISUAL SA".into(),
            street: "Route de la Glâne".into(),
            building_number: "107".into(),
            postal_code: "1700".into(),
            town: "Fribourg".into(),
            country: "CH".into(),
            uid: Some("CHE-109.876.542".into()),
            vat_number: Some("CHE-109.876.542 MWST".into()),
            round_5: true,
            vat_rounding: VatRounding::PerLine,
            payment_terms_days: 30,
            email: "hello@hypervisual.ch".into(),
            phone: String::new(),
            colour: "#2196F3".into(),
            logo: None,
        }
    }

    /// An invoice of `count` lines to Helvetia Events.
    pub(crate) fn sample(count: i32) -> (Issuer, Recipient, InvoiceView, QrBill) {
        let to = Recipient {
            id: uuid::Uuid::nil(),
            name: "Helvetia Events SA".into(),
            street: "Avenue de la Gare".into(),
            building_number: "12".into(),
            postal_code: "1003".into(),
            town: "Lausanne".into(),
            country: "CH".into(),
            email: None,
            language: Locale::Fr,
        };
        let lines: Vec<LineView> = (1..=count)
            .map(|i| LineView {
                position: i,
                product_id: None,
                description: format!(
                    "Écran LED {i} — location d’une journée avec montage, démontage et transport"
                ),
                quantity_milli: 1_000,
                unit: "jour".into(),
                unit_price_minor: 150_000,
                discount_bp: 0,
                vat_code: VatCode::Standard,
                vat_rate_bp: 810,
                service_date: "2026-11-25".into(),
                net_minor: 150_000,
                vat_minor: 12_150,
            })
            .collect();
        let net = 150_000 * count as i64;
        let amounts = Amounts {
            per_rate: vec![RateTotal {
                code: VatCode::Standard,
                rate_bp: 810,
                net_minor: net,
                vat_minor: 12_150 * count as i64,
            }],
            net_minor: net,
            vat_minor: 12_150 * count as i64,
            rounding_minor: 0,
            total_minor: 162_150 * count as i64,
        };
        let view = InvoiceView {
            id: uuid::Uuid::nil(),
            company_id: uuid::Uuid::nil(),
            company_name: "HYPERVISUAL".into(),
            number: Some("INV-2026-0007".into()),
            party_id: uuid::Uuid::nil(),
            party_name: to.name.clone(),
            contact_id: None,
            quote_id: None,
            quote_number: Some("Q-2026-0003".into()),
            kind: InvoiceKind::Standard,
            status: InvoiceStatus::Sent,
            overdue: false,
            language: Locale::Fr,
            vat_rounding: VatRounding::PerLine,
            title: "Salon de Lausanne".into(),
            currency: Currency::CHF,
            issue_date: "2026-11-25".into(),
            due_date: "2026-12-25".into(),
            lines,
            amounts,
            paid_minor: 0,
            credited_minor: 0,
            balance_minor: 162_150 * count as i64,
            payment: None,
            payments: Vec::new(),
            credit_notes: Vec::new(),
            party_credit_minor: 0,
        };
        let bill = QrBill {
            account: "CH3830767001000000000".into(),
            creditor: Address {
                name: "HYPERVISUAL SA".into(),
                street: "Route de la Glâne".into(),
                building_number: "107".into(),
                postal_code: "1700".into(),
                town: "Fribourg".into(),
                country: "CH".into(),
            },
            amount_minor: Some(162_150 * count as i64),
            currency: Currency::CHF,
            debtor: None,
            reference: Reference::Qrr("000000000000000020260000071".into()),
            message: "INV-2026-0007".into(),
            bill_information: String::new(),
        };
        (issuer(), to, view, bill)
    }

    #[test]
    fn a_long_invoice_is_numbered_and_ends_with_the_payment_part() {
        let (issuer, to, view, bill) = sample(40);
        assert!(bill.validate().is_ok());
        let bytes = invoice(&issuer, &to, Locale::Fr, &view, Some(&bill));
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
        assert!(pages >= 2, "40 lines need a second page: {pages}");
        assert!(text.contains(&format!("(1/{pages})")), "page numbers");
        assert!(text.contains(&format!("({pages}/{pages})")));
        assert!(text.contains("Section paiement"), "French payment part");
        assert!(
            !text.contains("CH-1"),
            "Swiss postal codes carry no CH- prefix"
        );

        let (issuer, to, view, bill) = sample(2);
        let one = invoice(&issuer, &to, Locale::De, &view, Some(&bill));
        let one = String::from_utf8_lossy(&one);
        assert!(
            !one.contains("(1/1)"),
            "a one-page document has no page number"
        );
        assert!(one.contains("25.11.2026"), "German dates are dd.mm.yyyy");
        assert!(
            one.contains("(3 243.00)"),
            "SIX amounts are grouped with a space"
        );
    }
}
