//! Transcript parsing speed on a ~10 MB block-format transcript: the Kerry example repeated
//! with its stamps shifted by 40 minutes per copy (so they stay in order), built once outside
//! the timed loop. Reported in bytes per second.
//!
//! `cargo bench --bench transcript -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use talign::transcript::{self, format_stamp, parse_stamp};

const KERRY: &str = include_str!("../sample-audio/kerry-aleppo-2016.txt");
const TARGET_BYTES: usize = 10 << 20;

/// The Kerry transcript repeated to ~10 MB, each copy's stamps shifted 40 minutes later.
fn big_transcript() -> String {
    let mut out = String::with_capacity(TARGET_BYTES + KERRY.len());
    let mut copy = 0u32;
    while out.len() < TARGET_BYTES {
        let shift = f64::from(copy) * 2400.0;
        for line in KERRY.lines() {
            match parse_stamp(line) {
                Ok((seconds, style)) => out.push_str(&format_stamp(seconds + shift, &style)),
                Err(_) => out.push_str(line),
            }
            out.push('\n');
        }
        out.push('\n');
        copy += 1;
    }
    out
}

fn bench(c: &mut Criterion) {
    let text = big_transcript();
    let mut group = c.benchmark_group("transcript");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("parse_block_10mb", |b| {
        b.iter(|| transcript::parse(black_box(&text), None))
    });
    group.bench_function("read_bytes_block_10mb", |b| {
        b.iter(|| transcript::read_bytes(black_box(text.as_bytes()), "bench.txt".as_ref(), None))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
