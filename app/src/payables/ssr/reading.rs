//! Reading a supplier bill, in this order, each step recording what it found and how sure it is:
//! 1. the Swiss QR-bill (pages rendered by poppler's `pdftoppm`, the QR code decoded, its payload
//!    parsed and validated); 2. the PDF's own text layer (`pdftotext`); 3. OCR of the page image
//!    when there is no text layer (`tesseract`, French, German, English); 4. a vision model, when
//!    one is configured (an OpenAI-compatible chat-completions endpoint). Nothing is written.

use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::process::Command;

use super::vision::ask_vision;
pub use super::vision::Vision;
use crate::domain::extract::{self, Extracted};
use crate::domain::qrbill::Reference;
use crate::domain::qrpayload::{self, ScannedBill};

/// Largest file read (a photo or a long PDF).
pub const MAX_FILE_BYTES: usize = crate::components::upload::MAX_MB as usize * 1024 * 1024;
/// At most this many pages are looked at for a QR code (it is on the last page of a bill, and
/// bills are short).
const MAX_PAGES: u32 = 6;
/// Pages are rendered to this many pixels on their long side: an A4 page at 300 dpi, and no
/// more whatever size a PDF claims its pages are (a huge page would exhaust the memory).
const PAGE_PIXELS: &str = "3508";
/// Longest any external reader may run.
pub(super) const TOOL_TIMEOUT: Duration = Duration::from_secs(30);

/// Where a value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The Swiss QR-bill.
    Qr,
    /// The PDF's text layer.
    Text,
    /// OCR of the page image.
    Ocr,
    /// A vision model.
    Vision,
}

/// One value read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// What it is: `supplier`, `iban`, `amount`, `currency`, `reference_type`, `reference`,
    /// `message`, `number`, `issue_date`, `due_date`, `vat_number`, `vat_amount`.
    pub name: String,
    /// The value as text (amounts as decimals, dates as `YYYY-MM-DD`).
    pub value: String,
    /// Where it came from.
    pub source: Source,
    /// 0–100.
    pub confidence: u8,
}

/// What a file says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    /// `pdf`, `png` or `jpeg`.
    pub kind: String,
    /// Pages looked at.
    pub pages: u32,
    /// Whether the PDF has a text layer.
    pub text_layer: bool,
    /// Every value read, best source first for each name.
    pub fields: Vec<Field>,
    /// The QR-bill's payload as decoded, when there is one.
    pub qr_payload: Option<String>,
    /// Which steps ran.
    pub steps: Vec<Source>,
    /// Why a step failed (a broken QR payload, OCR not installed…), for the person validating.
    pub notes: Vec<String>,
}

impl Reading {
    /// The best value read for `name`.
    pub fn get(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    fn add(&mut self, name: &str, value: String, source: Source, confidence: u8) {
        if value.trim().is_empty() {
            return;
        }
        match self.fields.iter_mut().find(|f| f.name == name) {
            Some(existing) if existing.confidence >= confidence => {}
            Some(existing) => {
                *existing = Field {
                    name: name.to_owned(),
                    value,
                    source,
                    confidence,
                };
            }
            None => self.fields.push(Field {
                name: name.to_owned(),
                value,
                source,
                confidence,
            }),
        }
    }
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not a PDF, PNG or JPEG.
    #[error("not a PDF, PNG or JPEG file")]
    Unsupported,
    /// Too large.
    #[error("the file is too large")]
    TooLarge,
    /// A reader failed (poppler missing, timeout).
    #[error("{0}")]
    Tool(String),
}

fn kind_of(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpeg")
    } else {
        None
    }
}

/// The MIME type of a supported file.
pub fn mime_of(bytes: &[u8]) -> Option<&'static str> {
    kind_of(bytes).map(|k| match k {
        "pdf" => "application/pdf",
        "png" => "image/png",
        _ => "image/jpeg",
    })
}

async fn run(command: &mut Command) -> Result<std::process::Output, ReadError> {
    let program = command
        .as_std()
        .get_program()
        .to_string_lossy()
        .into_owned();
    let output = tokio::time::timeout(TOOL_TIMEOUT, command.kill_on_drop(true).output())
        .await
        .map_err(|_| ReadError::Tool(format!("{program} took too long")))?
        .map_err(|e| ReadError::Tool(format!("{program} could not run: {e}")))?;
    Ok(output)
}

