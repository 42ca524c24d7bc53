//! PDF documents: quote, invoice (with the Swiss QR-bill payment part), credit note, statement.
//!
//! Written with `pdf-writer` and the standard Helvetica fonts in WinAnsi encoding (no
//! embedding; Helvetica is one of the fonts the QR-bill guidelines allow, and WinAnsi holds every
//! letter French, German and Swiss addresses use). A4 portrait; documents of several pages are
//! numbered "1/3"; the company logo heads the first page.

mod account;
mod documents;
mod image;
mod payment_part;
mod words;

pub use account::{credit_note, statement, StatementRow};
pub use documents::{invoice, quote};
pub use image::printable;

use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

const MM: f32 = 72.0 / 25.4;
const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const LEFT: f32 = 20.0;
const RIGHT: f32 = 190.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");
const LOGO: Name<'static> = Name(b"Im1");

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

/// Characters that stand for another: the typographic minus and non-breaking hyphens are
/// printed as the hyphen-minus (WinAnsi has no minus sign), a narrow no-break space as a space.
fn substitute(c: char) -> char {
    match c {
        '−' | '‐' | '‑' | '‒' => '-',
        '\u{202f}' | '\u{2009}' | '\u{200a}' => ' ',
        _ => c,
    }
}

/// The width of `c` in 1/1000 em: the table's for ASCII, the base letter's for accented ones,
/// the Helvetica widths of the WinAnsi punctuation otherwise.
fn char_width(c: char, bold: bool) -> u16 {
    let table = if bold { &HELVETICA_BOLD } else { &HELVETICA };
    let ascii = |b: char| table[(b as u32 - 32) as usize];
    match substitute(c) {
        c @ ' '..='~' => ascii(c),
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => ascii('a'),
        'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => ascii('A'),
        'è' | 'é' | 'ê' | 'ë' => ascii('e'),
        'È' | 'É' | 'Ê' | 'Ë' => ascii('E'),
        'ì' | 'í' | 'î' | 'ï' => ascii('i'),
        'Ì' | 'Í' | 'Î' | 'Ï' => ascii('I'),
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' => ascii('o'),
        'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' | 'Ø' => ascii('O'),
        'ù' | 'ú' | 'û' | 'ü' => ascii('u'),
        'Ù' | 'Ú' | 'Û' | 'Ü' => ascii('U'),
        'ç' => ascii('c'),
        'Ç' => ascii('C'),
        'ñ' => ascii('n'),
        'Ñ' => ascii('N'),
        'ÿ' | 'ý' => ascii('y'),
        'ß' => 611,
        'æ' => 889,
        'Æ' | 'Œ' => 1000,
        'œ' => 944,
        '’' | '‘' | '‚' => 222,
        '“' | '”' | '„' => 333,
        '«' | '»' => 556,
        '‹' | '›' => 333,
        '–' => 556,
        '—' | '…' | '‰' => 1000,
        '€' => 556,
        '°' => 400,
        '•' => 350,
        '·' => 278,
        _ => 556,
    }
}

/// Width of `text` in points at `size`.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    text.chars()
        .map(|c| char_width(c, bold) as f32)
        .sum::<f32>()
        * size
        / 1000.0
}

/// Encodes text in WinAnsi (the standard fonts' encoding). Characters outside it become `?`;
/// the tests check every character the three languages and Swiss addresses need stays itself.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match substitute(c) {
            c @ ' '..='~' => c as u8,
            c @ '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '‚' => 0x82,
            'ƒ' => 0x83,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            'ˆ' => 0x88,
            '‰' => 0x89,
            'Š' => 0x8a,
            '‹' => 0x8b,
            'Œ' => 0x8c,
            'Ž' => 0x8e,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '˜' => 0x98,
            '™' => 0x99,
            'š' => 0x9a,
            '›' => 0x9b,
            'œ' => 0x9c,
            'ž' => 0x9e,
            'Ÿ' => 0x9f,
            _ => b'?',
        })
        .collect()
}

/// The postal code and town of an address: Swiss addresses as they are ("1700 Fribourg", never
/// "CH-1700"), foreign ones with their country code ("DE-80331 München").
fn postal_line(country: &str, postal_code: &str, town: &str) -> String {
    let line = if country.is_empty() || country == "CH" {
        format!("{postal_code} {town}")
    } else {
        format!("{country}-{postal_code} {town}")
    };
    line.trim().to_owned()
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
    logo: Option<image::Image>,
}

