//! The whole job in one call: a recording and its transcript in, an [`Alignment`] out.

use std::cell::OnceCell;
use std::path::Path;

use crate::align::{
    self, AlignConfig, Aligned, CepstrumStore, Evidence, Outcome, Snapped, SpokenTurn, TurnInput,
    build_chunks, count_syllables,
};
use crate::analysis;
use crate::decode::SourceInfo;
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::report::{Alignment, AudioInfo, StatedTime, TranscriptInfo, TurnTiming, WordTiming};
use crate::transcript::Transcript;
use crate::vad::{Vad, VadConfig, VadResult};

/// Everything that tunes an alignment.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignOptions {
    /// Speech detection for chunks and edge scores. Default [`VadConfig::for_alignment`].
    pub vad: VadConfig,
    /// Pauses of at least this many frames split speech into chunks the aligner hands out to
    /// turns. Default 8 (80 ms).
    pub chunk_gap: u32,
    /// A dip this many dB under the last half second's peak counts as a pause between
    /// chunks. Default 15.
    pub chunk_drop_db: f32,
    /// The turn aligner.
    pub align: AlignConfig,
    /// espeak-ng voice that speaks the transcript so turns and words can be matched to the
    /// sounds; `None` aligns from pauses, durations and voices alone. Default `en`.
    pub reference_voice: Option<String>,
    /// Speaking rate of the reference voice, words per minute. Default 175.
    pub reference_rate_wpm: u32,
    /// Report every word's start and end (needs the reference voice). Default false.
    pub words: bool,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            vad: VadConfig::for_alignment(),
            chunk_gap: 8,
            chunk_drop_db: 15.0,
            align: AlignConfig::default(),
            reference_voice: Some("en".into()),
            reference_rate_wpm: 175,
            words: false,
        }
    }
}

/// An alignment plus what was learnt on the way (for summaries and drift checks).
#[derive(Debug, Clone)]
pub struct AlignRun {
    /// The result, as exported.
    pub alignment: Alignment,
    /// What the decoder found.
    pub source: SourceInfo,
    /// Rate and clock the aligner measured.
    pub outcome: Outcome,
    /// Why the reference voice was not used, when it was asked for and could not be.
    pub reference_unavailable: Option<String>,
}

/// Decodes `audio`, finds its speech and aligns `transcript` (read from `transcript_path`).
pub fn align_recording(
    audio: &Path,
    transcript: &Transcript,
    transcript_path: &Path,
    options: &AlignOptions,
    progress: &dyn Progress,
) -> Result<AlignRun> {
    if transcript.turns.is_empty() {
        return Err(Error::Transcript {
            path: transcript_path.to_path_buf(),
            line: 0,
            message: "no turns found; nothing to align".into(),
        });
    }
    let mut cepstra = CepstrumStore::default();
    // The reference voice speaks the transcript while the recording is decoded and the
    // turn lattice runs; the align stage asks for it once the lattice is done.
    let spoken = OnceCell::new();
    let (source, aligned) = std::thread::scope(|scope| {
        let speaker = scope.spawn(|| speak(transcript, options));
        let (source, found) = analyse(audio, options, progress, &mut cepstra)?;
        progress.stage("aligning");
        let chunks = build_chunks(&found.chunks, &cepstra);
        let evidence = || {
            let spoken =
                spoken.get_or_init(|| speaker.join().expect("reference synthesis does not panic"));
            match spoken {
                Ok(Some(spoken)) => Evidence::Reference {
                    spoken,
                    cepstra: &cepstra,
                },
                _ => Evidence::None,
            }
        };
        let aligned = align::align(
            &turn_inputs(transcript),
            &chunks,
            &found.frame_scores,
            evidence,
            &options.align,
        )
        .map_err(|e| e.with_path(audio))?;
        Ok::<_, Error>((source, aligned))
    })?;
    let reference_unavailable = spoken.into_inner().and_then(|s| s.err());
    drop(cepstra);
    let Aligned { outcome, snapped } = aligned;
    let words = options.words.then_some(snapped.as_slice());
    let alignment = report(audio, &source, transcript, transcript_path, &outcome, words);
    progress.finish();
    Ok(AlignRun {
        alignment,
        source,
        outcome,
        reference_unavailable,
    })
}

