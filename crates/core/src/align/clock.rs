//! The transcript's clock: a robust straight-line fit of stated stamps to aligned times
//! (Theil–Sen, from [`crate::stats`]).

use crate::stats::{median, theil_sen_slope};

/// `actual ≈ offset + rate · stated`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock {
    /// Seconds added to every stated time.
    pub offset: f64,
    /// Actual seconds per stated second (1.003: the stamps run 0.3% slow).
    pub rate: f64,
}

impl Default for Clock {
    fn default() -> Self {
        Clock {
            offset: 0.0,
            rate: 1.0,
        }
    }
}

impl Clock {
    /// Where a stamp says the turn starts, on the recording's time line.
    pub fn predict(&self, stated: f64) -> f64 {
        self.offset + self.rate * stated
    }
}

/// Theil–Sen fit over `(stated, actual)` points: median pairwise slope
/// ([`theil_sen_slope`]), then median offset.
///
/// Unmoved by up to ~29% of wild points. `None` with fewer than 2 distinct stated times.
pub fn theil_sen(points: &[(f64, f64)]) -> Option<Clock> {
    let (x, y): (Vec<f64>, Vec<f64>) = points.iter().copied().unzip();
    let rate = theil_sen_slope(&x, &y, &[(0, x.len())])?;
    let mut offsets: Vec<f64> = points.iter().map(|(x, y)| y - rate * x).collect();
    let offset = median(&mut offsets)?;
    Some(Clock { offset, rate })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_a_quarter_of_wild_points() {
        let mut points: Vec<(f64, f64)> = (0..40)
            .map(|i| (i as f64 * 30.0, 1.8 + 1.003 * i as f64 * 30.0))
            .collect();
        for (k, p) in points.iter_mut().enumerate().filter(|(k, _)| k % 4 == 1) {
            p.1 += 20.0 + k as f64;
        }
        let clock = theil_sen(&points).unwrap();
        assert!(
            (clock.rate - 1.003).abs() < 1e-6 && (clock.offset - 1.8).abs() < 1e-6,
            "{clock:?}"
        );
    }

    #[test]
    fn too_few_points() {
        assert!(theil_sen(&[]).is_none());
        assert!(theil_sen(&[(1.0, 2.0)]).is_none());
        assert!(theil_sen(&[(1.0, 2.0), (1.0, 3.0)]).is_none());
    }
}
