//! Forced-aligns a text to a whole recording with the built-in acoustic model and prints each
//! word and phone with its times.
//!
//! ```text
//! cargo run --example force_align -- AUDIO "the words spoken"
//! ```

use std::path::Path;
use std::process::ExitCode;

use talign::acoustic::{
    AcousticModel, Dictionary, ForcedConfig, PronounceOptions, align_turn, pronounce,
    score_recording,
};

fn run(audio: &Path, text: &str) -> talign::Result<()> {
    let model = AcousticModel::locate()?;
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let p = pronounce(
        Dictionary::embedded(),
        &tokens,
        &PronounceOptions::default(),
    );
    for note in &p.notes {
        eprintln!("note: {note}");
    }
    let scores = score_recording(&model, &talign::analysis::samples_16k(audio)?);
    let a = align_turn(
        &model,
        &scores,
        0..scores.frames(),
        &p.words,
        &ForcedConfig::default(),
    )?;
    let s = |frame: usize| frame as f64 / 100.0;
    for w in &a.words {
        println!(
            "{:>7.2} {:>7.2}  {:<16} GOP {:+.2}",
            s(w.start),
            s(w.end),
            tokens[w.word],
            w.goodness()
        );
        for ph in &w.phones {
            println!("  {:>7.2} {:>7.2}  {}", s(ph.start), s(ph.end), ph.phone);
        }
    }
    for pause in &a.pauses {
        println!(
            "{:>7.2} {:>7.2}  ({})",
            s(pause.start),
            s(pause.end),
            pause.phone
        );
    }
    if let Some(g) = a.goodness() {
        println!("turn GOP {g:+.2}");
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [audio, text] = args.as_slice() else {
        eprintln!("usage: force_align AUDIO \"TEXT\"");
        return ExitCode::from(2);
    };
    match run(Path::new(audio), text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
