//! Speech regions from energy above an adaptive noise floor, spectral shape and voicing.
//!
//! Per mel band, the noise floor is the minimum of the smoothed log energy over a centred
//! window of a few seconds (minimum statistics): it follows hum, hiss and slow changes of
//! room noise, but not speech, which always has pauses. A frame's score is the mean excess
//! over the floor of its strongest speech bands (250–7000 Hz), in dB. Hysteresis on the
//! score makes candidate regions; a region also ends where the frame's loudness (those bands'
//! own level) falls far (40 dB) under the local speech level, the loudest frame within ±10 s,
//! which trims breaths and room tails in quiet recordings. The level is a loudness, not an
//! excess over the floor: beside digital silence (edited or joined audio) the floor sinks
//! to nothing and every excess soars, which would cut the speech around it. Short gaps are
//! bridged; regions that are too short or not voiced (clicks, knocks, paper rustle) are
//! dropped. Streaming: memory is bounded by the
//! floor and level windows, whatever the recording's length. `docs/vad.md` gives the
//! measurements behind every constant.

use std::collections::VecDeque;
use std::ops::Range;

use serde::Serialize;

use crate::features::{FeatureBlock, MEL_BANDS, MEL_HIGH_HZ, MEL_LOW_HZ, MelBank};
use crate::spill::SpillVec;
use crate::time::Frame;

/// Tuning of the detector. Defaults were chosen on every sample rendition (clean, 20, 10,
/// 5 dB SNR, other voices) and the real recordings; see `docs/vad.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct VadConfig {
    /// Half-width of the noise-floor window, frames. Default 300 (±3 s).
    pub floor_half_window: usize,
    /// Score (dB over floor) that starts a region. Default 8.0.
    pub enter_db: f32,
    /// Score below which a region ends. Default 3.0.
    pub exit_db: f32,
    /// Bands averaged for the score (the strongest ones). Default 8.
    pub top_bands: usize,
    /// Gaps shorter than this are bridged, frames. Default 20 (200 ms).
    pub min_gap: u32,
    /// Regions shorter than this are dropped, frames. Default 12 (120 ms).
    pub min_speech: u32,
    /// A frame counts as voiced above this voicing strength. Default 0.55.
    pub voiced_threshold: f32,
    /// A region needs at least this many voiced frames. Default 5 (50 ms).
    pub min_voiced: u32,
    /// Frames added before each region. Default 0.
    pub pad_start: u32,
    /// Frames added after each region. Default 1.
    pub pad_end: u32,
    /// When set, a frame this many dB below the loudest of the previous half second also
    /// counts as a pause: finds the breath pauses of read speech in a reverberant room,
    /// which never fall to the noise floor. Default `None` (used for alignment chunks).
    pub relative_drop_db: Option<f32>,
    /// Half-width of the window in which the local speech level (the highest score) is
    /// taken, frames. Default 1000 (±10 s: reaches the speech around a lone noise). Regions
    /// are decided this many frames after the floor allows.
    pub level_half_window: usize,
    /// When set, a region ends where the score falls more than this many dB under the local
    /// speech level (breaths, lip noise and room tails that annotators leave out). Default
    /// `Some(40.0)`.
    pub exit_below_level_db: Option<f32>,
    /// Frames averaged on each side of a frame for its own level. Default 1 (3 frames).
    pub smooth_half: u32,
    /// Lowest mel-band centre counted in the score, Hz. Default 250 (leaves out hum, thumps
    /// and handling noise, which have nothing above ~300 Hz).
    pub band_low_hz: f32,
    /// Highest mel-band centre counted in the score, Hz. Default 7000 (fricatives).
    pub band_high_hz: f32,
}

impl Default for VadConfig {
    fn default() -> Self {
        VadConfig {
            floor_half_window: 300,
            enter_db: 8.0,
            exit_db: 3.0,
            top_bands: 8,
            min_gap: 20,
            min_speech: 12,
            voiced_threshold: 0.55,
            min_voiced: 5,
            pad_start: 0,
            pad_end: 1,
            relative_drop_db: None,
            level_half_window: 1000,
            exit_below_level_db: Some(40.0),
            smooth_half: 1,
            band_low_hz: 250.0,
            band_high_hz: 7000.0,
        }
    }
}

impl VadConfig {
    /// The tuning the aligner uses for its chunks and edge scores (the default of
    /// `AlignOptions::vad`): inclusive edges, no level-relative exit, 150–4000 Hz bands,
    /// 5-frame smoothing. The aligner's constants were tuned on these chunks and scores,
    /// and its accuracy on the evaluation set is better with them than with
    /// [`VadConfig::default`]; see `docs/vad.md`.
    pub fn for_alignment() -> VadConfig {
        VadConfig {
            enter_db: 9.0,
            exit_db: 5.0,
            pad_start: 2,
            pad_end: 3,
            exit_below_level_db: None,
            smooth_half: 2,
            band_low_hz: 150.0,
            band_high_hz: 4000.0,
            ..VadConfig::default()
        }
    }
}

