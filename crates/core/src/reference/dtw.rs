//! Dynamic time warping of a reference frame sequence onto a stretch of the recording,
//! inside a band: the performance-critical core of word-level alignment.
//!
//! Both sequences are per-frame feature vectors plus a speech weight in [0, 1]. Speech
//! against speech costs the feature distance; speech against silence costs a fixed
//! mismatch; silence against silence is free, so the path crosses pauses of any length
//! without paying for them. The path may start and end anywhere in the band of the first
//! and last reference frames (subsequence warping), so a window may hold audio the
//! reference does not cover; speech left out before the start or after the end costs
//! [`Costs::skip`] per frame, so the reference cannot shrink onto part of its speech. Only the cells inside the band are computed and stored (one
//! byte each for the path), so cost and memory grow with reference length × band width.

/// A sequence of frames: `dims` features per frame and a speech weight per frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Frames {
    /// Features per frame.
    pub dims: usize,
    /// `dims` values per frame, frame after frame.
    pub values: Vec<f32>,
    /// Speech weight of each frame, 0 (silence) to 1 (speech).
    pub speech: Vec<f32>,
}

impl Frames {
    /// Frames held.
    pub fn len(&self) -> usize {
        self.speech.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.speech.is_empty()
    }

    fn frame(&self, i: usize) -> &[f32] {
        &self.values[i * self.dims..(i + 1) * self.dims]
    }

    /// Averages of `factor` consecutive frames (the last group may be shorter).
    pub fn decimate(&self, factor: usize) -> Frames {
        let factor = factor.max(1);
        let groups = self.len().div_ceil(factor);
        let mut values = vec![0.0; groups * self.dims];
        let mut speech = vec![0.0; groups];
        for g in 0..groups {
            let (from, to) = (g * factor, ((g + 1) * factor).min(self.len()));
            let n = (to - from) as f32;
            let out = &mut values[g * self.dims..(g + 1) * self.dims];
            for i in from..to {
                for (o, &v) in out.iter_mut().zip(self.frame(i)) {
                    *o += v / n;
                }
                speech[g] += self.speech[i] / n;
            }
        }
        Frames {
            dims: self.dims,
            values,
            speech,
        }
    }

    /// Scales every feature to zero mean and unit spread over the speech frames, so a
    /// voice and a channel differ less than sounds do.
    pub fn normalise(&mut self) {
        let dims = self.dims;
        let mut mean = vec![0.0f64; dims];
        let mut square = vec![0.0f64; dims];
        let mut weight = 0.0f64;
        for i in 0..self.len() {
            let w = f64::from(self.speech[i]);
            for (d, &v) in self.frame(i).iter().enumerate() {
                mean[d] += w * f64::from(v);
                square[d] += w * f64::from(v) * f64::from(v);
            }
            weight += w;
        }
        if weight < 1.0 {
            return;
        }
        let scale: Vec<(f32, f32)> = (0..dims)
            .map(|d| {
                let m = mean[d] / weight;
                let var = (square[d] / weight - m * m).max(1e-6);
                (m as f32, (1.0 / var.sqrt()) as f32)
            })
            .collect();
        for frame in self.values.chunks_exact_mut(dims) {
            for (v, &(m, s)) in frame.iter_mut().zip(&scale) {
                *v = (*v - m) * s;
            }
        }
    }
}

/// A soft pull on one reference frame towards an audio frame: the path pays `weight` per
/// frame of distance from `target`, up to `cap` frames, wherever it matches that reference
/// frame (capped, so a clearly better match far away still wins).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchor {
    /// Reference frame.
    pub row: usize,
    /// Audio frame it is expected at.
    pub target: u32,
    /// Cost per frame of distance.
    pub weight: f32,
    /// Distance beyond which the cost stops growing, frames.
    pub cap: u32,
}

