//! Damage bookkeeping: where audio was lost, how it was bridged, and one warning per stretch.
//!
//! A damaged file must not shift time. When packets fail to decode, when the container's
//! timestamps jump, or when an MP3 demuxer silently resyncs past garbage, the missing
//! stretch is filled with silence of the same length, so everything after the damage stays
//! where it belongs. [`DamageLog`] merges what happened into stretches and words a warning for
//! each (a summary when there are many).

/// Why a stretch of audio is missing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cause {
    /// Packets the decoder rejected; the first error message.
    Undecodable { packets: usize, first: String },
    /// Bytes between two frames that are not audio (MP3/ADTS resync); the frames lost are
    /// known exactly (a constant-bitrate MP3 places every frame by its byte offset).
    Garbage { bytes: u64 },
    /// The same, with the frames lost estimated from the mean frame size (variable bitrate,
    /// ADTS): later times may be off by a frame or so.
    Estimated { bytes: u64 },
    /// Garbage that passed for frames and decoded to audio the file did not have; as much
    /// real audio after it is dropped.
    FakeFrames { bytes: u64 },
    /// The container's timestamps jump ahead (data missing between packets).
    Jump,
    /// The container itself reported damage and was asked to go on.
    Demux { first: String },
}

/// One damaged stretch of the recording.
#[derive(Debug, Clone, PartialEq)]
struct Stretch {
    /// Where the damage starts in the output, seconds.
    at_s: f64,
    /// Silence put in place of it, seconds.
    filled_s: f64,
    causes: Vec<Cause>,
}

/// Every damaged stretch of one decode.
#[derive(Debug, Default)]
pub(crate) struct DamageLog {
    stretches: Vec<Stretch>,
}

/// Stretches closer than this (seconds) are reported as one.
const MERGE_S: f64 = 0.1;
/// Stretches listed one by one before the report becomes a summary.
const LISTED: usize = 3;

impl DamageLog {
    /// Records damage at `at_s` (output time), bridged by `filled_s` seconds of silence.
    pub(crate) fn note(&mut self, at_s: f64, filled_s: f64, cause: Cause) {
        if let Some(last) = self.stretches.last_mut()
            && at_s <= last.at_s + last.filled_s + MERGE_S
        {
            last.filled_s += filled_s;
            merge_cause(&mut last.causes, cause);
            return;
        }
        self.stretches.push(Stretch {
            at_s,
            filled_s,
            causes: vec![cause],
        });
    }

    /// Seconds of silence put in place of damage, in all.
    pub(crate) fn filled_s(&self) -> f64 {
        self.stretches.iter().map(|s| s.filled_s).sum()
    }

    /// The warnings: one per stretch, or the first few and a summary of the rest.
    pub(crate) fn report(&self, warnings: &mut Vec<String>) {
        for s in self.stretches.iter().take(LISTED) {
            warnings.push(describe(s));
        }
        let rest = &self.stretches[self.stretches.len().min(LISTED)..];
        if let (Some(first), Some(last)) = (rest.first(), rest.last()) {
            let filled: f64 = rest.iter().map(|s| s.filled_s).sum();
            warnings.push(format!(
                "{} more damaged stretches between {:.3} s and {:.3} s, {:.3} s in all replaced \
                 by silence; the file is badly damaged: check it, or re-encode it from a good copy",
                rest.len(),
                first.at_s,
                last.at_s,
                filled
            ));
        }
    }
}

fn merge_cause(causes: &mut Vec<Cause>, cause: Cause) {
    for c in causes.iter_mut() {
        match (c, &cause) {
            (Cause::Undecodable { packets, .. }, Cause::Undecodable { packets: more, .. }) => {
                *packets += more;
                return;
            }
            (Cause::Garbage { bytes }, Cause::Garbage { bytes: more })
            | (Cause::Estimated { bytes }, Cause::Estimated { bytes: more })
            | (Cause::FakeFrames { bytes }, Cause::FakeFrames { bytes: more }) => {
                *bytes += more;
                return;
            }
            (Cause::Jump, Cause::Jump) | (Cause::Demux { .. }, Cause::Demux { .. }) => return,
            _ => {}
        }
    }
    causes.push(cause);
}

fn describe(s: &Stretch) -> String {
    let what: Vec<String> = s
        .causes
        .iter()
        .map(|c| match c {
            Cause::Undecodable { packets: 1, first } => {
                format!("1 packet could not be decoded ({first})")
            }
            Cause::Undecodable { packets, first } => {
                format!("{packets} packets could not be decoded (first: {first})")
            }
            Cause::Garbage { bytes } | Cause::Estimated { bytes } => {
                format!("{bytes} bytes of garbage skipped")
            }
            Cause::FakeFrames { bytes } => format!(
                "garbage passed for frames ({bytes} bytes more skipped); the audio it added is \
                 dropped"
            ),
            Cause::Jump => "the stream's timestamps jump ahead (data missing)".to_string(),
            Cause::Demux { first } => format!("the container is damaged ({first})"),
        })
        .collect();
    let estimated = s
        .causes
        .iter()
        .any(|c| matches!(c, Cause::Estimated { .. }));
    if s.filled_s > 0.0 && estimated {
        format!(
            "damaged audio at {:.3} s: {}; {:.3} s of silence put in its place, as much as the \
             stream's mean frame size says was lost (variable bitrate: later times may be off \
             by a frame, about 0.03 s, or more if the garbage held false frames)",
            s.at_s,
            what.join(", "),
            s.filled_s
        )
    } else if s.filled_s > 0.0 {
        format!(
            "damaged audio at {:.3} s: {}; {:.3} s of silence put in its place so later times \
             stay right",
            s.at_s,
            what.join(", "),
            s.filled_s
        )
    } else {
        format!("damaged audio at {:.3} s: {}", s.at_s, what.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_damage_is_one_stretch() {
        let mut log = DamageLog::default();
        log.note(2.0, 0.026, Cause::Garbage { bytes: 100 });
        log.note(2.026, 0.026, Cause::Garbage { bytes: 50 });
        log.note(
            2.1,
            0.026,
            Cause::Undecodable {
                packets: 1,
                first: "bad".into(),
            },
        );
        let mut w = Vec::new();
        log.report(&mut w);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("at 2.000 s"), "{}", w[0]);
        assert!(w[0].contains("150 bytes"), "{}", w[0]);
        assert!(w[0].contains("1 packet could not"), "{}", w[0]);
        assert!(w[0].contains("0.078 s of silence"), "{}", w[0]);
        assert!((log.filled_s() - 0.078).abs() < 1e-9);
    }

    #[test]
    fn many_stretches_are_summarised() {
        let mut log = DamageLog::default();
        for i in 0..10 {
            log.note(f64::from(i), 0.5, Cause::Jump);
        }
        let mut w = Vec::new();
        log.report(&mut w);
        assert_eq!(w.len(), LISTED + 1);
        assert!(w[LISTED].starts_with("7 more damaged stretches between 3.000 s and 9.000 s"));
        assert!(w[LISTED].contains("3.500 s in all"));
    }
}