/// A stretch of speech: frames `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SpeechRegion {
    /// First speech frame.
    pub start: Frame,
    /// One past the last speech frame.
    pub end: Frame,
    /// How sure the detector is that this is speech, in [0, 1].
    pub score: f32,
}

impl SpeechRegion {
    /// Length in frames.
    pub fn frames(&self) -> u32 {
        self.end.0 - self.start.0
    }
}

/// Everything the detector found.
#[derive(Debug)]
pub struct VadResult {
    /// Speech regions.
    pub regions: Vec<SpeechRegion>,
    /// Finer chunks (empty unless asked for).
    pub chunks: Vec<SpeechRegion>,
    /// Per-frame scores (empty unless asked for).
    pub frame_scores: FrameScores,
}

/// Per-frame speech scores, dB over the noise floor, stored in half-dB steps: a byte a frame,
/// the first hour in memory and the rest in a temporary file ([`SpillVec`]; 3.8 MB held at
/// 10.5 h before). They are read a few hundred frames at a time, around turn edges.
#[derive(Debug, Default)]
pub struct FrameScores(SpillVec<i8>);

impl FrameScores {
    /// Scores of frames `range` in dB, cut short at the last frame stored (and empty where
    /// the temporary file cannot be read back: no edge then moves over them).
    pub fn db(&self, range: Range<usize>) -> Vec<f32> {
        self.0
            .window(range)
            .map(|q| q.iter().map(|&q| f32::from(q) * 0.5).collect())
            .unwrap_or_default()
    }

    /// Frames stored.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Scores given in dB (rounded to the stored half-dB steps), for tests.
    #[cfg(test)]
    pub(crate) fn from_db(db: &[f32]) -> FrameScores {
        FrameScores(SpillVec::from(
            db.iter()
                .map(|d| (d * 2.0).round() as i8)
                .collect::<Vec<_>>(),
        ))
    }
}

/// Per-frame evidence the detector computed (kept only when asked, for diagnostics).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FrameEvidence {
    /// dB over the noise floor.
    pub(crate) score: f32,
    /// The same bands' own level (dB): what the local speech level is taken over.
    pub(crate) loudness: f32,
    /// Voicing strength.
    pub(crate) voicing: f32,
}

/// Streaming voice-activity detector: push feature blocks, then finish.
#[derive(Debug)]
pub struct Vad {
    config: VadConfig,
    speech_bands: Vec<usize>,
    /// Raw log-mel (dB) and voicing of recent frames, oldest first; `history[0]` is frame `history_start`.
    history: VecDeque<([f32; MEL_BANDS], f32)>,
    history_start: u32,
    /// Smoothed band energies (dB) waiting for their floor; `smoothed[0]` is frame `smoothed_start`.
    smoothed: VecDeque<[f32; MEL_BANDS]>,
    smoothed_start: u32,
    /// Per-band sliding minimum of the long-smoothed level (the speech bands').
    floors: BandMinima,
    frames_in: u32,
    next_decision: u32,
    /// Evidence waiting for the local level; `waiting[0]` is frame `waiting_start`.
    waiting: VecDeque<FrameEvidence>,
    waiting_start: u32,
    /// Sliding maximum of the loudness (the local speech level).
    level_max: Extreme<true>,
    tracker: RegionTracker,
    /// Optional second tracker with a shorter gap: finer chunks for the aligner.
    chunker: Option<RegionTracker>,
    /// Every frame's score in half-dB steps, when asked for (1 byte per 10 ms).
    frame_scores: Option<SpillVec<i8>>,
    /// Scratch: excess over the floor and level (dB) of each speech band of the frame being
    /// decided.
    excess: Vec<(f32, f32)>,
}

/// Frames of smoothing on each side for the floor search (25 frames: low variance, so the
/// minimum sits close to the true noise level instead of deep in its lower tail).
const FLOOR_SMOOTH: u32 = 12;
/// The long average's minimum still sits a little under the mean noise level; this many dB
/// are added back.
const FLOOR_BIAS_DB: f32 = 1.5;

impl Vad {
    /// A detector with `config`.
    pub fn new(config: VadConfig) -> Vad {
        let bank = MelBank::new(MEL_BANDS, MEL_LOW_HZ, MEL_HIGH_HZ);
        let speech_bands = (0..MEL_BANDS)
            .filter(|&b| (config.band_low_hz..=config.band_high_hz).contains(&bank.centres_hz()[b]))
            .collect();
        Vad {
            tracker: RegionTracker::new(config.clone()),
            config,
            speech_bands,
            history: VecDeque::new(),
            history_start: 0,
            smoothed: VecDeque::new(),
            smoothed_start: 0,
            floors: BandMinima::default(),
            frames_in: 0,
            next_decision: 0,
            waiting: VecDeque::new(),
            waiting_start: 0,
            level_max: Extreme::default(),
            chunker: None,
            frame_scores: None,
            excess: Vec::with_capacity(MEL_BANDS),
        }
    }

