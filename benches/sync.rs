//! The sync's split search: placing every cue at an offset on the grid, or cutting it, by
//! dynamic programming over the cues (`talign::sync::split::place`), in cells per second.
//!
//! ```text
//! cargo bench --bench sync
//! ```
//!
//! - `split/place`: 312 cues (the Festival rendition's subtitles, by count and lengths)
//!   over 37 minutes of seeded speech and pauses, offsets within ±60 s (`--max-offset`'s
//!   default) on the 100-ms grid; throughput counts cue × offset cells. A `splits` sync
//!   places its cues so for 22 frame-rate ratios.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use talign::sync::SplitConfig;
use talign::sync::split::{SpeechPrefix, place};

/// Deterministic pseudo-random integers in `0..m` (xorshift).
struct Seeded(u64);

impl Seeded {
    fn next(&mut self, m: u64) -> i64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % m) as i64
    }
}

fn split(c: &mut Criterion) {
    let mut seeded = Seeded(0x9e37_79b9_7f4a_7c15);
    let frames = 37 * 60 * 100;
    // Speech in runs of 0.2–3 s, half of it pauses.
    let mut speech = vec![0.0f32; frames];
    let mut at = 0;
    while at < frames {
        let len = (20 + seeded.next(280)) as usize;
        if seeded.next(2) == 0 {
            speech[at..(at + len).min(frames)].fill(1.0);
        }
        at += len;
    }
    // 312 cues of 1–8 s with gaps of 0.1–1.5 s.
    let mut cues = Vec::new();
    let mut t = 100;
    for _ in 0..312 {
        let len = 100 + seeded.next(700);
        cues.push((t, t + len));
        t += len + 10 + seeded.next(140);
    }
    let prefix = SpeechPrefix::new(&speech);
    let config = SplitConfig::default();
    let max_lag = 6_000;
    let offsets = (2 * max_lag / config.step + 1) as u64;
    let mut group = c.benchmark_group("split");
    group.sample_size(10);
    group.throughput(Throughput::Elements(cues.len() as u64 * offsets));
    group.bench_function("place", |b| {
        b.iter(|| place(black_box(&prefix), &cues, -max_lag, max_lag, &config))
    });
    group.finish();
}

criterion_group!(benches, split);
criterion_main!(benches);
