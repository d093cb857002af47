//! Senone scoring: Gaussian densities of every codebook, the top N per codebook stream,
//! and each senone's mixture over them.
//!
//! A senone's likelihood is the product over streams of `sum_j w[s][f][cw_j] N(x_f; cw_j)`
//! over the top-N densities `cw_j` of its codebook's stream `f` (pocketsphinx's PTM scoring,
//! top-N 4), here in natural logs as f32, absolute (not normalised per frame as pocketsphinx
//! does). Frames are scored independently, so results do not depend on the thread count.

use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use super::model::{AcousticModel, SenoneId};

/// Densities kept per codebook stream (pocketsphinx's `-topn` default).
pub const TOP_N: usize = 4;

/// Frames per rayon task.
const BLOCK_FRAMES: usize = 32;

/// Natural-log senone likelihoods, frames × senones.
#[derive(Debug, Clone)]
pub struct SenoneScores {
    n_sen: usize,
    n_ci_sen: usize,
    data: Vec<f32>,
}

impl SenoneScores {
    /// Number of frames.
    pub fn frames(&self) -> usize {
        self.data.len().checked_div(self.n_sen).unwrap_or(0)
    }

    /// Number of senones per frame.
    pub fn senones(&self) -> usize {
        self.n_sen
    }

    /// The log likelihood of senone `s` at `frame`.
    pub fn get(&self, frame: usize, s: SenoneId) -> f32 {
        self.data[frame * self.n_sen + s.0 as usize]
    }

    /// All senones' log likelihoods at `frame`.
    pub fn frame(&self, frame: usize) -> &[f32] {
        &self.data[frame * self.n_sen..(frame + 1) * self.n_sen]
    }

    /// The best CI senone's log likelihood at `frame`: a phone loop's score, approximately.
    pub fn best_ci(&self, frame: usize) -> f32 {
        self.frame(frame)[..self.n_ci_sen]
            .iter()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max)
    }
}

/// A chosen set of senones to score (see [`AcousticModel::senone_set`]).
#[derive(Debug, Clone)]
pub struct SenoneSet {
    mixw: MixtureTables,
    /// The CI senones alone (the set's first columns), mixed for every frame by
    /// [`LazyTops`]: the model's own, the same in every set.
    ci_mixw: Arc<MixtureTables>,
    /// Column of each senone of the model, `u32::MAX` when not in the set.
    column: Vec<u32>,
    n_ci: usize,
    len: usize,
}

impl SenoneSet {
    /// The column of senone `s` in [`AcousticModel::score_set`]'s scores, if in the set.
    pub fn column(&self, s: u32) -> Option<usize> {
        self.column
            .get(s as usize)
            .filter(|&&c| c != u32::MAX)
            .map(|&c| c as usize)
    }

    /// Per senone of the model, its column (`u32::MAX` when not in the set): the lookup
    /// the search makes for every state at every frame.
    pub(crate) fn columns(&self) -> &[u32] {
        &self.column
    }

    /// Number of senones in the set (columns of its scores).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the set is empty (a model without senones).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The codebook of the senone in column `column`.
    pub fn codebook(&self, column: usize) -> usize {
        self.mixw.codebook(column)
    }
}

/// Codebooks whose CI senones the phone loop of [`LazyTops`] reads at a frame besides those
/// the search's band reaches there: the best at the last frame that read every codebook.
pub const LOOP_CARRY: usize = 12;

/// Every this many frames (caller's frame numbers, a multiple of [`FRAMES_AT_ONCE`]), a group
/// of [`FRAMES_AT_ONCE`] frames whose phone loop reads every codebook.
pub const LOOP_REFRESH: usize = 8;

/// [`LOOP_REFRESH`] of [`Scoring::EveryOther`]: every other group of
/// `2 × FRAMES_AT_ONCE` frames reads every codebook, as [`Scoring::Exact`] does every other
/// group of `FRAMES_AT_ONCE` (refreshing every group cost a tenth more CPU on the sample and
/// changed no evaluation row, docs/speed.md, session 24).
pub const COARSE_LOOP_REFRESH: usize = 2 * LOOP_REFRESH;

/// What a [`LazyTops`] computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scoring {
    /// Every frame, and the phone loop: the values [`AcousticModel::score_set`] gives.
    Exact,
    /// The Gaussians at every other frame of a block (its frames 0, 2, ...), a frame between
    /// taking the scores of the frame before (frame downsampling, pocketsphinx's `-ds 2`),
    /// the phone loop as [`Scoring::Exact`]'s over twice the frames
    /// ([`COARSE_LOOP_REFRESH`]): half the Gaussians, for a first search whose path a
    /// second one refines (docs/speed.md, session 24).
    EveryOther,
    /// Every frame, the phone loop from the codebooks of the band and those the caller
    /// names ([`LazyTops::set_loop_codebooks`]: the best ones at the frames around, from a
    /// first search): the second search, in a narrow band around the first one's path.
    Named,
}

impl Scoring {
    /// Frames per scored frame.
    fn every(self) -> usize {
        match self {
            Scoring::EveryOther => 2,
            Scoring::Exact | Scoring::Named => 1,
        }
    }
}

/// A block of frames scored lazily, a codebook at a time: each codebook's top-N densities
/// and CI senones are computed for a group of [`FRAMES_AT_ONCE`] scored frames (and the
/// frames between that take their values, [`Scoring::EveryOther`]) when a frame of the group
/// first needs them: the values [`AcousticModel::score_set`] gives at the scored frames.
///
/// The phone loop of a frame is its best CI senone among the codebooks the search's band
/// reaches there and the [`LOOP_CARRY`] codebooks whose CI senones were best at the last
/// frame that read every codebook; every codebook is read at the first frame of a search,
/// after a gap in the frames, and in the first group of every [`LOOP_REFRESH`] frames. So the
/// loop can fall short of the best CI senone between refreshes (on the 37-minute sample, at
/// 2.9 % of the frames searched, by 1.4 nats there on average), and about a fifth of the
/// codebooks' Gaussians are never computed (docs/speed.md, session 13).
#[derive(Debug, Clone)]
pub struct LazyTops {
    n_cb: usize,
    n_feat: usize,
    n_ci: usize,
    /// The block's frames (the caller's slice).
    len: usize,
    /// Per frame of the block, every codebook stream's top N (valid where computed).
    tops: Vec<TopN>,
    /// Per frame of the block, the CI senones' log likelihoods (valid where computed).
    ci: Vec<f32>,
    /// Per group of [`Self::group_len`] frames of the block and codebook: computed.
    done: Vec<bool>,
    /// The codebooks the phone loop reads at the current frame.
    reads: Vec<bool>,
    /// Per codebook, its best CI senone at the current frame (`-inf` where not read).
    cb_best: Vec<f32>,
    /// The phone loop's last frame (caller's numbering) and value there; the codebooks best
    /// at the last frame that read them all.
    loop_frame: usize,
    loop_value: f32,
    carry: Vec<u16>,
    scratch: Scratch,
    avx2: bool,
    scoring: Scoring,
}

impl LazyTops {
    /// Nothing computed, no block yet; scoring as `scoring` says.
    pub fn scoring(model: &AcousticModel, scoring: Scoring) -> LazyTops {
        #[cfg(target_arch = "x86_64")]
        let avx2 = has_avx2_fma();
        #[cfg(not(target_arch = "x86_64"))]
        let avx2 = false;
        LazyTops {
            n_cb: model.n_codebooks,
            n_feat: model.tables.n_feat,
            n_ci: model.ci_senones(),
            len: 0,
            tops: Vec::new(),
            ci: Vec::new(),
            done: Vec::new(),
            reads: vec![false; model.n_codebooks],
            cb_best: vec![f32::NEG_INFINITY; model.n_codebooks],
            loop_frame: usize::MAX,
            loop_value: f32::NEG_INFINITY,
            carry: Vec::new(),
            scratch: Scratch::new(&model.tables),
            avx2,
            scoring,
        }
    }