    /// Also cut speech into finer chunks, split at pauses of `min_gap` frames or more (the
    /// units the aligner assigns to turns); see [`Vad::into_parts`].
    pub fn with_chunks(mut self, min_gap: u32, relative_drop_db: f32) -> Vad {
        let config = VadConfig {
            min_gap,
            relative_drop_db: Some(relative_drop_db),
            ..self.config.clone()
        };
        self.chunker = Some(RegionTracker::new(config));
        self
    }

    /// Also keep every frame's score (dB over the noise floor), for refining edges later.
    pub fn with_frame_scores(mut self) -> Vad {
        self.frame_scores = Some(SpillVec::default());
        self
    }

    /// Ends the stream and returns regions, chunks and frame scores (the last two empty
    /// unless asked for with [`Vad::with_chunks`] and [`Vad::with_frame_scores`]).
    pub fn into_parts(mut self) -> VadResult {
        self.advance(true);
        let total = Frame(self.frames_in);
        let chunks = self
            .chunker
            .take()
            .map(|c| c.finish(total))
            .unwrap_or_default();
        VadResult {
            regions: self.tracker.finish(total),
            chunks,
            frame_scores: FrameScores(self.frame_scores.take().unwrap_or_default()),
        }
    }

    /// Feeds the next block of features (blocks must arrive in order).
    pub fn push(&mut self, block: &FeatureBlock) {
        for i in 0..block.len() {
            let mut mel = [0.0f32; MEL_BANDS];
            for (slot, v) in mel.iter_mut().zip(block.mel(i)) {
                *slot = v * (10.0 / std::f32::consts::LN_10);
            }
            self.history.push_back((mel, block.voicing[i]));
            self.frames_in += 1;
            self.advance(false);
        }
    }

    /// Ends the stream and returns every speech region, in order.
    pub fn finish(mut self) -> Vec<SpeechRegion> {
        self.advance(true);
        self.tracker.finish(Frame(self.frames_in))
    }

    /// Computes whatever smoothing, floors and decisions the frames seen so far allow.
    fn advance(&mut self, at_end: bool) {
        // Smooth frame t once t+FLOOR_SMOOTH is in (or the stream ended): a short average for
        // the frame's own level, a long one (low variance) for the floor's minimum search.
        let total = self.frames_in;
        let smooth_until = if at_end {
            total
        } else {
            total.saturating_sub(FLOOR_SMOOTH)
        };
        while self.smoothed_start + (self.smoothed.len() as u32) < smooth_until {
            let t = self.smoothed_start + self.smoothed.len() as u32;
            let short = self.mean_over(t, self.config.smooth_half.min(FLOOR_SMOOTH));
            let long = self.mean_over(t, FLOOR_SMOOTH);
            // Floors are needed only for the bands the score reads (the others stay 0).
            let mut level = [0.0f32; MEL_BANDS];
            for &band in &self.speech_bands {
                level[band] = long[band];
            }
            self.floors.push(t, level);
            self.smoothed.push_back(short);
        }
        // Decide frame t once its floor window [t-H, t+H] has been smoothed.
        let h = self.config.floor_half_window as u32;
        let smoothed_end = self.smoothed_start + self.smoothed.len() as u32;
        let decide_until = if at_end {
            smoothed_end
        } else {
            smoothed_end.saturating_sub(h)
        };
        while self.next_decision < decide_until {
            let t = self.next_decision;
            let evidence = self.evidence(t, h);
            if let Some(scores) = &mut self.frame_scores {
                scores.push((evidence.score * 2.0).round().clamp(-127.0, 127.0) as i8);
            }
            self.level_max.push(t, evidence.loudness);
            self.waiting.push_back(evidence);
            self.next_decision += 1;
            self.trim(t.saturating_sub(h));
        }
        // Hand frame t to the trackers once the scores up to t+P are known.
        let p = self.config.level_half_window as u32;
        let release_until = if at_end {
            self.next_decision
        } else {
            self.next_decision.saturating_sub(p)
        };
        while self.waiting_start < release_until {
            let t = self.waiting_start;
            let evidence = self.waiting.pop_front().expect("frame t is waiting");
            self.waiting_start += 1;
            self.level_max.expire(|f| f + p < t);
            let level = self.level_max.front().unwrap_or(evidence.loudness);
            self.tracker.push(Frame(t), evidence, level);
            if let Some(chunker) = &mut self.chunker {
                chunker.push(Frame(t), evidence, level);
            }
        }
    }

    /// Mean raw dB per band over frames `t-half..=t+half` (clipped to what exists).
    fn mean_over(&self, t: u32, half: u32) -> [f32; MEL_BANDS] {
        let lo = t.saturating_sub(half).max(self.history_start);
        let hi = (t + half).min(self.frames_in - 1);
        let mut avg = [0.0f32; MEL_BANDS];
        // Iterating the deque's range (not indexing it frame by frame) lets the band loop
        // vectorise; the additions happen in the same order.
        let range = (lo - self.history_start) as usize..=(hi - self.history_start) as usize;
        for (mel, _) in self.history.range(range) {
            for (a, m) in avg.iter_mut().zip(mel) {
                *a += m;
            }
        }
        let n = (hi - lo + 1) as f32;
        avg.iter_mut().for_each(|a| *a /= n);
        avg
    }