/// For each reference frame, the audio frames `lo..hi` the path may visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// First allowed audio frame per reference frame (non-decreasing).
    pub lo: Vec<u32>,
    /// One past the last allowed audio frame per reference frame (non-decreasing).
    pub hi: Vec<u32>,
}

impl Band {
    /// A band `radius` frames either side of `guide` (per reference frame, the first and
    /// last audio frame it is expected near), clipped to `0..audio_len` and widened until
    /// a path can always get from one row to the next.
    pub fn around(guide: &[(u32, u32)], radius: u32, audio_len: u32) -> Band {
        let n = guide.len();
        let audio_len = audio_len.max(1);
        let mut lo: Vec<u32> = guide
            .iter()
            .map(|&(a, _)| a.saturating_sub(radius).min(audio_len - 1))
            .collect();
        let mut hi: Vec<u32> = guide
            .iter()
            .map(|&(a, b)| (b.max(a) + radius + 1).min(audio_len))
            .collect();
        for i in 1..n {
            hi[i] = hi[i].max(hi[i - 1]);
        }
        for i in (0..n.saturating_sub(1)).rev() {
            lo[i] = lo[i].min(lo[i + 1]);
        }
        for i in 0..n {
            hi[i] = hi[i].max(lo[i] + 1);
            if i > 0 {
                lo[i] = lo[i].min(hi[i - 1]);
            }
        }
        Band { lo, hi }
    }

    /// Cells inside the band.
    pub fn cells(&self) -> usize {
        self.lo
            .iter()
            .zip(&self.hi)
            .map(|(&l, &h)| (h - l) as usize)
            .sum()
    }
}

/// Where each reference frame landed.
#[derive(Debug, Clone, PartialEq)]
pub struct Warp {
    /// First audio frame matched with each reference frame.
    pub first: Vec<u32>,
    /// Last audio frame matched with each reference frame.
    pub last: Vec<u32>,
    /// Mean cost of the cells on the path in each reference row (how well it matched).
    pub row_cost: Vec<f32>,
    /// Cost of the whole path.
    pub total: f32,
}

impl Warp {
    /// The path at half the resolution of a warp made on frames decimated by `factor`,
    /// as a guide for `len` full-resolution reference frames.
    pub fn expand(&self, factor: usize, len: usize) -> Vec<(u32, u32)> {
        let f = factor as u32;
        (0..len)
            .map(|i| {
                let g = (i / factor).min(self.first.len().saturating_sub(1));
                (self.first[g] * f, self.last[g] * f + f - 1)
            })
            .collect()
    }
}

/// What the path pays.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Costs {
    /// Speech matched with silence, per frame.
    pub mismatch: f32,
    /// Recording speech left outside the path, per frame (times its speech weight).
    pub skip: f32,
    /// A step that stretches or squeezes speech (one side stays on its frame while the other
    /// moves on), per step, times both speech weights: real speech is seldom many times
    /// slower or faster than the reference for long. Pauses stretch freely.
    pub stretch: f32,
}

const DIAGONAL: u8 = 0;
const VERTICAL: u8 = 1;
const HORIZONTAL: u8 = 2;
const START: u8 = 3;

fn cost(reference: &Frames, i: usize, audio: &Frames, j: usize, costs: Costs) -> f32 {
    let mismatch = costs.mismatch;
    let (ps, pa) = (reference.speech[i], audio.speech[j]);
    let both = ps * pa;
    let apart = ps * (1.0 - pa) + (1.0 - ps) * pa;
    let distance = if both > 0.0 {
        let sum: f32 = reference
            .frame(i)
            .iter()
            .zip(audio.frame(j))
            .map(|(a, b)| (a - b) * (a - b))
            .sum();
        (sum / reference.dims as f32).sqrt()
    } else {
        0.0
    };
    both * distance + apart * mismatch
}

