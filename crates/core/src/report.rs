//! The alignment result as every exporter and `talign check --from` sees it.
//!
//! This is exactly talign's JSON output (documented in `docs/formats.md`): reading it back
//! gives the same structure, so checks can run on a saved alignment without the audio.
//!
//! The JSON carries a `schema` version ([`SCHEMA`]); any change to its shape bumps it.
//! Version 1 had no `schema` field; version 2 added `schema`, `made` (what `talign export`
//! needs to write what `align` wrote) and the turns' `corrected` mark; version 3 the words'
//! `confidence` and `fit`; version 4 the words' `onset_fit` and `pause_fit`. [`read_json`]
//! reads every version up to [`SCHEMA`] and refuses newer ones.

use serde::{Deserialize, Serialize};

use crate::transcript::{StampStatus, TranscriptFormat};

/// The recording that was aligned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AudioInfo {
    /// Path as given by the user.
    pub path: String,
    /// Duration of the decoded audio in seconds.
    #[serde(serialize_with = "crate::time::ms::serialize")]
    pub duration_s: f64,
    /// Sample rate of the source, Hz.
    pub sample_rate: u32,
    /// Channels in the source.
    pub channels: u32,
}

/// The transcript that was aligned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranscriptInfo {
    /// Path as given by the user.
    pub path: String,
    /// The parser used.
    pub format: TranscriptFormat,
}

/// A stamp as stated in the transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatedTime {
    /// Text as written, `null` when missing.
    pub raw: Option<String>,
    /// Seconds, `null` when missing or invalid.
    #[serde(serialize_with = "crate::time::ms::option::serialize")]
    pub seconds: Option<f64>,
    /// ok / invalid / out_of_order / duplicate / missing.
    pub status: StampStatus,
}

/// One word's place in the audio (only with `--words`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordTiming {
    /// The word as written.
    pub word: String,
    /// Start, seconds.
    #[serde(serialize_with = "crate::time::ms::serialize")]
    pub start: f64,
    /// End, seconds.
    #[serde(serialize_with = "crate::time::ms::serialize")]
    pub end: f64,
    /// Probability-like confidence in [0, 1] that `start` is within 0.1 s of the truth, from
    /// the word's fit, length and its turn's confidence (schema 3); 0 for a word heard
    /// outside its turn and moved inside it by more than 0.1 s; absent where the acoustic
    /// model did not time the word.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// The word's goodness of pronunciation where it was placed, as the turn's `fit` (schema
    /// 3); absent where the acoustic model did not time the word.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fit: Option<f64>,
    /// The word's fit over its first 40 ms, where the model's search put its start (schema
    /// 4): a start placed too early or too late fits poorly there. Absent where `fit` is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onset_fit: Option<f64>,
    /// The fit of the pause just before the word over its last 40 ms: the silence model
    /// against the phone loop (schema 4; 0 over a turn's free end, which the phone loop
    /// itself fills). Speech a pause swallowed (an onset masked by noise) fits silence
    /// poorly. Absent where the word follows another directly, or `fit` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pause_fit: Option<f64>,
    /// The word's phones (CMU ARPAbet, as the acoustic model heard them), with `--phones`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phones: Option<Vec<PhoneTiming>>,
}

/// One phone of a word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneTiming {
    /// The phone (`AH`, `L`, ...).
    pub phone: String,
    /// Start, seconds.
    #[serde(serialize_with = "crate::time::ms::serialize")]
    pub start: f64,
    /// End, seconds.
    #[serde(serialize_with = "crate::time::ms::serialize")]
    pub end: f64,
}

