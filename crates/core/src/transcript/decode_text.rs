//! Bytes → text: UTF-8 (with or without BOM), UTF-16 LE/BE, UTF-32 LE/BE (with or without
//! BOM), and a Windows-1252 fallback.
//!
//! The decoded text keeps everything the file held, a byte-order mark included (as U+FEFF), so
//! that [`encode`] gives back the original bytes and a stamp corrected in
//! [`Transcript::source`](super::Transcript::source) can be written back in the file's own
//! encoding without touching anything else.

use super::lines::line_of_byte;
use super::{Problem, Severity};

/// Files larger than this (64 MB) are refused before they are read: a ten-hour transcript
/// is under 1 MB, and a file this size is a recording, an archive or a runaway log passed by
/// mistake. Pipes are read up to this many bytes and refused past it.
pub const MAX_BYTES: usize = 64 << 20;

/// Files larger than this get a warning: a ten-hour transcript is well under 1 MB.
pub const LARGE_BYTES: usize = 16 << 20;

/// Lines longer than this (in bytes) get a warning: usually lost line breaks or binary data.
pub const LONG_LINE_BYTES: usize = 64 << 10;

/// Why a file of `len` bytes, over [`MAX_BYTES`], is refused.
pub(crate) fn too_large(len: u64) -> String {
    format!(
        "file is {} MB, over the {} MB limit for a transcript; check that this is the \
         transcript and not a recording or an archive",
        len >> 20,
        MAX_BYTES >> 20
    )
}

/// Decoded text and what was learnt while decoding.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The text, line endings and any byte-order mark kept.
    pub text: String,
    /// Label of the encoding read: `utf-8`, `utf-16le`, `utf-16be`, `utf-32le`, `utf-32be` or
    /// `windows-1252` (labels [`encode`] understands).
    pub encoding: &'static str,
    /// Warnings: invalid bytes replaced, encoding guessed, very long lines.
    pub problems: Vec<Problem>,
}

/// Why bytes are not a text transcript at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotText {
    /// 1-based line where the evidence is (0 for the whole file).
    pub line: usize,
    /// What was found and what to do.
    pub message: String,
}

/// Decodes transcript bytes.
///
/// Order of decisions: a BOM wins; then UTF-16 without BOM (every other byte zero); then NUL
/// bytes or many control characters mean binary data (an error); then UTF-8; then, if the
/// bytes hold valid multi-byte UTF-8 sequences besides the invalid ones, UTF-8 with the bad
/// bytes replaced by U+FFFD (warning `invalid_utf8`); otherwise Windows-1252 (warning
/// `encoding_fallback`), which decodes any byte and gives back the same bytes on encoding.
pub fn decode(bytes: &[u8]) -> Result<Decoded, NotText> {
    if bytes.len() > MAX_BYTES {
        return Err(NotText {
            line: 0,
            message: too_large(bytes.len() as u64),
        });
    }
    let mut problems = Vec::new();
    if bytes.len() > LARGE_BYTES {
        problems.push(warning(
            0,
            "large_file",
            format!(
                "file is {} MB, far more than a transcript usually is; check that it is the \
                 right file",
                bytes.len() >> 20
            ),
            None,
        ));
    }
    // UTF-32 first: its little-endian BOM starts like UTF-16's.
    let (text, encoding) = if let Some(le) = utf32_order(bytes) {
        utf32(bytes, le, &mut problems)
    } else if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        utf8(bytes, &mut problems)
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        (
            utf16(bytes, encoding_rs::UTF_16LE, &mut problems),
            "utf-16le",
        )
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        (
            utf16(bytes, encoding_rs::UTF_16BE, &mut problems),
            "utf-16be",
        )
    } else if let Some(le) = bomless_utf16(bytes) {
        if le {
            (
                utf16(bytes, encoding_rs::UTF_16LE, &mut problems),
                "utf-16le",
            )
        } else {
            (
                utf16(bytes, encoding_rs::UTF_16BE, &mut problems),
                "utf-16be",
            )
        }
    } else {
        check_not_binary(bytes)?;
        utf8(bytes, &mut problems)
    };
    long_lines(&text, &mut problems);
    Ok(Decoded {
        text,
        encoding,
        problems,
    })
}

