//! `talign align`: snap every turn to the audio and write it out.

use std::path::PathBuf;
use std::process::ExitCode;

use talign::pipeline::{AlignOptions, AlignRun, align_recording};
use talign::transcript::TranscriptFormat;

use crate::output::emit;
use crate::progress_bar::Bar;

/// Arguments of `talign align`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "A damaged recording is decoded with a warning on stderr naming the time \
of each damaged stretch, which is replaced by silence so later times stay right.\n\n\
Exit codes: 0 aligned and written; 2 bad input: a recording or transcript that is missing, a \
directory, empty, not audio, of an unsupported codec, zero-length or all silence, or bad \
arguments, or an unknown --voice; 3 I/O failure (the output cannot be written) or --words \
without espeak-ng. On error no output file is created or changed.\n\n\
espeak-ng (apt-get install espeak-ng) speaks the transcript so its words can be matched to \
the recording; without it turns are placed from pauses, durations, voices and stamps, with a \
warning."
)]
pub struct AlignArgs {
    /// Recording (WAV, MP3, FLAC, Ogg Vorbis, AAC/M4A, MP4 video, ...).
    pub audio: PathBuf,
    /// Transcript (block format, inline `Speaker: text`, plain text, SRT, WebVTT, talign JSON).
    pub transcript: PathBuf,
    /// Output format [default: from the -o extension, else json].
    #[arg(long, value_enum)]
    pub format: Option<talign::export::ExportFormat>,
    /// Write here (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Read the transcript as this format instead of detecting it
    /// (block, inline, plain, srt, vtt, json).
    #[arg(long, value_name = "FMT", value_parser = crate::lint::parse_format)]
    pub transcript_format: Option<TranscriptFormat>,
    /// Hide the progress bar and the summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// Also time every word: `words` in JSON (start and end per word), a word tier in
    /// TextGrid. Needs espeak-ng. (SRT and WebVTT cues are cut at word times whenever
    /// espeak-ng is there, with or without this flag.)
    #[arg(long)]
    pub words: bool,
    /// espeak-ng voice that speaks the transcript so it can be matched against the recording;
    /// pick the transcript's language (`espeak-ng --voices` lists them: en, en-us, de, fr, ...).
    #[arg(long, value_name = "VOICE", default_value = "en")]
    pub voice: String,
    /// Do not use espeak-ng: place turns from pauses, durations, voices and stamps only
    /// (faster, less precise: docs/accuracy.md).
    #[arg(long, conflicts_with = "words")]
    pub no_reference: bool,
}

/// Runs `talign align`.
pub fn run(args: &AlignArgs) -> anyhow::Result<ExitCode> {
    use talign::export::ExportFormat;
    let format = args
        .format
        .or_else(|| {
            args.output
                .as_deref()
                .and_then(ExportFormat::from_extension)
        })
        .unwrap_or(ExportFormat::Json);
    // Subtitles are cut at word times whenever the reference voice gives them.
    let cue_words = matches!(format, ExportFormat::Srt | ExportFormat::Vtt);
    let run = align_files_with(args, cue_words)?;
    let text = talign::export::render(&run.alignment, format, &Default::default());
    emit(args.output.as_deref(), &text)?;
    if !args.quiet {
        eprintln!("{}", summary(&run));
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads the transcript and aligns it; shared with `talign check`.
pub fn align_files(args: &AlignArgs) -> anyhow::Result<AlignRun> {
    align_files_with(args, false)
}

/// As [`align_files`]; `cue_words` also asks for word timings (when the reference voice is
/// there to give them) to time subtitle cues, without `--words`.
fn align_files_with(args: &AlignArgs, cue_words: bool) -> anyhow::Result<AlignRun> {
    let transcript = talign::transcript::read(&args.transcript, args.transcript_format)?;
    let reference_voice = reference_voice(args)?;
    let options = AlignOptions {
        words: args.words || (cue_words && reference_voice.is_some()),
        reference_voice,
        ..AlignOptions::default()
    };
    let bar = Bar::new(args.quiet);
    let run = align_recording(&args.audio, &transcript, &args.transcript, &options, &bar)?;
    crate::warn_decode(&run.source);
    if let Some(why) = &run.reference_unavailable {
        eprintln!("talign: warning: reference voice not used: {why}");
    }
    Ok(run)
}

/// The espeak-ng voice to use, checked before the long work starts: an unknown voice is bad
/// input; espeak-ng missing is a failure with `--words` and a warning otherwise.
fn reference_voice(args: &AlignArgs) -> anyhow::Result<Option<String>> {
    if args.no_reference {
        return Ok(None);
    }
    match talign::espeak::has_voice(&args.voice) {
        Ok(true) => Ok(Some(args.voice.clone())),
        Ok(false) => Err(talign::Error::Invalid(format!(
            "--voice {}: espeak-ng has no such voice; `espeak-ng --voices` lists them",
            args.voice
        ))
        .into()),
        Err(why) if args.words => {
            Err(talign::Error::External(format!("--words needs espeak-ng: {why}")).into())
        }
        Err(why) => {
            eprintln!(
                "talign: warning: {why}; aligning from pauses, durations and voices only \
                 (less precise; --no-reference silences this warning)"
            );
            Ok(None)
        }
    }
}

/// One line: turns aligned, low-confidence count, drift in a phrase.
pub fn summary(run: &AlignRun) -> String {
    let turns = &run.alignment.turns;
    let low = turns.iter().filter(|t| t.confidence < 0.5).count();
    let drift = match run.outcome.clock {
        Some(clock) => {
            let percent = (clock.rate - 1.0) * 100.0;
            let pace = if percent.abs() < 0.005 {
                "keep time".to_string()
            } else {
                format!(
                    "run {:.2}% {}",
                    percent.abs(),
                    if percent > 0.0 { "slow" } else { "fast" }
                )
            };
            format!("stamps {pace} from {:+.1} s", clock.offset)
        }
        None => "no stamps to fit".to_string(),
    };
    format!(
        "aligned {} turns in {:.1} s of audio; {low} low-confidence (< 0.5); {drift}",
        turns.len(),
        run.source.duration_s()
    )
}
