//! The recording's loudness over time, the strip the review page draws its turns on.

/// Bins per second (20 ms each): fine enough to see a word's syllables in the detail view,
/// small enough that 10 hours take 1.8 MB.
const PER_SECOND: u32 = 50;
/// The quietest level shown, dB below full scale; quieter bins are 0.
const FLOOR_DB: f32 = 45.0;

/// Peak level per 20 ms bin on a dB scale mapped to 0–255 (0: −45 dBFS or quieter, 255:
/// full scale). Fed mono samples in order with [`Envelope::push`].
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    samples_per_bin: f64,
    seen: u64,
    peak: f32,
    levels: Vec<u8>,
}

impl Envelope {
    /// An empty envelope for samples at `sample_rate` Hz.
    pub fn new(sample_rate: u32) -> Envelope {
        Envelope {
            samples_per_bin: f64::from(sample_rate.max(1)) / f64::from(PER_SECOND),
            seen: 0,
            peak: 0.0,
            levels: Vec::new(),
        }
    }

    /// Adds the next mono samples.
    pub fn push(&mut self, samples: &[f32]) {
        for &s in samples {
            let a = s.abs();
            if a > self.peak {
                self.peak = a;
            }
            self.seen += 1;
            // A bin ends where the next one starts in exact time, so bins never drift.
            let bin_end = ((self.levels.len() + 1) as f64 * self.samples_per_bin).round() as u64;
            if self.seen >= bin_end {
                self.close_bin();
            }
        }
    }

    /// The levels, one byte per bin, the last partial bin included.
    pub fn finish(mut self) -> Envelope {
        if self.seen as f64 > self.levels.len() as f64 * self.samples_per_bin + 0.5 {
            self.close_bin();
        }
        self
    }

    fn close_bin(&mut self) {
        self.levels.push(level(self.peak));
        self.peak = 0.0;
    }

    /// Bins per second.
    pub fn per_second(&self) -> u32 {
        PER_SECOND
    }

    /// One byte per bin.
    pub fn levels(&self) -> &[u8] {
        &self.levels
    }
}

/// A peak amplitude as 0–255 on the dB scale.
fn level(peak: f32) -> u8 {
    if peak.is_nan() || peak <= 0.0 {
        return 0;
    }
    let db = 20.0 * peak.min(1.0).log10();
    (((db + FLOOR_DB) / FLOOR_DB).clamp(0.0, 1.0) * 255.0).round() as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_bin_per_20_ms_with_the_peak_in_db() {
        let rate = 16_000;
        let mut env = Envelope::new(rate);
        // 1 s of silence, then 0.5 s at full scale, then 0.5 s at -30 dBFS, pushed in odd chunks.
        let mut samples = vec![0.0f32; rate as usize];
        samples.extend(std::iter::repeat_n(1.0f32, rate as usize / 2));
        samples.extend(std::iter::repeat_n(0.031_622_8f32, rate as usize / 2));
        for chunk in samples.chunks(777) {
            env.push(chunk);
        }
        let env = env.finish();
        assert_eq!(env.levels().len(), 100);
        assert!(env.levels()[..50].iter().all(|&l| l == 0));
        assert!(env.levels()[50..75].iter().all(|&l| l == 255));
        // -30 dBFS is a third of the way up from the -45 dB floor: 255 / 3 = 85.
        assert!(env.levels()[75..].iter().all(|&l| (84..=86).contains(&l)));
    }

    #[test]
    fn a_partial_last_bin_counts() {
        let mut env = Envelope::new(1000);
        env.push(&[0.5; 30]); // one 20 ms bin and half of the next
        assert_eq!(env.finish().levels().len(), 2);
    }
}
