//! `talign sync`: re-time existing subtitles to a recording (or to a correctly timed
//! subtitle file of the same material), changing nothing but the times.

use std::path::PathBuf;
use std::process::ExitCode;

use talign::analysis::Recording;
use talign::subtitle::{SubtitleFormat, Subtitles};
use talign::sync::{EachCue, SyncConfig, SyncReport, sync_recording, sync_reference};

use crate::output::emit_bytes;
use crate::progress_bar::Bar;

/// How the report is given (`--report`).
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// One summary line on stderr (the default).
    Text,
    /// The whole report as JSON on stderr: offset_s, ratio, splits (after_cue, before_cue, at_s,
    /// jump_s), cut_cues, per-cue start_s/end_s/shift_s/cut, confidence, evidence, cues_with_words,
    /// cues_heard, sampled (whether a sample of cues confirmed one offset and ratio, the fast
    /// path), each_cue (whether every cue was timed by its own words; then confidence is the
    /// aligner's mean turn confidence and cues_heard counts the cues whose words fit where they
    /// were put), another_reading (whether the cues' words were heard clearly but many off their
    /// place, 3 for every 5 on it, as subtitles timed for another reading or loosely are; then
    /// every cue is timed by its own words, aligned from the layout's places, from the cues' own
    /// starts and from the layout of where those two heard them, and the alignment that heard
    /// the most cues kept), layout_kept (false when the layout's places lost), heard_layout_kept
    /// (true when the layout of where the words were heard won: offset_s, ratio, splits and
    /// cut_cues are then its own; when the cues' own starts won, offset_s is their median shift,
    /// no ratio, splits or cuts),
    /// speech_agreement, duration_s, language (ISO 639-3 code the cues' words were heard in; null
    /// when none were), notes.
    Json,
}

