//! Re-synchronising existing subtitles to a recording (`talign sync`).
//!
//! Evidence comes in three layers, each starting from the one before:
//!
//! 1. **Offset and frame-rate ratio** for the whole file (`correlate.rs`): the cues' on/off
//!    signal cross-correlated (FFT) with the recording's speech regions, for ratio 1 and
//!    every pair of the standard frame rates (23.976, 24, 25, 29.97, 30) both ways, then a
//!    fine search around the best. A ratio other than 1 must win clearly, so noise never
//!    buys a spurious stretch: by the score, and where the speech decides alone by the
//!    share of cue time on speech too.
//! 2. **Splits** (`split.rs`): stretches with their own offsets where material was cut or
//!    inserted, found by dynamic programming over the cues with a penalty per split; a
//!    split only falls in a gap between cues, and cues whose material was cut are left out
//!    of the search, kept in their place between their neighbours and listed.
//!    Where the cues' words are heard (below) they propose a layout first: the cues heard piece by
//!    piece (`pieces.rs`: groups placed by the speech at every lag, a few cues of each heard
//!    in place), or, when too few are heard that way, (`aligned.rs`) the cues'
//!    text aligned as a transcript over the whole recording, each cue's shift from where
//!    its words were heard, segmented into stretches by dynamic programming; the cues left
//!    between two stretches are aligned again on the audio between them alone (text whose
//!    audio was cut no longer pulls them away); cues at a stretch's edge not heard there
//!    alone are taken off it first, and cues still between stretches are heard one by one
//!    in the audio between them (`alone.rs`); the layout is heard beside the speech's
//!    layouts and the one whose cues are heard in place is kept.
//! 3. **Words** (`words.rs`), when the cues are English (the acoustic model's language) or
//!    in a language espeak-ng speaks (its phonemes heard with the English model's nearest
//!    phones, as the aligner hears a transcript in that language): each cue's words are
//!    forced-aligned around where the speech put it, and
//!    one straight line per stretch is fitted through where the cues' first words were
//!    heard. Every cue of a stretch moves by that line, so the subtitler's own timing
//!    (a cue shown a little before its words, say) is kept and a misheard cue moves nothing.
//!
//! Where the words are heard, before layer 2's transcript alignment, the speech's one offset and
//! ratio is put to a sample of the cues (`sampled.rs`, the fast path): when they are heard
//! on its line, layers 2 and 3 are skipped.
//!
//! Only times change; cues never overlap more than they did, never start before 0 and never
//! end past the recording. The confidence is the share of cues with words whose first word
//! was heard within 0.3 s of where its stretch puts it, the words fitting the audio clearly
//! (`words::CLEAR_FIT`; with words), or how much more of
//! the cues falls on speech than chance would put there (speech only). Below
//! [`SyncConfig::min_confidence`] the subtitles are taken to belong to another recording:
//! [`Error::Mismatch`], nothing changed; except where the words were another language's,
//! which the English model may not hear clearly even in their own recording: then the speech
//! places the cues, and the placement stands where their words fit better there than at
//! places shifted away from it, or where too few cues can be heard to tell (`heard_here.rs`),
//! with a note that says which.

mod aligned;
mod alone;
mod correlate;
mod each_cue;
mod heard_here;
mod heard_layout;
mod pieces;
mod sampled;
pub mod split;
mod words;

use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc;

use rayon::prelude::*;
use serde::Serialize;

use crate::acoustic::cepstra::Cepstra;
use crate::acoustic::denoise::TwinCepstra;
use crate::acoustic::frontend::FrontEnd;
use crate::acoustic::model::AcousticModel;
use crate::analysis::{self, Recording};
use crate::progress::Progress;
use crate::spill::SpilledSamples;
use crate::subtitle::Subtitles;
use crate::transcript::{Language, detect_text_language};
use crate::vad::{Vad, VadConfig};
use crate::{Error, Result};

use correlate::Correlator;
use pieces::Pieces;
use sampled::Verdict;
use split::SpeechPrefix;
pub use split::SplitConfig;
use words::Ears;

/// Settings of a sync.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncConfig {
    /// Largest offset, seconds (after the ratio): of every cue when the speech decides; of
    /// the first stretch when the words do (a split may then jump further). Default 60.
    pub max_offset_s: f64,
    /// Whether stretches may get their own offsets (cuts and insertions). Default true;
    /// false: one offset and one ratio for the whole file.
    pub splits: bool,
    /// Whether the acoustic model listens for the cues' words: English ones from its
    /// dictionary, another language's through espeak-ng's voice for it. Default true.
    pub words: bool,
    /// The cues' language; `None` detects it from their text (English when it cannot be
    /// told).
    pub language: Option<Language>,
    /// Below this confidence the subtitles are refused as another recording's. Default 0.3.
    pub min_confidence: f64,
    /// A ratio other than 1 must explain this share of the cue time better. Default 0.01.
    pub ratio_margin: f64,
    /// Audio searched around each cue for its words, seconds. Default 1.5.
    pub word_slack_s: f64,
    /// The split search.
    pub split: SplitConfig,
    /// When every cue is timed by where its own words are heard, after the layout
    /// (`each_cue.rs`). Default: when the cues are heard timed for another reading, or
    /// loosely.
    pub each_cue: EachCue,
}

/// When every cue is timed by its own words ([`SyncConfig::each_cue`]), not only by the
/// file's offset, ratio and splits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EachCue {
    /// Never: subtitles heard timed for another reading, or loosely, are refused
    /// ([`Error::Mismatch`]), as before session 49 (`talign sync --shift-only`).
    Never,
    /// When the sync hears the cues' words each at its own distance from where any few
    /// offsets put them ([`SyncReport::another_reading`]): subtitles of the same text timed
    /// for another reading of it, or timed loosely by hand, which no layout fits.
    #[default]
    WhenTimedLoosely,
    /// Always, from the layout's places: needs a recording and the words
    /// (`talign sync --each-cue`).
    Always,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            max_offset_s: 60.0,
            splits: true,
            words: true,
            language: None,
            min_confidence: 0.3,
            ratio_margin: 0.01,
            word_slack_s: 1.5,
            split: SplitConfig::default(),
            each_cue: EachCue::default(),
        }
    }
}

