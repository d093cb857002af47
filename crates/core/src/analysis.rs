//! One streaming pass over a recording: decode → downmix → resample → features.
//!
//! Decoding and resampling run on their own thread and hand 16 kHz chunks over a bounded
//! channel to the feature extractor (which itself fans out over rayon), so memory stays
//! flat however long the recording is.

use std::ops::Range;
use std::path::Path;
use std::sync::mpsc;

use crate::decode::{self, SourceInfo};
use crate::error::Result;
use crate::features::{Extractor, FeatureBlock};
use crate::progress::Progress;
use crate::resample::To16k;
use crate::spill::SpilledSamples;
use crate::time::SAMPLE_RATE;

/// Chunks of 16 kHz audio in flight between the decode thread and the analysis.
const CHANNEL_DEPTH: usize = 8;
/// Samples per chunk sent over the channel (~2 s).
const CHUNK_SAMPLES: usize = 32_768;

/// The whole recording as analysis audio (mono, 16 kHz, f32 in [-1, 1]), in memory: for short
/// clips, examples and benches; [`analyse`] streams instead.
pub fn samples_16k(path: &Path) -> Result<Vec<f32>> {
    let decoder = decode::open(path)?;
    let mut resampler = To16k::new(decoder.info().sample_rate)?;
    let mut out = Vec::new();
    decoder.run(|mono| resampler.push(mono, &mut out))?;
    resampler.finish(&mut out);
    Ok(out)
}

/// A recording already in memory: interleaved f32 samples in [-1, 1] at any rate.
#[derive(Debug, Clone, Copy)]
pub struct Samples<'a> {
    /// Interleaved samples, `channels` per frame.
    pub data: &'a [f32],
    /// Frames per second.
    pub sample_rate: u32,
    /// Channels per frame (averaged to mono).
    pub channels: u32,
    /// What to call it in messages and in the alignment's `audio.path`.
    pub name: &'a Path,
}

/// Where a recording comes from: a file to decode, or samples in memory.
#[derive(Debug, Clone, Copy)]
pub enum Recording<'a> {
    /// A file, decoded as it streams.
    File(&'a Path),
    /// Samples the caller already holds.
    Samples(Samples<'a>),
    /// Samples at 16 kHz, mono, the caller kept partly on disk ([`SpilledSamples`]).
    Spilled {
        /// The samples.
        samples: &'a SpilledSamples,
        /// What to call it in messages.
        name: &'a Path,
    },
}

impl Recording<'_> {
    /// The path (or name) messages and reports give it.
    pub(crate) fn name(&self) -> &Path {
        match self {
            Recording::File(path) => path,
            Recording::Samples(s) => s.name,
            Recording::Spilled { name, .. } => name,
        }
    }

    /// Its length as declared before any decoding (a container's header, or the samples').
    pub(crate) fn declared_duration_s(&self) -> Option<f64> {
        match self {
            Recording::File(path) => decode::open(path).ok()?.expected_duration_s(),
            Recording::Samples(s) => (s.channels > 0 && s.sample_rate > 0)
                .then(|| (s.data.len() / s.channels as usize) as f64 / f64::from(s.sample_rate)),
            Recording::Spilled { samples, .. } => {
                Some(samples.len() as f64 / f64::from(SAMPLE_RATE))
            }
        }
    }
}

/// [`analyse_tapped`] for any kind of [`Recording`].
pub(crate) fn analyse_recording(
    recording: &Recording,
    progress: &dyn Progress,
    mut tap: impl FnMut(&[f32]),
    mut consume: impl FnMut(&FeatureBlock),
) -> Result<SourceInfo> {
    one_pass(recording, progress, &mut tap, Some(&mut consume))
}

