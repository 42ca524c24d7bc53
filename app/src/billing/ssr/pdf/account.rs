//! The documents about a client's account rather than a sale: credit notes and statements.

use super::documents::letterhead;
use super::words::{t, L};
use super::{wrap, Canvas, LEFT, MM, RIGHT};
use crate::billing::ssr::{Issuer, Recipient};
use crate::billing::{money, CreditNoteView};
use crate::domain::format::date;
use crate::domain::money::{format_minor, format_percent_bp, Currency};
use crate::i18n::Locale;

/// A credit note: the invoice it corrects (number and date), the reason, and per VAT rate the
/// net and VAT it takes back.
pub fn credit_note(
    issuer: &Issuer,
    to: &Recipient,
    locale: Locale,
    note: &CreditNoteView,
) -> Vec<u8> {
    let mut c = Canvas::new();
    let mut y = letterhead(
        &mut c,
        issuer,
        to,
        &format!("{} {}", t(locale, L::CreditNote), note.number),
        &[
            (
                t(locale, L::Date).to_owned(),
                date(locale, &note.issue_date),
            ),
            (
                t(locale, L::ForInvoice).to_owned(),
                format!(
                    "{} {} {}",
                    note.invoice_number,
                    t(locale, L::InvoiceOf),
                    date(locale, &note.invoice_date)
                ),
            ),
        ],
    );
    y += 4.0;
    c.text(LEFT, y, 9.0, true, t(locale, L::Reason));
    y += 4.5;
    for line in wrap(&note.reason, (RIGHT - LEFT) * MM, 9.0, false) {
        c.text(LEFT, y, 9.0, false, &line);
        y += 4.2;
    }
    y += 6.0;
    c.fill(LEFT, y - 4.0, RIGHT - LEFT, 6.0, 0.92);
    c.text(LEFT + 1.0, y, 8.0, true, t(locale, L::Rate));
    c.text_right(150.0, y, 8.0, true, t(locale, L::Net));
    c.text_right(RIGHT - 1.0, y, 8.0, true, t(locale, L::Vat));
    y += 6.0;
    for rate in &note.per_rate {
        c.text(
            LEFT + 1.0,
            y,
            9.0,
            false,
            &format!(
                "{} {}%",
                t(locale, L::VatAt),
                format_percent_bp(rate.rate_bp)
            ),
        );
        c.text_right(150.0, y, 9.0, false, &format_minor(-rate.net_minor));
        c.text_right(RIGHT - 1.0, y, 9.0, false, &format_minor(-rate.vat_minor));
        y += 4.5;
    }
    if note.rounding_minor != 0 {
        c.text(LEFT + 1.0, y, 9.0, false, t(locale, L::Rounding));
        c.text_right(
            RIGHT - 1.0,
            y,
            9.0,
            false,
            &format_minor(-note.rounding_minor),
        );
        y += 4.5;
    }
    c.line(LEFT, y - 2.0, RIGHT, y - 2.0, 0.5, false);
    y += 4.0;
    c.text(120.0, y, 11.0, true, t(locale, L::Total));
    c.text_right(
        RIGHT - 1.0,
        y,
        11.0,
        true,
        &money(note.currency, -note.total_minor),
    );
    c.finish()
}

/// A row of a statement of account.
#[derive(Clone, Debug)]
pub struct StatementRow {
    /// Date (`YYYY-MM-DD`).
    pub date: String,
    /// Document (invoice, payment, credit note) and its number.
    pub text: String,
    /// Debit (invoiced), minor units.
    pub debit_minor: i64,
    /// Credit (paid or credited), minor units.
    pub credit_minor: i64,
    /// Currency.
    pub currency: Currency,
}

/// A statement of account for a period: one section (starting on its own page, with its
/// letterhead) per company the client deals with.
pub fn statement(
    locale: Locale,
    from: &str,
    until: &str,
    sections: &[(Issuer, Recipient, Vec<StatementRow>)],
) -> Vec<u8> {
    let mut c = Canvas::new();
    let header = |c: &mut Canvas, y: f32| {
        c.fill(LEFT, y - 4.0, RIGHT - LEFT, 6.0, 0.92);
        c.text(LEFT + 1.0, y, 8.0, true, t(locale, L::Date));
        c.text(LEFT + 25.0, y, 8.0, true, t(locale, L::Description));
        c.text_right(140.0, y, 8.0, true, t(locale, L::Debit));
        c.text_right(165.0, y, 8.0, true, t(locale, L::Credit));
        c.text_right(RIGHT - 1.0, y, 8.0, true, t(locale, L::Balance));
        y + 6.0
    };
    for (n, (issuer, to, rows)) in sections.iter().enumerate() {
        if n > 0 {
            c.new_page();
        }
        let y = letterhead(
            &mut c,
            issuer,
            to,
            t(locale, L::Statement),
            &[(
                t(locale, L::Period).to_owned(),
                format!("{} – {}", date(locale, from), date(locale, until)),
            )],
        );
        let mut y = header(&mut c, y + 2.0);
        let mut balances: Vec<(Currency, i64)> = Vec::new();
        for row in rows {
            if y > 280.0 {
                c.new_page();
                y = header(&mut c, 20.0);
            }
            let change = row.debit_minor - row.credit_minor;
            let balance = match balances.iter_mut().find(|(cur, _)| *cur == row.currency) {
                Some((_, b)) => {
                    *b += change;
                    *b
                }
                None => {
                    balances.push((row.currency, change));
                    change
                }
            };
            c.text(LEFT + 1.0, y, 9.0, false, &date(locale, &row.date));
            c.text(LEFT + 25.0, y, 9.0, false, &row.text);
            if row.debit_minor != 0 {
                c.text_right(140.0, y, 9.0, false, &format_minor(row.debit_minor));
            }
            if row.credit_minor != 0 {
                c.text_right(165.0, y, 9.0, false, &format_minor(row.credit_minor));
            }
            c.text_right(RIGHT - 1.0, y, 9.0, false, &money(row.currency, balance));
            y += 5.0;
        }
        y += 4.0;
        for (currency, balance) in balances {
            c.text(120.0, y, 10.0, true, t(locale, L::Balance));
            c.text_right(RIGHT - 1.0, y, 10.0, true, &money(currency, balance));
            y += 5.0;
        }
    }
    c.finish()
}