/// What a sync found and did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncReport {
    /// Offset of the first stretch, seconds (`new = ratio · old + offset`).
    pub offset_s: f64,
    /// Frame-rate ratio applied to every time (1: none).
    pub ratio: f64,
    /// Where the offset changes.
    pub splits: Vec<Split>,
    /// Cues whose material is not in the recording (numbers, 1-based): kept in their place
    /// between their neighbours.
    pub cut_cues: Vec<usize>,
    /// Every cue's new times and shift, in file order.
    pub cues: Vec<CueShift>,
    /// How sure the sync is, in [0, 1] (see the module documentation).
    pub confidence: f64,
    /// What decided the times: `words`, `speech` or `reference`.
    pub evidence: String,
    /// Cues with words, and how many of them were heard where their stretch puts them with
    /// a clear fit (the confidence's count).
    pub cues_with_words: usize,
    /// See `cues_with_words`.
    pub cues_heard: usize,
    /// Whether the speech's layout was confirmed by hearing a sample of the cues (the fast
    /// path: `cues_with_words` and `cues_heard` then count the sample) rather than by the
    /// cues' text aligned over the whole recording and every cue heard.
    pub sampled: bool,
    /// Whether every cue was timed by its own words ([`SyncConfig::each_cue`]): then
    /// `confidence` is the aligner's mean turn confidence over the cues with words, and
    /// `cues_heard` counts those whose words fit where they were put.
    pub each_cue: bool,
    /// Whether the cues' words were heard clearly but many of them off their place (3 for
    /// every 5 on it), as subtitles timed for another reading of the same text, or timed
    /// loosely, are: then every cue is timed by its own words (`each_cue`; refused with
    /// [`EachCue::Never`]), aligned from the layout's places and, where the layout is more
    /// than one shift, from the cues' own starts and from the layout of where those two
    /// heard them too (`layout_kept` and `heard_layout_kept` say which was kept).
    pub another_reading: bool,
    /// Whether the cues were moved from the layout's places (offset, ratio, splits, cuts):
    /// always, but where every cue was timed by its own words from other hints instead,
    /// when the cues were heard timed for another reading or loosely and the alignment
    /// from their own starts, or from where the words were heard, heard more of them
    /// (`each_cue.rs`); then `offset_s`, `ratio`, `splits` and `cut_cues` are those of
    /// the layout of where the words were heard (`heard_layout_kept`), or else `offset_s`
    /// is the cues' median shift, with no ratio, splits or cuts.
    pub layout_kept: bool,
    /// Whether the alignment kept was hinted by the layout of where the cues' words were
    /// heard (`heard_layout.rs`: loosely timed cues of an edited recording); the report's
    /// offset, ratio, splits and cuts are then that layout's.
    pub heard_layout_kept: bool,
    /// Share of the placed cues' time that falls on speech.
    pub speech_agreement: f64,
    /// Length of the recording (or of the reference), seconds.
    pub duration_s: f64,
    /// The language the cues' words were heard in (ISO 639-3), `None` when no words were.
    pub language: Option<String>,
    /// What the user should know about how the sync heard the cues (a language without
    /// espeak-ng's voice, say).
    pub notes: Vec<String>,
}

/// A change of offset between two cues.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Split {
    /// The last cue before the split (number, 1-based).
    pub after_cue: usize,
    /// The first cue after it.
    pub before_cue: usize,
    /// Where it falls on the recording: the new start of `before_cue`, seconds.
    pub at_s: f64,
    /// Offset change, seconds (negative: material was cut; positive: inserted).
    pub jump_s: f64,
}

/// One cue's new place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CueShift {
    /// Cue number, 1-based, file order.
    pub number: usize,
    /// New start, seconds.
    pub start_s: f64,
    /// New end, seconds.
    pub end_s: f64,
    /// New start minus old start, seconds.
    pub shift_s: f64,
    /// Whether its material was cut from the recording.
    pub cut: bool,
}

/// Speech (and, for words, cepstra) of a recording, one value per 10 ms frame.
struct Evidence<'a> {
    speech: Vec<f32>,
    duration_ms: i64,
    words: Option<(&'a AcousticModel, &'a Cepstra)>,
    /// The language the cues' words are heard in (with `words`).
    language: Language,
    /// What the user should know about how the cues were heard.
    notes: Vec<String>,
    /// The recording, when the aligner is to hear the cues' text as a transcript over it,
    /// for the splits (`None` when it is not to).
    whole: Option<&'a WholeRecording<'a>>,
    kind: &'static str,
}

impl Evidence<'_> {
    /// What the cues are synced to, as messages name it.
    fn source_name(&self) -> &'static str {
        if self.kind == "reference" {
            "reference"
        } else {
            "recording"
        }
    }
}

/// Runs of 16 kHz samples (about 2 s each) in flight to the acoustic model's front end.
const FRONT_END_DEPTH: usize = 8;

/// Seconds of the recording's 16 kHz samples kept in memory for the splits; the rest wait in
/// a temporary file (the whole recording took 230 MB an hour; docs/sync.md, session 26).
const PCM_IN_MEMORY_S: f64 = 300.0;

/// The recording's 16 kHz samples for the aligner's hearings of the splits and of every cue
/// by its words (`each_cue`), read again the first time they are needed: most syncs end on
/// the speech's offset and ratio and never need them, and keeping them from the first
/// reading cost every sync the writes (a second on 2.5 hours; docs/sync.md, session 26).
struct WholeRecording<'a> {
    recording: &'a Recording<'a>,
    samples: std::cell::OnceCell<SpilledSamples>,
}

impl<'a> WholeRecording<'a> {
    fn new(recording: &'a Recording<'a>) -> Self {
        WholeRecording {
            recording,
            samples: std::cell::OnceCell::new(),
        }
    }

    /// The samples, the same the first reading gave the front end.
    fn samples(&self, progress: &dyn Progress) -> Result<&SpilledSamples> {
        if let Some(samples) = self.samples.get() {
            return Ok(samples);
        }
        progress.stage("reading the recording again for the aligner");
        let mut samples = SpilledSamples::with_memory_s(PCM_IN_MEMORY_S);
        analysis::read_recording(self.recording, &crate::progress::Silent, |run| {
            samples.push(run)
        })?;
        Ok(self.samples.get_or_init(|| samples))
    }
}

/// Fewest cues with words for the words to choose among the speech's layouts: with fewer,
/// the speech's own order of the layouts stands, a ratio other than 1 winning clearly.
const MIN_CUES_TO_CHOOSE: usize = 5;

/// Share of a layout's sampled cues heard in place for which it is taken without hearing the
/// layouts after it. At 0.6 the words' layout was taken at 18 of 22 in a hall's Spanish
/// `splits`, its insertion missed and 18 cues 11 s off, where the speech's next layout was
/// the truth at 20 of 21 (docs/sync.md, session 42).
const TAKEN_AT_ONCE_SHARE: f64 = 0.9;

/// Recordings at least this long (ms) are heard piece by piece (`pieces`) before the
/// whole transcript is aligned: a short one's alignment is cheap (the 136 s real recording's
/// `splits`, 6 s of CPU), and it is the one the pieces misplace a repeated passage on.
const PIECES_FROM_MS: i64 = 600_000;

/// Fewest cues heard clearly off their stretch's line to call the subtitles timed for
/// another reading ([`Listened::timed_for_another_reading`]): as many as the fast path needs
/// in place to trust a layout (`sampled::MIN_IN_PLACE`), so a short file's few misheard
/// cues say nothing.
const ANOTHER_READING_MIN_CUES: usize = sampled::MIN_IN_PLACE;

/// Least share, of the cues heard clearly on their stretch's line, heard clearly off it to
/// call the subtitles timed for another reading, or loosely
/// ([`Listened::timed_for_another_reading`]): 3 off for every 5 on. Loosely timed subtitles
/// (every cue moved on its own, sigma 0.5 s) were heard 1.0–2.8 times as many off as on
/// (six recordings; Festival's 146 and 146, which "more off than on" let through with only
/// the offset undone, 10.9 % of starts within 50 ms); matched recordings at most 0.37 times
/// (docs/sync.md, sessions 47 and 49).
const ANOTHER_READING_SHARE: f64 = 0.6;

