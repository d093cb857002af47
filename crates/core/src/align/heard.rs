//! Snapping turns and their words with the acoustic model, starting from the lattice.
//!
//! The lattice decides which stretch of speech belongs to which turn, globally; the acoustic
//! model then forced-aligns each transcribed turn's words inside a window around that
//! stretch, with a free phone loop at both ends so a neighbour's speech in the window is
//! never forced into the turn's words. A turn moves to where its first and last words land
//! only when the move stays within the lattice's own uncertainty or the words fit the audio
//! clearly better than an unconstrained phone loop does: the model alone, inside windows,
//! places some turns seconds wrong, and the lattice is right far more often than that. For
//! the same reason the search itself leans towards the lattice's starts: a near tie between
//! two boundaries (a room's echo) goes to the lattice's onset.

use std::ops::Range;
use std::rc::Rc;

use rayon::prelude::*;

use super::Placement;
use super::placed::{Snapped, WordFit, WordSpan};
use crate::acoustic::cepstra::Cepstra;
use crate::acoustic::forced::{self, ForcedConfig};
use crate::acoustic::frontend::{self, NCEP};
use crate::acoustic::late_reverb::{Dereverb, LateReverb};
use crate::acoustic::model::AcousticModel;
use crate::acoustic::pronounce::{Phone, Pronounced};
use crate::acoustic::scorer::{LazyTops, Mixer, Scoring, SenoneSet};
use crate::time::{Frame, frame_count, frames_to_seconds};

/// Tuning of the acoustic snap; defaults chosen on every evaluation recording (Festival,
/// real speech and espeak-ng renditions together; docs/accuracy.md).
#[derive(Debug, Clone, PartialEq)]
pub struct HeardConfig {
    /// Audio searched on each side of the lattice's placement, seconds. Default 4.
    pub slack_s: f64,
    /// A start or end may move this far from the lattice's on any fit, seconds. Default 0.3.
    pub near_s: f64,
    /// Goodness of pronunciation (mean per-frame log-likelihood of the words over the phone
    /// loop) at or above which a turn may move anywhere in its window. Default -5.
    pub strong_goodness: f32,
    /// Below this goodness the alignment is not used at all (no move, no words), unless it
    /// agrees with the lattice (below). Default -5 (-4 before session 33: in a reverberant
    /// hall right words fit -4 to -5, and their turns kept a lattice place seconds off; fits
    /// in between are [`Self::weak_goodness`]'s, so a better hearing is still looked for).
    pub min_goodness: f32,
    /// A fit below [`Self::min_goodness`] but at least this is still used when the words
    /// were heard where the lattice put the turn (start and end within [`Self::near_s`]):
    /// two independent placements agree, so the words' times are kept (noisy speech fits
    /// worse everywhere). Default -7: on Festival at 10 dB it gave 477 more words their
    /// times, and no turn of any recording moved for the worse (-12 gave the same).
    pub agreeing_goodness: f32,
    /// Most consecutive transcribed turns aligned together. Default 8.
    pub run_turns: usize,
    /// Longest run of turns aligned together, seconds of lattice placement. Default 120.
    pub max_run_s: f64,
    /// Longest first or last word (seconds) that [`Self::lone_word_gap_s`] may move.
    /// Default 0.1.
    pub lone_word_s: f64,
    /// A short edge word parted from the rest of its turn by a pause longer than this
    /// (seconds) is moved next to it. Default 0.5; infinity turns the rule off.
    pub lone_word_gap_s: f64,
    /// An edge word of any length parted from the rest of its turn by a pause longer than
    /// this (seconds) is moved next to it when its fit is below [`Self::lone_word_fit`]: a
    /// weak first word a second before the rest is noise or the pause, not the turn's start.
    /// Default 1.0: on the 17 evaluation recordings the pauses after a true first word or
    /// before a true last word reach 0.66 s; the misheard ones were 1.2-2.6 s.
    pub lone_word_long_gap_s: f64,
    /// Fit below which [`Self::lone_word_long_gap_s`] moves an edge word. Default -2: the
    /// misheard edge words fitted -2.5 to -5.
    pub lone_word_fit: f32,
    /// An edge word of any length parted from the rest of its turn by a pause longer than
    /// [`Self::lone_word_gap_s`] is moved next to it when its fit is below this: the word was
    /// not heard at all, its frames are the pause or the neighbour's tail. Default -6: on the
    /// evaluation set the true edge words across pauses of 0.5-1 s fit -3.7 and better; the
    /// one misheard (a "Why" taking the "uh" of the neighbour's "Huh?" at 20 dB) fitted -8.2.
    pub lone_word_unheard_fit: f32,
    /// A weakly heard edge word (fit below [`Self::lone_word_fit`]) that touches the
    /// neighbouring turn's words in the same run, no pause between them, is moved next to
    /// the rest of its turn when a pause longer than this (seconds) parts it from them: it
    /// was heard over the neighbour's tail or the silence after it, not where its speaker
    /// said it. Default 0.2: on the evaluation set such words sat 0.22-0.45 s from their
    /// turn (a 30 ms "Oh" at fit -7.2 ending the previous speaker's turn); a touching edge word
    /// with no pause after it is left alone. Infinity turns the rule off.
    pub touching_word_gap_s: f64,
    /// A turn's edge words beyond its first or last pause (longer than
    /// [`Self::lone_word_gap_s`]; at most three words and half the turn) whose frames are
    /// likelier under the neighbouring turn's speaker than under its own by more than this
    /// many nats a frame (each speaker a diagonal Gaussian over cepstra c1..c12 of the words
    /// of all their heard turns), while the rest of the turn is not, were heard on the
    /// neighbour's speech; so were they when the speech inside that pause sounds like the
    /// neighbour's speaker by as much and the neighbour's own words sound like this turn's.
    /// The turn is then heard again without those frames, and the neighbour with them
    /// ([`hear_edges_by_voice`]). Default 0.5: on the evaluation set the edge words heard
    /// on the neighbour's speech leant 1.1-2.5 towards it, the 80 placed right 0.24 and less
    /// (docs/accuracy.md, session 18); the speech in the pauses of 19 edges leant up to 1.99,
    /// but the neighbour's words leant back (above 0) only where the turns were swapped
    /// (2.6). Infinity turns it off; only the aligner reads it, not the subtitle sync.
    pub voice_edge_llr: f64,
    /// A heard turn may take speech from an unheard neighbour (untranscribed, or its words
    /// not heard), which is cut back to keep at least `min_unheard_s`. Default on.
    pub claim_from_unheard: bool,
    /// Shortest an unheard neighbour is cut to, seconds. Default 0.3.
    pub min_unheard_s: f64,
    /// Least goodness of pronunciation of a turn that claims from an unheard neighbour.
    /// Default -4, every fit used: -3 kept two turns in 5 dB noise from taking their
    /// untranscribed neighbours' speech but lost one real phone-call turn (docs/accuracy.md).
    pub claim_goodness: f32,
    /// Transcribed turns whose words were not heard around the lattice's place, between two
    /// turns that were, are heard again in the whole gap between those two: the lattice
    /// can misplace a few turns by more than [`Self::slack_s`] (no stamps, quick exchanges),
    /// but they can only lie between their heard neighbours. Default on.
    pub rehear_gaps: bool,
    /// A fit below this is weak, even where [`Self::min_goodness`] lets it place its turn:
    /// a run with a turn that fits below it in the coarse search is searched again with
    /// every frame scored; a turn that fits below it around the lattice's place (and not
    /// where the lattice put it) is heard again in the gap ([`Self::rehear_gaps`]), where
    /// the better fit is kept; and its confidence is the lattice's, as if unheard. Default
    /// -4 (docs/accuracy.md, session 33).
    pub weak_goodness: f32,
    /// The gap of [`Self::rehear_gaps`] runs past turns without words beside the run, to
    /// the next heard turn. Default on; off where the text may not be in the audio at all
    /// (the sync's cues beside a cut: heard in the wider gap, cut cues found other speech).
    pub rehear_past_untranscribed: bool,
    /// A run whose edge words were squeezed into its window's edge is heard again in a
    /// window widened by the slack (`hear_past_edges`). Default on; off where the window
    /// is itself the question (the sync hears a cue where one offset puts it: widened, a
    /// cue whose audio was cut found other speech past the edge).
    pub hear_past_edges: bool,
    /// Cost (natural log) per 10-ms frame of a run's turn heard starting more than
    /// [`Self::near_s`] from where the lattice started it, in the run's first hearing. The
    /// lattice's starts sit at onsets, which a room's echo blurs less than the pauses inside
    /// a run: there the last word of one turn, held over the echo, can take the next turn's
    /// opening and shift the boundary by seconds at a good fit. A near tie between two
    /// boundaries goes to the lattice's; clear evidence still moves a turn anywhere in its
    /// window. Default 0.1 with [`Self::lattice_start_pull_most`] 20 (docs/accuracy.md,
    /// session 33: 0.2 and 0.3, or a cost of 40, pulled turns of a hall to the lattice's
    /// errors); 0 leaves the boundaries to the words alone.
    pub lattice_start_pull: f32,
    /// Most that [`Self::lattice_start_pull`] costs a turn (nats), however far from the
    /// lattice's start it is heard: where the lattice put a turn seconds off, the pull must
    /// not grow with its error. Default 20 (reached 2.3 s from the lattice's start).
    pub lattice_start_pull_most: f32,
    /// In a run of several turns, each turn's first word starts within this many seconds
    /// of its placement's start, in the run's first hearing (a bound, not a pull: free
    /// within it, no entry beyond; a run with no path inside its bounds is heard turn by
    /// turn, each in its own window). For a caller whose placement is the
    /// question (the sync hears each cue within `slack_s` of where one offset puts it): a
    /// lone turn's window bounds it already, but in a run the words of one turn could slide
    /// over its neighbours' places (a hall's Spanish cues, their first words heard 12 s
    /// late: docs/sync.md, session 42). Replaces [`Self::lattice_start_pull`] there.
    /// Default `None`.
    pub run_start_bound_s: Option<f64>,
    /// The forced aligner's search.
    pub forced: ForcedConfig,
    /// A window is searched twice: first with the Gaussians scored at every other frame
    /// (half their cost), then at every frame in a band of the states the first path holds
    /// within this many frames of each frame, which decides the boundaries. 0 searches once,
    /// every frame scored. Default 8 (docs/speed.md, session 24).
    pub refine_reach_frames: usize,
    /// The band's reach around the words of a turn that fits below
    /// [`Self::refine_poor_fit`] in the first search. Default 32.
    pub refine_poor_reach_frames: usize,
    /// Fit below which a turn's words get [`Self::refine_poor_reach_frames`]. Default -2.5:
    /// the first path's words moved in the second search for 0.2-0.8 % of the words of
    /// turns fitting -2.5 and better on the evaluation set, 1-5 % below (docs/speed.md,
    /// session 24).
    pub refine_poor_fit: f32,
    /// Leave the lattice's posterior as every turn's confidence instead of
    /// `turn_confidence`, so that the confidence can be refitted
    /// (scripts/fit_turn_confidence.py). Default false.
    pub raw_confidence: bool,
    /// The room's late echo, taken out of every window heard (`acoustic::late_reverb`).
    /// `align` measures it on the recording when [`AlignConfig::take_out_late_reverb`] is
    /// on, replacing what is given here; with that off, a value given here is used as it is
    /// (a room known beforehand). `None` hears the cepstra as they are. Default `None`.
    ///
    /// [`AlignConfig::take_out_late_reverb`]: super::AlignConfig::take_out_late_reverb
    pub late_reverb: Option<LateReverb>,
}

impl Default for HeardConfig {
    fn default() -> Self {
        HeardConfig {
            slack_s: 4.0,
            near_s: 0.3,
            strong_goodness: -5.0,
            min_goodness: -5.0,
            agreeing_goodness: -7.0,
            run_turns: 8,
            max_run_s: 120.0,
            lone_word_s: 0.1,
            lone_word_gap_s: 0.5,
            lone_word_long_gap_s: 1.0,
            lone_word_fit: -2.0,
            lone_word_unheard_fit: -6.0,
            touching_word_gap_s: 0.2,
            voice_edge_llr: 0.5,
            claim_from_unheard: true,
            min_unheard_s: 0.3,
            claim_goodness: -4.0,
            rehear_gaps: true,
            weak_goodness: -4.0,
            rehear_past_untranscribed: true,
            hear_past_edges: true,
            lattice_start_pull: 0.1,
            lattice_start_pull_most: 20.0,
            run_start_bound_s: None,
            forced: ForcedConfig::default(),
            refine_reach_frames: 8,
            refine_poor_reach_frames: 32,
            refine_poor_fit: -2.5,
            raw_confidence: false,
            late_reverb: None,
        }
    }
}

impl HeardConfig {
    /// The fit below which a hearing is weak: [`Self::weak_goodness`], or
    /// [`Self::min_goodness`] where that is higher (nothing below it is used at all).
    fn weak_bar(&self) -> f32 {
        self.min_goodness.max(self.weak_goodness)
    }

    /// These settings with weak fits placing nothing: [`Self::min_goodness`] and
    /// [`Self::strong_goodness`] raised to [`Self::weak_goodness`] (the bars before session
    /// 33, on which the subtitle sync's rules were chosen).
    pub fn without_weak_fits(self) -> Self {
        HeardConfig {
            min_goodness: self.weak_goodness,
            strong_goodness: self.weak_goodness,
            ..self
        }
    }
}

/// What the acoustic model found for one turn.
#[derive(Debug, Clone, PartialEq)]
pub struct Heard {
    /// First frame of its first word.
    pub start: Frame,
    /// One past the last frame of its last word.
    pub end: Frame,
    /// Goodness of pronunciation of the whole turn.
    pub goodness: f32,
    /// Each transcript word's span, in the order of `Turn::words`; words without a
    /// pronunciation get an empty span where the next word starts.
    pub words: Vec<WordSpan>,
    /// Each word's phones: name and frames.
    pub phones: Vec<Vec<(Phone, Frame, Frame)>>,
    /// Each word's fit (goodness of pronunciation over its own frames, and at its start);
    /// `None` for words without a pronunciation.
    pub word_fits: Vec<Option<WordFit>>,
}

