//! PDF documents: quote, invoice (with the Swiss QR-bill payment part), credit note, statement.
//!
//! Written with `pdf-writer` and the standard Helvetica fonts (no embedding; Helvetica is one of
//! the fonts the QR-bill guidelines allow). A4 portrait; the payment part is the A6 strip at the
//! bottom of the last page, below the dashed separation line.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

use super::qr;
use super::{Issuer, Recipient};
use crate::billing::{money, Amounts, LineView};
use crate::domain::money::{format_minor, format_percent_bp, format_quantity, Currency};
use crate::domain::qrbill::{QrBill, Reference};
use crate::domain::reference::group;
use crate::i18n::Locale;

const MM: f32 = 72.0 / 25.4;
const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const LEFT: f32 = 20.0;
const RIGHT: f32 = 190.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// Helvetica advance widths (1/1000 em) for ASCII 32–126.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
/// Helvetica-Bold advance widths for ASCII 32–126.
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// The base letter of an accented Latin letter (for width lookup).
fn base_letter(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'A',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'È' | 'É' | 'Ê' | 'Ë' => 'E',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => 'O',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
        'ç' => 'c',
        'Ç' => 'C',
        'ñ' => 'n',
        'ß' => 'B',
        '’' | '‘' => '\'',
        '«' | '»' | '–' => '-',
        _ => c,
    }
}

/// Width of `text` in points at `size`.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    let table = if bold { &HELVETICA_BOLD } else { &HELVETICA };
    text.chars()
        .map(|c| {
            let b = base_letter(c) as u32;
            if (32..=126).contains(&b) {
                table[(b - 32) as usize] as f32
            } else {
                556.0
            }
        })
        .sum::<f32>()
        * size
        / 1000.0
}

/// Encodes text in WinAnsi (the standard fonts' encoding); unknown characters become `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '‚' => 0x82,
            '„' => 0x84,
            '…' => 0x85,
            'Œ' => 0x8c,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            'œ' => 0x9c,
            _ => b'?',
        })
        .collect()
}

