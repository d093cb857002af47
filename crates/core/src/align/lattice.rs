//! The dynamic-programming core: cut the chunk sequence into consecutive turns.
//!
//! Boundary `r` (row `r` of the lattice, `0..=turns`) is the chunk index where turn `r`
//! starts (and turn `r-1` ends). Row 0 may skip leading chunks, the last row trailing ones,
//! at a cost per skipped second. Each turn takes ≥ 1 chunk. The Viterbi pass gives the
//! placement; a soft (log-sum-exp) forward–backward pass over the same pruned lattice gives
//! each boundary's posterior, from which confidence is read. Rows are computed one after
//! another, the cells of a row in parallel with rayon; a beam keeps each row narrow, so cost
//! grows linearly with the recording.

use std::ops::Range;

use rayon::prelude::*;

/// What the lattice needs to know about one turn.
///
/// The cost of turn `turn` covering chunks `first..end` is
/// `start_cost(turn, first) + span_cost(turn, first, end)`: the part that depends on the
/// start alone is asked once per start, not once per (start, end) pair.
pub trait TurnCost: Sync {
    /// The part of turn `turn`'s cost that depends on its first chunk alone (a stated-time
    /// anchor, say). Default 0.
    fn start_cost(&self, _turn: usize, _first: usize) -> f64 {
        0.0
    }
    /// The rest of the cost of turn `turn` covering chunks `first..end` (exclusive).
    fn span_cost(&self, turn: usize, first: usize, end: usize) -> f64;
    /// `out[i] = span_cost(turn, firsts.start + i, end)` for every start in `firsts`
    /// (`out` is as long as `firsts`). Override to hoist what the span shares.
    fn span_costs_to(&self, turn: usize, firsts: Range<usize>, end: usize, out: &mut [f64]) {
        for (slot, first) in out.iter_mut().zip(firsts) {
            *slot = self.span_cost(turn, first, end);
        }
    }
    /// `out[i] = span_cost(turn, first, ends.start + i)` for every end in `ends` (`out` is
    /// as long as `ends`). Override to hoist what the span shares.
    fn span_costs_from(&self, turn: usize, first: usize, ends: Range<usize>, out: &mut [f64]) {
        for (slot, end) in out.iter_mut().zip(ends) {
            *slot = self.span_cost(turn, first, end);
        }
    }
    /// Largest number of chunks turn `turn` may take when it starts at chunk `first`.
    fn max_span(&self, turn: usize, first: usize) -> usize;
    /// Reward (subtracted) for a turn boundary falling on the pause before chunk `chunk`,
    /// between turns `turn - 1` and `turn`.
    fn boundary_bonus(&self, turn: usize, chunk: usize) -> f64;
    /// Cost of leaving chunks `first..end` outside every turn (before the first turn or
    /// after the last).
    fn skip_cost(&self, first: usize, end: usize) -> f64;
}

/// Lattice search limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatticeConfig {
    /// States costlier than the row's best by more than this are pruned. Default 40.
    pub beam: f64,
    /// At most this many states per row survive. Default 4000.
    pub max_states: usize,
    /// Temperature of the soft pass (cost units per nat). Default 1.5.
    pub temperature: f64,
}

impl Default for LatticeConfig {
    fn default() -> Self {
        LatticeConfig {
            beam: 40.0,
            max_states: 4000,
            temperature: 1.5,
        }
    }
}

/// One row: boundary positions `offset..offset+alive.len()`, infinite where pruned.
#[derive(Debug, Clone, Default)]
struct Row {
    offset: usize,
    /// Hard path costs; emptied once the next row is computed unless the row is kept to
    /// compute the rows after it again, so that rows hold 13 bytes a position, not 21.
    best: Vec<f64>,
    /// Positions not pruned (where `best` was finite).
    alive: Vec<bool>,
    back: Vec<u32>,
    soft: Vec<f64>,
}

/// What each position of a row needs as the start of the next turn: the widest span it may
/// take (0 where pruned) and its start cost less the boundary bonus. Computed for one row at
/// a time (in both passes), so that all rows together cost no more memory than before.
struct Starts {
    spans: Vec<u32>,
    entry: Vec<f64>,
}