/// Encodes `text` in `encoding` (a label from [`Decoded::encoding`]); the inverse of
/// [`decode`] for every file it read without replacing bytes. The decoded text keeps a
/// byte-order mark as U+FEFF, so a BOM is written back exactly when the file had one.
///
/// Other labels, case-insensitive and with `_` read as `-`: every WHATWG label
/// `encoding_rs` knows (`utf8`, `utf-16`, `latin1`, ...); a `-bom` / `-sig` / ` with BOM`
/// suffix (`utf-8-bom`, `utf-8-sig`, `UTF-8 with BOM`), and bare `utf-16`, ask for a BOM,
/// written unless the text already starts with one. An unknown label gives UTF-8.
///
/// Characters the encoding cannot hold are written as HTML numeric references by
/// `encoding_rs`; stamps are ASCII, so rewriting them never needs that.
pub fn encode(text: &str, encoding: &str) -> Vec<u8> {
    let label = encoding.trim().to_ascii_lowercase().replace('_', "-");
    let base = label
        .split([' ', '('])
        .next()
        .unwrap_or("")
        .trim_end_matches("-bom")
        .trim_end_matches("-sig");
    let wants_bom = base == "utf-16" || ["bom", "sig"].iter().any(|w| label.contains(w));
    let add_bom = wants_bom && !text.starts_with('\u{feff}');
    if let Some(le) = match base {
        "utf-32le" => Some(true),
        "utf-32be" => Some(false),
        // Bare `utf-32`, like bare `utf-16`, is little-endian with a BOM.
        "utf-32" | "utf32" => Some(true),
        _ => None,
    } {
        let add_bom =
            add_bom || (base != "utf-32le" && base != "utf-32be" && !text.starts_with('\u{feff}'));
        let chars = add_bom
            .then_some('\u{feff}')
            .into_iter()
            .chain(text.chars());
        return if le {
            chars.flat_map(|c| u32::from(c).to_le_bytes()).collect()
        } else {
            chars.flat_map(|c| u32::from(c).to_be_bytes()).collect()
        };
    }
    let enc = encoding_rs::Encoding::for_label(base.as_bytes()).unwrap_or(encoding_rs::UTF_8);
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        let units = add_bom
            .then_some(0xfeff)
            .into_iter()
            .chain(text.encode_utf16());
        if enc == encoding_rs::UTF_16LE {
            units.flat_map(u16::to_le_bytes).collect()
        } else {
            units.flat_map(u16::to_be_bytes).collect()
        }
    } else if enc == encoding_rs::UTF_8 {
        let bom = if add_bom { "\u{feff}" } else { "" };
        [bom.as_bytes(), text.as_bytes()].concat()
    } else {
        enc.encode(text).0.into_owned()
    }
}

fn utf8(bytes: &[u8], problems: &mut Vec<Problem>) -> (String, &'static str) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_owned(), "utf-8");
    }
    let mut multibyte = 0usize;
    let mut invalid = 0usize;
    let mut first_bad = None;
    let mut offset = 0;
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            first_bad.get_or_insert(offset);
            invalid += chunk.invalid().len();
        }
        offset += chunk.invalid().len();
    }
    let line = line_of_byte(bytes, first_bad.unwrap_or(0));
    if multibyte > invalid {
        problems.push(warning(
            line,
            "invalid_utf8",
            format!(
                "{invalid} byte(s) are not valid UTF-8 (the first on this line); they were \
                 replaced by \u{fffd}"
            ),
            Some("re-save the file as UTF-8; `--fix` would write the replacement characters"),
        ));
        (String::from_utf8_lossy(bytes).into_owned(), "utf-8")
    } else {
        problems.push(warning(
            line,
            "encoding_fallback",
            "file is not UTF-8 (the first non-UTF-8 byte is on this line); read as Windows-1252"
                .to_owned(),
            Some("if accented letters look wrong, re-save the file as UTF-8"),
        ));
        let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
        (text.into_owned(), "windows-1252")
    }
}

fn utf16(
    bytes: &[u8],
    encoding: &'static encoding_rs::Encoding,
    problems: &mut Vec<Problem>,
) -> String {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        problems.push(warning(
            0,
            "invalid_utf16",
            format!(
                "file is {} but holds malformed code units (odd length or lone surrogates); \
                 they were replaced by \u{fffd}",
                encoding.name()
            ),
            Some("re-save the file as UTF-8"),
        ));
    }
    text.into_owned()
}

/// `Some(true)` for UTF-32LE, `Some(false)` for UTF-32BE: a UTF-32 BOM, or (without one)
/// at least 90% of the 4-byte units in the first 4 KB are non-zero code points with a zero
/// top byte, which UTF-16 and UTF-8 text never gives (their units mix two characters).
fn utf32_order(bytes: &[u8]) -> Option<bool> {
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Some(true);
    }
    if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Some(false);
    }
    let head = &bytes[..bytes.len().min(4096) & !3];
    if head.len() < 8 {
        return None;
    }
    let units = head.len() / 4;
    let plausible = |v: u32| v != 0 && v <= 0x10FFFF;
    let le = head
        .chunks_exact(4)
        .filter(|u| plausible(u32::from_le_bytes([u[0], u[1], u[2], u[3]])))
        .count();
    let be = head
        .chunks_exact(4)
        .filter(|u| plausible(u32::from_be_bytes([u[0], u[1], u[2], u[3]])))
        .count();
    if le * 10 >= units * 9 {
        Some(true)
    } else if be * 10 >= units * 9 {
        Some(false)
    } else {
        None
    }
}

