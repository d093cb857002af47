//! Triangular mel filterbank (HTK mel scale) over the power spectrum.

use super::spectrum::{FFT_SIZE, SPECTRUM_BINS};
use crate::time::SAMPLE_RATE;

/// One triangular filter: its first bin and weights.
#[derive(Debug, Clone)]
struct Filter {
    first_bin: usize,
    weights: Vec<f32>,
}

/// A bank of triangular filters; sparse, so applying it costs ~2 multiplies per bin.
#[derive(Debug, Clone)]
pub struct MelBank {
    filters: Vec<Filter>,
    centres_hz: Vec<f32>,
}

fn hz_to_mel(hz: f32) -> f32 {
    2595.0 * (1.0 + hz / 700.0).log10()
}

fn mel_to_hz(mel: f32) -> f32 {
    700.0 * (10f32.powf(mel / 2595.0) - 1.0)
}

impl MelBank {
    /// `bands` filters spaced evenly on the mel scale between `low_hz` and `high_hz`.
    pub fn new(bands: usize, low_hz: f32, high_hz: f32) -> MelBank {
        let (lo, hi) = (hz_to_mel(low_hz), hz_to_mel(high_hz));
        let edges: Vec<f32> = (0..bands + 2)
            .map(|i| mel_to_hz(lo + (hi - lo) * i as f32 / (bands + 1) as f32))
            .collect();
        let bin_hz = SAMPLE_RATE as f32 / FFT_SIZE as f32;
        let filters = (0..bands)
            .map(|b| {
                let (left, centre, right) = (edges[b], edges[b + 1], edges[b + 2]);
                let first_bin = (left / bin_hz).ceil() as usize;
                let last_bin = ((right / bin_hz).floor() as usize).min(SPECTRUM_BINS - 1);
                let weights = (first_bin..=last_bin)
                    .map(|k| {
                        let f = k as f32 * bin_hz;
                        if f <= centre {
                            (f - left) / (centre - left)
                        } else {
                            (right - f) / (right - centre)
                        }
                    })
                    .map(|w| w.max(0.0))
                    .collect();
                Filter { first_bin, weights }
            })
            .collect();
        MelBank {
            filters,
            centres_hz: edges[1..=bands].to_vec(),
        }
    }

    /// Number of bands.
    pub fn bands(&self) -> usize {
        self.filters.len()
    }

    /// Centre frequency of each band, Hz.
    pub fn centres_hz(&self) -> &[f32] {
        &self.centres_hz
    }

    /// Natural log of each band's energy (floored at 1e-10) into `out`.
    pub fn log_energies_into(&self, power: &[f32], out: &mut [f32]) {
        for (filter, slot) in self.filters.iter().zip(out.iter_mut()) {
            let bins = &power[filter.first_bin..filter.first_bin + filter.weights.len()];
            let energy: f32 = bins.iter().zip(&filter.weights).map(|(p, w)| p * w).sum();
            *slot = energy.max(1e-10).ln();
        }
    }

    /// Reference: the same through a dense weight matrix recomputed per call (tests only).
    pub fn log_energies_naive(&self, power: &[f32]) -> Vec<f32> {
        self.filters
            .iter()
            .map(|f| {
                let mut dense = vec![0.0f64; SPECTRUM_BINS];
                for (i, w) in f.weights.iter().enumerate() {
                    dense[f.first_bin + i] = f64::from(*w);
                }
                let e: f64 = dense
                    .iter()
                    .zip(power)
                    .map(|(w, p)| w * f64::from(*p))
                    .sum();
                (e.max(1e-10) as f32).ln()
            })
            .collect()
    }
}