/// Re-times `subs` to `recording`. On success every cue has its new times (write them
/// with [`Subtitles::render`]); on error (mismatch, no speech, ...) `subs` is unchanged.
pub fn sync_recording(
    recording: &Recording,
    subs: &mut Subtitles,
    config: &SyncConfig,
    progress: &dyn Progress,
) -> Result<SyncReport> {
    let path = recording.name().to_path_buf();
    let (language, notes) = words_language(subs, config);
    let hear_words = language.is_some();
    if config.each_cue == EachCue::Always && !hear_words {
        let why = if config.words {
            notes.join("; ")
        } else {
            "the words are not to be heard (drop --no-words)".into()
        };
        return Err(Error::Invalid(format!(
            "timing every cue by its own words needs them heard: {why}"
        )));
    }
    // Each cue's times as read: every cue timed by its words moves from here, and a refusal
    // after the layout puts them back.
    let before: Vec<(i64, i64)> = subs.cues.iter().map(|c| (c.start_ms, c.end_ms)).collect();
    let model = if hear_words {
        Some(AcousticModel::shared()?)
    } else {
        None
    };
    let mut vad = Vad::new(VadConfig::default());
    let front_end = model.as_ref().map(|m| FrontEnd::denoising(m.feat_params()));
    // The model's front end runs on a thread of its own beside the speech detection: the
    // stage before the sync took 1.04 s on 37 minutes, 0.81 s so (docs/sync.md, session 25).
    let (source, cepstra) = std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<Vec<f32>>(FRONT_END_DEPTH);
        // Runs come back once read, to carry the next ones (not a new buffer for each).
        let (give_back, taken_back) = mpsc::channel::<Vec<f32>>();
        let hearing = front_end.map(|mut fe| {
            scope.spawn(move || {
                let mut cepstra = TwinCepstra::default();
                for samples in receiver {
                    fe.push(&samples, &mut cepstra);
                    let _ = give_back.send(samples);
                }
                fe.finish(&mut cepstra);
                cepstra
            })
        });
        let source = analysis::analyse_recording(
            recording,
            progress,
            |samples| {
                if hearing.is_some() {
                    let mut run = taken_back.try_recv().unwrap_or_default();
                    run.clear();
                    run.extend_from_slice(samples);
                    // The front end reads until the channel closes; a send fails only if it panicked,
                    // which the join below reports.
                    let _ = sender.send(run);
                }
            },
            |block| vad.push(block),
        );
        drop(sender);
        let cepstra = hearing.map(|thread| thread.join().expect("the front end does not panic"));
        (source, cepstra)
    });
    let source = source?;
    let cepstra = cepstra.unwrap_or_default().choose();
    if source.frames == 0 || source.peak == 0.0 {
        return Err(Error::NoAudio {
            path,
            message: "recording has no samples or is digital silence; nothing to sync to".into(),
        });
    }
    let regions = vad.finish();
    let duration_ms = (source.duration_s() * 1000.0).round() as i64;
    let frames = (duration_ms / 10) as usize + 1;
    let mut speech = vec![0.0f32; frames];
    for r in &regions {
        let (a, b) = (r.start.index().min(frames), r.end.index().min(frames));
        speech[a..b].iter_mut().for_each(|v| *v = 1.0);
    }
    // Read again at most once, for every alignment of the cues' text (the careful path's,
    // every cue's by its words).
    let whole = WholeRecording::new(recording);
    let evidence = Evidence {
        speech,
        duration_ms,
        words: model.as_deref().map(|m| (m, &cepstra)),
        language: language.unwrap_or_else(Language::english),
        notes,
        whole: (hear_words && config.splits).then_some(&whole),
        kind: if model.is_some() { "words" } else { "speech" },
    };
    let heard_in = evidence.language.clone();
    let result = match solve(&evidence, subs, config, &path, progress) {
        // Another language's words are heard through the English model's nearest phones, and
        // a matched file in a language far from English may have few cues heard clearly in
        // place (espeak-ng's Russian: 1 of 10, docs/sync.md, session 42). The speech then
        // places the cues, and the placement stands when their words fit better there than
        // elsewhere (`heard_here`): another recording's subtitles, and a translation, do
        // not (session 44). English words not heard refuse the file at once.
        Err(Error::Mismatch { .. })
            if evidence.words.is_some() && !evidence.language.is_english() =>
        {
            place_by_speech(evidence, subs, config, &path, progress)
        }
        result => result,
    };
    let result = result.and_then(|mut report| {
        let each_cue = match config.each_cue {
            EachCue::Never => false,
            EachCue::WhenTimedLoosely => report.another_reading,
            EachCue::Always => true,
        };
        if each_cue {
            let timed = each_cue::retime(&whole, subs, &before, &mut report, &heard_in, progress);
            if let Err(e) = timed {
                for (cue, &(start_ms, end_ms)) in subs.cues.iter_mut().zip(&before) {
                    (cue.start_ms, cue.end_ms) = (start_ms, end_ms);
                }
                return Err(e);
            }
        }
        Ok(report)
    });
    progress.finish();
    result
}

/// Re-times `subs` to `reference`, correctly timed subtitles of the same material (in any
/// language): its cues stand for the speech.
pub fn sync_reference(
    reference: &Subtitles,
    reference_path: &Path,
    subs: &mut Subtitles,
    config: &SyncConfig,
) -> Result<SyncReport> {
    if config.each_cue == EachCue::Always {
        return Err(Error::Invalid(
            "timing every cue by its own words needs the recording: give it instead of a \
             reference subtitle file"
                .into(),
        ));
    }
    let end = reference.cues.iter().map(|c| c.end_ms).max().unwrap_or(0);
    let frames = (end / 10) as usize + 1;
    let mut speech = vec![0.0f32; frames];
    for c in &reference.cues {
        let (a, b) = (
            (c.start_ms / 10) as usize,
            ((c.end_ms / 10) as usize).min(frames),
        );
        speech[a.min(b)..b].iter_mut().for_each(|v| *v = 1.0);
    }
    let evidence = Evidence {
        speech,
        duration_ms: end,
        words: None,
        language: Language::english(),
        notes: Vec::new(),
        whole: None,
        kind: "reference",
    };
    solve(
        &evidence,
        subs,
        config,
        reference_path,
        &crate::progress::Silent,
    )
}

/// Another language's cues whose words were not heard clearly: placed by the speech (on a
/// copy, so `subs` changes only if the placement stands) and kept where their words fit
/// better there than elsewhere ([`confirmed_by_place`]).
fn place_by_speech(
    evidence: Evidence,
    subs: &mut Subtitles,
    config: &SyncConfig,
    path: &Path,
    progress: &dyn Progress,
) -> Result<SyncReport> {
    let heard_with = evidence.words;
    let language = evidence.language.clone();
    let mut notes = evidence.notes.clone();
    notes.push(format!(
        "the cues' words, read as language `{}`, were not heard clearly where the sync puts \
         them (a language the English model hears poorly): placed by the speech alone",
        language.code
    ));
    let by_speech = Evidence {
        words: None,
        whole: None,
        kind: "speech",
        notes,
        ..evidence
    };
    let mut placed = subs.clone();
    let mut report = solve(&by_speech, &mut placed, config, path, progress)?;
    if let Some((model, cepstra)) = heard_with {
        progress.stage("hearing whether the cues' words fit best where the speech put them");
        let heard = heard_where_placed(model, cepstra, &placed, &report, &language);
        report = confirmed_by_place(report, heard, &language, path)?;
    }
    *subs = placed;
    Ok(report)
}

/// The speech's placement of cues whose words were heard poorly (`report`) as it stands on
/// `heard`: kept, its note saying how far the words confirm it (too few cues to judge tell
/// nothing either way, as before session 44), or refused as another recording's.
fn confirmed_by_place(
    mut report: SyncReport,
    heard: heard_here::HeardHere,
    language: &Language,
    path: &Path,
) -> Result<SyncReport> {
    if !heard.stands() && !heard.too_few() {
        return Err(Error::Mismatch {
            path: path.to_path_buf(),
            message: format!(
                "the cues' words (read as language `{}`) were not heard where the sync puts \
                 them, nor better there than elsewhere ({} of {} cues fit best in place): these \
                 subtitles seem to belong to another recording; nothing written. If they are \
                 of this recording but in another language than its speech (a translation), \
                 sync them by the speech alone with --no-words",
                language.code, heard.best_here, heard.judged
            ),
        });
    }
    if let Some(note) = report.notes.last_mut() {
        note.push_str(&if heard.too_few() {
            format!(
                ", not confirmed by their words (only {} cues could be heard at their place \
                 and elsewhere: too few to tell)",
                heard.judged
            )
        } else {
            format!(
                ", where their words fit better than elsewhere ({} of {} cues fit best in \
                 place)",
                heard.best_here, heard.judged
            )
        });
    }
    Ok(report)
}