    /// As [`LazyTops::scoring`] makes it, keeping this one's tables (their memory): for the
    /// next window a thread scores. A fresh one for a model of other dimensions.
    pub fn rescoring(mut self, model: &AcousticModel, scoring: Scoring) -> LazyTops {
        let t = &model.tables;
        let same_shape = self.n_cb == model.n_codebooks
            && self.n_feat == t.n_feat
            && self.n_ci == model.ci_senones()
            && self.scratch.dens.len() == FRAMES_AT_ONCE * t.n_runs
            && self.scratch.tops.len() == FRAMES_AT_ONCE * t.streams.len();
        if !same_shape {
            return LazyTops::scoring(model, scoring);
        }
        self.len = 0;
        self.tops.clear();
        self.ci.clear();
        self.done.clear();
        self.reads.fill(false);
        self.cb_best.fill(f32::NEG_INFINITY);
        self.loop_frame = usize::MAX;
        self.loop_value = f32::NEG_INFINITY;
        self.carry.clear();
        self.scoring = scoring;
        self
    }

    /// Frames of a block whose codebook is computed at once: [`FRAMES_AT_ONCE`] scored
    /// frames and the frames that take their scores.
    fn group_len(&self) -> usize {
        FRAMES_AT_ONCE * self.scoring.every()
    }

    /// Starts a block of `len` frames, nothing computed (the phone loop's carried codebooks
    /// are kept).
    pub fn start_block(&mut self, len: usize) {
        self.len = len;
        let ns = self.n_cb * self.n_feat;
        self.tops.clear();
        self.tops.resize(len * ns, NO_TOP);
        self.ci.clear();
        self.ci.resize(len * self.n_ci, f32::NEG_INFINITY);
        self.done.clear();
        self.done
            .resize(len.div_ceil(self.group_len()) * self.n_cb, false);
    }

    /// Readies frame `at` of the block (`frame` in the caller's numbering, increasing by one
    /// from frame to frame within a search): the codebooks `codebooks` (those of the senones
    /// the search may read there; repeats allowed) and those its phone loop reads are
    /// computed for `at`'s group, from `block` (the block's features) and the CI senones of
    /// `set`; then the phone loop's value.
    pub fn frame(
        &mut self,
        model: &AcousticModel,
        set: &SenoneSet,
        block: &[[f32; 39]],
        at: usize,
        frame: usize,
        codebooks: impl Iterator<Item = usize>,
    ) {
        assert!(
            at < self.len && block.len() == self.len,
            "a frame of the block"
        );
        let refresh = match self.scoring {
            Scoring::Exact => LOOP_REFRESH,
            Scoring::EveryOther => COARSE_LOOP_REFRESH,
            Scoring::Named => 0,
        };
        let every = refresh > 0
            && (frame == 0
                || self.loop_frame != frame - 1
                || frame % refresh < self.group_len()
                || self.carry.is_empty());
        self.reads.fill(every);
        for cb in codebooks {
            self.reads[cb] = true;
        }
        for &cb in &self.carry {
            self.reads[cb as usize] = true;
        }
        let g = at / self.group_len();
        for cb in 0..self.n_cb {
            if self.reads[cb] && !self.done[g * self.n_cb + cb] {
                self.done[g * self.n_cb + cb] = true;
                if self.avx2 {
                    #[cfg(target_arch = "x86_64")]
                    // SAFETY: the CPU has AVX2 (checked in `new`).
                    unsafe {
                        self.compute_avx2(model, set, block, g, cb)
                    }
                } else {
                    self.compute::<false>(model, set, block, g, cb);
                }
            }
        }
        self.loop_frame = frame;
        // The phone loop: the best CI senone of the codebooks read; the best codebooks carried.
        let row = &self.ci[at * self.n_ci..(at + 1) * self.n_ci];
        self.cb_best.fill(f32::NEG_INFINITY);
        for (s, &v) in row.iter().enumerate() {
            let cb = set.ci_mixw.codebook(s);
            if self.reads[cb] && v > self.cb_best[cb] {
                self.cb_best[cb] = v;
            }
        }
        self.loop_value = self
            .cb_best
            .iter()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max);
        if every && self.scoring != Scoring::Named {
            self.carry.clear();
            self.carry
                .extend((0..self.n_cb as u16).filter(|&cb| self.reads[cb as usize]));
            let best = &self.cb_best;
            let rank = |a: &u16, b: &u16| {
                best[*b as usize]
                    .total_cmp(&best[*a as usize])
                    .then(a.cmp(b))
            };
            if self.carry.len() > LOOP_CARRY {
                self.carry.select_nth_unstable_by(LOOP_CARRY - 1, rank);
                self.carry.truncate(LOOP_CARRY);
            }
        }
    }

    /// The codebooks a [`Scoring::Named`] loop reads besides the band's, from the next
    /// [`Self::frame`] on.
    pub fn set_loop_codebooks(&mut self, codebooks: impl Iterator<Item = u16>) {
        debug_assert_eq!(self.scoring, Scoring::Named);
        self.carry.clear();
        self.carry.extend(codebooks);
    }

    /// The codebook whose CI senone is the phone loop's value at the frame last readied
    /// (the lowest on a tie; `u16::MAX` when none was read).
    pub fn loop_codebook(&self) -> u16 {
        let mut best = (f32::NEG_INFINITY, u16::MAX);
        for (cb, &v) in self.cb_best.iter().enumerate() {
            if v > best.0 {
                best = (v, cb as u16);
            }
        }
        best.1
    }

    /// The phone loop's value at `frame` (the caller's numbering), readied by [`Self::frame`].
    ///
    /// # Panics
    /// When `frame` was not the last frame readied.
    pub fn phone_loop(&self, frame: usize) -> f32 {
        assert_eq!(self.loop_frame, frame, "frame() comes first");
        self.loop_value
    }

    /// The frame of the block whose scores frame `at` takes (itself, or the frame before
    /// with [`Scoring::EveryOther`]): a [`Mixer`] given this frame number mixes each run
    /// once for both.
    pub fn scored_frame(&self, at: usize) -> usize {
        at - at % self.scoring.every()
    }

    /// Every codebook stream's top N at frame `at` of the block: valid for the codebooks
    /// readied there by [`Self::frame`].
    pub fn frame_tops(&self, at: usize) -> &[TopN] {
        let ns = self.n_cb * self.n_feat;
        &self.tops[at * ns..(at + 1) * ns]
    }

    /// [`Self::compute`] compiled for AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn compute_avx2(
        &mut self,
        model: &AcousticModel,
        set: &SenoneSet,
        block: &[[f32; 39]],
        g: usize,
        cb: usize,
    ) {
        self.compute::<true>(model, set, block, g, cb);
    }

    /// Codebook `cb`'s top N and CI senones for group `g` of the block: at its scored frames
    /// as [`AcousticModel::score_set`] computes them (the last group padded with copies of
    /// its last such frame); the frames between copy them.
    #[inline(always)]
    fn compute<const AVX2: bool>(
        &mut self,
        model: &AcousticModel,
        set: &SenoneSet,
        block: &[[f32; 39]],
        g: usize,
        cb: usize,
    ) {
        let (every, group_len) = (self.scoring.every(), self.group_len());
        let group = &block[g * group_len..((g + 1) * group_len).min(block.len())];
        let mut xs = [[0f32; 39]; FRAMES_AT_ONCE];
        let last_scored = (group.len() - 1) / every * every;
        for (i, x) in xs.iter_mut().enumerate() {
            *x = group[(i * every).min(last_scored)];
        }
        let (nf, ns) = (self.n_feat, self.n_cb * self.n_feat);
        let s = &mut self.scratch;
        model.codebook_top_n::<AVX2>(&xs, cb * nf..(cb + 1) * nf, s);
        for i in 0..group.len() {
            let at = g * group_len + i;
            let scored = i / every;
            let row = at * ns + cb * nf..at * ns + (cb + 1) * nf;
            let tops = &s.tops[scored * ns + cb * nf..scored * ns + (cb + 1) * nf];
            self.tops[row].copy_from_slice(tops);
            if i % every == 0 {
                let out = &mut self.ci[at * self.n_ci..(at + 1) * self.n_ci];
                codebook_senones::<AVX2>(&set.ci_mixw, cb, tops, &mut s.prod, &mut s.lns, out);
            } else {
                let from = (at - i % every) * self.n_ci;
                for &k in &set.ci_mixw.cb_senones[cb] {
                    let k = k as usize;
                    self.ci[at * self.n_ci + k] = self.ci[from + k];
                }
            }
        }
    }
}

