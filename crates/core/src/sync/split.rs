//! Stretches with their own offsets: dynamic programming over the cues (in time order),
//! each placed at an offset on a grid or left out as *cut* (its material is not in the
//! recording). Changing the offset between two cues costs a split penalty and is only
//! allowed where the later cue still starts after the earlier one ends (no more overlap
//! than they had), so splits fall in cue gaps and cues keep their order.

/// Tuning of the split search.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitConfig {
    /// Grid step of the offsets searched, frames (10 ms). Default 10 (100 ms); each
    /// stretch's offset is then refined to the frame.
    pub step: i64,
    /// What a change of offset costs, in score units (frames of cue over speech). Default:
    /// half the median cue length, at least 100 and at most 500.
    pub split_penalty: Option<f64>,
    /// What leaving a cue out (cut) costs. Default 30.
    pub cut_penalty: Option<f64>,
    /// Longest run of cues left out together. Default 64.
    pub max_cut_run: usize,
}

impl Default for SplitConfig {
    fn default() -> Self {
        SplitConfig {
            step: 10,
            split_penalty: None,
            cut_penalty: None,
            max_cut_run: 64,
        }
    }
}

/// Speech frames with a prefix sum, for the score of any cue at any offset in O(1).
pub struct SpeechPrefix {
    sums: Vec<u32>,
}

impl SpeechPrefix {
    /// From per-frame speech (true = speech).
    pub fn new(speech: &[f32]) -> SpeechPrefix {
        let mut sums = Vec::with_capacity(speech.len() + 1);
        let mut acc = 0u32;
        sums.push(0);
        for &v in speech {
            acc += u32::from(v > 0.5);
            sums.push(acc);
        }
        SpeechPrefix { sums }
    }

    /// Frames of speech in `a..b` (clamped to the recording).
    pub fn speech(&self, a: i64, b: i64) -> i64 {
        let n = (self.sums.len() - 1) as i64;
        let (a, b) = (a.clamp(0, n), b.clamp(0, n));
        if b <= a {
            return 0;
        }
        i64::from(self.sums[b as usize] - self.sums[a as usize])
    }

    /// A cue over frames `a..b`: frames over speech minus frames over silence or outside.
    pub fn score(&self, a: i64, b: i64) -> f64 {
        (2 * self.speech(a, b) - (b - a)) as f64
    }

    /// Frames in the recording.
    pub fn frames(&self) -> i64 {
        (self.sums.len() - 1) as i64
    }
}

/// The split search's grid of offsets and its penalties, for one list of cues.
struct Grid {
    lo: i64,
    step: i64,
    /// Offsets on the grid (K).
    offsets: usize,
    cut: f64,
    split: f64,
    max_run: usize,
}

impl Grid {
    /// For `cues` (not empty) and offsets in `lo..=hi`.
    fn new(cues: &[(i64, i64)], lo: i64, hi: i64, config: &SplitConfig) -> Grid {
        let step = config.step.max(1);
        let median_len = {
            let mut lens: Vec<i64> = cues.iter().map(|c| c.1 - c.0).collect();
            lens.sort_unstable();
            lens[lens.len() / 2] as f64
        };
        Grid {
            lo,
            step,
            offsets: ((hi - lo) / step + 1).max(1) as usize,
            cut: config.cut_penalty.unwrap_or(30.0),
            split: config
                .split_penalty
                .unwrap_or((median_len / 2.0).clamp(100.0, 500.0)),
            max_run: config.max_cut_run.max(1),
        }
    }

    /// Offset `k` of the grid, frames.
    fn offset(&self, k: usize) -> i64 {
        self.lo + k as i64 * self.step
    }

    /// The placement ending at the best last placed cue (every later one cut), read back
    /// through `back` (per cue and offset: the cue placed before it, `u32::MAX` for none, and
    /// its offset); `row_best(i)` is cue `i`'s best value over every offset and where.
    fn read_back(
        &self,
        n: usize,
        row_best: impl Fn(usize) -> (f64, u32),
        back: &[(u32, u32)],
    ) -> (Vec<Option<i64>>, f64) {
        let mut end = (f64::NEG_INFINITY, u32::MAX, 0u32);
        for i in n.saturating_sub(self.max_run + 1)..n {
            let cost = self.cut * (n - 1 - i) as f64;
            let (v, k) = row_best(i);
            if v - cost > end.0 {
                end = (v - cost, i as u32, k);
            }
        }
        let mut out = vec![None; n];
        let (mut i, mut k) = (end.1, end.2);
        while i != u32::MAX {
            out[i as usize] = Some(self.offset(k as usize));
            let (j, kk) = back[i as usize * self.offsets + k as usize];
            i = j;
            k = kk;
        }
        (out, end.0)
    }
}

