//! Times senone scoring on the committed 45 s clip (1 and 2 threads) and compares the
//! scores with a saved reference: `cargo run --profile ci --example acoustic_score_time [ref.bin]`.
//! Without the reference file it writes one.

use std::path::Path;
use std::time::Instant;

use talign::acoustic::{AcousticModel, cepstra, dynamic_features, normalise_mean};

fn main() {
    let model = AcousticModel::embedded().expect("model loads");
    let decoder = talign::decode::open(Path::new("sample-audio/clip-kerry-45s.wav")).expect("clip");
    let mut rs = talign::resample::To16k::new(decoder.info().sample_rate).expect("resampler");
    let mut samples = Vec::new();
    decoder.run(|m| rs.push(m, &mut samples)).expect("decode");
    rs.finish(&mut samples);
    let mut cep = cepstra(&samples, model.feat_params());
    normalise_mean(&mut cep);
    let feats = dynamic_features(&cep);
    let mut scores = None;
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let mut best = f64::INFINITY;
        for _ in 0..5 {
            let t = Instant::now();
            let s = pool.install(|| model.score(&feats));
            best = best.min(t.elapsed().as_secs_f64());
            scores = Some(s);
        }
        println!(
            "threads={threads}: {:.0} frames/s ({} frames)",
            feats.len() as f64 / best,
            feats.len()
        );
    }
    let s = scores.expect("scored");
    let flat: Vec<f32> = (0..s.frames()).flat_map(|t| s.frame(t).to_vec()).collect();
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/acoustic_ref.bin".into());
    match std::fs::read(&path) {
        Ok(bytes) => {
            let r: Vec<f32> = bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
                .collect();
            assert_eq!(r.len(), flat.len());
            let (mut abs, mut rel) = (0f32, 0f32);
            for (a, b) in flat.iter().zip(&r) {
                abs = abs.max((a - b).abs());
                rel = rel.max((a - b).abs() / b.abs().max(1.0));
            }
            println!("vs {path}: max abs diff {abs:.3e}, max rel diff {rel:.3e}");
        }
        Err(_) => {
            let bytes: Vec<u8> = flat.iter().flat_map(|v| v.to_le_bytes()).collect();
            std::fs::write(&path, bytes).expect("write reference");
            println!("wrote {path}");
        }
    }
}