/// Densities evaluated together: one 8-lane f32 vector (AVX) or two (SSE).
const LANES: usize = 8;

/// Frames whose densities are evaluated together, so each loaded mean and precision
/// serves several frames.
const FRAMES_AT_ONCE: usize = 4;

/// The Gaussians laid out for scoring: per codebook stream and run of [`LANES`]
/// densities, each density's log likelihood as a quadratic in the features, coefficients
/// as `[dim][lane]`, so the inner loop evaluates a run of densities at once with two fused
/// multiply-adds a dimension (`-p (x - m)^2 = -p x^2 + 2 p m x - p m^2`, `p = 1 / 2 var`;
/// half the operations of the difference form) and its accumulators stay in registers.
/// Features and means are taken relative to the mean of all means (`center`), so the
/// expanded terms stay small and cancel little (the naive f64 twin's 1e-3 relative
/// tolerance holds, `tests::scorer_matches_its_naive_twin`; the evaluation set's tables
/// did not move, docs/speed.md, session 15).
#[derive(Debug, Clone)]
pub(crate) struct GaussianTables {
    n_density: usize,
    /// Per codebook stream (`cb * n_feat + f`): offset of its first dimension in the
    /// feature vector, its length, and where its runs start in `quad`/`lin`.
    streams: Vec<(usize, usize, usize)>,
    n_feat: usize,
    /// Runs of densities per codebook stream (`n_density` rounded up to [`LANES`]).
    n_runs: usize,
    /// `-p`; 0 in padding lanes.
    quad: Vec<[f32; LANES]>,
    /// `2 p (m - center)`; 0 in padding lanes.
    lin: Vec<[f32; LANES]>,
    /// `-0.5 * sum ln(2 pi var) - sum p (m - center)^2` per codebook stream and density
    /// run; -inf in padding.
    log_norm: Vec<[f32; LANES]>,
    /// Per feature dimension, the mean of all densities' means.
    center: [f32; 39],
}

impl GaussianTables {
    /// Builds the tables from `[codebook][stream][density][dim]` means and floored variances.
    pub(crate) fn new(
        means: &[f32],
        vars: &[f32],
        n_cb: usize,
        lens: &[usize],
        n_density: usize,
    ) -> GaussianTables {
        let n_feat = lens.len();
        let n_runs = n_density.div_ceil(LANES);
        let blk: usize = lens.iter().sum();
        assert!(blk <= 39, "at most 39 feature dimensions");
        let mut center = [0f32; 39];
        {
            let mut sum = [0f64; 39];
            let mut src = 0;
            for _ in 0..n_cb {
                let mut dim_off = 0;
                for &len in lens {
                    for d in 0..n_density {
                        for i in 0..len {
                            sum[dim_off + i] += f64::from(means[src + d * len + i]);
                        }
                    }
                    src += n_density * len;
                    dim_off += len;
                }
            }
            for (c, s) in center.iter_mut().zip(sum) {
                *c = (s / (n_cb * n_density).max(1) as f64) as f32;
            }
        }
        let mut streams = Vec::with_capacity(n_cb * n_feat);
        let mut quad = vec![[0f32; LANES]; n_cb * n_runs * blk];
        let mut lin = vec![[0f32; LANES]; n_cb * n_runs * blk];
        let mut log_norm = vec![[f32::NEG_INFINITY; LANES]; n_cb * n_feat * n_runs];
        let mut src = 0;
        let mut dst = 0;
        for cb in 0..n_cb {
            let mut dim_off = 0;
            for (f, &len) in lens.iter().enumerate() {
                streams.push((dim_off, len, dst));
                for d in 0..n_density {
                    let (run, lane) = (d / LANES, d % LANES);
                    let mut ln = 0f64;
                    for i in 0..len {
                        let k = src + d * len + i;
                        let v = f64::from(vars[k]);
                        let p = 1.0 / (2.0 * v);
                        let m = f64::from(means[k]) - f64::from(center[dim_off + i]);
                        quad[dst + run * len + i][lane] = -p as f32;
                        lin[dst + run * len + i][lane] = (2.0 * p * m) as f32;
                        ln -= 0.5 * (2.0 * std::f64::consts::PI * v).ln() + p * m * m;
                    }
                    log_norm[(cb * n_feat + f) * n_runs + run][lane] = ln as f32;
                }
                src += n_density * len;
                dst += n_runs * len;
                dim_off += len;
            }
        }
        GaussianTables {
            n_density,
            streams,
            n_feat,
            n_runs,
            quad,
            lin,
            log_norm,
            center,
        }
    }

    /// The frames `xs` relative to `center`, and their squares: what the densities'
    /// quadratics take.
    #[inline(always)]
    fn centred(&self, xs: &[[f32; 39]; FRAMES_AT_ONCE]) -> Centred {
        let mut x = [[0f32; 39]; FRAMES_AT_ONCE];
        let mut xx = [[0f32; 39]; FRAMES_AT_ONCE];
        for f in 0..FRAMES_AT_ONCE {
            for i in 0..39 {
                x[f][i] = xs[f][i] - self.center[i];
                xx[f][i] = x[f][i] * x[f][i];
            }
        }
        (x, xx)
    }
}

/// Frames relative to the means' centre, and their squares.
type Centred = ([[f32; 39]; FRAMES_AT_ONCE], [[f32; 39]; FRAMES_AT_ONCE]);

/// Whether the CPU has AVX2 and FMA (the vector builds of the kernels use both).
#[cfg(target_arch = "x86_64")]
fn has_avx2_fma() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}

/// The top-N densities of one codebook stream: indices, and their likelihoods relative
/// to the best (`exp(ll - max)`), with the best log likelihood.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TopN {
    idx: [u16; TOP_N],
    rel: [f32; TOP_N],
    max: f32,
}

const NO_TOP: TopN = TopN {
    idx: [0; TOP_N],
    rel: [0.0; TOP_N],
    max: 0.0,
};

/// The indices of the `TOP_N` largest of the first `n` values, best first (earlier index
/// wins ties). The lane-wise maxima over the runs are `LANES` of the values, so their
/// N-th largest bounds the N-th largest overall from below: only values reaching it are
/// candidates, found with one vector compare per run.
#[inline(always)]
fn top_n<const AVX2: bool>(runs: &[[f32; LANES]], n: usize) -> ([u16; TOP_N], [f32; TOP_N]) {
    #[cfg(target_arch = "x86_64")]
    if AVX2 {
        // SAFETY: `AVX2` is true only inside `score_block_avx2`, reached after the CPU was
        // found to have AVX2.
        return unsafe { top_n_avx2(runs, n) };
    }
    top_n_scalar(runs, n)
}

/// [`top_n`] lane by lane: the twin the AVX2 build is tested against.
#[inline(always)]
fn top_n_scalar(runs: &[[f32; LANES]], n: usize) -> ([u16; TOP_N], [f32; TOP_N]) {
    let mut lane_max = [f32::NEG_INFINITY; LANES];
    for run in runs {
        for l in 0..LANES {
            lane_max[l] = if run[l] > lane_max[l] {
                run[l]
            } else {
                lane_max[l]
            };
        }
    }
    let mut bound = [f32::NEG_INFINITY; TOP_N];
    for &v in &lane_max {
        insert(&mut bound, &mut [0; TOP_N], v, 0);
    }
    let thr = bound[TOP_N - 1];
    let mut idx = [0u16; TOP_N];
    let mut val = [f32::NEG_INFINITY; TOP_N];
    for (r, run) in runs.iter().enumerate() {
        let mut mask = at_least(run, thr);
        while mask != 0 {
            let l = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            let d = r * LANES + l;
            if d < n {
                insert(&mut val, &mut idx, run[l], d as u16);
            }
        }
    }
    (idx, val)
}

