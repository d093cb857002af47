//! MFCCs: orthonormal DCT-II of the log-mel spectrum.

/// Coefficients computed together: one 16-lane accumulator (two AVX registers).
const GROUP: usize = 16;

/// A precomputed DCT-II matrix, stored so that one pass over the input updates 16
/// coefficients at once: for each group of 16 coefficients, one row of weights per input.
#[derive(Debug, Clone)]
pub struct Dct {
    coeffs: usize,
    bands: usize,
    /// `groups[g * bands + n][j]`: weight of input `n` in coefficient `16 g + j` (0 past
    /// the last coefficient).
    groups: Vec<[f32; GROUP]>,
}

impl Dct {
    /// The first `coeffs` orthonormal DCT-II basis vectors over `bands` inputs.
    pub fn new(coeffs: usize, bands: usize) -> Dct {
        let weight = |k: usize, n: usize| {
            let scale = if k == 0 {
                (1.0 / bands as f64).sqrt()
            } else {
                (2.0 / bands as f64).sqrt()
            };
            let angle = std::f64::consts::PI * k as f64 * (n as f64 + 0.5) / bands as f64;
            (scale * angle.cos()) as f32
        };
        let mut groups = Vec::with_capacity(coeffs.div_ceil(GROUP) * bands);
        for first in (0..coeffs).step_by(GROUP) {
            for n in 0..bands {
                let mut row = [0.0f32; GROUP];
                for (j, w) in row.iter_mut().enumerate().take(coeffs - first) {
                    *w = weight(first + j, n);
                }
                groups.push(row);
            }
        }
        Dct {
            coeffs,
            bands,
            groups,
        }
    }

    /// Applies the transform to `input` (length `bands`) into `out` (length `coeffs`).
    ///
    /// Each coefficient is summed over the inputs in order, exactly as a plain dot product
    /// would be; sixteen coefficients advance together, which vectorises.
    pub fn apply_into(&self, input: &[f32], out: &mut [f32]) {
        let input = &input[..self.bands];
        for (rows, slots) in self
            .groups
            .chunks_exact(self.bands)
            .zip(out[..self.coeffs].chunks_mut(GROUP))
        {
            let mut acc = [0.0f32; GROUP];
            for (row, x) in rows.iter().zip(input) {
                for (a, w) in acc.iter_mut().zip(row) {
                    *a += w * x;
                }
            }
            slots.copy_from_slice(&acc[..slots.len()]);
        }
    }
}

/// Reference: the DCT-II formula evaluated directly in f64 (tests only).
#[cfg(test)]
pub(crate) fn dct_naive(input: &[f32], coeffs: usize) -> Vec<f32> {
    let n = input.len() as f64;
    (0..coeffs)
        .map(|k| {
            let scale = if k == 0 {
                (1.0 / n).sqrt()
            } else {
                (2.0 / n).sqrt()
            };
            let sum: f64 = input
                .iter()
                .enumerate()
                .map(|(i, x)| {
                    f64::from(*x) * (std::f64::consts::PI * k as f64 * (i as f64 + 0.5) / n).cos()
                })
                .sum();
            (scale * sum) as f32
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_major_product_equals_row_dot_products_exactly() {
        let (coeffs, bands) = (13, 40);
        let dct = Dct::new(coeffs, bands);
        let input = crate::test_signals::seeded_noise(11, bands, 20.0);
        let mut fast = vec![0.0; coeffs];
        dct.apply_into(&input, &mut fast);
        for (k, value) in fast.iter().enumerate() {
            let row = (0..bands).map(|n| dct.groups[n][k]);
            let dot: f32 = row.zip(&input).map(|(m, x)| m * x).sum();
            assert_eq!(*value, dot, "coefficient {k}");
        }
    }
}
