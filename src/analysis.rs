//! One streaming pass over a recording: decode → downmix → resample → features.
//!
//! Decoding and resampling run on their own thread and hand 16 kHz chunks over a bounded
//! channel to the feature extractor (which itself fans out over rayon), so memory stays
//! flat however long the recording is.

use std::path::Path;
use std::sync::mpsc;

use crate::decode::{self, SourceInfo};
use crate::error::Result;
use crate::features::{Extractor, FeatureBlock};
use crate::progress::Progress;
use crate::resample::To16k;
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

/// Decodes `path` and hands every feature block, in order, to `consume`.
///
/// Returns what the decoder found (rate, channels, duration, warnings). `progress` hears the
/// decoded time as it advances.
pub fn analyse(
    path: &Path,
    progress: &dyn Progress,
    consume: impl FnMut(&FeatureBlock),
) -> Result<SourceInfo> {
    analyse_tapped(path, progress, |_| {}, consume)
}

/// [`analyse`], also handing every run of 16 kHz samples, in order, to `tap` before its
/// features are computed (the acoustic model's own front end reads the samples).
pub fn analyse_tapped(
    path: &Path,
    progress: &dyn Progress,
    mut tap: impl FnMut(&[f32]),
    mut consume: impl FnMut(&FeatureBlock),
) -> Result<SourceInfo> {
    let decoder = decode::open(path)?;
    let rate = decoder.info().sample_rate;
    progress.start(decoder.expected_duration_s());
    let mut resampler = To16k::new(rate)?;
    let (sender, receiver) = mpsc::sync_channel::<Vec<f32>>(CHANNEL_DEPTH);
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || {
            let mut pending: Vec<f32> = Vec::with_capacity(2 * CHUNK_SAMPLES);
            let info = decoder.run(|mono| {
                resampler.push(mono, &mut pending);
                if pending.len() >= CHUNK_SAMPLES {
                    let full =
                        std::mem::replace(&mut pending, Vec::with_capacity(2 * CHUNK_SAMPLES));
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
        let mut extractor = Extractor::new();
        let mut samples_seen: u64 = 0;
        for chunk in receiver {
            samples_seen += chunk.len() as u64;
            tap(&chunk);
            extractor.push(&chunk, &mut |block| consume(&block));
            progress.advance(samples_seen as f64 / f64::from(SAMPLE_RATE));
        }
        extractor.finish(&mut |block| consume(&block));
        progress.finish();
        worker.join().expect("decode thread does not panic")
    })
}