impl Row {
    fn get(&self, chunk: usize) -> Option<usize> {
        chunk
            .checked_sub(self.offset)
            .filter(|&i| i < self.alive.len())
    }

    /// One past the last position.
    fn end(&self) -> usize {
        self.offset + self.alive.len()
    }
}

/// Per-worker buffers: a cell's soft terms, path costs and the span costs it reads.
#[derive(Default)]
struct Scratch {
    terms: Vec<f64>,
    totals: Vec<f64>,
    spans: Vec<f64>,
}

/// The best cut and the posterior of every boundary.
#[derive(Debug, Clone)]
pub struct Solution {
    /// `boundaries[r]`: chunk where turn `r` starts; the last entry is where the last turn ends.
    pub boundaries: Vec<usize>,
    /// Per row, the posterior over boundary positions, as (chunk, probability) pairs.
    pub posteriors: Vec<Vec<(usize, f64)>>,
    /// Total cost of the best cut (read by the naive-twin test only).
    #[cfg_attr(not(test), expect(dead_code))]
    pub cost: f64,
}

/// Finds the best cut of `chunks` chunks into `turns` turns.
///
/// Returns `None` when no cut exists (fewer chunks than turns, or spans too short).
pub fn solve(
    costs: &impl TurnCost,
    turns: usize,
    chunks: usize,
    config: &LatticeConfig,
) -> Option<Solution> {
    solve_keeping(costs, turns, chunks, config, checkpoint_spacing(turns))
}

/// Up to this many turns every row is kept between the passes (a 37-minute meeting has
/// about 110, a row about 10 kB); above it only every [`checkpoint_spacing`]-th.
const ALL_ROWS_UP_TO: usize = 256;

/// Rows kept between the forward and the backward pass: every row for a short transcript;
/// for a long one every `⌈√turns⌉`-th, the rows between computed again a stretch at a
/// time, so the lattice holds about `2√turns` rows instead of `turns` (16.7 MB of rows at
/// 10.5 h, docs/speed.md, session 32) for one more forward pass.
fn checkpoint_spacing(turns: usize) -> usize {
    if turns <= ALL_ROWS_UP_TO {
        1
    } else {
        (turns as f64).sqrt().ceil() as usize
    }
}

/// [`solve`], keeping every `every`-th row between the passes.
fn solve_keeping(
    costs: &impl TurnCost,
    turns: usize,
    chunks: usize,
    config: &LatticeConfig,
    every: usize,
) -> Option<Solution> {
    if turns == 0 || chunks < turns {
        return None;
    }
    let t = config.temperature;
    // Row 0: where turn 0 starts.
    let first: Vec<f64> = (0..=chunks - turns)
        .map(|c| costs.skip_cost(0, c))
        .collect();
    let mut row = prune(
        Row {
            offset: 0,
            soft: first.clone(),
            back: vec![0; first.len()],
            alive: Vec::new(),
            best: first,
        },
        config,
    );
    // `kept[k]` is row `k · every`, with its hard costs, to compute the rows after it again.
    let mut kept: Vec<Row> = Vec::with_capacity(turns / every + 1);
    for turn in 0..turns {
        let next = next_row(costs, turn, &row, turns, chunks, config)?;
        if every == 1 {
            row.best = Vec::new();
        }
        if turn % every == 0 {
            kept.push(std::mem::replace(&mut row, next));
        } else {
            row = next;
        }
    }
    // Close: skip trailing chunks.
    let last = row;
    let (mut end, mut cost) = (0usize, f64::INFINITY);
    for (i, c) in last.best.iter().enumerate() {
        let total = c + costs.skip_cost(last.offset + i, chunks);
        if total < cost {
            cost = total;
            end = last.offset + i;
        }
    }
    if !cost.is_finite() {
        return None;
    }
    // Backward, a stretch of `every` rows at a time from the last: the best cut from the
    // back-pointers, and the soft backward costs combined with the forward ones into each
    // row's posterior as soon as they are known (two rows of backward costs held).
    let mut boundaries = vec![0usize; turns + 1];
    boundaries[turns] = end;
    let mut posteriors = Vec::with_capacity(turns + 1);
    let mut next_back: Vec<f64> = (0..last.alive.len())
        .map(|i| {
            if last.alive[i] {
                costs.skip_cost(last.offset + i, chunks)
            } else {
                f64::INFINITY
            }
        })
        .collect();
    posteriors.push(row_posterior(&last, &next_back, t));
    let mut after = last;
    while let Some(checkpoint) = kept.pop() {
        let first_turn = kept.len() * every;
        let stretch_end = (first_turn + every).min(turns);
        let mut stretch = Vec::with_capacity(stretch_end - first_turn);
        stretch.push(checkpoint);
        for turn in first_turn..stretch_end - 1 {
            let previous = stretch.last_mut().expect("the checkpoint is in");
            let next = next_row(costs, turn, previous, turns, chunks, config)
                .expect("a row computed once is computed again");
            previous.best = Vec::new();
            stretch.push(next);
        }
        for r in (first_turn..stretch_end).rev() {
            let row = stretch.pop().expect("one row per turn of the stretch");
            let i = after
                .get(boundaries[r + 1])
                .expect("back-pointer inside row");
            boundaries[r] = after.back[i] as usize;
            next_back = backward_costs(costs, r, &row, &after, &next_back, t);
            posteriors.push(row_posterior(&row, &next_back, t));
            after = row;
        }
    }
    posteriors.reverse();
    Some(Solution {
        boundaries,
        posteriors,
        cost,
    })
}

