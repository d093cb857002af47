#![doc = include_str!("../../../README.md")]
//!
//! # Conventions
//!
//! Data flow: decode → resample → features → vad → align → drift → export.
//!
//! Conventions: analysis audio is mono f32 at 16 kHz; frames are 25 ms windows every 10 ms
//! (frame `i` stands for time `i/100` s); a turn's `start` is its first speech frame and its
//! `end` the end of its last speech frame; seconds appear only in reports, with 3 decimals.
#![warn(missing_docs)]

pub mod acoustic;
pub mod align;
pub mod analysis;
pub mod anchors;
pub mod atomic_file;
pub mod batch;
pub mod decode;
pub mod drift;
mod error;
pub(crate) mod espeak;
pub mod export;
pub mod features;
pub mod pipeline;
pub mod progress;
pub mod reference;
pub mod report;
pub mod resample;
pub mod review;
pub mod spill;
pub(crate) mod stats;
pub mod subtitle;
pub mod sync;
pub mod time;
pub mod transcript;
pub mod vad;

#[cfg(test)]
mod test_signals;

pub use error::{Error, Result};
