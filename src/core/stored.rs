//! The copy of a plan kept in browser storage: the plan file, compressed and packed into UTF-16.
//!
//! localStorage holds strings of UTF-16 code units and browsers allow about 5 MB (Firefox, Safari) to
//! 10 MiB (Chromium) per site; the largest plan file is 6.4 M characters. The stored copy is
//!
//! ```text
//! cen-planner:z1:JSON_BYTES:ZLIB_BYTES:PAYLOAD
//! ```
//!
//! - `cen-planner:` says the text is an encoded copy (a plan file starts with `{`, so it never does);
//! - `z1` names the encoding: the plan file's UTF-8 bytes compressed with zlib (deflate with an
//!   Adler-32 checksum), packed 15 bits per character, most significant bit first, each character
//!   `BASE + value` (U+3000 to U+AFFF: never a surrogate, a control or a noncharacter, so every
//!   browser stores it unchanged); the last character is padded with zero bits;
//! - `JSON_BYTES` and `ZLIB_BYTES` are the lengths (decimal) of the plan file and of the zlib data.
//!
//! A text without the prefix is read as a plan file as it is: copies saved before this encoding still
//! load. A known prefix with another encoding name is refused as from a newer version. Every damage
//! (a wrong character, a cut, a changed length, a bad checksum) is a [`DecodeError`], never a panic.
//! The exported plan file stays the plain JSON of `format::to_json`.

use super::format::{self, LoadError, MAX_FILE_BYTES};
use super::model::Plan;
use std::borrow::Cow;
use std::fmt;

/// What every encoded copy starts with.
pub const PREFIX: &str = "cen-planner:";
/// The name of the encoding this build writes.
pub const ENCODING: &str = "z1";
/// The first character of the packed payload: value `v` (0..2^15) is the character `BASE + v`.
const BASE: u32 = 0x3000;
/// Bits per character.
const BITS: u32 = 15;
/// The compression level: 1 (fastest) to 9 (smallest). Level 1 already keeps the largest plan at a
/// quarter of the 1.2 M-unit budget and compresses 6× faster than level 6 (`docs/performance.md`):
/// saving runs on the main thread, so speed wins.
const LEVEL: u8 = 1;
/// The largest ratio deflate can reach (258 bytes from one 2-bit code, about 1032:1).
const MAX_RATIO: usize = 1032;

