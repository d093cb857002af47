//! Word starts from forced alignment inside true turn windows, against word truth: the
//! measurement of issue 10 ("given perfect turn windows, ±0.5 s").
//!
//! ```text
//! cargo run --example force_align_eval -- AUDIO TRUTH.json [MAX_TURNS]
//! ```
//! TRUTH.json is talign's evaluation truth with per-turn `words` (word, start, end).
//! Prints per-turn lines on stderr and the shares within 25 / 50 / 100 ms on stdout.
//! `FILLER_PENALTY=x` overrides the free ends' per-frame penalty.

use std::path::Path;
use std::process::ExitCode;

use rayon::prelude::*;
use talign::acoustic::{
    self, AcousticModel, Dictionary, ForcedConfig, PronounceOptions, align_turn, pronounce,
};

struct Turn {
    window: (usize, usize),
    words: Vec<(String, f64)>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: force_align_eval AUDIO TRUTH.json [MAX_TURNS]");
        return ExitCode::from(2);
    }
    let max_turns: usize = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(usize::MAX);
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&args[1]).expect("truth")).expect("json");
    let model = AcousticModel::locate().expect("model");
    let audio = talign::analysis::samples_16k(Path::new(&args[0])).expect("audio");
    let mut cep = acoustic::cepstra(&audio, model.feat_params());
    acoustic::normalise_mean(&mut cep);
    let feats = acoustic::dynamic_features(&cep);
    // Word truth per turn (`turns[].words`), or for the whole recording (`words`), then
    // given to the turn whose span holds the word's start.
    let word = |w: &serde_json::Value| {
        (
            w["word"].as_str().unwrap_or("").to_string(),
            w["start"].as_f64().unwrap_or(0.0),
        )
    };
    let global: Vec<(String, f64)> = truth["words"]
        .as_array()
        .map(|a| a.iter().map(word).collect())
        .unwrap_or_default();
    let turns: Vec<Turn> = truth["turns"]
        .as_array()
        .expect("turns")
        .iter()
        .filter_map(|t| {
            let start = t["start"].as_f64()?;
            let end = t["end"].as_f64()?;
            let words: Vec<(String, f64)> = match t["words"].as_array() {
                Some(a) => a.iter().map(word).collect(),
                None => global
                    .iter()
                    .filter(|w| w.1 >= start - 1e-6 && w.1 < end)
                    .cloned()
                    .collect(),
            };
            (!words.is_empty()).then(|| Turn {
                window: (
                    ((start - 0.5).max(0.0) * 100.0) as usize,
                    (((end + 0.5) * 100.0) as usize).min(feats.len()),
                ),
                words,
            })
        })
        .take(max_turns)
        .collect();
    // FILLER_PENALTY=x tries another free-end penalty (for tuning across recordings).
    let mut config = ForcedConfig::default();
    if let Some(p) = std::env::var("FILLER_PENALTY")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        config.filler_penalty = p;
    }
    let started = std::time::Instant::now();
    let errors: Vec<Vec<f64>> = turns
        .par_iter()
        .enumerate()
        .map(|(i, t)| {
            let (a, b) = t.window;
            let scores = model.score(&feats[a..b]);
            let tokens: Vec<&str> = t.words.iter().map(|w| w.0.as_str()).collect();
            let p = pronounce(
                Dictionary::embedded(),
                &tokens,
                &PronounceOptions::default(),
            );
            match align_turn(&model, &scores, 0..scores.frames(), &p.words, &config) {
                Ok(al) => {
                    let errs: Vec<f64> = al
                        .words
                        .iter()
                        .map(|w| ((a + w.start) as f64 / 100.0 - t.words[w.word].1).abs() * 1000.0)
                        .collect();
                    let within = errs.iter().filter(|&&e| e <= 50.0).count();
                    eprintln!(
                        "turn {i}: {} words, {} within 50 ms, GOP {:+.2}, {} cells",
                        t.words.len(),
                        within,
                        al.goodness().unwrap_or(f32::NAN),
                        al.cells
                    );
                    // Words the alignment skipped count as misses.
                    let mut errs = errs;
                    errs.resize(t.words.len(), f64::INFINITY);
                    errs
                }
                Err(e) => {
                    eprintln!("turn {i}: failed: {e}");
                    vec![f64::INFINITY; t.words.len()]
                }
            }
        })
        .collect();
    let all: Vec<f64> = errors.into_iter().flatten().collect();
    let share = |ms: f64| all.iter().filter(|&&e| e <= ms).count() as f64 / all.len().max(1) as f64;
    println!(
        "{} turns, {} words: within 25 ms {:.1} %, 50 ms {:.1} %, 100 ms {:.1} % ({:.1} s)",
        turns.len(),
        all.len(),
        100.0 * share(25.0),
        100.0 * share(50.0),
        100.0 * share(100.0),
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
