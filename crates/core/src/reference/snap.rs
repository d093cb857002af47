//! Snapping turns and their words onto the recording by warping the spoken reference
//! (espeak-ng) onto it, starting from where the turn lattice put them.
//!
//! Consecutive transcribed turns form a window (an untranscribed turn, or a window grown
//! past [`SnapConfig::max_window_frames`] of reference, ends it); each window is warped on
//! its own, in parallel. A coarse warp on frames averaged four at a time searches
//! [`SnapConfig::coarse_radius_s`] around the lattice's placement; a fine warp at full
//! resolution then searches a few frames around the coarse path.

use rayon::prelude::*;

use super::dtw::{Anchor, Band, Costs, Frames, Warp, warp};
use super::speak::SpokenTurn;
use crate::align::{Placement, Snapped, WordSpan};
use crate::error::Result;
use crate::features::{CEPSTRA, CepstrumStore, dequantise};
use crate::time::{Frame, frames_f64};
use crate::vad::FrameScores;

/// Tuning of the reference warp.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapConfig {
    /// How far from the lattice's placement a turn may move, seconds. Default 16.
    pub coarse_radius_s: f64,
    /// Frames averaged per coarse step. Default 4.
    pub coarse_factor: usize,
    /// How far the fine warp may stray from the coarse path, frames. Default 12.
    pub fine_radius: u32,
    /// Cost of matching speech with silence (features are normalised to unit spread).
    /// Default 1.5.
    pub mismatch: f32,
    /// Cost per frame of recording speech the window's reference leaves out at its ends.
    /// Default 1.0.
    pub skip: f32,
    /// Cost of a step that stretches or squeezes speech against the reference. Default 0.
    pub stretch: f32,
    /// How strongly the lattice's start and end of a turn hold its first and last speech,
    /// per frame of distance at confidence 1 (scaled by the lattice's confidence), so a
    /// placement the lattice is sure of moves only for a clearly better match. Default 0.05.
    pub anchor_weight: f32,
    /// Distance past which the lattice's pull stops growing, seconds. Default 1.
    pub anchor_cap_s: f64,
    /// Longest reference warped in one window, frames. Default 30 000 (5 minutes).
    pub max_window_frames: usize,
    /// A recording frame counts as fully speech this many dB over the noise floor (and as
    /// silence at 0 dB). Default 6.
    pub speech_db: f32,
}

impl Default for SnapConfig {
    fn default() -> Self {
        SnapConfig {
            coarse_radius_s: 16.0,
            coarse_factor: 4,
            fine_radius: 12,
            mismatch: 1.5,
            skip: 1.0,
            stretch: 0.0,
            anchor_weight: 0.05,
            anchor_cap_s: 1.0,
            max_window_frames: 30_000,
            speech_db: 6.0,
        }
    }
}

/// Warps each window of spoken turns onto the recording around `placements`; one entry per
/// turn, `None` for turns without a reference or whose window could not be warped.
pub fn snap_turns(
    placements: &[Placement],
    spoken: &[Option<SpokenTurn>],
    cepstra: &CepstrumStore,
    scores: &FrameScores,
    config: &SnapConfig,
) -> Vec<Option<Snapped>> {
    let results: Vec<(usize, Vec<Option<Snapped>>)> = windows(spoken, config.max_window_frames)
        .into_par_iter()
        .map(|w| {
            let first = w.start;
            (
                first,
                snap_window(w, placements, spoken, cepstra, scores, config),
            )
        })
        .collect();
    let mut out = vec![None; placements.len()];
    for (first, snapped) in results {
        for (k, s) in snapped.into_iter().enumerate() {
            out[first + k] = s;
        }
    }
    out
}

