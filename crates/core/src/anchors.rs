//! Re-alignment around a person's fixes (`talign align --anchors CORRECTED.json`): the turns
//! marked `corrected` stay exactly where they were put; each run of turns between two of
//! them is aligned again inside the stretch of recording the two leave between them.
//!
//! Each stretch is an ordinary alignment of samples in memory ([`align_samples`]) with its
//! times shifted back; stamps are shifted with it (and dropped where they fall outside it),
//! so the lattice still uses them.

use std::path::Path;

use crate::analysis::Samples;
use crate::decode::SourceInfo;
use crate::pipeline::{AlignOptions, align_samples};
use crate::progress::Progress;
use crate::report::{Alignment, AudioInfo, SCHEMA, StatedTime, TranscriptInfo, TurnTiming};
use crate::transcript::{StampStatus, Transcript};
use crate::{Error, Result};

/// Stretches shorter than this between two anchors are not aligned: their turns are spread
/// over it evenly, with confidence 0.
const MIN_STRETCH_S: f64 = 0.2;

/// An alignment made around anchors.
#[derive(Debug, Clone)]
pub struct AnchoredRun {
    /// Every turn: the anchors as corrected, the others aligned between them.
    pub alignment: Alignment,
    /// The decoded recording.
    pub source: SourceInfo,
    /// Turns kept where the person put them.
    pub anchors: usize,
    /// What could not be aligned, and why, one sentence each.
    pub notes: Vec<String>,
}

/// Aligns `transcript` with `audio`, keeping the `corrected` turns of `anchors` fixed.
///
/// `anchors` must have as many turns as `transcript` (the corrected JSON of an alignment of
/// this transcript, or the transcript may be that JSON itself when turns were split or
/// merged): `Error::Invalid` otherwise. The recording is decoded into memory once (mono, at
/// its own rate: 4 bytes per sample).
pub fn align_around(
    audio: &Path,
    transcript: &Transcript,
    transcript_path: &Path,
    anchors: &Alignment,
    options: &AlignOptions,
    progress: &dyn Progress,
) -> Result<AnchoredRun> {
    if anchors.turns.len() != transcript.turns.len() {
        return Err(Error::Invalid(format!(
            "the anchors have {} turns but the transcript {}: give the transcript the corrected \
             alignment was made from, or the corrected JSON itself as the transcript (turns \
             were split or merged)",
            anchors.turns.len(),
            transcript.turns.len()
        )));
    }
    let mut samples: Vec<f32> = Vec::new();
    let source = crate::decode::open(audio)?.run(|chunk| samples.extend_from_slice(chunk))?;
    let duration = source.duration_s();
    let fixed: Vec<bool> = anchors.turns.iter().map(|t| t.corrected).collect();
    let mut turns: Vec<Option<TurnTiming>> = vec![None; transcript.turns.len()];
    let mut notes = Vec::new();
    let mut k = 0;
    while k < fixed.len() {
        if fixed[k] {
            let mut turn = anchors.turns[k].clone();
            turn.index = k;
            turns[k] = Some(turn);
            k += 1;
            continue;
        }
        let first = k;
        while k < fixed.len() && !fixed[k] {
            k += 1;
        }
        let lo = first
            .checked_sub(1)
            .map_or(0.0, |p| anchors.turns[p].end)
            .clamp(0.0, duration);
        let hi = anchors
            .turns
            .get(k)
            .map_or(duration, |t| t.start)
            .clamp(lo, duration);
        let placed = align_stretch(
            &samples,
            &source,
            audio,
            transcript,
            transcript_path,
            first..k,
            (lo, hi),
            options,
            progress,
        );
        let placed = match placed {
            Ok(placed) => placed,
            Err(why) => {
                notes.push(format!(
                    "turns {}-{} ({:.3}-{:.3} s) spread evenly, not aligned: {why}",
                    first + 1,
                    k,
                    lo,
                    hi
                ));
                spread(transcript, first..k, lo, hi)
            }
        };
        for (turn, slot) in placed.into_iter().zip(&mut turns[first..k]) {
            *slot = Some(turn);
        }
    }
    let turns: Vec<TurnTiming> = turns
        .into_iter()
        .map(|t| t.expect("every turn placed"))
        .collect();
    Ok(AnchoredRun {
        anchors: fixed.iter().filter(|&&f| f).count(),
        alignment: Alignment {
            schema: SCHEMA,
            audio: AudioInfo {
                path: audio.display().to_string(),
                duration_s: duration,
                sample_rate: source.sample_rate,
                channels: source.channels,
            },
            transcript: TranscriptInfo {
                path: transcript_path.display().to_string(),
                format: transcript.format,
            },
            turns,
            made: None,
        },
        source,
        notes,
    })
}

