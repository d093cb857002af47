//! Robust fit of stated → actual time: `actual ≈ offset + rate · stated`.
//!
//! 1. **Rate**: Theil–Sen, the median of the slopes of all pairs of points (pairs with equal
//!    stated times are skipped), by the aligner's `stats::theil_sen_slope`: above
//!    `stats::MAX_PAIRS` pairs, that many pairs are drawn with a
//!    fixed-seed generator, so the result is deterministic.
//! 2. **Offset**: the median of `actual − rate · stated`.
//! 3. **Outliers**: a point is an outlier when `|residual| > max(tolerance, k · σ)` with
//!    `σ = 1.4826 · MAD` of the residuals (floored at `SIGMA_FLOOR_S`).
//! 4. **Refit**: least squares on the inliers, then outliers are judged again; repeated until
//!    the inlier set stops changing.
//! 5. **Cuts and pauses** (optional): the residual series (in stated order) is searched for
//!    steps; a dynamic programme picks breakpoints among them minimising
//!    `Σ min(e², c²)/σ² + penalty · (segments − 1)` with `penalty = segment_penalty · ln n`
//!    (BIC would use 2: one offset and one breakpoint per extra segment). Segments share one
//!    rate (a clock runs at one speed; a cut only moves the offset) and each has its own
//!    offset. The piecewise model is kept only when its penalised cost is below the single
//!    line's, every segment has at least `min_segment_stamps` points and neighbouring
//!    offsets differ by at least the tolerance.
//!
//! A handful of wild stamps cannot move the fit: Theil–Sen and the median offset break down
//! only when about 29% (rate) and 50% (offset) of the points are bad.

use crate::stats::{self, theil_sen_slope};

/// Noise floor for σ in seconds: stamps noted to the second carry ±0.5 s of rounding
/// (σ ≈ 0.29 s), so a smaller σ would make every rounding look like a step.
pub(crate) const SIGMA_FLOOR_S: f64 = 0.25;

/// Largest number of outlier-rule / refit rounds.
const MAX_REFITS: usize = 10;
/// Largest number of segment/rate alternations of the piecewise fit.
const MAX_PIECEWISE_ROUNDS: usize = 5;
/// Largest number of step candidates the piecewise search examines.
const MAX_STEPS: usize = 12;

/// Options of [`fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct FitOptions {
    /// Residuals within this many seconds are never outliers. Default 2.0.
    pub tolerance_s: f64,
    /// `k` of the outlier rule `|residual| > max(tolerance_s, k · σ)`. Default 3.0.
    pub outlier_k: f64,
    /// Look for cuts and pauses (piecewise offsets). Default true.
    pub piecewise: bool,
    /// Penalty per extra segment in units of `ln n` (BIC would be 2). Default 3.0.
    pub segment_penalty: f64,
    /// Fewest points in a segment. Default 5.
    pub min_segment_stamps: usize,
    /// A rate further than this many percent from 1 is not believed: the fit falls back to
    /// rate 1 (offsets only). Default 10.0.
    pub max_drift_percent: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            tolerance_s: 2.0,
            outlier_k: 3.0,
            piecewise: true,
            segment_penalty: 3.0,
            min_segment_stamps: 5,
            max_drift_percent: 10.0,
        }
    }
}

/// One stretch of the recording with its own offset.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentFit {
    /// Offset in seconds: `actual ≈ offset_s + rate · stated` within the segment.
    pub offset_s: f64,
    /// Smallest stated time in the segment.
    pub from_x: f64,
    /// Largest stated time in the segment.
    pub to_x: f64,
    /// Input index of the point with the smallest stated time.
    pub first_point: usize,
    /// Input index of the point with the largest stated time.
    pub last_point: usize,
    /// Points in the segment.
    pub points: usize,
    /// Inliers in the segment.
    pub inliers: usize,
}

