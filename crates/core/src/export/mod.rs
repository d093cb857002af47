//! Exporting an alignment to the formats people use: subtitles (SRT, WebVTT, ASS, SBV,
//! TTML/IMSC), annotation tiers (Praat TextGrid, ELAN EAF), EPUB 3 media overlays (SMIL),
//! Audacity labels, CSV/TSV and talign's own JSON.
//!
//! Every exporter is a pure function from [`Alignment`] to text ([`render`]); only
//! [`write_file`] touches the disk. Report seconds are converted once to whole milliseconds
//! (the report's precision, rounded as [`crate::time::round_ms`] does), and all cue
//! arithmetic is done on those integers, so a time prints the same in every format.
//!
//! Each format, with an example, is described in `docs/formats.md`.

mod ass;
mod audacity;
pub(crate) mod csv;
mod cues;
mod eaf;
mod json;
mod sbv;
mod smil;
mod srt;
mod textgrid;
mod ttml;
mod vtt;
pub(crate) mod xml;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::atomic_file::write_atomic;
use crate::report::{Alignment, TurnTiming};
use crate::{Error, Result};
/// The ids of a book's text elements, which [`ExportOptions::text_ids`] points a SMIL
/// media overlay at (`talign align --text-ids`).
pub use smil::{read_text_ids, text_ids};

/// An output format of `talign align`.
///
/// Names on the command line (and for [`FromStr`], case-insensitive) are
/// `json|srt|vtt|textgrid|audacity|csv|tsv|eaf|ttml|ass|sbv|smil`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// talign's JSON report: exactly [`Alignment`], readable again by `talign check --from`.
    Json,
    /// SubRip subtitles: cues of at most a few seconds, speaker name before each turn.
    Srt,
    /// WebVTT subtitles: like SRT, speakers as `<v Name>` voice tags.
    Vtt,
    /// Praat TextGrid (long text format): one interval tier per speaker.
    TextGrid,
    /// Audacity label track: one label per turn, to navigate the recording.
    Audacity,
    /// Comma-separated values (RFC 4180), one row per turn, for spreadsheets.
    Csv,
    /// Tab-separated values, one row per turn, for `cut`/`awk` and R/pandas.
    Tsv,
    /// ELAN annotation (EAF 3.0): a tier per speaker, word and phone tiers under it.
    Eaf,
    /// TTML, IMSC 1.1 Text profile: subtitle cues, speakers as `ttm:agent`.
    Ttml,
    /// Advanced SubStation Alpha: a style per speaker, `\k` karaoke tags from word times.
    Ass,
    /// YouTube's SubViewer (`.sbv`) captions.
    Sbv,
    /// EPUB 3 media overlay (SMIL): one `par` per turn, pairing a text id with audio clip.
    Smil,
}

impl ExportFormat {
    /// Every format, in the order help texts list them.
    pub const ALL: [ExportFormat; 12] = [
        ExportFormat::Json,
        ExportFormat::Srt,
        ExportFormat::Vtt,
        ExportFormat::TextGrid,
        ExportFormat::Audacity,
        ExportFormat::Csv,
        ExportFormat::Tsv,
        ExportFormat::Eaf,
        ExportFormat::Ttml,
        ExportFormat::Ass,
        ExportFormat::Sbv,
        ExportFormat::Smil,
    ];

    /// The name used on the command line, e.g. `textgrid`.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Srt => "srt",
            ExportFormat::Vtt => "vtt",
            ExportFormat::TextGrid => "textgrid",
            ExportFormat::Audacity => "audacity",
            ExportFormat::Csv => "csv",
            ExportFormat::Tsv => "tsv",
            ExportFormat::Eaf => "eaf",
            ExportFormat::Ttml => "ttml",
            ExportFormat::Ass => "ass",
            ExportFormat::Sbv => "sbv",
            ExportFormat::Smil => "smil",
        }
    }

    /// The usual file extension, without the dot (`TextGrid` as Praat writes it, `txt` for
    /// Audacity labels).
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::TextGrid => "TextGrid",
            ExportFormat::Audacity => "txt",
            other => other.name(),
        }
    }

    /// The format a file name asks for, so `-o out.srt` needs no `--format`.
    ///
    /// Case-insensitive; `.txt` means Audacity labels (the extension Audacity reads and
    /// writes). `None` for any other extension or none.
    pub fn from_extension(path: impl AsRef<Path>) -> Option<ExportFormat> {
        let ext = path.as_ref().extension()?.to_str()?;
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(ext))
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ExportFormat {
    type Err = Error;

    fn from_str(s: &str) -> Result<ExportFormat> {
        let s = s.trim();
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.name()).collect();
                Error::Invalid(format!(
                    "unknown export format `{s}`; use one of {}",
                    names.join(", ")
                ))
            })
    }
}