impl Canvas {
    fn new() -> Canvas {
        Canvas {
            pages: Vec::new(),
            current: Content::new(),
            logo: None,
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

    /// Places the logo (when it decodes) with its top-right corner at (`right`, `top`), fitted
    /// into `max_w` × `max_h` millimetres; returns the height used.
    fn logo(
        &mut self,
        bytes: &[u8],
        mime: &str,
        right: f32,
        top: f32,
        max_w: f32,
        max_h: f32,
    ) -> f32 {
        let Some(logo) = image::Image::decode(bytes, mime) else {
            return 0.0;
        };
        let scale = (max_w / logo.width as f32).min(max_h / logo.height as f32);
        let (w, h) = (logo.width as f32 * scale, logo.height as f32 * scale);
        self.current
            .save_state()
            .transform([
                w * MM,
                0.0,
                0.0,
                h * MM,
                (right - w) * MM,
                (PAGE_H - top - h) * MM,
            ])
            .x_object(LOGO)
            .restore_state();
        self.logo = Some(logo);
        h
    }

    fn finish(mut self) -> Vec<u8> {
        self.new_page();
        let count = self.pages.len();
        if count > 1 {
            // "1/3" at the foot of every page of a multi-page document.
            let mut numbered = Vec::with_capacity(count);
            for (i, mut page) in std::mem::take(&mut self.pages).into_iter().enumerate() {
                let label = format!("{}/{count}", i + 1);
                let x = RIGHT - text_width(&label, 8.0, false) / MM;
                page.begin_text()
                    .set_font(REGULAR, 8.0)
                    .next_line(x * MM, 6.0 * MM)
                    .show(Str(label.as_bytes()))
                    .end_text();
                numbered.push(page);
            }
            self.pages = numbered;
        }
        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let logo = Ref::new(5);
        let logo_mask = Ref::new(6);
        let mut next = 7;
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
            let mut resources = p.resources();
            resources.fonts().pair(REGULAR, regular).pair(BOLD, bold);
            if self.logo.is_some() {
                resources.x_objects().pair(LOGO, logo);
            }
            resources.finish();
            p.finish();
            pdf.stream(*stream, data);
        }
        pdf.type1_font(regular)
            .base_font(Name(b"Helvetica"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold)
            .base_font(Name(b"Helvetica-Bold"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        if let Some(img) = &self.logo {
            let mut x = pdf.image_xobject(logo, &img.data);
            x.width(img.width as i32).height(img.height as i32);
            x.bits_per_component(8);
            match img.kind {
                image::Kind::Jpeg { gray } => {
                    x.filter(Filter::DctDecode);
                    if gray {
                        x.color_space().device_gray();
                    } else {
                        x.color_space().device_rgb();
                    }
                }
                image::Kind::Deflated { gray } => {
                    x.filter(Filter::FlateDecode);
                    if gray {
                        x.color_space().device_gray();
                    } else {
                        x.color_space().device_rgb();
                    }
                }
            }
            if img.alpha.is_some() {
                x.s_mask(logo_mask);
            }
            x.finish();
            if let Some(alpha) = &img.alpha {
                let mut m = pdf.image_xobject(logo_mask, alpha);
                m.width(img.width as i32).height(img.height as i32);
                m.bits_per_component(8);
                m.filter(Filter::FlateDecode);
                m.color_space().device_gray();
                m.finish();
            }
        }
        pdf.finish()
    }
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
    fn win_ansi_keeps_every_letter_of_the_three_languages() {
        let needed = "’ « » – — é è ê à â ä ö ü ç ß É È À Ä Ö Ü Ç ï î ô û œ Œ € …";
        assert!(!win_ansi(needed).contains(&b'?'), "{needed}");
        assert_eq!(
            win_ansi("é ü ß €"),
            vec![0xe9, b' ', 0xfc, b' ', 0xdf, b' ', 0x80]
        );
        // The minus sign has no WinAnsi code: it prints as the hyphen-minus, never as `?`.
        assert_eq!(win_ansi("−10%"), b"-10%".to_vec());
        assert_eq!(win_ansi("✂"), vec![b'?']);
    }
}