/// The recording's 16 kHz samples handed to `tap`, as [`analyse_recording`] hands them, with
/// no features computed: a second reading for the aligner needs the samples alone (the
/// features were half of that reading's CPU time; docs/sync.md, session 27).
pub(crate) fn read_recording(
    recording: &Recording,
    progress: &dyn Progress,
    mut tap: impl FnMut(&[f32]),
) -> Result<SourceInfo> {
    one_pass(recording, progress, &mut tap, None)
}

/// Features are given to `consume`; without it, none are computed.
type Consume<'c> = Option<&'c mut dyn FnMut(&FeatureBlock)>;

/// One pass over `recording`: every run of 16 kHz samples to `tap`, in order, and their
/// features to `consume` when it is given.
fn one_pass(
    recording: &Recording,
    progress: &dyn Progress,
    tap: &mut dyn FnMut(&[f32]),
    consume: Consume,
) -> Result<SourceInfo> {
    match recording {
        Recording::File(path) => analyse_tapped(path, progress, tap, consume),
        Recording::Samples(samples) => analyse_samples(samples, progress, tap, consume),
        Recording::Spilled { samples, name } => {
            let layout = Layout {
                name,
                sample_rate: SAMPLE_RATE,
                channels: 1,
                len: samples.len(),
            };
            let chunk = |range, out: &mut Vec<f32>| {
                *out = samples.read(range)?;
                Ok(())
            };
            analyse_chunks(&layout, chunk, progress, tap, consume)
        }
    }
}

/// The features of each run of 16 kHz samples, when they are asked for.
struct Features<'c> {
    extractor: Extractor,
    consume: &'c mut dyn FnMut(&FeatureBlock),
}

impl<'c> Features<'c> {
    fn new(consume: Consume<'c>) -> Option<Features<'c>> {
        consume.map(|consume| Features {
            extractor: Extractor::new(),
            consume,
        })
    }

    fn push(features: &mut Option<Self>, samples: &[f32]) {
        if let Some(Features { extractor, consume }) = features {
            extractor.push(samples, &mut |block| consume(&block));
        }
    }

    fn finish(features: Option<Self>) {
        if let Some(Features {
            mut extractor,
            consume,
        }) = features
        {
            extractor.finish(&mut |block| consume(&block));
        }
    }
}

/// Analyses samples in memory as [`analyse_tapped`] does a file: downmixed, NaN and Inf
/// replaced by silence (with a warning that counts them), resampled to 16 kHz.
fn analyse_samples(
    samples: &Samples,
    progress: &dyn Progress,
    tap: &mut dyn FnMut(&[f32]),
    consume: Consume,
) -> Result<SourceInfo> {
    let chunk = |range: Range<usize>, out: &mut Vec<f32>| {
        out.clear();
        out.extend_from_slice(&samples.data[range]);
        Ok(())
    };
    let layout = Layout {
        name: samples.name,
        sample_rate: samples.sample_rate,
        channels: samples.channels,
        len: samples.data.len(),
    };
    analyse_chunks(&layout, chunk, progress, tap, consume)
}

/// What [`analyse_chunks`] is told of samples held elsewhere.
struct Layout<'a> {
    name: &'a Path,
    sample_rate: u32,
    channels: u32,
    /// Interleaved samples in all.
    len: usize,
}