/// How many of the cues the speech placed (`report`) fit best where it put them, their words
/// heard in `language` (`heard_here`); cut cues are not heard.
fn heard_where_placed(
    model: &AcousticModel,
    cepstra: &Cepstra,
    subs: &Subtitles,
    report: &SyncReport,
    language: &Language,
) -> heard_here::HeardHere {
    let mut order: Vec<usize> = (0..subs.cues.len()).collect();
    order.sort_by_key(|&i| (subs.cues[i].start_ms, i));
    let words: Vec<Vec<String>> = order.iter().map(|&i| subs.cues[i].spoken_words()).collect();
    let said = words::pronounce_cues(&words, language);
    let places: Vec<(f64, f64)> = order
        .iter()
        .map(|&i| (report.cues[i].start_s, report.cues[i].end_s))
        .collect();
    let speaks: Vec<bool> = order
        .iter()
        .zip(&words)
        .map(|(&i, w)| !w.is_empty() && !report.cues[i].cut)
        .collect();
    let ears = Ears {
        model,
        cepstra,
        said: &said,
    };
    heard_here::heard_here(ears, &places, &speaks, report.duration_s)
}

/// The language the cues' words are to be heard in (`None`: speech only), and what to tell
/// the user about it. English is the model's own; another language needs espeak-ng's voice
/// for it, without which the speech decides alone (and a note says so).
fn words_language(subs: &Subtitles, config: &SyncConfig) -> (Option<Language>, Vec<String>) {
    if !config.words {
        return (None, Vec::new());
    }
    let language = config.language.clone().unwrap_or_else(|| {
        let mut text = String::new();
        for cue in &subs.cues {
            for w in cue.spoken_words() {
                text.push_str(&w);
                text.push(' ');
            }
            if text.len() > 20_000 {
                break;
            }
        }
        detect_text_language(&text).unwrap_or_else(Language::english)
    });
    if language.is_english() {
        return (Some(language), Vec::new());
    }
    let voice = &language.espeak_voice;
    match crate::espeak::has_voice(voice) {
        Ok(true) => {
            let note = format!(
                "cue text read as language `{}`: its words are pronounced by espeak-ng's `{voice}` \
                 voice and heard with the English acoustic model's nearest phones (--lang sets \
                 the language)",
                language.code
            );
            (Some(language), vec![note])
        }
        Ok(false) => {
            let note = format!(
                "cue text read as language `{}`, for which espeak-ng has no voice `{voice}`: \
                 synced by the speech alone, not the cues' words (--lang sets the language)",
                language.code
            );
            (None, vec![note])
        }
        Err(why) => {
            let note = format!(
                "cue text read as language `{}`, whose words need espeak-ng ({why}): synced \
                 by the speech alone, not the cues' words; install espeak-ng to hear them",
                language.code
            );
            (None, vec![note])
        }
    }
}