/// Choices for the exported text. Layout limits apply to the subtitle formats (SRT,
/// WebVTT, ASS, SBV, TTML); the data formats (JSON, TextGrid, EAF, SMIL, Audacity, CSV,
/// TSV) always hold every turn.
///
/// The defaults follow common subtitling guides (BBC, Netflix): cues of at most 7 s, two
/// lines of 42 characters, each cue on screen for at least 0.8 s.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOptions {
    /// Longest time one cue stays on screen, seconds (default 7.0). Longer turns are split;
    /// a text of one line or less spoken for longer (`I understand ...` over 20 s, an
    /// untranscribed-speech label) stays whole and is shown for this long from its start.
    /// Not finite or not positive means no limit.
    pub max_cue_seconds: f64,
    /// Shortest time a cue should stay on screen, seconds (default 0.8). Short cues borrow
    /// time from pauses and from their neighbours in the same turn, never from other turns;
    /// a turn shorter than this gives a shorter cue.
    pub min_cue_seconds: f64,
    /// Characters per subtitle line (default 42). A single word longer than this gets a
    /// line of its own; words are never cut. Values below 1 count as 1.
    pub max_line_chars: usize,
    /// Lines per cue (default 2). Values below 1 count as 1.
    pub max_lines: usize,
    /// Whether subtitles show turns that stand for untranscribed speech (default true), as
    /// their text in brackets, e.g. `[Speaks Arabic/Syrian]`, the way subtitlers mark
    /// foreign or unintelligible speech. Such a cue lasts at most `max_cue_seconds`.
    pub include_untranscribed: bool,
    /// Whether subtitles and labels name the speaker (default true): `Kerry: ` before the
    /// first cue of each SRT turn, a `<v Kerry>` voice tag on WebVTT cues, `Kerry: ` in
    /// Audacity labels. Turns without a speaker are never prefixed.
    pub speaker_names: bool,
    /// WebVTT: write each word's start as an inline timestamp (`So, <00:00:46.350>what`)
    /// where word times are known (default false; `talign align --words` turns it on).
    pub word_timestamps: bool,
    /// The recording as the output file refers to it: a path relative to the output's
    /// folder, `/` between folders (EAF's `RELATIVE_MEDIA_URL`, SMIL's `audio src`).
    /// Default `None`: the file name of `Alignment::audio.path`.
    pub media_relative: Option<String>,
    /// The recording's absolute path, for EAF's `MEDIA_URL` (written as a `file://` URL).
    /// Default `None`: the relative path stands there too.
    pub media_absolute: Option<String>,
    /// The language of the text as a BCP 47 tag (`en`, `cs`), for TTML's `xml:lang`.
    /// Default `None`: `und` (undetermined).
    pub language: Option<String>,
    /// SMIL: the ids of the book's text elements, one per transcribed turn, in order (see
    /// [`text_ids`]). Default `None`: ids `turn-1`, `turn-2`, … of the XHTML that
    /// [`companion`] writes.
    pub text_ids: Option<Vec<String>>,
    /// SMIL: the XHTML file the text ids are in, relative to the SMIL file (default `None`:
    /// `text.xhtml`).
    pub text_href: Option<String>,
    /// When the file was made, seconds since 1970 UTC, for EAF's `DATE` (default `None`:
    /// 1970-01-01T00:00:00Z, so the same alignment gives the same bytes).
    pub created_unix: Option<i64>,
}

impl ExportOptions {
    /// The language as TTML's and the SMIL's XHTML `xml:lang` write it: the given tag, or
    /// `und` (undetermined) when none was given.
    pub(crate) fn language_tag(&self) -> &str {
        self.language
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .unwrap_or("und")
    }
}

impl Default for ExportOptions {
    fn default() -> ExportOptions {
        ExportOptions {
            max_cue_seconds: 7.0,
            min_cue_seconds: 0.8,
            max_line_chars: 42,
            max_lines: 2,
            include_untranscribed: true,
            speaker_names: true,
            word_timestamps: false,
            media_relative: None,
            media_absolute: None,
            language: None,
            text_ids: None,
            text_href: None,
            created_unix: None,
        }
    }
}