/// Row `turn + 1` (where turn `turn` ends) from row `turn`, pruned; `None` when no cell
/// of it can be reached. `prev` keeps its hard costs.
fn next_row(
    costs: &impl TurnCost,
    turn: usize,
    prev: &Row,
    turns: usize,
    chunks: usize,
    config: &LatticeConfig,
) -> Option<Row> {
    let t = config.temperature;
    let remaining = turns - turn - 1;
    // Span limit, start cost and boundary bonus of each surviving start depend on the
    // start alone: computed once per row instead of once per (start, end) pair.
    let starts = start_terms(costs, turn, prev);
    let lo = prev.offset + 1;
    let widest = starts.spans.iter().copied().max().unwrap_or(0).max(1) as usize;
    let hi = (prev.end() - 1 + widest).min(chunks - remaining);
    if lo > hi {
        return None;
    }
    let cells: Vec<(f64, u32, f64)> = (lo..=hi)
        .into_par_iter()
        .map_init(Scratch::default, |scratch, end| {
            // Starts further back than the widest span cannot reach `end`.
            let start_lo = prev.offset.max(end.saturating_sub(widest));
            let start_hi = (end - 1).min(prev.end() - 1);
            let n = start_hi + 1 - start_lo;
            let Scratch {
                terms,
                totals,
                spans,
            } = scratch;
            spans.resize(n, 0.0);
            costs.span_costs_to(turn, start_lo..start_hi + 1, end, spans);
            let from = start_lo - prev.offset;
            let reach = |k: usize| (end - start_lo - k) as u32;
            into_cells(
                &prev.best[from..from + n],
                &prev.soft[from..from + n],
                &starts.entry[from..from + n],
                &starts.spans[from..from + n],
                spans,
                reach,
                totals,
                terms,
            );
            // The hard minimum, ties to the latest start.
            let best = totals.iter().copied().fold(f64::INFINITY, f64::min);
            let back = if best.is_finite() {
                let k = totals.iter().rposition(|&c| c == best).unwrap_or(0);
                (start_lo + k) as u32
            } else {
                0
            };
            (best, back, soft_min(terms, t))
        })
        .collect();
    let row = Row {
        offset: lo,
        best: cells.iter().map(|c| c.0).collect(),
        alive: Vec::new(),
        back: cells.iter().map(|c| c.1).collect(),
        soft: cells.iter().map(|c| c.2).collect(),
    };
    if row.best.iter().all(|c| !c.is_finite()) {
        return None;
    }
    Some(prune(row, config))
}

