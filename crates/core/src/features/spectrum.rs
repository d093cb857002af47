//! Windowed power spectra with rustfft, two real frames per complex FFT.

use std::sync::Arc;

use rustfft::Fft;
use rustfft::num_complex::Complex32;

use crate::time::WINDOW_SAMPLES;

/// FFT length: the 400-sample window zero-padded to a power of two.
pub const FFT_SIZE: usize = 512;
/// Bins in a one-sided power spectrum (0..=Nyquist).
pub const SPECTRUM_BINS: usize = FFT_SIZE / 2 + 1;

/// The periodic Hann window of [`WINDOW_SAMPLES`] samples.
pub fn hann_window() -> Vec<f32> {
    (0..WINDOW_SAMPLES)
        .map(|n| {
            let x = std::f32::consts::PI * 2.0 * n as f32 / WINDOW_SAMPLES as f32;
            0.5 - 0.5 * x.cos()
        })
        .collect()
}

/// Power spectra of two windowed frames `a` and `b` at once.
///
/// Packs `a + i·b` into one complex FFT and separates the halves by conjugate symmetry,
/// which halves the FFT work. `buffer` must be `FFT_SIZE` long; `fft` a forward plan of
/// that size; outputs are `SPECTRUM_BINS` long. Allocates the FFT's scratch on every call;
/// [`power_spectra_pair_into`] takes it from the caller. The tests' convenience: the
/// extractor always reuses its scratch.
#[cfg(test)]
pub(crate) fn power_spectra_pair(
    fft: &Arc<dyn Fft<f32>>,
    window: &[f32],
    a: &[f32],
    b: &[f32],
    buffer: &mut [Complex32],
    out_a: &mut [f32],
    out_b: &mut [f32],
) {
    let mut scratch = vec![Complex32::new(0.0, 0.0); fft.get_inplace_scratch_len()];
    power_spectra_pair_into(fft, window, a, b, buffer, &mut scratch, out_a, out_b);
}

/// `power_spectra_pair` (the tests') with the FFT's scratch (`fft.get_inplace_scratch_len()` long)
/// owned by the caller, so the hot loop never allocates.
#[allow(clippy::too_many_arguments)]
pub fn power_spectra_pair_into(
    fft: &Arc<dyn Fft<f32>>,
    window: &[f32],
    a: &[f32],
    b: &[f32],
    buffer: &mut [Complex32],
    scratch: &mut [Complex32],
    out_a: &mut [f32],
    out_b: &mut [f32],
) {
    assert_eq!(buffer.len(), FFT_SIZE);
    assert!(
        a.len() == WINDOW_SAMPLES && b.len() == WINDOW_SAMPLES && window.len() == WINDOW_SAMPLES
    );
    assert!(out_a.len() == SPECTRUM_BINS && out_b.len() == SPECTRUM_BINS);
    let (framed, padding) = buffer.split_at_mut(WINDOW_SAMPLES);
    for (((slot, x), y), w) in framed.iter_mut().zip(a).zip(b).zip(window) {
        *slot = Complex32::new(x * w, y * w);
    }
    padding.fill(Complex32::new(0.0, 0.0));
    fft.process_with_scratch(buffer, scratch);
    // Bin k pairs with bin N-k (bin 0 with itself). With z = Z[k], s = Z[N-k]:
    // Xa = (z + conj s)/2, Xb = (z - conj s)/(2i); the squares below are |Xa|², |Xb|²
    // written out (the same operations, in the same order, as the complex arithmetic).
    let (zr, zi) = (buffer[0].re, buffer[0].im);
    (out_a[0], out_b[0]) = separate(zr, zi, zr, zi);
    let low = &buffer[1..SPECTRUM_BINS];
    let high = &buffer[FFT_SIZE - (SPECTRUM_BINS - 1)..];
    for (((z, s), pa), pb) in low
        .iter()
        .zip(high.iter().rev())
        .zip(&mut out_a[1..])
        .zip(&mut out_b[1..])
    {
        (*pa, *pb) = separate(z.re, z.im, s.re, s.im);
    }
}

/// `|(z + conj s)/2|²` and `|(z - conj s)/(2i)|²` from the parts of `z` and `s`.
#[inline(always)]
fn separate(zr: f32, zi: f32, sr: f32, si: f32) -> (f32, f32) {
    let (ar, ai) = ((zr + sr) * 0.5, (zi - si) * 0.5);
    let (br, bi) = ((zi + si) * 0.5, (zr - sr) * -0.5);
    (ar * ar + ai * ai, br * br + bi * bi)
}

/// Reference: power spectrum of one windowed frame by a direct DFT (slow; tests only).
#[cfg(test)]
pub(crate) fn power_spectrum_naive(window: &[f32], frame: &[f32]) -> Vec<f32> {
    (0..SPECTRUM_BINS)
        .map(|k| {
            let mut re = 0.0f64;
            let mut im = 0.0f64;
            for n in 0..WINDOW_SAMPLES {
                let x = f64::from(frame[n] * window[n]);
                let phase = -2.0 * std::f64::consts::PI * (k * n) as f64 / FFT_SIZE as f64;
                re += x * phase.cos();
                im += x * phase.sin();
            }
            (re * re + im * im) as f32
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use rustfft::FftPlanner;

    use super::*;

    /// The separation as first written, with num-complex arithmetic.
    fn separated_with_complex_arithmetic(buffer: &[Complex32]) -> (Vec<f32>, Vec<f32>) {
        (0..SPECTRUM_BINS)
            .map(|k| {
                let z = buffer[k];
                let zc = buffer[(FFT_SIZE - k) % FFT_SIZE].conj();
                let xa = (z + zc) * 0.5;
                let xb = (z - zc) * Complex32::new(0.0, -0.5);
                (xa.norm_sqr(), xb.norm_sqr())
            })
            .unzip()
    }

    #[test]
    fn separation_is_bit_identical_to_complex_arithmetic() {
        let fft = FftPlanner::new().plan_fft_forward(FFT_SIZE);
        let window = hann_window();
        for seed in 0..8 {
            let a = crate::test_signals::seeded_noise(2 * seed, WINDOW_SAMPLES, 1.0);
            let b = crate::test_signals::seeded_noise(2 * seed + 1, WINDOW_SAMPLES, 0.01);
            let mut buffer = vec![Complex32::new(0.0, 0.0); FFT_SIZE];
            let (mut pa, mut pb) = (vec![0.0; SPECTRUM_BINS], vec![0.0; SPECTRUM_BINS]);
            power_spectra_pair(&fft, &window, &a, &b, &mut buffer, &mut pa, &mut pb);
            // Recompute the transform the reference separates.
            for i in 0..FFT_SIZE {
                buffer[i] = if i < WINDOW_SAMPLES {
                    Complex32::new(a[i] * window[i], b[i] * window[i])
                } else {
                    Complex32::new(0.0, 0.0)
                };
            }
            fft.process(&mut buffer);
            let (ra, rb) = separated_with_complex_arithmetic(&buffer);
            assert_eq!(pa, ra);
            assert_eq!(pb, rb);
        }
    }
}