/// Warps `reference` onto `audio` inside `band` (one row per reference frame), pulled by
/// `anchors`. `None` when either sequence is empty or the band does not fit them.
pub fn warp(
    reference: &Frames,
    audio: &Frames,
    band: &Band,
    costs: Costs,
    anchors: &[Anchor],
) -> Option<Warp> {
    let n = reference.len();
    if n == 0 || audio.is_empty() || band.lo.len() != n || band.hi.len() != n {
        return None;
    }
    if band.hi.iter().any(|&h| h as usize > audio.len()) {
        return None;
    }
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0usize);
    for i in 0..n {
        offsets.push(offsets[i] + (band.hi[i] - band.lo[i]) as usize);
    }
    // Speech left out before frame j costs skip × skipped[j]; after it, the rest.
    let mut skipped = Vec::with_capacity(audio.len() + 1);
    skipped.push(0.0f32);
    for &p in &audio.speech {
        skipped.push(skipped.last().copied().unwrap_or(0.0) + p * costs.skip);
    }
    let mut pull: Vec<Option<&Anchor>> = vec![None; n];
    for a in anchors.iter().filter(|a| a.row < n) {
        pull[a.row] = Some(a);
    }
    let anchored = |i: usize, j: usize, local: f32| match pull[i] {
        Some(a) => local + a.weight * (j as u32).abs_diff(a.target).min(a.cap) as f32,
        None => local,
    };
    let mut steps = vec![START; offsets[n]];
    let mut previous: Vec<f32> = Vec::new();
    let mut current: Vec<f32> = Vec::new();
    for i in 0..n {
        let (lo, hi) = (band.lo[i] as usize, band.hi[i] as usize);
        current.clear();
        let row = &mut steps[offsets[i]..offsets[i + 1]];
        let (plo, phi) = if i > 0 {
            (band.lo[i - 1] as usize, band.hi[i - 1] as usize)
        } else {
            (0, 0)
        };
        for j in lo..hi {
            let local = anchored(i, j, cost(reference, i, audio, j, costs));
            if i == 0 {
                // Start here, leaving the speech before unmatched, or stay on the first
                // reference frame from the frame before.
                let stay = if j > lo {
                    current[j - 1 - lo]
                } else {
                    f32::INFINITY
                };
                if stay < skipped[j] {
                    row[j - lo] = HORIZONTAL;
                }
                current.push(local + stay.min(skipped[j]));
                continue;
            }
            let off_diagonal = costs.stretch * reference.speech[i] * audio.speech[j];
            let mut best = f32::INFINITY;
            let mut step = START;
            if j > plo && j - 1 < phi {
                best = previous[j - 1 - plo];
                step = DIAGONAL;
            }
            if j >= plo && j < phi && previous[j - plo] + off_diagonal < best {
                best = previous[j - plo] + off_diagonal;
                step = VERTICAL;
            }
            if j > lo && current[j - 1 - lo] + off_diagonal < best {
                best = current[j - 1 - lo] + off_diagonal;
                step = HORIZONTAL;
            }
            row[j - lo] = step;
            current.push(best + local);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    let all_skipped = skipped[audio.len()];
    let (mut j, total) = previous
        .iter()
        .enumerate()
        .map(|(k, &d)| {
            let j = k + band.lo[n - 1] as usize;
            (j, d + all_skipped - skipped[j + 1])
        })
        .filter(|(_, d)| d.is_finite())
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    let mut first = vec![0u32; n];
    let mut last = vec![0u32; n];
    let mut row_sum = vec![0.0f32; n];
    let mut row_cells = vec![0u32; n];
    let mut i = n - 1;
    last[i] = j as u32;
    loop {
        first[i] = j as u32;
        row_sum[i] += anchored(i, j, cost(reference, i, audio, j, costs));
        row_cells[i] += 1;
        match steps[offsets[i] + j - band.lo[i] as usize] {
            DIAGONAL => {
                i -= 1;
                j -= 1;
                last[i] = j as u32;
            }
            VERTICAL => {
                i -= 1;
                last[i] = j as u32;
            }
            HORIZONTAL => j -= 1,
            _ => break,
        }
    }
    if i != 0 {
        return None;
    }
    let row_cost = row_sum
        .iter()
        .zip(&row_cells)
        .map(|(&s, &c)| s / c.max(1) as f32)
        .collect();
    Some(Warp {
        first,
        last,
        row_cost,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(values: &[f32], speech: &[f32]) -> Frames {
        Frames {
            dims: 1,
            values: values.to_vec(),
            speech: speech.to_vec(),
        }
    }

    const COSTS: Costs = Costs {
        mismatch: 5.0,
        skip: 0.0,
        stretch: 0.0,
    };

    fn full_band(n: usize, m: usize) -> Band {
        Band {
            lo: vec![0; n],
            hi: vec![m as u32; n],
        }
    }

    #[test]
    fn finds_a_reference_inside_longer_audio() {
        // Reference 1 2 3 sits at audio frames 4..7, stretched: 1 1 2 3 3.
        let reference = frames(&[1.0, 2.0, 3.0], &[1.0; 3]);
        let audio = frames(
            &[9.0, 9.0, 7.0, 8.0, 1.0, 1.0, 2.0, 3.0, 3.0, 8.0],
            &[1.0; 10],
        );
        let costs = Costs {
            mismatch: 5.0,
            skip: 1.0,
            stretch: 0.0,
        };
        let w = warp(&reference, &audio, &full_band(3, 10), costs, &[]).unwrap();
        assert_eq!(w.first, vec![4, 6, 7]);
        assert_eq!(w.last, vec![5, 6, 8]);
        assert!(w.row_cost.iter().all(|&c| c == 0.0));
    }

    #[test]
    fn pauses_of_any_length_are_free_and_speech_is_not_matched_to_silence() {
        // Reference: speech 1, a pause, speech 2. Audio: 1, a long pause, 2.
        let reference = frames(&[1.0, 0.0, 2.0], &[1.0, 0.0, 1.0]);
        let audio = frames(
            &[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0],
            &[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
        );
        let w = warp(&reference, &audio, &full_band(3, 7), COSTS, &[]).unwrap();
        assert_eq!((w.first[2], w.last[0]), (6, 0));
        assert_eq!((w.first[1], w.last[1]), (1, 5));
    }

    #[test]
    fn skipped_speech_keeps_the_reference_from_shrinking() {
        // The recording says 1 1 2 2 3 3 (slower); the reference 1 2 3. For free, the path
        // would cover only the middle; paying for skipped speech, it covers all of it.
        let reference = frames(&[1.0, 2.0, 3.0], &[1.0; 3]);
        let audio = frames(
            &[0.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 0.0],
            &[0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0],
        );
        let free = warp(&reference, &audio, &full_band(3, 8), COSTS, &[]).unwrap();
        assert_eq!(free.first[0], free.last[0]);
        let paying = Costs {
            mismatch: 5.0,
            skip: 2.0,
            stretch: 0.0,
        };
        let w = warp(&reference, &audio, &full_band(3, 8), paying, &[]).unwrap();
        assert_eq!((w.first[0], w.last[2]), (1, 6));
    }

    #[test]
    fn an_anchor_pulls_a_frame_to_its_target_between_equal_matches() {
        let reference = frames(&[1.0, 2.0], &[1.0; 2]);
        let audio = frames(&[1.0, 2.0, 9.0, 9.0, 1.0, 2.0], &[1.0; 6]);
        let pull = |target| Anchor {
            row: 0,
            target,
            weight: 0.5,
            cap: 10,
        };
        for target in [0, 4] {
            let w = warp(&reference, &audio, &full_band(2, 6), COSTS, &[pull(target)]).unwrap();
            assert_eq!(w.first[0], target);
        }
    }

    #[test]
    fn the_band_limits_the_path() {
        let reference = frames(&[1.0, 2.0], &[1.0; 2]);
        let audio = frames(&[1.0, 2.0, 9.0, 9.0, 1.0, 2.0], &[1.0; 6]);
        // Without a band the first match wins a tie or the later one; with a band only the
        // later one is allowed.
        let band = Band {
            lo: vec![3, 4],
            hi: vec![6, 6],
        };
        let w = warp(&reference, &audio, &band, COSTS, &[]).unwrap();
        assert_eq!(w.first, vec![4, 5]);
        assert_eq!(band.cells(), 5);
    }

    #[test]
    fn a_band_that_does_not_fit_the_audio_is_refused() {
        let reference = frames(&[1.0], &[1.0]);
        let audio = frames(&[1.0], &[1.0]);
        let band = Band {
            lo: vec![0],
            hi: vec![2],
        };
        assert!(warp(&reference, &audio, &band, COSTS, &[]).is_none());
        assert!(warp(&frames(&[], &[]), &audio, &full_band(0, 1), COSTS, &[]).is_none());
    }

    #[test]
    fn band_around_a_guide_is_monotone_and_connected() {
        let guide = [(10, 12), (5, 5), (30, 40), (31, 31)];
        let band = Band::around(&guide, 2, 35);
        assert_eq!(band.lo, vec![3, 3, 15, 29]);
        assert_eq!(band.hi, vec![15, 15, 35, 35]);
        for i in 1..guide.len() {
            assert!(band.lo[i] >= band.lo[i - 1] && band.hi[i] >= band.hi[i - 1]);
            assert!(band.lo[i] <= band.hi[i - 1]);
        }
    }

    #[test]
    fn decimated_and_normalised_frames() {
        let f = frames(&[1.0, 3.0, 5.0, 7.0, 9.0], &[1.0, 1.0, 0.0, 1.0, 1.0]);
        let d = f.decimate(2);
        assert_eq!(d.values, vec![2.0, 6.0, 9.0]);
        assert_eq!(d.speech, vec![1.0, 0.5, 1.0]);
        let mut n = frames(&[1.0, 3.0, 100.0], &[1.0, 1.0, 0.0]);
        n.normalise();
        assert_eq!(&n.values[..2], &[-1.0, 1.0]);
    }

    #[test]
    fn warping_matches_brute_force_on_random_sequences() {
        // Exhaustive check of the best subsequence path cost on tiny inputs.
        let lengths = crate::test_signals::seeded_noise(7, 100, 1.0);
        for trial in 0..50 {
            let n = 1 + (lengths[2 * trial].abs() * 3.0) as usize;
            let m = n + (lengths[2 * trial + 1].abs() * 3.0) as usize;
            let r = crate::test_signals::seeded_noise(100 + trial as u64, n, 1.0);
            let a = crate::test_signals::seeded_noise(200 + trial as u64, m, 1.0);
            let reference = frames(&r, &vec![1.0; n]);
            let audio = frames(&a, &vec![1.0; m]);
            let costs = Costs {
                mismatch: 1.0,
                skip: 0.0,
                stretch: 0.0,
            };
            let w = warp(&reference, &audio, &full_band(n, m), costs, &[]).unwrap();
            let best = brute(&r, &a);
            assert!((w.total - best).abs() < 1e-4, "{} vs {best}", w.total);
        }
    }

    /// Best subsequence DTW cost by recursion over every path.
    fn brute(r: &[f32], a: &[f32]) -> f32 {
        fn go(r: &[f32], a: &[f32], i: usize, j: usize) -> f32 {
            let here = (r[i] - a[j]).abs();
            if i == 0 {
                return here;
            }
            let mut best = f32::INFINITY;
            if j > 0 {
                best = best.min(go(r, a, i - 1, j - 1)).min(go(r, a, i, j - 1));
            }
            best = best.min(go(r, a, i - 1, j));
            here + best
        }
        (0..a.len())
            .map(|j| go(r, a, r.len() - 1, j))
            .fold(f32::INFINITY, f32::min)
    }
}
