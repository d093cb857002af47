//! Per-turn evidence next to the true error, for choosing how confidence is computed.
//!
//! `cargo run --release --example snap_errors -- DIR... > turns.csv` (directories as for
//! `tune_snap`). One row per turn with a truth: the lattice's posterior, how far the
//! reference warp moved the turn, the warp's match cost relative to the recording's median,
//! and the final start and end errors.

// Shared with the tuning examples, which use the parts this one does not.
mod common;

use std::path::Path;

use talign::align::{AlignConfig, align_turns, build_chunks, refine_edges};
use talign::pipeline::turn_inputs;
use talign::reference::{SnapConfig, apply_snapped, snap_turns, speak_turns};

fn main() {
    println!(
        "recording,turn,transcribed,posterior,moved_s,match_cost,relative_cost,start_error,end_error"
    );
    for dir in std::env::args().skip(1) {
        let a = common::load(Path::new(&dir));
        let chunks = build_chunks(&a.found.chunks, &a.cepstra).expect("cepstra read back");
        let config = AlignConfig::default();
        let outcome = align_turns(&turn_inputs(&a.transcript), &chunks, &config).expect("aligns");
        let words = talign::pipeline::words_to_speak(&a.transcript);
        let spoken = speak_turns(&words, "en", 175).expect("espeak-ng");
        let lattice = outcome.placements;
        let snapped = snap_turns(
            &lattice,
            &spoken,
            &a.cepstra,
            &a.found.frame_scores,
            &SnapConfig::default(),
        );
        let mut placements = lattice.clone();
        apply_snapped(&mut placements, &snapped);
        refine_edges(&mut placements, &[], &a.found.frame_scores, &config);
        let mut costs: Vec<f32> = snapped.iter().flatten().map(|s| s.match_cost).collect();
        costs.sort_by(f32::total_cmp);
        let median = costs.get(costs.len() / 2).copied().unwrap_or(1.0);
        for (i, p) in placements.iter().enumerate() {
            let Some((ts, te)) = a.truth[i] else { continue };
            let (moved, cost) = match &snapped[i] {
                Some(s) => (
                    (s.start.seconds() - lattice[i].start_s())
                        .abs()
                        .max((s.end.seconds() - lattice[i].end_s()).abs()),
                    s.match_cost,
                ),
                None => (0.0, f32::NAN),
            };
            println!(
                "{dir},{i},{},{:.3},{moved:.3},{cost:.3},{:.3},{:.3},{:.3}",
                a.transcript.turns[i].transcribed,
                lattice[i].confidence,
                cost / median,
                p.start_s() - ts,
                p.end_s() - te
            );
        }
    }
}
