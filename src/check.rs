//! `talign check`: how wrong are the transcript's stamps, and what should they say?

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use talign::drift::{self, CheckOptions};
use talign::report::Alignment;

use crate::align::{AlignArgs, align_files};
use crate::output::emit;

/// Output formats of `talign check`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    /// A summary line, then the worst stamps with their lines and suggestions.
    Text,
    /// `{summary, fit: {offset_s, rate, ...}, stamps: [{line, raw, stated_s, actual_s, delta_s, status, suggestion}]}`.
    Json,
}

/// Arguments of `talign check`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit codes: 0 every stamp lies within the tolerance of where its turn really \
starts (or there are none); 1 some stamp does not, is invalid, or the alignment is too unsure to \
judge; 2 bad input; 3 I/O failure."
)]
pub struct CheckArgs {
    /// Recording, then transcript. With --from, only the transcript (optional: the JSON names it).
    #[arg(value_name = "AUDIO TRANSCRIPT", num_args = 0..=2)]
    pub inputs: Vec<PathBuf>,
    /// Check a saved alignment (`talign align --format json`) instead of aligning again.
    #[arg(long, value_name = "ALIGNED_JSON")]
    pub from: Option<PathBuf>,
    /// How far a stamp may be from where its turn starts, e.g. `2s`, `1.5`, `500ms`.
    #[arg(long, default_value = "2s", value_parser = parse_seconds)]
    pub tolerance: f64,
    /// Stamps of turns aligned with less confidence than this are reported as unverifiable.
    #[arg(long, default_value_t = CheckOptions::default().min_confidence,
          value_parser = parse_fraction)]
    pub min_confidence: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Rows of worst stamps in the text report.
    #[arg(long, default_value_t = 15)]
    pub rows: usize,
    /// Write the transcript with corrected stamps (to -o, or in place with --in-place).
    #[arg(long)]
    pub fix: bool,
    /// With --fix: also add stamps to turns that have none.
    #[arg(long, requires = "fix")]
    pub fill: bool,
    /// With --fix: overwrite the transcript (atomically, keeping its mode; the complete
    /// original is saved as TRANSCRIPT.bak first).
    #[arg(long, requires = "fix", conflicts_with = "output")]
    pub in_place: bool,
    /// Where --fix writes the corrected transcript (never the transcript itself: use
    /// --in-place for that).
    #[arg(short, long, value_name = "FILE", requires = "fix")]
    pub output: Option<PathBuf>,
    /// Also draw stated vs actual time, the fit and the outliers, as SVG.
    #[arg(long, value_name = "SVG")]
    pub plot: Option<PathBuf>,
    /// Read the transcript as this format instead of detecting it: block, inline, plain,
    /// srt, vtt, json (talign's), textgrid (Praat), eaf (ELAN), ass (ASS/SSA), otr
    /// (oTranscribe). TextGrid, EAF, ASS and otr times become the turns' stated stamps.
    #[arg(long, value_name = "FMT", value_parser = crate::lint::parse_format)]
    pub transcript_format: Option<talign::transcript::TranscriptFormat>,
    /// Hide the progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// How progress is shown on stderr: `auto` (a bar on a terminal; elsewhere a plain line
    /// every 5 s once a run has taken 5 s), `bar`, `plain` or `none`.
    #[arg(long, value_enum, default_value = "auto", value_name = "HOW")]
    pub progress: crate::progress_bar::ProgressMode,
    /// espeak-ng voice that speaks the transcript for matching (as in `talign align`).
    #[arg(long, value_name = "VOICE", default_value = "en")]
    pub voice: String,
    /// Do not use espeak-ng (as in `talign align`).
    #[arg(long)]
    pub no_reference: bool,
}

/// Parses `2s`, `2`, `1.5s`, `500ms` into seconds.
pub(crate) fn parse_seconds(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let (number, scale) = if let Some(ms) = t.strip_suffix("ms") {
        (ms, 0.001)
    } else if let Some(s) = t.strip_suffix('s') {
        (s, 1.0)
    } else {
        (t, 1.0)
    };
    match number.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v * scale),
        _ => Err(format!(
            "`{text}` is not a duration; write e.g. 2s, 1.5 or 500ms"
        )),
    }
}

/// Parses a fraction in 0–1 (a confidence), refusing NaN and infinities.
fn parse_fraction(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "`{text}` is not a confidence; give a number from 0 to 1, e.g. 0.5"
        )),
    }
}