/// The fitted model.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// Seconds of audio per stated second (shared by all segments).
    pub rate: f64,
    /// At least one segment, in stated order; more than one when a cut or pause was found.
    pub segments: Vec<SegmentFit>,
    /// Per input point: kept by the outlier rule.
    pub inlier: Vec<bool>,
    /// Per input point: its segment.
    pub segment_of: Vec<usize>,
    /// Median absolute deviation of the inliers' residuals, seconds.
    pub residual_mad_s: f64,
    /// Root mean square of the inliers' residuals, seconds.
    pub residual_rms_s: f64,
    /// The robust noise scale σ (floored at `SIGMA_FLOOR_S`).
    pub sigma_s: f64,
    /// The outlier threshold `max(tolerance, k · σ)`.
    pub outlier_threshold_s: f64,
    /// The rate was fixed at 1 (fewer than 3 distinct stated times, or an implausible rate).
    pub rate_fixed: bool,
}

impl Fit {
    /// Offset of the first segment.
    pub fn offset_s(&self) -> f64 {
        self.segments[0].offset_s
    }

    /// Number of inliers.
    pub fn inliers(&self) -> usize {
        self.inlier.iter().filter(|&&b| b).count()
    }

    /// Drift in percent: `(rate − 1) · 100`; positive when stamps run slow.
    pub fn drift_percent(&self) -> f64 {
        (self.rate - 1.0) * 100.0
    }

    /// Where the fit puts stated time `x` (in a gap between segments, the earlier one).
    pub fn predict(&self, x: f64) -> f64 {
        let s = self.segment_at(x).0;
        self.segments[s].offset_s + self.rate * x
    }

    /// `actual − predicted` for a stamp at `x` whose turn starts at `actual`; in a gap between
    /// two segments the nearer of the two predictions is used (the cut lies in the gap).
    pub fn residual(&self, x: f64, actual: f64) -> f64 {
        let (a, b) = self.segment_at(x);
        let ra = actual - self.segments[a].offset_s - self.rate * x;
        let rb = actual - self.segments[b].offset_s - self.rate * x;
        if rb.abs() < ra.abs() { rb } else { ra }
    }

    /// The segment containing `x`, or the two around the gap it falls in.
    fn segment_at(&self, x: f64) -> (usize, usize) {
        let last = self.segments.len() - 1;
        for (i, seg) in self.segments.iter().enumerate() {
            if x <= seg.to_x {
                return if x >= seg.from_x || i == 0 {
                    (i, i)
                } else {
                    (i - 1, i)
                };
            }
        }
        (last, last)
    }
}

/// [`stats::median`] of an iterator's values.
pub(crate) fn median(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let mut v: Vec<f64> = values.into_iter().collect();
    stats::median(&mut v)
}

/// Median absolute deviation about the median.
fn mad(values: &[f64]) -> f64 {
    let Some(m) = median(values.iter().copied()) else {
        return 0.0;
    };
    median(values.iter().map(|v| (v - m).abs())).unwrap_or(0.0)
}

/// Fits `y ≈ offset + rate · x` robustly (see the module docs). Points with a non-finite
/// coordinate are left out (never inliers, segment 0). `None` when no point is usable or
/// the lengths differ.
pub fn fit(x: &[f64], y: &[f64], options: &FitOptions) -> Option<Fit> {
    if x.len() != y.len() {
        return None;
    }
    let mut order: Vec<usize> = (0..x.len())
        .filter(|&i| x[i].is_finite() && y[i].is_finite())
        .collect();
    if order.is_empty() {
        return None;
    }
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
    let xs: Vec<f64> = order.iter().map(|&i| x[i]).collect();
    let ys: Vec<f64> = order.iter().map(|&i| y[i]).collect();

    let single = fit_ranges(&xs, &ys, &[(0, xs.len())], None, false, options);
    let model = if options.piecewise {
        piecewise(&xs, &ys, &single, options).unwrap_or(single)
    } else {
        single
    };
    Some(model.into_fit(&xs, &order, x.len()))
}

/// A model over points sorted by x.
#[derive(Debug, Clone)]
struct Model {
    rate: f64,
    rate_fixed: bool,
    ranges: Vec<(usize, usize)>,
    offsets: Vec<f64>,
    inlier: Vec<bool>,
    residuals: Vec<f64>,
    sigma: f64,
    threshold: f64,
}