/// Runs of consecutive turns with a reference, cut so none holds more than `max_frames`.
fn windows(spoken: &[Option<SpokenTurn>], max_frames: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    let mut frames = 0;
    for (i, s) in spoken.iter().enumerate() {
        match s {
            Some(turn) if !turn.is_empty() => {
                if start.is_some() && frames + turn.len() > max_frames {
                    out.push(start.take().unwrap_or(i)..i);
                }
                if start.is_none() {
                    start = Some(i);
                    frames = 0;
                }
                frames += turn.len();
            }
            _ => {
                if let Some(s) = start.take() {
                    out.push(s..i);
                }
            }
        }
    }
    if let Some(s) = start {
        out.push(s..spoken.len());
    }
    out
}

fn snap_window(
    turns: std::ops::Range<usize>,
    placements: &[Placement],
    spoken: &[Option<SpokenTurn>],
    cepstra: &CepstrumStore,
    scores: &FrameScores,
    config: &SnapConfig,
) -> Vec<Option<Snapped>> {
    let count = turns.len();
    let failed = || vec![None; count];
    let audio_frames = cepstra.frames().min(scores.len());
    let radius = frames_f64(config.coarse_radius_s) as usize;
    let first_start = placements[turns.start].start.index();
    let last_end = placements[turns.end - 1].end.index();
    let from = first_start.saturating_sub(radius);
    let to = (last_end + radius).min(audio_frames);
    if from >= to {
        return failed();
    }
    // The reference: the window's turns one after another, and where each begins.
    let mut reference = Frames {
        dims: CEPSTRA,
        values: Vec::new(),
        speech: Vec::new(),
    };
    let mut offsets = Vec::with_capacity(count);
    let mut guide = Vec::new();
    let mut anchors = Vec::new();
    for t in turns.clone() {
        let Some(turn) = spoken[t].as_ref() else {
            return failed();
        };
        let offset = reference.len();
        offsets.push(offset);
        if let Some((first, last)) = turn.speech_span() {
            let placed = &placements[t];
            let weight = config.anchor_weight * placed.confidence as f32;
            let frame = |f: Frame| f.index().saturating_sub(from) as u32;
            let cap = frames_f64(config.anchor_cap_s) as u32;
            anchors.push(Anchor {
                row: offset + first,
                target: frame(placed.start),
                weight,
                cap,
            });
            anchors.push(Anchor {
                row: offset + last - 1,
                target: frame(placed.end),
                weight,
                cap,
            });
        }
        for (c, &s) in turn.cepstra.iter().zip(&turn.speech) {
            reference.values.extend(c.iter().map(|&q| dequantise(q)));
            reference.speech.push(if s { 1.0 } else { 0.0 });
        }
        guide.extend(turn_guide(turn, &placements[t], from));
    }
    reference.normalise();
    // Cepstra spilled to a temporary file that cannot be read back leave the window's turns
    // where the lattice put them, as any other window the warp cannot place.
    let Ok(mut audio) = audio_frames_between(cepstra, scores, from, to, config.speech_db) else {
        return failed();
    };
    audio.normalise();
    let Some(fine) = coarse_then_fine(&reference, &audio, &guide, &anchors, config) else {
        return failed();
    };
    turns
        .enumerate()
        .map(|(k, t)| {
            let turn = spoken[t].as_ref()?;
            Some(read_turn(turn, offsets[k], &fine, from))
        })
        .collect()
}

/// Per reference frame of `turn`, where the lattice's placement expects it (relative to
/// `from`): speech frames spread evenly over the placed span.
fn turn_guide(turn: &SpokenTurn, placed: &Placement, from: usize) -> Vec<(u32, u32)> {
    let (first, last) = turn.speech_span().unwrap_or((0, turn.len()));
    let start = placed.start.index() as f64 - from as f64;
    let end = placed.end.index() as f64 - from as f64;
    let per_frame = (end - start).max(1.0) / (last - first).max(1) as f64;
    (0..turn.len())
        .map(|r| {
            let at = if r < first {
                start - (first - r) as f64
            } else if r >= last {
                end + (r - last) as f64
            } else {
                start + (r - first) as f64 * per_frame
            };
            let a = at.max(0.0) as u32;
            (a, (at + per_frame).max(0.0) as u32)
        })
        .collect()
}

