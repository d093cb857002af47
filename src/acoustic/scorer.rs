//! Senone scoring: Gaussian densities of every codebook, the top N per codebook stream,
//! and each senone's mixture over them.
//!
//! A senone's likelihood is the product over streams of `sum_j w[s][f][cw_j] N(x_f; cw_j)`
//! over the top-N densities `cw_j` of its codebook's stream `f` (pocketsphinx's PTM scoring,
//! top-N 4), here in natural logs as f32, absolute (not normalised per frame as pocketsphinx
//! does). Frames are scored independently, so results do not depend on the thread count.

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

/// The Gaussians laid out for scoring: per codebook stream, means and precisions
/// transposed to `[dim][density]` so the inner loop runs over densities (vectorises),
/// and the log normaliser per density.
#[derive(Debug, Clone)]
pub(crate) struct GaussianTables {
    n_density: usize,
    /// Per codebook stream (`cb * n_feat + f`): offset of its first dimension in the
    /// feature vector, its length, and where its block starts in `means`/`prec`.
    streams: Vec<(usize, usize, usize)>,
    n_feat: usize,
    means: Vec<f32>,
    /// 1 / (2 var).
    prec: Vec<f32>,
    /// `-0.5 * sum ln(2 pi var)` per codebook stream and density.
    log_norm: Vec<f32>,
}

impl GaussianTables {
    /// Builds the tables from `[codebook][stream][density][dim]` means and floored variances.
    pub fn new(
        means: &[f32],
        vars: &[f32],
        n_cb: usize,
        lens: &[usize],
        n_density: usize,
    ) -> GaussianTables {
        let n_feat = lens.len();
        let mut streams = Vec::with_capacity(n_cb * n_feat);
        let mut t_means = vec![0f32; means.len()];
        let mut t_prec = vec![0f32; means.len()];
        let mut log_norm = vec![0f32; n_cb * n_feat * n_density];
        let mut src = 0;
        for cb in 0..n_cb {
            let mut dim_off = 0;
            for (f, &len) in lens.iter().enumerate() {
                let base = src;
                streams.push((dim_off, len, base));
                for d in 0..n_density {
                    let mut ln = 0f64;
                    for i in 0..len {
                        let k = base + d * len + i;
                        let v = f64::from(vars[k]);
                        t_means[base + i * n_density + d] = means[k];
                        t_prec[base + i * n_density + d] = (1.0 / (2.0 * v)) as f32;
                        ln -= 0.5 * (2.0 * std::f64::consts::PI * v).ln();
                    }
                    log_norm[(cb * n_feat + f) * n_density + d] = ln as f32;
                }
                src += n_density * len;
                dim_off += len;
            }
        }
        GaussianTables {
            n_density,
            streams,
            n_feat,
            means: t_means,
            prec: t_prec,
            log_norm,
        }
    }
}

/// The top-N densities of one codebook stream: indices, and their likelihoods relative
/// to the best (`exp(ll - max)`), with the best log likelihood.
#[derive(Debug, Clone, Copy)]
struct TopN {
    idx: [u16; TOP_N],
    rel: [f32; TOP_N],
    max: f32,
}

/// The indices of the `TOP_N` largest values, best first (earlier index wins ties).
fn top_n(values: &[f32]) -> ([u16; TOP_N], [f32; TOP_N]) {
    let mut idx = [0u16; TOP_N];
    let mut val = [f32::NEG_INFINITY; TOP_N];
    for (d, &v) in values.iter().enumerate() {
        if v > val[TOP_N - 1] {
            let mut k = TOP_N - 1;
            while k > 0 && v > val[k - 1] {
                val[k] = val[k - 1];
                idx[k] = idx[k - 1];
                k -= 1;
            }
            val[k] = v;
            idx[k] = d as u16;
        }
    }
    (idx, val)
}

impl AcousticModel {
    /// Natural-log likelihoods of every senone for every frame of 39-dimensional features
    /// (CMN'd cepstra with deltas, as [`super::frontend::dynamic_features`] makes them).
    pub fn score(&self, feats: &[[f32; 39]]) -> SenoneScores {
        let n_sen = self.n_senones();
        let mut data = vec![0f32; feats.len() * n_sen];
        data.par_chunks_mut(BLOCK_FRAMES * n_sen.max(1))
            .zip(feats.par_chunks(BLOCK_FRAMES))
            .for_each(|(out, block)| {
                let t = &self.tables;
                let mut dens = vec![0f32; t.n_density];
                let (mut prod, mut acc) = (Vec::new(), Vec::new());
                let mut tops = vec![
                    TopN {
                        idx: [0; TOP_N],
                        rel: [0.0; TOP_N],
                        max: 0.0
                    };
                    t.streams.len()
                ];
                for (x, out) in block.iter().zip(out.chunks_mut(n_sen)) {
                    self.codebook_top_n(x, &mut dens, &mut tops);
                    self.senones_from_top_n(&tops, &mut prod, &mut acc, out);
                }
            });
        SenoneScores {
            n_sen,
            n_ci_sen: self.ci_senones(),
            data,
        }
    }