/// For each start `k` of a cell: the path cost through it (`totals`, from the best
/// paths) and the soft term (`terms`, from the soft costs); +∞ where the start is pruned or
/// its span does not reach (`reach(k)` chunks needed, `limit[k]` allowed). Branch-free, so
/// it vectorises.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn into_cells(
    best: &[f64],
    soft: &[f64],
    entry: &[f64],
    limit: &[u32],
    spans: &[f64],
    reach: impl Fn(usize) -> u32,
    totals: &mut Vec<f64>,
    terms: &mut Vec<f64>,
) {
    let n = spans.len();
    totals.resize(n, 0.0);
    terms.resize(n, 0.0);
    let (best, soft, entry, limit) = (&best[..n], &soft[..n], &entry[..n], &limit[..n]);
    for k in 0..n {
        let ok = reach(k) <= limit[k];
        let step = entry[k] + spans[k];
        totals[k] = if ok { best[k] + step } else { f64::INFINITY };
        terms[k] = if ok { soft[k] + step } else { f64::INFINITY };
    }
}

/// [`Starts`] of turn `turn` at each position of `row`: the widest span (0 where the
/// position is pruned) and the start cost less the boundary bonus (no bonus for the first
/// turn).
fn start_terms(costs: &impl TurnCost, turn: usize, row: &Row) -> Starts {
    let offset = row.offset;
    let (spans, entry) = row
        .alive
        .par_iter()
        .enumerate()
        .map(|(i, &alive)| {
            if !alive {
                return (0, f64::INFINITY);
            }
            let start = offset + i;
            let bonus = if turn > 0 {
                costs.boundary_bonus(turn, start)
            } else {
                0.0
            };
            let span = u32::try_from(costs.max_span(turn, start)).unwrap_or(u32::MAX);
            (span, costs.start_cost(turn, start) - bonus)
        })
        .unzip();
    Starts { spans, entry }
}

/// Row `r`'s soft backward costs (from each of its positions to the end) from row `r + 1`
/// (`next`) and its backward costs (`next_back`).
fn backward_costs(
    costs: &impl TurnCost,
    r: usize,
    row: &Row,
    next: &Row,
    next_back: &[f64],
    t: f64,
) -> Vec<f64> {
    let starts = start_terms(costs, r, row);
    (0..row.alive.len())
        .into_par_iter()
        .map_init(Scratch::default, |scratch, i| {
            if !row.alive[i] {
                return f64::INFINITY;
            }
            let start = row.offset + i;
            let entry = starts.entry[i];
            let Scratch { terms, spans, .. } = scratch;
            let ends = (start + 1).max(next.offset)
                ..(start + starts.spans[i] as usize + 1).min(next.end());
            if ends.is_empty() {
                return f64::INFINITY;
            }
            spans.resize(ends.len(), 0.0);
            costs.span_costs_from(r, start, ends.clone(), spans);
            let from = ends.start - next.offset;
            let after = &next_back[from..from + ends.len()];
            // Pruned ends are infinite in `next_back` (their forward cost is).
            terms.clear();
            terms.extend(spans.iter().zip(after).map(|(span, b)| entry + span + b));
            soft_min(terms, t)
        })
        .collect()
}

/// A row's posterior over its positions from its forward and backward soft costs, as
/// (chunk, probability) pairs above 1e-6.
fn row_posterior(row: &Row, back: &[f64], t: f64) -> Vec<(usize, f64)> {
    let totals: Vec<f64> = row.soft.iter().zip(back).map(|(f, b)| f + b).collect();
    let z = soft_min(&totals, t);
    totals
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(i, v)| (row.offset + i, (-(v - z) / t).exp()))
        .filter(|(_, p)| *p > 1e-6)
        .collect()
}

