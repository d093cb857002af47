//! The review page (`talign review`): one self-contained HTML file to see, hear and fix an
//! alignment in a browser. No network, no server: the page holds the alignment, a loudness
//! envelope of the recording, the stamp check and the transcript's problems; the recording
//! is referred to by a relative path or embedded as a `data:` URL.
//!
//! Everything here is pure: [`Envelope`] is fed decoded samples, [`render`] returns the page
//! text. The page's behaviour lives in `page.js` (drawing only what is visible, editing with
//! undo, saving talign JSON with `corrected` marks), its look in `page.css`.

mod envelope;

pub use envelope::Envelope;

use serde::Serialize;

use crate::drift::DriftReport;
use crate::export::xml::escape;
use crate::report::Alignment;
use crate::transcript::Problem;

/// Turns aligned with less confidence than this are marked, and `n` jumps between them: the
/// threshold of `talign align`'s summary line, [`crate::report::LOW_CONFIDENCE`].
pub use crate::report::LOW_CONFIDENCE;

/// What a review page shows.
#[derive(Debug, Clone)]
pub struct Page<'a> {
    /// The alignment to review (saved back, edited, by the page).
    pub alignment: &'a Alignment,
    /// The recording's loudness over time.
    pub envelope: &'a Envelope,
    /// `talign check`'s report on the stamps (the fit and each stamp's status), when the
    /// transcript could be read.
    pub drift: Option<&'a DriftReport>,
    /// The transcript's problems (`talign lint`), by line.
    pub problems: &'a [Problem],
    /// The `src` of the page's audio element: a path relative to the page, or a `data:` URL.
    pub audio_src: &'a str,
    /// The name the corrected JSON is offered under (`aligned.corrected.json`).
    pub save_name: &'a str,
}

/// The data the page's script reads, as one JSON object.
#[derive(Serialize)]
struct Data<'a> {
    alignment: &'a Alignment,
    envelope: EnvelopeData,
    drift: Option<&'a DriftReport>,
    problems: &'a [Problem],
    low_confidence: f64,
    save_name: &'a str,
}

/// The envelope as the page reads it: bins per second and one byte per bin, base64.
#[derive(Serialize)]
struct EnvelopeData {
    per_second: u32,
    base64: String,
}

/// Renders the page: HTML with the style, the script and the data inline.
///
/// # Panics
///
/// Never for a real page: the data holds only strings, numbers, booleans and sequences.
pub fn render(page: &Page) -> String {
    let data = Data {
        alignment: page.alignment,
        envelope: EnvelopeData {
            per_second: page.envelope.per_second(),
            base64: base64(page.envelope.levels()),
        },
        drift: page.drift,
        problems: page.problems,
        low_confidence: LOW_CONFIDENCE,
        save_name: page.save_name,
    };
    let json = serde_json::to_string(&data).expect("review data always serialises");
    let title = std::path::Path::new(&page.alignment.audio.path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| page.alignment.audio.path.clone());
    fill(
        TEMPLATE,
        &[
            ("{{TITLE}}", &escape(&title)),
            ("{{AUDIO_SRC}}", &escape(page.audio_src)),
            ("/*{{CSS}}*/", CSS),
            ("/*{{JS}}*/", JS),
            ("{{DATA}}", &script_safe(&json)),
        ],
    )
}

/// `template` with each marker replaced by its value, in one pass: a value is never searched
/// for markers (a file named `{{DATA}}` stays a name), and a large one (the embedded
/// recording) is copied once.
fn fill(template: &str, markers: &[(&str, &str)]) -> String {
    let size = template.len() + markers.iter().map(|(_, v)| v.len()).sum::<usize>();
    let mut out = String::with_capacity(size);
    let mut rest = template;
    while let Some((at, marker, value)) = markers
        .iter()
        .filter_map(|&(m, v)| rest.find(m).map(|at| (at, m, v)))
        .min_by_key(|&(at, _, _)| at)
    {
        out.push_str(&rest[..at]);
        out.push_str(value);
        rest = &rest[at + marker.len()..];
    }
    out.push_str(rest);
    out
}

const TEMPLATE: &str = include_str!("page.html");
const CSS: &str = include_str!("page.css");
const JS: &str = include_str!("page.js");

/// JSON that can sit inside `<script type="application/json">`: `<` written as `\u003c`
/// so no `</script>` or `<!--` in a transcript can end or change the element.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// Standard base64 with padding (RFC 4648), for the envelope and an embedded recording.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * k)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The MIME type of a recording by its extension, for a `data:` URL (`audio/mpeg` for
/// `.mp3`); `application/octet-stream` when unknown, which browsers still sniff.
pub fn audio_mime(path: &std::path::Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "flac" => "audio/flac",
        "ogg" | "oga" => "audio/ogg",
        "opus" => "audio/ogg; codecs=opus",
        "webm" => "audio/webm",
        "m4a" | "aac" => "audio/mp4",
        "mp4" | "m4v" | "mov" => "video/mp4",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_in_values_are_not_filled() {
        let page = fill(
            "<t>{{TITLE}}</t><s>{{DATA}}</s>",
            &[("{{TITLE}}", "{{DATA}}"), ("{{DATA}}", "[1]")],
        );
        assert_eq!(page, "<t>{{DATA}}</t><s>[1]</s>");
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain}");
        }
    }

    #[test]
    fn transcript_text_cannot_close_the_data_script() {
        let safe = script_safe(r#"{"text":"</script><script>alert(1)</script><!--"}"#);
        assert!(!safe.contains('<'), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["text"], "</script><script>alert(1)</script><!--");
    }
}
