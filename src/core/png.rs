//! A PNG writer for the diagram's PNG export: the browser draws the picture, the analysis worker
//! encodes its pixels here, off the page's thread and faster than the browser's own encoder
//! (`canvas.toBlob` compresses hard: about 1.2 s for the typical plan's 2.4 million pixels).
//!
//! Rows are stored unfiltered and deflated at a fast level: a diagram is mostly flat colour, which
//! deflate's matches already shrink well.

use std::fmt;

/// Deflate level: fast; a diagram's flat areas compress well at any level.
const LEVEL: u8 = 1;

/// Why pixels could not be written as a PNG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PngError {
    /// A width or height of zero, or one past what a PNG holds.
    Size { width: u32, height: u32 },
    /// The pixel buffer is not `width × height × 4` bytes of RGBA.
    Length { expected: u64, got: usize },
}

impl fmt::Display for PngError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PngError::Size { width, height } => write!(f, "a picture of {width} × {height} pixels cannot be a PNG"),
            PngError::Length { expected, got } => write!(f, "the picture has {got} bytes of pixels, not {expected}"),
        }
    }
}

/// The PNG file of `width × height` pixels given as RGBA bytes, row by row (as `ImageData` holds them).
pub fn encode_rgba(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<u8>, PngError> {
    if width == 0 || height == 0 || width > i32::MAX as u32 || height > i32::MAX as u32 {
        return Err(PngError::Size { width, height });
    }
    let row = width as usize * 4;
    let expected = row as u64 * height as u64;
    if rgba.len() as u64 != expected {
        return Err(PngError::Length { expected, got: rgba.len() });
    }
    // Each row starts with its filter type: 0, none.
    let mut raw = Vec::with_capacity(rgba.len() + height as usize);
    for line in rgba.chunks_exact(row) {
        raw.push(0);
        raw.extend_from_slice(line);
    }
    let data = miniz_oxide::deflate::compress_to_vec_zlib(&raw, LEVEL);
    drop(raw);

    let mut out = Vec::with_capacity(data.len() + 64);
    out.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    // 8 bits per channel, colour type 6 (RGBA), deflate, adaptive filtering, no interlace.
    header.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &data);
    chunk(&mut out, b"IEND", &[]);
    Ok(out)
}

/// Appends one chunk: length, type, data, and the CRC of type and data.
fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(crc32(!0, kind), data);
    out.extend_from_slice(&(!crc).to_be_bytes());
}

/// CRC-32 (ISO 3309, as PNG uses it) continued over `bytes` from `crc` (start with `!0`, finish with `!`).
fn crc32(mut crc: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        crc = CRC_TABLE[((crc ^ b as u32) & 0xff) as usize] ^ (crc >> 8);
    }
    crc
}

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the chunks of a PNG file, checking each CRC.
    fn chunks(png: &[u8]) -> Vec<(String, Vec<u8>)> {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let mut at = 8;
        let mut out = vec![];
        while at < png.len() {
            let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
            let kind = &png[at + 4..at + 8];
            let data = &png[at + 8..at + 8 + len];
            let crc = u32::from_be_bytes(png[at + 8 + len..at + 12 + len].try_into().unwrap());
            assert_eq!(!crc32(crc32(!0, kind), data), crc, "CRC of {}", String::from_utf8_lossy(kind));
            out.push((String::from_utf8_lossy(kind).into_owned(), data.to_vec()));
            at += 12 + len;
        }
        out
    }

    #[test]
    fn crc_is_the_one_png_uses() {
        // The CRC of "IEND" with no data, as every PNG file ends.
        assert_eq!(!crc32(!0, b"IEND"), 0xae42_6082);
        assert_eq!(!crc32(!0, b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn pixels_come_back_from_the_file() {
        let (w, h) = (5u32, 3u32);
        let rgba: Vec<u8> = (0..w * h * 4).map(|i| (i * 7 % 256) as u8).collect();
        let png = encode_rgba(w, h, &rgba).unwrap();
        let parts = chunks(&png);
        let kinds: Vec<&str> = parts.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(kinds, ["IHDR", "IDAT", "IEND"]);
        assert_eq!(parts[0].1, [0, 0, 0, 5, 0, 0, 0, 3, 8, 6, 0, 0, 0]);
        let raw = miniz_oxide::inflate::decompress_to_vec_zlib(&parts[1].1).unwrap();
        let rows: Vec<u8> = raw
            .chunks(1 + 5 * 4)
            .flat_map(|r| {
                assert_eq!(r[0], 0, "filter none");
                r[1..].to_vec()
            })
            .collect();
        assert_eq!(rows, rgba);
    }

    #[test]
    fn wrong_sizes_are_errors_not_panics() {
        assert_eq!(encode_rgba(0, 3, &[]), Err(PngError::Size { width: 0, height: 3 }));
        assert_eq!(encode_rgba(2, 2, &[0; 15]), Err(PngError::Length { expected: 16, got: 15 }));
        assert_eq!(
            encode_rgba(2, 2, &[0; 15]).unwrap_err().to_string(),
            "the picture has 15 bytes of pixels, not 16"
        );
    }
}