/// The sync itself, on evidence already gathered.
fn solve(
    evidence: &Evidence,
    subs: &mut Subtitles,
    config: &SyncConfig,
    path: &Path,
    progress: &dyn Progress,
) -> Result<SyncReport> {
    progress.stage("syncing");
    let n = subs.cues.len();
    let speech_frames = evidence.speech.iter().filter(|&&v| v > 0.5).count();
    if speech_frames < 20 {
        return Err(Error::NoAudio {
            path: path.to_path_buf(),
            message: format!(
                "the {} holds no speech (less than 0.2 s found); nothing to sync the subtitles to",
                evidence.source_name()
            ),
        });
    }
    // Time order (file order for ties): splits, cuts and overlaps are about neighbours in time.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (subs.cues[i].start_ms, i));
    let times: Vec<(i64, i64)> = order
        .iter()
        .map(|&i| (subs.cues[i].start_ms, subs.cues[i].end_ms))
        .collect();
    let max_lag = (config.max_offset_s.max(0.0) * 100.0).round() as i64;
    let max_ratio = correlate::standard_ratios().into_iter().fold(1.0, f64::max) * 1.001;
    // A cue starting this late cannot fall inside the recording at any ratio and any offset
    // within --max-offset.
    let latest_start_ms = evidence.duration_ms as f64 + (max_lag * 10) as f64;
    let starts_past_the_end = |k: usize| times[k].0 as f64 / max_ratio > latest_start_ms;
    let first_start = times[0].0 as f64;
    if starts_past_the_end(0) {
        return Err(Error::Invalid(format!(
            "{}: the recording is {:.1} s long, but the first cue starts at {:.1} s: these \
             subtitles cannot be of this recording (or it is cut short); check the files, or \
             raise --max-offset",
            path.display(),
            evidence.duration_ms as f64 / 1000.0,
            first_start / 1000.0
        )));
    }
    // More than half the cues finding no place is refused at the end (`report`). When the
    // times alone say so, it is said now, before any listening: a 37-minute file's
    // subtitles on a 2-minute recording took 25 s to be refused.
    let beyond: Vec<usize> = (0..n).filter(|&k| starts_past_the_end(k)).collect();
    if beyond.len() * 2 > n {
        let first = beyond[0];
        return Err(Error::Mismatch {
            path: path.to_path_buf(),
            message: format!(
                "{} of {n} cues, from cue {} (at {:.1} s) on, would start after the {}'s end \
                 ({:.1} s) at any frame-rate ratio and any offset within --max-offset \
                 ({:.0} s): these subtitles are not of this {}, or it is far shorter than they \
                 are; nothing written",
                beyond.len(),
                order[first] + 1,
                times[first].0 as f64 / 1000.0,
                evidence.source_name(),
                evidence.duration_ms as f64 / 1000.0,
                config.max_offset_s.max(0.0),
                evidence.source_name(),
            ),
        });
    }
    let last_end = times.iter().map(|t| t.1).max().unwrap_or(0);
    let correlator = Correlator::new(
        &evidence.speech,
        ((last_end as f64 * max_ratio) / 10.0).ceil() as usize + 2,
        max_lag as usize,
    );
    let words: Vec<Vec<String>> = order.iter().map(|&i| subs.cues[i].spoken_words()).collect();
    // The words choose among the speech's layouts (below) only with this many cues with words;
    // with fewer, the speech decides alone, and another ratio must win it clearly.
    let with_text = words.iter().filter(|w| !w.is_empty()).count();
    let words_choose = evidence.words.is_some() && with_text >= MIN_CUES_TO_CHOOSE;
    // Every cue's words pronounced once, for all the hearings below.
    let said = evidence
        .words
        .map(|_| words::pronounce_cues(&words, &evidence.language));
    let ears = evidence
        .words
        .zip(said.as_deref())
        .map(|((model, cepstra), said)| Ears {
            model,
            cepstra,
            said,
        });
    let (_, lag, fine_ratio) = correlate::global(
        &correlator,
        &times,
        max_lag as usize,
        config.ratio_margin,
        !words_choose,
    );
    let prefix = SpeechPrefix::new(&evidence.speech);
    let scale = |ratio: f64| scaled_for(&times, ratio);
    // The fast path: where the careful path would align the cues' text over the whole
    // recording, the speech's single offset and ratio is first put to a sample of the cues
    // (`sampled`); when they are heard on its line, that answer stands.
    if let Some(ears) = ears
        && config.splits
        && evidence.whole.is_some()
    {
        progress.stage("hearing a sample of the cues");
        let hyp = Hypothesis::new(
            fine_ratio,
            vec![Some(lag); n],
            &prefix,
            &scale(fine_ratio),
            &times,
        );
        let listened = match sampled::confirm(&hyp, &words, ears, config.word_slack_s) {
            Verdict::Confirmed(listened) => Some(listened),
            // Every cue is then timed by its own words from the sample's layout (`each_cue`):
            // the careful layout would cost far more only to be doubted again (Festival's
            // loosely timed subtitles: 88 s before any cue was timed; docs/sync.md, session
            // 49).
            Verdict::TimedLoosely(listened) if config.each_cue != EachCue::Never => Some(listened),
            _ => None,
        };
        if let Some(listened) = listened {
            let placed = Placed {
                ratio: fine_ratio,
                hyp,
                listened,
                sampled: true,
            };
            return report(evidence, subs, config, path, &order, &times, placed);
        }
    }
    progress.stage("placing the cues by the speech");
    // With splits, the ratio is chosen by the split search itself: one offset per file can
    // prefer a wrong ratio when material was cut or inserted. Scores are normalised by the
    // square root of the cue time (as the correlation's), so shrinking cues buys nothing.
    let mut candidates: Vec<(f64, f64, Vec<Option<i64>>)> = if config.splits {
        let place = |ratio: f64| {
            let scaled = scale(ratio);
            let (offsets, value) = split::place(&prefix, &scaled, -max_lag, max_lag, &config.split);
            // value = 2 · overlap − placed cue time − penalties; cut cues count as no overlap.
            let placed: i64 = scaled
                .iter()
                .zip(&offsets)
                .filter(|(_, o)| o.is_some())
                .map(|(c, _)| c.1 - c.0)
                .sum();
            let total = scaled.iter().map(|c| c.1 - c.0).sum::<i64>().max(1) as f64;
            let over_speech = (value + placed as f64) / 2.0;
            (
                over_speech / total.sqrt(),
                ratio,
                offsets,
                over_speech / total,
            )
        };
        // Every ratio at once: each placement is a dynamic programme of its own.
        let mut ratios = correlate::standard_ratios();
        ratios.push(fine_ratio);
        let mut placed: Vec<_> = ratios.into_par_iter().map(place).collect();
        let plain = placed.remove(0);
        let mut all: Vec<_> = placed
            .into_iter()
            // Without words enough to tell them apart, another ratio must win clearly
            // (score and share: `correlate::clearly_better`).
            .filter(|c| {
                words_choose
                    || correlate::clearly_better(
                        (c.0, c.3),
                        (plain.0, plain.3),
                        config.ratio_margin,
                    )
            })
            .map(|(score, ratio, offsets, _)| (score, ratio, offsets))
            .collect();
        all.push((plain.0, plain.1, plain.2));
        all.sort_by(|a, b| b.0.total_cmp(&a.0));
        all
    } else {
        vec![(0.0, fine_ratio, vec![Some(lag); n])]
    };
    // The few best ratios are told apart by the words, when there are words to hear: the
    // speech alone can prefer a wrong ratio on a short or crowded recording.
    // Without words enough to choose, of the ratios that explain the speech about as well,
    // the one that needs the fewest splits: a near ratio (25/24 for 25/23.976) otherwise buys
    // small spurious ones.
    if !words_choose && candidates.len() > 1 {
        let best = candidates[0].0;
        let changes = |offsets: &[Option<i64>]| {
            let placed: Vec<i64> = offsets.iter().flatten().copied().collect();
            placed.windows(2).filter(|w| w[0] != w[1]).count()
        };
        if let Some(k) = (0..candidates.len())
            .filter(|&k| candidates[k].0 >= best * 0.995)
            .min_by_key(|&k| (changes(&candidates[k].2), k))
        {
            let chosen = candidates.remove(k);
            candidates.insert(0, chosen);
        }
    }
    // Where the aligner heard each cue start (file order), seconds: the cues' text aligned
    // as a transcript, for the splits; one list per distinct reading ([`aligned::readings`]).
    // Piece by piece first (`pieces`): each group of cues placed by the speech and heard in
    // place; the whole transcript's alignment only when too few cues are heard that way.
    // Only on long recordings: there the whole transcript's alignment costs most, and on a
    // short one that repeats itself a group can take another copy's place (the speech's own
    // offset can be that copy's; `cli_sync::a_cut_sends_the_sync_down_the_careful_path`).
    let pieces = match ears {
        Some(ears)
            if config.splits
                && evidence.whole.is_some()
                && evidence.duration_ms >= PIECES_FROM_MS =>
        {
            progress.stage("hearing the cues piece by piece");
            pieces::heard_starts(
                &evidence.speech,
                &scale(fine_ratio),
                &order,
                &words,
                lag,
                ears,
                config.word_slack_s,
            )
        }
        _ => Pieces::NotTried,
    };
    // Piece by piece heard next to none of the cues: their words are not in this recording,
    // and the whole transcript's alignment is skipped (18 of the 22 s a 37-minute recording
    // took to refuse another's subtitles, docs/sync.md, session 46); the speech's layouts go
    // to the final listening, which refuses them.
    let heard: Vec<Vec<Option<f64>>> = if let Pieces::Heard(heard) = pieces {
        vec![heard]
    } else if let Some(whole) = evidence
        .whole
        .as_ref()
        .filter(|_| pieces.worth_aligning_whole())
    {
        let samples = whole.samples(progress)?;
        progress.stage("hearing the cues as a transcript");
        let whole = Recording::Spilled {
            samples,
            name: path,
        };
        // Both readings at once: each alignment alone kept the second core busy less than
        // half the time (docs/sync.md, session 46).
        let (language, cues) = (&evidence.language, subs.cues.len());
        aligned::readings(subs, None)
            .par_iter()
            .filter_map(|reading| reading.heard_starts(&whole, cues, language))
            .collect()
    } else {
        Vec::new()
    };
    // Where the aligner heard the cues, the stretches it implies come first: the speech alone
    // cannot tell cut layouts apart in dense speech.
    let mut from_words = None;
    if config.splits && !heard.is_empty() {
        let mut ratios = correlate::standard_ratios();
        ratios.push(fine_ratio);
        // Cost per cue heard; a ratio other than 1 costs as much as a split.
        let order = &order;
        let readings = heard.iter().flat_map(|heard| {
            let count = heard.iter().flatten().count().max(1) as f64;
            ratios.iter().map(move |&ratio| {
                let shifts: Vec<Option<i64>> = order
                    .iter()
                    .zip(&scale(ratio))
                    .map(|(&i, c)| heard[i].map(|h| (h * 100.0).round() as i64 - c.0))
                    .collect();
                (count, ratio, shifts)
            })
        });
        let best = aligned::best_segmentation(readings, max_lag, aligned::INLIER_FRAMES);
        if let Some((ratio, mut offsets)) = best {
            let scaled = scale(ratio);
            // Cut text squeezed onto a stretch's edge is taken off it, so the gap beside it
            // reaches the audio of the cues that are really there (`alone`).
            let speaks: Vec<bool> = words.iter().map(|w| !w.is_empty()).collect();
            if let Some(ears) = ears {
                progress.stage("hearing the stretches' edge cues");
                alone::peel_edges(&mut offsets, &scaled, &speaks, |j, place| {
                    alone::hear_alone(ears, j, place, config.word_slack_s)
                });
            }
            if let Some(whole) = &evidence.whole {
                let samples = whole.samples(progress)?;
                progress.stage("hearing the cues between stretches");
                aligned::realign_gaps(
                    samples,
                    subs,
                    order,
                    &scaled,
                    &mut offsets,
                    &evidence.language,
                )?;
            }
            if let Some(ears) = ears {
                // A gap too long to hear cue by cue: a few of its cues heard in wide windows
                // stepped over it propose a stretch's offset, however far it lies.
                progress.stage("searching the long gaps between stretches");
                alone::search_long_gaps(
                    &mut offsets,
                    &scaled,
                    &speaks,
                    prefix.frames(),
                    config.word_slack_s,
                    |j, w, slack| alone::hear_alone(ears, j, w, slack),
                );
                progress.stage("hearing the cues between stretches one by one");
                alone::hear_gaps(&mut offsets, &scaled, &speaks, prefix.frames(), |j, w| {
                    alone::hear_alone(ears, j, w, 0.0)
                });
            }
            aligned::join_close_stretches(&mut offsets);
            if let Some(ears) = ears {
                progress.stage("hearing the stretches' edge cues again");
                alone::edges_heard_across(&mut offsets, &scaled, &speaks, |j, place| {
                    alone::hear_alone(ears, j, place, config.word_slack_s)
                });
            }
            progress.stage("placing the cues between stretches");
            // The cues between two stretches of different offsets, each heard alone at both
            // (what `place_outliers` asks), in parallel: one by one they kept one core busy.
            let mut asks: Vec<(usize, (i64, i64))> = Vec::new();
            if evidence.words.is_some() {
                for run in unplaced_runs(&offsets) {
                    let before = run.start.checked_sub(1).and_then(|j| offsets[j]);
                    let after = offsets.get(run.end).copied().flatten();
                    let (Some(a), Some(b)) = (before, after) else {
                        continue;
                    };
                    for j in run.filter(|&j| !words[j].is_empty() && a != b) {
                        for o in [a, b] {
                            asks.push((j, (scaled[j].0 + o, scaled[j].1 + o)));
                        }
                    }
                }
            }
            let answers: HashMap<_, _> = match ears {
                Some(ears) => asks
                    .par_iter()
                    .map(|&(j, w)| ((j, w), alone::hear_alone(ears, j, w, 0.5)))
                    .collect(),
                None => HashMap::new(),
            };
            // How well a cue's words are heard at an offset (goodness of pronunciation),
            // the share of it on speech breaking ties.
            aligned::place_outliers(&mut offsets, &scaled, |j, o| {
                let (a, b) = (scaled[j].0 + o, scaled[j].1 + o);
                let on_speech = prefix.speech(a, b) as f64 / (b - a).max(1) as f64;
                let heard = match ears {
                    Some(ears) if !words[j].is_empty() => answers
                        .get(&(j, (a, b)))
                        .copied()
                        .unwrap_or_else(|| alone::hear_alone(ears, j, (a, b), 0.5))
                        .map_or(-1000.0, |(_, g)| f64::from(g)),
                    _ => -1000.0,
                };
                heard + 0.001 * on_speech
            });
            from_words = Some((f64::INFINITY, ratio, offsets));
        }
    }
    let mut distinct: Vec<(f64, f64, Vec<Option<i64>>)> = Vec::new();
    for c in candidates.drain(..) {
        if distinct.len() < 6 && distinct.iter().all(|d| (d.1 / c.1 - 1.0).abs() > 0.005) {
            distinct.push(c);
        }
    }
    // The aligner's layout is heard first, beside (not instead of) the speech's layout for
    // the same ratio: on a short recording the aligner can be the one that is wrong. With
    // too few cues to listen to, nothing would test it: the speech's layout goes first.
    if let Some(c) = from_words {
        if words_choose {
            distinct.insert(0, c);
        } else {
            distinct.push(c);
        }
    }
    let chosen = match ears {
        Some(ears) if distinct.len() > 1 && words_choose => {
            progress.stage("choosing a layout by the words");
            // Up to 24 short cues (at most 8 s) with words, spread over the file: long ones
            // cost the forced alignment most and tell no more.
            let short: Vec<usize> = (0..n)
                .filter(|&k| !words[k].is_empty() && times[k].1 - times[k].0 <= 8000)
                .collect();
            let pool = if short.len() >= 5 {
                short
            } else {
                (0..n).filter(|&k| !words[k].is_empty()).collect()
            };
            let step = pool.len().div_ceil(24);
            let mut sample = vec![false; n];
            for &k in pool.iter().step_by(step.max(1)) {
                sample[k] = true;
            }
            // In order of preference (the words' layout first); the first whose sampled cues
            // are nearly all heard in place is taken at once, else `best_heard`.
            let mut hearings: Vec<Listened> = Vec::new();
            for (_, ratio, offsets) in &distinct {
                let h = Hypothesis::new(*ratio, offsets.clone(), &prefix, &scale(*ratio), &times);
                let l = listen(&h, &words, ears, Some(&sample), config);
                let at_once = l.placed as f64 >= TAKEN_AT_ONCE_SHARE * l.with_words as f64;
                hearings.push(l);
                if at_once {
                    break;
                }
            }
            let best = best_heard(&hearings);
            distinct.swap_remove(best)
        }
        _ => distinct.swap_remove(0),
    };
    let ratio = chosen.1;
    let hyp = Hypothesis::new(ratio, chosen.2, &prefix, &scale(ratio), &times);
    let listened = match ears {
        Some(ears) => {
            progress.stage("listening to every cue");
            listen(&hyp, &words, ears, None, config)
        }
        None => Listened {
            fits: vec![(0.0, 1.0); hyp.stretches.len()],
            ..Listened::default()
        },
    };
    let placed = Placed {
        ratio,
        hyp,
        listened,
        sampled: false,
    };
    report(evidence, subs, config, path, &order, &times, placed)
}