/// Greyscale pixels of a PGM (`pdftoppm -gray`).
fn read_pgm(bytes: &[u8]) -> Option<(usize, usize, Vec<u8>)> {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes.get(i)?.is_ascii_whitespace() {
            i += 1;
        }
        if bytes[i] == b'#' {
            while *bytes.get(i)? != b'\n' {
                i += 1;
            }
            continue;
        }
        let start = i;
        while !bytes.get(i)?.is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    let (w, h): (usize, usize) = (fields[1].parse().ok()?, fields[2].parse().ok()?);
    let pixels = bytes.get(i + 1..i + 1 + w.checked_mul(h)?)?.to_vec();
    Some((w, h, pixels))
}

/// The payloads of the QR codes in a greyscale image.
fn qr_codes(w: usize, h: usize, pixels: &[u8]) -> Vec<String> {
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    image
        .detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

/// Greyscale pixels of a PNG or JPEG.
fn decode_image(bytes: &[u8]) -> Option<(usize, usize, Vec<u8>)> {
    let image = image::load_from_memory(bytes).ok()?.into_luma8();
    let (w, h) = (image.width() as usize, image.height() as usize);
    Some((w, h, image.into_raw()))
}

/// Reads a bill (the bytes of a PDF, PNG or JPEG). `vision`: the optional fourth step.
pub async fn read(bytes: &[u8], vision: Option<&Vision>) -> Result<Reading, ReadError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge);
    }
    let kind = kind_of(bytes).ok_or(ReadError::Unsupported)?;
    let dir = tempfile::tempdir().map_err(|e| ReadError::Tool(e.to_string()))?;
    let file = dir.path().join(format!("bill.{kind}"));
    tokio::fs::write(&file, bytes)
        .await
        .map_err(|e| ReadError::Tool(e.to_string()))?;
    let mut reading = Reading {
        kind: kind.to_owned(),
        ..Reading::default()
    };

    // 1. The QR-bill.
    reading.steps.push(Source::Qr);
    if kind == "pdf" {
        reading.pages = page_count(&file).await;
    } else {
        reading.pages = 1;
    }
    match find_qr(dir.path(), &file, kind, bytes).await {
        Ok(Some((payload, bill))) => {
            add_qr(&mut reading, &bill);
            reading.qr_payload = Some(payload);
        }
        Ok(None) => {}
        Err(note) => reading.notes.push(note),
    }

    // 2. The text layer, else 3. OCR.
    let mut text = String::new();
    if kind == "pdf" {
        let output = run(Command::new("pdftotext")
            .args(["-layout", "-enc", "UTF-8"])
            .arg(&file)
            .arg("-"))
        .await?;
        text = String::from_utf8_lossy(&output.stdout).into_owned();
        reading.text_layer = text.chars().filter(|c| c.is_alphanumeric()).count() > 40;
    }
    if reading.text_layer {
        reading.steps.push(Source::Text);
        add_extracted(&mut reading, &extract::extract(&text), Source::Text, 0);
    } else {
        reading.steps.push(Source::Ocr);
        match ocr(dir.path(), &file, kind).await {
            Ok(ocr_text) => {
                add_extracted(&mut reading, &extract::extract(&ocr_text), Source::Ocr, 15)
            }
            Err(error) => reading.notes.push(error.to_string()),
        }
    }

    // 4. A vision model, for what is still missing.
    let missing = ["number", "amount", "issue_date"]
        .iter()
        .any(|n| reading.get(n).is_none());
    if let (Some(v), true) = (vision, missing) {
        reading.steps.push(Source::Vision);
        match ask_vision(v, dir.path(), &file, kind).await {
            Ok(found) => {
                for (name, value) in found {
                    reading.add(&name, value, Source::Vision, 60);
                }
            }
            Err(error) => reading.notes.push(error.to_string()),
        }
    }
    Ok(reading)
}

/// The number of pages of a PDF (`pdfinfo`), 0 when it cannot tell.
async fn page_count(file: &Path) -> u32 {
    let Ok(output) = run(Command::new("pdfinfo").arg(file)).await else {
        return 0;
    };
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").and_then(|n| n.trim().parse().ok()))
        .unwrap_or(0)
}

