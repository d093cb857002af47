//! Streaming conversion of mono audio at any rate to 16 kHz, with rubato's FFT resampler.
//!
//! The resampler's own delay is removed, so output sample `n` stands for time `n / 16000` s
//! exactly as input sample `m` stood for `m / rate`.

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler};

use crate::error::{Error, Result};
use crate::time::SAMPLE_RATE;

/// Input frames per resampler call; large enough for efficiency, small enough for streaming.
const CHUNK: usize = 4096;

/// Pushes mono samples at the source rate in, gets 16 kHz samples out.
pub struct To16k {
    inner: Option<Engine>,
}

struct Engine {
    resampler: Fft<f32>,
    pending: Vec<f32>,
    output: Vec<f32>,
    /// Output samples still to drop (the resampler's delay).
    delay_left: usize,
    consumed: u64,
    produced: u64,
    ratio: f64,
}

impl std::fmt::Debug for To16k {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("To16k")
            .field("passthrough", &self.inner.is_none())
            .finish()
    }
}

impl To16k {
    /// A resampler from `source_rate` Hz to 16 kHz (a pass-through when already 16 kHz).
    pub fn new(source_rate: u32) -> Result<To16k> {
        if source_rate == SAMPLE_RATE {
            return Ok(To16k { inner: None });
        }
        if source_rate == 0 {
            return Err(Error::Invalid(
                "recording declares a sample rate of 0 Hz".into(),
            ));
        }
        let resampler = Fft::<f32>::new(
            source_rate as usize,
            SAMPLE_RATE as usize,
            CHUNK,
            1,
            FixedSync::Input,
        )
        .map_err(|e| Error::Invalid(format!("cannot resample from {source_rate} Hz: {e}")))?;
        let delay_left = resampler.output_delay();
        let output = vec![0.0; resampler.output_frames_max()];
        Ok(To16k {
            inner: Some(Engine {
                resampler,
                pending: Vec::with_capacity(2 * CHUNK),
                output,
                delay_left,
                consumed: 0,
                produced: 0,
                ratio: f64::from(SAMPLE_RATE) / f64::from(source_rate),
            }),
        })
    }

    /// Resamples `input`, appending 16 kHz samples to `out`.
    pub fn push(&mut self, input: &[f32], out: &mut Vec<f32>) {
        match &mut self.inner {
            None => out.extend_from_slice(input),
            Some(engine) => {
                engine.pending.extend_from_slice(input);
                let mut start = 0;
                while engine.pending.len() - start >= CHUNK {
                    engine.process(start, CHUNK, out);
                    start += CHUNK;
                }
                engine.pending.drain(..start);
            }
        }
    }

    /// Flushes the last samples; the total output is `round(input_len * 16000 / rate)`.
    pub fn finish(&mut self, out: &mut Vec<f32>) {
        let Some(engine) = &mut self.inner else {
            return;
        };
        let expected = (engine.consumed as f64 * engine.ratio).round() as u64;
        let remaining = engine.pending.len();
        let expected = expected + (remaining as f64 * engine.ratio).round() as u64;
        if remaining > 0 {
            engine.pending.resize(CHUNK, 0.0);
            engine.process_partial(remaining, out);
        }
        // Feed silence until the delayed tail has come out.
        let mut guard = 0;
        while engine.produced < expected && guard < 16 {
            engine.pending.clear();
            engine.pending.resize(CHUNK, 0.0);
            engine.process_partial(0, out);
            guard += 1;
        }
        if engine.produced > expected {
            let extra = (engine.produced - expected) as usize;
            out.truncate(out.len().saturating_sub(extra));
            engine.produced = expected;
        }
        engine.pending.clear();
    }
}

impl Engine {
    fn process(&mut self, start: usize, len: usize, out: &mut Vec<f32>) {
        let input = InterleavedSlice::new(&self.pending[start..start + len], 1, len)
            .expect("chunk length matches");
        let written = run(&mut self.resampler, &input, None, &mut self.output);
        self.emit(written, out);
        self.consumed += len as u64;
    }

    fn process_partial(&mut self, valid: usize, out: &mut Vec<f32>) {
        let input = InterleavedSlice::new(&self.pending[..CHUNK], 1, CHUNK).expect("chunk length");
        let indexing = Indexing::new().partial_len(valid);
        let written = run(
            &mut self.resampler,
            &input,
            Some(&indexing),
            &mut self.output,
        );
        self.emit(written, out);
    }

    /// Appends the first `written` output samples, minus the resampler delay still owed.
    fn emit(&mut self, written: usize, out: &mut Vec<f32>) {
        let drop = self.delay_left.min(written);
        self.delay_left -= drop;
        out.extend_from_slice(&self.output[drop..written]);
        self.produced += (written - drop) as u64;
    }
}

fn run(
    resampler: &mut Fft<f32>,
    input: &InterleavedSlice<&[f32]>,
    indexing: Option<&Indexing>,
    output: &mut [f32],
) -> usize {
    let frames = output.len();
    let mut output = InterleavedSlice::new_mut(output, 1, frames).expect("output sized by max");
    let (_, written) = resampler
        .process_into_buffer(input, &mut output, indexing)
        .expect("buffers sized from the resampler's own limits");
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resample_all(rate: u32, input: &[f32], piece: usize) -> Vec<f32> {
        let mut r = To16k::new(rate).unwrap();
        let mut out = Vec::new();
        for chunk in input.chunks(piece) {
            r.push(chunk, &mut out);
        }
        r.finish(&mut out);
        out
    }

    #[test]
    fn keeps_length_and_timing() {
        let rate = 44_100;
        let mut input = vec![0.0f32; rate as usize * 3];
        // A short tone burst starting at exactly 1.5 s.
        let start = rate as usize * 3 / 2;
        for i in 0..2205 {
            input[start + i] = (i as f32 * 2.0 * std::f32::consts::PI * 1000.0 / rate as f32).sin();
        }
        let out = resample_all(rate, &input, 1000);
        assert_eq!(out.len(), 48_000);
        let onset = out.iter().position(|x| x.abs() > 0.1).unwrap();
        assert!((onset as i64 - 24_000).abs() <= 2, "onset at {onset}");
    }

    #[test]
    fn passthrough_at_16k() {
        let input: Vec<f32> = (0..1000).map(|i| i as f32).collect();
        assert_eq!(resample_all(16_000, &input, 77), input);
    }

    #[test]
    fn chunking_does_not_change_output() {
        let input: Vec<f32> = (0..50_000)
            .map(|i| ((i * 7919) % 1000) as f32 / 1000.0)
            .collect();
        let a = resample_all(22_050, &input, 333);
        let b = resample_all(22_050, &input, 10_000);
        assert_eq!(a.len(), b.len());
        assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-4));
    }
}