/// Forced-aligns the transcribed turns' words around their lattice placements; one entry
/// per turn, `None` where there was nothing to align or no path. Runs of up to
/// [`HeardConfig::run_turns`] consecutive transcribed turns are aligned together, so the
/// boundaries between them are decided by their words, not by the lattice; an untranscribed
/// turn always ends a run (its speech is left to the free ends, never to a neighbour's
/// words). Runs are aligned in parallel.
pub fn hear_turns(
    placements: &[Placement],
    words: &[Option<Vec<Option<Pronounced>>>],
    model: &AcousticModel,
    cepstra: &Cepstra,
    config: &HeardConfig,
) -> Vec<Option<Heard>> {
    let runs = runs(placements, words, config);
    let seams: Vec<usize> = runs
        .windows(2)
        .filter(|pair| pair[0].end == pair[1].start)
        .map(|pair| pair[1].start)
        .collect();
    let heard: Vec<(usize, Vec<Option<Heard>>)> = longest_first(runs, placements, words)
        .into_par_iter()
        .map(|run| {
            let first = run.start;
            // A run that finds no path (one turn's text far longer than its audio, say) is
            // retried turn by turn, so the others are still heard.
            let around = |run: &Range<usize>| {
                window(
                    placements[run.start].start,
                    placements[run.end - 1].end,
                    frame_count(config.slack_s),
                    cepstra.len(),
                )
            };
            let heard = around(&run)
                .and_then(|w| {
                    let heard = hear_run(
                        model,
                        cepstra,
                        words,
                        run.clone(),
                        w.clone(),
                        Some(placements),
                        config,
                    )?;
                    Some(hear_past_edges(
                        heard, &run, w, words, model, cepstra, config,
                    ))
                })
                .unwrap_or_else(|| {
                    run.clone()
                        .map(|t| {
                            around(&(t..t + 1))
                                .and_then(|w| {
                                    hear_run(
                                        model,
                                        cepstra,
                                        words,
                                        t..t + 1,
                                        w,
                                        Some(placements),
                                        config,
                                    )
                                })
                                .and_then(|mut one| one.pop().flatten())
                        })
                        .collect()
                });
            (first, heard)
        })
        .collect();
    let mut out = vec![None; placements.len()];
    for (first, run) in heard {
        for (k, h) in run.into_iter().enumerate() {
            out[first + k] = h;
        }
    }
    hear_seams(&mut out, &seams, words, model, cepstra, config);
    if config.rehear_gaps {
        hear_gaps(&mut out, placements, words, model, cepstra, config);
    }
    out
}

/// Hears again the turns whose edges were heard in the neighbouring turn's voice
/// ([`HeardConfig::voice_edge_llr`], [`super::edge_voice`]). Two signs, at each edge where
/// the neighbour's speaker differs: the turn's edge words (those past its first or last
/// pause) sound like the neighbour's speaker; or the speech inside that pause (`chunks`,
/// matched to no word) does, the turn's edge words then standing on the neighbour's
/// neighbour's speech. The turn is heard again alone in its frames up to (from) the cut,
/// the first frame of the group or of the pause's speech (the last, at a turn's start), and
/// the neighbour, when heard, from (up to) there: alone for the first sign, with its own
/// further neighbour for the second. Decided on the hearings as they are; a turn changed
/// once is not changed again. `speakers` per turn.
pub(crate) fn hear_edges_by_voice(
    heard: &mut [Option<Heard>],
    speakers: &[Option<String>],
    chunks: &[super::Chunk],
    words: &[Option<Vec<Option<Pronounced>>>],
    model: &AcousticModel,
    cepstra: &Cepstra,
    config: &HeardConfig,
) {
    use super::edge_voice::{VoiceStats, edge_group, in_neighbours_voice, lean};
    use std::collections::HashMap;
    if !config.voice_edge_llr.is_finite() || heard.len() < 2 {
        return;
    }
    let gap = Frame::from_seconds(config.lone_word_gap_s).index();
    // Statistics of the frames `ranges` inside turn `i`'s heard span.
    let stats_in = |i: usize, ranges: &[Range<usize>]| -> VoiceStats {
        let mut s = VoiceStats::default();
        let Some(h) = heard[i].as_ref() else { return s };
        let Ok(f) = cepstra.window(h.start.index()..h.end.index()) else {
            return s;
        };
        for r in ranges {
            let (a, b) = (
                r.start.saturating_sub(h.start.index()),
                r.end.saturating_sub(h.start.index()),
            );
            for frame in f.get(a.min(f.len())..b.min(f.len())).unwrap_or(&[]) {
                s.add(frame);
            }
        }
        s
    };
    let spans_of = |h: &Heard| -> Vec<Range<usize>> {
        h.words
            .iter()
            .map(|w| w.start.index()..w.end.index())
            .collect()
    };
    let turn_stats: Vec<VoiceStats> = heard
        .iter()
        .enumerate()
        .map(|(i, h)| {
            h.as_ref()
                .map_or_else(VoiceStats::default, |h| stats_in(i, &spans_of(h)))
        })
        .collect();
    let mut by_speaker: HashMap<&str, VoiceStats> = HashMap::new();
    let mut overall = VoiceStats::default();
    for (i, s) in turn_stats.iter().enumerate() {
        let Some(h) = heard[i].as_ref() else { continue };
        if h.goodness < config.min_goodness {
            continue;
        }
        overall = overall.plus(s);
        if let Some(name) = speakers.get(i).and_then(Option::as_deref) {
            let e = by_speaker.entry(name).or_default();
            *e = e.plus(s);
        }
    }
    let mut moves: Vec<EdgeMove> = Vec::new();
    for i in 0..heard.len() {
        for head in [true, false] {
            let j = if head { i.checked_sub(1) } else { Some(i + 1) };
            let Some(j) = j.filter(|&j| j < heard.len()) else {
                continue;
            };
            let (Some(h), Some(mine), Some(theirs)) = (
                heard[i].as_ref(),
                speakers.get(i).and_then(Option::as_deref),
                speakers.get(j).and_then(Option::as_deref),
            ) else {
                continue;
            };
            if mine == theirs {
                continue;
            }
            let spans = spans_of(h);
            let Some(group) = edge_group(&spans, gap, head) else {
                continue;
            };
            let group_stats = stats_in(
                i,
                &group.iter().map(|&k| spans[k].clone()).collect::<Vec<_>>(),
            );
            let own_stats = by_speaker.get(mine).copied().unwrap_or_default();
            let Some(other) = by_speaker.get(theirs).and_then(|s| s.model(&overall)) else {
                continue;
            };
            // The edge words in the neighbour's voice.
            let without_group = if h.goodness >= config.min_goodness {
                own_stats.minus(&group_stats)
            } else {
                own_stats
            };
            let rest_stats = turn_stats[i].minus(&group_stats);
            if let Some(own) = without_group.model(&overall)
                && in_neighbours_voice(
                    &group_stats,
                    &rest_stats,
                    &own,
                    &other,
                    config.voice_edge_llr,
                )
            {
                let cut = if head {
                    spans[*group.last().expect("a group has words")].end
                } else {
                    spans[group[0]].start
                };
                moves.push(EdgeMove {
                    turn: i,
                    neighbour: Some(j),
                    head,
                    cut,
                    with_further: false,
                    at_onset: false,
                });
                continue;
            }
            // The speech in the pause that parts the group from the rest, in the
            // neighbour's voice.
            let pause = if head {
                spans[*group.last().expect("a group has words")].end
                    ..(spans
                        .iter()
                        .skip(group.last().expect("a group has words") + 1))
                    .find(|r| !r.is_empty())
                    .map_or(0, |r| r.start)
            } else {
                spans[..group[0]]
                    .iter()
                    .rev()
                    .find(|r| !r.is_empty())
                    .map_or(0, |r| r.end)..spans[group[0]].start
            };
            let speech: Vec<Range<usize>> = chunks
                .iter()
                .filter(|c| c.start.index() < pause.end && c.end.index() > pause.start)
                .map(|c| c.start.index().max(pause.start)..c.end.index().min(pause.end))
                .collect();
            let (Some(first), Some(last)) = (speech.first(), speech.last()) else {
                continue;
            };
            let speech_stats = stats_in(i, &speech);
            if speech_stats.frames() < super::edge_voice::MIN_GROUP_FRAMES as f64 {
                continue;
            }
            // ... and the neighbour's own words in this turn's voice: the two turns' speech
            // was swapped, not a breath or a noise in the pause.
            let counted = heard[j]
                .as_ref()
                .is_some_and(|n| n.goodness >= config.min_goodness);
            let them_without = by_speaker.get(theirs).copied().unwrap_or_default();
            let them_without = if counted {
                them_without.minus(&turn_stats[j])
            } else {
                them_without
            };
            if let Some(own) = own_stats.model(&overall)
                && let Some(them) = them_without.model(&overall)
                && turn_stats[j].frames() >= super::edge_voice::MIN_GROUP_FRAMES as f64
                && in_neighbours_voice(
                    &speech_stats,
                    &turn_stats[i],
                    &own,
                    &other,
                    config.voice_edge_llr,
                )
                && lean(&turn_stats[j], &them, &own) > config.voice_edge_llr
            {
                let cut = if head { last.end } else { first.start };
                moves.push(EdgeMove {
                    turn: i,
                    neighbour: Some(j),
                    head,
                    cut,
                    with_further: true,
                    at_onset: false,
                });
            }
        }
    }
    hear_again_at_cuts(heard, moves, words, model, cepstra, config);
}

/// Hears again, from the onset after it, each heard turn whose start lies in the echo of the
/// speech before it or in the quiet before its first sound ([`super::echo_start`]): its first
/// words were heard there. A start heard after the lattice's moves only out of such quiet:
/// a fall there can be the turn's own first words falling into a pause (`WELL, OK. BUT ...`);
/// before the lattice's, the words took sound the lattice gave the turn before. The turn
/// before is not heard again: its words were not in the echo. Where its end goes is left to
/// the rules that place heard ends (`apply` and after), which may give it part of the echo.
pub(crate) fn hear_starts_after_echoes(
    heard: &mut [Option<Heard>],
    lattice: &[Placement],
    levels: impl Fn(Range<usize>) -> Vec<f32>,
    words: &[Option<Vec<Option<Pronounced>>>],
    model: &AcousticModel,
    cepstra: &Cepstra,
    config: &HeardConfig,
) {
    let moves = heard
        .iter()
        .enumerate()
        .filter_map(|(turn, h)| {
            let h = h.as_ref()?;
            let onset =
                super::echo_start::onset_after_echo(&levels, h.start.index(), h.end.index())
                    .filter(|o| o.quiet_before || h.start < lattice[turn].start)?;
            Some(EdgeMove {
                turn,
                neighbour: None,
                head: true,
                cut: onset.frame,
                with_further: false,
                at_onset: true,
            })
        })
        .collect();
    hear_again_at_cuts(heard, moves, words, model, cepstra, config);
}

/// Hears each move's turn again on its side of the cut, and its neighbour (when the move
/// names one and it was heard) on the other; a turn changed once is not changed again.
fn hear_again_at_cuts(
    heard: &mut [Option<Heard>],
    moves: Vec<EdgeMove>,
    words: &[Option<Vec<Option<Pronounced>>>],
    model: &AcousticModel,
    cepstra: &Cepstra,
    config: &HeardConfig,
) {
    let near = frame_count(config.near_s) as usize;
    let len = cepstra.len();
    let mut changed = vec![false; heard.len()];
    for EdgeMove {
        turn: i,
        neighbour,
        head,
        cut,
        with_further,
        at_onset,
    } in moves
    {
        if changed[i] || neighbour.is_some_and(|j| changed[j]) {
            continue;
        }
        let Some(h) = heard[i].as_ref() else { continue };
        let mine_window = if head {
            cut..(h.end.index() + near).min(len)
        } else {
            h.start.index().saturating_sub(near)..cut
        };
        // The neighbour, with its further neighbour for the second sign.
        let theirs = neighbour.filter(|&j| heard[j].is_some()).map(|j| {
            let further = if head { j.checked_sub(1) } else { Some(j + 1) }
                .filter(|&k| with_further && k < heard.len() && heard[k].is_some() && !changed[k]);
            match further {
                Some(k) if head => k..j + 1,
                Some(k) => j..k + 1,
                None => j..j + 1,
            }
        });
        let theirs_window = theirs.as_ref().and_then(|theirs| {
            if head {
                heard[theirs.start]
                    .as_ref()
                    .map(|n| n.start.index().saturating_sub(near)..cut)
            } else {
                heard[theirs.end - 1]
                    .as_ref()
                    .map(|n| cut..(n.end.index() + near).min(len))
            }
        });
        let Some(new_mine) = hear_run(model, cepstra, words, i..i + 1, mine_window, None, config)
            .and_then(|mut v| v.pop().flatten())
        else {
            continue;
        };
        let new_theirs = match (&theirs, theirs_window) {
            (Some(theirs), Some(w)) => {
                match hear_run(model, cepstra, words, theirs.clone(), w, None, config) {
                    Some(n) if n.iter().all(Option::is_some) => Some((theirs.clone(), n)),
                    _ => continue,
                }
            }
            _ => None,
        };
        heard[i] = Some(new_mine);
        changed[i] = true;
        if at_onset && let Some(h) = heard[i].as_mut() {
            // The onset is the turn's first sound, heard as its words or not.
            h.start = h.start.min(Frame(cut as u32));
        }
        if let Some((theirs, new_theirs)) = new_theirs {
            for (t, n) in theirs.zip(new_theirs) {
                let Some(mut n) = n else { continue };
                // The frames given to the neighbour are its speech, heard as its words or
                // not (a drawn-out "IS..." the model heard only in its last 0.2 s).
                if Some(t) == neighbour {
                    if head {
                        n.end = n.end.max(Frame(cut as u32));
                    } else {
                        n.start = n.start.min(Frame(cut as u32));
                    }
                }
                heard[t] = Some(n);
                changed[t] = true;
            }
        }
    }
}

/// A turn edge heard on the neighbouring speaker's speech, to be heard again
/// ([`hear_edges_by_voice`]).
struct EdgeMove {
    turn: usize,
    /// Heard again on the other side of the cut, when heard; `None`: the turn alone.
    neighbour: Option<usize>,
    /// The turn's start (else its end).
    head: bool,
    /// The frame the turn is heard again up to (from, at its start), the neighbour from (up to).
    cut: usize,
    /// The neighbour is heard again with its own further neighbour (the two turns' speech
    /// was swapped), not alone.
    with_further: bool,
    /// The cut is the onset of the turn's first sound: its start, wherever its first word
    /// is heard after it.
    at_onset: bool,
}