fn audio_frames_between(
    cepstra: &CepstrumStore,
    scores: &FrameScores,
    from: usize,
    to: usize,
    speech_db: f32,
) -> Result<Frames> {
    let mut values = Vec::with_capacity((to - from) * CEPSTRA);
    for frame in cepstra.cepstra(from..to)? {
        values.extend_from_slice(&frame);
    }
    let mut speech: Vec<f32> = (scores.db(from..to).iter())
        .map(|db| (db / speech_db).clamp(0.0, 1.0))
        .collect();
    // Frames past the last score are quiet (−64 dB).
    speech.resize(to - from, 0.0);
    Ok(Frames {
        dims: CEPSTRA,
        values,
        speech,
    })
}

/// The coarse warp over the whole radius, then the fine one around its path.
fn coarse_then_fine(
    reference: &Frames,
    audio: &Frames,
    guide: &[(u32, u32)],
    anchors: &[Anchor],
    config: &SnapConfig,
) -> Option<Warp> {
    let factor = config.coarse_factor.max(1);
    let coarse_reference = reference.decimate(factor);
    let coarse_audio = audio.decimate(factor);
    let coarse_guide: Vec<(u32, u32)> = guide
        .chunks(factor)
        .map(|g| {
            let lo = g.iter().map(|p| p.0).min().unwrap_or(0) / factor as u32;
            let hi = g.iter().map(|p| p.1).max().unwrap_or(0) / factor as u32;
            (lo, hi)
        })
        .collect();
    let radius = (frames_f64(config.coarse_radius_s) / factor as f64) as u32;
    let band = Band::around(&coarse_guide, radius, coarse_audio.len() as u32);
    let costs = Costs {
        mismatch: config.mismatch,
        skip: config.skip,
        stretch: config.stretch,
    };
    let coarse_anchors: Vec<Anchor> = anchors
        .iter()
        .map(|a| Anchor {
            row: a.row / factor,
            target: a.target / factor as u32,
            weight: a.weight,
            cap: a.cap / factor as u32,
        })
        .collect();
    let coarse = warp(
        &coarse_reference,
        &coarse_audio,
        &band,
        costs,
        &coarse_anchors,
    )?;
    let fine_guide = coarse.expand(factor, reference.len());
    let band = Band::around(&fine_guide, config.fine_radius, audio.len() as u32);
    warp(reference, audio, &band, costs, anchors)
}

/// A turn's start, end, words and match quality from the window's warp.
fn read_turn(turn: &SpokenTurn, offset: usize, warp: &Warp, from: usize) -> Snapped {
    let at = |r: usize| Frame((warp.first[offset + r] as usize + from) as u32);
    let until = |r: usize| Frame((warp.last[offset + r] as usize + from + 1) as u32);
    let (first, last) = turn.speech_span().unwrap_or((0, turn.len()));
    let speech_rows = (first..last).filter(|&r| turn.speech[r]);
    let (sum, n) = speech_rows.fold((0.0, 0), |(s, n), r| (s + warp.row_cost[offset + r], n + 1));
    let mut words = Vec::with_capacity(turn.word_starts.len());
    for (w, &ws) in turn.word_starts.iter().enumerate() {
        let next = turn.word_starts.get(w + 1).copied().unwrap_or(last);
        // The word ends at its last speech frame before the next word begins.
        let end_row = (ws..next.max(ws + 1))
            .rev()
            .find(|&r| r < turn.len() && turn.speech[r])
            .unwrap_or(ws.min(turn.len() - 1));
        let start = at(ws.min(turn.len() - 1));
        words.push(WordSpan {
            start,
            end: until(end_row).max(Frame(start.0 + 1)),
        });
    }
    Snapped {
        start: at(first),
        end: until(last - 1),
        match_cost: if n > 0 { sum / n as f32 } else { f32::INFINITY },
        words,
        phones: Vec::new(),
        goodness: None,
        word_fits: Vec::new(),
    }
}