impl Model {
    fn into_fit(self, xs: &[f64], order: &[usize], n: usize) -> Fit {
        let mut inlier = vec![false; n];
        let mut segment_of = vec![0; n];
        let mut segments = Vec::with_capacity(self.ranges.len());
        for (s, &(a, b)) in self.ranges.iter().enumerate() {
            for k in a..b {
                inlier[order[k]] = self.inlier[k];
                segment_of[order[k]] = s;
            }
            segments.push(SegmentFit {
                offset_s: self.offsets[s],
                from_x: xs[a],
                to_x: xs[b - 1],
                first_point: order[a],
                last_point: order[b - 1],
                points: b - a,
                inliers: self.inlier[a..b].iter().filter(|&&i| i).count(),
            });
        }
        let inlier_res: Vec<f64> = self
            .residuals
            .iter()
            .zip(&self.inlier)
            .filter_map(|(r, &keep)| keep.then_some(*r))
            .collect();
        let rms = if inlier_res.is_empty() {
            0.0
        } else {
            (inlier_res.iter().map(|r| r * r).sum::<f64>() / inlier_res.len() as f64).sqrt()
        };
        Fit {
            rate: self.rate,
            segments,
            inlier,
            segment_of,
            residual_mad_s: mad(&inlier_res),
            residual_rms_s: rms,
            sigma_s: self.sigma,
            outlier_threshold_s: self.threshold,
            rate_fixed: self.rate_fixed,
        }
    }
}

/// Fits one shared rate and one offset per range, with the outlier rule and least-squares
/// refits. `rate_hint` replaces the Theil–Sen start when given.
fn fit_ranges(
    xs: &[f64],
    ys: &[f64],
    ranges: &[(usize, usize)],
    rate_hint: Option<f64>,
    force_fixed: bool,
    options: &FitOptions,
) -> Model {
    let plausible =
        |r: f64| r.is_finite() && ((r - 1.0) * 100.0).abs() <= options.max_drift_percent;
    let distinct = xs.windows(2).filter(|w| w[1] != w[0]).count() + 1;
    let mut rate_fixed = force_fixed || distinct < 3;
    let mut rate = 1.0;
    if !rate_fixed {
        match rate_hint.or_else(|| theil_sen_slope(xs, ys, ranges)) {
            Some(r) if plausible(r) => rate = r,
            _ => rate_fixed = true,
        }
    }
    let mut offsets: Vec<f64> = ranges
        .iter()
        .map(|&(a, b)| median((a..b).map(|k| ys[k] - rate * xs[k])).unwrap_or(0.0))
        .collect();
    let seg_of = segment_index(ranges, xs.len());

    let mut previous: Option<Vec<bool>> = None;
    let mut round = 0;
    loop {
        let residuals: Vec<f64> = (0..xs.len())
            .map(|k| ys[k] - offsets[seg_of[k]] - rate * xs[k])
            .collect();
        let sigma = (1.4826 * mad(&residuals)).max(SIGMA_FLOOR_S);
        let threshold = options.tolerance_s.max(options.outlier_k * sigma);
        let inlier: Vec<bool> = residuals.iter().map(|r| r.abs() <= threshold).collect();
        round += 1;
        if previous.as_ref() == Some(&inlier) || round > MAX_REFITS {
            return Model {
                rate,
                rate_fixed,
                ranges: ranges.to_vec(),
                offsets,
                inlier,
                residuals,
                sigma,
                threshold,
            };
        }
        // Least squares on the inliers: pooled within-segment slope, per-segment intercepts.
        let mut sxx = 0.0;
        let mut sxy = 0.0;
        let mut means = Vec::with_capacity(ranges.len());
        for &(a, b) in ranges {
            let idx: Vec<usize> = (a..b).filter(|&k| inlier[k]).collect();
            if idx.is_empty() {
                means.push(None);
                continue;
            }
            let n = idx.len() as f64;
            let mx = idx.iter().map(|&k| xs[k]).sum::<f64>() / n;
            let my = idx.iter().map(|&k| ys[k]).sum::<f64>() / n;
            for &k in &idx {
                sxx += (xs[k] - mx) * (xs[k] - mx);
                sxy += (xs[k] - mx) * (ys[k] - my);
            }
            means.push(Some((mx, my)));
        }
        if !rate_fixed && sxx > 0.0 && plausible(sxy / sxx) {
            rate = sxy / sxx;
        }
        for (s, &(a, b)) in ranges.iter().enumerate() {
            offsets[s] = match means[s] {
                Some((mx, my)) => my - rate * mx,
                None => median((a..b).map(|k| ys[k] - rate * xs[k])).unwrap_or(offsets[s]),
            };
        }
        previous = Some(inlier);
    }
}

