//! The Swiss QR-bill payment part and receipt (SIX Implementation Guidelines v2.3 layout), A6
//! at the bottom of the last page, below the dashed separation line.

use super::words::{t, L};
use super::{postal_line, text_width, Canvas, MM, PAGE_H, PAGE_W};
use crate::billing::ssr::qr;
use crate::domain::format::six_amount;
use crate::domain::qrbill::{QrBill, Reference};
use crate::domain::reference::group;
use crate::i18n::Locale;

/// The A6 payment part and receipt, at the bottom of the current page (SIX IG v2.3 layout).
pub(super) fn payment_part(c: &mut Canvas, locale: Locale, bill: &QrBill) {
    let top = PAGE_H - 105.0;
    c.text(
        PAGE_W / 2.0 - text_width(t(locale, L::Separate), 7.0, false) / MM / 2.0,
        top - 1.5,
        7.0,
        false,
        t(locale, L::Separate),
    );
    c.line(0.0, top, PAGE_W, top, 0.4, true);
    c.line(62.0, top, 62.0, PAGE_H, 0.4, true);

    let account = group(&bill.account, 4, 4);
    let creditor = [
        bill.creditor.name.clone(),
        format!("{} {}", bill.creditor.street, bill.creditor.building_number)
            .trim()
            .to_owned(),
        postal_line(
            &bill.creditor.country,
            &bill.creditor.postal_code,
            &bill.creditor.town,
        ),
    ];
    let reference = match &bill.reference {
        Reference::Qrr(r) => Some(group(r, 2, 5)),
        Reference::Scor(r) => Some(group(r, 4, 4)),
        Reference::None => None,
    };
    let debtor: Vec<String> = bill
        .debtor
        .as_ref()
        .map(|d| {
            vec![
                d.name.clone(),
                format!("{} {}", d.street, d.building_number)
                    .trim()
                    .to_owned(),
                postal_line(&d.country, &d.postal_code, &d.town),
            ]
        })
        .unwrap_or_default();
    let amount = bill.amount_minor.map(six_amount).unwrap_or_default();

    // Receipt: 62 mm wide, 5 mm margins.
    let x = 5.0;
    let mut y = top + 10.0;
    c.text(x, y, 11.0, true, t(locale, L::Receipt));
    y += 7.0;
    c.text(x, y, 6.0, true, t(locale, L::AccountPayableTo));
    y += 3.5;
    for line in std::iter::once(account.clone()).chain(creditor.iter().cloned()) {
        c.text(x, y, 8.0, false, &line);
        y += 3.5;
    }
    if let Some(r) = &reference {
        y += 2.5;
        c.text(x, y, 6.0, true, t(locale, L::Reference));
        y += 3.5;
        c.text(x, y, 8.0, false, r);
        y += 3.5;
    }
    y += 2.5;
    c.text(x, y, 6.0, true, t(locale, L::PayableBy));
    y += 3.5;
    for line in &debtor {
        c.text(x, y, 8.0, false, line);
        y += 3.5;
    }
    let amount_y = top + 73.0;
    c.text(x, amount_y, 6.0, true, t(locale, L::Currency));
    c.text(x + 14.0, amount_y, 6.0, true, t(locale, L::Amount));
    c.text(x, amount_y + 4.0, 8.0, false, bill.currency.code());
    c.text(x + 14.0, amount_y + 4.0, 8.0, false, &amount);
    c.text_right(57.0, top + 88.0, 6.0, true, t(locale, L::AcceptancePoint));

    // Payment part: title, QR code (46 mm), amount; information column at 118 mm.
    let px = 67.0;
    c.text(px, top + 10.0, 11.0, true, t(locale, L::PaymentPart));
    if let Ok(m) = qr::modules(bill) {
        let qr_top = top + 17.0;
        let unit = qr::SIZE_MM as f32 / m.width as f32;
        for row in 0..m.width {
            // Merge runs of dark modules into one rectangle: smaller file, crisper rendering.
            let mut col = 0;
            while col < m.width {
                if m.dark[row * m.width + col] {
                    let start = col;
                    while col < m.width && m.dark[row * m.width + col] {
                        col += 1;
                    }
                    c.fill(
                        px + start as f32 * unit,
                        qr_top + row as f32 * unit,
                        (col - start) as f32 * unit,
                        unit,
                        0.0,
                    );
                } else {
                    col += 1;
                }
            }
        }
        for (cx, cy, w, h, dark) in qr::cross() {
            c.fill(
                px + cx as f32,
                qr_top + cy as f32,
                w as f32,
                h as f32,
                if dark { 0.0 } else { 1.0 },
            );
        }
    }
    let amount_y = top + 73.0;
    c.text(px, amount_y, 8.0, true, t(locale, L::Currency));
    c.text(px + 14.0, amount_y, 8.0, true, t(locale, L::Amount));
    c.text(px, amount_y + 5.0, 10.0, false, bill.currency.code());
    c.text(px + 14.0, amount_y + 5.0, 10.0, false, &amount);

    let ix = 118.0;
    let mut y = top + 10.0;
    c.text(ix, y, 8.0, true, t(locale, L::AccountPayableTo));
    y += 4.0;
    for line in std::iter::once(account).chain(creditor) {
        c.text(ix, y, 10.0, false, &line);
        y += 4.2;
    }
    if let Some(r) = &reference {
        y += 2.5;
        c.text(ix, y, 8.0, true, t(locale, L::Reference));
        y += 4.0;
        c.text(ix, y, 10.0, false, r);
        y += 4.2;
    }
    if !bill.message.is_empty() || !bill.bill_information.is_empty() {
        y += 2.5;
        c.text(ix, y, 8.0, true, t(locale, L::AdditionalInformation));
        y += 4.0;
        for text in [&bill.message, &bill.bill_information] {
            if !text.is_empty() {
                c.text(ix, y, 10.0, false, text);
                y += 4.2;
            }
        }
    }
    y += 2.5;
    c.text(ix, y, 8.0, true, t(locale, L::PayableBy));
    y += 4.0;
    for line in &debtor {
        c.text(ix, y, 10.0, false, line);
        y += 4.2;
    }
}