/// `-t · ln Σ exp(-x/t)`: a smooth minimum; infinite for no terms (or only infinite ones).
///
/// With AVX2 (detected at run time) the same code is compiled four doubles wide. Its eight
/// lanes are part of the arithmetic, so both builds add the same numbers in the same order
/// and the results are bit-identical (no fused multiply-add).
fn soft_min(terms: &[f64], t: f64) -> f64 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: AVX2 is present, checked just above.
        return unsafe { soft_min_avx2(terms, t) };
    }
    soft_min_portable(terms, t)
}

/// [`soft_min`] compiled for AVX2.
///
/// # Safety
/// The CPU must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn soft_min_avx2(terms: &[f64], t: f64) -> f64 {
    soft_min_portable(terms, t)
}

#[inline(always)]
fn soft_min_portable(terms: &[f64], t: f64) -> f64 {
    const LANES: usize = 8;
    // Lane-wise minimum and sum (plain compares, so both vectorise); infinite terms give
    // exp(-∞) = 0.
    let mut lows = [f64::INFINITY; LANES];
    let chunks = terms.chunks_exact(LANES);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (low, &x) in lows.iter_mut().zip(chunk) {
            *low = if x < *low { x } else { *low };
        }
    }
    let m = rest
        .iter()
        .chain(&lows)
        .fold(f64::INFINITY, |m, &x| if x < m { x } else { m });
    if !m.is_finite() {
        return f64::INFINITY;
    }
    let scale = -1.0 / t;
    let mut sums = [0.0f64; LANES];
    let chunks = terms.chunks_exact(LANES);
    for chunk in chunks {
        for (sum, &x) in sums.iter_mut().zip(chunk) {
            *sum += exp_nonpositive((x - m) * scale);
        }
    }
    let tail: f64 = rest.iter().map(|&x| exp_nonpositive((x - m) * scale)).sum();
    let sum = ((sums[0] + sums[1]) + (sums[2] + sums[3]))
        + ((sums[4] + sums[5]) + (sums[6] + sums[7]))
        + tail;
    m - t * sum.ln()
}

/// `exp(y)` for `y ≤ 0` (NaN is not expected), within 1e−14 of libm's, inlined and
/// branch-free, so that the soft passes (one per lattice cell) vectorise. Below −708 it
/// returns 0.
///
/// `y = k · ln2 + r` with `|r| ≤ ln2/2`; `exp(y) = 2^k · exp(r)`, the last from its Taylor
/// series to `r¹¹` (remainder under 6e−15).
#[inline(always)]
fn exp_nonpositive(y: f64) -> f64 {
    use std::f64::consts::LOG2_E;
    // Adding 1.5·2^52 rounds to an integer and leaves it in the low mantissa bits.
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    // ln 2 in two parts (fdlibm's): `k · LN2_HI` is exact for the `k` met here.
    const LN2_HI: f64 = 6.931_471_803_691_238e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    let keep = if y >= -708.0 { u64::MAX } else { 0 };
    let y = y.max(-708.0);
    let shifted = y * LOG2_E + SHIFT;
    let k = shifted - SHIFT;
    let r = (y - k * LN2_HI) - k * LN2_LO;
    let mut p = 1.0 / 39_916_800.0;
    for c in INVERSE_FACTORIALS {
        p = p * r + c;
    }
    // `k` as a two's-complement integer in the low bits; 2^k from it.
    let k_bits = shifted.to_bits().wrapping_sub(SHIFT.to_bits());
    let two_k = f64::from_bits((k_bits.wrapping_add(1023) << 52) & keep);
    p * two_k
}

/// `1/n!` for `n` from 10 down to 0.
const INVERSE_FACTORIALS: [f64; 11] = [
    1.0 / 3_628_800.0,
    1.0 / 362_880.0,
    1.0 / 40_320.0,
    1.0 / 5_040.0,
    1.0 / 720.0,
    1.0 / 120.0,
    1.0 / 24.0,
    1.0 / 6.0,
    0.5,
    1.0,
    1.0,
];