    /// Top-N densities of every codebook stream for one frame.
    fn codebook_top_n(&self, x: &[f32; 39], dens: &mut [f32], tops: &mut [TopN]) {
        let t = &self.tables;
        let nd = t.n_density;
        for (k, &(off, len, base)) in t.streams.iter().enumerate() {
            dens.copy_from_slice(&t.log_norm[k * nd..(k + 1) * nd]);
            for i in 0..len {
                let xi = x[off + i];
                let m = &t.means[base + i * nd..base + (i + 1) * nd];
                let p = &t.prec[base + i * nd..base + (i + 1) * nd];
                for ((acc, &m), &p) in dens.iter_mut().zip(m).zip(p) {
                    let diff = xi - m;
                    *acc -= diff * diff * p;
                }
            }
            let (idx, val) = top_n(dens);
            let max = val[0];
            tops[k] = TopN {
                idx,
                rel: val.map(|v| (v - max).exp()),
                max,
            };
        }
    }

    /// Every senone's log likelihood from the codebooks' top-N densities: per codebook,
    /// the rows of its senones' weights for the top densities, summed (vectorises).
    fn senones_from_top_n(
        &self,
        tops: &[TopN],
        prod: &mut Vec<f32>,
        acc: &mut Vec<f32>,
        out: &mut [f32],
    ) {
        let mx = &self.mixw;
        let nf = self.tables.n_feat;
        let nd = self.n_density;
        for (cb, senones) in mx.cb_senones.iter().enumerate() {
            let ks = senones.len();
            let block = &mx.weights[mx.offsets[cb]..mx.offsets[cb] + nf * nd * ks];
            prod.clear();
            prod.resize(ks, 1.0);
            let mut sum_max = 0f32;
            for (f, top) in tops[cb * nf..(cb + 1) * nf].iter().enumerate() {
                acc.clear();
                acc.resize(ks, 0.0);
                for j in 0..TOP_N {
                    let row = &block[(f * nd + top.idx[j] as usize) * ks..][..ks];
                    let r = top.rel[j];
                    for (a, &w) in acc.iter_mut().zip(row) {
                        *a += w * r;
                    }
                }
                for (p, &a) in prod.iter_mut().zip(acc.iter()) {
                    *p *= a;
                }
                sum_max += top.max;
            }
            for (k, (&s, &p)) in senones.iter().zip(prod.iter()).enumerate() {
                out[s as usize] = if p > f32::MIN_POSITIVE {
                    p.ln() + sum_max
                } else {
                    // Underflow (weights far below the floor): sum the streams' logs instead.
                    let mut ll = 0f32;
                    for (f, top) in tops[cb * nf..(cb + 1) * nf].iter().enumerate() {
                        let a: f32 = (0..TOP_N)
                            .map(|j| block[(f * nd + top.idx[j] as usize) * ks + k] * top.rel[j])
                            .sum();
                        ll += a.ln() + top.max;
                    }
                    ll
                };
            }
        }
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
    pub fn new(
        mixw: &[f32],
        sen2cb: &[u16],
        n_cb: usize,
        n_feat: usize,
        nd: usize,
    ) -> MixtureTables {
        let mut cb_senones = vec![Vec::new(); n_cb];
        let mut place = Vec::with_capacity(sen2cb.len());
        for (s, &cb) in sen2cb.iter().enumerate() {
            place.push((cb, cb_senones[cb as usize].len() as u32));
            cb_senones[cb as usize].push(s as u32);
        }
        let mut offsets = Vec::with_capacity(n_cb);
        let mut weights = vec![0f32; mixw.len()];
        let mut at = 0;
        for senones in &cb_senones {
            offsets.push(at);
            let ks = senones.len();
            for (k, &s) in senones.iter().enumerate() {
                for f in 0..n_feat {
                    for d in 0..nd {
                        weights[at + (f * nd + d) * ks + k] =
                            mixw[(s as usize * n_feat + f) * nd + d];
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

    /// The codebook of senone `s`.
    pub fn codebook(&self, s: usize) -> usize {
        self.place[s].0 as usize
    }

    /// The weight of density `d` of stream `f` in senone `s`.
    pub fn weight(&self, s: usize, f: usize, d: usize) -> f32 {
        let (cb, k) = self.place[s];
        let cb = cb as usize;
        let ks = self.cb_senones[cb].len();
        self.weights[self.offsets[cb] + (f * self.n_density + d) * ks + k as usize]
    }
}

/// The straightforward twin of [`AcousticModel::score`] for tests: every density from the
/// raw means and variances in f64, a full sort for the top N, log-sum-exp over log weights.
#[doc(hidden)]
pub fn score_naive(model: &AcousticModel, feats: &[[f32; 39]]) -> SenoneScores {
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