/// A layout chosen and heard: what [`report`] writes back.
struct Placed {
    ratio: f64,
    hyp: Hypothesis,
    listened: Listened,
    /// Whether `listened` heard a sample of the cues (the fast path) rather than every cue.
    sampled: bool,
}

/// Moves every cue (time order `order`, original `times` in ms) by its stretch's line, keeps
/// the rules, refuses a mismatch and writes the new times back into `subs`.
fn report(
    evidence: &Evidence,
    subs: &mut Subtitles,
    config: &SyncConfig,
    path: &Path,
    order: &[usize],
    times: &[(i64, i64)],
    placed: Placed,
) -> Result<SyncReport> {
    let n = order.len();
    let prefix = SpeechPrefix::new(&evidence.speech);
    let speech_frames = evidence.speech.iter().filter(|&&v| v > 0.5).count();
    let Placed {
        ratio,
        hyp,
        listened,
        sampled,
    } = placed;
    let Hypothesis {
        offsets,
        cut,
        mapped,
        stretches,
        ..
    } = &hyp;
    let another_reading = listened.timed_for_another_reading();
    // Every cue is to be timed by its words: another reading's layout is only their start.
    let timed_by_words = config.each_cue != EachCue::Never && another_reading;
    let Listened {
        fits,
        with_words,
        clear: heard_ok,
        elsewhere,
        ..
    } = listened;
    // New times, in time order.
    let mut new: Vec<(f64, f64)> = vec![(0.0, 0.0); n];
    for (s, members) in stretches.iter().enumerate() {
        let (offset, rate) = fits[s];
        for &k in members {
            let (m0, m1) = mapped[k].expect("stretch members are placed");
            let start = offset + rate * m0;
            new[k] = (start, start + (m1 - m0) * rate);
        }
    }
    let duration_s = evidence.duration_ms as f64 / 1000.0;
    let orig: Vec<(f64, f64)> = times
        .iter()
        .map(|&(s, e)| (s as f64 / 1000.0, e as f64 / 1000.0))
        .collect();
    constrain(&mut new, &orig, cut, duration_s);
    // Agreement of the placed cues with speech.
    let (mut on, mut total) = (0i64, 0i64);
    for k in (0..n).filter(|&k| !cut[k]) {
        let a = (new[k].0 * 100.0).round() as i64;
        let b = (new[k].1 * 100.0).round() as i64;
        on += prefix.speech(a, b);
        total += (b - a).max(0);
    }
    let agreement = if total > 0 {
        on as f64 / total as f64
    } else {
        0.0
    };
    let base = speech_frames as f64 / evidence.speech.len().max(1) as f64;
    let speech_confidence = ((agreement - base) / (1.0 - base).max(1e-6)).clamp(0.0, 1.0);
    let confidence = if with_words > 0 {
        heard_ok as f64 / with_words as f64
    } else {
        speech_confidence
    };
    let cut_count = cut.iter().filter(|&&c| c).count();
    if cut_count * 2 > n
        || (!timed_by_words && (confidence < config.min_confidence || another_reading))
    {
        return Err(Error::Mismatch {
            path: path.to_path_buf(),
            message: if cut_count * 2 > n {
                format!(
                    "{cut_count} of {n} cues find no place in the {} ({duration_s:.1} s): these \
                     subtitles are not of this recording, or it is far shorter than they are; \
                     nothing written",
                    evidence.source_name()
                )
            } else if another_reading {
                // Their words are here, each cue off by its own amount: no few offsets fit
                // them, and writing the best of those would leave most cues off their words.
                format!(
                    "the words of {elsewhere} of {with_words} cues were heard clearly, but away \
                     from where the sync puts them (more than 0.3 s off; {heard_ok} on their \
                     place): these subtitles seem timed for another recording of the same text \
                     (another reading or voice), or timed loosely cue by cue, not shifted, \
                     stretched or cut from this one; nothing written (--shift-only). Without \
                     --shift-only, every cue is timed by its own words (only times change)"
                )
            } else if with_words > 0 {
                // Subtitles translated from the recording's language fit its speech but not
                // its words, and their words cannot tell them from another recording's (both
                // hear 0–2 of dozens of cues in place, docs/sync.md, session 42): the user can.
                format!(
                    "only {heard_ok} of {with_words} cues' words (read as language `{}`) were \
                     heard clearly where the sync puts them (confidence {confidence:.2}, below \
                     {:.2}): these subtitles seem to belong to another recording; nothing \
                     written. If they are of this recording but in another language than its \
                     speech (a translation), sync them by the speech alone with --no-words",
                    evidence.language.code, config.min_confidence
                )
            } else {
                format!(
                    "the cues do not follow the {}'s speech (confidence {confidence:.2}, below \
                     {:.2}): these subtitles seem to belong to another recording; nothing written",
                    evidence.source_name(),
                    config.min_confidence
                )
            },
        });
    }
    // Write back, file order.
    let to_ms = |s: f64| (s * 1000.0).round() as i64;
    let mut cues = vec![None; n];
    for (k, &i) in order.iter().enumerate() {
        let cue = &mut subs.cues[i];
        let old = cue.start_ms;
        cue.start_ms = to_ms(new[k].0);
        cue.end_ms = to_ms(new[k].1).max(cue.start_ms);
        cues[i] = Some(CueShift {
            number: cue.number,
            start_s: cue.start_ms as f64 / 1000.0,
            end_s: cue.end_ms as f64 / 1000.0,
            shift_s: (cue.start_ms - old) as f64 / 1000.0,
            cut: cut[k],
        });
    }
    let mut splits = Vec::new();
    let placed: Vec<usize> = (0..n).filter(|&k| !cut[k]).collect();
    for pair in placed.windows(2) {
        let (p, q) = (pair[0], pair[1]);
        let shift = |k: usize| new[k].0 - orig[k].0 * ratio;
        let jump = shift(q) - shift(p);
        if offsets[p] != offsets[q] {
            splits.push(Split {
                after_cue: subs.cues[order[p]].number,
                before_cue: subs.cues[order[q]].number,
                at_s: round3(new[q].0),
                jump_s: round3(jump),
            });
        }
    }
    let first = placed.first().copied().unwrap_or(0);
    Ok(SyncReport {
        offset_s: round3(new[first].0 - orig[first].0 * ratio),
        ratio: (ratio * 1e6).round() / 1e6,
        splits,
        cut_cues: (0..n)
            .filter(|&k| cut[k])
            .map(|k| subs.cues[order[k]].number)
            .collect(),
        cues: cues.into_iter().flatten().collect(),
        confidence: round3(confidence),
        evidence: if with_words > 0 {
            "words"
        } else if evidence.kind == "reference" {
            "reference"
        } else {
            "speech"
        }
        .into(),
        cues_with_words: with_words,
        cues_heard: heard_ok,
        sampled,
        each_cue: false,
        another_reading,
        layout_kept: true,
        heard_layout_kept: false,
        speech_agreement: round3(agreement),
        duration_s: round3(duration_s),
        language: (with_words > 0).then(|| evidence.language.code.clone()),
        notes: evidence.notes.clone(),
    })
}