/// Frames from a window's edge within which a run's edge word, heard poorly, is taken to be
/// squeezed into it.
const AT_EDGE_FRAMES: usize = 50;

/// Hears a run again in a window widened by the slack on each side where its words ran into
/// the window's edge: the lattice put the run further off than the slack, and the words
/// beyond the edge were squeezed into its first or last frames. Such a run starts (or
/// ends) within [`AT_EDGE_FRAMES`] of the edge and its words there are not heard
/// ([`squeezed`]; "Sir, can I just" squeezed into 0.34 s at fits −10 to −17). The wider hearing is kept when the turn at each widened edge now reaches
/// past the old edge and fits at least as well.
fn hear_past_edges(
    heard: Vec<Option<Heard>>,
    run: &Range<usize>,
    window: Range<usize>,
    words: &[Option<Vec<Option<Pronounced>>>],
    model: &AcousticModel,
    cepstra: &Cepstra,
    config: &HeardConfig,
) -> Vec<Option<Heard>> {
    let slack = frame_count(config.slack_s) as usize;
    let (first, last) = (
        heard.first().cloned().flatten(),
        heard.last().cloned().flatten(),
    );
    let early = first.as_ref().is_some_and(|h| {
        window.start > 0
            && h.start.index() <= window.start + AT_EDGE_FRAMES
            && squeezed(h, window.start..window.start + AT_EDGE_FRAMES, true, config)
    });
    let late = last.as_ref().is_some_and(|h| {
        window.end < cepstra.len()
            && h.end.index() + AT_EDGE_FRAMES >= window.end
            && squeezed(
                h,
                window.end.saturating_sub(AT_EDGE_FRAMES)..window.end,
                false,
                config,
            )
    });
    if !config.hear_past_edges || (!early && !late) {
        return heard;
    }
    let wider = if early {
        window.start.saturating_sub(slack)
    } else {
        window.start
    }..if late {
        (window.end + slack).min(cepstra.len())
    } else {
        window.end
    };
    let Some(again) = hear_run(model, cepstra, words, run.clone(), wider, None, config) else {
        return heard;
    };
    // Kept only when the edge turn now reaches past the old edge, and fits at least as
    // well: the window's own mean normalisation changes with it, and moves every word a
    // little even where nothing was squeezed.
    let beyond =
        |before: &Option<Heard>, after: Option<&Option<Heard>>, past: &dyn Fn(&Heard) -> bool| {
            match (before, after) {
                (Some(b), Some(Some(a))) => past(a) && a.goodness >= b.goodness,
                _ => false,
            }
        };
    let keep = (!early || beyond(&first, again.first(), &|a| a.start.index() < window.start))
        && (!late || beyond(&last, again.last(), &|a| a.end.index() > window.end));
    if keep { again } else { heard }
}

/// Whether the words a hearing puts in `edge` (frames at a window's edge) were not heard:
/// the word at the window's edge fits below [`HeardConfig::lone_word_unheard_fit`], or the
/// words in `edge` do together, weighted by their frames. Together as well as alone: words
/// squeezed into an edge share its frames unevenly ("AREN'T I JUST" in 0.39 s at fits
/// −5.7, −9.1 and −6.2, the first above the bar).
fn squeezed(h: &Heard, edge: Range<usize>, at_start: bool, config: &HeardConfig) -> bool {
    let bar = config.lone_word_unheard_fit;
    let mut fits = h.word_fits.iter().flatten().map(|f| f.fit);
    let outer = if at_start {
        fits.next()
    } else {
        fits.next_back()
    };
    if outer.is_some_and(|f| f < bar) {
        return true;
    }
    let (mut sum, mut frames) = (0.0f64, 0usize);
    for (span, fit) in h.words.iter().zip(&h.word_fits) {
        let (start, end) = (span.start.index(), span.end.index());
        if let Some(fit) = fit
            && start < edge.end
            && end > edge.start
        {
            sum += f64::from(fit.fit) * (end - start) as f64;
            frames += end - start;
        }
    }
    frames > 0 && sum / (frames as f64) < f64::from(bar)
}

/// Hears again, together, the two turns on each side of a seam between runs (`seams`: the
/// first turn of each run that directly follows another) when each run heard its own turn
/// over the same speech: alone in its window, a turn's first word takes the previous
/// speaker's last ones (a telephone "Oh" taking the "I say" before it), and which words own
/// the overlap is decided by the words of both, as inside a run.
fn hear_seams(
    heard: &mut [Option<Heard>],
    seams: &[usize],
    words: &[Option<Vec<Option<Pronounced>>>],
    model: &AcousticModel,
    cepstra: &Cepstra,
    config: &HeardConfig,
) {
    let near = frame_count(config.near_s) as usize;
    let overlapping: Vec<(Range<usize>, Range<usize>)> = seams
        .iter()
        .filter_map(|&i| {
            let (before, after) = (heard[i - 1].as_ref()?, heard[i].as_ref()?);
            (before.end > after.start).then(|| {
                let start = before.start.min(after.start).index().saturating_sub(near);
                let end = (before.end.max(after.end).index() + near).min(cepstra.len());
                (i - 1..i + 1, start..end)
            })
        })
        .collect();
    for (pair, again) in hear_runs_in(overlapping, words, model, cepstra, config) {
        if let [Some(before), Some(after)] = &again[..] {
            heard[pair.start] = Some(before.clone());
            heard[pair.start + 1] = Some(after.clone());
        }
    }
}

/// Hears each run of turns in its window, in parallel; runs with no path are left out.
fn hear_runs_in(
    runs: Vec<(Range<usize>, Range<usize>)>,
    words: &[Option<Vec<Option<Pronounced>>>],
    model: &AcousticModel,
    cepstra: &Cepstra,
    config: &HeardConfig,
) -> Vec<(Range<usize>, Vec<Option<Heard>>)> {
    runs.into_par_iter()
        .filter_map(|(run, window)| {
            let again = hear_run(model, cepstra, words, run.clone(), window, None, config)?;
            Some((run, again))
        })
        .collect()
}

/// Hears again, in the whole gap between their heard neighbours, each run of transcribed
/// turns whose words fitted too poorly around the lattice's place to be used ([`usable`]); a
/// new hearing replaces the old only where its fit is strong
/// ([`HeardConfig::strong_goodness`]) and it lies outside the first search's window: it found
/// what the first could not reach.
fn hear_gaps(
    heard: &mut [Option<Heard>],
    placements: &[Placement],
    words: &[Option<Vec<Option<Pronounced>>>],
    model: &AcousticModel,
    cepstra: &Cepstra,
    config: &HeardConfig,
) {
    let gaps = unheard_gaps(heard, placements, words, cepstra.len(), config);
    let reheard = hear_runs_in(gaps, words, model, cepstra, config);
    let slack = frame_count(config.slack_s);
    for (run, again) in reheard {
        for (turn, h) in run.zip(again) {
            let p = &placements[turn];
            // Heard again inside the first search's window, the words only fit better by
            // chance of the window's edges (its mean): the first, weaker hearing stands.
            let first = window(p.start, p.end, slack, cepstra.len()).unwrap_or(0..0);
            let before = heard[turn].as_ref().map(|old| old.goodness);
            if h.as_ref().is_some_and(|h| {
                h.goodness >= config.strong_goodness
                    && before.is_none_or(|old| h.goodness > old)
                    && (h.start.index() < first.start || h.end.index() > first.end)
            }) {
                heard[turn] = h;
            }
        }
    }
}

/// Runs of consecutive transcribed turns whose hearing is not [`usable`], each with the
/// frames between its neighbours' heard words (the file's edge where there is no
/// neighbour); only gaps reaching beyond the first search's window, and runs of at most
/// [`HeardConfig::run_turns`] turns in a gap of at most [`HeardConfig::max_run_s`].
fn unheard_gaps(
    heard: &[Option<Heard>],
    placements: &[Placement],
    words: &[Option<Vec<Option<Pronounced>>>],
    frames: usize,
    config: &HeardConfig,
) -> Vec<(Range<usize>, Range<usize>)> {
    let trusted = |i: usize| {
        heard[i]
            .as_ref()
            .is_some_and(|h| usable_at(h, &placements[i], config, config.weak_bar()))
    };
    let speakable = |i: usize| speakable(&words[i]);
    let mut out = Vec::new();
    let mut i = 0;
    while i < heard.len() {
        if trusted(i) || !speakable(i) {
            i += 1;
            continue;
        }
        let start = i;
        while i < heard.len() && !trusted(i) && speakable(i) {
            i += 1;
        }
        // The gap runs between heard turns (or the file's edges), past turns without words
        // next to the run: their speech lies somewhere in the gap, and the search's free
        // ends take it (an untranscribed turn after two unheard ones the lattice had put
        // 11 s early kept them there, ending before they started; docs/accuracy.md,
        // session 16).
        let past = config.rehear_past_untranscribed;
        let mut left = start;
        while past && left > 0 && !speakable(left - 1) {
            left -= 1;
        }
        let before = match left.checked_sub(1) {
            None => Some(0),
            Some(p) => trusted(p).then(|| heard[p].as_ref().map_or(0, |h| h.end.index())),
        };
        let mut right = i;
        while past && right < heard.len() && !speakable(right) {
            right += 1;
        }
        let after = match heard.get(right) {
            None => Some(frames),
            Some(_) => {
                trusted(right).then(|| heard[right].as_ref().map_or(frames, |h| h.start.index()))
            }
        };
        let (Some(from), Some(to)) = (before, after) else {
            continue;
        };
        let to = to.min(frames);
        // A gap inside the first search's window holds nothing that search did not see.
        let searched = window(
            placements[start].start,
            placements[i - 1].end,
            frame_count(config.slack_s),
            frames,
        )
        .is_some_and(|w| w.start <= from && to <= w.end);
        if from < to
            && !searched
            && i - start <= config.run_turns.max(1)
            && to - from <= frame_count(config.max_run_s) as usize
        {
            out.push((start..i, from..to));
        }
    }
    out
}