/// Why a stored copy cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The copy names an encoding this build does not know (saved by a newer version).
    UnknownEncoding(String),
    /// The header (`cen-planner:z1:N:M:`) is cut or its lengths are not numbers that fit.
    Header,
    /// The payload holds a character outside the encoding, at this character offset of the payload.
    Character(usize),
    /// The payload has another number of characters than its header says (it was cut or extended).
    Length { expected: usize, found: usize },
    /// The zlib data does not decompress (a damaged stream or checksum), with the decompressor's word.
    Inflate(String),
    /// The decompressed text has another length than the header says, or is not UTF-8.
    Content,
    /// The plan file inside is larger than any plan file is read (`format::MAX_FILE_BYTES`).
    TooLarge(usize),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::UnknownEncoding(name) => write!(
                f,
                "it is stored in an encoding this CEN Planner does not know (\"{name}\"), probably by a newer version"
            ),
            DecodeError::Header => write!(f, "the compressed copy is damaged: its header is cut or garbled"),
            DecodeError::Character(at) => {
                write!(
                    f,
                    "the compressed copy is damaged: character {at} of its data is not part of the encoding"
                )
            }
            DecodeError::Length { expected, found } => write!(
                f,
                "the compressed copy is damaged: it has {found} characters of data where its header says {expected}"
            ),
            DecodeError::Inflate(why) => write!(f, "the compressed copy is damaged: it does not decompress ({why})"),
            DecodeError::Content => write!(
                f,
                "the compressed copy is damaged: what it decompresses to is not the plan file it announces"
            ),
            DecodeError::TooLarge(len) => {
                write!(
                    f,
                    "it holds a plan file of {len} bytes; plan files are limited to {} MB",
                    format::MAX_FILE_MB
                )
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// Why a stored copy cannot be read as a plan.
#[derive(Debug, Clone)]
pub enum ReadError {
    /// The encoded copy is damaged or from a newer version.
    Decode(DecodeError),
    /// The plan file inside (or the plain copy) cannot be read.
    Load(LoadError),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Decode(e) => e.fmt(f),
            ReadError::Load(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ReadError {}

/// The stored copy of a plan: its plan file, encoded.
pub fn write(plan: &Plan) -> String {
    encode(&format::to_json(plan))
}

/// Reads a stored copy: an encoded one, or a plain plan file (as saved before the encoding existed).
pub fn read(stored: &str) -> Result<Plan, ReadError> {
    let text = decode(stored).map_err(ReadError::Decode)?;
    format::from_json(&text).map_err(ReadError::Load)
}

/// Whether a stored text is an encoded copy (of any encoding, known or not) rather than a plain plan file.
pub fn is_encoded(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

/// Encodes a text (a plan file) as a stored copy.
pub fn encode(text: &str) -> String {
    let zlib = miniz_oxide::deflate::compress_to_vec_zlib(text.as_bytes(), LEVEL);
    let header = format!("{PREFIX}{ENCODING}:{}:{}:", text.len(), zlib.len());
    let mut out = String::with_capacity(header.len() + units_for(zlib.len()) * 3);
    out.push_str(&header);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &byte in &zlib {
        acc = (acc << 8) | u32::from(byte);
        bits += 8;
        if bits >= BITS {
            bits -= BITS;
            out.push(unit((acc >> bits) & 0x7FFF));
            acc &= (1 << bits) - 1;
        }
    }
    if bits > 0 {
        out.push(unit((acc << (BITS - bits)) & 0x7FFF));
    }
    out
}

/// Decodes a stored copy to its text: an encoded copy is unpacked and decompressed, any other text
/// (a plain plan file) is returned as it is.
pub fn decode(stored: &str) -> Result<Cow<'_, str>, DecodeError> {
    let Some(rest) = stored.strip_prefix(PREFIX) else {
        return Ok(Cow::Borrowed(stored));
    };
    let mut parts = rest.splitn(4, ':');
    let name = parts.next().unwrap_or_default();
    if name != ENCODING {
        // A newer encoding's name is short and plain; anything else is a damaged header.
        let plain = !name.is_empty() && name.len() <= 16 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        return Err(if plain {
            DecodeError::UnknownEncoding(name.to_string())
        } else {
            DecodeError::Header
        });
    }
    let number = |s: Option<&str>| -> Result<usize, DecodeError> {
        let s = s.ok_or(DecodeError::Header)?;
        if s.is_empty() || s.len() > 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DecodeError::Header);
        }
        s.parse().map_err(|_| DecodeError::Header)
    };
    let json_len = number(parts.next())?;
    let zlib_len = number(parts.next())?;
    let payload = parts.next().ok_or(DecodeError::Header)?;
    // Deflate cannot expand data beyond MAX_RATIO; a longer plan file would be refused anyway.
    if json_len > zlib_len.saturating_mul(MAX_RATIO) {
        return Err(DecodeError::Header);
    }
    if json_len > MAX_FILE_BYTES {
        return Err(DecodeError::TooLarge(json_len));
    }
    let expected = units_for(zlib_len);
    let mut zlib = Vec::with_capacity(zlib_len);
    let (mut acc, mut bits, mut found) = (0u32, 0u32, 0usize);
    for (at, c) in payload.chars().enumerate() {
        let v = (c as u32).wrapping_sub(BASE);
        if v > 0x7FFF {
            return Err(DecodeError::Character(at));
        }
        found += 1;
        if found > expected {
            continue;
        }
        acc = (acc << BITS) | v;
        bits += BITS;
        while bits >= 8 && zlib.len() < zlib_len {
            bits -= 8;
            zlib.push((acc >> bits) as u8);
        }
        acc &= (1 << bits) - 1;
    }
    if found != expected {
        return Err(DecodeError::Length { expected, found });
    }
    let mut out = vec![0u8; json_len];
    let written = miniz_oxide::inflate::decompress_slice_iter_to_slice(&mut out, std::iter::once(zlib.as_slice()), true, false)
        .map_err(|status| DecodeError::Inflate(inflate_word(status).into()))?;
    if written != json_len {
        return Err(DecodeError::Content);
    }
    String::from_utf8(out).map(Cow::Owned).map_err(|_| DecodeError::Content)
}

/// Characters needed for `bytes` bytes at 15 bits per character.
fn units_for(bytes: usize) -> usize {
    (bytes * 8).div_ceil(BITS as usize)
}

fn unit(v: u32) -> char {
    // BASE + 0x7FFF = 0xAFFF: below the surrogates, so always a char.
    char::from_u32(BASE + v).unwrap_or('\u{3000}')
}

fn inflate_word(status: miniz_oxide::inflate::TINFLStatus) -> &'static str {
    use miniz_oxide::inflate::TINFLStatus as S;
    match status {
        S::Adler32Mismatch => "its checksum does not match",
        S::FailedCannotMakeProgress | S::NeedsMoreInput => "its data ends early",
        S::HasMoreOutput => "it holds more than its header says",
        _ => "its data is not valid deflate",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::generate::{generate, GenOptions};
    use proptest::prelude::*;

    fn roundtrip(text: &str) {
        let stored = encode(text);
        assert!(is_encoded(&stored));
        assert!(stored.encode_utf16().all(|u| !(0xD800..0xE000).contains(&u)), "no surrogates");
        assert_eq!(decode(&stored).unwrap(), text);
    }

    #[test]
    fn round_trips_empty_short_and_every_padding_length() {
        roundtrip("");
        let text: String = "{\"a\":\"é😀\u{10FFFF}\"}".repeat(20);
        for end in 0..=text.len() {
            if text.is_char_boundary(end) {
                roundtrip(&text[..end]);
            }
        }
    }

    #[test]
    fn the_stored_copy_of_a_generated_plan_reads_back_as_the_same_plan() {
        let plan = generate(&GenOptions::typical());
        let stored = write(&plan);
        let plain = format::to_json(&plan);
        assert!(
            stored.encode_utf16().count() * 5 < plain.len(),
            "{} units for {} bytes",
            stored.encode_utf16().count(),
            plain.len()
        );
        assert_eq!(format::to_json(&read(&stored).unwrap()), plain);
        assert_eq!(
            encode(&plain),
            stored,
            "encoding is deterministic, so an unchanged plan is not saved again"
        );
    }

    #[test]
    fn a_plain_plan_file_is_read_as_it_is() {
        let plain = format::to_json(&generate(&GenOptions::typical()));
        assert!(matches!(decode(&plain), Ok(Cow::Borrowed(_))));
        assert_eq!(format::to_json(&read(&plain).unwrap()), plain);
        assert!(matches!(read("{\"format\":"), Err(ReadError::Load(_))));
    }

    #[test]
    fn a_newer_encoding_is_named_not_taken_for_damage() {
        let e = decode("cen-planner:z2:10:10:abc").unwrap_err();
        assert_eq!(e, DecodeError::UnknownEncoding("z2".into()));
        assert!(e.to_string().contains("newer version"));
    }

    #[test]
    fn a_damaged_header_is_an_error() {
        let good = encode("{\"plan\":1}");
        for bad in [
            "cen-planner:",
            "cen-planner:z1",
            "cen-planner:z1:",
            "cen-planner:z1:10",
            "cen-planner:z1:10:",
            "cen-planner:z1:x:1:",
            "cen-planner:z1:-1:1:",
            "cen-planner:z1:99999999999999999999:1:",
            "cen-planner:z1:1000000:10:",
            "cen-planner:z1:40000000:100000:",
            "cen-planner:\u{3000}:1:1:",
        ] {
            assert!(decode(bad).is_err(), "{bad:?}");
        }
        let other_length = good.replacen(":10:", ":11:", 1);
        assert_eq!(decode(&other_length).unwrap_err(), DecodeError::Content);
        let too_large = decode("cen-planner:z1:40000000:100000:").unwrap_err();
        assert_eq!(too_large, DecodeError::TooLarge(40_000_000));
        assert!(too_large.to_string().contains("limited to 32 MB"));
    }

    #[test]
    fn a_cut_copy_is_an_error_never_a_panic() {
        let plain = format::to_json(&generate(&GenOptions::typical()));
        let stored = encode(&plain);
        let chars: Vec<char> = stored.chars().collect();
        for keep in (0..chars.len()).step_by(97).chain(chars.len() - 3..chars.len()) {
            let cut: String = chars[..keep].iter().collect();
            // Cut inside the prefix, it is no longer an encoded copy, and not a plan file either.
            assert!(read(&cut).is_err(), "cut at {keep}");
            assert!(keep < PREFIX.len() || decode(&cut).is_err(), "cut at {keep}");
        }
        let longer = format!("{stored}\u{3000}");
        assert!(matches!(decode(&longer), Err(DecodeError::Length { .. })));
    }

    #[test]
    fn a_changed_character_is_an_error_or_the_same_text_never_other_text_or_a_panic() {
        // 40 KB of a plan file (debug builds inflate slowly), every third character.
        let plain = format::to_json(&generate(&GenOptions::typical()))[..40_000].to_string();
        let stored = encode(&plain);
        let start = stored.char_indices().filter(|&(_, c)| c == ':').nth(3).unwrap().0 + 1;
        let chars: Vec<char> = stored[start..].chars().collect();
        let (mut refused, mut tried) = (0, 0);
        for at in (0..chars.len()).step_by(3) {
            for flip in [1u32, 0x10, 0x4000] {
                let mut damaged: Vec<char> = chars.clone();
                damaged[at] = char::from_u32(BASE + ((damaged[at] as u32 - BASE) ^ flip)).unwrap();
                let text = format!("{}{}", &stored[..start], damaged.iter().collect::<String>());
                // A few bits are ignored by deflate (padding after a block, the last character's padding):
                // changing one gives the same text. Any other change is refused (the checksum at the latest).
                tried += 1;
                match decode(&text) {
                    Ok(t) => assert_eq!(t, plain, "flip {flip:#x} at {at} gave other text"),
                    Err(_) => refused += 1,
                }
            }
        }
        assert!(refused * 100 >= tried * 99, "{refused} of {tried} changes refused");
        let foreign = format!("{}A{}", &stored[..start], &stored[start + 3..]);
        assert_eq!(decode(&foreign).unwrap_err(), DecodeError::Character(0));
        let replaced = format!("{}\u{FFFD}{}", &stored[..start], &stored[start + 3..]);
        assert_eq!(decode(&replaced).unwrap_err(), DecodeError::Character(0));
    }

    proptest! {
        #[test]
        fn any_text_round_trips(text in any::<String>()) {
            let stored = encode(&text);
            prop_assert!(stored.encode_utf16().all(|u| !(0xD800..0xE000).contains(&u)));
            prop_assert_eq!(decode(&stored).unwrap(), text.as_str());
        }

        #[test]
        fn non_bmp_and_repetitive_text_round_trips(parts in proptest::collection::vec(("[\\u{10000}-\\u{10FFFF}a-z\"{}:,]{0,8}", 0usize..50), 0..40)) {
            let text: String = parts.iter().map(|(s, n)| s.repeat(*n)).collect();
            let stored = encode(&text);
            prop_assert_eq!(decode(&stored).unwrap(), text.as_str());
        }

        #[test]
        fn any_text_after_the_prefix_is_an_error_or_a_text_never_a_panic(rest in any::<String>(), n in 0usize..64, m in 0usize..64) {
            let _ = decode(&format!("{PREFIX}{rest}"));
            let _ = decode(&format!("{PREFIX}{ENCODING}:{n}:{m}:{rest}"));
        }

        #[test]
        fn random_payload_characters_are_an_error_or_a_text_never_a_panic(units in proptest::collection::vec(0u32..0x8000, 0..200), n in 0usize..2000) {
            let payload: String = units.iter().map(|&v| unit(v)).collect();
            let zlib_len = units.len() * 15 / 8;
            let _ = decode(&format!("{PREFIX}{ENCODING}:{n}:{zlib_len}:{payload}"));
        }
    }
}