/// Cue times (ms) as frames after `ratio`.
fn scaled_for(times: &[(i64, i64)], ratio: f64) -> Vec<(i64, i64)> {
    times
        .iter()
        .map(|&(s, e)| {
            let a = (s as f64 * ratio / 10.0).round() as i64;
            let b = (e as f64 * ratio / 10.0).round() as i64;
            (a, b.max(a))
        })
        .collect()
}

/// One reading of the speech evidence: a ratio and each cue's offset, refined to the frame,
/// cut cues resolved, cues placed in seconds and grouped in stretches.
struct Hypothesis {
    offsets: Vec<Option<i64>>,
    cut: Vec<bool>,
    mapped: Vec<Option<(f64, f64)>>,
    stretches: Vec<Vec<usize>>,
}

impl Hypothesis {
    fn new(
        ratio: f64,
        mut offsets: Vec<Option<i64>>,
        prefix: &SpeechPrefix,
        scaled: &[(i64, i64)],
        times: &[(i64, i64)],
    ) -> Hypothesis {
        split::refine(
            prefix,
            scaled,
            &mut offsets,
            split::SplitConfig::default().step,
        );
        let cut = resolve_cuts(&mut offsets, scaled, prefix.frames());
        let mapped = offsets
            .iter()
            .zip(times)
            .map(|(o, &(s, e))| {
                o.map(|o| {
                    let start = (s as f64 * ratio + o as f64 * 10.0) / 1000.0;
                    (start, start + (e - s) as f64 * ratio / 1000.0)
                })
            })
            .collect();
        let stretches = stretches(&offsets);
        Hypothesis {
            offsets,
            cut,
            mapped,
            stretches,
        }
    }
}

/// What [`listen`] found.
#[derive(Default)]
struct Listened {
    /// Per stretch, the line `(offset s, rate)` through where its cues' first words started and
    /// last words ended.
    fits: Vec<(f64, f64)>,
    /// Cues with words listened to.
    with_words: usize,
    /// Of those, heard within 0.3 s of their stretch's line with a fit of at least
    /// [`words::PLACED_FIT`]: tells layouts apart.
    placed: usize,
    /// Of those, heard there with a fit of at least [`words::CLEAR_FIT`]: the confidence.
    clear: usize,
    /// Cues with words heard with a fit of at least [`words::CLEAR_FIT`] but more than 0.3 s
    /// off their stretch's line: their words are in the recording, not where it puts them.
    elsewhere: usize,
}