/// Decodes UTF-32 (a BOM kept as U+FEFF, as for the other encodings); units that are not
/// characters and a cut final unit become U+FFFD with an `invalid_utf32` warning.
fn utf32(bytes: &[u8], le: bool, problems: &mut Vec<Problem>) -> (String, &'static str) {
    let mut text = String::with_capacity(bytes.len() / 4);
    let mut bad = 0usize;
    for u in bytes.chunks(4) {
        let c = match <[u8; 4]>::try_from(u) {
            Ok(u) if le => char::from_u32(u32::from_le_bytes(u)),
            Ok(u) => char::from_u32(u32::from_be_bytes(u)),
            Err(_) => None,
        };
        text.push(c.unwrap_or_else(|| {
            bad += 1;
            '\u{fffd}'
        }));
    }
    let label = if le { "utf-32le" } else { "utf-32be" };
    if bad > 0 {
        problems.push(warning(
            0,
            "invalid_utf32",
            format!(
                "file is {label} but {bad} unit(s) are not characters (or the file is cut \
                 mid-character); they were replaced by \u{fffd}"
            ),
            Some("re-save the file as UTF-8"),
        ));
    }
    (text, label)
}

/// `Some(true)` for UTF-16LE, `Some(false)` for UTF-16BE, judged from the first 4 KB: text
/// in a Latin script has a zero in every other byte.
fn bomless_utf16(bytes: &[u8]) -> Option<bool> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let zero_odd = head
        .chunks_exact(2)
        .filter(|p| p[1] == 0 && p[0] != 0)
        .count();
    let zero_even = head
        .chunks_exact(2)
        .filter(|p| p[0] == 0 && p[1] != 0)
        .count();
    if zero_odd * 10 >= pairs * 9 {
        Some(true)
    } else if zero_even * 10 >= pairs * 9 {
        Some(false)
    } else {
        None
    }
}

/// What a binary file should have been: every format `read` takes.
const TEXT_FORMATS: &str = "a transcript must be text: plain text, a block or inline \
                            transcript, SRT, WebVTT, talign JSON, a Praat TextGrid saved as \
                            text, an ELAN .eaf, an ASS/SSA script or an oTranscribe .otr";

/// NUL bytes, or more than 10% control characters in the first 64 KB, mean binary data.
fn check_not_binary(bytes: &[u8]) -> Result<(), NotText> {
    if let Some(i) = bytes.iter().position(|&b| b == 0) {
        return Err(NotText {
            line: line_of_byte(bytes, i),
            message: format!("binary data (a NUL byte) on this line; {TEXT_FORMATS}"),
        });
    }
    let head = &bytes[..bytes.len().min(64 << 10)];
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    if control * 10 > head.len() {
        return Err(NotText {
            line: 0,
            message: format!("binary data (many control characters); {TEXT_FORMATS}"),
        });
    }
    Ok(())
}

fn long_lines(text: &str, problems: &mut Vec<Problem>) {
    for line in super::lines::lines(text) {
        if line.text.len() > LONG_LINE_BYTES {
            problems.push(warning(
                line.number,
                "long_line",
                format!("line is {} bytes long", line.text.len()),
                Some("check the line endings: a whole file on one line is often lost line breaks"),
            ));
        }
    }
}