/// Arguments of `talign sync`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "How: the cues' on/off signal is cross-correlated with the recording's speech \
for one offset and a frame-rate ratio (1, or any pair of 23.976/24/25/29.97/30 fps, then a \
fine search); stretches with their own offsets are found where material was cut or inserted \
(splits fall only in gaps between cues); then the acoustic model hears each cue's words and \
each stretch is moved onto them (English words from its dictionary; another language's, told \
from the cue text or given with --lang, through espeak-ng's voice for it; without that voice, \
the speech alone decides and a note says so; where another language's words are heard too \
poorly to place the cues, the speech places them, kept only where their words fit better there \
than elsewhere, or where too few cues can be heard to tell). When a sample of the cues is heard on the \
speech's one offset and ratio, that answer stands and the slower search for splits is skipped. \
Cues whose material was cut from the recording keep their place between their neighbours and \
are listed. Cues never overlap more than they did, never start before 0 and never end past the \
recording. When the cues' words are heard clearly but many of them off their place (3 for every \
5 on it), as subtitles timed for another reading of the same text (another voice or take) or \
timed loosely by hand are, no few offsets fit them: every cue is then timed by its own words, as \
with --each-cue, aligned from the layout's places and from the cues' own starts, the alignment \
that hears more cues kept (unless --shift-only). Text, markup, styling, numbering, \
comments, encoding and line endings are kept; only times change (unless --format converts).\n\n\
Exit codes: 0 synced and written; 1 the subtitles do not belong to the recording (too few cues \
heard where the sync puts them, nor fitting better there than elsewhere, or most cues find no \
place in it, which subtitles far longer than the recording show at once; or their words are \
heard, but many cues clearly off their place, with --shift-only; or, where every cue is \
timed by its own words, fewer than 30 % of the cues' words heard where the aligner put \
them): nothing written (subtitles in another language than the speech, a translation, are \
synced by the speech alone with --no-words); 2 bad \
input: a recording or subtitle file that is missing, empty, malformed (the message names the \
line and cue: bad timecodes, negative or over-100-hour times, a cue ending before it starts, \
a WebVTT file without its header), a recording with no speech or ending before the first \
cue could start, bad arguments; 3 I/O failure. On error no output file is created or changed; -o \
naming an input is refused before any work."
)]
pub struct SyncArgs {
    /// The recording (WAV, MP3, FLAC, Ogg Vorbis, Opus, AAC/M4A, MP4/MOV video, ...), then the
    /// subtitles (SRT, WebVTT, ASS/SSA). With --reference, only the subtitles.
    #[arg(value_name = "AUDIO SUBS", num_args = 1..=2, required = true)]
    pub inputs: Vec<PathBuf>,
    /// Take the timing from this correctly timed subtitle file of the same material (any
    /// language) instead of a recording.
    #[arg(long, value_name = "OTHER_SUBS")]
    pub reference: Option<PathBuf>,
    /// Write the synced subtitles here (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format [default: from the -o extension, else the input's]. Another format
    /// than the input's writes a new file with each cue's text and times.
    #[arg(long, value_parser = subtitle_format())]
    pub format: Option<SubtitleFormat>,
    /// One offset and one ratio for the whole file: no stretches with their own offsets.
    #[arg(long)]
    pub no_split: bool,
    /// Largest offset of the file (after the frame-rate ratio), e.g. `60s`, `90`, `500ms`.
    /// With English subtitles, the stretches the cues' words find may jump further at a
    /// split (a removed ad break); from speech alone every cue stays within it.
    #[arg(long, default_value = "60s", value_parser = crate::check::parse_seconds)]
    pub max_offset: f64,
    /// Use speech only, not the cues' words (faster; cues land on speech, not on their
    /// words).
    #[arg(long)]
    pub no_words: bool,
    /// Time every cue by where its own words are heard, always, not only by the file's offset,
    /// ratio and splits. Without it, this is done only where the cues are heard timed for another
    /// reading or loosely (How, below). After the usual layout, the cues' text is aligned as a
    /// transcript over the recording, each cue stamped with its laid-out start (and, when the cues
    /// were heard timed for another reading or loosely, again with its own start, the alignment
    /// that hears more cues kept); each cue with words then starts at its first word and ends at
    /// its last (a cue without words, `[Speaks Arabic]`, stands for speech not transcribed; cues
    /// whose material was cut keep their place between their neighbours). Slower (the whole text is
    /// aligned), and where the file was only shifted, stretched or cut, less exact than the layout
    /// (word starts, not the subtitler's lead-in); needs the recording and the words (not with
    /// --reference or --no-words).
    #[arg(long, conflicts_with_all = ["reference", "no_words", "shift_only"])]
    pub each_cue: bool,
    /// Never time cues one by one: only shift, stretch and split the file; subtitles heard
    /// timed for another reading or loosely are refused (exit 1, nothing written) instead of
    /// each cue being timed by its own words.
    #[arg(long)]
    pub shift_only: bool,
    /// The cues' language, as an ISO 639-1 or 639-3 code (en, es, cs, fra, ...); detected
    /// from their text when not given (English when it cannot be told). Words of a language
    /// other than English are pronounced by espeak-ng's voice for it and heard with the
    /// English model's nearest phones.
    #[arg(long, value_name = "CODE", value_parser = crate::align::parse_language)]
    pub lang: Option<talign::transcript::Language>,
    /// How the report is given on stderr: `text` (one line) or `json` (everything).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text, value_name = "FORMAT")]
    pub report: ReportFormat,
    /// Hide the progress bar and the summary line (a JSON report is still given).
    #[arg(short, long)]
    pub quiet: bool,
    /// How progress is shown on stderr: `auto` (a bar on a terminal; elsewhere a plain line
    /// every 5 s once a run has taken 5 s), `bar`, `plain` or `none`.
    #[arg(long, value_enum, default_value = "auto", value_name = "HOW")]
    pub progress: crate::progress_bar::ProgressMode,
}

