//! The `talign` command line: parse arguments, run one subcommand, map errors to exit codes.

mod align;
mod allocator;
mod batch;
mod check;
mod export;
mod info;
mod lint;
mod output;
mod progress_bar;
mod review;
mod sync;
mod vad;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Prints a line to stderr. A stderr that cannot be written (`2>/dev/full`, a closed pipe)
/// loses the line; it never panics the way `eprintln!` does.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let text = format!($($arg)*);
        let _ = writeln!(std::io::stderr().lock(), "{}", $crate::printable(&text));
    }};
}

/// Exit codes, documented in `--help` and the README.
pub mod exit {
    /// Success; for `lint` and `check`: no problems found.
    pub const OK: u8 = 0;
    /// `lint` / `check` found problems (the run itself succeeded); `align`: the recording
    /// does not match its transcript (refused, nothing written; `--force` aligns anyway);
    /// `sync`: the subtitles belong to another recording (refused, nothing written).
    pub const PROBLEMS: u8 = 1;
    /// Bad input: missing or unreadable file, unsupported format, invalid arguments.
    pub const BAD_INPUT: u8 = 2;
    /// Internal or environment failure (I/O error writing output, espeak-ng missing).
    pub const FAILURE: u8 = 3;
}

#[derive(Parser, Debug)]
#[command(
    name = "talign",
    version,
    about = "Align a recording with its messy transcript",
    after_help = "Exit codes: 0 success / no problems; 1 problems found (lint, check); \
                  2 bad input or usage; 3 internal or I/O failure."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Snap every transcript turn to where it is spoken; write JSON, subtitles or labels.
    Align(align::AlignArgs),
    /// Check the transcript's stamps against the audio: drift, wrong stamps, corrections.
    Check(check::CheckArgs),
    /// Find the speech in a recording: regions with start, end and a speech score.
    Vad(vad::VadArgs),
    /// Describe a recording: container, codec, rate, channels, duration, decode warnings.
    Info(info::InfoArgs),
    /// Read a transcript and report every problem with its stamps and speaker labels.
    Lint(lint::LintArgs),
    /// Re-synchronise existing subtitles (SRT, WebVTT, ASS) to a recording: offset, frame
    /// rate, cuts; only times change.
    Sync(sync::SyncArgs),
    /// Write any output format again from a JSON alignment (saved or corrected).
    Export(export::ExportArgs),
    /// Write a self-contained HTML page to see, hear and fix an alignment.
    Review(review::ReviewArgs),
    /// Align every recording of a manifest or folder: in parallel, resumably, one shard of a
    /// cluster job at a time; `--merge` joins the shards' results into one report.
    Batch(batch::BatchArgs),
}

fn main() -> ExitCode {
    allocator::configure();
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Align(args) => align::run(args),
        Command::Check(args) => check::run(args),
        Command::Vad(args) => vad::run(args),
        Command::Info(args) => info::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Sync(args) => sync::run(args),
        Command::Export(args) => export::run(args),
        Command::Review(args) => review::run(args),
        Command::Batch(args) => batch::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::from(exit::OK);
            }
            say!("talign: {}", render(&err));
            ExitCode::from(exit_code_for(&err))
        }
    }
}

/// Prints decode warnings (skipped packets, truncation) to stderr.
pub fn warn_decode(info: &talign::decode::SourceInfo) {
    for w in &info.warnings {
        say!("talign: warning: {}: {w}", info.path.display());
    }
}

/// Refuses recordings with no samples or only digital silence.
pub fn require_audio(info: &talign::decode::SourceInfo) -> anyhow::Result<()> {
    if info.frames == 0 {
        return Err(talign::Error::NoAudio {
            path: info.path.clone(),
            message: "recording has no samples (zero length); nothing to analyse: check that it \
                      was recorded or exported completely"
                .into(),
        }
        .into());
    }
    if info.peak == 0.0 {
        return Err(talign::Error::NoAudio {
            path: info.path.clone(),
            message: format!(
                "recording is digital silence for all its {:.3} s; check the file or its channels",
                info.duration_s()
            ),
        }
        .into());
    }
    Ok(())
}

/// The error and its causes, each said once ("path: permission denied", not the same OS
/// error three times), with what to do when the cause is an I/O error that has a usual fix.
fn render(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    let hint = err
        .chain()
        .find_map(|c| c.downcast_ref::<std::io::Error>())
        .and_then(output::io_hint);
    if let Some(hint) = hint {
        text.push_str("; ");
        text.push_str(hint);
    }
    text
}

/// `text` with control characters escaped line by line ([`talign::transcript::printable`]),
/// so a file name or transcript text in a message can never drive the user's terminal; the
/// message's own line breaks stay.
pub fn printable(text: &str) -> String {
    text.split('\n')
        .map(|line| talign::transcript::printable(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Input errors exit 2, everything else 3.
fn exit_code_for(err: &anyhow::Error) -> u8 {
    match err.downcast_ref::<talign::Error>() {
        Some(e) if e.is_mismatch() => exit::PROBLEMS,
        Some(e) if e.is_input_error() => exit::BAD_INPUT,
        Some(_) => exit::FAILURE,
        None if err.downcast_ref::<std::io::Error>().is_some() => exit::FAILURE,
        None => exit::BAD_INPUT,
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn each_cause_is_said_once() {
        let io = std::io::Error::from_raw_os_error(13); // EACCES
        let inner = talign::Error::from(io).with_path("/tmp/t.txt");
        let err = anyhow::Error::from(inner).context("/tmp/t.txt: cannot read");
        let text = super::render(&err);
        assert_eq!(text.matches("denied").count(), 1, "{text}");
        assert!(text.contains("permissions"), "what to do: {text}");
    }

    #[test]
    fn control_characters_are_escaped() {
        let shown = super::printable("Kerry\u{1b}]0;owned\u{7}: hi\n");
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown}"
        );
        assert!(
            shown.contains("\\u{1b}") && shown.ends_with('\n'),
            "{shown}"
        );
    }

    #[test]
    fn cli_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
