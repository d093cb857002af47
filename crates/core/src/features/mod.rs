//! Per-frame features, computed in parallel: 25 ms Hann windows every 10 ms on 16 kHz audio.
//!
//! Each frame gets its energy, a log-mel spectrum (for the VAD and boundary cues), MFCCs
//! (for comparing stretches of speech) and a voicing strength (for telling speech from
//! knocks and rustle). Kernels live one per file; [`Extractor`] streams samples in and
//! hands out [`FeatureBlock`]s.
//!
//! [`Extractor`], [`FeatureBlock`] and [`CepstrumStore`] are what the align stage reads; the
//! kernels ([`MelBank`], [`Dct`], the spectrum and voicing functions) and their constants
//! are public for the benches (`benches/features.rs`) that time them one by one.

mod cepstrum_store;
mod extractor;
mod mel;
mod mfcc;
mod spectrum;
mod voicing;

pub use cepstrum_store::CepstrumStore;
pub(crate) use cepstrum_store::{CEPSTRA, dequantise, quantise};
pub use extractor::{Extractor, FeatureBlock};
pub use mel::MelBank;
pub use mfcc::Dct;
pub use spectrum::{FFT_SIZE, SPECTRUM_BINS, hann_window, power_spectra_pair_into};
pub use voicing::{VOICING_MAX_LAG, voicing_and_lag};

/// Mel bands in the log-mel spectrum.
pub const MEL_BANDS: usize = 40;
/// MFCC coefficients kept (c0..c12).
pub const MFCC_COEFFS: usize = 13;
/// Lowest mel filter edge, Hz.
pub const MEL_LOW_HZ: f32 = 60.0;
/// Highest mel filter edge, Hz.
pub const MEL_HIGH_HZ: f32 = 7600.0;
