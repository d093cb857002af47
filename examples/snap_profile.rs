//! Where `talign align` spends its time on the 37-min sample, stage by stage, one thread
//! after another (no overlap): decode + features, the turn lattice, the reference voice
//! (espeak-ng synthesis and its analysis), and the reference warp.
//!
//! `cargo run --release --example snap_profile [N]` (N runs of the last three stages,
//! default 3; medians printed). `RAYON_NUM_THREADS=1` shows single-core cost.

use std::path::Path;
use std::time::Instant;

use talign::align::{align_turns, build_chunks};
use talign::features::CepstrumStore;
use talign::pipeline::{AlignOptions, turn_inputs};
use talign::progress::Silent;
use talign::reference::{SnapConfig, snap_turns, speak_turns};
use talign::vad::Vad;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let runs: usize = std::env::args().nth(1).map_or(3, |a| a.parse().expect("N"));
    let options = AlignOptions::default();
    let clock = Instant::now();
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
    .expect("decodes");
    let found = vad.into_parts();
    let analysis_s = clock.elapsed().as_secs_f64();
    let transcript =
        talign::transcript::read(Path::new("sample-audio/kerry-aleppo-2016.txt"), None)
            .expect("transcript");
    let chunks = build_chunks(&found.chunks, &cepstra).expect("cepstra read back");
    let inputs = turn_inputs(&transcript);
    let words = talign::pipeline::words_to_speak(&transcript);
    let (mut lattice, mut speak, mut warp) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        let outcome = align_turns(&inputs, &chunks, &options.align).expect("aligns");
        lattice.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let spoken = speak_turns(&words, "en", 175).expect("espeak-ng");
        speak.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let snapped = snap_turns(
            &outcome.placements,
            &spoken,
            &cepstra,
            &found.frame_scores,
            &SnapConfig::default(),
        );
        warp.push(t.elapsed().as_secs_f64());
        assert!(snapped.iter().flatten().count() > 0);
    }
    println!("| stage | seconds |");
    println!("|---|---:|");
    println!("| decode + features + VAD (once) | {analysis_s:.3} |");
    println!("| turn lattice (3 passes) | {:.3} |", median(lattice));
    println!(
        "| reference voice: espeak-ng + features | {:.3} |",
        median(speak)
    );
    println!(
        "| reference warp (coarse + fine DTW) | {:.3} |",
        median(warp)
    );
}
