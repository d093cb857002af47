//! `talign lint`: read a transcript, show how talign understood it, report every problem.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use talign::transcript::{self, Severity, TranscriptFormat, lint};

use crate::exit;

/// Arguments of `talign lint`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Reads the transcript, changes nothing. With --format text the turns go to \
                  stdout as a table (index, line, `?` for a guessed speaker, label as written → \
                  speaker as understood, stamp, stamp status, whether the turn is transcribed \
                  speech, first words) and the problems to stderr as `file:line: message` with \
                  a suggestion, after `file: read: ...` lines saying what was read where there \
                  was a choice (the tiers of a TextGrid or EAF file and which gave turns, a \
                  short file's first line read as a label or as speech, and why); with \
                  --format json everything goes to stdout (the same in `tiers` and `reading`).\n\n\
                  Control characters from the transcript are printed escaped (`\\u{1b}`).\n\n\
                  Exit codes: 0 no problems; 1 problems found; 2 the transcript could not be \
                  read (missing, empty, binary, a device rather than a file or pipe, over \
                  64 MB, no turns, a TextGrid, EAF, ASS or .otr file whose structure is broken: the \
                  message names the line) or bad arguments; 3 I/O failure."
)]
pub struct LintArgs {
    /// Transcript file: block text (label / stamp / paragraphs), `Speaker: text` lines,
    /// plain text, SRT, WebVTT, talign JSON, Praat TextGrid, ELAN EAF, ASS/SSA, or an
    /// oTranscribe .otr export.
    pub transcript: PathBuf,

    /// Output: `text` (turn table on stdout, problems on stderr) or `json` (one JSON
    /// document on stdout: path, format, encoding, turns, notes, speaker_groups, problems).
    #[arg(long, value_enum, default_value_t = Output::Text)]
    pub format: Output,

    /// Read the transcript as this format instead of detecting it: block, inline, plain,
    /// srt, vtt, json (talign's), textgrid (Praat), eaf (ELAN), ass (ASS/SSA), otr
    /// (oTranscribe). TextGrid, EAF, ASS and otr times become the turns' stated stamps.
    #[arg(long, value_name = "FMT", value_parser = parse_format)]
    pub transcript_format: Option<TranscriptFormat>,
}

/// How `lint` prints its report.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// A table of turns on stdout, problems on stderr.
    Text,
    /// One JSON document on stdout.
    Json,
}

pub(crate) fn parse_format(s: &str) -> Result<TranscriptFormat, String> {
    s.parse()
}

/// Runs `talign lint`: exit 0 when the transcript has no problems, 1 when it has some.
pub fn run(args: &LintArgs) -> anyhow::Result<ExitCode> {
    let t = transcript::read(&args.transcript, args.transcript_format)?;
    let path = transcript::printable(&args.transcript.display().to_string()).into_owned();
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Output::Json => {
            serde_json::to_writer_pretty(&mut stdout, &lint::report(&t, &path))?;
            writeln!(stdout)?;
        }
        Output::Text => {
            stdout.write_all(lint::table(&t).as_bytes())?;
            let mut stderr = std::io::stderr().lock();
            for line in lint::read_summary(&t) {
                writeln!(stderr, "{path}: read: {line}")?;
            }
            for p in &t.problems {
                writeln!(stderr, "{}", lint::format_problem(&path, p))?;
            }
        }
    }
    stdout.flush()?;
    let errors = t
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = t.problems.len() - errors;
    eprintln!(
        "{path}: {} turns ({} format, {}); {} problem(s): {errors} error(s), {warnings} warning(s)",
        t.turns.len(),
        t.format,
        t.encoding,
        t.problems.len()
    );
    Ok(ExitCode::from(if t.problems.is_empty() {
        exit::OK
    } else {
        exit::PROBLEMS
    }))
}
