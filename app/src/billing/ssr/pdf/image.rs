//! The company logo as a PDF image: JPEG passes through as it is (DCT), PNG is decoded and
//! deflated again (with its transparency as a soft mask). Also the check run on upload.

use std::io::Write;

/// How the image data is encoded.
pub(super) enum Kind {
    /// JPEG bytes, unchanged.
    Jpeg {
        /// One component rather than three.
        gray: bool,
    },
    /// Raw 8-bit samples, zlib-deflated.
    Deflated {
        /// One component rather than three.
        gray: bool,
    },
}

/// A decoded logo, ready to embed.
pub(super) struct Image {
    pub(super) width: u32,
    pub(super) height: u32,
    pub(super) kind: Kind,
    pub(super) data: Vec<u8>,
    /// Deflated 8-bit alpha, when the PNG has transparency.
    pub(super) alpha: Option<Vec<u8>>,
}

/// Width, height and components of a baseline or progressive JPEG (from its SOF segment).
fn jpeg_header(bytes: &[u8]) -> Option<(u32, u32, u8)> {
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        let length = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let seg = bytes.get(i + 4..i + 2 + length)?;
            let height = u16::from_be_bytes([*seg.get(1)?, *seg.get(2)?]) as u32;
            let width = u16::from_be_bytes([*seg.get(3)?, *seg.get(4)?]) as u32;
            return Some((width, height, *seg.get(5)?));
        }
        i += 2 + length;
    }
    None
}

fn deflate(data: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).ok()?;
    encoder.finish().ok()
}

impl Image {
    /// Decodes `bytes` of type `mime` (`image/png` or `image/jpeg`); `None` when they are not a
    /// usable image of that type.
    pub(super) fn decode(bytes: &[u8], mime: &str) -> Option<Image> {
        match mime {
            "image/jpeg" => {
                let (width, height, components) = jpeg_header(bytes)?;
                if width == 0 || height == 0 || !matches!(components, 1 | 3) {
                    return None;
                }
                Some(Image {
                    width,
                    height,
                    kind: Kind::Jpeg {
                        gray: components == 1,
                    },
                    data: bytes.to_vec(),
                    alpha: None,
                })
            }
            "image/png" => {
                let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
                decoder.set_transformations(png::Transformations::normalize_to_color8());
                let mut reader = decoder.read_info().ok()?;
                let mut buf = vec![0; reader.output_buffer_size()?];
                let frame = reader.next_frame(&mut buf).ok()?;
                let pixels = &buf[..frame.buffer_size()];
                let (gray, channels) = match frame.color_type {
                    png::ColorType::Grayscale => (true, 1),
                    png::ColorType::GrayscaleAlpha => (true, 2),
                    png::ColorType::Rgb => (false, 3),
                    png::ColorType::Rgba => (false, 4),
                    png::ColorType::Indexed => return None,
                };
                let colour_channels = if gray { 1 } else { 3 };
                let (colour, alpha) = if channels > colour_channels {
                    let mut colour = Vec::with_capacity(pixels.len());
                    let mut alpha = Vec::with_capacity(pixels.len() / channels);
                    for px in pixels.chunks_exact(channels) {
                        colour.extend_from_slice(&px[..colour_channels]);
                        alpha.push(px[colour_channels]);
                    }
                    (colour, Some(alpha))
                } else {
                    (pixels.to_vec(), None)
                };
                Some(Image {
                    width: frame.width,
                    height: frame.height,
                    kind: Kind::Deflated { gray },
                    data: deflate(&colour)?,
                    alpha: match alpha {
                        Some(a) => Some(deflate(&a)?),
                        None => None,
                    },
                })
            }
            _ => None,
        }
    }
}

/// Whether `bytes` are a PNG or JPEG logo the documents can print (checked on upload).
pub fn printable(bytes: &[u8], mime: &str) -> bool {
    Image::decode(bytes, mime).is_some_and(|i| i.width <= 4096 && i.height <= 4096)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(color: png::ColorType, px: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, 2, 1);
            encoder.set_color(color);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().unwrap();
            writer.write_image_data(px).unwrap();
        }
        out
    }

    #[test]
    fn pngs_with_and_without_transparency() {
        let rgb = png(png::ColorType::Rgb, &[255, 0, 0, 0, 0, 255]);
        let img = Image::decode(&rgb, "image/png").unwrap();
        assert_eq!((img.width, img.height), (2, 1));
        assert!(img.alpha.is_none());
        let rgba = png(png::ColorType::Rgba, &[255, 0, 0, 255, 0, 0, 255, 0]);
        assert!(Image::decode(&rgba, "image/png").unwrap().alpha.is_some());
        assert!(printable(&rgba, "image/png"));
        assert!(
            !printable(&rgba, "image/jpeg"),
            "the type must match the bytes"
        );
        assert!(!printable(b"GIF89a....", "image/png"));
    }

    #[test]
    fn jpeg_dimensions_come_from_the_frame_header() {
        // SOI, an APP0 segment, then SOF0: 8 bits, 3 × 5 px, 3 components.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00];
        jpeg.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 8, 0, 5, 0, 3, 3]);
        jpeg.extend_from_slice(&[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        assert_eq!(jpeg_header(&jpeg), Some((3, 5, 3)));
        assert!(printable(&jpeg, "image/jpeg"));
        assert_eq!(jpeg_header(&[0xFF, 0xD8, 0xFF]), None);
        assert_eq!(jpeg_header(b"not a jpeg"), None);
    }
}