/// [`analyse_samples`] of the samples `layout` describes, each chunk read by `chunk` into
/// the buffer it is given, in the same chunks whatever holds them, so the same samples give
/// the same features.
fn analyse_chunks(
    layout: &Layout,
    mut chunk: impl FnMut(Range<usize>, &mut Vec<f32>) -> Result<()>,
    progress: &dyn Progress,
    tap: &mut dyn FnMut(&[f32]),
    consume: Consume,
) -> Result<SourceInfo> {
    let len = layout.len;
    decode::check_rate(layout.sample_rate, "f32", layout.channels, layout.name)?;
    let channels = layout.channels as usize;
    if channels == 0 || !len.is_multiple_of(channels) {
        return Err(crate::error::Error::UnsupportedAudio {
            path: layout.name.to_path_buf(),
            message: format!(
                "{len} samples do not make whole frames of {channels} channel(s); give the channel \
             count of the interleaved samples"
            ),
        });
    }
    let total_s = (len / channels) as f64 / f64::from(layout.sample_rate);
    progress.start(Some(total_s));
    let mut resampler = To16k::new(layout.sample_rate)?;
    let mut features = Features::new(consume);
    let (mut mono, mut clean, mut out) = (Vec::new(), Vec::new(), Vec::new());
    let mut peak = 0f32;
    let mut non_finite = decode::NonFinite::default();
    let mut done = 0usize;
    for from in (0..len).step_by(CHUNK_SAMPLES * channels) {
        chunk(from..(from + CHUNK_SAMPLES * channels).min(len), &mut clean)
            .map_err(|e| e.with_path(layout.name))?;
        non_finite.silence(&mut clean, channels, done as u64, layout.sample_rate);
        decode::downmix(&clean, channels, &mut mono);
        peak = mono.iter().fold(peak, |m, x| m.max(x.abs()));
        out.clear();
        resampler.push(&mono, &mut out);
        tap(&out);
        Features::push(&mut features, &out);
        done += mono.len();
        progress.advance(done as f64 / f64::from(layout.sample_rate));
    }
    out.clear();
    resampler.finish(&mut out);
    tap(&out);
    Features::push(&mut features, &out);
    Features::finish(features);
    progress.finish();
    let warnings = non_finite.warning().into_iter().collect();
    Ok(SourceInfo {
        path: layout.name.to_path_buf(),
        container: "memory".into(),
        codec: "f32".into(),
        sample_rate: layout.sample_rate,
        channels: layout.channels,
        frames: (len / channels) as u64,
        peak,
        filled_frames: 0,
        warnings,
    })
}

/// Decodes `path` and hands every feature block, in order, to `consume`.
///
/// Returns what the decoder found (rate, channels, duration, warnings). `progress` hears the
/// decoded time as it advances.
pub fn analyse(
    path: &Path,
    progress: &dyn Progress,
    mut consume: impl FnMut(&FeatureBlock),
) -> Result<SourceInfo> {
    analyse_tapped(path, progress, &mut |_| {}, Some(&mut consume))
}