/// One turn's place in the audio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurnTiming {
    /// 0-based turn index.
    pub index: usize,
    /// 1-based line of the turn's first line in the transcript.
    pub line: usize,
    /// Normalised speaker, `null` when the transcript has none.
    pub speaker: Option<String>,
    /// Speaker label as written.
    pub speaker_raw: Option<String>,
    /// Text as written.
    pub text: String,
    /// False for turns standing for untranscribed speech.
    pub transcribed: bool,
    /// The stated stamp.
    pub stated: StatedTime,
    /// First speech of the turn, seconds.
    #[serde(serialize_with = "crate::time::ms::serialize")]
    pub start: f64,
    /// Last speech of the turn, seconds.
    #[serde(serialize_with = "crate::time::ms::serialize")]
    pub end: f64,
    /// Probability-like confidence in [0, 1] that `start` is within 0.5 s of the truth.
    pub confidence: f64,
    /// Word timings, when requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<Vec<WordTiming>>,
    /// How well the turn's words fit the audio where they were placed, with the acoustic
    /// model: mean per-frame log-likelihood of the words over an unconstrained phone loop
    /// (goodness of pronunciation). Around 0 or above: the words are heard there; below about
    /// -3: they are not (other words, noise, another language). Absent without the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fit: Option<f64>,
    /// True when a person moved or edited the turn (in `talign review`); `talign align
    /// --anchors` keeps such turns where they are. Absent when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub corrected: bool,
}

/// A whole alignment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alignment {
    /// The JSON's version ([`SCHEMA`] when written; 1 when read from a file without it).
    #[serde(default = "schema_1")]
    pub schema: u32,
    /// The recording.
    pub audio: AudioInfo,
    /// The transcript.
    pub transcript: TranscriptInfo,
    /// Every turn, in transcript order.
    pub turns: Vec<TurnTiming>,
    /// How `talign align` wrote its other formats, so `talign export` writes the same
    /// bytes; absent in alignments made without the command line (and before schema 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made: Option<MadeWith>,
}

/// The version of talign's JSON this talign writes: 2 added `schema`, `made` and `corrected`;
/// 3 the words' `confidence` and `fit`; 4 the words' `onset_fit` and `pause_fit`.
pub const SCHEMA: u32 = 4;

/// A file without `schema` is version 1.
fn schema_1() -> u32 {
    1
}

/// The export choices `talign align` made that are not in the turns (schema 2).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MadeWith {
    /// `--words` was given: WebVTT writes each word's start inline.
    pub words: bool,
    /// The transcript's language as a BCP 47 tag (TTML's and the SMIL's XHTML `xml:lang`);
    /// `null` when unknown.
    pub language: Option<String>,
    /// When the alignment was made, seconds since 1970 UTC (EAF's `DATE`).
    pub created_unix: Option<i64>,
    /// The recording's absolute path at that time (EAF's `MEDIA_URL`, and the relative
    /// paths EAF and SMIL write).
    pub audio_absolute: Option<String>,
}

/// Reads talign's JSON alignment of any schema up to [`SCHEMA`]. `Error::Invalid` (exit 2
/// on the command line) for text that is not one, or is of a newer schema; the message
/// says which and what to do. `name` names the file in messages.
pub fn read_json(text: &str, name: &str) -> crate::Result<Alignment> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        crate::Error::Invalid(format!(
            "{name}: not a talign alignment (not JSON: {e}); make one with `talign align AUDIO \
             TRANSCRIPT -o aligned.json`"
        ))
    })?;
    if let Some(version) = value.get("schema") {
        match version.as_u64() {
            Some(v) if v <= u64::from(SCHEMA) => {}
            Some(v) => {
                return Err(crate::Error::Invalid(format!(
                    "{name}: talign JSON schema {v} is newer than this talign reads (up to \
                     {SCHEMA}); update talign"
                )));
            }
            None => {
                return Err(crate::Error::Invalid(format!(
                    "{name}: `schema` is {version}, not a version number; not a talign alignment"
                )));
            }
        }
    }
    serde_json::from_value(value).map_err(|e| {
        crate::Error::Invalid(format!(
            "{name}: not a talign alignment ({e}); make one with `talign align AUDIO \
             TRANSCRIPT -o aligned.json`"
        ))
    })
}

/// Turns aligned with less confidence than this are "low-confidence": `talign align`'s
/// summary line counts them, `talign batch` lists them, the review page marks them and `n`
/// jumps between them. One threshold for every place that says "low confidence".
pub const LOW_CONFIDENCE: f64 = 0.5;