/// [`top_n`] without branches on the values, in AVX2 (it was a third of the scoring time,
/// mostly mispredicted branches): the bound is the lane maxima's 4th largest, found by
/// counting for each lane the lanes above it; the candidates reaching it, in index order, go
/// into a sorted 4-lane vector by compares and blends (ties keep the earlier, as
/// [`insert`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[inline]
fn top_n_avx2(runs: &[[f32; LANES]], n: usize) -> ([u16; TOP_N], [f32; TOP_N]) {
    use std::arch::x86_64::*;
    const { assert!(TOP_N == 4 && LANES == 8) };
    let mut lane_max = _mm256_set1_ps(f32::NEG_INFINITY);
    for run in runs {
        // SAFETY: `run` holds exactly 8 f32s; the load is unaligned.
        let v = unsafe { _mm256_loadu_ps(run.as_ptr()) };
        // `v > max ? v : max`, as the scalar loop.
        lane_max = _mm256_max_ps(v, lane_max);
    }
    // Lanes with fewer than TOP_N lanes strictly above them hold the TOP_N largest; the
    // least of those is the TOP_N-th largest.
    let mut above = _mm256_setzero_si256();
    for k in 1..LANES as i32 {
        let rotate = _mm256_setr_epi32(k, k + 1, k + 2, k + 3, k + 4, k + 5, k + 6, k + 7);
        let rotate = _mm256_and_si256(rotate, _mm256_set1_epi32(LANES as i32 - 1));
        let other = _mm256_permutevar8x32_ps(lane_max, rotate);
        let gt = _mm256_castps_si256(_mm256_cmp_ps::<_CMP_GT_OQ>(other, lane_max));
        above = _mm256_sub_epi32(above, gt);
    }
    let top = _mm256_cmpgt_epi32(_mm256_set1_epi32(TOP_N as i32), above);
    let kept = _mm256_blendv_ps(
        _mm256_set1_ps(f32::INFINITY),
        lane_max,
        _mm256_castsi256_ps(top),
    );
    let mut lanes = [0f32; LANES];
    // SAFETY: `lanes` holds exactly 8 f32s.
    unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), kept) };
    let thr = _mm256_set1_ps(lanes.iter().fold(f32::INFINITY, |a, &b| a.min(b)));
    let mut val = _mm_set1_ps(f32::NEG_INFINITY);
    let mut idx = _mm_setzero_si128();
    // Up to 8 runs (64 densities) of candidate bits at a time.
    for (c, chunk) in runs.chunks(8).enumerate() {
        let first = c * 64;
        let mut bits = 0u64;
        for (r, run) in chunk.iter().enumerate() {
            // SAFETY: `run` holds exactly 8 f32s.
            let v = unsafe { _mm256_loadu_ps(run.as_ptr()) };
            let m = _mm256_movemask_ps(_mm256_cmp_ps::<_CMP_GE_OQ>(v, thr)) as u32;
            bits |= u64::from(m) << (r * LANES);
        }
        if n < first + 64 {
            bits &= (1u64 << n.saturating_sub(first)).wrapping_sub(1);
        }
        let flat = chunk.as_flattened();
        while bits != 0 {
            let b = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let v = _mm_set1_ps(flat[b]);
            let d = _mm_set1_epi32((first + b) as i32);
            // `val` shifted one lane up, +inf below: lane k holds val[k - 1].
            let up = _mm_blend_ps::<1>(
                _mm_permute_ps::<0b10_01_00_00>(val),
                _mm_set1_ps(f32::INFINITY),
            );
            let up_idx = _mm_shuffle_epi32::<0b10_01_00_00>(idx);
            let beats = _mm_cmpgt_ps(v, val);
            let beats_up = _mm_cmpgt_ps(v, up);
            val = _mm_blendv_ps(_mm_blendv_ps(val, v, beats), up, beats_up);
            idx = _mm_blendv_epi8(
                _mm_blendv_epi8(idx, d, _mm_castps_si128(beats)),
                up_idx,
                _mm_castps_si128(beats_up),
            );
        }
    }
    let mut out_val = [0f32; TOP_N];
    let mut out_idx = [0i32; TOP_N];
    // SAFETY: both hold exactly 4 lanes.
    unsafe {
        _mm_storeu_ps(out_val.as_mut_ptr(), val);
        _mm_storeu_si128(out_idx.as_mut_ptr().cast(), idx);
    }
    (out_idx.map(|d| d as u16), out_val)
}

/// The lanes of `run` at least `thr`, as bits (NaN lanes are 0).
#[inline(always)]
fn at_least(run: &[f32; LANES], thr: f32) -> u32 {
    let mut mask = 0u32;
    for (l, &v) in run.iter().enumerate() {
        mask |= u32::from(v >= thr) << l;
    }
    mask
}

/// Inserts `v` (index `d`) into the descending `val` if it beats the last (ties keep
/// the earlier).
#[inline(always)]
fn insert(val: &mut [f32; TOP_N], idx: &mut [u16; TOP_N], v: f32, d: u16) {
    if v > val[TOP_N - 1] {
        let mut k = TOP_N - 1;
        while k > 0 && v > val[k - 1] {
            val[k] = val[k - 1];
            idx[k] = idx[k - 1];
            k -= 1;
        }
        val[k] = v;
        idx[k] = d;
    }
}

/// `ln x` for positive normal `x`, to within a few f32 ulps: the exponent, and
/// `2 atanh((m - 1) / (m + 1))` by its series for the mantissa `m` in [sqrt ½, sqrt 2).
/// Plain arithmetic and selects, so a loop over it vectorises (libm's `ln` does not).
#[inline(always)]
fn ln_fast(x: f32) -> f32 {
    let bits = x.to_bits();
    let e = ((bits >> 23) & 0xff) as i32 - 127;
    let m = f32::from_bits((bits & 0x007f_ffff) | 0x3f80_0000);
    let big = m > std::f32::consts::SQRT_2;
    let m = if big { m * 0.5 } else { m };
    let e = e + i32::from(big);
    let z = (m - 1.0) / (m + 1.0);
    let z2 = z * z;
    let series = 1.0 + z2 * (1.0 / 3.0 + z2 * (1.0 / 5.0 + z2 * (1.0 / 7.0 + z2 * (1.0 / 9.0))));
    e as f32 * std::f32::consts::LN_2 + 2.0 * z * series
}

/// Most feature streams a model may have (the loader's limit; Sphinx models have 1 to 4).
const MAX_STREAMS: usize = 16;

/// One rayon task's output rows and frames.
type BlockTask<'a> = (&'a mut [f32], &'a [[f32; 39]]);

/// Reusable per-task buffers of [`AcousticModel::score_into`].
#[derive(Debug, Clone)]
struct Scratch {
    dens: Vec<[f32; LANES]>,
    tops: Vec<TopN>,
    prod: Vec<f32>,
    lns: Vec<f32>,
}

impl Scratch {
    fn new(t: &GaussianTables) -> Scratch {
        Scratch {
            dens: vec![[0f32; LANES]; FRAMES_AT_ONCE * t.n_runs],
            tops: vec![NO_TOP; FRAMES_AT_ONCE * t.streams.len()],
            prod: Vec::new(),
            lns: Vec::new(),
        }
    }
}

impl AcousticModel {
    /// Natural-log likelihoods of every senone for every frame of 39-dimensional features
    /// (CMN'd cepstra with deltas, as [`super::frontend::dynamic_features`] makes them).
    pub fn score(&self, feats: &[[f32; 39]]) -> SenoneScores {
        let mut scores = SenoneScores {
            n_sen: self.n_senones(),
            n_ci_sen: self.ci_senones(),
            data: Vec::new(),
        };
        self.score_into(feats, &mut scores);
        scores
    }

    /// [`Self::score`] into `scores`, reusing its allocation (for callers scoring many
    /// windows).
    pub fn score_into(&self, feats: &[[f32; 39]], scores: &mut SenoneScores) {
        scores.n_sen = self.n_senones();
        scores.n_ci_sen = self.ci_senones();
        self.score_columns(feats, &self.mixw, scores.n_sen, &mut scores.data);
    }