/// [`analyse`], also handing every run of 16 kHz samples, in order, to `tap` before its
/// features are computed (the acoustic model's own front end reads the samples).
fn analyse_tapped(
    path: &Path,
    progress: &dyn Progress,
    tap: &mut dyn FnMut(&[f32]),
    consume: Consume,
) -> Result<SourceInfo> {
    let decoder = decode::open(path)?;
    let rate = decoder.info().sample_rate;
    progress.start(decoder.expected_duration_s());
    let mut resampler = To16k::new(rate)?;
    let (sender, receiver) = mpsc::sync_channel::<Vec<f32>>(CHANNEL_DEPTH);
    // Runs go back to the decoder once read: a new one per run was mapped afresh every 2 s of
    // audio, a fifth of `align`'s page faults (docs/speed.md, session 27).
    let (give_back, taken_back) = mpsc::channel::<Vec<f32>>();
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || {
            let empty_run = || {
                taken_back.try_recv().map_or_else(
                    |_| Vec::with_capacity(2 * CHUNK_SAMPLES),
                    |mut run: Vec<f32>| {
                        run.clear();
                        run
                    },
                )
            };
            let mut pending: Vec<f32> = empty_run();
            let info = decoder.run(|mono| {
                resampler.push(mono, &mut pending);
                if pending.len() >= CHUNK_SAMPLES {
                    let full = std::mem::replace(&mut pending, empty_run());
                    // A closed receiver means analysis stopped; keep decoding is pointless
                    // but harmless, and the error surfaces on the other side.
                    let _ = sender.send(full);
                }
            });
            resampler.finish(&mut pending);
            if !pending.is_empty() {
                let _ = sender.send(pending);
            }
            info
        });
        let mut features = Features::new(consume);
        let mut samples_seen: u64 = 0;
        for chunk in receiver {
            samples_seen += chunk.len() as u64;
            tap(&chunk);
            Features::push(&mut features, &chunk);
            progress.advance(samples_seen as f64 / f64::from(SAMPLE_RATE));
            // The decoder may have finished and gone: the run is then simply dropped.
            let _ = give_back.send(chunk);
        }
        Features::finish(features);
        progress.finish();
        worker.join().expect("decode thread does not panic")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    /// Samples kept partly on disk are analysed as the same samples in memory: the same runs
    /// handed to the tap, the same feature blocks, the same length and peak.
    #[test]
    fn spilled_samples_are_analysed_as_the_same_samples_in_memory() {
        let n = 3 * CHUNK_SAMPLES + 1234;
        let data: Vec<f32> = (0..n)
            .map(|i| (i as f32 * 0.05).sin() * 0.3 * ((i / 4000) % 2) as f32)
            .collect();
        let mut spilled = SpilledSamples::with_memory_s(0.5);
        spilled.push(&data);
        assert!(spilled.spilled(), "half a second of memory, 7 s pushed");
        let name = Path::new("(test)");
        let run = |recording: Recording| {
            let (mut taps, mut blocks) = (Vec::new(), Vec::new());
            let info = analyse_recording(
                &recording,
                &Silent,
                |s| taps.push(s.to_vec()),
                |b| blocks.push(b.clone()),
            )
            .unwrap();
            (info.frames, info.peak, taps, blocks)
        };
        let in_memory = run(Recording::Samples(Samples {
            data: &data,
            sample_rate: SAMPLE_RATE,
            channels: 1,
            name,
        }));
        let on_disk = run(Recording::Spilled {
            samples: &spilled,
            name,
        });
        assert_eq!(in_memory.0, n as u64);
        assert!(!in_memory.3.is_empty());
        assert!(
            in_memory == on_disk,
            "the same taps, blocks, length and peak"
        );
    }

    /// A reading for the samples alone taps the same runs as an analysis, from a file, from
    /// samples at another rate and from spilled samples, and says the same of the source.
    #[test]
    fn a_reading_without_features_taps_what_an_analysis_taps() {
        let n = 2 * CHUNK_SAMPLES + 999;
        let data: Vec<f32> = (0..n).map(|i| (i as f32 * 0.031).sin() * 0.4).collect();
        let dir = tempfile::tempdir().unwrap();
        let wav = dir.path().join("tone.wav");
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 22_050,
            bits_per_sample: 32,
            sample_format: hound::SampleFormat::Float,
        };
        let mut writer = hound::WavWriter::create(&wav, spec).unwrap();
        data.iter().for_each(|&x| writer.write_sample(x).unwrap());
        writer.finalize().unwrap();
        let mut spilled = SpilledSamples::with_memory_s(0.5);
        spilled.push(&data);
        let name = Path::new("(test)");
        let recordings = [
            Recording::File(&wav),
            Recording::Samples(Samples {
                data: &data,
                sample_rate: 22_050,
                channels: 1,
                name,
            }),
            Recording::Spilled {
                samples: &spilled,
                name,
            },
        ];
        for recording in &recordings {
            let (mut analysed, mut blocks) = (Vec::new(), 0);
            let with = analyse_recording(
                recording,
                &Silent,
                |s| analysed.extend_from_slice(s),
                |_| blocks += 1,
            )
            .unwrap();
            let mut read = Vec::new();
            let without =
                read_recording(recording, &Silent, |s| read.extend_from_slice(s)).unwrap();
            assert!(blocks > 0);
            assert!(!read.is_empty());
            assert!(analysed == read, "{}", recording.name().display());
            assert_eq!((with.frames, with.peak), (without.frames, without.peak));
        }
    }
}