/// The first valid Swiss QR-bill in the file. A PDF's embedded images are tried first (a
/// generated bill embeds its QR code, a scan its page: decoding them at their own resolution is
/// exact and fast); then its pages rendered at 300 dpi (A4), last page first (the payment part ends
/// a bill). `Err`: a QR-bill was found but breaks the guidelines (why, for the person validating).
async fn find_qr(
    dir: &Path,
    file: &Path,
    kind: &str,
    bytes: &[u8],
) -> Result<Option<(String, ScannedBill)>, String> {
    let mut broken = None;
    let mut candidates: Vec<(Vec<u8>, bool)> = Vec::new();
    if kind != "pdf" {
        candidates.push((bytes.to_vec(), false));
    } else {
        let last = MAX_PAGES.to_string();
        let embedded = dir.join("img");
        if run(Command::new("pdfimages")
            .args(["-png", "-l", &last])
            .arg(file)
            .arg(&embedded))
        .await
        .is_ok()
        {
            candidates.extend(
                files_with(dir, "img", "png")
                    .iter()
                    .filter_map(|p| std::fs::read(p).ok())
                    .map(|b| (b, false)),
            );
        }
    }
    for (image, pgm) in candidates {
        if let Some(bill) = first_bill(scan(image, pgm).await, &mut broken) {
            return Ok(Some(bill));
        }
    }
    if kind == "pdf" {
        let output = run(Command::new("pdftoppm")
            .args([
                "-scale-to",
                PAGE_PIXELS,
                "-gray",
                "-l",
                &MAX_PAGES.to_string(),
            ])
            .arg(file)
            .arg(dir.join("page")))
        .await
        .map_err(|e| e.to_string())?;
        if !output.status.success() {
            return Err("the PDF could not be rendered".into());
        }
        for page in files_with(dir, "page", "pgm").iter().rev() {
            let Ok(image) = std::fs::read(page) else {
                continue;
            };
            if let Some(bill) = first_bill(scan(image, true).await, &mut broken) {
                return Ok(Some(bill));
            }
        }
    } else if decode_image(bytes).is_none() {
        return Err("the image could not be decoded".into());
    }
    broken.map_or(Ok(None), Err)
}

/// The first payload that is a valid QR-bill; why the last broken one is broken.
fn first_bill(payloads: Vec<String>, broken: &mut Option<String>) -> Option<(String, ScannedBill)> {
    for payload in payloads {
        match qrpayload::parse(&payload) {
            Ok(bill) => return Some((payload, bill)),
            Err(qrpayload::ScanError::NotQrBill) => {}
            Err(error) => *broken = Some(error.to_string()),
        }
    }
    None
}

/// The QR codes of an image (PNG/JPEG bytes, or a PGM page), decoded off the async threads: a
/// page at 300 dpi is millions of pixels.
async fn scan(image: Vec<u8>, pgm: bool) -> Vec<String> {
    tokio::task::spawn_blocking(move || {
        let decoded = if pgm {
            read_pgm(&image)
        } else {
            decode_image(&image)
        };
        match decoded {
            // A QR-bill's code is 46 mm wide: tiny images (logos, icons) are not it.
            Some((w, h, pixels)) if w.min(h) >= 100 => qr_codes(w, h, &pixels),
            _ => Vec::new(),
        }
    })
    .await
    .unwrap_or_default()
}

/// The files of `dir` named `{prefix}…{.extension}`, in name order.
fn files_with(dir: &Path, prefix: &str, extension: &str) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.extension().is_some_and(|e| e == extension)
                        && p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with(prefix))
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

fn add_qr(reading: &mut Reading, bill: &ScannedBill) {
    reading.add("supplier", bill.creditor.name.clone(), Source::Qr, 100);
    reading.add("iban", bill.account.clone(), Source::Qr, 100);
    if let Some(amount) = bill.amount_minor {
        reading.add(
            "amount",
            crate::domain::money::format_plain(amount),
            Source::Qr,
            100,
        );
    }
    reading.add("currency", bill.currency.code().to_owned(), Source::Qr, 100);
    let (kind, reference) = match &bill.reference {
        Reference::Qrr(r) => ("QRR", r.clone()),
        Reference::Scor(r) => ("SCOR", r.clone()),
        Reference::None => ("NON", String::new()),
    };
    reading.add("reference_type", kind.to_owned(), Source::Qr, 100);
    reading.add("reference", reference, Source::Qr, 100);
    reading.add("message", bill.message.clone(), Source::Qr, 100);
    reading.add(
        "bill_information",
        bill.bill_information.clone(),
        Source::Qr,
        100,
    );
}