/// Decodes and analyses the recording: speech regions, chunks, frame scores and cepstra.
fn analyse(
    audio: &Path,
    options: &AlignOptions,
    progress: &dyn Progress,
    cepstra: &mut CepstrumStore,
) -> Result<(SourceInfo, VadResult)> {
    let mut vad = Vad::new(options.vad.clone())
        .with_chunks(options.chunk_gap, options.chunk_drop_db)
        .with_frame_scores();
    let source = analysis::analyse(audio, progress, |block| {
        vad.push(block);
        cepstra.push(block);
    })?;
    if source.frames == 0 {
        return Err(Error::NoAudio {
            path: audio.to_path_buf(),
            message: "recording has no samples (zero length); nothing to align: check that it \
                      was recorded or exported completely"
                .into(),
        });
    }
    if source.peak == 0.0 {
        return Err(Error::NoAudio {
            path: audio.to_path_buf(),
            message: format!(
                "recording is digital silence for all its {:.3} s; nothing to align: check the \
                 file or its channels",
                source.duration_s()
            ),
        });
    }
    Ok((source, vad.into_parts()))
}

/// The transcribed turns spoken by the reference voice, `Ok(None)` when none is asked for.
fn speak(
    transcript: &Transcript,
    options: &AlignOptions,
) -> std::result::Result<Option<Vec<Option<SpokenTurn>>>, String> {
    let Some(voice) = options.reference_voice.as_deref() else {
        return Ok(None);
    };
    let words = words_to_speak(transcript);
    align::speak_turns(&words, voice, options.reference_rate_wpm)
        .map(Some)
        .map_err(|e| e.0)
}

/// The words the reference voice speaks for each turn; `None` for untranscribed turns.
pub fn words_to_speak(transcript: &Transcript) -> Vec<Option<Vec<&str>>> {
    transcript
        .turns
        .iter()
        .map(|t| t.transcribed.then(|| t.words().collect()))
        .collect()
}

/// What the aligner needs from each turn.
pub fn turn_inputs(transcript: &Transcript) -> Vec<TurnInput> {
    transcript
        .turns
        .iter()
        .map(|t| TurnInput {
            syllables: if t.transcribed {
                count_syllables(t.words())
            } else {
                0
            },
            transcribed: t.transcribed,
            stated_s: t.stated.usable().then_some(t.stated.seconds).flatten(),
            speaker: t.speaker.clone(),
        })
        .collect()
}

fn report(
    audio: &Path,
    source: &SourceInfo,
    transcript: &Transcript,
    transcript_path: &Path,
    outcome: &Outcome,
    words: Option<&[Option<Snapped>]>,
) -> Alignment {
    Alignment {
        audio: AudioInfo {
            path: audio.display().to_string(),
            duration_s: source.duration_s(),
            sample_rate: source.sample_rate,
            channels: source.channels,
        },
        transcript: TranscriptInfo {
            path: transcript_path.display().to_string(),
            format: transcript.format,
        },
        turns: transcript
            .turns
            .iter()
            .zip(&outcome.placements)
            .enumerate()
            .map(|(i, (t, p))| TurnTiming {
                index: t.index,
                line: t.line,
                speaker: t.speaker.clone(),
                speaker_raw: t.speaker_raw.clone(),
                text: t.text.clone(),
                transcribed: t.transcribed,
                stated: StatedTime {
                    raw: t.stated.raw.clone(),
                    seconds: t.stated.seconds,
                    status: t.stated.status,
                },
                start: p.start_s,
                end: p.end_s,
                confidence: (p.confidence * 1000.0).round() / 1000.0,
                words: words.and_then(|w| word_timings(t, w.get(i).and_then(Option::as_ref), p)),
            })
            .collect(),
    }
}

/// A turn's words with their times, kept inside the turn; `None` for a turn the reference
/// did not place (no words are guessed).
fn word_timings(
    turn: &crate::transcript::Turn,
    snapped: Option<&Snapped>,
    placed: &align::Placement,
) -> Option<Vec<WordTiming>> {
    let snapped = snapped?;
    let clamp = |s: f64| s.clamp(placed.start_s, placed.end_s.max(placed.start_s));
    let timings: Vec<WordTiming> = turn
        .words()
        .zip(&snapped.words)
        .map(|(w, span)| WordTiming {
            word: w.to_string(),
            start: clamp(span.start.seconds()),
            end: clamp(span.end.seconds()),
        })
        .collect();
    (timings.len() == snapped.words.len()).then_some(timings)
}