    /// The senones `wanted` and every CI senone, ready for [`Self::score_set`]: their
    /// mixture weights copied into tables of their own, a fraction of the model's (a
    /// window's chain uses a few hundred of its 5126 senones; mixing them all was most
    /// of the scoring time).
    pub fn senone_set(&self, wanted: impl IntoIterator<Item = u32>) -> SenoneSet {
        let n_ci = self.ci_senones();
        let mut column = vec![u32::MAX; self.n_senones()];
        let mut senones: Vec<u32> = (0..n_ci as u32).collect();
        for (s, c) in column.iter_mut().enumerate().take(n_ci) {
            *c = s as u32;
        }
        for s in wanted {
            if column[s as usize] == u32::MAX {
                column[s as usize] = senones.len() as u32;
                senones.push(s);
            }
        }
        let (nf, nd) = (self.stream_lens.len(), self.n_density);
        let sen2cb: Vec<u16> = senones
            .iter()
            .map(|&s| self.mixw.codebook(s as usize) as u16)
            .collect();
        SenoneSet {
            mixw: MixtureTables::grouped(&sen2cb, self.n_codebooks, nf, nd, |k, f, d| {
                self.mixw.weight(senones[k] as usize, f, d)
            }),
            ci_mixw: Arc::clone(&self.ci_mixw),
            column,
            n_ci,
            len: senones.len(),
        }
    }

    /// Log likelihoods of the senones of `set` only, one column each (CI senones first;
    /// `SenoneSet::column` maps a senone to its column): the same values as
    /// [`Self::score`] gives them.
    pub fn score_set(&self, feats: &[[f32; 39]], set: &SenoneSet) -> SenoneScores {
        let mut data = Vec::new();
        self.score_columns(feats, &set.mixw, set.len, &mut data);
        SenoneScores {
            n_sen: set.len,
            n_ci_sen: set.n_ci,
            data,
        }
    }

    /// Scores `feats` against every codebook and mixes the senones of `mixw` into `data`,
    /// `n_out` columns a frame.
    fn score_columns(
        &self,
        feats: &[[f32; 39]],
        mixw: &MixtureTables,
        n_out: usize,
        data: &mut Vec<f32>,
    ) {
        data.clear();
        data.resize(feats.len() * n_out, 0.0);
        #[cfg(target_arch = "x86_64")]
        let avx2 = has_avx2_fma();
        #[cfg(not(target_arch = "x86_64"))]
        let avx2 = false;
        let run = |(out, block): BlockTask<'_>| {
            let mut scratch = Scratch::new(&self.tables);
            if avx2 {
                #[cfg(target_arch = "x86_64")]
                // SAFETY: the CPU has AVX2 (checked above).
                unsafe {
                    self.score_block_avx2(block, mixw, out, &mut scratch)
                }
            } else {
                self.score_block::<false>(block, mixw, out, &mut scratch);
            }
        };
        if feats.len() <= BLOCK_FRAMES {
            run((data, feats));
        } else {
            data.par_chunks_mut(BLOCK_FRAMES * n_out.max(1))
                .zip(feats.par_chunks(BLOCK_FRAMES))
                .for_each(run);
        }
    }

    /// [`Self::score`] with the scalar build of every kernel, whatever the CPU: the twin
    /// the AVX2 build is tested against.
    #[cfg(test)]
    pub(crate) fn score_scalar(&self, feats: &[[f32; 39]]) -> SenoneScores {
        let n_sen = self.n_senones();
        let mut data = vec![0f32; feats.len() * n_sen];
        let mut scratch = Scratch::new(&self.tables);
        self.score_block::<false>(feats, &self.mixw, &mut data, &mut scratch);
        SenoneScores {
            n_sen,
            n_ci_sen: self.ci_senones(),
            data,
        }
    }

    /// [`Self::score_block`] compiled for AVX2 and FMA: the same operations (fused
    /// multiply-adds only where the scalar twin calls `mul_add`), so the same bits, in
    /// 8-lane vectors.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn score_block_avx2(
        &self,
        block: &[[f32; 39]],
        mixw: &MixtureTables,
        out: &mut [f32],
        s: &mut Scratch,
    ) {
        self.score_block::<true>(block, mixw, out, s);
    }

    /// Scores a block of frames, [`FRAMES_AT_ONCE`] at a time (the last group padded
    /// with copies of its last frame, whose scores are dropped).
    #[inline(always)]
    fn score_block<const AVX2: bool>(
        &self,
        block: &[[f32; 39]],
        mixw: &MixtureTables,
        out: &mut [f32],
        s: &mut Scratch,
    ) {
        let n_sen = out.len().checked_div(block.len()).unwrap_or(0);
        let n_streams = self.tables.streams.len();
        for (group, out) in block
            .chunks(FRAMES_AT_ONCE)
            .zip(out.chunks_mut(FRAMES_AT_ONCE * n_sen.max(1)))
        {
            let mut xs = [[0f32; 39]; FRAMES_AT_ONCE];
            for (i, x) in xs.iter_mut().enumerate() {
                *x = group[i.min(group.len() - 1)];
            }
            self.codebook_top_n::<AVX2>(&xs, 0..n_streams, s);
            let nf = self.tables.n_feat;
            // Codebook by codebook, all the group's frames, so the codebook's weight rows
            // (common to neighbouring frames) are loaded from memory once.
            for cb in 0..mixw.cb_senones.len() {
                for (i, out) in out.chunks_mut(n_sen.max(1)).enumerate() {
                    let tops = &s.tops[i * n_streams + cb * nf..i * n_streams + (cb + 1) * nf];
                    codebook_senones::<AVX2>(mixw, cb, tops, &mut s.prod, &mut s.lns, out);
                }
            }
        }
    }

    /// Top-N densities of the codebook streams `streams` (all: `0..cb * n_feat`) for
    /// [`FRAMES_AT_ONCE`] frames, into `s.tops[frame * streams + stream]`.
    #[inline(always)]
    fn codebook_top_n<const AVX2: bool>(
        &self,
        xs: &[[f32; 39]; FRAMES_AT_ONCE],
        streams: Range<usize>,
        s: &mut Scratch,
    ) {
        let t = &self.tables;
        let (nd, nr) = (t.n_density, t.n_runs);
        let n_streams = t.streams.len();
        let xc = t.centred(xs);
        for (k, &(off, len, base)) in t
            .streams
            .iter()
            .enumerate()
            .skip(streams.start)
            .take(streams.len())
        {
            let stream = (off, len, base, &t.log_norm[k * nr..(k + 1) * nr]);
            let mut r = 0;
            while r + RUNS_AT_ONCE <= nr {
                run_densities::<AVX2, RUNS_AT_ONCE>(t, stream, r, &xc, &mut s.dens);
                r += RUNS_AT_ONCE;
            }
            while r < nr {
                run_densities::<AVX2, 1>(t, stream, r, &xc, &mut s.dens);
                r += 1;
            }
            for i in 0..FRAMES_AT_ONCE {
                let (idx, val) = top_n::<AVX2>(&s.dens[i * nr..(i + 1) * nr], nd);
                let max = val[0];
                let mut rel = [1f32; TOP_N];
                // The best's is exp(0) = 1 whenever `max` is finite: one `exp` fewer.
                let first = usize::from(max.is_finite());
                for (r, &v) in rel.iter_mut().zip(&val).skip(first) {
                    *r = (v - max).exp();
                }
                s.tops[i * n_streams + k] = TopN { idx, rel, max };
            }
        }
    }
}

/// Runs of densities evaluated together: the accumulators of one run for the
/// [`FRAMES_AT_ONCE`] frames wait on each other's latency; two runs give the CPU twice as
/// many independent sums (each density still sums its dimensions in order: same bits).
const RUNS_AT_ONCE: usize = 2;

/// One codebook stream for [`run_densities`]: its offset in the feature vector, its length,
/// its first run in the tables and its runs' log norms.
type Stream<'a> = (usize, usize, usize, &'a [[f32; LANES]]);

/// Log densities of runs `r0..r0 + R` of one codebook stream for the centred frames `xc`,
/// into `dens[frame * runs + run]`.
#[inline(always)]
fn run_densities<const AVX2: bool, const R: usize>(
    t: &GaussianTables,
    stream: Stream<'_>,
    r0: usize,
    xc: &Centred,
    dens: &mut [[f32; LANES]],
) {
    #[cfg(target_arch = "x86_64")]
    if AVX2 {
        // SAFETY: `AVX2` is true only inside the kernels' vector builds, reached after the
        // CPU was found to have AVX2 and FMA.
        return unsafe { run_densities_avx2::<R>(t, stream, r0, xc, dens) };
    }
    run_densities_scalar::<R>(t, stream, r0, xc, dens);
}