/// `--format`: one of the subtitle formats, listed in `--help`.
fn subtitle_format() -> impl clap::builder::TypedValueParser<Value = SubtitleFormat> {
    use clap::builder::{PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(SubtitleFormat::ALL.map(SubtitleFormat::name)).map(|name| {
        name.parse::<SubtitleFormat>()
            .expect("a listed name parses")
    })
}

/// Runs `talign sync`.
pub fn run(args: &SyncArgs) -> anyhow::Result<ExitCode> {
    let (audio, subs_path) = match (&args.reference, args.inputs.as_slice()) {
        (None, [audio, subs]) => (Some(audio), subs),
        (Some(_), [subs]) => (None, subs),
        (None, _) => {
            return Err(talign::Error::Invalid(
                "give the recording and the subtitles: talign sync AUDIO SUBS (or --reference \
                 OTHER_SUBS SUBS)"
                    .into(),
            )
            .into());
        }
        (Some(_), _) => {
            return Err(talign::Error::Invalid(
                "with --reference give only the subtitles to sync: talign sync --reference \
                 OTHER_SUBS SUBS"
                    .into(),
            )
            .into());
        }
    };
    if let Some(out) = &args.output {
        let mut inputs = vec![subs_path.as_path()];
        inputs.extend(audio.map(PathBuf::as_path));
        inputs.extend(args.reference.as_deref());
        crate::output::refuse_clobbering(&inputs, &[("-o", out)])?;
    }
    let mut subs = Subtitles::read(subs_path, None)?;
    if !args.quiet {
        for w in &subs.warnings {
            crate::say!("talign: warning: {}: {w}", subs_path.display());
        }
    }
    let format = args
        .format
        .or_else(|| {
            args.output
                .as_deref()
                .and_then(SubtitleFormat::from_extension)
        })
        .unwrap_or(subs.format);
    let config = SyncConfig {
        max_offset_s: args.max_offset,
        splits: !args.no_split,
        words: !args.no_words,
        language: args.lang.clone(),
        each_cue: if args.each_cue {
            EachCue::Always
        } else if args.shift_only {
            EachCue::Never
        } else {
            EachCue::WhenTimedLoosely
        },
        ..SyncConfig::default()
    };
    let report = match (audio, &args.reference) {
        (Some(audio), _) => {
            let bar = Bar::new(args.quiet, args.progress);
            sync_recording(&Recording::File(audio), &mut subs, &config, &bar)?
        }
        (None, Some(reference)) => {
            let reference_subs = Subtitles::read(reference, None)?;
            sync_reference(&reference_subs, reference, &mut subs, &config)?
        }
        (None, None) => unreachable!("checked above"),
    };
    emit_bytes(args.output.as_deref(), &subs.render_as(format))?;
    if !args.quiet && args.report == ReportFormat::Text {
        for note in &report.notes {
            crate::say!("talign: note: {note}");
        }
    }
    match args.report {
        ReportFormat::Json => crate::say!(
            "{}",
            serde_json::to_string_pretty(&report).expect("serialisable")
        ),
        ReportFormat::Text if !args.quiet => crate::say!("{}", summary(&report)),
        ReportFormat::Text => {}
    }
    Ok(ExitCode::SUCCESS)
}

/// One line: what moved and how sure.
pub fn summary(report: &SyncReport) -> String {
    let ratio = if (report.ratio - 1.0).abs() < 1e-6 {
        String::new()
    } else {
        format!(", ratio {:.6}{}", report.ratio, ratio_name(report.ratio))
    };
    let splits = match report.splits.len() {
        0 => String::new(),
        n => {
            let each: Vec<String> = report
                .splits
                .iter()
                .take(6)
                .map(|s| {
                    format!(
                        "after cue {} at {:.3} s: {:+.3} s",
                        s.after_cue, s.at_s, s.jump_s
                    )
                })
                .collect();
            format!(
                "; {n} split(s) ({}{})",
                each.join("; "),
                if n > 6 { "; ..." } else { "" }
            )
        }
    };
    let cut = match report.cut_cues.len() {
        0 => String::new(),
        n => {
            let shown: Vec<String> = report
                .cut_cues
                .iter()
                .take(10)
                .map(ToString::to_string)
                .collect();
            format!(
                "; {n} cue(s) whose material is not in the recording, kept between their \
                 neighbours: {}{}",
                shown.join(", "),
                if n > 10 { ", ..." } else { "" }
            )
        }
    };
    let evidence = match report.evidence.as_str() {
        _ if report.each_cue => format!(
            "each cue timed by its own words; {} of {} cues' words heard where they were put",
            report.cues_heard, report.cues_with_words
        ),
        "words" => format!(
            "words of {} of {} cues heard in place",
            report.cues_heard, report.cues_with_words
        ),
        "reference" => format!(
            "{:.0} % of cue time on the reference's cues",
            report.speech_agreement * 100.0
        ),
        _ => format!(
            "{:.0} % of cue time on speech",
            report.speech_agreement * 100.0
        ),
    };
    let moved = match (report.each_cue, report.another_reading, report.layout_kept) {
        (true, true, false) if report.heard_layout_kept => format!(
            "timed loosely or for another reading, each moved by its own words from the \
             layout of where they were heard: offset {:+.3} s",
            report.offset_s
        ),
        (true, true, false) => format!(
            "timed loosely or for another reading, each moved by its own words from its own \
             start (median shift {:+.3} s)",
            report.offset_s
        ),
        (true, true, true) => format!(
            "timed loosely or for another reading, each moved by its own words from the \
             layout: offset {:+.3} s",
            report.offset_s
        ),
        (true, false, _) => format!("laid out by offset {:+.3} s", report.offset_s),
        _ => format!("offset {:+.3} s", report.offset_s),
    };
    format!(
        "synced {} cues: {moved}{ratio}{splits}{cut}; confidence {:.2} ({evidence})",
        report.cues.len(),
        report.confidence
    )
}

/// ` (25/23.976)` when the ratio is one of the standard frame-rate pairs.
fn ratio_name(ratio: f64) -> String {
    let rates = [
        (24000.0 / 1001.0, "23.976"),
        (24.0, "24"),
        (25.0, "25"),
        (30000.0 / 1001.0, "29.97"),
        (30.0, "30"),
    ];
    for (a, an) in rates {
        for (b, bn) in rates {
            if (a / b - ratio).abs() < 2e-6 {
                return format!(" ({an}/{bn} fps)");
            }
        }
    }
    String::new()
}