fn add_extracted(reading: &mut Reading, e: &Extracted, source: Source, penalty: u8) {
    let c = |confidence: u8| confidence.saturating_sub(penalty);
    if let Some(f) = &e.number {
        reading.add("number", f.value.clone(), source, c(f.confidence));
    }
    if let Some(f) = &e.issue_date {
        reading.add("issue_date", f.value.to_string(), source, c(f.confidence));
    }
    if let Some(f) = &e.due_date {
        reading.add("due_date", f.value.to_string(), source, c(f.confidence));
    }
    if let Some(f) = &e.total_minor {
        reading.add(
            "amount",
            crate::domain::money::format_plain(f.value),
            source,
            c(f.confidence),
        );
    }
    if let Some(f) = &e.currency {
        reading.add("currency", f.value.clone(), source, c(f.confidence));
    }
    if let Some(f) = &e.vat_minor {
        reading.add(
            "vat_amount",
            crate::domain::money::format_plain(f.value),
            source,
            c(f.confidence),
        );
    }
    if let Some(f) = &e.vat_number {
        reading.add("vat_number", f.value.clone(), source, c(f.confidence));
    }
    if let Some(f) = &e.iban {
        reading.add("iban", f.value.clone(), source, c(f.confidence));
    }
}

/// A small photo or screenshot enlarged for OCR (tesseract reads letters about 30 pixels high
/// best; a 800-pixel-wide invoice has them at 10); `None` when it is large enough already.
fn upscaled(dir: &Path, file: &Path) -> Option<std::path::PathBuf> {
    const WIDTH: u32 = 2000;
    let image = image::open(file).ok()?;
    let (w, h) = (image.width(), image.height());
    if w >= 1500 || w == 0 {
        return None;
    }
    let factor = (WIDTH / w).clamp(2, 3);
    let bigger = image::imageops::resize(
        &image.into_luma8(),
        w * factor,
        h * factor,
        image::imageops::FilterType::CatmullRom,
    );
    let path = dir.join("ocr-upscaled.png");
    bigger.save(&path).ok()?;
    Some(path)
}

/// The first page as an image for OCR and vision: the image itself, or the PDF's first page at
/// 300 dpi.
pub(super) async fn page_image(
    dir: &Path,
    file: &Path,
    kind: &str,
) -> Result<std::path::PathBuf, ReadError> {
    if kind != "pdf" {
        let (dir, file) = (dir.to_path_buf(), file.to_path_buf());
        let fallback = file.clone();
        let bigger = tokio::task::spawn_blocking(move || upscaled(&dir, &file))
            .await
            .ok()
            .flatten();
        return Ok(bigger.unwrap_or(fallback));
    }
    let prefix = dir.join("ocr");
    let output = run(Command::new("pdftoppm")
        .args([
            "-scale-to",
            PAGE_PIXELS,
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
        ])
        .arg(file)
        .arg(&prefix))
    .await?;
    if !output.status.success() {
        return Err(ReadError::Tool(
            "the PDF could not be rendered for OCR".into(),
        ));
    }
    Ok(dir.join("ocr.png"))
}

async fn ocr(dir: &Path, file: &Path, kind: &str) -> Result<String, ReadError> {
    let image = page_image(dir, file, kind).await?;
    // One thread: on a small machine OpenMP's threads fight the server's for the cores.
    let output = run(Command::new("tesseract")
        .env("OMP_THREAD_LIMIT", "1")
        .arg(&image)
        .arg("stdout")
        .args(["-l", "fra+deu+eng", "--psm", "4"]))
    .await?;
    if !output.status.success() {
        return Err(ReadError::Tool(format!(
            "OCR failed: {}",
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .next()
                .unwrap_or_default()
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