    fn evidence(&mut self, t: u32, h: u32) -> FrameEvidence {
        let oldest = t.saturating_sub(h);
        let frame = &self.smoothed[(t - self.smoothed_start) as usize];
        let excess = &mut self.excess;
        excess.clear();
        // Frame t itself has been pushed, so the window is never empty.
        self.floors.expire(oldest);
        let minima = self.floors.minima();
        for &band in &self.speech_bands {
            let floor = minima[band] + FLOOR_BIAS_DB;
            excess.push((frame[band] - floor, frame[band]));
        }
        let k = self.config.top_bands.clamp(1, excess.len());
        let (excess_sum, level_sum) = top_sums(excess, k);
        let voicing = self.history[(t - self.history_start) as usize].1;
        FrameEvidence {
            score: excess_sum / k as f32,
            loudness: level_sum / k as f32,
            voicing,
        }
    }

    /// Drops history no longer needed by frames after `keep_from`.
    fn trim(&mut self, keep_from: u32) {
        while self.smoothed_start < keep_from && !self.smoothed.is_empty() {
            self.smoothed.pop_front();
            self.smoothed_start += 1;
        }
        let history_keep = keep_from
            .min(self.next_decision)
            .saturating_sub(FLOOR_SMOOTH);
        while self.history_start < history_keep && !self.history.is_empty() {
            self.history.pop_front();
            self.history_start += 1;
        }
    }
}

/// Of the `k` pairs with the largest first values (`1 ≤ k ≤ values.len()`), the sums of their
/// first and of their second values, each added largest first value first.
///
/// The order is fixed, so the sums do not depend on how a selection algorithm happens to
/// leave the values.
fn top_sums(values: &[(f32, f32)], k: usize) -> (f32, f32) {
    const MAX_K: usize = MEL_BANDS;
    let k = k.min(values.len()).min(MAX_K);
    let mut top = [(f32::NEG_INFINITY, 0.0); MAX_K];
    let top = &mut top[..k];
    for &v in values {
        if v.0.total_cmp(&top[k - 1].0).is_le() {
            continue;
        }
        // Insert in descending order; ties keep the earlier value first.
        let mut i = k - 1;
        while i > 0 && v.0.total_cmp(&top[i - 1].0).is_gt() {
            top[i] = top[i - 1];
            i -= 1;
        }
        top[i] = v;
    }
    (top.iter().map(|t| t.0).sum(), top.iter().map(|t| t.1).sum())
}

/// Per-band sliding minima of level vectors pushed with increasing frame numbers: a queue
/// made of two stacks, so pushing and expiring cost a few vector `min`s per frame and no
/// data-dependent branch per band (a monotonic deque per band mispredicts on every pop).
///
/// Entries `head..split` hold suffix minima (the minimum from each entry to `split`), entries
/// `split..tail` only raw levels, summarised by `newer`, their running minimum. When the
/// oldest part runs out, the newer part is turned into suffix minima. A minimum is exact
/// however it is grouped, so this gives the same floors as any other sliding minimum.
#[derive(Debug, Clone)]
struct BandMinima {
    frames: VecDeque<u32>,
    /// Raw levels for `split..tail`, suffix minima for `head..split` (same deque).
    levels: VecDeque<[f32; MEL_BANDS]>,
    /// Entries (from the front) that hold suffix minima.
    split: usize,
    /// Minimum over the raw entries.
    newer: [f32; MEL_BANDS],
}

impl Default for BandMinima {
    fn default() -> Self {
        BandMinima {
            frames: VecDeque::new(),
            levels: VecDeque::new(),
            split: 0,
            newer: [f32::INFINITY; MEL_BANDS],
        }
    }
}

impl BandMinima {
    fn push(&mut self, frame: u32, level: [f32; MEL_BANDS]) {
        if self.split == self.levels.len() {
            self.newer = level;
        } else {
            for (m, v) in self.newer.iter_mut().zip(&level) {
                *m = m.min(*v);
            }
        }
        self.frames.push_back(frame);
        self.levels.push_back(level);
    }

    /// Drops the entries older than `oldest`.
    fn expire(&mut self, oldest: u32) {
        while self.frames.front().is_some_and(|&f| f < oldest) {
            if self.split == 0 {
                self.rebuild();
            }
            self.frames.pop_front();
            self.levels.pop_front();
            self.split -= 1;
        }
    }

    /// Turns every raw entry into a suffix minimum.
    fn rebuild(&mut self) {
        let mut running = [f32::INFINITY; MEL_BANDS];
        for level in self.levels.iter_mut().rev() {
            for (r, v) in running.iter_mut().zip(level.iter_mut()) {
                *r = r.min(*v);
                *v = *r;
            }
        }
        self.split = self.levels.len();
    }

    /// Minimum of each band over the entries kept (+∞ when there are none).
    fn minima(&self) -> [f32; MEL_BANDS] {
        match (self.split > 0, self.split < self.levels.len()) {
            (true, true) => {
                let mut m = self.levels[0];
                for (a, b) in m.iter_mut().zip(&self.newer) {
                    *a = a.min(*b);
                }
                m
            }
            (true, false) => self.levels[0],
            (false, true) => self.newer,
            (false, false) => [f32::INFINITY; MEL_BANDS],
        }
    }
}

