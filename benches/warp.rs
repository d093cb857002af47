//! The reference warp: banded dynamic time warping, in cells per second, and the whole
//! snap of the 37-min sample.
//!
//! ```text
//! cargo bench --bench warp
//! ```
//!
//! - `dtw/band=W`: one warp of 6 000 reference frames (one minute) onto 7 000 audio frames of
//!   seeded random cepstra, inside a band W frames wide; throughput counts band cells.
//! - `snap/sample`: [`snap_turns`] on the sample (analysis, lattice and espeak-ng synthesis
//!   done once, outside the timing); throughput counts turns.

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use talign::align::{align_turns, build_chunks};
use talign::features::CepstrumStore;
use talign::pipeline::{AlignOptions, turn_inputs};
use talign::progress::Silent;
use talign::reference::{Band, Costs, Frames, SnapConfig, snap_turns, speak_turns, warp};
use talign::vad::Vad;

/// Deterministic pseudo-random values in [-1, 1] (xorshift).
fn seeded(seed: u64, len: usize) -> Vec<f32> {
    let mut state = seed.max(1);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % 20_001) as f32 / 10_000.0 - 1.0
        })
        .collect()
}

fn frames(seed: u64, len: usize) -> Frames {
    Frames {
        dims: 12,
        values: seeded(seed, len * 12),
        speech: seeded(seed + 1, len).iter().map(|v| v.abs()).collect(),
    }
}

fn dtw(c: &mut Criterion) {
    let (n, m) = (6_000, 7_000);
    let reference = frames(1, n);
    let audio = frames(3, m);
    let costs = Costs {
        mismatch: 1.5,
        skip: 1.0,
        stretch: 0.0,
    };
    let mut group = c.benchmark_group("dtw");
    for width in [50u32, 800] {
        let guide: Vec<(u32, u32)> = (0..n as u32).map(|i| (i * 7 / 6, i * 7 / 6)).collect();
        let band = Band::around(&guide, width / 2, m as u32);
        group.throughput(Throughput::Elements(band.cells() as u64));
        group.bench_with_input(BenchmarkId::new("band", width), &band, |b, band| {
            b.iter(|| warp(black_box(&reference), &audio, band, costs, &[]))
        });
    }
    group.finish();
}

fn snap(c: &mut Criterion) {
    let options = AlignOptions::default();
    let mut vad = Vad::new(options.vad.clone())
        .with_chunks(options.chunk_gap, options.chunk_drop_db)
        .with_frame_scores();
    let mut cepstra = CepstrumStore::default();
    talign::analysis::analyse(
        Path::new("sample-audio/kerry-aleppo-2016.mp3"),
        &Silent,
        |b| {
            vad.push(b);
            cepstra.push(b);
        },
    )
    .expect("sample decodes");
    let found = vad.into_parts();
    let transcript =
        talign::transcript::read(Path::new("sample-audio/kerry-aleppo-2016.txt"), None)
            .expect("transcript");
    let chunks = build_chunks(&found.chunks, &cepstra).expect("cepstra read back");
    let outcome = align_turns(&turn_inputs(&transcript), &chunks, &options.align).expect("aligns");
    let words = talign::pipeline::words_to_speak(&transcript);
    let spoken = speak_turns(&words, "en", 175).expect("espeak-ng installed");
    let mut group = c.benchmark_group("snap");
    group.sample_size(10);
    group.throughput(Throughput::Elements(transcript.turns.len() as u64));
    group.bench_function("sample", |b| {
        b.iter(|| {
            snap_turns(
                black_box(&outcome.placements),
                &spoken,
                &cepstra,
                &found.frame_scores,
                &SnapConfig::default(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, dtw, snap);
criterion_main!(benches);