/// Runs of consecutive turns with words to align, at most `run_turns` turns and
/// `max_run_s` of lattice placement long.
fn runs(
    placements: &[Placement],
    words: &[Option<Vec<Option<Pronounced>>>],
    config: &HeardConfig,
) -> Vec<Range<usize>> {
    let speakable = |i: usize| speakable(&words[i]);
    let mut out = Vec::new();
    let mut i = 0;
    while i < placements.len() {
        if !speakable(i) {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < placements.len()
            && speakable(i)
            && i - start < config.run_turns.max(1)
            && placements[i]
                .end
                .0
                .saturating_sub(placements[start].start.0)
                <= frame_count(config.max_run_s)
        {
            i += 1;
        }
        out.push(start..i);
    }
    out
}

/// `runs` in the order they are best heard in parallel: the costliest first (frames times
/// words, as the search's cells), so that no long run is left to a thread of its own at the
/// end while the others wait (on `nostamps` one run of six turns over 107 s took 5.4 s of
/// the 7.0 s all runs took, started last; docs/speed.md, session 25). Each run is heard
/// on its own, so the order changes no result.
fn longest_first(
    mut runs: Vec<Range<usize>>,
    placements: &[Placement],
    words: &[Option<Vec<Option<Pronounced>>>],
) -> Vec<Range<usize>> {
    let cost = |run: &Range<usize>| {
        let frames = placements[run.end - 1]
            .end
            .0
            .saturating_sub(placements[run.start].start.0) as usize;
        let n_words: usize = run
            .clone()
            .map(|t| words[t].as_ref().map_or(0, Vec::len))
            .sum();
        frames * n_words
    };
    runs.sort_by_key(|run| std::cmp::Reverse(cost(run)));
    runs
}

/// Whether a turn has words the model can say (transcribed, one word pronounced at least).
fn speakable(words: &Option<Vec<Option<Pronounced>>>) -> bool {
    words
        .as_ref()
        .is_some_and(|w| w.iter().any(Option::is_some))
}

/// Frames searched for turns placed from `start` to `end`, `slack` frames either side.
fn window(start: Frame, end: Frame, slack: u32, frames: usize) -> Option<Range<usize>> {
    let start = start.index().saturating_sub(slack as usize);
    let end = (end.index() + slack as usize).min(frames);
    (start < end).then_some(start..end)
}

/// The mean-normalised cepstra of `window` as the model hears them: where the recording
/// echoes, each frame's energy lowered by its share of the room's late echo, after the mean
/// is taken (so the echo falls below the speech's level instead of raising everything).
fn heard_window(
    model: &AcousticModel,
    cepstra: &Cepstra,
    window: Range<usize>,
    late_reverb: Option<LateReverb>,
) -> crate::error::Result<Vec<[f32; NCEP]>> {
    let mut cep = cepstra.window(window.clone())?;
    let Some(reverb) = late_reverb else {
        frontend::normalise_mean(&mut cep);
        return Ok(cep);
    };
    let lead_in =
        cepstra.window(window.start.saturating_sub(Dereverb::LEAD_IN_FRAMES)..window.start)?;
    let dereverb = Dereverb::new(model.feat_params(), reverb);
    let gains = dereverb.echo_gains(&lead_in, &cep);
    frontend::normalise_mean(&mut cep);
    dereverb.lower(&mut cep, &gains);
    Ok(cep)
}

/// One run of turns inside `window` (frames): mean-normalised features of the window, the
/// senones its words need, the forced path through all its words; then each turn's words
/// and fit. With `lattice` (every turn's placement), each turn's first word is pulled
/// towards the lattice's start ([`HeardConfig::lattice_start_pull`]): only the first hearing
/// around the lattice's places passes it, not the hearings that look past them (or, with
/// [`HeardConfig::run_start_bound_s`], bounds it there).
fn hear_run(
    model: &AcousticModel,
    cepstra: &Cepstra,
    words: &[Option<Vec<Option<Pronounced>>>],
    run: Range<usize>,
    window: Range<usize>,
    lattice: Option<&[Placement]>,
    config: &HeardConfig,
) -> Option<Vec<Option<Heard>>> {
    if window.is_empty() {
        return None;
    }
    let offset = window.start;
    // A read error of spilled cepstra leaves the run unheard, like a run with no path.
    let mut cep = heard_window(model, cepstra, window, config.late_reverb).ok()?;
    frontend::restore_spread(&mut cep, &model.cepstral_spread);
    let feats = frontend::dynamic_features(&cep);
    // All the run's words in one list; `owner[k]` = (turn in run, word in turn).
    let mut flat: Vec<Option<Pronounced>> = Vec::new();
    let mut owner: Vec<(usize, usize)> = Vec::new();
    for (t, turn) in run.clone().enumerate() {
        for (w, p) in words[turn].iter().flatten().enumerate() {
            flat.push(p.clone());
            owner.push((t, w));
        }
    }
    let mut chain = forced::model_chain(model, &flat, &config.forced).ok()?;
    chain.turn_openers = (0..owner.len())
        .filter(|&k| k == 0 || owner[k].0 != owner[k - 1].0)
        .collect();
    let bound = config.run_start_bound_s.filter(|_| run.len() > 1);
    if let Some(lattice) = lattice.filter(|_| config.lattice_start_pull > 0.0 || bound.is_some()) {
        let (free_s, per_frame, most) = match bound {
            // A bound: no path enters past it. A finite cost, however large, is no bound: the
            // beam keeps only the paths near the best at each frame, and once the start
            // filler has outscored every path through the words, the one path left takes
            // the cost (a hall's Spanish cue paid 10⁴ nats to start 20 s late).
            Some(bound_s) => (bound_s, f32::INFINITY, f32::INFINITY),
            None => (
                config.near_s,
                config.lattice_start_pull,
                config.lattice_start_pull_most,
            ),
        };
        for (t, turn) in run.clone().enumerate() {
            if let Some(first) = (0..owner.len()).find(|&k| owner[k].0 == t && flat[k].is_some()) {
                chain.pull_entry(
                    first,
                    forced::EntryPull {
                        frame: lattice[turn].start.index().saturating_sub(offset),
                        free: frame_count(free_s) as usize,
                        per_frame,
                        most,
                    },
                );
            }
        }
    }
    let aligned = forced_path(model, &feats, &chain, &owner, run.len(), config).ok()?;
    let at = |f: usize| Frame((f + offset) as u32);
    // Whether turn `other`'s words (as aligned, before any edge word was moved) end where
    // `word` starts (`before`), or start where it ends.
    let touches = |other: usize, word: Option<&forced::WordSpan>, before: bool| {
        let Some(word) = word else { return false };
        let mut theirs = aligned.words.iter().filter(|w| owner[w.word].0 == other);
        if before {
            theirs.next_back().is_some_and(|w| w.end == word.start)
        } else {
            theirs.next().is_some_and(|w| w.start == word.end)
        }
    };
    let mut out: Vec<Option<Heard>> = Vec::with_capacity(run.len());
    for (t, turn) in run.clone().enumerate() {
        let n_words = words[turn].as_ref().map_or(0, Vec::len);
        let mut mine: Vec<forced::WordSpan> = aligned
            .words
            .iter()
            .filter(|w| owner[w.word].0 == t)
            .cloned()
            .collect();
        let edges = EdgeContext {
            touches_previous: t > 0 && touches(t - 1, mine.first(), true),
            touches_next: t + 1 < run.len() && touches(t + 1, mine.last(), false),
            written_pauses: mine
                .iter()
                .map(|w| {
                    words[turn]
                        .as_ref()
                        .and_then(|said| said.get(owner[w.word].1))
                        .and_then(Option::as_ref)
                        .is_some_and(|p| p.pause_after)
                })
                .collect(),
        };
        pull_lone_edge_words(&mut mine, &edges, config);
        let (Some(first), Some(last)) = (mine.first(), mine.last()) else {
            out.push(None);
            continue;
        };
        let frames: usize = mine.iter().map(|w| w.end - w.start).sum();
        let fit: f64 = mine
            .iter()
            .map(|w| w.log_likelihood - w.loop_log_likelihood)
            .sum();
        let mut spans = vec![None; n_words];
        let mut phones = vec![Vec::new(); n_words];
        let mut word_fits = vec![None; n_words];
        for w in &mine {
            let k = owner[w.word].1;
            word_fits[k] = (w.end > w.start).then(|| WordFit {
                fit: w.goodness(),
                edge: w.edge,
            });
            spans[k] = Some(WordSpan {
                start: at(w.start),
                end: at(w.end),
            });
            phones[k] = w
                .phones
                .iter()
                .map(|p| (p.phone, at(p.start), at(p.end)))
                .collect();
        }
        // Words without a pronunciation sit, empty, where the next aligned word starts.
        let mut next = at(last.end);
        for span in spans.iter_mut().rev() {
            match span {
                Some(s) => next = s.start,
                None => {
                    *span = Some(WordSpan {
                        start: next,
                        end: next,
                    })
                }
            }
        }
        out.push(Some(Heard {
            start: at(first.start),
            end: at(last.end),
            goodness: (fit / frames.max(1) as f64) as f32,
            words: spans.into_iter().flatten().collect(),
            phones,
            word_fits,
        }));
    }
    Some(out)
}

/// What [`pull_lone_edge_words`] knows of a turn's edges beyond its own words.
#[derive(Debug, Clone, Default, PartialEq)]
struct EdgeContext {
    /// The first word starts where the previous turn's words (same run) end.
    touches_previous: bool,
    /// The last word ends where the next turn's words (same run) start.
    touches_next: bool,
    /// Per word, whether the text writes a pause after it (`OH...`, `RIGHT?`, `well,`).
    written_pauses: Vec<bool>,
}

/// Moves a turn's first (last) word next to the second (second-last) when a long pause
/// parts them and the word is short or not heard at all, or weakly heard across a longer
/// pause: such a word was matched to a breath, noise or the neighbour's tail (a 30 ms "I" a
/// second before the rest of its turn), which put the turn's edge there. A weak word that
/// touches the neighbouring turn's words needs only a short pause
/// ([`HeardConfig::touching_word_gap_s`]).
fn pull_lone_edge_words(words: &mut [forced::WordSpan], edges: &EdgeContext, config: &HeardConfig) {
    let short = Frame::from_seconds(config.lone_word_s).index();
    let gap = Frame::from_seconds(config.lone_word_gap_s).index();
    let long_gap = Frame::from_seconds(config.lone_word_long_gap_s).index();
    let touching_gap = if config.touching_word_gap_s.is_finite() {
        Frame::from_seconds(config.touching_word_gap_s).index()
    } else {
        usize::MAX
    };
    let lone = |word: &forced::WordSpan, pause: usize, touching: bool| {
        let weak = word.goodness() < config.lone_word_fit;
        (pause > gap
            && (word.end - word.start <= short || word.goodness() < config.lone_word_unheard_fit))
            || (pause > long_gap && weak)
            || (touching && pause > touching_gap && weak)
    };
    let n = words.len();
    if n < 2 {
        return;
    }
    let shift = |w: &mut forced::WordSpan, to_start: usize| {
        let len = w.end - w.start;
        for p in &mut w.phones {
            p.start = p.start - w.start + to_start;
            p.end = p.end - w.start + to_start;
        }
        w.start = to_start;
        w.end = to_start + len;
    };
    let (first, second) = (&words[0], &words[1]);
    if second.start > first.end && lone(first, second.start - first.end, edges.touches_previous) {
        let to = second.start - (first.end - first.start);
        shift(&mut words[0], to);
    }
    let (before, last) = (&words[n - 2], &words[n - 1]);
    if last.start > before.end && lone(last, last.start - before.end, edges.touches_next) {
        let to = before.end;
        shift(&mut words[n - 1], to);
    }
    // A few edge words together (`IT WILL`), weakly heard across a long pause that the
    // text does not write (`OH...AND`, `RIGHT? WELL` may pause): the same mistake as one
    // word, the group heard over the neighbour's tail.
    let spans: Vec<std::ops::Range<usize>> = words.iter().map(|w| w.start..w.end).collect();
    let weak = |words: &[forced::WordSpan], group: &[usize]| {
        let frames: usize = group.iter().map(|&k| words[k].end - words[k].start).sum();
        let fit: f64 = group
            .iter()
            .map(|&k| words[k].log_likelihood - words[k].loop_log_likelihood)
            .sum();
        group.len() > 1 && fit / (frames.max(1) as f64) < f64::from(config.lone_word_fit)
    };
    let written = |from: usize, to: usize| {
        edges
            .written_pauses
            .get(from..to)
            .is_some_and(|m| m.iter().any(|&m| m))
    };
    if let Some(group) = super::edge_voice::edge_group(&spans, long_gap, true)
        .filter(|g| weak(words, g) && !written(0, g.len()))
    {
        let last = *group.last().expect("a group has words");
        let by = words[last + 1].start - words[last].end;
        for &k in &group {
            let to = words[k].start + by;
            shift(&mut words[k], to);
        }
    }
    let spans: Vec<std::ops::Range<usize>> = words.iter().map(|w| w.start..w.end).collect();
    if let Some(group) = super::edge_voice::edge_group(&spans, long_gap, false)
        .filter(|g| weak(words, g) && !written(g[0] - 1, n - 1))
    {
        let first = group[0];
        let by = words[first].start - words[first - 1].end;
        for &k in &group {
            let to = words[k].start - by;
            shift(&mut words[k], to);
        }
    }
}

/// Frames scored at once: the window's scores are computed a block at a time as the search
/// reaches them, and only the current block is kept (a window of 8 long turns holds 2 000
/// senones over 16 000 frames: 140 MB if kept whole).
const SCORE_BLOCK: usize = 256;

/// The scores one window's chain reads: its senones, and the phone loop (the best CI
/// senone among the codebooks the search reaches and the previous frame's best, see
/// [`LazyTops`]), scored lazily: a codebook's Gaussians only for the frames where the search's
/// band or the phone loop reads it, each senone only at the frames where the band reaches it.
struct WindowScores<'a> {
    model: &'a AcousticModel,
    feats: &'a [[f32; 3 * NCEP]],
    /// Shared by the searches over one window ([`WindowScores::scoring_again`]): copying
    /// its mixture weights for each was a tenth of `align`'s page faults (docs/speed.md,
    /// session 27).
    set: Rc<SenoneSet>,
    /// The current block's first frame, its top densities and CI senones.
    block_start: usize,
    block: Option<LazyTops>,
    /// The senones the search reached at its current frame.
    mixer: Mixer,
    /// The columns asked for at the current frame.
    asked: Vec<usize>,
    scoring: Scoring,
    /// Per frame of the window, the codebook of the phone loop's best CI senone
    /// ([`Scoring::EveryOther`] records them, [`Scoring::Named`] reads them; `u16::MAX`
    /// where not known).
    loop_codebooks: Vec<u16>,
}

impl<'a> WindowScores<'a> {
    fn new(
        model: &'a AcousticModel,
        feats: &'a [[f32; 3 * NCEP]],
        chain: &forced::Chain,
        scoring: Scoring,
    ) -> Self {
        let set = model.senone_set(forced::chain_senones(chain));
        WindowScores {
            model,
            feats,
            mixer: Mixer::new(&set),
            set: Rc::new(set),
            block_start: 0,
            block: None,
            asked: Vec::new(),
            scoring,
            loop_codebooks: vec![u16::MAX; feats.len()],
        }
    }

    /// Scores for the second search over the same window: every frame, the phone loop from
    /// the band's codebooks and the codebooks best in this first search at the frame and
    /// the frames beside it (a frame's best codebook is nearly always one of its
    /// neighbours'; the loop at a frame this search scored is then its exact value).
    fn refining(&self) -> Self {
        let mut fine = self.scoring_again(Scoring::Named);
        fine.loop_codebooks.clone_from(&self.loop_codebooks);
        fine
    }

    /// Scores for another search over the same window and chain, nothing scored yet (the
    /// senone set is the same: not built again).
    fn scoring_again(&self, scoring: Scoring) -> Self {
        WindowScores {
            model: self.model,
            feats: self.feats,
            mixer: Mixer::new(&self.set),
            set: Rc::clone(&self.set),
            block_start: 0,
            block: None,
            asked: Vec::new(),
            scoring,
            loop_codebooks: vec![u16::MAX; self.feats.len()],
        }
    }

    fn block_end(&self) -> usize {
        (self.block_start + SCORE_BLOCK).min(self.feats.len())
    }
}

thread_local! {
    /// The last window's block of scores on this thread, for its next window: a window's
    /// tables were mapped afresh and zeroed each time, a fifth of the sync's page faults
    /// (docs/speed.md, session 27).
    static SPARE_TOPS: std::cell::Cell<Option<LazyTops>> = const { std::cell::Cell::new(None) };
}

impl Drop for WindowScores<'_> {
    fn drop(&mut self) {
        if let Some(block) = self.block.take() {
            SPARE_TOPS.set(Some(block));
        }
    }
}

impl forced::FrameScores for WindowScores<'_> {
    fn prepare(&mut self, frame: usize) {
        let start = frame - frame % SCORE_BLOCK;
        if self.block.is_none() || start != self.block_start {
            self.block_start = start;
            let len = self.block_end() - start;
            self.block
                .get_or_insert_with(|| match SPARE_TOPS.take() {
                    Some(spare) => spare.rescoring(self.model, self.scoring),
                    None => LazyTops::scoring(self.model, self.scoring),
                })
                .start_block(len);
        }
    }

    fn need(&mut self, frame: usize, senones: &[u32]) {
        let (start, end) = (self.block_start, self.block_end());
        let block = self.block.as_mut().expect("prepare() comes first");
        // `u32::MAX` (the phone loop) has no column.
        self.asked.clear();
        self.asked.extend(
            senones
                .iter()
                .filter_map(|&s| self.set.columns().get(s as usize).map(|&c| c as usize)),
        );
        let at = frame - start;
        if self.scoring == Scoring::Named {
            let around = frame.saturating_sub(1)..(frame + 2).min(self.loop_codebooks.len());
            let known = self.loop_codebooks[around]
                .iter()
                .copied()
                .filter(|&cb| cb != u16::MAX);
            block.set_loop_codebooks(known);
        }
        let set = &self.set;
        let scored = start + block.scored_frame(at);
        let codebooks = self.asked.iter().map(|&c| set.codebook(c));
        block.frame(
            self.model,
            set,
            &self.feats[start..end],
            at,
            frame,
            codebooks,
        );
        if self.scoring == Scoring::EveryOther {
            self.loop_codebooks[frame] = block.loop_codebook();
        }
        // A frame that takes the scores of the frame before reuses its mixed runs.
        self.mixer.need(
            set,
            block.frame_tops(at),
            scored,
            self.asked.iter().copied(),
        );
    }

    fn senone(&self, frame: usize, senone: u32) -> f32 {
        let block = self.block.as_ref().expect("prepare() comes first");
        let scored = self.block_start + block.scored_frame(frame - self.block_start);
        self.mixer
            .get(self.set.columns()[senone as usize] as usize, scored)
    }

    fn phone_loop(&self, frame: usize) -> f32 {
        let block = self.block.as_ref().expect("prepare() comes first");
        block.phone_loop(frame)
    }
}