/// Aligns turns `range` of `transcript` inside `lo..hi` seconds of the recording.
#[allow(clippy::too_many_arguments)]
fn align_stretch(
    samples: &[f32],
    source: &SourceInfo,
    audio: &Path,
    transcript: &Transcript,
    transcript_path: &Path,
    range: std::ops::Range<usize>,
    (lo, hi): (f64, f64),
    options: &AlignOptions,
    progress: &dyn Progress,
) -> Result<Vec<TurnTiming>> {
    if hi - lo < MIN_STRETCH_S {
        return Err(Error::Invalid(format!(
            "only {:.3} s of recording between the anchors",
            hi - lo
        )));
    }
    let rate = f64::from(source.sample_rate.max(1));
    let from = ((lo * rate).round() as usize).min(samples.len());
    let to = ((hi * rate).round() as usize).clamp(from, samples.len());
    let mut part = transcript.clone();
    part.turns = transcript.turns[range.clone()].to_vec();
    for turn in &mut part.turns {
        // Stamps move with the stretch; one outside it cannot be right here.
        match turn.stated.seconds.map(|s| s - lo) {
            Some(s) if (0.0..=hi - lo).contains(&s) => turn.stated.seconds = Some(s),
            Some(_) => {
                turn.stated.seconds = None;
                turn.stated.status = StampStatus::Missing;
            }
            None => {}
        }
    }
    let options = AlignOptions {
        // The person's anchors vouch for the pairing; a short stretch has little to go on.
        force: true,
        ..options.clone()
    };
    let run = align_samples(
        Samples {
            data: &samples[from..to],
            sample_rate: source.sample_rate,
            channels: 1,
            name: audio,
        },
        &part,
        transcript_path,
        &options,
        progress,
    )?;
    let shift = from as f64 / rate;
    let round = |s: f64| (s * 1000.0).round() / 1000.0;
    Ok(run
        .alignment
        .turns
        .into_iter()
        .zip(range)
        .map(|(mut turn, k)| {
            turn.index = k;
            turn.start = round(turn.start + shift);
            turn.end = round(turn.end + shift);
            for word in turn.words.iter_mut().flatten() {
                word.start = round(word.start + shift);
                word.end = round(word.end + shift);
                for phone in word.phones.iter_mut().flatten() {
                    phone.start = round(phone.start + shift);
                    phone.end = round(phone.end + shift);
                }
            }
            turn.stated = stated(&transcript.turns[k].stated);
            turn
        })
        .collect())
}

/// The stamp as the report states it.
fn stated(stamp: &crate::transcript::Stamp) -> StatedTime {
    StatedTime {
        raw: stamp.raw.clone(),
        seconds: stamp.seconds,
        status: stamp.status,
    }
}

/// Turns `range` spread evenly over `lo..hi`, confidence 0 (a stretch too short to align).
fn spread(
    transcript: &Transcript,
    range: std::ops::Range<usize>,
    lo: f64,
    hi: f64,
) -> Vec<TurnTiming> {
    let n = range.len().max(1) as f64;
    let round = |s: f64| (s * 1000.0).round() / 1000.0;
    range
        .clone()
        .enumerate()
        .map(|(j, k)| {
            let t = &transcript.turns[k];
            TurnTiming {
                index: k,
                line: t.line,
                speaker: t.speaker.clone(),
                speaker_raw: t.speaker_raw.clone(),
                text: t.text.clone(),
                transcribed: t.transcribed,
                stated: stated(&t.stated),
                start: round(lo + (hi - lo) * j as f64 / n),
                end: round(lo + (hi - lo) * (j + 1) as f64 / n),
                confidence: 0.0,
                words: None,
                fit: None,
                corrected: false,
            }
        })
        .collect()
}
