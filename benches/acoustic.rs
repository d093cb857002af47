//! Throughput of the acoustic model, in frames (10 ms) per second.
//!
//! ```text
//! cargo bench --bench acoustic
//! ```
//!
//! - `acoustic/score/threads=N`: Gaussian and senone scoring (all 5126 senones, top-4
//!   densities of each of the 42 codebooks x 3 streams) of the 45 s committed clip's
//!   features (computed once, outside the timing) inside a rayon pool of N threads.
//! - `acoustic/frontend`: the model's MFCC front end, CMN and deltas on the same clip.

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use talign::acoustic::frontend::{cepstra, dynamic_features, normalise_mean};
use talign::acoustic::model::AcousticModel;

const CLIP: &str = "sample-audio/clip-kerry-45s.wav";

fn decode_16k(path: &str) -> Vec<f32> {
    let decoder = talign::decode::open(Path::new(path)).expect("clip decodes");
    let mut resampler =
        talign::resample::To16k::new(decoder.info().sample_rate).expect("resampler");
    let mut out = Vec::new();
    decoder
        .run(|mono| resampler.push(mono, &mut out))
        .expect("clip decodes");
    resampler.finish(&mut out);
    out
}

fn acoustic(c: &mut Criterion) {
    let model = AcousticModel::embedded().expect("model loads");
    let samples = decode_16k(CLIP);
    let features = |samples: &[f32]| {
        let mut cep = cepstra(samples, model.feat_params());
        normalise_mean(&mut cep);
        dynamic_features(&cep)
    };
    let feats = features(&samples);
    let mut group = c.benchmark_group("acoustic");
    group.sample_size(10);
    group.throughput(Throughput::Elements(feats.len() as u64));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        group.bench_with_input(
            BenchmarkId::new("score", format!("threads={threads}")),
            &feats,
            |b, feats| b.iter(|| pool.install(|| black_box(model.score(feats)))),
        );
    }
    group.bench_function("frontend", |b| b.iter(|| black_box(features(&samples))));
    group.finish();
}

criterion_group!(benches, acoustic);
criterion_main!(benches);
