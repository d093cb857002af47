//! Throughput of the analysis kernels, in frames (10 ms) per second.
//!
//! ```text
//! cargo bench --bench features                     # everything
//! cargo bench --bench features -- features/        # one group
//! ```
//!
//! - `decode/sample`: symphonia alone on the 37-min sample (the floor under every command);
//!   throughput counts 10 ms frames of audio.
//! - `features/threads=N`: feature extraction (power spectra, log-mel, MFCC, voicing) of the
//!   45 s committed clip inside a rayon pool of N threads.
//! - `kernels/...`: one frame pair's packed power spectra, log-mel energies, DCT and voicing
//!   search, the parts `features/` spends its time in; throughput counts frames.
//! - `vad/...`: the detector over the features of the 37-min sample (computed once,
//!   outside the timing), with the CLI's defaults and with the aligner's chunker and scores.
//! - `align/lattice/threads=N`: the turn aligner (`align_turns`, three passes with soft
//!   forward-backward) on the sample's chunks and transcript in a pool of N threads;
//!   throughput counts turns.

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rustfft::FftPlanner;
use rustfft::num_complex::Complex32;
use talign::align::{align_turns, build_chunks};
use talign::features::CepstrumStore;
use talign::features::{
    Dct, Extractor, FFT_SIZE, FeatureBlock, MEL_BANDS, MEL_HIGH_HZ, MEL_LOW_HZ, MFCC_COEFFS,
    MelBank, SPECTRUM_BINS, VOICING_MAX_LAG, power_spectra_pair_into, voicing_and_lag,
};
use talign::pipeline::{AlignOptions, turn_inputs};
use talign::progress::Silent;
use talign::time::{HOP_SAMPLES, WINDOW_SAMPLES};
use talign::vad::{Vad, VadConfig};

const CLIP: &str = "sample-audio/clip-kerry-45s.wav";
const SAMPLE: &str = "sample-audio/kerry-aleppo-2016.mp3";
const TRANSCRIPT: &str = "sample-audio/kerry-aleppo-2016.txt";

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

fn sample_features() -> FeatureBlock {
    let mut all = FeatureBlock::default();
    talign::analysis::analyse(Path::new(SAMPLE), &Silent, |b| all.append(b)).expect("decodes");
    all
}

fn decode(c: &mut Criterion) {
    let frames = sample_features().len() as u64;
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Elements(frames));
    group.sample_size(10);
    group.bench_function("sample", |b| {
        b.iter(|| {
            let decoder = talign::decode::open(Path::new(SAMPLE)).expect("sample decodes");
            let mut samples = 0usize;
            decoder
                .run(|mono| samples += black_box(mono).len())
                .expect("sample decodes");
            samples
        })
    });
    group.finish();
}

fn kernels(c: &mut Criterion) {
    let samples = decode_16k(CLIP);
    // 200 frame pairs from the middle of the clip.
    let pairs: Vec<(&[f32], &[f32])> = (0..200)
        .map(|k| {
            let start = 1_000 * HOP_SAMPLES + 2 * k * HOP_SAMPLES;
            (
                &samples[start..start + WINDOW_SAMPLES],
                &samples[start + HOP_SAMPLES..start + HOP_SAMPLES + WINDOW_SAMPLES],
            )
        })
        .collect();
    let mut planner = FftPlanner::new();
    let fft = planner.plan_fft_forward(FFT_SIZE);
    let window = talign::features::hann_window();
    let mut buffer = vec![Complex32::new(0.0, 0.0); FFT_SIZE];
    let mut work = vec![Complex32::new(0.0, 0.0); fft.get_inplace_scratch_len()];
    let (mut pa, mut pb) = (vec![0.0; SPECTRUM_BINS], vec![0.0; SPECTRUM_BINS]);
    let mut group = c.benchmark_group("kernels");
    group.throughput(Throughput::Elements(2 * pairs.len() as u64));
    group.bench_function("power_spectra_pair", |b| {
        b.iter(|| {
            for (a, bb) in &pairs {
                power_spectra_pair_into(
                    &fft,
                    &window,
                    black_box(a),
                    black_box(bb),
                    &mut buffer,
                    &mut work,
                    &mut pa,
                    &mut pb,
                );
            }
        })
    });
    let bank = MelBank::new(MEL_BANDS, MEL_LOW_HZ, MEL_HIGH_HZ);
    let dct = Dct::new(MFCC_COEFFS, MEL_BANDS);
    let mut mel = vec![0.0; MEL_BANDS];
    let mut mfcc = vec![0.0; MFCC_COEFFS];
    group.bench_function("log_mel_and_dct", |b| {
        b.iter(|| {
            for power in [&pa, &pb].into_iter().cycle().take(2 * pairs.len()) {
                bank.log_energies_into(black_box(power), &mut mel);
                dct.apply_into(&mel, &mut mfcc);
            }
        })
    });
    let taper: Vec<f32> = (0..=VOICING_MAX_LAG)
        .map(|lag| 1.0 - lag as f32 / WINDOW_SAMPLES as f32)
        .collect();
    let autocorr = &pa[..=VOICING_MAX_LAG];
    group.bench_function("voicing_search", |b| {
        b.iter(|| {
            (0..2 * pairs.len())
                .map(|_| voicing_and_lag(black_box(autocorr), &taper).1)
                .sum::<usize>()
        })
    });
    group.finish();
}

fn features(c: &mut Criterion) {
    let samples = decode_16k(CLIP);
    let frames = samples.len().div_ceil(talign::time::HOP_SAMPLES) as u64;
    let mut group = c.benchmark_group("features");
    group.throughput(Throughput::Elements(frames));
    group.sample_size(20);
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        group.bench_with_input(
            BenchmarkId::new("threads", threads),
            &samples,
            |b, samples| b.iter(|| pool.install(|| Extractor::analyse(black_box(samples)))),
        );
    }
    group.finish();
}

fn vad(c: &mut Criterion) {
    let features = sample_features();
    let mut group = c.benchmark_group("vad");
    group.throughput(Throughput::Elements(features.len() as u64));
    group.sample_size(10);
    group.bench_function("default", |b| {
        b.iter(|| {
            let mut vad = Vad::new(VadConfig::default());
            vad.push(black_box(&features));
            vad.finish()
        })
    });
    let options = AlignOptions::default();
    group.bench_function("aligner_chunks_and_scores", |b| {
        b.iter(|| {
            let mut vad = Vad::new(options.vad.clone())
                .with_chunks(options.chunk_gap, options.chunk_drop_db)
                .with_frame_scores();
            vad.push(black_box(&features));
            vad.into_parts()
        })
    });
    group.finish();

    let options = AlignOptions::default();
    let mut vad =
        Vad::new(options.vad.clone()).with_chunks(options.chunk_gap, options.chunk_drop_db);
    let mut cepstra = CepstrumStore::default();
    vad.push(&features);
    cepstra.push(&features);
    let chunks = build_chunks(&vad.into_parts().chunks, &cepstra).expect("cepstra read back");
    let transcript = talign::transcript::read(Path::new(TRANSCRIPT), None).expect("transcript");
    let inputs = turn_inputs(&transcript);
    let mut group = c.benchmark_group("align");
    group.throughput(Throughput::Elements(inputs.len() as u64));
    group.sample_size(10);
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        group.bench_with_input(
            BenchmarkId::new("lattice/threads", threads),
            &inputs,
            |b, inputs| {
                b.iter(|| {
                    pool.install(|| {
                        align_turns(black_box(inputs), black_box(&chunks), &options.align)
                            .expect("aligns")
                    })
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, decode, kernels, features, vad);
criterion_main!(benches);