fn segment_index(ranges: &[(usize, usize)], n: usize) -> Vec<usize> {
    let mut seg_of = vec![0; n];
    for (s, &(a, b)) in ranges.iter().enumerate() {
        seg_of[a..b].fill(s);
    }
    seg_of
}

/// The capped squared cost shared by the segment search and the model comparison.
#[derive(Debug, Clone, Copy)]
struct Cost {
    sigma: f64,
    cap: f64,
}

impl Cost {
    fn point(self, e: f64) -> f64 {
        let e = e.abs().min(self.cap);
        e * e / (self.sigma * self.sigma)
    }

    /// Cost of `r` around its own median.
    fn level(self, r: &[f64], scratch: &mut Vec<f64>) -> f64 {
        scratch.clear();
        scratch.extend_from_slice(r);
        let m = stats::median(scratch).unwrap_or(0.0);
        r.iter().map(|v| self.point(v - m)).sum()
    }

    fn model(self, m: &Model) -> f64 {
        m.residuals.iter().map(|&e| self.point(e)).sum()
    }
}

/// Tries a piecewise model; `Some` only when it beats `single` by the penalised cost.
fn piecewise(xs: &[f64], ys: &[f64], single: &Model, options: &FitOptions) -> Option<Model> {
    let n = xs.len();
    let min_seg = options.min_segment_stamps.max(2);
    if n < 2 * min_seg {
        return None;
    }
    // Noise scale from first differences: a step touches one difference, drift adds a
    // constant that the MAD ignores.
    let r0: Vec<f64> = (0..n).map(|k| ys[k] - single.rate * xs[k]).collect();
    let diffs: Vec<f64> = r0.windows(2).map(|w| w[1] - w[0]).collect();
    let sigma = (1.4826 * mad(&diffs) / std::f64::consts::SQRT_2).max(SIGMA_FLOOR_S);
    let cost = Cost {
        sigma,
        cap: options.tolerance_s.max(options.outlier_k * sigma),
    };
    let penalty = options.segment_penalty * (n as f64).ln();

    let mut rate = single.rate;
    let mut ranges: Vec<(usize, usize)> = vec![(0, n)];
    for _ in 0..MAX_PIECEWISE_ROUNDS {
        let r: Vec<f64> = (0..n).map(|k| ys[k] - rate * xs[k]).collect();
        let candidates = step_candidates(&r, min_seg, cost.cap);
        let found = best_segmentation(&r, &candidates, min_seg, cost, penalty);
        if found.len() == 1 {
            return None;
        }
        let new_rate = if single.rate_fixed {
            rate
        } else {
            theil_sen_slope(xs, ys, &found).unwrap_or(rate)
        };
        let settled = found == ranges && (new_rate - rate).abs() < 1e-9;
        ranges = found;
        rate = new_rate;
        if settled {
            break;
        }
    }

    // Refit, merging neighbours whose offsets differ by less than the tolerance.
    let mut model = fit_ranges(xs, ys, &ranges, Some(rate), single.rate_fixed, options);
    loop {
        let close = model
            .offsets
            .windows(2)
            .position(|w| (w[1] - w[0]).abs() < options.tolerance_s);
        let Some(i) = close else { break };
        let mut merged = model.ranges.clone();
        merged[i].1 = merged[i + 1].1;
        merged.remove(i + 1);
        if merged.len() == 1 {
            return None;
        }
        model = fit_ranges(
            xs,
            ys,
            &merged,
            Some(model.rate),
            single.rate_fixed,
            options,
        );
    }
    let penalised = cost.model(&model) + penalty * (model.ranges.len() - 1) as f64;
    (penalised < cost.model(single)).then_some(model)
}