/// Renders `alignment` as the text of a `format` file (UTF-8, `\n` line endings except CSV,
/// which uses RFC 4180's `\r\n` between records).
///
/// A SMIL whose [`ExportOptions::text_ids`] are fewer than the transcribed turns gives
/// the turns past them generated ids (`turn-N`); [`try_render`] refuses such a pairing.
pub fn render(alignment: &Alignment, format: ExportFormat, options: &ExportOptions) -> String {
    match format {
        ExportFormat::Json => json::render(alignment),
        ExportFormat::Srt => srt::render(alignment, options),
        ExportFormat::Vtt => vtt::render(alignment, options),
        ExportFormat::TextGrid => textgrid::render(alignment),
        ExportFormat::Audacity => audacity::render(alignment, options),
        ExportFormat::Csv => csv::render(alignment, csv::Dialect::Csv),
        ExportFormat::Tsv => csv::render(alignment, csv::Dialect::Tsv),
        ExportFormat::Eaf => eaf::render(alignment, options),
        ExportFormat::Ttml => ttml::render(alignment, options),
        ExportFormat::Ass => ass::render(alignment, options),
        ExportFormat::Sbv => sbv::render(alignment, options),
        ExportFormat::Smil => smil::render(alignment, options),
    }
}

/// [`render`], refusing a SMIL whose text ids do not pair one to one with the transcribed
/// turns (`Error::Invalid`, exit 2 on the command line; the message says which).
pub fn try_render(
    alignment: &Alignment,
    format: ExportFormat,
    options: &ExportOptions,
) -> Result<String> {
    if let (ExportFormat::Smil, Some(ids)) = (format, &options.text_ids) {
        smil::check_ids(alignment, ids)?;
    }
    Ok(render(alignment, format, options))
}

/// A second file some formats need beside the first: for SMIL without
/// [`ExportOptions::text_ids`], the XHTML document holding the turns' text under the ids
/// the SMIL points at. `None` for every other format.
pub fn companion(
    alignment: &Alignment,
    format: ExportFormat,
    options: &ExportOptions,
) -> Option<String> {
    match format {
        ExportFormat::Smil if options.text_ids.is_none() => Some(smil::xhtml(alignment, options)),
        _ => None,
    }
}

/// Renders `alignment` and writes it to `path` atomically: the old file stays intact if
/// anything fails. Does not write a [`companion`].
pub fn write_file(
    path: &Path,
    alignment: &Alignment,
    format: ExportFormat,
    options: &ExportOptions,
) -> Result<()> {
    let text = try_render(alignment, format, options)?;
    write_atomic(path, text.as_bytes()).map_err(|e| Error::from(e).with_path(path))
}

/// Milliseconds: export's integer time.
type Ms = i64;

/// Report seconds to milliseconds, rounded like [`crate::time::round_ms`]; non-finite
/// values (never in a valid report) become 0.
fn to_ms(seconds: f64) -> Ms {
    if seconds.is_finite() {
        (seconds * 1000.0).round() as Ms
    } else {
        0
    }
}

/// Seconds with exactly 3 decimals, `-1.250`, `3.000`.
fn fixed3(ms: Ms) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let a = ms.unsigned_abs();
    format!("{sign}{}.{:03}", a / 1000, a % 1000)
}

/// The recording's path relative to the output ([`ExportOptions::media_relative`]), or
/// its file name.
fn media_relative(alignment: &Alignment, options: &ExportOptions) -> String {
    options.media_relative.clone().unwrap_or_else(|| {
        Path::new(&alignment.audio.path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| alignment.audio.path.clone())
    })
}

/// Speakers in order of first appearance, as tier names: the shown name, or `speech` for
/// turns without one (TextGrid and EAF).
fn tier_name(turn: &TurnTiming) -> String {
    speaker_name(turn).unwrap_or_else(|| NO_SPEAKER_TIER.to_owned())
}

/// Tier name for turns without a speaker.
const NO_SPEAKER_TIER: &str = "speech";

