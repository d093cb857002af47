//! Loading an evaluation recording for the tuning examples: audio, transcript and truth,
//! analysed once.
// Each example uses only part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use talign::features::CepstrumStore;
use talign::pipeline::AlignOptions;
use talign::transcript::Transcript;
use talign::vad::{Vad, VadResult};

/// An evaluation recording, analysed.
pub struct Analysed {
    /// The directory it came from.
    pub name: String,
    pub transcript: Transcript,
    /// True (start, end) per transcript turn, when the truth has the turn.
    pub truth: Vec<Option<(f64, f64)>>,
    pub cepstra: CepstrumStore,
    pub found: VadResult,
}

/// Audio, transcript and truth of an evaluation directory: a sample rendition
/// (`kerry-aleppo-2016.*`) or a real recording (`audio.wav`, `transcript.txt`, `truth.json`).
fn files(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    if dir.join("kerry-aleppo-2016.txt").exists() {
        let f = |ext: &str| dir.join(format!("kerry-aleppo-2016.{ext}"));
        (f("mp3"), f("txt"), f("truth.json"))
    } else {
        (
            dir.join("audio.wav"),
            dir.join("transcript.txt"),
            dir.join("truth.json"),
        )
    }
}

/// Reads and analyses the recording in `dir` with the aligner's default detector settings.
pub fn load(dir: &Path) -> Analysed {
    let (audio, transcript_path, truth_path) = files(dir);
    let options = AlignOptions::default();
    let transcript = talign::transcript::read(&transcript_path, None).expect("transcript");
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&truth_path).expect("truth")).expect("json");
    let by_line: std::collections::HashMap<u64, (f64, f64)> = truth["turns"]
        .as_array()
        .expect("turns")
        .iter()
        .filter_map(|t| {
            Some((
                t["line"].as_u64()?,
                (t["start"].as_f64()?, t["end"].as_f64()?),
            ))
        })
        .collect();
    let mut vad = Vad::new(options.vad.clone())
        .with_chunks(options.chunk_gap, options.chunk_drop_db)
        .with_frame_scores();
    let mut cepstra = CepstrumStore::default();
    talign::analysis::analyse(&audio, &talign::progress::Silent, |b| {
        vad.push(b);
        cepstra.push(b);
    })
    .expect("audio");
    Analysed {
        name: dir.display().to_string(),
        truth: transcript
            .turns
            .iter()
            .map(|t| by_line.get(&(t.line as u64)).copied())
            .collect(),
        transcript,
        cepstra,
        found: vad.into_parts(),
    }
}

/// (share within 0.25 s, share within 1 s) over the starts and ends of turns with a truth.
pub fn score(placements: &[talign::align::Placement], truth: &[Option<(f64, f64)>]) -> (f64, f64) {
    let (mut n, mut q, mut s) = (0.0, 0.0, 0.0);
    for (p, t) in placements.iter().zip(truth) {
        let Some((ts, te)) = t else { continue };
        for e in [(p.start_s() - ts).abs(), (p.end_s() - te).abs()] {
            n += 1.0;
            q += f64::from(u8::from(e <= 0.25));
            s += f64::from(u8::from(e <= 1.0));
        }
    }
    (q / n, s / n)
}

/// Prints one table row per setting: mean shares over the recordings and the worst 1 s share.
pub fn print_table(rows: &[(String, Vec<(f64, f64)>)]) {
    println!(
        "| setting | ≤0.25 s (mean) | ≤1 s (mean) | ≤0.25 s (worst) | ≤1 s (worst) | \
         ≤0.25 s / ≤1 s per recording |"
    );
    println!("|---|---|---|---|---|---|");
    for (name, scores) in rows {
        let m = scores.len() as f64;
        let q = scores.iter().map(|s| s.0).sum::<f64>() / m;
        let s = scores.iter().map(|s| s.1).sum::<f64>() / m;
        let worst_q = scores.iter().map(|s| s.0).fold(1.0, f64::min);
        let worst = scores.iter().map(|s| s.1).fold(1.0, f64::min);
        let each: Vec<String> = scores
            .iter()
            .map(|(q, s)| format!("{:.0}/{:.0}", q * 100.0, s * 100.0))
            .collect();
        println!(
            "| {name} | {:.1} % | {:.1} % | {:.1} % | {:.1} % | {} |",
            q * 100.0,
            s * 100.0,
            worst_q * 100.0,
            worst * 100.0,
            each.join(" ")
        );
    }
}