/// The forced path through a window's chain: searched in two passes (the Gaussians at
/// every other frame, then every frame in a band around that path;
/// [`forced::viterbi_refined`]) and kept when every turn of the run fits at least
/// [`HeardConfig::min_goodness`] in both; otherwise (or when no path is found) searched
/// again with every frame scored. Where the words are not in the window the best path is
/// unstable, the band may miss the one a full search finds, and what is decided on poor
/// fits (a turn not heard, words squeezed into the window's edge) wants that one
/// (docs/speed.md, session 24).
fn forced_path(
    model: &AcousticModel,
    feats: &[[f32; 3 * NCEP]],
    chain: &forced::Chain,
    owner: &[(usize, usize)],
    turns: usize,
    config: &HeardConfig,
) -> crate::error::Result<forced::Alignment> {
    let exact = |mut scores: WindowScores| {
        forced::viterbi(chain, &mut scores, 0..feats.len(), &config.forced)
    };
    if config.refine_reach_frames == 0 {
        return exact(WindowScores::new(model, feats, chain, Scoring::Exact));
    }
    let mut coarse = WindowScores::new(model, feats, chain, Scoring::EveryOther);
    let fits_well = |aligned: &forced::Alignment| {
        turn_fits(aligned, owner, turns)
            .iter()
            .all(|&(diff, frames)| {
                frames > 0 && diff / frames as f64 >= f64::from(config.weak_bar())
            })
    };
    // Where a turn fits poorly the first path can be further from the best one: the band
    // reaches further around its words. Where one fits below the bar already in the first
    // search, the second is skipped: the window is searched again in full below.
    let reach = |first: &forced::Alignment| {
        if !fits_well(first) {
            return None;
        }
        let wide = config.refine_poor_reach_frames;
        let mut reach = vec![config.refine_reach_frames; feats.len()];
        for (t, (diff, frames)) in turn_fits(first, owner, turns).into_iter().enumerate() {
            if frames == 0 || diff / frames as f64 >= f64::from(config.refine_poor_fit) {
                continue;
            }
            for w in first.words.iter().filter(|w| owner[w.word].0 == t) {
                let around = w.start.saturating_sub(wide)..(w.end + wide).min(feats.len());
                for r in &mut reach[around] {
                    *r = (*r).max(wide);
                }
            }
        }
        Some(reach)
    };
    let refined = forced::viterbi_refined(
        chain,
        &mut coarse,
        WindowScores::refining,
        0..feats.len(),
        &config.forced,
        reach,
    );
    // A turn fitting below the bar, no path, or a first pass that lost its beam (it does
    // not search again without one): the window is searched in full, every frame scored.
    match refined {
        Ok(refined) if fits_well(&refined) => Ok(refined),
        _ => exact(coarse.scoring_again(Scoring::Exact)),
    }
}

/// Per turn of a run, its words' summed fit over the phone loop and their frames (a turn
/// without words: none).
fn turn_fits(
    aligned: &forced::Alignment,
    owner: &[(usize, usize)],
    turns: usize,
) -> Vec<(f64, usize)> {
    let mut sums = vec![(0f64, 0usize); turns];
    for w in &aligned.words {
        let sum = &mut sums[owner[w.word].0];
        sum.0 += w.log_likelihood - w.loop_log_likelihood;
        sum.1 += w.end - w.start;
    }
    sums
}

/// Whether a hearing places its turn at all: a fit of at least
/// [`HeardConfig::min_goodness`], or of at least [`HeardConfig::agreeing_goodness`] where
/// the words were heard where the lattice put the turn.
fn usable(h: &Heard, p: &Placement, config: &HeardConfig) -> bool {
    usable_at(h, p, config, config.min_goodness)
}

/// [`usable`] with `bar` for [`HeardConfig::min_goodness`].
fn usable_at(h: &Heard, p: &Placement, config: &HeardConfig, bar: f32) -> bool {
    let near = frame_count(config.near_s);
    let agrees = h.start.0.abs_diff(p.start.0) <= near && h.end.0.abs_diff(p.end.0) <= near;
    h.goodness >= bar || (agrees && h.goodness >= config.agreeing_goodness)
}

/// Moves each turn to where its words were heard when the move is small or the fit strong,
/// keeping turns in order; returns per turn what was used (for word times), `None` where the
/// hearing was not trusted. Takes `heard` so that what is used moves, not copied: a long
/// recording's words and phones are held once (docs/speed.md, session 39).
pub fn apply(
    placements: &mut [Placement],
    mut heard: Vec<Option<Heard>>,
    transcribed: &[bool],
    config: &HeardConfig,
) -> Vec<Option<Snapped>> {
    let near = frame_count(config.near_s);
    let confidence = |posterior: f64, placed: Option<WordsPlaced>, transcribed: bool| {
        if config.raw_confidence {
            posterior
        } else {
            turn_confidence(posterior, placed, transcribed)
        }
    };
    // Each turn's proposed span first (neighbours heard in the same run move together), then
    // order is kept against the proposals, not against the lattice's old places.
    let proposed: Vec<Option<(Frame, Frame)>> = heard
        .iter()
        .zip(placements.iter())
        .map(|(h, p)| {
            let h = h.as_ref()?;
            if !usable(h, p, config) {
                return None;
            }
            let strong = h.goodness >= config.strong_goodness;
            let start = if h.start.0.abs_diff(p.start.0) <= near || strong {
                h.start
            } else {
                p.start
            };
            let end = if h.end.0.abs_diff(p.end.0) <= near || strong {
                h.end
            } else {
                p.end
            };
            (start < end).then_some((start, end))
        })
        .collect();
    let mut used = vec![None; placements.len()];
    for i in 0..placements.len() {
        let Some((start, end)) = proposed[i] else {
            placements[i].confidence = confidence(placements[i].confidence, None, transcribed[i]);
            continue;
        };
        let h = heard[i].take().expect("proposed only where heard");
        let claim = config.claim_from_unheard && h.goodness >= config.claim_goodness;
        let keep = frame_count(config.min_unheard_s);
        // The turns placed by their words before and after this one, and how many unheard
        // turns lie between: a turn heard wholly past its unheard neighbour's lattice place
        // was shifted by the lattice with it, so that neighbour must make room on the far side.
        let heard_before = (0..i).rev().find(|&q| proposed[q].is_some());
        let heard_after = (i + 1..placements.len()).find(|&q| proposed[q].is_some());
        // The unheard turns just before this one packed after the turn heard before them, at
        // least `keep` each.
        let unheard_before = (i - heard_before.map_or(0, |q| q + 1)) as u32;
        let packed = Frame(
            heard_before
                .map_or(0, |q| placements[q].end.0)
                .saturating_add(keep.saturating_mul(unheard_before)),
        );
        let floor = match i.checked_sub(1) {
            None => Frame(0),
            Some(p) if claim && proposed[p].is_none() && placements[p].start >= end => packed,
            // They have room between the turn heard before and these words: the lattice
            // shifted them onto the words with the turns heard before (one heard wholly
            // before its place hands that place on, below), so the words keep their start.
            // They claim nothing there, so a fit too weak to claim keeps its start too.
            Some(p) if proposed[p].is_none() && heard_before.is_some() && start >= packed => packed,
            Some(p) if claim && proposed[p].is_none() => placements[p]
                .end
                .min(Frame(placements[p].start.0.saturating_add(keep))),
            Some(p) => placements[p].end,
        };
        let ceiling = match (proposed.get(i + 1), placements.get(i + 1)) {
            (Some(Some((next, _))), _) => *next,
            (Some(None), Some(next)) if claim && next.end <= start => {
                let between = (heard_after.unwrap_or(placements.len()) - i - 1) as u32;
                heard_after
                    .and_then(|q| proposed[q])
                    .map_or(Frame(u32::MAX), |(s, _)| {
                        Frame(s.0.saturating_sub(keep.saturating_mul(between)))
                    })
            }
            (Some(None), Some(next)) if claim => {
                next.start.max(Frame(next.end.0.saturating_sub(keep)))
            }
            (_, Some(next)) => next.start,
            _ => Frame(u32::MAX),
        };
        let (start, end) = (start.max(floor), end.min(ceiling));
        // Clipped by its neighbours to under half of where its words were heard, the turn's
        // words were heard over a neighbour's speech: they do not place it.
        if end <= start || 2 * (end.0 - start.0) < h.end.0.saturating_sub(h.start.0) {
            placements[i].confidence = confidence(placements[i].confidence, None, transcribed[i]);
            continue;
        }
        // An unheard neighbour gives up what the words claimed.
        if i > 0 && placements[i - 1].end > start {
            placements[i - 1].end = start;
        }
        if let Some(next) = placements.get_mut(i + 1)
            && next.start < end
        {
            next.start = end;
        }
        // Moved wholly off the speech the lattice gave it, the turn leaves that speech to
        // an unheard neighbour on the side it left: the lattice had shifted them both.
        let lattice = placements[i];
        if end <= lattice.start
            && let (Some(None), Some(next)) = (proposed.get(i + 1), placements.get_mut(i + 1))
        {
            next.start = next.start.min(lattice.start);
        }
        if start >= lattice.end
            && i > 0
            && proposed[i - 1].is_none()
            && let Some(previous) = placements.get_mut(i - 1)
        {
            previous.end = previous.end.max(lattice.end);
        }
        let moved = start
            .0
            .abs_diff(placements[i].start.0)
            .max(end.0.abs_diff(placements[i].end.0));
        placements[i].start = start;
        placements[i].end = end;
        // A weak fit places the turn but does not vouch for it: its confidence is the
        // lattice's, as for a turn whose words were not heard.
        let vouched = (h.goodness >= config.weak_goodness).then(|| WordsPlaced {
            fit: h.goodness,
            moved_s: frames_to_seconds(moved as usize),
            pause_share: pause_share(&h.words),
        });
        placements[i].confidence = confidence(placements[i].confidence, vouched, transcribed[i]);
        used[i] = Some(Snapped {
            start,
            end,
            match_cost: -h.goodness,
            words: h.words,
            phones: h.phones,
            goodness: Some(h.goodness),
            word_fits: h.word_fits,
        });
    }
    used
}

/// What the words that placed a turn say of its place, for [`turn_confidence`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordsPlaced {
    /// Their fit (goodness of pronunciation).
    pub fit: f32,
    /// How far they moved the turn from the lattice's place, seconds.
    pub moved_s: f64,
    /// The share of their span heard as pauses between them ([`pause_share`]).
    pub pause_share: f64,
}

/// The share of the words' span (first start to last end) that lies between them, 0 for
/// fewer than two words. In a hall a turn's words stretched over its neighbour's speech
/// wait out each other's echo: long pauses inside continuous speech (docs/accuracy.md,
/// session 40).
pub fn pause_share(words: &[WordSpan]) -> f64 {
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return 0.0;
    };
    let span = last.end.0.saturating_sub(first.start.0);
    if words.len() < 2 || span == 0 {
        return 0.0;
    }
    let spoken: u32 = words
        .iter()
        .map(|w| w.end.0.saturating_sub(w.start.0))
        .sum();
    (1.0 - f64::from(spoken) / f64::from(span)).max(0.0)
}

/// Probability that a turn's start and end are both within 0.5 s of the truth: one logistic
/// model over every turn, placed by its words or not. `placed` is what the words say, `None`
/// where the lattice's place was kept (an untranscribed turn, or words not heard) or the
/// words fit weakly ([`HeardConfig::weak_goodness`]). Turns placed by their words are
/// seldom far off; of the rest, transcribed turns whose words were not heard are off most
/// often: one model ranks them all (docs/accuracy.md, session 11).
pub fn turn_confidence(posterior: f64, placed: Option<WordsPlaced>, transcribed: bool) -> f64 {
    let w = TURN;
    let (heard, fit, moved, pauses) = match placed {
        Some(p) => (1.0, f64::from(p.fit), p.moved_s.ln_1p(), p.pause_share),
        None => (0.0, 0.0, 0.0, 0.0),
    };
    let untranscribed = if transcribed { 0.0 } else { 1.0 };
    logistic(
        w[0] + w[1] * posterior
            + w[2] * heard
            + w[3] * fit
            + w[4] * moved
            + w[5] * untranscribed
            + w[6] * pauses,
    )
}

/// Weights of [`turn_confidence`]: intercept, lattice posterior, placed by its words (a fit
/// of at least [`HeardConfig::weak_goodness`]), the words' fit, ln(1 + moved s),
/// untranscribed, the words' pause share. Fitted by scripts/fit_turn_confidence.py on every
/// evaluation recording at once, the reverberant copies included (`--with-copies --extra
/// pause_share`: their words' pauses are what tells a misplaced turn there); refit them
/// with the script rather than by hand.
const TURN: [f64; 7] = [1.380, 3.151, 4.621, 0.751, -0.316, 0.005, -5.106];

/// How far from the truth a word's start may be for [`word_confidence`] to count it right,
/// seconds: what that confidence is the probability of.
pub const WORD_CONFIDENCE_REACH_S: f64 = 0.1;