/// [`run_densities`] in AVX2 and FMA intrinsics: the full-LTO release build left the scalar
/// loop unvectorised. The same fused multiply-adds in the same order as the scalar twin's
/// `mul_add`, so the same bits.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[inline]
fn run_densities_avx2<const R: usize>(
    t: &GaussianTables,
    (off, len, base, norms): Stream<'_>,
    r0: usize,
    (xc, xx): &Centred,
    dens: &mut [[f32; LANES]],
) {
    use std::arch::x86_64::*;
    let nr = t.n_runs;
    // Runs r0..r0 + R are consecutive in the tables: `[run][dim][lane]`.
    let quad = &t.quad[base + r0 * len..][..R * len];
    let lin = &t.lin[base + r0 * len..][..R * len];
    // (No `array::from_fn` here: its closures were left as calls in the inner loop.)
    const { assert!(FRAMES_AT_ONCE == 4) };
    let xs: [&[f32]; FRAMES_AT_ONCE] = [
        &xc[0][off..off + len],
        &xc[1][off..off + len],
        &xc[2][off..off + len],
        &xc[3][off..off + len],
    ];
    let xxs: [&[f32]; FRAMES_AT_ONCE] = [
        &xx[0][off..off + len],
        &xx[1][off..off + len],
        &xx[2][off..off + len],
        &xx[3][off..off + len],
    ];
    let mut acc = [[_mm256_setzero_ps(); FRAMES_AT_ONCE]; R];
    for (q, acc) in acc.iter_mut().enumerate() {
        // SAFETY: each run of `norms` holds exactly 8 f32s.
        let n = unsafe { _mm256_loadu_ps(norms[r0 + q].as_ptr()) };
        *acc = [n; FRAMES_AT_ONCE];
    }
    for i in 0..len {
        let mut x = [_mm256_setzero_ps(); FRAMES_AT_ONCE];
        let mut x2 = [_mm256_setzero_ps(); FRAMES_AT_ONCE];
        for f in 0..FRAMES_AT_ONCE {
            x[f] = _mm256_set1_ps(xs[f][i]);
            x2[f] = _mm256_set1_ps(xxs[f][i]);
        }
        for (q, acc) in acc.iter_mut().enumerate() {
            // SAFETY: each run of the tables holds exactly 8 f32s.
            let (a, b) = unsafe {
                (
                    _mm256_loadu_ps(quad[q * len + i].as_ptr()),
                    _mm256_loadu_ps(lin[q * len + i].as_ptr()),
                )
            };
            for f in 0..FRAMES_AT_ONCE {
                acc[f] = _mm256_fmadd_ps(x2[f], a, acc[f]);
                acc[f] = _mm256_fmadd_ps(x[f], b, acc[f]);
            }
        }
    }
    for (q, acc) in acc.iter().enumerate() {
        for (f, a) in acc.iter().enumerate() {
            // SAFETY: each run of `dens` holds exactly 8 f32s.
            unsafe { _mm256_storeu_ps(dens[f * nr + r0 + q].as_mut_ptr(), *a) };
        }
    }
}

/// [`run_densities`] lane by lane: the twin the AVX2 build is tested against.
#[inline(always)]
fn run_densities_scalar<const R: usize>(
    t: &GaussianTables,
    (off, len, base, norms): Stream<'_>,
    r0: usize,
    (xc, xx): &Centred,
    dens: &mut [[f32; LANES]],
) {
    let nr = t.n_runs;
    let mut acc = [[[0f32; LANES]; FRAMES_AT_ONCE]; R];
    let mut quad: [&[[f32; LANES]]; R] = [&[]; R];
    let mut lin: [&[[f32; LANES]]; R] = [&[]; R];
    for q in 0..R {
        acc[q] = [norms[r0 + q]; FRAMES_AT_ONCE];
        quad[q] = &t.quad[base + (r0 + q) * len..][..len];
        lin[q] = &t.lin[base + (r0 + q) * len..][..len];
    }
    for i in 0..len {
        for q in 0..R {
            let (a, b) = (&quad[q][i], &lin[q][i]);
            for (f, acc) in acc[q].iter_mut().enumerate() {
                let (x, x2) = (xc[f][off + i], xx[f][off + i]);
                for l in 0..LANES {
                    acc[l] = x2.mul_add(a[l], acc[l]);
                    acc[l] = x.mul_add(b[l], acc[l]);
                }
            }
        }
    }
    for (q, acc) in acc.iter().enumerate() {
        for (i, a) in acc.iter().enumerate() {
            dens[i * nr + r0 + q] = *a;
        }
    }
}

/// The log likelihoods of codebook `cb`'s senones from its streams' top-N densities
/// `tops`: the rows of its senones' weights for the top densities, mixed and multiplied
/// over the streams [`LANES`] senones at a time (vectorises).
#[inline(always)]
fn codebook_senones<const AVX2: bool>(
    mx: &MixtureTables,
    cb: usize,
    tops: &[TopN],
    prod: &mut Vec<f32>,
    lns: &mut Vec<f32>,
    out: &mut [f32],
) {
    let nf = tops.len();
    let nd = mx.n_density;
    {
        let senones = &mx.cb_senones[cb];
        let ks = senones.len();
        let block = &mx.weights[mx.offsets[cb]..mx.offsets[cb] + nf * nd * ks];
        prod.clear();
        prod.resize(ks, 1.0);
        let mut sum_max = 0f32;
        for top in tops {
            sum_max += top.max;
        }
        // The rows of the top densities' weights, `[stream][j]`.
        let mut rows = [[0usize; TOP_N]; MAX_STREAMS];
        let mut rels = [[0f32; TOP_N]; MAX_STREAMS];
        for (f, top) in tops.iter().enumerate() {
            for j in 0..TOP_N {
                rows[f][j] = (f * nd + top.idx[j] as usize) * ks;
                rels[f][j] = top.rel[j];
            }
        }
        let (rows, rels) = (&rows[..nf], &rels[..nf]);
        // Whole runs of LANES senones with all streams fused; then the tail one by one.
        let whole = ks - ks % LANES;
        for k0 in (0..whole).step_by(LANES) {
            prod[k0..k0 + LANES].copy_from_slice(&mix_lanes::<AVX2>(block, rows, rels, k0));
        }
        for (k, p) in prod.iter_mut().enumerate().skip(whole) {
            for (rows, rels) in rows.iter().zip(rels) {
                let mut a = 0f32;
                for j in 0..TOP_N {
                    a += block[rows[j] + k] * rels[j];
                }
                *p *= a;
            }
        }
        // A loop, not `extend(map(..))`: that closure was compiled apart, without AVX.
        lns.clear();
        lns.resize(ks, 0.0);
        for (ln, &p) in lns.iter_mut().zip(prod.iter()) {
            *ln = ln_fast(p) + sum_max;
        }
        let mut underflow = false;
        for &p in prod.iter() {
            let normal = p > f32::MIN_POSITIVE;
            underflow |= !normal;
        }
        for (&s, &ll) in senones.iter().zip(lns.iter()) {
            out[s as usize] = ll;
        }
        if underflow {
            for (k, (&s, &p)) in senones.iter().zip(prod.iter()).enumerate() {
                let normal = p > f32::MIN_POSITIVE;
                if !normal {
                    // Weights far below the floor: sum the streams' logs instead.
                    let mut ll = 0f32;
                    for (f, top) in tops.iter().enumerate() {
                        let a: f32 = (0..TOP_N)
                            .map(|j| block[(f * nd + top.idx[j] as usize) * ks + k] * top.rel[j])
                            .sum();
                        ll += a.ln() + top.max;
                    }
                    out[s as usize] = ll;
                }
            }
        }
    }
}

