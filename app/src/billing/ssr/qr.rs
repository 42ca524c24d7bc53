//! The Swiss QR code: error correction M, 46 × 46 mm, with the Swiss cross in the middle.

use qrcode::{Color, EcLevel, QrCode};

use crate::domain::qrbill::{QrBill, QrBillError};
use crate::error::AppError;

/// Size of the code on paper, in millimetres (without quiet zone).
pub const SIZE_MM: f64 = 46.0;
/// Size of the Swiss cross square, in millimetres.
pub const CROSS_MM: f64 = 7.0;

/// The code's modules: `width × width`, `true` for dark.
pub struct Modules {
    /// Modules per side.
    pub width: usize,
    /// Row-major dark flags.
    pub dark: Vec<bool>,
}

/// Encodes the bill's payload.
pub fn modules(bill: &QrBill) -> Result<Modules, AppError> {
    let payload = bill.payload().map_err(|e: QrBillError| {
        tracing::error!(error = %e, "invalid QR-bill");
        AppError::Conflict
    })?;
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|_| AppError::Internal)?;
    Ok(Modules {
        width: code.width(),
        dark: code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect(),
    })
}

/// The Swiss cross as rectangles `(x, y, w, h, dark)` in millimetres, relative to the code's
/// top-left corner: a white frame, a black square, a white cross.
pub fn cross() -> [(f64, f64, f64, f64, bool); 4] {
    let c = (SIZE_MM - CROSS_MM) / 2.0;
    let inner = CROSS_MM - 1.0;
    let i = c + 0.5;
    let arm_long = inner * 0.6;
    let arm_short = inner * 0.19;
    let mid = SIZE_MM / 2.0;
    [
        (c, c, CROSS_MM, CROSS_MM, false),
        (i, i, inner, inner, true),
        (
            mid - arm_short / 2.0,
            mid - arm_long / 2.0,
            arm_short,
            arm_long,
            false,
        ),
        (
            mid - arm_long / 2.0,
            mid - arm_short / 2.0,
            arm_long,
            arm_short,
            false,
        ),
    ]
}

/// The code as an SVG document (for the payment page), 46 mm wide.
pub fn svg(bill: &QrBill) -> Result<String, AppError> {
    let m = modules(bill)?;
    let unit = SIZE_MM / m.width as f64;
    let mut path = String::new();
    for y in 0..m.width {
        for x in 0..m.width {
            if m.dark[y * m.width + x] {
                path.push_str(&format!(
                    "M{:.3} {:.3}h{unit:.3}v{unit:.3}h-{unit:.3}z",
                    x as f64 * unit,
                    y as f64 * unit
                ));
            }
        }
    }
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE_MM} {SIZE_MM}" width="46mm" height="46mm" role="img" aria-label="Swiss QR Code"><rect width="{SIZE_MM}" height="{SIZE_MM}" fill="#fff"/><path fill="#000" d="{path}"/>"##
    );
    for (x, y, w, h, dark) in cross() {
        svg.push_str(&format!(
            r#"<rect x="{x:.3}" y="{y:.3}" width="{w:.3}" height="{h:.3}" fill="{}"/>"#,
            if dark { "#000" } else { "#fff" }
        ));
    }
    svg.push_str("</svg>");
    Ok(svg)
}
