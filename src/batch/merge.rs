//! `talign batch --merge DIR...`: the shards' results joined into one report.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use talign::batch::report::{Totals, csv, html, worst_first};
use talign::batch::results::{Record, latest};

use crate::exit;
use crate::output::emit;

/// Reads every `results*.jsonl` in `dirs`, keeps each item's latest line, and writes
/// `report.csv` (every item) and `report.html` (totals, worst items first) into `out`
/// (default: the first folder). Exits 1 when an item failed, as the batch did.
pub fn run(dirs: &[PathBuf], out: Option<&Path>, quiet: bool) -> anyhow::Result<ExitCode> {
    let mut records: Vec<Record> = Vec::new();
    for dir in dirs {
        // The folders are the user's input: one missing or unreadable is bad input (exit 2).
        let mut found = super::run::previous_records(dir).map_err(talign::Error::as_input)?;
        if found.is_empty() {
            return Err(talign::Error::Invalid(format!(
                "{}: no results*.jsonl with results in it; give the --out folders of the batch \
                 runs",
                dir.display()
            ))
            .into());
        }
        records.append(&mut found);
    }
    let records = worst_first(latest(records).into_values().collect());
    let out = out.unwrap_or(&dirs[0]);
    std::fs::create_dir_all(out).map_err(|e| talign::Error::Io(e).with_path(out))?;
    let title = format!(
        "talign batch report: {}",
        dirs.iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let (csv_path, html_path) = (out.join("report.csv"), out.join("report.html"));
    emit(Some(&csv_path), &csv(&records))?;
    emit(Some(&html_path), &html(&records, &title))?;
    let t = Totals::of(&records);
    if !quiet {
        crate::say!(
            "talign: batch report: {} items: {} ok, {} skipped, {} failed; {:.2} h of audio; \
             {} and {}",
            t.items,
            t.ok,
            t.skipped,
            t.failed,
            t.audio_s / 3600.0,
            csv_path.display(),
            html_path.display()
        );
    }
    Ok(ExitCode::from(if t.failed > 0 {
        exit::PROBLEMS
    } else {
        exit::OK
    }))
}