/// The mixture products of a codebook's senones `k0..k0 + LANES` (`block` its weights,
/// `rows[f][j]` where stream `f`'s j-th top density's row starts, `rels` those densities'
/// relative likelihoods): per stream the weighted sum, multiplied over the streams.
#[inline(always)]
fn mix_lanes<const AVX2: bool>(
    block: &[f32],
    rows: &[[usize; TOP_N]],
    rels: &[[f32; TOP_N]],
    k0: usize,
) -> [f32; LANES] {
    #[cfg(target_arch = "x86_64")]
    if AVX2 {
        // SAFETY: `AVX2` is true only in code reached after the CPU was found to have AVX2.
        return unsafe { mix_lanes_avx2(block, rows, rels, k0) };
    }
    mix_lanes_scalar(block, rows, rels, k0)
}

/// [`mix_lanes`] in AVX2 intrinsics (the release build had split it into 4-lane halves):
/// the same multiplies and adds in the same order, so the same bits.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[inline]
fn mix_lanes_avx2(
    block: &[f32],
    rows: &[[usize; TOP_N]],
    rels: &[[f32; TOP_N]],
    k0: usize,
) -> [f32; LANES] {
    use std::arch::x86_64::*;
    let mut p = _mm256_set1_ps(1.0);
    for (rows, rels) in rows.iter().zip(rels) {
        let mut a = _mm256_setzero_ps();
        for (&row, &r) in rows.iter().zip(rels) {
            let row: &[f32; LANES] = block[row + k0..][..LANES].try_into().unwrap();
            // SAFETY: `row` holds exactly 8 f32s.
            let w = unsafe { _mm256_loadu_ps(row.as_ptr()) };
            a = _mm256_add_ps(a, _mm256_mul_ps(w, _mm256_set1_ps(r)));
        }
        p = _mm256_mul_ps(p, a);
    }
    let mut out = [0f32; LANES];
    // SAFETY: `out` holds exactly 8 f32s.
    unsafe { _mm256_storeu_ps(out.as_mut_ptr(), p) };
    out
}

/// [`mix_lanes`] lane by lane: the twin the AVX2 build is tested against.
#[inline(always)]
fn mix_lanes_scalar(
    block: &[f32],
    rows: &[[usize; TOP_N]],
    rels: &[[f32; TOP_N]],
    k0: usize,
) -> [f32; LANES] {
    let mut p = [1f32; LANES];
    for (rows, rels) in rows.iter().zip(rels) {
        let mut a = [0f32; LANES];
        for j in 0..TOP_N {
            let row: &[f32; LANES] = block[rows[j] + k0..][..LANES].try_into().unwrap();
            let r = rels[j];
            for l in 0..LANES {
                a[l] += row[l] * r;
            }
        }
        for l in 0..LANES {
            p[l] *= a[l];
        }
    }
    p
}

/// Mixes the senones of a [`SenoneSet`] frame by frame, only those a search asks for, in
/// runs of [`LANES`] senones of one codebook (a run costs little more than one senone):
/// the states within a search's beam are a small part of a window's chain.
#[derive(Debug, Clone)]
pub struct Mixer {
    /// Per column of the set: its run.
    run_of: Vec<u32>,
    /// Per run: its codebook and first senone `k` there.
    runs: Vec<(u16, u32)>,
    /// Per run: the frame it was last mixed for (`usize::MAX`: never).
    mixed_at: Vec<usize>,
    /// Per column: its log likelihood at its run's `mixed_at`.
    values: Vec<f32>,
    avx2: bool,
}

impl Mixer {
    /// A mixer for `set`, nothing mixed yet.
    pub fn new(set: &SenoneSet) -> Mixer {
        let mx = &set.mixw;
        let mut runs = Vec::new();
        let mut run_of = vec![0u32; set.len];
        for (cb, senones) in mx.cb_senones.iter().enumerate() {
            for (k, &c) in senones.iter().enumerate() {
                if k % LANES == 0 {
                    runs.push((cb as u16, k as u32));
                }
                run_of[c as usize] = (runs.len() - 1) as u32;
            }
        }
        #[cfg(target_arch = "x86_64")]
        let avx2 = has_avx2_fma();
        #[cfg(not(target_arch = "x86_64"))]
        let avx2 = false;
        Mixer {
            run_of,
            mixed_at: vec![usize::MAX; runs.len()],
            runs,
            values: vec![0.0; set.len],
            avx2,
        }
    }

    /// Mixes the runs of `columns` not yet mixed for `frame` (a caller's frame number, used
    /// only to tell frames apart) from one frame's top densities of every codebook stream
    /// (`tops`, as [`LazyTops::frame_tops`] gives them; only the codebooks of `columns` are
    /// read).
    pub fn need(
        &mut self,
        set: &SenoneSet,
        tops: &[TopN],
        frame: usize,
        columns: impl Iterator<Item = usize>,
    ) {
        for c in columns {
            let r = self.run_of[c] as usize;
            if self.mixed_at[r] != frame {
                self.mixed_at[r] = frame;
                let (cb, k0) = self.runs[r];
                if self.avx2 {
                    #[cfg(target_arch = "x86_64")]
                    // SAFETY: the CPU has AVX2 (checked in `new`).
                    unsafe {
                        mix_run_avx2(&set.mixw, cb.into(), k0 as usize, tops, &mut self.values)
                    }
                } else {
                    mix_run::<false>(&set.mixw, cb.into(), k0 as usize, tops, &mut self.values);
                }
            }
        }
    }

    /// The log likelihood of column `column` of the set at `frame`, mixed by [`Self::need`].
    ///
    /// # Panics
    /// When `need` did not mix it for `frame`.
    pub fn get(&self, column: usize, frame: usize) -> f32 {
        let r = self.run_of[column] as usize;
        assert_eq!(self.mixed_at[r], frame, "need() comes first");
        self.values[column]
    }
}

/// [`mix_run`] compiled for AVX2 (the same operations, so the same bits).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn mix_run_avx2(mx: &MixtureTables, cb: usize, k0: usize, tops: &[TopN], values: &mut [f32]) {
    mix_run::<true>(mx, cb, k0, tops, values);
}

/// Codebook `cb`'s senones `k0..k0 + LANES` (fewer at its end) from every codebook
/// stream's top densities `tops`, into `values` by column: [`codebook_senones`]'s
/// operations for those senones, so the same bits.
#[inline(always)]
fn mix_run<const AVX2: bool>(
    mx: &MixtureTables,
    cb: usize,
    k0: usize,
    tops: &[TopN],
    values: &mut [f32],
) {
    let senones = &mx.cb_senones[cb];
    let ks = senones.len();
    let nf = tops.len() / mx.cb_senones.len();
    if ks < LANES {
        for (k, &c) in senones.iter().enumerate().skip(k0) {
            values[c as usize] = mx.mix_one(c as usize, tops);
            debug_assert_eq!(mx.place[c as usize], (cb as u16, k as u32));
        }
        return;
    }
    // A codebook's last, partial run is mixed as the last LANES senones (each senone's
    // value does not depend on its lane), of which only the run's own are written.
    let (first, k0) = (k0, k0.min(ks - LANES));
    let nd = mx.n_density;
    let block = &mx.weights[mx.offsets[cb]..mx.offsets[cb] + nf * nd * ks];
    let mut sum_max = 0f32;
    let mut rows = [[0usize; TOP_N]; MAX_STREAMS];
    let mut rels = [[0f32; TOP_N]; MAX_STREAMS];
    for (f, top) in tops[cb * nf..(cb + 1) * nf].iter().enumerate() {
        sum_max += top.max;
        for j in 0..TOP_N {
            rows[f][j] = (f * nd + top.idx[j] as usize) * ks;
            rels[f][j] = top.rel[j];
        }
    }
    let p = mix_lanes::<AVX2>(block, &rows[..nf], &rels[..nf], k0);
    // A loop, not `map`: `map`'s closure was compiled apart, without AVX.
    let mut lns = [0f32; LANES];
    for (ln, &p) in lns.iter_mut().zip(&p) {
        *ln = ln_fast(p) + sum_max;
    }
    for (l, &c) in senones[k0..k0 + LANES].iter().enumerate().skip(first - k0) {
        values[c as usize] = if p[l] > f32::MIN_POSITIVE {
            lns[l]
        } else {
            // Weights far below the floor: the streams' logs summed, as `codebook_senones`.
            mx.mix_one(c as usize, tops)
        };
    }
}