/// The tier names of all turns, each once, in order of first appearance.
fn tier_names(alignment: &Alignment) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for turn in &alignment.turns {
        let name = tier_name(turn);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// A stretch of time in an export: a subtitle cue, a TextGrid interval.
trait Span {
    /// Start and end, ms.
    fn bounds(&self) -> (Ms, Ms);
    /// Moves the start and end.
    fn set_bounds(&mut self, start: Ms, end: Ms);
}

/// Puts spans in time order without overlaps, the same way in every format: sorted by
/// start (ties keep their order); where two overlap, the earlier ends where the later
/// begins, or, when both start together, the later starts where the earlier ends. Spans
/// with no duration, before or after this, are dropped (players and Praat cannot show
/// them).
fn untangle<T: Span>(spans: &mut Vec<T>) {
    spans.retain(|s| s.bounds().1 > s.bounds().0);
    spans.sort_by_key(|s| s.bounds().0);
    for k in 1..spans.len() {
        let (prev_start, prev_end) = spans[k - 1].bounds();
        let (start, end) = spans[k].bounds();
        if start < prev_end {
            if start > prev_start {
                spans[k - 1].set_bounds(prev_start, start);
            } else {
                spans[k].set_bounds(prev_end, end.max(prev_end));
            }
        }
    }
    spans.retain(|s| s.bounds().1 > s.bounds().0);
}

/// `text` with every run of whitespace (line breaks too) as one space, trimmed.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The speaker's name as shown: normalised, on one line; `None` when the turn has none.
fn speaker_name(turn: &TurnTiming) -> Option<String> {
    turn.speaker
        .as_deref()
        .map(one_line)
        .filter(|s| !s.is_empty())
}

/// The text shown for a turn on one line: as written, whitespace collapsed; untranscribed
/// speech in brackets (`[Speaks Arabic/Syrian]`) unless already bracketed.
fn display_text(turn: &TurnTiming) -> String {
    let text = one_line(&turn.text);
    if turn.transcribed {
        text
    } else if text.is_empty() {
        "[untranscribed]".to_owned()
    } else if text.starts_with('[') && text.ends_with(']') {
        text
    } else {
        format!("[{text}]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse() {
        for f in ExportFormat::ALL {
            assert_eq!(f.name().parse::<ExportFormat>().unwrap(), f);
            assert_eq!(f.to_string(), f.name());
        }
        assert_eq!(
            "TextGrid".parse::<ExportFormat>().unwrap(),
            ExportFormat::TextGrid
        );
        let err = "docx".parse::<ExportFormat>().unwrap_err().to_string();
        assert!(err.contains("`docx`") && err.contains("textgrid"), "{err}");
    }

    #[test]
    fn format_from_extension() {
        let f = |p: &str| ExportFormat::from_extension(p);
        assert_eq!(f("out.srt"), Some(ExportFormat::Srt));
        assert_eq!(f("dir.v2/Out.VTT"), Some(ExportFormat::Vtt));
        assert_eq!(f("a.TextGrid"), Some(ExportFormat::TextGrid));
        assert_eq!(f("a.textgrid"), Some(ExportFormat::TextGrid));
        assert_eq!(f("labels.txt"), Some(ExportFormat::Audacity));
        assert_eq!(f("a.json"), Some(ExportFormat::Json));
        assert_eq!(f("a.csv"), Some(ExportFormat::Csv));
        assert_eq!(f("a.tsv"), Some(ExportFormat::Tsv));
        assert_eq!(f("a.docx"), None);
        assert_eq!(f("srt"), None);
        assert_eq!(f(""), None);
        for format in ExportFormat::ALL {
            let name = format!("x.{}", format.extension());
            assert_eq!(f(&name), Some(format));
        }
    }

    #[test]
    fn seconds_to_ms_and_back() {
        assert_eq!(to_ms(1.234), 1234);
        assert_eq!(to_ms(0.0005), 1);
        assert_eq!(to_ms(f64::NAN), 0);
        assert_eq!(fixed3(0), "0.000");
        assert_eq!(fixed3(3_601_005), "3601.005");
        assert_eq!(fixed3(-1250), "-1.250");
        // The same rounding as the JSON report, so every format agrees with it.
        for s in [59.9995, 0.0015, 2.0005, 1234.5675] {
            assert_eq!(
                fixed3(to_ms(s)).parse::<f64>().unwrap(),
                crate::time::round_ms(s)
            );
        }
    }

    #[test]
    fn untranscribed_turns_show_in_brackets() {
        let mut turn = TurnTiming {
            index: 0,
            line: 1,
            speaker: None,
            speaker_raw: None,
            text: "Translates.\n\nSpeaks  Arabic/Syrian".into(),
            transcribed: false,
            stated: crate::report::StatedTime {
                raw: None,
                seconds: None,
                status: crate::transcript::StampStatus::Missing,
            },
            start: 0.0,
            end: 1.0,
            confidence: 1.0,
            words: None,
            fit: None,
            corrected: false,
        };
        assert_eq!(display_text(&turn), "[Translates. Speaks Arabic/Syrian]");
        turn.text = "[inaudible]".into();
        assert_eq!(display_text(&turn), "[inaudible]");
        turn.text = " ".into();
        assert_eq!(display_text(&turn), "[untranscribed]");
        turn.transcribed = true;
        turn.text = "Yes ...  no".into();
        assert_eq!(display_text(&turn), "Yes ... no");
    }
}