/// A sliding-window extreme (the maximum when `MAX`, else the minimum) of values pushed
/// with increasing frame numbers: a monotonic deque of (frame, value) in a ring buffer.
///
/// The same pushes and pops as a `VecDeque` would do, with the indices kept in locals while
/// popping (the detector does this for 30-odd bands per frame).
#[derive(Debug, Clone, Default)]
struct Extreme<const MAX: bool> {
    frames: Vec<u32>,
    values: Vec<f32>,
    /// Positions of the oldest entry and one past the newest; slots are `position & mask`.
    head: usize,
    tail: usize,
}

impl<const MAX: bool> Extreme<MAX> {
    /// Adds `value` at `frame`, dropping the entries it dominates.
    fn push(&mut self, frame: u32, value: f32) {
        let mask = self.values.len().wrapping_sub(1);
        let mut tail = self.tail;
        while tail > self.head {
            let back = self.values[(tail - 1) & mask];
            let dominated = if MAX { back <= value } else { back >= value };
            if !dominated {
                break;
            }
            tail -= 1;
        }
        self.tail = tail;
        if self.tail - self.head == self.values.len() {
            self.grow();
        }
        let slot = self.tail & (self.values.len() - 1);
        self.values[slot] = value;
        self.frames[slot] = frame;
        self.tail += 1;
    }

    /// Drops the oldest entries while `stale(frame)` holds.
    fn expire(&mut self, stale: impl Fn(u32) -> bool) {
        let mask = self.values.len().wrapping_sub(1);
        let mut head = self.head;
        while head < self.tail && stale(self.frames[head & mask]) {
            head += 1;
        }
        self.head = head;
    }

    /// The extreme of the entries kept.
    fn front(&self) -> Option<f32> {
        (self.head < self.tail).then(|| self.values[self.head & (self.values.len() - 1)])
    }

    /// Doubles the ring (at least 64 slots), keeping the entries in order.
    fn grow(&mut self) {
        let old = self.values.len();
        let size = (2 * old).max(64);
        let mut frames = vec![0; size];
        let mut values = vec![0.0; size];
        for (i, position) in (self.head..self.tail).enumerate() {
            frames[i] = self.frames[position & (old - 1)];
            values[i] = self.values[position & (old - 1)];
        }
        self.tail -= self.head;
        self.head = 0;
        self.frames = frames;
        self.values = values;
    }
}

/// Turns per-frame evidence into regions: hysteresis, gap bridging, duration and voicing checks.
#[derive(Debug)]
struct RegionTracker {
    config: VadConfig,
    open: Option<Candidate>,
    pending: Option<Candidate>,
    done: Vec<SpeechRegion>,
    /// Running peak of the recent scores.
    recent: Extreme<true>,
}

/// Frames over which the running peak is taken (half a second).
const PEAK_WINDOW: u32 = 50;

#[derive(Debug, Clone, Copy)]
struct Candidate {
    start: u32,
    end: u32,
    score_sum: f32,
    frames: u32,
    voiced: u32,
}

impl RegionTracker {
    fn new(config: VadConfig) -> RegionTracker {
        RegionTracker {
            config,
            open: None,
            pending: None,
            done: Vec::new(),
            recent: Extreme::default(),
        }
    }

    /// True when the frame is loud enough to continue speech: its score over the exit
    /// threshold, its loudness within reach of the local speech level `level`, and its score
    /// within reach of the running peak.
    fn continues(&mut self, t: u32, evidence: FrameEvidence, level: f32) -> bool {
        let score = evidence.score;
        let loud_enough = self
            .config
            .exit_below_level_db
            .is_none_or(|drop| evidence.loudness >= level - drop);
        let holds = score >= self.config.exit_db && loud_enough;
        let Some(drop) = self.config.relative_drop_db else {
            return holds;
        };
        self.recent.expire(|f| f + PEAK_WINDOW < t);
        let peak = self.recent.front().map_or(score, |v| v.max(score));
        self.recent.push(t, score);
        holds && score >= peak - drop
    }

    fn push(&mut self, frame: Frame, evidence: FrameEvidence, level: f32) {
        let t = frame.0;
        let voiced = u32::from(evidence.voicing >= self.config.voiced_threshold);
        let continues = self.continues(t, evidence, level);
        match &mut self.open {
            Some(c) if continues => {
                c.end = t + 1;
                c.score_sum += evidence.score;
                c.frames += 1;
                c.voiced += voiced;
            }
            Some(_) => {
                let closed = self.open.take().expect("checked");
                self.close(closed);
            }
            None if continues && evidence.score >= self.config.enter_db => {
                self.open = Some(Candidate {
                    start: t,
                    end: t + 1,
                    score_sum: evidence.score,
                    frames: 1,
                    voiced,
                });
            }
            None => {}
        }
    }