/// Mixture weights grouped by codebook: for codebook `cb`, its senones `cb_senones[cb]`
/// and from `offsets[cb]` the weights `[stream][density][k]` of its k-th senone, so that
/// one density's weights for all the codebook's senones are contiguous.
#[derive(Debug, Clone)]
pub(crate) struct MixtureTables {
    cb_senones: Vec<Vec<u32>>,
    offsets: Vec<usize>,
    weights: Vec<f32>,
    /// Per senone: its codebook and its index `k` there.
    place: Vec<(u16, u32)>,
    n_density: usize,
}

impl MixtureTables {
    /// Regroups `[senone][stream][density]` weights by the senones' codebooks.
    pub(crate) fn new(
        mixw: &[f32],
        sen2cb: &[u16],
        n_cb: usize,
        n_feat: usize,
        nd: usize,
    ) -> MixtureTables {
        assert_eq!(
            mixw.len(),
            sen2cb.len() * n_feat * nd,
            "weights of every senone"
        );
        MixtureTables::grouped(sen2cb, n_cb, n_feat, nd, |s, f, d| {
            mixw[(s * n_feat + f) * nd + d]
        })
    }

    /// As [`MixtureTables::new`], each weight read by `weight(senone, stream, density)`
    /// (`senone` indexing `sen2cb`) instead of from a `[senone][stream][density]` copy.
    fn grouped(
        sen2cb: &[u16],
        n_cb: usize,
        n_feat: usize,
        nd: usize,
        weight: impl Fn(usize, usize, usize) -> f32,
    ) -> MixtureTables {
        let mut cb_senones = vec![Vec::new(); n_cb];
        let mut place = Vec::with_capacity(sen2cb.len());
        for (s, &cb) in sen2cb.iter().enumerate() {
            place.push((cb, cb_senones[cb as usize].len() as u32));
            cb_senones[cb as usize].push(s as u32);
        }
        let mut offsets = Vec::with_capacity(n_cb);
        let mut weights = vec![0f32; sen2cb.len() * n_feat * nd];
        let mut at = 0;
        for senones in &cb_senones {
            offsets.push(at);
            let ks = senones.len();
            for (k, &s) in senones.iter().enumerate() {
                for f in 0..n_feat {
                    for d in 0..nd {
                        weights[at + (f * nd + d) * ks + k] = weight(s as usize, f, d);
                    }
                }
            }
            at += n_feat * nd * ks;
        }
        MixtureTables {
            cb_senones,
            offsets,
            weights,
            place,
            n_density: nd,
        }
    }

    /// The log likelihood of senone `s` from its codebook's streams' top-N densities (`tops`
    /// holds every codebook stream's): [`codebook_senones`] for one senone, the same
    /// operations in the same order, so the same bits.
    fn mix_one(&self, s: usize, tops: &[TopN]) -> f32 {
        let (cb, k) = self.place[s];
        let (cb, k) = (cb as usize, k as usize);
        let nd = self.n_density;
        let nf = tops.len() / self.cb_senones.len();
        let tops = &tops[cb * nf..(cb + 1) * nf];
        let ks = self.cb_senones[cb].len();
        let block = &self.weights[self.offsets[cb]..self.offsets[cb] + nf * nd * ks];
        let weight =
            |f: usize, top: &TopN, j: usize| block[(f * nd + top.idx[j] as usize) * ks + k];
        let mut sum_max = 0f32;
        for top in tops {
            sum_max += top.max;
        }
        let mut p = 1f32;
        for (f, top) in tops.iter().enumerate() {
            let mut a = 0f32;
            for j in 0..TOP_N {
                a += weight(f, top, j) * top.rel[j];
            }
            p *= a;
        }
        if p > f32::MIN_POSITIVE {
            return ln_fast(p) + sum_max;
        }
        // Weights far below the floor: sum the streams' logs instead.
        let mut ll = 0f32;
        for (f, top) in tops.iter().enumerate() {
            let a: f32 = (0..TOP_N).map(|j| weight(f, top, j) * top.rel[j]).sum();
            ll += a.ln() + top.max;
        }
        ll
    }

    /// The codebook of senone `s`.
    pub(crate) fn codebook(&self, s: usize) -> usize {
        self.place[s].0 as usize
    }

    /// The weight of density `d` of stream `f` in senone `s`.
    pub(crate) fn weight(&self, s: usize, f: usize, d: usize) -> f32 {
        let (cb, k) = self.place[s];
        let cb = cb as usize;
        let ks = self.cb_senones[cb].len();
        self.weights[self.offsets[cb] + (f * self.n_density + d) * ks + k as usize]
    }
}

/// The straightforward twin of [`AcousticModel::score`] for tests: every density from the
/// raw means and variances in f64, a full sort for the top N, log-sum-exp over log weights.
#[cfg(test)]
pub(crate) fn score_naive(model: &AcousticModel, feats: &[[f32; 39]]) -> SenoneScores {
    let n_sen = model.n_senones();
    let nf = model.stream_lens.len();
    let nd = model.n_density;
    let blk: usize = model.stream_lens.iter().sum();
    let mut data = Vec::with_capacity(feats.len() * n_sen);
    for x in feats {
        // top[cb][f] = [(density, log likelihood)] best first.
        let mut top: Vec<Vec<(usize, f64)>> = Vec::new();
        for cb in 0..model.n_codebooks {
            let mut off = 0;
            let mut src = cb * nd * blk;
            for &len in &model.stream_lens {
                let mut lls: Vec<(usize, f64)> = (0..nd)
                    .map(|d| {
                        let mut ll = 0f64;
                        for i in 0..len {
                            let m = f64::from(model.means[src + d * len + i]);
                            let v = f64::from(model.vars[src + d * len + i]);
                            let diff = f64::from(x[off + i]) - m;
                            ll += -0.5 * (2.0 * std::f64::consts::PI * v).ln()
                                - diff * diff / (2.0 * v);
                        }
                        (d, ll)
                    })
                    .collect();
                lls.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                lls.truncate(TOP_N);
                top.push(lls);
                src += nd * len;
                off += len;
            }
        }
        for s in 0..n_sen {
            let cb = model.mixw.codebook(s);
            let mut ll = 0f64;
            for f in 0..nf {
                let terms: Vec<f64> = top[cb * nf + f]
                    .iter()
                    .map(|&(d, l)| f64::from(model.mixw.weight(s, f, d)).ln() + l)
                    .collect();
                let m = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                ll += m + terms.iter().map(|t| (t - m).exp()).sum::<f64>().ln();
            }
            data.push(ll as f32);
        }
    }
    SenoneScores {
        n_sen,
        n_ci_sen: model.ci_senones(),
        data,
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn ln_fast_is_within_a_few_ulps_of_ln() {
        let mut x = f32::MIN_POSITIVE;
        while x < 1e30 {
            let (a, b) = (ln_fast(x), x.ln());
            assert!(
                (a - b).abs() <= 4.0 * f32::EPSILON * b.abs().max(1.0),
                "{x}: {a} vs {b}"
            );
            x *= 1.0137;
        }
    }

    #[test]
    fn top_n_agrees_with_a_sort_ties_included() {
        let mut seed = 7u32;
        for n in [1usize, 3, 4, 5, 17, 64, 65, 128, 200] {
            for _ in 0..200 {
                let mut runs = vec![[f32::NEG_INFINITY; LANES]; n.div_ceil(LANES)];
                let flat = runs.as_flattened_mut();
                for v in &mut flat[..n] {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    *v = -((seed % 40) as f32); // few distinct values: many ties
                }
                let mut sorted: Vec<(usize, f32)> = flat[..n].iter().copied().enumerate().collect();
                sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                let (idx, val) = top_n::<false>(&runs, n);
                for (j, &(d, v)) in sorted.iter().take(TOP_N).enumerate() {
                    assert_eq!((idx[j] as usize, val[j]), (d, v), "n {n} rank {j}");
                }
                #[cfg(target_arch = "x86_64")]
                if has_avx2_fma() {
                    // SAFETY: the CPU has AVX2.
                    let fast = unsafe { top_n_avx2(&runs, n) };
                    assert_eq!(fast, (idx, val), "n {n}: AVX2 against the scalar twin");
                }
            }
        }
    }
}
