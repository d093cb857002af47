//! Profiling aid: wall and CPU (user + sys) time of each stage of `talign align`, run one
//! after another on one thread where possible, so the sum shows where the work is.
//!
//! ```text
//! cargo run --release --example stage_times [AUDIO TRANSCRIPT]
//! ```
//!
//! Stages: decode (symphonia, no-op sink), resample, features (1 and 2 rayon threads),
//! the streamed analysis as the CLI runs it, the VAD (with the aligner's chunks and
//! scores), the cepstrum store, and the turn aligner (all passes).

use std::path::Path;
use std::time::Instant;

use talign::align::{align_turns, build_chunks};
use talign::features::CepstrumStore;
use talign::features::{Extractor, FeatureBlock};
use talign::pipeline::{AlignOptions, turn_inputs};
use talign::progress::Silent;
use talign::vad::Vad;

/// Process CPU time (user + sys), seconds, from /proc/self/stat.
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
    // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name.
    (ticks(11) + ticks(12)) / 100.0
}

fn timed<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let (wall, cpu) = (Instant::now(), cpu_s());
    let out = f();
    eprintln!(
        "{name:<28} wall {:7.3} s  cpu {:7.3} s",
        wall.elapsed().as_secs_f64(),
        cpu_s() - cpu
    );
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let audio = args
        .next()
        .unwrap_or_else(|| "sample-audio/kerry-aleppo-2016.mp3".into());
    let text = args
        .next()
        .unwrap_or_else(|| "sample-audio/kerry-aleppo-2016.txt".into());
    let audio = Path::new(&audio);

    let source = timed("decode (no-op sink)", || {
        let decoder = talign::decode::open(audio).expect("opens");
        let mut n = 0usize;
        let info = decoder.run(|mono| n += mono.len()).expect("decodes");
        (info, n)
    });
    let rate = source.0.sample_rate;
    let mono = {
        let decoder = talign::decode::open(audio).expect("opens");
        let mut all = Vec::new();
        decoder.run(|m| all.extend_from_slice(m)).expect("decodes");
        all
    };
    let samples = timed("resample", || {
        let mut r = talign::resample::To16k::new(rate).expect("resampler");
        let mut out = Vec::new();
        r.push(&mono, &mut out);
        r.finish(&mut out);
        out
    });
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        timed(&format!("features ({threads} threads)"), || {
            pool.install(|| Extractor::analyse(&samples))
        });
    }
    let features = timed("analysis (streamed, as CLI)", || {
        let mut features = FeatureBlock::default();
        talign::analysis::analyse(audio, &Silent, |b| features.append(b)).expect("decodes");
        features
    });
    let options = AlignOptions::default();
    let found = timed("vad (aligner chunks+scores)", || {
        let mut vad = Vad::new(options.vad.clone())
            .with_chunks(options.chunk_gap, options.chunk_drop_db)
            .with_frame_scores();
        vad.push(&features);
        vad.into_parts()
    });
    timed("vad (CLI default)", || {
        let mut vad = Vad::new(talign::vad::VadConfig::default());
        vad.push(&features);
        vad.finish()
    });
    let cepstra = timed("cepstrum store", || {
        let mut c = CepstrumStore::default();
        c.push(&features);
        c
    });
    let chunks = build_chunks(&found.chunks, &cepstra).expect("cepstra read back");
    let transcript = talign::transcript::read(Path::new(&text), None).expect("transcript");
    let inputs = turn_inputs(&transcript);
    let outcome = timed("align_turns (all passes)", || {
        align_turns(&inputs, &chunks, &options.align).expect("aligns")
    });
    eprintln!(
        "{} chunks, {} turns; first turn at {:.3} s",
        chunks.len(),
        inputs.len(),
        outcome.placements[0].start_s()
    );
}