    /// A candidate ended: bridge it to the pending one or settle the pending one.
    fn close(&mut self, c: Candidate) {
        match &mut self.pending {
            Some(p) if c.start - p.end < self.config.min_gap => {
                p.end = c.end;
                p.score_sum += c.score_sum;
                p.frames += c.frames;
                p.voiced += c.voiced;
            }
            _ => {
                if let Some(p) = self.pending.replace(c) {
                    self.settle(p);
                }
            }
        }
    }

    fn settle(&mut self, c: Candidate) {
        let cfg = &self.config;
        if c.end - c.start < cfg.min_speech || c.voiced < cfg.min_voiced {
            return;
        }
        let start = c.start.saturating_sub(cfg.pad_start);
        let start = self.done.last().map_or(start, |prev| start.max(prev.end.0));
        let end = c.end + cfg.pad_end;
        let mean = c.score_sum / c.frames.max(1) as f32;
        let loudness = 1.0 / (1.0 + (-(mean - cfg.enter_db) / 3.0).exp());
        let voicing = (c.voiced as f32 / c.frames.max(1) as f32 / 0.3).min(1.0);
        let score = (loudness * voicing).clamp(0.0, 1.0);
        self.done.push(SpeechRegion {
            start: Frame(start),
            end: Frame(end),
            score,
        });
    }

    fn finish(mut self, total: Frame) -> Vec<SpeechRegion> {
        if let Some(open) = self.open.take() {
            self.close(open);
        }
        if let Some(p) = self.pending.take() {
            self.settle(p);
        }
        for region in &mut self.done {
            region.end = region.end.min(total);
        }
        self.done.retain(|r| r.end > r.start);
        self.done
    }
}