/// Keeps states within the beam of the row's best, at most `max_states` of them.
fn prune(mut row: Row, config: &LatticeConfig) -> Row {
    let best = row.best.iter().copied().fold(f64::INFINITY, f64::min);
    let mut limit = best + config.beam;
    let finite = row.best.iter().filter(|c| c.is_finite()).count();
    if finite > config.max_states {
        let mut sorted: Vec<f64> = row.best.iter().copied().filter(|c| c.is_finite()).collect();
        sorted.select_nth_unstable_by(config.max_states - 1, |a, b| a.total_cmp(b));
        limit = limit.min(sorted[config.max_states - 1]);
    }
    for (b, s) in row.best.iter_mut().zip(row.soft.iter_mut()) {
        if *b > limit {
            *b = f64::INFINITY;
            *s = f64::INFINITY;
        }
    }
    // Trim infinite ends so the row stays narrow.
    let first = row.best.iter().position(|c| c.is_finite()).unwrap_or(0);
    let last = row.best.iter().rposition(|c| c.is_finite()).unwrap_or(0);
    Row {
        offset: row.offset + first,
        alive: row.best[first..=last]
            .iter()
            .map(|c| c.is_finite())
            .collect(),
        best: row.best[first..=last].to_vec(),
        back: row.back[first..=last].to_vec(),
        soft: row.soft[first..=last].to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A seeded stream of pseudo-random numbers (a 64-bit LCG's high bits).
    fn seeded(mut seed: u64) -> impl FnMut() -> usize {
        move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        }
    }

    /// Chunks of 1 s each; turn k wants `lens[k]` chunks; boundaries favour given pauses.
    struct Toy {
        lens: Vec<usize>,
        pauses: Vec<f64>,
    }

    impl TurnCost for Toy {
        fn span_cost(&self, turn: usize, first: usize, end: usize) -> f64 {
            let d = (end - first) as f64 - self.lens[turn] as f64;
            d * d
        }
        fn max_span(&self, _turn: usize, _first: usize) -> usize {
            10
        }
        fn boundary_bonus(&self, _turn: usize, chunk: usize) -> f64 {
            self.pauses[chunk]
        }
        fn skip_cost(&self, first: usize, end: usize) -> f64 {
            3.0 * (end - first) as f64
        }
    }

    /// Exhaustive search over all cuts, for checking the lattice on small cases.
    fn brute_force(toy: &Toy, turns: usize, chunks: usize) -> f64 {
        fn go(toy: &Toy, turn: usize, start: usize, turns: usize, chunks: usize) -> f64 {
            if turn == turns {
                return toy.skip_cost(start, chunks);
            }
            let mut best = f64::INFINITY;
            for end in start + 1..=chunks.min(start + toy.max_span(turn, start)) {
                let bonus = if turn > 0 {
                    toy.boundary_bonus(turn, start)
                } else {
                    0.0
                };
                best = best.min(
                    toy.span_cost(turn, start, end) - bonus + go(toy, turn + 1, end, turns, chunks),
                );
            }
            best
        }
        (0..chunks)
            .map(|s| toy.skip_cost(0, s) + go(toy, 0, s, turns, chunks))
            .fold(f64::INFINITY, f64::min)
    }

    #[test]
    fn matches_brute_force_on_small_cases() {
        let mut next = seeded(7);
        for _ in 0..40 {
            let turns = 1 + next() % 4;
            let chunks = turns + next() % 8;
            let toy = Toy {
                lens: (0..turns).map(|_| 1 + next() % 3).collect(),
                pauses: (0..chunks).map(|_| (next() % 5) as f64 * 0.5).collect(),
            };
            let config = LatticeConfig {
                beam: 1e9,
                max_states: usize::MAX,
                temperature: 1.0,
            };
            let solution = solve(&toy, turns, chunks, &config).expect("a cut exists");
            let expected = brute_force(&toy, turns, chunks);
            assert!(
                (solution.cost - expected).abs() < 1e-9,
                "{} vs {expected}",
                solution.cost
            );
            for w in solution.boundaries.windows(2) {
                assert!(w[0] < w[1]);
            }
            for row in &solution.posteriors {
                let total: f64 = row.iter().map(|(_, p)| p).sum();
                assert!((total - 1.0).abs() < 1e-6, "posterior sums to {total}");
            }
        }
    }

    #[test]
    fn rows_computed_again_from_checkpoints_give_the_same_solution() {
        let mut next = seeded(11);
        let turns = 300;
        let chunks = 900;
        let toy = Toy {
            lens: (0..turns).map(|_| 1 + next() % 4).collect(),
            pauses: (0..chunks).map(|_| (next() % 7) as f64 * 0.5).collect(),
        };
        let config = LatticeConfig {
            beam: 12.0,
            max_states: 60,
            temperature: 1.5,
        };
        assert!(
            checkpoint_spacing(turns) > 1,
            "a long transcript keeps checkpoints"
        );
        let all = solve_keeping(&toy, turns, chunks, &config, 1).expect("a cut exists");
        for every in [2, 7, checkpoint_spacing(turns), turns, turns + 5] {
            let kept = solve_keeping(&toy, turns, chunks, &config, every).expect("a cut exists");
            assert_eq!(kept.boundaries, all.boundaries, "every {every}");
            assert_eq!(kept.cost.to_bits(), all.cost.to_bits(), "every {every}");
            assert_eq!(kept.posteriors.len(), turns + 1);
            for (a, b) in kept.posteriors.iter().zip(&all.posteriors) {
                assert_eq!(a.len(), b.len(), "every {every}");
                for ((ca, pa), (cb, pb)) in a.iter().zip(b) {
                    assert_eq!((ca, pa.to_bits()), (cb, pb.to_bits()), "every {every}");
                }
            }
        }
        assert_eq!(
            solve(&toy, turns, chunks, &config)
                .expect("a cut exists")
                .boundaries,
            all.boundaries
        );
    }

    #[test]
    fn fast_exp_matches_libm() {
        let mut worst = 0.0f64;
        for i in 0..=200_000 {
            let y = -708.0 * f64::from(i) / 200_000.0;
            let (fast, libm) = (exp_nonpositive(y), y.exp());
            worst = worst.max((fast - libm).abs() / libm);
        }
        assert!(worst < 1e-14, "worst relative error {worst:e}");
        assert_eq!(exp_nonpositive(0.0), 1.0);
        assert_eq!(exp_nonpositive(-1e6), 0.0);
        assert_eq!(exp_nonpositive(f64::NEG_INFINITY), 0.0);
    }

    #[test]
    fn soft_min_builds_agree_and_match_the_definition() {
        let noise = crate::test_signals::seeded_noise(31, 1000, 40.0);
        for len in [0, 1, 7, 8, 9, 100, 1000] {
            let mut terms: Vec<f64> = noise[..len].iter().map(|&x| f64::from(x) + 50.0).collect();
            if len > 3 {
                terms[2] = f64::INFINITY;
            }
            let fast = soft_min(&terms, 1.5);
            assert_eq!(fast.to_bits(), soft_min_portable(&terms, 1.5).to_bits());
            let m = terms.iter().copied().fold(f64::INFINITY, f64::min);
            let exact = if m.is_finite() {
                m - 1.5
                    * terms
                        .iter()
                        .map(|x| (-(x - m) / 1.5).exp())
                        .sum::<f64>()
                        .ln()
            } else {
                f64::INFINITY
            };
            assert!(
                fast == exact || (fast - exact).abs() < 1e-12,
                "{fast} vs {exact}"
            );
        }
    }

    #[test]
    fn follows_the_clear_pauses() {
        let toy = Toy {
            lens: vec![2, 3, 2],
            pauses: vec![0.0, 0.0, 5.0, 0.0, 0.0, 5.0, 0.0],
        };
        let s = solve(&toy, 3, 7, &LatticeConfig::default()).unwrap();
        assert_eq!(s.boundaries, vec![0, 2, 5, 7]);
    }

    #[test]
    fn impossible_cut_is_none() {
        let toy = Toy {
            lens: vec![1, 1, 1],
            pauses: vec![0.0; 2],
        };
        assert!(solve(&toy, 3, 2, &LatticeConfig::default()).is_none());
    }
}