/// Per cue (frames `a..b` after the ratio, in time order), its offset in frames, or `None`
/// when it is left out as cut. Offsets lie in `lo..=hi`. Also returns the placement's total
/// score (cue scores minus split and cut penalties).
pub fn place(
    prefix: &SpeechPrefix,
    cues: &[(i64, i64)],
    lo: i64,
    hi: i64,
    config: &SplitConfig,
) -> (Vec<Option<i64>>, f64) {
    let n = cues.len();
    if n == 0 {
        return (Vec::new(), 0.0);
    }
    let grid = Grid::new(cues, lo, hi, config);
    let (k_count, cut, split, step) = (grid.offsets, grid.cut, grid.split, grid.step);
    // value[i*K + k]: best total with cue i placed at offset k; back[i*K + k]: the cue
    // placed before it (u32::MAX: none) and its offset index.
    let mut value = vec![f64::NEG_INFINITY; n * k_count];
    let mut back = vec![(u32::MAX, 0u32); n * k_count];
    // upto[j*K + x] = max value[j][0..=x], upto_at[j*K + x] its argmax.
    let mut upto = vec![f64::NEG_INFINITY; n * k_count];
    let mut upto_at = vec![0u32; n * k_count];
    // Cue i's best predecessor at every offset, one cue before it at a time: each row is
    // read in order (one offset at a time read the cues before i a row apart, 4 times
    // slower; docs/sync.md, session 46). Per offset the candidates are weighed in the same
    // order as one offset at a time did (cue j ascending, its same offset before another),
    // so ties go the same way.
    let mut best = vec![0.0f64; k_count];
    let mut from = vec![(u32::MAX, 0u32); k_count];
    for i in 0..n {
        let (a, b) = cues[i];
        // Every cue before it cut.
        best.fill(-cut * i as f64);
        from.fill((u32::MAX, 0));
        for (j, &(_, bj)) in cues
            .iter()
            .enumerate()
            .take(i)
            .skip(i.saturating_sub(grid.max_run + 1))
        {
            let cost = cut * (i - j - 1) as f64;
            let row = j * k_count;
            // Another offset: cue j must end before cue i starts (plus their overlap), so
            // its offset is at most this many grid steps above cue i's.
            let reach = ((a - bj).max(0) / step) as usize;
            let same_row = &value[row..row + k_count];
            let upto_row = &upto[row..row + k_count];
            let upto_at_row = &upto_at[row..row + k_count];
            for k in 0..k_count {
                let same = same_row[k] - cost;
                if same > best[k] {
                    best[k] = same;
                    from[k] = (j as u32, k as u32);
                }
                let x = (k + reach).min(k_count - 1);
                let v = upto_row[x] - split - cost;
                if v > best[k] {
                    best[k] = v;
                    from[k] = (j as u32, upto_at_row[x]);
                }
            }
        }
        let row = i * k_count;
        let mut run = (f64::NEG_INFINITY, 0u32);
        for k in 0..k_count {
            let o = grid.offset(k);
            value[row + k] = prefix.score(a + o, b + o) + best[k];
            back[row + k] = from[k];
            if value[row + k] > run.0 {
                run = (value[row + k], k as u32);
            }
            upto[row + k] = run.0;
            upto_at[row + k] = run.1;
        }
    }
    // The end: the last placed cue, every later one cut.
    let last = |i: usize| i * k_count + k_count - 1;
    grid.read_back(n, |i| (upto[last(i)], upto_at[last(i)]), &back)
}

