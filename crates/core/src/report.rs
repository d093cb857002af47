//! The alignment result as every exporter and `talign check --from` sees it.
//!
//! This is exactly talign's JSON output (documented in `docs/formats.md`): reading it back
//! gives the same structure, so checks can run on a saved alignment without the audio.

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
}

/// A whole alignment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alignment {
    /// The recording.
    pub audio: AudioInfo,
    /// The transcript.
    pub transcript: TranscriptInfo,
    /// Every turn, in transcript order.
    pub turns: Vec<TurnTiming>,
}