/// Splits `text` into lines no wider than `width` points.
pub fn wrap(text: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if text_width(&candidate, size, bold) <= width || line.is_empty() {
                line = candidate;
            } else {
                lines.push(std::mem::take(&mut line));
                line = word.to_owned();
            }
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Pages being drawn, in millimetres from the top-left corner.
struct Canvas {
    pages: Vec<Content>,
    current: Content,
}

impl Canvas {
    fn new() -> Canvas {
        Canvas {
            pages: Vec::new(),
            current: Content::new(),
        }
    }

    fn new_page(&mut self) {
        let done = std::mem::replace(&mut self.current, Content::new());
        self.pages.push(done);
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        let bytes = win_ansi(text);
        self.current
            .begin_text()
            .set_font(if bold { BOLD } else { REGULAR }, size)
            .next_line(x * MM, (PAGE_H - y) * MM)
            .show(Str(&bytes))
            .end_text();
    }

    fn text_right(&mut self, right: f32, y: f32, size: f32, bold: bool, text: &str) {
        let w = text_width(text, size, bold) / MM;
        self.text(right - w, y, size, bold, text);
    }

    fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, gray: f32) {
        self.current
            .set_fill_gray(gray)
            .rect(x * MM, (PAGE_H - y - h) * MM, w * MM, h * MM)
            .fill_nonzero()
            .set_fill_gray(0.0);
    }

    fn colour_bar(&mut self, hex: &str) {
        let channel = |i: usize| {
            u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0) as f32 / 255.0
        };
        self.current
            .set_fill_rgb(channel(1), channel(3), channel(5))
            .rect(0.0, (PAGE_H - 6.0) * MM, PAGE_W * MM, 6.0 * MM)
            .fill_nonzero()
            .set_fill_gray(0.0);
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, dashed: bool) {
        self.current.save_state().set_line_width(width);
        if dashed {
            self.current.set_dash_pattern([2.0, 2.0], 0.0);
        }
        self.current
            .move_to(x1 * MM, (PAGE_H - y1) * MM)
            .line_to(x2 * MM, (PAGE_H - y2) * MM)
            .stroke()
            .restore_state();
    }

    fn finish(mut self) -> Vec<u8> {
        self.new_page();
        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let mut next = 5;
        let mut page_ids = Vec::new();
        let mut contents = Vec::new();
        for content in self.pages {
            let page = Ref::new(next);
            let stream = Ref::new(next + 1);
            next += 2;
            page_ids.push(page);
            contents.push((page, stream, content.finish()));
        }
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(page_ids.iter().copied())
            .count(page_ids.len() as i32);
        for (page, stream, data) in &contents {
            let mut p = pdf.page(*page);
            p.media_box(Rect::new(0.0, 0.0, PAGE_W * MM, PAGE_H * MM));
            p.parent(tree);
            p.contents(*stream);
            p.resources()
                .fonts()
                .pair(REGULAR, regular)
                .pair(BOLD, bold);
            p.finish();
            pdf.stream(*stream, data);
        }
        pdf.type1_font(regular)
            .base_font(Name(b"Helvetica"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold)
            .base_font(Name(b"Helvetica-Bold"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.finish()
    }
}

/// Document words in the three languages.
#[derive(Clone, Copy)]
enum L {
    Quote,
    Invoice,
    CreditNote,
    Statement,
    Date,
    ValidUntil,
    DueDate,
    Description,
    Quantity,
    UnitPrice,
    Vat,
    Amount,
    NetTotal,
    VatAt,
    Rounding,
    Total,
    Deposit,
    Receipt,
    PaymentPart,
    AccountPayableTo,
    Reference,
    AdditionalInformation,
    PayableBy,
    Currency,
    AcceptancePoint,
    Separate,
    ForInvoice,
    Reason,
    Period,
    Debit,
    Credit,
    Balance,
    AlreadyPaid,
}

fn t(locale: Locale, word: L) -> &'static str {
    use Locale::*;
    match (word, locale) {
        (L::Quote, Fr) => "Devis",
        (L::Quote, De) => "Offerte",
        (L::Quote, En) => "Quote",
        (L::Invoice, Fr) => "Facture",
        (L::Invoice, De) => "Rechnung",
        (L::Invoice, En) => "Invoice",
        (L::CreditNote, Fr) => "Note de crédit",
        (L::CreditNote, De) => "Gutschrift",
        (L::CreditNote, En) => "Credit note",
        (L::Statement, Fr) => "Relevé de compte",
        (L::Statement, De) => "Kontoauszug",
        (L::Statement, En) => "Statement of account",
        (L::Date, Fr) | (L::Date, En) => "Date",
        (L::Date, De) => "Datum",
        (L::ValidUntil, Fr) => "Valable jusqu'au",
        (L::ValidUntil, De) => "Gültig bis",
        (L::ValidUntil, En) => "Valid until",
        (L::DueDate, Fr) => "Échéance",
        (L::DueDate, De) => "Fällig am",
        (L::DueDate, En) => "Due date",
        (L::Description, Fr) => "Désignation",
        (L::Description, De) => "Beschreibung",
        (L::Description, En) => "Description",
        (L::Quantity, Fr) => "Qté",
        (L::Quantity, De) => "Menge",
        (L::Quantity, En) => "Qty",
        (L::UnitPrice, Fr) => "Prix unit.",
        (L::UnitPrice, De) => "Einzelpreis",
        (L::UnitPrice, En) => "Unit price",
        (L::Vat, Fr) => "TVA",
        (L::Vat, De) => "MWST",
        (L::Vat, En) => "VAT",
        (L::Amount, Fr) => "Montant",
        (L::Amount, De) => "Betrag",
        (L::Amount, En) => "Amount",
        (L::NetTotal, Fr) => "Total hors TVA",
        (L::NetTotal, De) => "Total exkl. MWST",
        (L::NetTotal, En) => "Total excl. VAT",
        (L::VatAt, Fr) => "TVA",
        (L::VatAt, De) => "MWST",
        (L::VatAt, En) => "VAT",
        (L::Rounding, Fr) => "Arrondi",
        (L::Rounding, De) => "Rundung",
        (L::Rounding, En) => "Rounding",
        (L::Total, Fr) => "Total TTC",
        (L::Total, De) => "Total inkl. MWST",
        (L::Total, En) => "Total incl. VAT",
        (L::Deposit, Fr) => "Acompte à la signature",
        (L::Deposit, De) => "Anzahlung bei Unterzeichnung",
        (L::Deposit, En) => "Deposit on signature",
        (L::Receipt, Fr) => "Récépissé",
        (L::Receipt, De) => "Empfangsschein",
        (L::Receipt, En) => "Receipt",
        (L::PaymentPart, Fr) => "Section paiement",
        (L::PaymentPart, De) => "Zahlteil",
        (L::PaymentPart, En) => "Payment part",
        (L::AccountPayableTo, Fr) => "Compte / Payable à",
        (L::AccountPayableTo, De) => "Konto / Zahlbar an",
        (L::AccountPayableTo, En) => "Account / Payable to",
        (L::Reference, Fr) => "Référence",
        (L::Reference, De) => "Referenz",
        (L::Reference, En) => "Reference",
        (L::AdditionalInformation, Fr) => "Informations supplémentaires",
        (L::AdditionalInformation, De) => "Zusätzliche Informationen",
        (L::AdditionalInformation, En) => "Additional information",
        (L::PayableBy, Fr) => "Payable par",
        (L::PayableBy, De) => "Zahlbar durch",
        (L::PayableBy, En) => "Payable by",
        (L::Currency, Fr) => "Monnaie",
        (L::Currency, De) => "Währung",
        (L::Currency, En) => "Currency",
        (L::AcceptancePoint, Fr) => "Point de dépôt",
        (L::AcceptancePoint, De) => "Annahmestelle",
        (L::AcceptancePoint, En) => "Acceptance point",
        (L::Separate, Fr) => "À détacher avant le versement",
        (L::Separate, De) => "Vor der Einzahlung abzutrennen",
        (L::Separate, En) => "Separate before paying in",
        (L::ForInvoice, Fr) => "Concerne la facture",
        (L::ForInvoice, De) => "Betrifft Rechnung",
        (L::ForInvoice, En) => "For invoice",
        (L::Reason, Fr) => "Motif",
        (L::Reason, De) => "Grund",
        (L::Reason, En) => "Reason",
        (L::Period, Fr) => "Période",
        (L::Period, De) => "Zeitraum",
        (L::Period, En) => "Period",
        (L::Debit, Fr) => "Débit",
        (L::Debit, De) => "Soll",
        (L::Debit, En) => "Debit",
        (L::Credit, Fr) => "Crédit",
        (L::Credit, De) => "Haben",
        (L::Credit, En) => "Credit",
        (L::Balance, Fr) => "Solde",
        (L::Balance, De) => "Saldo",
        (L::Balance, En) => "Balance",
        (L::AlreadyPaid, Fr) => "Déjà payé / crédité",
        (L::AlreadyPaid, De) => "Bereits bezahlt / gutgeschrieben",
        (L::AlreadyPaid, En) => "Already paid / credited",
    }
}

/// The sender block, the recipient window and the document heading; returns the next y.
fn letterhead(
    c: &mut Canvas,
    issuer: &Issuer,
    to: &Recipient,
    title: &str,
    meta: &[(String, String)],
) -> f32 {
    c.colour_bar(&issuer.colour);
    c.text(LEFT, 18.0, 14.0, true, &issuer.legal_name);
    let mut y = 23.0;
    for line in [
        format!("{} {}", issuer.street, issuer.building_number),
        format!("{} {}", issuer.postal_code, issuer.town),
        issuer
            .uid
            .clone()
            .map(|u| format!("UID/IDE {u}"))
            .unwrap_or_default(),
        issuer.vat_number.clone().unwrap_or_default(),
        issuer.email.clone(),
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
        format!("{}-{} {}", to.country, to.postal_code, to.town),
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

fn table_header(c: &mut Canvas, locale: Locale, y: f32) -> f32 {
    c.fill(LEFT, y - 4.0, RIGHT - LEFT, 6.0, 0.92);
    c.text(LEFT + 1.0, y, 8.0, true, t(locale, L::Description));
    c.text_right(COL_QTY, y, 8.0, true, t(locale, L::Quantity));
    c.text_right(COL_PRICE, y, 8.0, true, t(locale, L::UnitPrice));
    c.text_right(COL_VAT, y, 8.0, true, t(locale, L::Vat));
    c.text_right(RIGHT - 1.0, y, 8.0, true, t(locale, L::Amount));
    y + 6.0
}

/// Draws the lines (breaking pages as needed) and the totals; returns the next y.
fn lines_and_totals(
    c: &mut Canvas,
    locale: Locale,
    start: f32,
    lines: &[LineView],
    amounts: &Amounts,
    currency: Currency,
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
            format!(" −{}%", format_percent_bp(line.discount_bp))
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
    let needed = 8.0 + amounts.per_rate.len() as f32 * 4.5 + 14.0;
    if y + needed > bottom {
        c.new_page();
        y = 20.0;
    }
    c.line(LEFT, y - 2.0, RIGHT, y - 2.0, 0.5, false);
    y += 3.0;
    c.text(120.0, y, 9.0, false, t(locale, L::NetTotal));
    c.text_right(RIGHT - 1.0, y, 9.0, false, &format_minor(amounts.net_minor));
    y += 4.5;
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
    y + 8.0
}

/// A quote.
pub fn quote(
    issuer: &Issuer,
    to: &Recipient,
    locale: Locale,
    view: &crate::billing::QuoteView,
) -> Vec<u8> {
    let mut c = Canvas::new();
    let y = letterhead(
        &mut c,
        issuer,
        to,
        &format!("{} {}", t(locale, L::Quote), view.number),
        &[
            (t(locale, L::Date).to_owned(), view.issue_date.clone()),
            (
                t(locale, L::ValidUntil).to_owned(),
                view.valid_until.clone(),
            ),
        ],
    );
    let mut y = y;
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
        270.0,
    );
    if view.deposit_bp > 0 {
        let deposit = crate::domain::money::div_round(
            view.amounts.total_minor as i128 * view.deposit_bp as i128,
            10_000,
        ) as i64;
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
        c.text_right(RIGHT - 1.0, y, 9.0, false, &money(view.currency, deposit));
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
    view: &crate::billing::InvoiceView,
    bill: Option<&QrBill>,
) -> Vec<u8> {
    let mut c = Canvas::new();
    let mut meta = vec![
        (t(locale, L::Date).to_owned(), view.issue_date.clone()),
        (t(locale, L::DueDate).to_owned(), view.due_date.clone()),
    ];
    if let Some(q) = &view.quote_number {
        meta.push((t(locale, L::Quote).to_owned(), q.clone()));
    }
    let y = letterhead(
        &mut c,
        issuer,
        to,
        &format!("{} {}", t(locale, L::Invoice), view.number),
        &meta,
    );
    let mut y = y;
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

/// The A6 payment part and receipt, at the bottom of the current page (SIX IG v2.3 layout).
fn payment_part(c: &mut Canvas, locale: Locale, bill: &QrBill) {
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
        format!("{} {}", bill.creditor.postal_code, bill.creditor.town),
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
                format!("{} {}", d.postal_code, d.town),
            ]
        })
        .unwrap_or_default();
    let amount = bill.amount_minor.map(format_minor).unwrap_or_default();

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

/// A credit note.
pub fn credit_note(
    issuer: &Issuer,
    to: &Recipient,
    locale: Locale,
    note: &crate::billing::CreditNoteView,
    invoice_number: &str,
    currency: Currency,
) -> Vec<u8> {
    let mut c = Canvas::new();
    let y = letterhead(
        &mut c,
        issuer,
        to,
        &format!("{} {}", t(locale, L::CreditNote), note.number),
        &[
            (t(locale, L::Date).to_owned(), note.issue_date.clone()),
            (
                t(locale, L::ForInvoice).to_owned(),
                invoice_number.to_owned(),
            ),
        ],
    );
    let mut y = y + 4.0;
    c.text(LEFT, y, 9.0, true, t(locale, L::Reason));
    y += 4.5;
    for line in wrap(&note.reason, (RIGHT - LEFT) * MM, 9.0, false) {
        c.text(LEFT, y, 9.0, false, &line);
        y += 4.2;
    }
    y += 6.0;
    c.text(120.0, y, 11.0, true, t(locale, L::Total));
    c.text_right(
        RIGHT - 1.0,
        y,
        11.0,
        true,
        &money(currency, note.total_minor),
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

/// A statement of account for a period.
pub fn statement(
    issuer: &Issuer,
    to: &Recipient,
    locale: Locale,
    from: &str,
    until: &str,
    rows: &[StatementRow],
) -> Vec<u8> {
    let mut c = Canvas::new();
    let y = letterhead(
        &mut c,
        issuer,
        to,
        t(locale, L::Statement),
        &[(t(locale, L::Period).to_owned(), format!("{from} – {until}"))],
    );
    let header = |c: &mut Canvas, y: f32| {
        c.fill(LEFT, y - 4.0, RIGHT - LEFT, 6.0, 0.92);
        c.text(LEFT + 1.0, y, 8.0, true, t(locale, L::Date));
        c.text(LEFT + 25.0, y, 8.0, true, t(locale, L::Description));
        c.text_right(140.0, y, 8.0, true, t(locale, L::Debit));
        c.text_right(165.0, y, 8.0, true, t(locale, L::Credit));
        c.text_right(RIGHT - 1.0, y, 8.0, true, t(locale, L::Balance));
        y + 6.0
    };
    let mut y = header(&mut c, y + 2.0);
    let mut balances: Vec<(Currency, i64)> = Vec::new();
    for row in rows {
        if y > 280.0 {
            c.new_page();
            y = header(&mut c, 20.0);
        }
        let balance = match balances.iter_mut().find(|(cur, _)| *cur == row.currency) {
            Some((_, b)) => {
                *b += row.debit_minor - row.credit_minor;
                *b
            }
            None => {
                balances.push((row.currency, row.debit_minor - row.credit_minor));
                row.debit_minor - row.credit_minor
            }
        };
        c.text(LEFT + 1.0, y, 9.0, false, &row.date);
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
    c.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_wrapping() {
        assert_eq!(text_width("0123456789", 10.0, false), 55.6);
        assert!(text_width("ré", 10.0, true) > text_width("re", 10.0, false));
        assert_eq!(text_width("é", 10.0, false), text_width("e", 10.0, false));
        let lines = wrap("one two three four five six seven", 50.0, 10.0, false);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l, 10.0, false) <= 50.0));
        assert_eq!(wrap("", 50.0, 10.0, false), vec![String::new()]);
    }

    #[test]
    fn win_ansi_keeps_french_and_german() {
        assert_eq!(
            win_ansi("é ü ß €"),
            vec![0xe9, b' ', 0xfc, b' ', 0xdf, b' ', 0x80]
        );
        assert_eq!(win_ansi("✂"), vec![b'?']);
    }
}

#[cfg(test)]
mod sample {
    use super::*;
    use crate::billing::{InvoiceKind, InvoiceStatus, InvoiceView};
    use crate::domain::qrbill::Address;
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
            iban: Some("CH1600767001000000000".into()),
            qr_iban: Some("CH3830767001000000000".into()),
            round_5: true,
            payment_terms_days: 30,
            email: "hello@hypervisual.ch".into(),
            colour: "#2196F3".into(),
        }
    }

    #[test]
    fn an_invoice_with_many_lines_puts_the_payment_part_on_its_last_page() {
        let to = Recipient {
            id: uuid::Uuid::nil(),
            name: "Helvetia Events SA".into(),
            street: "Avenue de la Gare".into(),
            building_number: "12".into(),
            postal_code: "1003".into(),
            town: "Lausanne".into(),
            country: "CH".into(),
            email: None,
            language: "fr".into(),
        };
        let lines: Vec<LineView> = (1..=40)
            .map(|i| LineView {
                position: i,
                product_id: None,
                description: format!(
                    "Écran LED {i} — location d'une journée avec montage, démontage et transport"
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
        let amounts = Amounts {
            per_rate: vec![RateTotal {
                code: VatCode::Standard,
                rate_bp: 810,
                net_minor: 6_000_000,
                vat_minor: 486_000,
            }],
            net_minor: 6_000_000,
            vat_minor: 486_000,
            rounding_minor: 0,
            total_minor: 6_486_000,
        };
        let view = InvoiceView {
            id: uuid::Uuid::nil(),
            company_id: uuid::Uuid::nil(),
            company_name: "HYPERVISUAL".into(),
            number: "INV-2026-0007".into(),
            party_id: uuid::Uuid::nil(),
            party_name: to.name.clone(),
            quote_id: None,
            quote_number: Some("Q-2026-0003".into()),
            kind: InvoiceKind::Standard,
            status: InvoiceStatus::Sent,
            title: "Salon de Lausanne".into(),
            currency: Currency::CHF,
            issue_date: "2026-11-25".into(),
            due_date: "2026-12-25".into(),
            lines,
            amounts,
            paid_minor: 0,
            credited_minor: 0,
            balance_minor: 6_486_000,
            payment: None,
            payments: Vec::new(),
            credit_notes: Vec::new(),
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
            amount_minor: Some(6_486_000),
            currency: Currency::CHF,
            debtor: None,
            reference: Reference::Qrr("000000000000000020260000071".into()),
            message: "INV-2026-0007".into(),
            bill_information: String::new(),
        };
        assert!(bill.validate().is_ok());
        let bytes = invoice(&issuer(), &to, Locale::Fr, &view, Some(&bill));
        std::fs::write(
            std::env::temp_dir().join("unified-sample-invoice.pdf"),
            &bytes,
        )
        .ok();
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
        assert!(pages >= 2, "40 lines need a second page: {pages}");
        assert!(
            text.contains("Section paiement"),
            "the payment part is labelled in French"
        );
    }
}