/// Refines each stretch of equal offsets to the frame: the offset within ±`step` that scores
/// its cues best.
pub fn refine(prefix: &SpeechPrefix, cues: &[(i64, i64)], offsets: &mut [Option<i64>], step: i64) {
    let mut i = 0;
    while i < cues.len() {
        let Some(o) = offsets[i] else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < cues.len() && offsets[j].is_none_or(|p| p == o) {
            j += 1;
        }
        let members: Vec<usize> = (i..j).filter(|&m| offsets[m].is_some()).collect();
        let score = |d: i64| -> f64 {
            members
                .iter()
                .map(|&m| prefix.score(cues[m].0 + d, cues[m].1 + d))
                .sum()
        };
        let best = (o - step..=o + step)
            .map(|d| (score(d), -(d - o).abs(), d))
            .max_by(|x, y| x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal))
            .map_or(o, |b| b.2);
        for &m in &members {
            offsets[m] = Some(best);
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`place`] as first written, one offset at a time with the cues before it inner
    /// (their rows read a row apart): the twin the faster order must agree with exactly.
    fn place_one_offset_at_a_time(
        prefix: &SpeechPrefix,
        cues: &[(i64, i64)],
        grid: &Grid,
    ) -> (Vec<Option<i64>>, f64) {
        let n = cues.len();
        let (k_count, cut, split, step, max_run, lo) = (
            grid.offsets,
            grid.cut,
            grid.split,
            grid.step,
            grid.max_run,
            grid.lo,
        );
        let offset = |k: usize| grid.offset(k);
        // value[i*K + k]: best total with cue i placed at offset k; back[i*K + k]: the cue
        // placed before it (u32::MAX: none) and its offset index.
        let mut value = vec![f64::NEG_INFINITY; n * k_count];
        let mut back = vec![(u32::MAX, 0u32); n * k_count];
        // prefix_best[j*K + x] = (max value[j][0..=x], its argmax).
        let mut prefix_best = vec![(f64::NEG_INFINITY, 0u32); n * k_count];
        for i in 0..n {
            let (a, b) = cues[i];
            for k in 0..k_count {
                let o = offset(k);
                // Every cue before it cut.
                let mut best = -cut * i as f64;
                let mut from = (u32::MAX, 0u32);
                for (j, &(_, bj)) in cues
                    .iter()
                    .enumerate()
                    .take(i)
                    .skip(i.saturating_sub(max_run + 1))
                {
                    let cost = cut * (i - j - 1) as f64;
                    let row = j * k_count;
                    let same = value[row + k] - cost;
                    if same > best {
                        best = same;
                        from = (j as u32, k as u32);
                    }
                    // Another offset: cue j must end before cue i starts (plus their overlap).
                    let allow = (bj - a).max(0);
                    let limit = o + a - bj + allow; // offset of j at most this
                    if limit < lo {
                        continue;
                    }
                    let x = (((limit - lo) / step) as usize).min(k_count - 1);
                    let (v, kk) = prefix_best[row + x];
                    let v = v - split - cost;
                    if v > best {
                        best = v;
                        from = (j as u32, kk);
                    }
                }
                value[i * k_count + k] = prefix.score(a + o, b + o) + best;
                back[i * k_count + k] = from;
            }
            let row = i * k_count;
            let mut run = (f64::NEG_INFINITY, 0u32);
            for k in 0..k_count {
                if value[row + k] > run.0 {
                    run = (value[row + k], k as u32);
                }
                prefix_best[row + k] = run;
            }
        }
        // The end: the last placed cue, every later one cut.
        grid.read_back(n, |i| prefix_best[i * k_count + k_count - 1], &back)
    }

    /// Cues of seeded lengths and gaps (some overlapping) over speech of seeded runs,
    /// placed by both: the same offsets, cuts and total, bit for bit.
    #[test]
    fn placing_row_by_row_agrees_with_one_offset_at_a_time() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % m) as i64
        };
        for case in 0..24 {
            let frames = 3_000 + next(6_000);
            let mut speech = vec![0.0f32; frames as usize];
            let mut at = 0;
            while at < frames {
                let len = 20 + next(300);
                if next(2) == 0 {
                    let end = (at + len).min(frames);
                    speech[at as usize..end as usize].fill(1.0);
                }
                at += len;
            }
            let mut cues = Vec::new();
            let mut t = next(200);
            for _ in 0..(5 + next(60)) {
                let len = 30 + next(400);
                cues.push((t, t + len));
                t += len + next(150) - 20;
            }
            cues.sort_unstable();
            let prefix = SpeechPrefix::new(&speech);
            let config = SplitConfig {
                step: 1 + next(12),
                max_cut_run: 1 + next(20) as usize,
                ..SplitConfig::default()
            };
            let (lo, hi) = (-next(2_000), next(2_000));
            let fast = place(&prefix, &cues, lo, hi, &config);
            let grid = Grid::new(&cues, lo, hi, &config);
            let slow = place_one_offset_at_a_time(&prefix, &cues, &grid);
            assert_eq!(fast.0, slow.0, "case {case}");
            assert_eq!(fast.1.to_bits(), slow.1.to_bits(), "case {case}");
        }
    }

    fn cues() -> Vec<(i64, i64)> {
        (0..40)
            .map(|i| {
                (
                    100 + i * 400 + (i * 37 % 11) * 15,
                    100 + i * 400 + 250 + (i * 13 % 7) * 10,
                )
            })
            .collect()
    }

    #[test]
    fn finds_a_cut_and_an_insertion() {
        let cues = cues();
        // Truth: cues 0..15 at +50, cues 15..18 cut, 18..30 at +50-1200 ... as a cut of
        // 12 s, then an insertion of 7 s after cue 30.
        let truth = |i: usize| -> Option<i64> {
            match i {
                0..15 => Some(50),
                15..18 => None,
                18..30 => Some(50 - 1200),
                _ => Some(50 - 1200 + 700),
            }
        };
        let mut speech = vec![0.0f32; 20_000];
        for (i, &(a, b)) in cues.iter().enumerate() {
            if let Some(o) = truth(i) {
                speech[(a + o) as usize..(b + o) as usize]
                    .iter_mut()
                    .for_each(|v| *v = 1.0);
            }
        }
        let prefix = SpeechPrefix::new(&speech);
        let (mut got, _) = place(&prefix, &cues, -3000, 3000, &SplitConfig::default());
        refine(&prefix, &cues, &mut got, 10);
        for i in 0..cues.len() {
            assert_eq!(got[i], truth(i), "cue {i}: {got:?}");
        }
    }
}
