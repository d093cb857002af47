//! Profiling aid: analyses the 37-min sample once, then runs the turn aligner `N` times
//! (default 3), so that `perf stat` / `valgrind --tool=callgrind` see mostly the lattice.
//!
//! ```text
//! cargo build --profile profiling --example lattice_profile
//! perf stat -e instructions:u target/profiling/examples/lattice_profile 3
//! ```

use std::path::Path;

use talign::align::{align_turns, build_chunks};
use talign::features::CepstrumStore;
use talign::features::FeatureBlock;
use talign::pipeline::{AlignOptions, turn_inputs};
use talign::progress::Silent;
use talign::vad::Vad;

fn main() {
    let runs: usize = std::env::args().nth(1).map_or(3, |a| a.parse().expect("N"));
    let mut features = FeatureBlock::default();
    talign::analysis::analyse(
        Path::new("sample-audio/kerry-aleppo-2016.mp3"),
        &Silent,
        |b| features.append(b),
    )
    .expect("decodes");
    let options = AlignOptions::default();
    let mut vad =
        Vad::new(options.vad.clone()).with_chunks(options.chunk_gap, options.chunk_drop_db);
    let mut cepstra = CepstrumStore::default();
    vad.push(&features);
    cepstra.push(&features);
    let chunks = build_chunks(&vad.into_parts().chunks, &cepstra).expect("cepstra read back");
    let transcript =
        talign::transcript::read(Path::new("sample-audio/kerry-aleppo-2016.txt"), None)
            .expect("transcript");
    let inputs = turn_inputs(&transcript);
    let (start, cpu) = (std::time::Instant::now(), cpu_s());
    let mut last = None;
    for _ in 0..runs {
        last = Some(align_turns(&inputs, &chunks, &options.align).expect("aligns"));
    }
    if let Some(outcome) = last {
        eprintln!(
            "{runs} runs, {:.3} s wall, {:.3} s CPU each; first turn at {:.3} s",
            start.elapsed().as_secs_f64() / runs as f64,
            (cpu_s() - cpu) / runs as f64,
            outcome.placements[0].start_s()
        );
    }
}

/// Process CPU time (user + sys), seconds, from /proc/self/stat (0 where there is none).
fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}