/// Runs the detector over features already in memory (for the tests).
#[cfg(test)]
pub(crate) fn detect(features: &FeatureBlock, config: &VadConfig) -> Vec<SpeechRegion> {
    let mut vad = Vad::new(config.clone());
    vad.push(features);
    vad.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::Extractor;
    use crate::time::SAMPLE_RATE;

    use crate::test_signals::seeded_noise;

    /// A crude vowel: a 120 Hz pulse train through two resonances, amplitude-modulated.
    fn vowel(len: usize, amplitude: f32) -> Vec<f32> {
        let sr = SAMPLE_RATE as f32;
        (0..len)
            .map(|n| {
                let t = n as f32 / sr;
                let f0 = 120.0;
                let mut v = 0.0;
                for h in 1..30 {
                    let f = f0 * h as f32;
                    let gain = 1.0 / (1.0 + ((f - 700.0) / 150.0).powi(2))
                        + 0.5 / (1.0 + ((f - 1200.0) / 200.0).powi(2));
                    v += gain * (2.0 * std::f32::consts::PI * f * t).sin();
                }
                v * amplitude * (0.6 + 0.4 * (2.0 * std::f32::consts::PI * 4.0 * t).sin().abs())
            })
            .collect()
    }

    /// The scores past the first hour go to a temporary file and read back exactly, across
    /// the boundary, cut short at the last frame (a 10.5-hour recording held 3.8 MB of them).
    #[test]
    fn frame_scores_past_the_budget_spill_and_read_back_exactly() {
        let db: Vec<f32> = (0..23).map(|i| i as f32 * 0.5 - 4.0).collect();
        let mut store = SpillVec::with_spill_after(5);
        store.extend(db.iter().map(|d| (d * 2.0).round() as i8));
        assert!(store.spilled());
        let scores = FrameScores(store);
        assert_eq!(scores.len(), 23);
        assert_eq!(scores.db(3..12), db[3..12]);
        assert_eq!(scores.db(20..40), db[20..]);
        // An edge's reach can end before it starts (its neighbour overlaps it): nothing read.
        let (from, to) = (12, 3);
        assert!(scores.db(from..to).is_empty());
    }

    fn place(signal: &mut [f32], at_s: f32, piece: &[f32]) {
        let start = (at_s * SAMPLE_RATE as f32) as usize;
        for (s, p) in signal[start..].iter_mut().zip(piece) {
            *s += p;
        }
    }

    #[test]
    fn band_minima_match_a_naive_sliding_minimum() {
        let noise = seeded_noise(17, 3000 * 3, 20.0);
        let mut minima = BandMinima::default();
        let mut pushed: Vec<(u32, [f32; MEL_BANDS])> = Vec::new();
        let (h, mut next) = (37u32, 0u32);
        for t in 0..3000u32 {
            let mut level = [0.0f32; MEL_BANDS];
            for (b, v) in level.iter_mut().enumerate().take(3) {
                *v = noise[t as usize * 3 + b] + (t / 500) as f32 * (b as f32 - 1.0);
            }
            minima.push(t, level);
            pushed.push((t, level));
            // Decide several frames at once now and then, as the detector does at the end.
            let until = if t % 97 == 0 {
                t + 1
            } else {
                t.saturating_sub(h)
            };
            while next < until {
                let oldest = next.saturating_sub(h);
                minima.expire(oldest);
                let got = minima.minima();
                for b in 0..3 {
                    let naive = pushed
                        .iter()
                        .filter(|(f, _)| *f >= oldest)
                        .map(|(_, l)| l[b])
                        .fold(f32::INFINITY, f32::min);
                    assert_eq!(got[b], naive, "frame {next} band {b}");
                }
                next += 1;
            }
        }
    }

    #[test]
    fn extremes_match_a_naive_window() {
        let noise = seeded_noise(23, 2000, 10.0);
        let mut high: Extreme<true> = Extreme::default();
        let mut low: Extreme<false> = Extreme::default();
        for (t, &v) in noise.iter().enumerate() {
            let t = t as u32;
            high.push(t, v);
            low.push(t, v);
            let oldest = t.saturating_sub(150);
            high.expire(|f| f < oldest);
            low.expire(|f| f < oldest);
            let window = &noise[oldest as usize..=t as usize];
            let max = window.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let min = window.iter().copied().fold(f32::INFINITY, f32::min);
            assert_eq!((high.front(), low.front()), (Some(max), Some(min)));
        }
    }

    #[test]
    fn top_sums_add_the_largest_in_descending_order() {
        for seed in 1..30 {
            let firsts = seeded_noise(seed, 30, 25.0);
            let seconds = seeded_noise(seed + 100, 30, 25.0);
            let pairs: Vec<(f32, f32)> = firsts.into_iter().zip(seconds).collect();
            for k in [1, 8, 30] {
                let mut sorted = pairs.clone();
                sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
                let expected: (f32, f32) = (
                    sorted[..k].iter().map(|p| p.0).sum(),
                    sorted[..k].iter().map(|p| p.1).sum(),
                );
                assert_eq!(top_sums(&pairs, k), expected);
            }
        }
    }

    #[test]
    fn finds_vowels_in_noise_and_ignores_clicks_and_hum() {
        let sr = SAMPLE_RATE as usize;
        let mut signal = seeded_noise(9, sr * 20, 0.003);
        for (n, s) in signal.iter_mut().enumerate() {
            *s += 0.02 * (2.0 * std::f32::consts::PI * 50.0 * n as f32 / sr as f32).sin();
        }
        place(&mut signal, 3.0, &vowel(sr * 2, 0.05));
        place(&mut signal, 9.0, &vowel(sr * 3 / 2, 0.05));
        // A click and a knock-like burst of noise, which are not speech.
        place(&mut signal, 6.0, &[0.8, -0.6, 0.4]);
        place(&mut signal, 14.0, &seeded_noise(3, sr / 20, 0.3));
        let regions = detect(&Extractor::analyse(&signal), &VadConfig::default());
        assert_eq!(regions.len(), 2, "{regions:?}");
        assert!(
            (regions[0].start.seconds() - 3.0).abs() < 0.06,
            "{regions:?}"
        );
        assert!((regions[0].end.seconds() - 5.0).abs() < 0.08, "{regions:?}");
        assert!(
            (regions[1].start.seconds() - 9.0).abs() < 0.06,
            "{regions:?}"
        );
        assert!(regions.iter().all(|r| r.score > 0.5));
    }

    #[test]
    fn streaming_matches_one_block() {
        let sr = SAMPLE_RATE as usize;
        let mut signal = seeded_noise(2, sr * 30, 0.002);
        for k in 0..6 {
            place(&mut signal, 2.0 + 4.5 * k as f32, &vowel(sr, 0.04));
        }
        let features = Extractor::analyse(&signal);
        let whole = detect(&features, &VadConfig::default());
        let mut vad = Vad::new(VadConfig::default());
        let mut start = 0;
        while start < features.len() {
            let end = (start + 333).min(features.len());
            let piece = FeatureBlock {
                first: Frame(start as u32),
                energy_db: features.energy_db[start..end].to_vec(),
                log_mel: features.log_mel[start * MEL_BANDS..end * MEL_BANDS].to_vec(),
                mfcc: Vec::new(),
                voicing: features.voicing[start..end].to_vec(),
                pitch_hz: Vec::new(),
            };
            vad.push(&piece);
            start = end;
        }
        assert_eq!(vad.finish(), whole);
        assert_eq!(whole.len(), 6);
    }

    #[test]
    fn faint_tail_far_below_the_speech_level_is_cut() {
        let sr = SAMPLE_RATE as usize;
        let mut signal = seeded_noise(5, sr * 12, 0.00002);
        place(&mut signal, 4.0, &vowel(sr, 0.3));
        // A tail 50 dB under the vowel, still 20 dB over the room noise: a breath or a
        // room's decay, which annotators leave out.
        place(&mut signal, 5.0, &vowel(sr / 2, 0.001));
        let features = Extractor::analyse(&signal);
        let regions = detect(&features, &VadConfig::default());
        assert_eq!(regions.len(), 1, "{regions:?}");
        assert!((regions[0].end.seconds() - 5.0).abs() < 0.05, "{regions:?}");
        let without = VadConfig {
            exit_below_level_db: None,
            ..VadConfig::default()
        };
        let regions = detect(&features, &without);
        assert!(regions[0].end.seconds() > 5.4, "{regions:?}");
    }

    /// Room noise with a vowel at 2, 6 and 12.5 s, and a second of digital silence (an edit)
    /// at 10 s: the noise floor beside the silence sinks to nothing, so the vowel at 12.5 s
    /// scores some 60 dB over it. The speech level is the vowels' loudness, the same for all
    /// three, so neither earlier vowel is cut as a breath under the last one (before, both
    /// were: their scores over the room noise sat 40 dB under that excess). The room noise
    /// just after the silence stands that far over its floor too, and joins the last vowel's
    /// region: what a floor taken from the silence can tell.
    #[test]
    fn digital_silence_beside_speech_cuts_no_speech_around_it() {
        let sr = SAMPLE_RATE as usize;
        let mut signal = seeded_noise(11, sr * 16, 0.003);
        for at in [2.0, 6.0, 12.5] {
            place(&mut signal, at, &vowel(sr / 2, 0.05));
        }
        signal[sr * 10..sr * 11].fill(0.0);
        let regions = detect(&Extractor::analyse(&signal), &VadConfig::default());
        assert_eq!(regions.len(), 3, "{regions:?}");
        for (region, at) in regions.iter().zip([2.0, 6.0]) {
            assert!((region.start.seconds() - at).abs() < 0.06, "{regions:?}");
            assert!(
                (region.end.seconds() - at - 0.5).abs() < 0.06,
                "{regions:?}"
            );
        }
        assert!(
            regions[2].start.seconds() <= 12.5 && regions[2].end.seconds() >= 13.0,
            "{regions:?}"
        );
    }

    #[test]
    fn silence_gives_no_regions() {
        let features = Extractor::analyse(&vec![0.0; SAMPLE_RATE as usize * 5]);
        assert!(detect(&features, &VadConfig::default()).is_empty());
    }

    /// Speech frames (10 ms) of a truth file's `speech` intervals: a frame counts when at
    /// least half of it is inside, as in `scripts/eval_vad.py`.
    fn truth_frames(path: &str) -> Vec<bool> {
        let text =
            std::fs::read_to_string(crate::test_signals::repo_path(path)).expect("fixture truth");
        let json: serde_json::Value = serde_json::from_str(&text).expect("truth json");
        let n = (json["duration_s"].as_f64().expect("duration") * 100.0 - 1e-9).ceil() as usize;
        let mut cover = vec![0.0f64; n + 1];
        for pair in json["speech"].as_array().expect("speech") {
            let (a, b) = (
                pair[0].as_f64().unwrap() * 100.0,
                pair[1].as_f64().unwrap() * 100.0,
            );
            let b = b.min(n as f64);
            let (ia, ib) = (a.floor() as usize, b.floor() as usize);
            if ia == ib {
                cover[ia] += b - a;
                continue;
            }
            cover[ia] += ia as f64 + 1.0 - a;
            cover[ia + 1..ib].iter_mut().for_each(|c| *c += 1.0);
            cover[ib] += b - ib as f64;
        }
        cover[..n].iter().map(|&c| c >= 0.5 - 1e-9).collect()
    }

    /// Frame-level F1 of the default detector on a committed recording against its truth.
    fn fixture_f1(audio: &str, truth: &str) -> f64 {
        let truth = truth_frames(truth);
        let mut vad = Vad::new(VadConfig::default());
        crate::analysis::analyse(
            &crate::test_signals::repo_path(audio),
            &crate::progress::Silent,
            |b| vad.push(b),
        )
        .expect("fixture decodes");
        let mut pred = vec![false; truth.len()];
        for r in vad.finish() {
            let end = r.end.index().min(pred.len());
            pred[r.start.index().min(end)..end].fill(true);
        }
        let count = |t: bool, p: bool| {
            truth
                .iter()
                .zip(&pred)
                .filter(|&(&a, &b)| a == t && b == p)
                .count() as f64
        };
        let (tp, fp, fne) = (count(true, true), count(false, true), count(true, false));
        2.0 * tp / (2.0 * tp + fp + fne)
    }

    /// Accuracy floors on committed fixtures (deterministic; measured values in
    /// `docs/vad.md`). The real recordings' floors are webrtcvad's best mode on them.
    #[test]
    fn f1_floors_on_fixtures() {
        for (audio, truth, floor) in [
            (
                "sample-audio/clip-kerry-45s.wav",
                "sample-audio/clip-kerry-45s.truth.json",
                0.988,
            ),
            (
                "sample-audio/clip-kerry-45s-snr10.mp3",
                "sample-audio/clip-kerry-45s-snr10.truth.json",
                0.97,
            ),
            (
                "tests/fixtures/real/praatio-bobby/audio.wav",
                "tests/fixtures/real/praatio-bobby/truth.json",
                0.9507,
            ),
            (
                "tests/fixtures/real/praatio-mary/audio.wav",
                "tests/fixtures/real/praatio-mary/truth.json",
                0.9558,
            ),
        ] {
            let f1 = fixture_f1(audio, truth);
            eprintln!("{audio}: F1 {f1:.4} floor {floor}");
            assert!(f1 >= floor, "{audio}: F1 {f1:.4} < {floor}");
        }
    }
}
