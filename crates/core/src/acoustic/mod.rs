//! The CMU Sphinx acoustic model, read and evaluated in pure Rust, and what is built on it:
//! pronunciations ([`Dictionary`], [`pronounce()`]) and forced alignment ([`align_turn`]).
//!
//! The model is the US-English one from pocketsphinx (Debian `pocketsphinx-en-us`, BSD-2),
//! vendored under `models/en-us/` and compiled in ([`AcousticModel::embedded`]);
//! `TALIGN_MODEL_DIR` points [`AcousticModel::locate`] at another directory with the
//! same files. It is a phonetically-tied-mixture (PTM) HMM: each of the 42 context-independent
//! (CI) phones has a codebook of 128 diagonal Gaussians per feature stream (3 streams of 13:
//! cepstra, deltas, double deltas); each senone (tied HMM state) mixes the densities of its
//! phone's codebook with its own weights.
//!
//! Data flow: 16 kHz samples → `frontend::FrontEnd` (the model's own MFCC, 13 cepstra every
//! 10 ms; for `align` and `sync` also with steady noise taken out of its filter energies,
//! kept when the recording is noisy: `denoise`) → [`normalise_mean`] (batch CMN; where the
//! recording echoes like a hall, each frame then lowered by its share of the late echo:
//! `late_reverb`) → [`dynamic_features`]
//! (39 dimensions) → `AcousticModel::score` (natural-log senone likelihoods per frame)
//! → a forced aligner's Viterbi over the HMMs that `AcousticModel::hmm` gives.
//!
//! The file formats (Sphinx-3 `s3` binary, binary `BMDF` mdef, `sendump`) and numerics follow
//! pocketsphinx; tests compare features and senone scores with pocketsphinx's own, logged on a
//! committed clip (`tests/fixtures/acoustic/`, made by `scripts/make_acoustic_fixture.py`).

pub(crate) mod cepstra;
pub(crate) mod denoise;
pub(crate) mod dictionary;
pub(crate) mod forced;
pub(crate) mod frontend;
pub(crate) mod late_reverb;
mod mdef;
pub(crate) mod model;
pub(crate) mod pronounce;
mod s3file;
pub(crate) mod scorer;
mod sendump;
pub(crate) mod slips;

// What [`crate::align::Evidence::Acoustic`] takes (the model, its cepstra, the words'
// pronunciations), and the stages the forced-alignment bench and examples drive one by one
// (`benches/acoustic.rs`, `examples/force_align.rs`, `examples/force_align_eval.rs`,
// `examples/acoustic_score_time.rs`). The rest of the model's plumbing is internal.
pub use cepstra::Cepstra;
pub use dictionary::Dictionary;
pub use forced::{
    BeamLoss, ForcedConfig, HoldLimits, align_turn, score_recording, words_senone_set,
};
pub use frontend::{cepstra, dynamic_features, normalise_mean};
pub use late_reverb::LateReverb;
pub use model::AcousticModel;
pub use pronounce::{Options as PronounceOptions, Pronounced, Reading, pronounce};

use std::fmt::Display;

use crate::error::Error;

/// What to do when a model file is missing or unreadable.
pub(crate) const MODEL_HINT: &str = "set TALIGN_MODEL_DIR to a directory with a CMU Sphinx \
model (mdef, means, variances, sendump or mixture_weights, transition_matrices, feat.params, \
noisedict), e.g. /usr/share/pocketsphinx/model/en-us/en-us, or unset it to use the built-in model";

/// `value`, read as the count `what` from model file `file`, when it is in `0..=max`.
pub(crate) fn plausible_count(
    file: &str,
    what: &str,
    value: i32,
    max: usize,
) -> Result<usize, Error> {
    usize::try_from(value)
        .ok()
        .filter(|&v| v <= max)
        .ok_or_else(|| {
            model_error(
                file,
                format!("implausible {what} {value} (expected 0..={max})"),
            )
        })
}

/// An error about model file `file`: what is wrong and what to do.
pub(crate) fn model_error(file: &str, msg: impl Display) -> Error {
    Error::Invalid(format!("{file}: {msg}; {MODEL_HINT}"))
}

#[cfg(test)]
mod tests;