fn warning(line: usize, kind: &str, message: String, suggestion: Option<&str>) -> Problem {
    Problem {
        line,
        kind: kind.to_owned(),
        message,
        suggestion: suggestion.map(str::to_owned),
        severity: Severity::Warning,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(bytes: &[u8], encoding: &str) -> Decoded {
        let d = decode(bytes).unwrap();
        assert_eq!(d.encoding, encoding);
        assert_eq!(
            encode(&d.text, d.encoding),
            bytes,
            "round trip in {encoding}"
        );
        d
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let d = round_trip("Kerry\n[01:55]\ncafé\n".as_bytes(), "utf-8");
        assert!(d.problems.is_empty());
        let d = round_trip(b"\xEF\xBB\xBFKerry\r\n", "utf-8");
        assert!(d.text.starts_with('\u{feff}'));
    }

    #[test]
    fn encode_labels_and_boms() {
        let text = "Kerry\r\n[01:55] café\r\n";
        assert_eq!(encode(text, "utf-8"), text.as_bytes());
        assert_eq!(encode(text, "UTF8"), text.as_bytes());
        assert_eq!(encode(text, "UTF-8 with BOM")[..3], *b"\xef\xbb\xbf");
        assert_eq!(encode(text, "utf_8_sig").len(), text.len() + 3);
        assert_eq!(encode(text, "utf-8-bom").len(), text.len() + 3);
        // As decoded: a BOM only when the text holds one.
        assert_eq!(&encode(text, "utf-16le")[..4], &[b'K', 0, b'e', 0]);
        assert_eq!(&encode(text, "UTF-16BE")[..4], &[0, b'K', 0, b'e']);
        // Asked for: never doubled.
        assert_eq!(&encode(text, "utf-16")[..4], &[0xff, 0xfe, b'K', 0]);
        assert_eq!(&encode(text, "utf-16be-bom")[..4], &[0xfe, 0xff, 0, b'K']);
        let with_bom = "\u{feff}hi";
        assert_eq!(encode(with_bom, "utf-16"), [0xff, 0xfe, b'h', 0, b'i', 0]);
        assert_eq!(encode(with_bom, "utf-8-bom"), with_bom.as_bytes());
        let w = encode(text, "windows-1252");
        assert_eq!(w.len(), text.chars().count());
        assert!(w.contains(&0xe9));
        assert_eq!(encode(text, "latin1"), w);
        assert_eq!(encode(text, "no-such-encoding"), text.as_bytes());
        assert_eq!(encode(text, ""), text.as_bytes());
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        let text = "\u{feff}Kerry\r\n[01:55]\r\ncafé\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(round_trip(&le, "utf-16le").text, text);
        assert_eq!(round_trip(&be, "utf-16be").text, text);
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let text = "Kerry\n[01:55]\nI understand\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(round_trip(&le, "utf-16le").text, text);
    }

    #[test]
    fn utf32_both_orders_with_and_without_bom() {
        let text = "Kerry\n[01:55]\nI understand, café ✓ 😀\n";
        for bom in ["", "\u{feff}"] {
            let full = format!("{bom}{text}");
            let le: Vec<u8> = full
                .chars()
                .flat_map(|c| u32::from(c).to_le_bytes())
                .collect();
            let be: Vec<u8> = full
                .chars()
                .flat_map(|c| u32::from(c).to_be_bytes())
                .collect();
            let d = round_trip(&le, "utf-32le");
            assert_eq!(d.text, full);
            assert!(d.problems.is_empty());
            assert_eq!(round_trip(&be, "utf-32be").text, full);
        }
        assert_eq!(
            &encode("hi", "utf-32")[..8],
            &[0xff, 0xfe, 0, 0, b'h', 0, 0, 0]
        );
        assert_eq!(&encode("hi", "UTF-32BE")[..4], &[0, 0, 0, b'h']);
    }

    #[test]
    fn cut_or_impossible_utf32_is_replaced_with_a_warning() {
        let mut bytes = vec![
            0xFF, 0xFE, 0, 0, b'h', 0, 0, 0, 0, 0, 0x11, 0, b'i', 0, 0, 0,
        ];
        bytes.extend([b'x', 0]);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "utf-32le");
        assert_eq!(d.text, "\u{feff}h\u{fffd}i\u{fffd}");
        assert_eq!(d.problems[0].kind, "invalid_utf32");
    }

    #[test]
    fn odd_length_utf16_is_replaced_with_a_warning() {
        let d = decode(b"\xFF\xFEK\x00e").unwrap();
        assert_eq!(d.problems[0].kind, "invalid_utf16");
    }

    #[test]
    fn latin1_falls_back_to_windows_1252_and_round_trips() {
        let d = round_trip(b"Kerry\n\nCaf\xe9 \x93quoted\x94 \x81\n", "windows-1252");
        assert!(d.text.contains("Café \u{201c}quoted\u{201d}"));
        assert_eq!(d.problems[0].kind, "encoding_fallback");
        assert_eq!(d.problems[0].line, 3);
    }

    #[test]
    fn stray_bad_byte_in_utf8_is_replaced_with_its_line() {
        let d = decode("é\nü\nbad \u{ff}"[..].as_bytes()).unwrap();
        assert!(d.problems.is_empty());
        let mut bytes = "é\r\nü\r\nbad ".as_bytes().to_vec();
        bytes.push(0xFF);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "utf-8");
        assert_eq!(d.problems[0].kind, "invalid_utf8");
        assert_eq!(d.problems[0].line, 3);
        assert!(d.text.ends_with("bad \u{fffd}"));
    }

    #[test]
    fn binary_is_refused_with_its_line() {
        let e = decode(b"Kerry\n\n\x00\x01\x02").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("binary"));
        let e = decode(&[1u8, 2, 3, 4, 5, 6, 7, 8, b'a']).unwrap_err();
        assert_eq!(e.line, 0);
    }

    #[test]
    fn long_lines_are_reported() {
        let text = format!("a\n{}\n", "x".repeat(LONG_LINE_BYTES + 1));
        let d = decode(text.as_bytes()).unwrap();
        assert_eq!(d.problems[0].kind, "long_line");
        assert_eq!(d.problems[0].line, 2);
    }
}
