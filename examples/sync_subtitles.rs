//! Re-synchronising subtitles with the library: read them, sync them to the recording, write
//! them back (only the times change) and print what moved.
//!
//! `cargo run --profile ci --example sync_subtitles -- RECORDING SUBS.srt > synced.srt`

use std::path::PathBuf;

use talign::analysis::Recording;
use talign::progress::Silent;
use talign::subtitle::Subtitles;
use talign::sync::{SyncConfig, sync_recording};

fn main() -> talign::Result<()> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (Some(audio), Some(subs_path)) = (args.next(), args.next()) else {
        eprintln!("usage: sync_subtitles RECORDING SUBTITLES");
        std::process::exit(2);
    };
    let mut subs = Subtitles::read(&subs_path, None)?;
    let report = sync_recording(
        &Recording::File(&audio),
        &mut subs,
        &SyncConfig::default(),
        &Silent,
    )?;
    print!("{}", subs.render());
    eprintln!(
        "offset {:+.3} s, ratio {:.6}, {} split(s), {} cut cue(s), confidence {:.2}",
        report.offset_s,
        report.ratio,
        report.splits.len(),
        report.cut_cues.len(),
        report.confidence
    );
    Ok(())
}