/// Runs `talign check`.
pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    if args.fix && args.output.is_none() && !args.in_place {
        bail!("--fix needs -o FILE for the corrected transcript, or --in-place to overwrite it");
    }
    let mut inputs: Vec<&Path> = args.inputs.iter().map(PathBuf::as_path).collect();
    inputs.extend(args.from.as_deref());
    let outputs: Vec<(&str, &Path)> = [
        ("-o", args.output.as_deref()),
        ("--plot", args.plot.as_deref()),
    ]
    .into_iter()
    .filter_map(|(flag, p)| Some((flag, p?)))
    .collect();
    crate::output::refuse_clobbering(&inputs, &outputs)?;
    let (alignment, transcript_path) = load_alignment(args)?;
    if !args.inputs.iter().any(|p| p == &transcript_path) {
        // The transcript named inside the --from JSON is an input too.
        crate::output::refuse_clobbering(&[&transcript_path], &outputs)?;
    }
    let transcript = talign::transcript::read(&transcript_path, args.transcript_format)?;
    talign::transcript::refuse_times_past_end(
        &transcript,
        &transcript_path,
        alignment.audio.duration_s,
    )?;
    let options = CheckOptions {
        tolerance_s: args.tolerance,
        min_confidence: args.min_confidence,
        ..CheckOptions::default()
    };
    let report = drift::check(&transcript, &alignment, &options);
    let text = match args.format {
        CheckFormat::Text => drift::render_text(&report, args.rows),
        CheckFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
    };
    if let Some(svg) = &args.plot {
        let title = format!("{} vs {}", transcript_path.display(), alignment.audio.path);
        talign::atomic_file::write_atomic(svg, drift::plot_svg(&report, &title).as_bytes())
            .with_context(|| format!("{}: cannot write plot", svg.display()))?;
    }
    if args.fix {
        write_fix(args, &transcript, &transcript_path, &report)?;
    }
    emit(None, &text)?;
    // Every stamp within the tolerance (or none to check): 0; otherwise, or when the
    // alignment is too unsure to judge: 1.
    let code = match report.verdict {
        drift::Verdict::Pass => crate::exit::OK,
        drift::Verdict::Fail | drift::Verdict::Unchecked => crate::exit::PROBLEMS,
    };
    Ok(ExitCode::from(code))
}

/// The alignment to check: read with --from, or computed now.
fn load_alignment(args: &CheckArgs) -> anyhow::Result<(Alignment, PathBuf)> {
    if let Some(from) = &args.from {
        let text = std::fs::read_to_string(from)
            .with_context(|| format!("{}: cannot read", from.display()))?;
        let alignment: Alignment = talign::report::read_json(&text, &from.display().to_string())?;
        let transcript = match args.inputs.as_slice() {
            [] => PathBuf::from(&alignment.transcript.path),
            [t] => t.clone(),
            _ => bail!("with --from, give at most the transcript (the audio is not needed)"),
        };
        return Ok((alignment, transcript));
    }
    let [audio, transcript] = args.inputs.as_slice() else {
        bail!(
            "give the recording and the transcript: talign check AUDIO TRANSCRIPT (or --from aligned.json)"
        );
    };
    let align_args = AlignArgs {
        audio: audio.clone(),
        transcript: transcript.clone(),
        format: None,
        output: None,
        also: Vec::new(),
        text_ids: None,
        transcript_format: args.transcript_format,
        quiet: args.quiet,
        progress: args.progress,
        words: false,
        phones: false,
        // `check` judges a mismatched recording itself ("does not match this transcript").
        force: true,
        lang: None,
        review: None,
        anchors: None,
        voice: args.voice.clone(),
        reference: crate::align::Reference::Model,
        no_reference: args.no_reference,
    };
    Ok((align_files(&align_args)?.alignment, transcript.clone()))
}

fn write_fix(
    args: &CheckArgs,
    transcript: &talign::transcript::Transcript,
    path: &Path,
    report: &drift::DriftReport,
) -> anyhow::Result<()> {
    let fixed = drift::fix_transcript(transcript, report, args.fill);
    let bytes = talign::transcript::encode(&fixed.text, &transcript.encoding);
    let target = if args.in_place {
        let backup = path.with_extension(format!(
            "{}bak",
            path.extension()
                .map(|e| format!("{}.", e.to_string_lossy()))
                .unwrap_or_default()
        ));
        talign::atomic_file::replace_keeping_backup(path, &backup, &bytes).with_context(|| {
            format!(
                "{}: cannot fix in place (backup {}); the transcript is unchanged",
                path.display(),
                backup.display()
            )
        })?;
        path.to_path_buf()
    } else {
        let target = args.output.clone().expect("checked in run");
        talign::atomic_file::write_atomic(&target, &bytes)
            .with_context(|| format!("{}: cannot write corrected transcript", target.display()))?;
        target
    };
    let added = fixed.changes.iter().filter(|c| c.old.is_none()).count();
    let corrected = fixed.changes.len() - added;
    let mut done = format!("{corrected} stamp(s) corrected");
    if args.fill {
        done += &format!(", {added} added");
    }
    crate::say!("talign: {done} in {}", target.display());
    for note in &fixed.skipped {
        crate::say!("talign: note: {note}");
    }
    if args.fill {
        let unfilled = report
            .stamps
            .iter()
            .filter(|s| s.status == drift::DriftStatus::Missing && s.suggestion.is_none())
            .count();
        if unfilled > 0 {
            crate::say!(
                "talign: note: {unfilled} turn(s) without a stamp left without one: aligned with \
                 confidence under {}, too unsure to stamp",
                CheckOptions::default().min_confidence
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_seconds;

    #[test]
    fn durations() {
        assert_eq!(parse_seconds("2s"), Ok(2.0));
        assert_eq!(parse_seconds("1.5"), Ok(1.5));
        assert_eq!(parse_seconds("500ms"), Ok(0.5));
        assert!(parse_seconds("soon").is_err());
        assert!(parse_seconds("-1").is_err());
    }
}