/// Moves every snapped turn to where the warp put it and keeps the turns in order. A turn
/// the warp could not place (untranscribed speech) keeps the lattice's placement, cut back
/// where its snapped neighbours now reach into it: the warp matched their words, the
/// lattice only guessed where unknown speech ends.
pub fn apply(placements: &mut [Placement], snapped: &[Option<Snapped>]) {
    for (p, s) in placements.iter_mut().zip(snapped) {
        if let Some(s) = s {
            p.start = s.start;
            p.end = s.end;
        }
    }
    let n = placements.len();
    for i in 0..n {
        if snapped.get(i).is_some_and(Option::is_some) {
            continue;
        }
        if i > 0 && snapped[i - 1].is_some() {
            placements[i].start = placements[i].start.max(placements[i - 1].end);
        }
        if i + 1 < n && snapped[i + 1].is_some() {
            placements[i].end = placements[i].end.min(placements[i + 1].start);
        }
    }
    for i in 1..n {
        let previous_end = placements[i - 1].end;
        let p = &mut placements[i];
        if p.start < previous_end {
            p.start = previous_end;
        }
        if p.end < p.start {
            p.end = p.start;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spoken(len: usize) -> Option<SpokenTurn> {
        Some(SpokenTurn {
            cepstra: vec![[0; CEPSTRA]; len],
            speech: vec![true; len],
            word_starts: vec![0],
        })
    }

    #[test]
    fn windows_are_runs_of_spoken_turns_cut_at_the_size_limit() {
        let turns = vec![
            spoken(10),
            spoken(10),
            None,
            spoken(10),
            spoken(25),
            spoken(10),
        ];
        assert_eq!(windows(&turns, 100), vec![0..2, 3..6]);
        assert_eq!(windows(&turns, 30), vec![0..2, 3..4, 4..5, 5..6]);
    }

    fn at(start_s: f64, end_s: f64) -> Placement {
        Placement {
            start: Frame::from_seconds(start_s),
            end: Frame::from_seconds(end_s),
            confidence: 1.0,
        }
    }

    fn snapped_at(start_s: f64, end_s: f64) -> Option<Snapped> {
        Some(Snapped {
            start: Frame::from_seconds(start_s),
            end: Frame::from_seconds(end_s),
            match_cost: 1.0,
            words: Vec::new(),
            phones: Vec::new(),
            goodness: None,
            word_fits: Vec::new(),
        })
    }

    #[test]
    fn snapped_turns_win_over_the_unknown_speech_beside_them() {
        // The lattice gave the untranscribed turn 5 s of the next turn; the warp found the
        // next turn's words 4 s earlier than the lattice did.
        let mut placements = [at(0.0, 10.0), at(11.0, 25.0), at(26.0, 40.0)];
        let snapped = [snapped_at(0.0, 10.0), None, snapped_at(21.0, 40.0)];
        apply(&mut placements, &snapped);
        assert_eq!(
            (placements[1].start_s(), placements[1].end_s()),
            (11.0, 21.0)
        );
        assert_eq!(placements[2].start_s(), 21.0);
        // Two snapped turns from different windows that overlap keep their order.
        let mut placements = [at(0.0, 10.0), at(11.0, 20.0)];
        apply(
            &mut placements,
            &[snapped_at(0.0, 12.0), snapped_at(11.0, 20.0)],
        );
        assert_eq!(placements[1].start_s(), 12.0);
    }

    #[test]
    fn the_guide_spreads_a_turns_speech_over_its_placement() {
        let turn = SpokenTurn {
            cepstra: vec![[0; CEPSTRA]; 12],
            speech: [vec![false; 1], vec![true; 10], vec![false; 1]].concat(),
            word_starts: vec![1],
        };
        let placed = Placement {
            start: Frame(200),
            end: Frame(220),
            confidence: 1.0,
        };
        let guide = turn_guide(&turn, &placed, 100);
        assert_eq!(guide[0].0, 99);
        assert_eq!(guide[1].0, 100);
        assert_eq!(guide[6].0, 110);
        assert_eq!(guide[11].0, 120);
    }
}
