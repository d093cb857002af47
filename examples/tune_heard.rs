//! Aligns recordings with the acoustic snap's settings changed, to choose them on every
//! evaluation recording at once (scripts/tune_heard.sh scores the outputs).
//!
//!   cargo run --profile ci --example tune_heard -- OUTDIR [key=value ...] -- AUDIO TRANSCRIPT NAME [...]
//!
//! Keys: slack_s, near_s, strong_goodness, min_goodness, agreeing_goodness, run_turns, max_run_s, lone_word_s,
//! lone_word_gap_s, lone_word_long_gap_s, lone_word_fit, voice_edge_llr, claim_from_unheard (1/0), min_unheard_s, claim_goodness,
//! rehear_gaps (1/0), weak_goodness, lattice_start_pull, lattice_start_pull_most, filler_penalty,
//! obstruent_frames, sonorant_frames, vowel_frames, hold_cost, edge_db, vad_exit_below_level_db (dB, or none),
//! edge_reach_before, edge_reach_after (frames), take_out_late_reverb (1/0), words (1 = word timings),
//! raw_confidence (1 = the lattice's posterior as confidence, for refitting), listener (lattice or
//! acoustic), force (0 = refuse mismatched pairs; default 1).

use std::path::Path;

use talign::pipeline::{AlignOptions, align_recording};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let split = args
        .iter()
        .position(|a| a == "--")
        .expect("-- before the recordings");
    let out = Path::new(&args[0]);
    let mut options = AlignOptions {
        force: true,
        ..AlignOptions::default()
    };
    for kv in &args[1..split] {
        let (k, v) = kv.split_once('=').expect("key=value");
        let h = &mut options.align.heard;
        match k {
            "slack_s" => h.slack_s = v.parse().unwrap(),
            "near_s" => h.near_s = v.parse().unwrap(),
            "strong_goodness" => h.strong_goodness = v.parse().unwrap(),
            "min_goodness" => h.min_goodness = v.parse().unwrap(),
            "agreeing_goodness" => h.agreeing_goodness = v.parse().unwrap(),
            "run_turns" => h.run_turns = v.parse().unwrap(),
            "max_run_s" => h.max_run_s = v.parse().unwrap(),
            "lone_word_s" => h.lone_word_s = v.parse().unwrap(),
            "lone_word_gap_s" => h.lone_word_gap_s = v.parse().unwrap(),
            "lone_word_long_gap_s" => h.lone_word_long_gap_s = v.parse().unwrap(),
            "lone_word_fit" => h.lone_word_fit = v.parse().unwrap(),
            "voice_edge_llr" => h.voice_edge_llr = v.parse().unwrap(),
            "claim_from_unheard" => h.claim_from_unheard = v == "1",
            "min_unheard_s" => h.min_unheard_s = v.parse().unwrap(),
            "claim_goodness" => h.claim_goodness = v.parse().unwrap(),
            "rehear_gaps" => h.rehear_gaps = v == "1",
            "weak_goodness" => h.weak_goodness = v.parse().unwrap(),
            "lattice_start_pull" => h.lattice_start_pull = v.parse().unwrap(),
            "lattice_start_pull_most" => h.lattice_start_pull_most = v.parse().unwrap(),
            "filler_penalty" => h.forced.filler_penalty = v.parse().unwrap(),
            "obstruent_frames" => h.forced.hold_limits.obstruent_frames = v.parse().unwrap(),
            "sonorant_frames" => h.forced.hold_limits.sonorant_frames = v.parse().unwrap(),
            "vowel_frames" => h.forced.hold_limits.vowel_frames = v.parse().unwrap(),
            "hold_cost" => h.forced.hold_limits.cost = v.parse().unwrap(),
            "edge_db" => options.align.edge_db = v.parse().unwrap(),
            "trim_echo_tails" => options.align.trim_echo_tails = v == "1",
            "echo_run_on_s" => options.align.echo_run_on_s = v.parse().unwrap(),
            "take_out_late_reverb" => options.align.take_out_late_reverb = v == "1",
            "vad_exit_below_level_db" => options.vad.exit_below_level_db = v.parse().ok(),
            "edge_reach_before" => options.align.edge_reach_before = v.parse().unwrap(),
            "edge_reach_after" => options.align.edge_reach_after = v.parse().unwrap(),
            "raw_confidence" => h.raw_confidence = v == "1",
            "listener" => {
                options.listener = match v {
                    "lattice" => talign::pipeline::Listener::Lattice,
                    "acoustic" => talign::pipeline::Listener::AcousticModel,
                    _ => panic!("listener=lattice|acoustic"),
                }
            }
            "words" => options.words = v == "1",
            "force" => options.force = v == "1",
            _ => panic!("unknown key {k}"),
        }
    }
    std::fs::create_dir_all(out).expect("output directory");
    for rec in args[split + 1..].chunks(3) {
        let [audio, transcript, name] = rec else {
            panic!("recordings come as AUDIO TRANSCRIPT NAME")
        };
        let t = talign::transcript::read(Path::new(transcript), None).expect("transcript");
        let run = align_recording(
            Path::new(audio),
            &t,
            Path::new(transcript),
            &options,
            &talign::progress::Silent,
        )
        .expect("align");
        if let Some(echo) = run.outcome.echo {
            eprintln!("{name}: echo {echo:?}");
        }
        let json = talign::export::render(
            &run.alignment,
            talign::export::ExportFormat::Json,
            &Default::default(),
        );
        std::fs::write(out.join(format!("{name}.json")), json).expect("write");
    }
}