/// Probability that a word the acoustic model timed starts within
/// [`WORD_CONFIDENCE_REACH_S`] (0.1 s) of the truth: a
/// logistic model of the word's own fit, its length, the fit at its start (the onset's, and
/// the pause's before it) and its neighbours' fits in the turn (`neighbour_fits`: the words
/// before and after it, `None` where there is none or it was not timed; a boundary beside a
/// word that fits poorly is unsure) and its pace ([`word_pace`]: a word long for its phones
/// took in time at an edge), fitted by scripts/fit_word_confidence.py on the
/// words of every evaluation recording with word truth (real read speech, Festival's voices,
/// the telephone band; each family weighted alike; docs/accuracy.md), capped by its turn's
/// confidence: a word is no surer than its turn's place.
pub fn word_confidence(
    turn_confidence: f64,
    fit: &WordFit,
    length_s: f64,
    neighbour_fits: [Option<f32>; 2],
    pace: f64,
) -> f64 {
    let w = WORD;
    let floored = |v: f32| f64::from(v.max(-20.0));
    // A NaN (no frame to read) says nothing: 0, as no pause does.
    let edge = |v: f32| {
        if v.is_nan() {
            0.0
        } else {
            f64::from(v.clamp(-EDGE_FIT_BOUND, EDGE_FIT_BOUND))
        }
    };
    let [before, after] = neighbour_fits.map(|f| f.map_or(0.0, floored));
    let own = logistic(
        w[0] + w[1] * floored(fit.fit)
            + w[2] * length_s.ln_1p()
            + w[3] * edge(fit.edge.onset)
            + w[4] * fit.edge.pause.map_or(0.0, edge)
            + w[5] * before
            + w[6] * after
            + w[7] * pace,
    );
    own.min(turn_confidence)
}

/// Shortest word length [`word_pace`] reads, seconds: a word of no frames has no pace.
const MIN_PACE_LENGTH_S: f64 = 0.01;

/// A word's pace: ln of its length (at least [`MIN_PACE_LENGTH_S`]) over its phones' count
/// times the recording's median phone length; 0 without phones or a median. A word that
/// took in time at an edge (a pause it swallowed, a neighbour's sound) is long for its
/// phones, and its start is less sure: the fitted weight says so in every voice family held
/// out (docs/accuracy.md, session 29).
pub fn word_pace(length_s: f64, phones: usize, median_phone_s: f64) -> f64 {
    if phones == 0 || median_phone_s <= 0.0 || !median_phone_s.is_finite() {
        return 0.0;
    }
    (length_s.max(MIN_PACE_LENGTH_S) / (phones as f64 * median_phone_s)).ln()
}

/// Weights of [`word_confidence`]: intercept, word fit (floored at -20), ln(1 + length s),
/// onset fit, pause fit (0 without a pause; both within ±[`EDGE_FIT_BOUND`]), the previous
/// and the next word's fits (floored at -20; 0 without one), the pace. Fitted, not tuned.
const WORD: [f64; 8] = [6.069, 0.414, 1.486, 0.297, 0.051, 0.254, 0.221, -2.601];