impl Listened {
    /// Counts a cue with words heard `on_line` (within 0.3 s of its stretch's line) with
    /// fit `g`: what [`listen`] and the fast path's sample both count.
    fn count_heard(&mut self, on_line: bool, g: f32) {
        self.placed += usize::from(on_line && g >= words::PLACED_FIT);
        if g >= words::CLEAR_FIT {
            self.clear += usize::from(on_line);
            self.elsewhere += usize::from(!on_line);
        }
    }

    /// At least [`ANOTHER_READING_SHARE`] as many cues heard clearly off their line as on
    /// it, and at least [`ANOTHER_READING_MIN_CUES`] of them: the subtitles' words are
    /// spoken here, but each cue at its own distance from where any few offsets put it, as
    /// subtitles timed for another recording of the same text (another voice, another
    /// reading), or timed loosely by hand, are. Measured on 37-minute renditions with each
    /// other's subtitles (six pairs): 1.5–3.2 times as many cues off their line as on it;
    /// on every matched recording at most 0.37 times (a reverberant hall with its telephone
    /// parts), docs/sync.md, session 47. Another text's words are not heard clearly
    /// anywhere (none off their line in 15 pairs). Cues in another language than English
    /// refused so go to the speech's placement, as every refusal of theirs does
    /// (`sync_recording`).
    fn timed_for_another_reading(&self) -> bool {
        self.elsewhere as f64 >= ANOTHER_READING_SHARE * self.clear as f64
            && self.elsewhere >= ANOTHER_READING_MIN_CUES
    }
}

/// Of layouts that listened to the same sample of cues (in order of preference), the one that
/// heard the most of it in place, the earlier on a tie. Most of the sample, not the best share
/// of the cues a layout placed: a layout that calls a poorly heard cue cut takes it out of its
/// own count, and a wrong ratio with a staircase of four splits won so by one cue in a hall
/// (docs/sync.md, session 44).
fn best_heard(hearings: &[Listened]) -> usize {
    (0..hearings.len())
        .max_by(|&a, &b| hearings[a].placed.cmp(&hearings[b].placed).then(b.cmp(&a)))
        .unwrap_or(0)
}

/// The words of the cues (those in `sample`, or all) heard around their places: per stretch
/// the line through where its cues' first words were heard, how many cues with words were
/// listened to, and how many of them were heard in place.
fn listen(
    h: &Hypothesis,
    words: &[Vec<String>],
    ears: Ears,
    sample: Option<&[bool]>,
    config: &SyncConfig,
) -> Listened {
    let chosen = |k: usize| sample.is_none_or(|s| s[k]);
    let placed: Vec<Option<(f64, f64)>> = h
        .mapped
        .iter()
        .enumerate()
        .map(|(k, m)| m.filter(|_| chosen(k)))
        .collect();
    let spans = words::hear_spans(ears, &placed, config.word_slack_s);
    let mut listened = Listened {
        fits: vec![(0.0, 1.0); h.stretches.len()],
        ..Listened::default()
    };
    for (s, members) in h.stretches.iter().enumerate() {
        let points = words::points(members, &placed, &spans, config.word_slack_s);
        if let Some(fit) = words::fit(&points) {
            listened.fits[s] = fit;
        }
        let (offset, rate) = listened.fits[s];
        for &k in members {
            let Some((m, _)) = placed[k] else { continue };
            if words[k].is_empty() {
                continue;
            }
            listened.with_words += 1;
            if let Some((heard_s, _, g)) = spans[k] {
                listened.count_heard((heard_s - (offset + rate * m)).abs() <= 0.3, g);
            }
        }
    }
    listened
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Cues the split search left out: between two cues of the same offset they take it (a cue
/// over music or silence, not cut material); before the first or after the last placed cue
/// they take their neighbour's when that keeps them within 1 s of the recording (they are
/// then clamped to it). The rest are cut:
/// `true` in the returned list.
fn resolve_cuts(offsets: &mut [Option<i64>], cues: &[(i64, i64)], frames: i64) -> Vec<bool> {
    let mut cut = vec![false; offsets.len()];
    for std::ops::Range {
        start: k,
        end: run_end,
    } in unplaced_runs(offsets)
    {
        let before = k.checked_sub(1).and_then(|j| offsets[j]);
        let after = offsets.get(run_end).copied().flatten();
        let fill = match (before, after) {
            (Some(a), Some(b)) if a == b => Some(a),
            (Some(_), Some(_)) => None,
            (Some(o), None) | (None, Some(o)) => {
                let inside =
                    (k..run_end).all(|j| cues[j].0 + o >= -100 && cues[j].1 + o <= frames + 100);
                inside.then_some(o)
            }
            (None, None) => None,
        };
        for j in k..run_end {
            offsets[j] = fill;
            cut[j] = fill.is_none();
        }
    }
    cut
}

/// Runs of cues with no offset (`None`), in order.
fn unplaced_runs(offsets: &[Option<i64>]) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let mut k = 0;
    while k < offsets.len() {
        if offsets[k].is_some() {
            k += 1;
            continue;
        }
        let end = (k..offsets.len())
            .find(|&j| offsets[j].is_some())
            .unwrap_or(offsets.len());
        runs.push(k..end);
        k = end;
    }
    runs
}

/// Runs of placed cues with the same offset (indices in time order).
fn stretches(offsets: &[Option<i64>]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut last: Option<i64> = None;
    for (k, o) in offsets.iter().enumerate() {
        let Some(o) = *o else { continue };
        if last != Some(o) || out.is_empty() {
            out.push(Vec::new());
        }
        out.last_mut().expect("just pushed").push(k);
        last = Some(o);
    }
    out
}

/// The rules every output keeps (time order): no cue before 0 or past `duration`; no more
/// overlap between neighbours than they had (`orig`); cut cues share the room between the
/// placed cues around them, in their order.
fn constrain(new: &mut [(f64, f64)], orig: &[(f64, f64)], cut: &[bool], duration: f64) {
    let n = new.len();
    // Placed cues: inside the recording, in order, overlaps no wider than before.
    let placed: Vec<usize> = (0..n).filter(|&k| !cut[k]).collect();
    for &k in &placed {
        let len = (new[k].1 - new[k].0).max(0.0);
        let start = new[k].0.clamp(0.0, duration);
        new[k] = (start, (start + len).min(duration));
    }
    for w in 1..placed.len() {
        let (p, q) = (placed[w - 1], placed[w]);
        let allowed = (orig[p].1 - orig[q].0).max(0.0);
        if new[q].0 < new[p].0 {
            let len = new[q].1 - new[q].0;
            new[q] = (new[p].0, (new[p].0 + len).min(duration));
        }
        if new[p].1 > new[q].0 + allowed {
            new[p].1 = (new[q].0 + allowed).max(new[p].0);
        }
    }
    // Cut cues: evenly in the room between their placed neighbours.
    let mut k = 0;
    while k < n {
        if !cut[k] {
            k += 1;
            continue;
        }
        let run_end = (k..n).find(|&j| !cut[j]).unwrap_or(n);
        let lo = k.checked_sub(1).map_or(0.0, |j| new[j].1);
        let hi = if run_end < n {
            new[run_end].0
        } else {
            duration
        };
        let (lo, hi) = (lo.min(hi), hi.max(lo));
        let share = (hi - lo) / (run_end - k) as f64;
        for (m, j) in (k..run_end).enumerate() {
            let start = lo + share * m as f64;
            let len = (orig[j].1 - orig[j].0).min(share);
            new[j] = (start, start + len);
        }
        k = run_end;
    }
}

#[cfg(test)]
mod tests;
