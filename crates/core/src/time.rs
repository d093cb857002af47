//! Time inside talign: integer frames at 100 Hz and samples at 16 kHz.
//!
//! Seconds appear only at the edges (parsing stamps, writing reports), so that no
//! arithmetic inside the pipeline accumulates floating-point drift.

use serde::{Deserialize, Serialize};

/// Sample rate of all analysis audio, in Hz.
pub const SAMPLE_RATE: u32 = 16_000;
/// Analysis frames per second (10 ms hop).
pub const FRAME_RATE: u32 = 100;
/// Samples between two frame starts (10 ms).
pub const HOP_SAMPLES: usize = (SAMPLE_RATE / FRAME_RATE) as usize;
/// Samples in one analysis window (25 ms).
pub const WINDOW_SAMPLES: usize = 400;

/// A frame index: frame `i` covers samples `[i*160, i*160+400)` and stands for time `i/100` s.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Frame(pub u32);

impl Frame {
    /// The frame's start time in seconds.
    pub fn seconds(self) -> f64 {
        f64::from(self.0) / f64::from(FRAME_RATE)
    }

    /// The frame nearest to `seconds` (negative times clamp to 0).
    pub fn from_seconds(seconds: f64) -> Frame {
        Frame((seconds * f64::from(FRAME_RATE)).round().max(0.0) as u32)
    }

    /// Index as usize, for slicing frame arrays.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// `seconds` as a fractional count of frames, not rounded (for radii and rates; a frame
/// index is [`Frame::from_seconds`]).
pub(crate) fn frames_f64(seconds: f64) -> f64 {
    seconds * f64::from(FRAME_RATE)
}

/// A span of `seconds` as the nearest whole count of frames (negative spans count as 0).
pub(crate) fn frame_count(seconds: f64) -> u32 {
    Frame::from_seconds(seconds).0
}

/// A count of `frames` in seconds.
pub(crate) fn frames_to_seconds(frames: usize) -> f64 {
    frames as f64 / f64::from(FRAME_RATE)
}

/// Rounds seconds to milliseconds, the precision of every report.
pub fn round_ms(seconds: f64) -> f64 {
    (seconds * 1000.0).round() / 1000.0
}

/// Serde helper: writes seconds with 3 decimals.
pub(crate) mod ms {
    use serde::Serializer;

    /// Serialises `seconds` rounded to the millisecond.
    pub(crate) fn serialize<S: Serializer>(seconds: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(super::round_ms(*seconds))
    }

    /// Same for optional seconds.
    pub(crate) mod option {
        use serde::Serializer;

        /// Serialises `Some(seconds)` rounded to the millisecond, `None` as null.
        pub(crate) fn serialize<S: Serializer>(
            seconds: &Option<f64>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match seconds {
                Some(v) => s.serialize_some(&super::super::round_ms(*v)),
                None => s.serialize_none(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_seconds_round_trip() {
        assert_eq!(Frame::from_seconds(12.345).0, 1235);
        assert_eq!(Frame(1234).seconds(), 12.34);
        assert_eq!(Frame::from_seconds(-3.0), Frame(0));
        assert_eq!(round_ms(1.23456), 1.235);
    }
}