/// Positions where the residual series steps by at least `min_jump`: the median of the `w`
/// points after minus the median of the `w` before, local maxima only, the strongest
/// [`MAX_STEPS`], each widened to its ±`w` neighbourhood for the exact placement.
fn step_candidates(r: &[f64], w: usize, min_jump: f64) -> Vec<usize> {
    let n = r.len();
    if n < 2 * w {
        return Vec::new();
    }
    let mut scratch = Vec::with_capacity(w);
    let mut window_median = |a: usize, b: usize| {
        scratch.clear();
        scratch.extend_from_slice(&r[a..b]);
        stats::median(&mut scratch).unwrap_or(0.0)
    };
    let mut jump = vec![0.0; n + 1];
    for (k, j) in jump.iter_mut().enumerate().take(n - w + 1).skip(w) {
        *j = (window_median(k, k + w) - window_median(k - w, k)).abs();
    }
    let mut peaks: Vec<usize> = (w..=n - w)
        .filter(|&k| {
            jump[k] >= min_jump
                && (k.saturating_sub(w)..=(k + w).min(n))
                    .all(|j| jump[j] < jump[k] || (jump[j] == jump[k] && j >= k))
        })
        .collect();
    peaks.sort_by(|&a, &b| jump[b].total_cmp(&jump[a]).then(a.cmp(&b)));
    peaks.truncate(MAX_STEPS);
    let mut candidates: Vec<usize> = peaks
        .iter()
        .flat_map(|&k| k.saturating_sub(w)..=(k + w))
        .filter(|&k| k > 0 && k < n)
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    candidates
}

/// Dynamic programme over the candidate breakpoints: the ranges minimising
/// `Σ cost(segment) + penalty · (segments − 1)`, each at least `min_seg` long.
fn best_segmentation(
    r: &[f64],
    candidates: &[usize],
    min_seg: usize,
    cost: Cost,
    penalty: f64,
) -> Vec<(usize, usize)> {
    let n = r.len();
    let mut pos = Vec::with_capacity(candidates.len() + 2);
    pos.push(0);
    pos.extend(candidates.iter().copied().filter(|&k| k > 0 && k < n));
    pos.push(n);
    let mut best = vec![f64::INFINITY; pos.len()];
    let mut from = vec![0usize; pos.len()];
    best[0] = 0.0;
    let mut scratch = Vec::new();
    for q in 1..pos.len() {
        for p in 0..q {
            if pos[q] - pos[p] < min_seg || !best[p].is_finite() {
                continue;
            }
            let extra = if p > 0 { penalty } else { 0.0 };
            let total = best[p] + extra + cost.level(&r[pos[p]..pos[q]], &mut scratch);
            if total < best[q] {
                best[q] = total;
                from[q] = p;
            }
        }
    }
    let mut ranges = Vec::new();
    let mut q = pos.len() - 1;
    while q > 0 {
        let p = from[q];
        ranges.push((pos[p], pos[q]));
        q = p;
    }
    ranges.reverse();
    if ranges.is_empty() {
        ranges.push((0, n));
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_handles_few_points() {
        let f = fit(&[10.0], &[12.5], &FitOptions::default()).unwrap();
        assert!(f.rate_fixed);
        assert_eq!(f.rate, 1.0);
        assert!((f.offset_s() - 2.5).abs() < 1e-12);
        let f = fit(&[10.0, 20.0], &[12.0, 40.0], &FitOptions::default()).unwrap();
        assert_eq!(f.rate, 1.0, "two points cannot set a rate");
        assert!(fit(&[], &[], &FitOptions::default()).is_none());
        assert!(fit(&[f64::NAN], &[1.0], &FitOptions::default()).is_none());
    }

    #[test]
    fn implausible_rate_falls_back_to_offsets() {
        let x: Vec<f64> = (0..20).map(|i| i as f64 * 10.0).collect();
        let y: Vec<f64> = x.iter().map(|v| 5.0 + 1.5 * v).collect();
        let f = fit(&x, &y, &FitOptions::default()).unwrap();
        assert!(f.rate_fixed);
        assert_eq!(f.rate, 1.0);
    }

    #[test]
    fn no_segments_on_a_clean_line_with_outliers() {
        let (x, y) = stats::seeded_line(300, 11, 5);
        let f = fit(&x, &y, &FitOptions::default()).unwrap();
        assert_eq!(f.segments.len(), 1);
        assert!((f.rate - 1.002).abs() < 1e-4);
    }
}
