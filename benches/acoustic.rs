//! Throughput of the acoustic model, in frames (10 ms) per second.
//!
//! ```text
//! cargo bench --bench acoustic
//! ```
//!
//! - `acoustic/score/threads=N`: Gaussian and senone scoring (all 5126 senones, top-4
//!   densities of each of the 42 codebooks x 3 streams) of the 45 s committed clip's
//!   features (computed once, outside the timing) inside a rayon pool of N threads.
//! - `acoustic/score_set/threads=N`: the same frames scored for one window's chain as
//!   `align` does it (the 27-word opening turn's senones plus the CI senones).
//! - `acoustic/frontend`: the model's MFCC front end, CMN and deltas on the same clip.
//! - `acoustic/viterbi/threads=N`: forced alignment of the clip's first 9.2 s (the opening
//!   turn's 27 words, scores computed outside the timing) on N threads' pool: throughput
//!   in band cells (frames x states kept) per second.

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use talign::acoustic::{
    AcousticModel, Dictionary, ForcedConfig, PronounceOptions, align_turn, cepstra,
    dynamic_features, normalise_mean, pronounce, words_senone_set,
};

const CLIP: &str = "sample-audio/clip-kerry-45s.wav";

fn acoustic(c: &mut Criterion) {
    let model = AcousticModel::embedded().expect("model loads");
    let samples = talign::analysis::samples_16k(Path::new(CLIP)).expect("clip decodes");
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
    // Viterbi over the opening turn of the clip (its text, as the transcript has it).
    let text = "And that's really what happened in the meeting. The Russians are sending the \
                idea back to Moscow. And we'll learn tomorrow whether it's yes or no, or some \
                variation.";
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let words = pronounce(
        Dictionary::embedded(),
        &tokens,
        &PronounceOptions::default(),
    )
    .words;
    let set = words_senone_set(&model, &words, &ForcedConfig::default()).expect("a chain");
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        group.bench_with_input(
            BenchmarkId::new("score_set", format!("threads={threads}")),
            &feats,
            |b, feats| b.iter(|| pool.install(|| black_box(model.score_set(feats, &set)))),
        );
    }
    group.bench_function("frontend", |b| b.iter(|| black_box(features(&samples))));
    group.finish();

    let window = &feats[..920.min(feats.len())];
    let scores = model.score(window);
    let config = ForcedConfig::default();
    let cells = align_turn(&model, &scores, 0..window.len(), &words, &config)
        .expect("the turn aligns")
        .cells;
    let mut group = c.benchmark_group("acoustic/viterbi");
    group.sample_size(10);
    group.throughput(Throughput::Elements(cells as u64));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        group.bench_function(format!("threads={threads}"), |b| {
            b.iter(|| {
                pool.install(|| {
                    black_box(align_turn(
                        &model,
                        &scores,
                        0..window.len(),
                        &words,
                        &config,
                    ))
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, acoustic);
criterion_main!(benches);