/// The edge fits a word's confidence reads are clamped to this (nats a frame): a frame or
/// two far off the model would otherwise decide alone.
const EDGE_FIT_BOUND: f32 = 10.0;

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acoustic::pronounce::Source;

    fn placed(start_s: f64, end_s: f64) -> Placement {
        Placement::spanning(start_s, end_s, 0.5)
    }

    fn heard(start_s: f64, end_s: f64, goodness: f32) -> Option<Heard> {
        Some(Heard {
            start: Frame::from_seconds(start_s),
            end: Frame::from_seconds(end_s),
            goodness,
            words: vec![WordSpan {
                start: Frame::from_seconds(start_s),
                end: Frame::from_seconds(end_s),
            }],
            phones: vec![Vec::new()],
            word_fits: vec![Some(fit(goodness))],
        })
    }

    /// A word's fit, with nothing to say at its start.
    fn fit(goodness: f32) -> WordFit {
        WordFit {
            fit: goodness,
            edge: forced::EdgeFit::default(),
        }
    }

    fn said(token: &str) -> Option<Vec<Option<Pronounced>>> {
        Some(vec![Some(Pronounced::new(
            token,
            vec![vec!["HH", "AY"]],
            Source::Dictionary,
        ))])
    }

    #[test]
    fn the_costliest_runs_are_heard_first() {
        // A short turn, a long one, and two turns of two words each: frames times words.
        let placements = vec![
            placed(0.0, 1.0),
            placed(1.0, 9.0),
            placed(9.0, 11.0),
            placed(11.0, 13.0),
        ];
        let two = || {
            let mut w = said("a");
            w.as_mut().unwrap().push(said("b").unwrap().pop().unwrap());
            w
        };
        let words = vec![said("a"), said("b"), two(), two()];
        let order = longest_first(vec![0..1, 1..2, 2..3, 3..4], &placements, &words);
        // 800 and 400 and 400 frame-words (ties keep their order), then 100.
        assert_eq!(order, vec![1..2, 2..3, 3..4, 0..1]);
        // Runs of two turns: 900 frames times 2 words, against 400 times 4.
        assert_eq!(
            longest_first(vec![2..4, 0..2], &placements, &words),
            vec![0..2, 2..4]
        );
    }

    #[test]
    fn an_untranscribed_turn_ends_a_run_and_runs_are_capped() {
        let placements: Vec<Placement> = (0..6).map(|i| placed(i as f64, i as f64 + 0.9)).collect();
        let words = vec![said("a"), said("b"), None, said("c"), said("d"), said("e")];
        let config = HeardConfig {
            run_turns: 2,
            ..HeardConfig::default()
        };
        assert_eq!(runs(&placements, &words, &config), vec![0..2, 3..5, 5..6]);
        let config = HeardConfig {
            max_run_s: 1.5,
            ..HeardConfig::default()
        };
        assert_eq!(
            runs(&placements, &words, &config),
            vec![0..1, 1..2, 3..4, 4..5, 5..6]
        );
    }

    /// Poorly heard transcribed turns between two heard ones are heard again in the whole
    /// gap between those two's words, past turns without words beside them; not a gap
    /// longer than a run may be.
    #[test]
    fn unheard_turns_between_heard_ones_are_heard_again_in_the_gap() {
        let frames = Frame::from_seconds(400.0).index();
        let words = [
            said("a"),
            said("b"),
            said("c"),
            said("d"),
            None,
            said("e"),
            said("f"),
        ];
        let heard_turns = vec![
            heard(0.0, 10.0, -1.0),
            heard(11.0, 12.0, -6.0),
            None,
            heard(30.0, 40.0, -2.0),
            None,
            None,
            heard(300.0, 310.0, -1.0),
        ];
        // The lattice put turns 1 and 2 too early for the first search to reach the gap.
        let lattice: Vec<Placement> = [0.0, 12.0, 14.0, 30.0, 50.0, 60.0, 300.0]
            .iter()
            .zip([10.0, 13.0, 15.0, 40.0, 55.0, 70.0, 310.0])
            .map(|(&s, e)| placed(s, e))
            .collect();
        let at = |s: f64| Frame::from_seconds(s).index();
        let gaps = |heard: &[Option<Heard>], lattice: &[Placement], frames, config| {
            unheard_gaps(heard, lattice, &words[..heard.len()], frames, config)
        };
        let default = HeardConfig::default();
        assert_eq!(
            gaps(&heard_turns, &lattice, frames, &default),
            vec![(1..3, at(10.0)..at(30.0))]
        );
        let short = HeardConfig {
            max_run_s: 15.0,
            ..HeardConfig::default()
        };
        assert!(gaps(&heard_turns, &lattice, frames, &short).is_empty());
        // At the file's edges the gap runs to the edge.
        let edge = vec![None, heard(5.0, 6.0, -1.0), None];
        let edge_lattice = vec![placed(30.0, 32.0), placed(5.0, 6.0), placed(8.0, 9.0)];
        assert_eq!(
            gaps(&edge, &edge_lattice, at(60.0), &default),
            vec![(0..1, 0..at(5.0)), (2..3, at(6.0)..at(60.0))]
        );
        // A weak fit where the lattice put the turn is used as it is: not heard again.
        let agreeing = vec![
            heard(0.0, 10.0, -1.0),
            heard(12.0, 13.0, -6.0),
            heard(14.0, 15.0, -1.0),
        ];
        assert_eq!(gaps(&agreeing, &lattice[..3], frames, &default), vec![]);
        // A weak fit away from the lattice's place, though enough to place its turn, is
        // heard again: the gap may hold a better one.
        let weak = vec![
            heard(0.0, 10.0, -1.0),
            heard(11.0, 12.0, -4.5),
            None,
            heard(30.0, 40.0, -2.0),
        ];
        assert!(weak[1].as_ref().unwrap().goodness >= default.min_goodness);
        assert_eq!(
            gaps(&weak, &lattice[..4], frames, &default),
            vec![(1..3, at(10.0)..at(30.0))]
        );
        // An untranscribed turn after the run: the gap runs on to the next heard turn.
        let beside = vec![heard(0.0, 10.0, -1.0), None, None, heard(40.0, 50.0, -1.0)];
        let beside_words = [said("a"), said("b"), None, said("c")];
        let beside_lattice = vec![
            placed(0.0, 10.0),
            placed(10.5, 12.0),
            placed(12.5, 14.0),
            placed(40.0, 50.0),
        ];
        assert_eq!(
            unheard_gaps(&beside, &beside_lattice, &beside_words, frames, &default),
            vec![(1..2, at(10.0)..at(40.0))]
        );
        let bounded = HeardConfig {
            rehear_past_untranscribed: false,
            ..HeardConfig::default()
        };
        assert!(unheard_gaps(&beside, &beside_lattice, &beside_words, frames, &bounded).is_empty());
        // A gap the first search's window already covered is not searched again.
        let near = vec![heard(0.0, 10.0, -1.0), None, heard(12.0, 20.0, -1.0)];
        let near_lattice = vec![placed(0.0, 10.0), placed(10.5, 11.5), placed(12.0, 20.0)];
        assert_eq!(gaps(&near, &near_lattice, frames, &default), vec![]);
    }

    /// Two turns the lattice put 4 s early move together to where their words are; the
    /// first may not end past the second's new start even though the lattice had the second
    /// earlier.
    #[test]
    fn a_run_heard_elsewhere_moves_as_one_and_stays_in_order() {
        let mut placements = vec![placed(1.0, 2.0), placed(2.5, 3.5), placed(20.0, 21.0)];
        let heard = vec![heard(5.0, 6.6, -1.0), heard(6.5, 7.5, -1.0), None];
        let used = apply(&mut placements, heard, &[true; 3], &HeardConfig::default());
        assert_eq!((placements[0].start_s(), placements[0].end_s()), (5.0, 6.5));
        assert_eq!((placements[1].start_s(), placements[1].end_s()), (6.5, 7.5));
        assert_eq!(
            (placements[2].start_s(), placements[2].end_s()),
            (20.0, 21.0)
        );
        assert!(used[0].is_some() && used[1].is_some() && used[2].is_none());
        assert_eq!(used[0].as_ref().unwrap().goodness, Some(-1.0));
    }

    /// A fit between `min_goodness` and `weak_goodness` places its turn and times its
    /// words, but the turn's confidence is the lattice's, as if its words were not heard.
    #[test]
    fn a_weak_fit_places_its_turn_but_does_not_vouch_for_it() {
        let config = HeardConfig::default();
        let confidence = |goodness: f32| {
            let mut placements = vec![placed(1.0, 2.0)];
            let used = apply(
                &mut placements,
                vec![heard(1.1, 2.1, goodness)],
                &[true],
                &config,
            );
            assert_eq!(placements[0].start_s(), 1.1);
            assert!(used[0].is_some());
            placements[0].confidence
        };
        let weak = config.weak_goodness - 0.5;
        assert!(weak >= config.min_goodness);
        assert_eq!(confidence(weak), turn_confidence(0.5, None, true));
        let sure = config.weak_goodness + 0.5;
        assert!((confidence(sure) - turn_confidence(0.5, placed_by(sure, 0.1), true)).abs() < 1e-9);
        assert!(confidence(sure) > confidence(weak));
    }

    /// Words that do not fit (another language, noise) move nothing and time nothing.
    #[test]
    fn a_poor_fit_is_not_used() {
        let mut placements = vec![placed(1.0, 2.0)];
        let used = apply(
            &mut placements,
            vec![heard(8.0, 9.0, -9.0)],
            &[true],
            &HeardConfig::default(),
        );
        assert_eq!((placements[0].start_s(), placements[0].end_s()), (1.0, 2.0));
        assert!(used[0].is_none());
    }

    /// The model's cepstra of praatio's "mary rolled the barrel" (a committed fixture).
    fn mary_cepstra(model: &AcousticModel) -> Cepstra {
        let path = crate::test_signals::repo_path("tests/fixtures/real/praatio-mary/audio.wav");
        let mut wav = hound::WavReader::open(path).unwrap();
        let samples: Vec<f32> = wav
            .samples::<i16>()
            .map(|s| f32::from(s.unwrap()) / 32768.0)
            .collect();
        let mut cepstra = Cepstra::default();
        cepstra.extend(frontend::cepstra(&samples, model.feat_params()));
        cepstra
    }

    /// "mary rolled the" and "the barrel" over praatio's "mary rolled the barrel", each a run
    /// of its own: heard apart, both take the clip's one "the"; heard again together at
    /// their seam, the two share it without overlapping.
    #[test]
    fn turns_heard_apart_over_the_same_words_are_heard_again_together() {
        use crate::acoustic::dictionary::Dictionary;
        use crate::acoustic::pronounce::{Options, pronounce};
        let model = AcousticModel::embedded().expect("the vendored model loads");
        let cepstra = mary_cepstra(&model);
        let said = |tokens: &[&str]| {
            Some(pronounce(Dictionary::embedded(), tokens, &Options::default()).words)
        };
        let words = vec![said(&["mary", "rolled", "the"]), said(&["the", "barrel"])];
        let half = (cepstra.len() / 2) as u32;
        let placements = vec![
            Placement {
                start: Frame(0),
                end: Frame(half),
                confidence: 0.5,
            },
            Placement {
                start: Frame(half),
                end: Frame(cepstra.len() as u32),
                confidence: 0.5,
            },
        ];
        let config = HeardConfig {
            run_turns: 1,
            ..HeardConfig::default()
        };
        let heard = hear_turns(&placements, &words, &model, &cepstra, &config);
        let (first, second) = (heard[0].as_ref().unwrap(), heard[1].as_ref().unwrap());
        assert!(
            first.end <= second.start,
            "{:?} overlaps {:?}",
            (first.start, first.end),
            (second.start, second.end)
        );
        // "barrel" (human boundary 1.06 s) keeps its place.
        let barrel = second.words[1].start.seconds();
        assert!((barrel - 1.064).abs() < 0.05, "barrel at {barrel}");
    }

    /// The two-pass search and a single search with every frame scored hear praatio's
    /// "mary rolled the barrel" alike; words the clip does not hold (a poor fit) are heard
    /// by the single search's path itself.
    #[test]
    fn two_passes_hear_a_real_clip_as_one_exact_pass_does() {
        use crate::acoustic::dictionary::Dictionary;
        use crate::acoustic::pronounce::{Options, pronounce};
        let model = AcousticModel::embedded().expect("the vendored model loads");
        let cepstra = mary_cepstra(&model);
        let mut cep = cepstra.window(0..cepstra.len()).unwrap();
        frontend::normalise_mean(&mut cep);
        let feats = frontend::dynamic_features(&cep);
        let path = |tokens: &[&str], reach: usize| {
            let words = pronounce(Dictionary::embedded(), tokens, &Options::default()).words;
            let config = HeardConfig {
                refine_reach_frames: reach,
                ..HeardConfig::default()
            };
            let chain = forced::model_chain(&model, &words, &config.forced).unwrap();
            let owner: Vec<(usize, usize)> = (0..words.len()).map(|w| (0, w)).collect();
            forced_path(&model, &feats, &chain, &owner, 1, &config).unwrap()
        };
        let said = ["mary", "rolled", "the", "barrel"];
        let (two, one) = (path(&said, 8), path(&said, 0));
        assert_eq!(two.words.len(), 4);
        for (a, b) in two.words.iter().zip(&one.words) {
            assert!(a.start.abs_diff(b.start) <= 1, "{} vs {}", a.start, b.start);
            assert!((a.goodness() - b.goodness()).abs() < 0.5);
        }
        assert!(two.goodness().unwrap() >= HeardConfig::default().min_goodness);
        let unsaid = ["shipping", "forecast", "tonight", "northerly"];
        let (two, one) = (path(&unsaid, 8), path(&unsaid, 0));
        assert!(one.goodness().unwrap() < HeardConfig::default().min_goodness);
        assert_eq!(two, one);
    }

    /// praatio's "mary rolled the barrel" placed by the lattice from 1.0 s, "mary" (human
    /// 0.315-0.676 s) lies mostly before the window (slack 0.4 s): squeezed into its edge, it
    /// fits poorly, and the run is heard again in a window widened by the slack.
    #[test]
    fn words_squeezed_into_a_window_edge_are_heard_again_past_it() {
        use crate::acoustic::dictionary::Dictionary;
        use crate::acoustic::pronounce::{Options, pronounce};
        let model = AcousticModel::embedded().expect("the vendored model loads");
        let cepstra = mary_cepstra(&model);
        let tokens = ["mary", "rolled", "the", "barrel"];
        let words = vec![Some(
            pronounce(Dictionary::embedded(), &tokens, &Options::default()).words,
        )];
        let placements = vec![Placement {
            start: Frame(100),
            end: Frame(cepstra.len() as u32),
            confidence: 0.5,
        }];
        let config = HeardConfig {
            slack_s: 0.4,
            ..HeardConfig::default()
        };
        let heard = hear_turns(&placements, &words, &model, &cepstra, &config);
        let start = heard[0].as_ref().unwrap().start.seconds();
        assert!((start - 0.315).abs() < 0.05, "heard from {start}");
        // Where the window is the question (the sync), it is not widened.
        let bounded = HeardConfig {
            hear_past_edges: false,
            ..config
        };
        let heard = hear_turns(&placements, &words, &model, &cepstra, &bounded);
        let start = heard[0].as_ref().unwrap().start.seconds();
        assert!(start >= 0.6, "heard from {start}, before the window");
    }

    /// A turn whose words were heard wholly off its lattice place leaves that place to the
    /// unheard neighbour on the side it left; one heard overlapping it leaves nothing.
    #[test]
    fn a_turn_heard_wholly_elsewhere_leaves_its_speech_to_an_unheard_neighbour() {
        // The lattice shifted turns 1 and 2 (untranscribed) late; turn 1 is heard as given.
        let applied = |heard_at: (f64, f64)| {
            let mut placements = vec![placed(0.0, 10.0), placed(12.0, 17.0), placed(19.0, 30.0)];
            let heard_turns = vec![None, heard(heard_at.0, heard_at.1, -1.0), None];
            apply(
                &mut placements,
                heard_turns.clone(),
                &[false, true, false],
                &HeardConfig::default(),
            );
            (placements[0].end_s(), placements[2].start_s())
        };
        // Heard 6 s earlier, inside turn 0's place: turn 2 takes 12-19 s.
        assert_eq!(applied((5.0, 10.0)), (5.0, 12.0));
        // Heard wholly later, inside turn 2's place: turn 0 takes 10-17 s.
        assert_eq!(applied((19.0, 24.0)), (17.0, 24.0));
        // Heard overlapping its lattice place, it leaves nothing behind.
        assert_eq!(applied((11.0, 16.0)), (10.0, 19.0));
    }

    /// The lattice shifted a turn, the untranscribed turn after it and the next turn late
    /// by a turn's length (Drascula's village scene in a meeting room: the untranscribed
    /// turn's place began where the next turn's words were heard). The first turn, heard
    /// wholly before its place, hands that place on; the next turn's words keep their start,
    /// for the untranscribed turn has room between the two heard turns, whether or not their
    /// fit could claim speech. Without a heard turn before it, the untranscribed turn keeps
    /// its 0.3 s (`a_heard_turn_claims_speech_from_an_unheard_neighbour`).
    #[test]
    fn words_keep_their_start_where_a_shifted_unheard_turn_has_room_before_them() {
        // The first turn heard at `first`, the third at 20.1-22 s.
        let applied = |first: (f64, f64)| {
            let mut placements = vec![placed(20.0, 23.0), placed(25.0, 30.0), placed(30.0, 33.0)];
            let heard_turns = vec![heard(first.0, first.1, -1.0), None, heard(20.1, 22.0, -1.0)];
            apply(
                &mut placements,
                heard_turns,
                &[true, false, true],
                &HeardConfig::default(),
            );
            placements
        };
        let placements = applied((10.0, 12.0));
        assert_eq!(
            (placements[2].start_s(), placements[2].end_s()),
            (20.1, 22.0),
            "the words keep their start"
        );
        assert!(placements[1].end_s() <= 20.1, "{:?}", placements[1]);
        // Words fitting too weakly to claim speech keep their start as well (the hall's
        // `es-ch1` line 129, fit -4.02): they take nothing from the untranscribed turn,
        // which has room before them.
        let mut placements = vec![placed(0.0, 10.0), placed(10.5, 22.2), placed(22.2, 27.6)];
        let heard_turns = vec![heard(0.0, 10.0, -2.0), None, heard(21.2, 27.6, -4.5)];
        let config = HeardConfig::default();
        assert!(-4.5 < config.claim_goodness && -4.5 >= config.min_goodness);
        apply(&mut placements, heard_turns, &[true, false, true], &config);
        assert_eq!(placements[2].start_s(), 21.2);
        assert!(
            placements[1].end <= placements[2].start,
            "{:?}",
            placements[1]
        );
        // With no room for it (0.2 s), the untranscribed turn keeps its 0.3 s.
        assert_eq!(applied((18.0, 19.9))[2].start_s(), 20.3);
    }

    /// A heard turn beside an untranscribed one takes the speech its words were heard in;
    /// the untranscribed turn is cut back, never below its shortest length. A weak fit
    /// claims nothing.
    #[test]
    fn a_heard_turn_claims_speech_from_an_unheard_neighbour() {
        let mut placements = vec![placed(0.0, 10.0), placed(10.0, 14.0), placed(14.0, 20.0)];
        let heard_turns = vec![None, heard(7.0, 15.5, -1.0), None];
        apply(
            &mut placements,
            heard_turns.clone(),
            &[true; 3],
            &HeardConfig::default(),
        );
        assert_eq!(placements[0].end_s(), 7.0);
        assert_eq!(
            (placements[1].start_s(), placements[1].end_s()),
            (7.0, 15.5)
        );
        assert_eq!(placements[2].start_s(), 15.5);

        let mut placements = vec![placed(6.8, 10.0), placed(10.0, 14.0)];
        apply(
            &mut placements,
            vec![None, heard(5.0, 14.0, -1.0)],
            &[false, true],
            &HeardConfig::default(),
        );
        assert_eq!(
            placements[0].end_s(),
            6.8 + 0.3,
            "the neighbour keeps 0.3 s"
        );
        assert_eq!(placements[1].start_s(), 6.8 + 0.3);

        let mut placements = vec![placed(0.0, 10.0), placed(10.0, 14.0)];
        let config = HeardConfig {
            claim_goodness: -3.0,
            ..HeardConfig::default()
        };
        apply(
            &mut placements,
            vec![None, heard(7.0, 14.0, -3.5)],
            &[false, true],
            &config,
        );
        assert_eq!(placements[0].end_s(), 10.0, "a weak fit claims nothing");
        assert_eq!(placements[1].start_s(), 10.0);
    }

    /// The lattice shifted two turns and an untranscribed one between them by 7 s; the
    /// first is heard wholly past the untranscribed turn's place (the second with it). The
    /// first is placed where heard and the untranscribed turn is left out of order, for
    /// `anchored::place_stray_runs` to put between them, not the heard turn dropped.
    #[test]
    fn a_turn_heard_past_its_unheard_neighbours_place_is_placed() {
        let mut placements = vec![placed(48.0, 53.0), placed(53.6, 54.7), placed(55.6, 58.3)];
        let heard_turns = vec![heard(55.3, 58.5, -1.2), None, heard(62.8, 65.7, -2.0)];
        let used = apply(
            &mut placements,
            heard_turns.clone(),
            &[true, false, true],
            &HeardConfig::default(),
        );
        assert!(used[0].is_some(), "heard well, the turn is placed");
        assert_eq!(
            (placements[0].start_s(), placements[0].end_s()),
            (55.3, 58.5)
        );
        assert_eq!(
            (placements[2].start_s(), placements[2].end_s()),
            (62.8, 65.7)
        );
        assert!(
            placements[1].start_s() >= 58.5,
            "the untranscribed turn is behind its heard neighbour"
        );

        // The mirror: a turn heard wholly before its unheard previous neighbour's place.
        let mut placements = vec![placed(40.0, 45.0), placed(50.0, 51.0), placed(52.0, 55.0)];
        let heard_turns = vec![heard(40.0, 44.0, -1.2), None, heard(46.0, 49.0, -1.2)];
        let used = apply(
            &mut placements,
            heard_turns.clone(),
            &[true, false, true],
            &HeardConfig::default(),
        );
        assert!(used[2].is_some(), "heard well, the turn is placed");
        assert_eq!(
            (placements[2].start_s(), placements[2].end_s()),
            (46.0, 49.0)
        );
        assert!(
            placements[1].end_s() <= 46.0,
            "the untranscribed turn is left before its heard neighbour"
        );

        // An unheard neighbour the heard turn only overlaps keeps its 0.3 s, as before.
        let mut placements = vec![placed(48.0, 53.0), placed(53.6, 56.0), placed(56.0, 60.0)];
        let heard_turns = vec![heard(50.0, 55.0, -1.2), None, None];
        apply(
            &mut placements,
            heard_turns.clone(),
            &[true, false, true],
            &HeardConfig::default(),
        );
        assert_eq!(placements[0].end_s(), 55.0);
        assert_eq!(placements[1].start_s(), 55.0);
    }

    fn span(word: usize, start: usize, end: usize) -> forced::WordSpan {
        forced::WordSpan {
            word,
            variant: 0,
            start,
            end,
            phones: vec![forced::PhoneSpan {
                phone: "AY",
                start,
                end,
            }],
            log_likelihood: 0.0,
            loop_log_likelihood: 0.0,
            edge: forced::EdgeFit::default(),
        }
    }

    /// A 30 ms first word a second before the rest of its turn is moved next to it; a long
    /// first word, or a short one after a short pause, stays.
    #[test]
    fn a_lone_short_edge_word_is_pulled_to_its_turn() {
        let config = HeardConfig::default();
        let mut words = vec![span(0, 100, 103), span(1, 230, 260), span(2, 400, 405)];
        pull_lone_edge_words(&mut words, &EdgeContext::default(), &config);
        assert_eq!((words[0].start, words[0].end), (227, 230));
        assert_eq!(
            (words[0].phones[0].start, words[0].phones[0].end),
            (227, 230)
        );
        assert_eq!((words[2].start, words[2].end), (260, 265));

        let mut words = vec![span(0, 100, 150), span(1, 230, 260), span(2, 290, 295)];
        let before = words.clone();
        pull_lone_edge_words(&mut words, &EdgeContext::default(), &config);
        assert_eq!(words, before);
    }

    /// A 0.3 s first word heard weakly 1.3 s before the rest is moved next to it; the same
    /// word heard well, or weakly across a 0.8 s pause, stays. The last word likewise.
    #[test]
    fn a_weak_edge_word_across_a_long_pause_is_pulled_to_its_turn() {
        let config = HeardConfig::default();
        let weak = |word, start, end| forced::WordSpan {
            loop_log_likelihood: 3.0 * (end - start) as f64,
            ..span(word, start, end)
        };
        let mut words = vec![weak(0, 100, 130), span(1, 260, 300), weak(2, 420, 450)];
        pull_lone_edge_words(&mut words, &EdgeContext::default(), &config);
        assert_eq!((words[0].start, words[0].end), (230, 260));
        assert_eq!((words[2].start, words[2].end), (300, 330));

        let heard_well = vec![span(0, 100, 130), span(1, 260, 300), span(2, 420, 450)];
        let mut words = heard_well.clone();
        pull_lone_edge_words(&mut words, &EdgeContext::default(), &config);
        assert_eq!(words, heard_well);

        let short_pause = vec![weak(0, 100, 130), span(1, 210, 300), weak(2, 380, 410)];
        let mut words = short_pause.clone();
        pull_lone_edge_words(&mut words, &EdgeContext::default(), &config);
        assert_eq!(words, short_pause);
    }

    /// `IT WILL` heard weakly over the previous speaker's tail 1.35 s before `TAKE JUST FIVE
    /// MINUTES` (drascula-en-ch1) is moved next to them, as one word would be; the same
    /// group heard well, across a pause the text writes (`OH...AND`), or across a 0.8 s
    /// pause stays. The last words likewise.
    #[test]
    fn a_weak_edge_group_across_a_long_pause_is_pulled_to_its_turn() {
        let config = HeardConfig::default();
        let fitting = |fit: f64, word, start, end| forced::WordSpan {
            loop_log_likelihood: -fit * (end - start) as f64,
            ..span(word, start, end)
        };
        let turn = |head_fit: f64, gap: usize, tail_fit: f64| {
            vec![
                fitting(head_fit, 0, 100, 108),
                fitting(head_fit, 1, 108, 152),
                span(2, 152 + gap, 172 + gap),
                span(3, 172 + gap, 195 + gap),
                span(4, 195 + gap, 217 + gap),
                span(5, 217 + gap, 261 + gap),
                fitting(tail_fit, 6, 261 + 2 * gap, 280 + 2 * gap),
                fitting(tail_fit, 7, 280 + 2 * gap, 300 + 2 * gap),
            ]
        };
        let mut words = turn(-3.4, 135, -3.4);
        pull_lone_edge_words(&mut words, &EdgeContext::default(), &config);
        assert_eq!(
            (words[0].start, words[1].start, words[1].end),
            (235, 243, 287),
            "the head group ends where the rest starts, its words as long as they were"
        );
        assert_eq!(words[0].phones[0].start, 235);
        assert_eq!(
            (words[6].start, words[7].end),
            (396, 435),
            "the tail group starts where the rest ends"
        );

        for unchanged in [turn(-1.0, 135, -1.0), turn(-3.4, 80, -3.4)] {
            let mut words = unchanged.clone();
            pull_lone_edge_words(&mut words, &EdgeContext::default(), &config);
            assert_eq!(words, unchanged);
        }
        let written = EdgeContext {
            written_pauses: vec![true, false, false, false, false, true, false, false],
            ..EdgeContext::default()
        };
        let weak = turn(-3.4, 135, -3.4);
        let mut words = weak.clone();
        pull_lone_edge_words(&mut words, &written, &config);
        assert_eq!(words, weak, "pauses the text writes are kept");
    }

    /// A 0.34 s first word not heard at all (fit -8) 0.86 s before the rest is moved next to
    /// it; one heard weakly (fit -3) across the same pause, or unheard across a 0.4 s pause,
    /// stays.
    #[test]
    fn an_unheard_edge_word_across_a_pause_is_pulled_to_its_turn() {
        let config = HeardConfig::default();
        let fitting = |fit: f64, word, start, end| forced::WordSpan {
            loop_log_likelihood: -fit * (end - start) as f64,
            ..span(word, start, end)
        };
        let mut words = vec![fitting(-8.0, 0, 100, 134), span(1, 220, 300)];
        pull_lone_edge_words(&mut words, &EdgeContext::default(), &config);
        assert_eq!((words[0].start, words[0].end), (186, 220));

        let weak = vec![fitting(-3.0, 0, 100, 134), span(1, 220, 300)];
        let mut words = weak.clone();
        pull_lone_edge_words(&mut words, &EdgeContext::default(), &config);
        assert_eq!(words, weak);

        let short_pause = vec![fitting(-8.0, 0, 100, 134), span(1, 174, 300)];
        let mut words = short_pause.clone();
        pull_lone_edge_words(&mut words, &EdgeContext::default(), &config);
        assert_eq!(words, short_pause);
    }

    /// A weak first word that touches the previous turn's words, 0.25 s before the rest of
    /// its turn, is moved next to them; the same word not touching, heard well, or with no
    /// pause after it stays. The last word likewise.
    #[test]
    fn a_weak_edge_word_touching_the_neighbour_is_pulled_to_its_turn() {
        let config = HeardConfig::default();
        let fitting = |fit: f64, word, start, end| forced::WordSpan {
            loop_log_likelihood: -fit * (end - start) as f64,
            ..span(word, start, end)
        };
        let touching = EdgeContext {
            touches_previous: true,
            touches_next: true,
            ..EdgeContext::default()
        };
        let weak = vec![
            fitting(-4.6, 0, 100, 120),
            span(1, 145, 200),
            fitting(-4.6, 2, 225, 245),
        ];
        let mut words = weak.clone();
        pull_lone_edge_words(&mut words, &touching, &config);
        assert_eq!((words[0].start, words[0].end), (125, 145));
        assert_eq!((words[2].start, words[2].end), (200, 220));

        let mut words = weak.clone();
        pull_lone_edge_words(&mut words, &EdgeContext::default(), &config);
        assert_eq!(words, weak, "not touching: a 0.25 s pause is no reason");

        let heard_well = vec![
            fitting(-1.0, 0, 100, 120),
            span(1, 145, 200),
            fitting(-1.0, 2, 225, 245),
        ];
        let mut words = heard_well.clone();
        pull_lone_edge_words(&mut words, &touching, &config);
        assert_eq!(words, heard_well);

        let no_pause = vec![
            fitting(-4.6, 0, 100, 120),
            span(1, 135, 200),
            fitting(-4.6, 2, 215, 235),
        ];
        let mut words = no_pause.clone();
        pull_lone_edge_words(&mut words, &touching, &config);
        assert_eq!(words, no_pause);
    }

    /// Words squeezed into a window's first frames are not heard when together they fit
    /// below the bar, though the first alone does not; words heard well there are.
    #[test]
    fn words_squeezed_into_an_edge_are_judged_together() {
        let config = HeardConfig::default();
        let at = |s: f64| Frame::from_seconds(s);
        let hearing = |fits: [f32; 4]| Heard {
            start: at(121.22),
            end: at(122.0),
            goodness: -3.6,
            words: [
                (121.22, 121.37),
                (121.37, 121.40),
                (121.40, 121.61),
                (121.61, 122.0),
            ]
            .iter()
            .map(|&(s, e)| WordSpan {
                start: at(s),
                end: at(e),
            })
            .collect(),
            phones: vec![Vec::new(); 4],
            word_fits: fits.iter().map(|&f| Some(fit(f))).collect(),
        };
        let edge = at(120.97).index()..at(120.97).index() + AT_EDGE_FRAMES;
        let squeezed = |fits| squeezed(&hearing(fits), edge.clone(), true, &config);
        assert!(squeezed([-5.7, -9.1, -6.2, -1.0]));
        assert!(!squeezed([-5.7, -1.0, -1.0, -1.0]));
        assert!(!squeezed([-1.0, -2.0, -1.5, -9.0]));
        // The edge word alone, as before.
        assert!(squeezed([-9.0, -1.0, -1.0, -1.0]));
    }

    /// Words that placed a turn with this fit, this far from the lattice's place, no pauses.
    fn placed_by(fit: f32, moved_s: f64) -> Option<WordsPlaced> {
        Some(WordsPlaced {
            fit,
            moved_s,
            pause_share: 0.0,
        })
    }

    /// The share of the words' span between them: none for one word or words that touch;
    /// half for two words of 1 s with 2 s between them.
    #[test]
    fn pause_share_is_the_span_between_the_words() {
        let span = |a: f64, b: f64| WordSpan {
            start: Frame::from_seconds(a),
            end: Frame::from_seconds(b),
        };
        assert_eq!(pause_share(&[]), 0.0);
        assert_eq!(pause_share(&[span(1.0, 2.0)]), 0.0);
        assert_eq!(pause_share(&[span(1.0, 2.0), span(2.0, 3.0)]), 0.0);
        assert_eq!(pause_share(&[span(1.0, 2.0), span(4.0, 5.0)]), 0.5);
    }

    /// Words heard with long pauses between them vouch less for their turn's place: in a
    /// hall, stretched over a neighbour's speech, they wait out each other's echo.
    #[test]
    fn words_heard_far_apart_vouch_less_for_their_turn() {
        let with_pauses = |pause_share| {
            turn_confidence(
                0.5,
                Some(WordsPlaced {
                    fit: -2.5,
                    moved_s: 0.2,
                    pause_share,
                }),
                true,
            )
        };
        assert!(with_pauses(0.5) < with_pauses(0.1));
        assert!(with_pauses(0.1) < with_pauses(0.0));
        // Through `apply`: the same words' fit, four words with and without pauses.
        let confidence = |words: &[(f64, f64)]| {
            let mut placements = vec![placed(1.0, 5.0)];
            let mut h = heard(1.0, 5.0, -2.0);
            if let Some(h) = h.as_mut() {
                h.words = words
                    .iter()
                    .map(|&(a, b)| WordSpan {
                        start: Frame::from_seconds(a),
                        end: Frame::from_seconds(b),
                    })
                    .collect();
            }
            apply(&mut placements, vec![h], &[true], &HeardConfig::default());
            placements[0].confidence
        };
        let close = confidence(&[(1.0, 2.0), (2.0, 3.0), (3.0, 4.0), (4.0, 5.0)]);
        let apart = confidence(&[(1.0, 1.4), (2.0, 2.4), (3.0, 3.4), (4.6, 5.0)]);
        assert!(apart < close, "{apart} against {close}");
    }

    #[test]
    fn confidence_grows_with_the_lattice_posterior() {
        assert!(
            turn_confidence(0.9, placed_by(-2.0, 0.0), true)
                > turn_confidence(0.1, placed_by(-2.0, 0.0), true)
        );
        assert!(turn_confidence(0.9, None, true) > turn_confidence(0.1, None, true));
        assert!((0.0..=1.0).contains(&turn_confidence(0.5, placed_by(-3.0, 4.0), true)));
    }

    #[test]
    fn turns_placed_by_their_words_rank_above_turns_left_to_the_lattice() {
        let heard = turn_confidence(0.5, placed_by(-3.0, 0.5), true);
        assert!(heard > turn_confidence(0.5, None, false));
        assert!(turn_confidence(0.5, None, false) > turn_confidence(0.5, None, true));
        assert!(turn_confidence(0.5, placed_by(-1.0, 0.5), true) > heard);
        assert!(turn_confidence(0.5, placed_by(-3.0, 8.0), true) < heard);
    }

    /// No neighbour timed.
    const NONE: [Option<f32>; 2] = [None, None];

    #[test]
    fn a_word_is_trusted_more_when_heard_better_in_a_surer_turn() {
        assert!(word_confidence(0.99, &fit(-1.0), 0.3, NONE, 0.0) > 0.5);
        assert!(
            word_confidence(0.99, &fit(-12.0), 0.3, NONE, 0.0)
                < word_confidence(0.99, &fit(-1.0), 0.3, NONE, 0.0)
        );
        // No surer than its turn.
        assert_eq!(word_confidence(0.2, &fit(-1.0), 0.3, NONE, 0.0), 0.2);
        assert!(
            word_confidence(0.2, &fit(-1.0), 0.3, NONE, 0.0)
                < word_confidence(0.9, &fit(-1.0), 0.3, NONE, 0.0)
        );
        // A fit of minus infinity (no frame heard) is floored, not NaN.
        let c = word_confidence(0.9, &fit(f32::NEG_INFINITY), 0.0, NONE, 0.0);
        assert!((0.0..=1.0).contains(&c), "{c}");
    }

    /// A word beside one that fits poorly is less sure: the boundary between them is.
    #[test]
    fn a_word_beside_a_poorly_fitting_one_is_trusted_less() {
        let sure = |neighbours| word_confidence(1.0, &fit(-1.0), 0.3, neighbours, 0.0);
        assert!(sure([Some(-9.0), None]) < sure([Some(-1.0), None]));
        assert!(sure([None, Some(-9.0)]) < sure([None, Some(-1.0)]));
        assert_eq!(
            sure([Some(f32::NEG_INFINITY), None]),
            sure([Some(-20.0), None])
        );
    }

    /// A word long for its phones at the recording's pace (it took in time at an edge) is
    /// less sure; the pace itself is the log of the length over the phones' median share.
    #[test]
    fn a_word_long_for_its_phones_is_trusted_less() {
        let sure = |pace| word_confidence(1.0, &fit(-1.0), 0.3, NONE, pace);
        assert!(sure(0.7) < sure(0.0));
        assert!(sure(0.0) < sure(-0.7));
        assert_eq!(word_pace(0.5, 2, 0.25), 0.0);
        assert!((word_pace(0.6, 3, 0.1) - 2f64.ln()).abs() < 1e-12);
        // No phones, no median, or no frames: nothing to read, or the floor.
        assert_eq!(word_pace(0.3, 0, 0.1), 0.0);
        assert_eq!(word_pace(0.3, 3, 0.0), 0.0);
        assert_eq!(word_pace(0.3, 3, f64::NAN), 0.0);
        assert_eq!(word_pace(0.0, 1, 0.01), 0.0);
    }

    /// A start that fits poorly, or a pause before it that fits silence poorly (speech it
    /// swallowed), makes a word's start less sure; edge fits far off the model count as the
    /// bound, and infinities give no NaN.
    #[test]
    fn a_word_whose_start_fits_poorly_is_trusted_less() {
        let with = |onset: f32, pause: Option<f32>| WordFit {
            fit: -1.5,
            edge: forced::EdgeFit { onset, pause },
        };
        let sure = |f: WordFit| word_confidence(1.0, &f, 0.3, NONE, 0.0);
        assert!(sure(with(-4.0, None)) < sure(with(0.0, None)));
        assert!(sure(with(0.0, Some(-3.0))) < sure(with(0.0, Some(0.0))));
        assert!(sure(with(0.0, Some(-3.0))) < sure(with(0.0, None)));
        assert_eq!(sure(with(-1e6, None)), sure(with(-EDGE_FIT_BOUND, None)));
        assert!(sure(with(f32::NAN, Some(f32::NAN))).is_finite());
        for c in [
            sure(with(f32::NEG_INFINITY, Some(f32::NEG_INFINITY))),
            sure(with(f32::INFINITY, None)),
        ] {
            assert!((0.0..=1.0).contains(&c), "{c}");
        }
    }

    /// The words' own fits reach the placed turn (they make the words' confidence).
    #[test]
    fn a_placed_turn_keeps_its_words_fits() {
        let mut placements = vec![placed(1.0, 2.0)];
        let mut h = heard(1.1, 2.0, -2.5);
        let with_edge = WordFit {
            fit: -1.75,
            edge: forced::EdgeFit {
                onset: -2.5,
                pause: Some(-0.5),
            },
        };
        h.as_mut().unwrap().word_fits = vec![Some(with_edge)];
        let used = apply(&mut placements, vec![h], &[true], &HeardConfig::default());
        assert_eq!(used[0].as_ref().unwrap().word_fits, vec![Some(with_edge)]);
    }
}
