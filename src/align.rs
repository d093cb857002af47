//! `talign align`: snap every turn to the audio and write it out.

use std::path::PathBuf;
use std::process::ExitCode;

use talign::pipeline::{AlignOptions, AlignRun, Listener, align_recording};
use talign::transcript::TranscriptFormat;

use crate::output::emit;
use crate::progress_bar::Bar;

/// Arguments of `talign align`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "A damaged recording is decoded with a warning on stderr naming the time \
of each damaged stretch, which is replaced by silence so later times stay right.\n\n\
Exit codes: 0 aligned and written; 1 the recording does not sound like the transcript \
(fewer than 30 % of its transcribed words heard where the turns fall: another recording, \
reversed audio), or the transcript cannot be spoken in it (more than 10 words or 1000 bytes \
of transcript per second of audio); nothing written; --force aligns anyway); 2 bad input: a recording or transcript that is missing, a \
directory, empty, not audio, of an unsupported codec, zero-length or all silence, or bad \
arguments, or an unknown --voice, or a TALIGN_MODEL_DIR that holds no readable acoustic \
model; 3 I/O failure (the output cannot be written), or --reference voice --words without \
espeak-ng. On error no output file is created or changed; -o naming the recording or the \
transcript is refused before any work; /dev/null, a FIFO or a device given to -o is written \
through, a symlink's target is written and the link kept.\n\n\
By default the built-in acoustic model (CMU Sphinx US English, vendored; TALIGN_MODEL_DIR \
points at another) forced-aligns every transcribed turn's words inside the place the turn \
lattice found for it. Words its dictionary lacks are pronounced by espeak-ng when it is \
installed (apt-get install espeak-ng), else guessed from their spelling; each such word is \
listed once on stderr."
)]
pub struct AlignArgs {
    /// Recording (WAV, MP3, FLAC, Ogg Vorbis, Opus (.opus, WebM), AAC/M4A, MP4 video, ...).
    pub audio: PathBuf,
    /// Transcript (block format, inline `Speaker: text`, plain text, SRT, WebVTT, talign JSON,
    /// Praat TextGrid, ELAN EAF, ASS/SSA, oTranscribe .otr).
    pub transcript: PathBuf,
    /// Output format [default: from the -o extension, else json]: json, srt, vtt (with
    /// --words: each word's start as an inline `<00:01:02.345>` timestamp), textgrid (tiers
    /// per speaker: turns, words, phones), audacity, csv, tsv, eaf (ELAN: a tier per
    /// speaker, word and phone tiers under it, the recording linked), ttml (IMSC 1.1 Text,
    /// speakers as ttm:agent), ass (a style per speaker, `\k` karaoke tags from word
    /// times), sbv (YouTube), smil (EPUB 3 media overlay; see --text-ids). docs/formats.md
    /// shows each.
    #[arg(long, value_parser = export_format())]
    pub format: Option<talign::export::ExportFormat>,
    /// Write here (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the same alignment to FILE, in the format its extension names (.json,
    /// .srt, .vtt, .TextGrid, .txt, .csv, .tsv, .eaf, .ttml, .ass, .sbv, .smil); repeat for
    /// more. One run, many formats.
    #[arg(long, value_name = "FILE")]
    pub also: Vec<PathBuf>,
    /// SMIL: the book's XHTML content document. Its elements that carry an `id` and hold no
    /// other element with one (paragraphs, sentences), in order, are paired one to one with
    /// the transcribed turns; a different count is refused (exit 2). Without it, ids
    /// `turn-1`, `turn-2`, ... are generated and the XHTML holding them is written beside
    /// the SMIL (same name, `.xhtml`).
    #[arg(long, value_name = "BOOK.xhtml")]
    pub text_ids: Option<PathBuf>,
    /// Read the transcript as this format instead of detecting it: block, inline, plain,
    /// srt, vtt, json (talign's), textgrid (Praat), eaf (ELAN), ass (ASS/SSA), otr
    /// (oTranscribe). TextGrid, EAF, ASS and otr times become the turns' stated stamps.
    #[arg(long, value_name = "FMT", value_parser = crate::lint::parse_format)]
    pub transcript_format: Option<TranscriptFormat>,
    /// Hide the progress bar and the summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// How progress is shown on stderr: `auto` (a bar on a terminal; elsewhere a plain line
    /// every 5 s once a run has taken 5 s), `bar`, `plain` or `none`.
    #[arg(long, value_enum, default_value = "auto", value_name = "HOW")]
    pub progress: crate::progress_bar::ProgressMode,
    /// Also time every word: `words` in JSON (start and end per word; its confidence, never
    /// above its turn's, and the model's fits of the word, its first 40 ms and the pause
    /// before it), a word tier in TextGrid and EAF, inline word timestamps in WebVTT.
    /// (Subtitle cues are cut at word times, and ASS gets karaoke tags, whenever words are
    /// timed, with or without this flag.)
    #[arg(long)]
    pub words: bool,
    /// With --words, also each word's phones (CMU ARPAbet: `phones` with start and end in
    /// the JSON, a phone tier per speaker in TextGrid and EAF). Needs the acoustic model
    /// (the default --reference model).
    #[arg(long, requires = "words")]
    pub phones: bool,
    /// What the recording's sounds are matched against: `model`, the acoustic model
    /// (forced alignment of each turn's words), or `voice`, espeak-ng speaking the transcript
    /// (--voice) warped onto the recording (for languages the model does not know).
    #[arg(long, value_enum, default_value = "model")]
    pub reference: Reference,
    /// espeak-ng voice: speaks the transcript with `--reference voice`; pick the transcript's
    /// language (`espeak-ng --voices` lists them: en, en-us, de, fr, ...).
    #[arg(long, value_name = "VOICE", default_value = "en")]
    pub voice: String,
    /// Match nothing: place turns from pauses, durations, voices and stamps only (the turn
    /// lattice; faster, less precise: docs/accuracy.md).
    #[arg(long, conflicts_with = "words")]
    pub no_reference: bool,
    /// Align even when the recording does not sound like the transcript (by default such a
    /// pair is refused with exit 1 and nothing written: another recording, reversed audio,
    /// far more text than speech).
    #[arg(long)]
    pub force: bool,
    /// The transcript's language, as an ISO 639-1 or 639-3 code (en, cs, fr, ces, ...);
    /// detected from the text when not given. Words of a language other than English are
    /// pronounced by espeak-ng's voice for it and matched with the English model's phones: the
    /// nearest, and for sounds English lacks (pure e and o, taps, trills) also the
    /// second-nearest, whichever the recording fits better word by word.
    #[arg(long, value_name = "CODE", value_parser = parse_language)]
    pub lang: Option<talign::transcript::Language>,
    /// Also write a review page (HTML) of this alignment to FILE: see `talign review`. The
    /// recording is referred to by its path relative to the page.
    #[arg(long, value_name = "FILE.html")]
    pub review: Option<PathBuf>,
    /// Keep the turns marked `corrected` in this talign JSON (saved by `talign review`)
    /// exactly where they are, and align the turns between them again inside the stretches
    /// they leave. Its turns must pair one to one with the transcript's (when turns were
    /// split or merged, give the corrected JSON as the transcript too).
    #[arg(long, value_name = "CORRECTED.json")]
    pub anchors: Option<PathBuf>,
}

/// What the recording is matched against (`--reference`).
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reference {
    /// The built-in acoustic model forced-aligns each turn's words.
    Model,
    /// espeak-ng speaks the transcript; the recording is warped onto its voice.
    Voice,
}

/// `--format`: one of the library's export formats, listed in `--help`.
pub(crate) fn export_format()
-> impl clap::builder::TypedValueParser<Value = talign::export::ExportFormat> {
    use clap::builder::{PossibleValuesParser, TypedValueParser};
    use talign::export::ExportFormat;
    PossibleValuesParser::new(ExportFormat::ALL.map(ExportFormat::name))
        .map(|name| name.parse::<ExportFormat>().expect("a listed name parses"))
}

/// `--lang`: a known ISO 639 code.
pub(crate) fn parse_language(code: &str) -> Result<talign::transcript::Language, String> {
    talign::transcript::Language::from_code(code).ok_or_else(|| {
        format!("unknown language code `{code}`: give an ISO 639 code (en, cs, fr, de, ...)")
    })
}

/// One file to write: where, and in which format.
pub(crate) struct Target {
    pub path: Option<PathBuf>,
    pub format: talign::export::ExportFormat,
}

/// The `--also` files, each in the format its extension names.
pub(crate) fn also_targets(also: &[PathBuf]) -> anyhow::Result<Vec<Target>> {
    use talign::export::ExportFormat;
    let mut targets = Vec::new();
    for path in also {
        let format = ExportFormat::from_extension(path).ok_or_else(|| {
            talign::Error::Invalid(format!(
                "--also {}: the extension names no output format; use one of {}",
                path.display(),
                ExportFormat::ALL
                    .map(|f| format!(".{}", f.extension()))
                    .join(", ")
            ))
        })?;
        targets.push(Target {
            path: Some(path.clone()),
            format,
        });
    }
    Ok(targets)
}

/// Every file the targets will write, named by the flag that asked for it (a SMIL without
/// the book's ids gets its XHTML beside it); refuses a SMIL to stdout without the book.
pub(crate) fn output_files(
    targets: &[Target],
    has_text_ids: bool,
) -> anyhow::Result<Vec<(String, PathBuf)>> {
    use talign::export::ExportFormat;
    let mut outputs: Vec<(String, PathBuf)> = Vec::new();
    for target in targets {
        let Some(path) = &target.path else {
            if target.format == ExportFormat::Smil && !has_text_ids {
                return Err(talign::Error::Invalid(
                    "--format smil writes the XHTML its ids point at beside the SMIL file: \
                     give -o FILE.smil, or the book with --text-ids BOOK.xhtml"
                        .into(),
                )
                .into());
            }
            continue;
        };
        outputs.push(("-o".into(), path.clone()));
        if target.format == ExportFormat::Smil && !has_text_ids {
            outputs.push(("the SMIL's XHTML".into(), path.with_extension("xhtml")));
        }
    }
    Ok(outputs)
}

/// Runs `talign align`.
pub fn run(args: &AlignArgs) -> anyhow::Result<ExitCode> {
    let written = align_and_write(args)?;
    if !args.quiet {
        crate::say!("{}", written.said);
    }
    Ok(ExitCode::SUCCESS)
}

/// What [`align_and_write`] did.
pub struct Written {
    /// The one-line summary.
    pub said: String,
    /// The run, when the whole recording was aligned (`None` with `--anchors`).
    pub run: Option<AlignRun>,
}

/// Aligns and writes every output `args` asks for (one item of `talign batch` too).
pub fn align_and_write(args: &AlignArgs) -> anyhow::Result<Written> {
    use talign::export::ExportFormat;
    let format = args
        .format
        .or_else(|| {
            args.output
                .as_deref()
                .and_then(ExportFormat::from_extension)
        })
        .unwrap_or(ExportFormat::Json);
    let mut targets = vec![Target {
        path: args
            .output
            .clone()
            .filter(|p| p != std::path::Path::new("-")),
        format,
    }];
    targets.extend(also_targets(&args.also)?);
    // Subtitles are cut at word times whenever the reference voice gives them; the JSON
    // keeps them so `talign export` (and a review page) cut the same cues.
    let cue_words = args.review.is_some()
        || targets.iter().any(|t| {
            matches!(
                t.format,
                ExportFormat::Json
                    | ExportFormat::Srt
                    | ExportFormat::Vtt
                    | ExportFormat::Ass
                    | ExportFormat::Sbv
                    | ExportFormat::Ttml
            )
        });
    if args.phones && (args.reference == Reference::Voice || args.no_reference) {
        return Err(talign::Error::Invalid(
            "--phones needs the acoustic model: drop --reference voice / --no-reference, or \
             drop --phones"
                .into(),
        )
        .into());
    }
    let wants = |format| targets.iter().any(|t| t.format == format);
    if args.text_ids.is_some() && !wants(ExportFormat::Smil) {
        return Err(talign::Error::Invalid(
            "--text-ids pairs a book's text with the turns in a SMIL media overlay: add \
             --format smil (or --also FILE.smil), or drop --text-ids"
                .into(),
        )
        .into());
    }
    let text_ids = args
        .text_ids
        .as_deref()
        .map(talign::export::read_text_ids)
        .transpose()?;
    let mut outputs = output_files(&targets, text_ids.is_some())?;
    if let Some(review) = &args.review {
        outputs.push(("--review".into(), review.clone()));
    }
    let mut inputs = vec![args.audio.as_path(), args.transcript.as_path()];
    inputs.extend(args.text_ids.as_deref());
    inputs.extend(args.anchors.as_deref());
    let named: Vec<(&str, &std::path::Path)> = outputs
        .iter()
        .map(|(flag, p)| (flag.as_str(), p.as_path()))
        .collect();
    crate::output::refuse_clobbering(&inputs, &named)?;
    let (mut run, said, whole) = match &args.anchors {
        Some(anchors) => {
            let (alignment, said) = align_around(args, anchors, cue_words)?;
            (alignment, said, None)
        }
        None => {
            let run = align_files_with(args, cue_words)?;
            let said = summary(&run);
            (run.alignment.clone(), said, Some(run))
        }
    };
    // TTML and the SMIL's XHTML name the language; the JSON keeps it for `talign export`.
    let language =
        if wants(ExportFormat::Ttml) || wants(ExportFormat::Smil) || wants(ExportFormat::Json) {
            language_tag(args)
        } else {
            None
        };
    let created_unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok());
    run.made = Some(talign::report::MadeWith {
        words: args.words,
        language: language.clone(),
        created_unix,
        audio_absolute: std::path::absolute(&args.audio)
            .ok()
            .map(|p| p.to_string_lossy().into_owned()),
    });
    // Everything is rendered before anything is written, so a refusal writes nothing.
    let mut files: Vec<(Option<PathBuf>, String)> = Vec::new();
    for target in &targets {
        let options = export_options(args, target, &text_ids, &language, created_unix);
        let text = talign::export::try_render(&run, target.format, &options)?;
        if let (Some(xhtml), Some(path)) = (
            talign::export::companion(&run, target.format, &options),
            &target.path,
        ) {
            files.push((Some(path.with_extension("xhtml")), xhtml));
        }
        files.push((target.path.clone(), text));
    }
    if let Some(review) = &args.review {
        let transcript = talign::transcript::read(&args.transcript, args.transcript_format)?;
        let page = crate::review::page(&args.audio, &run, Some(&transcript), review, false)?;
        files.push((Some(review.clone()), page));
    }
    for (path, text) in &files {
        emit(path.as_deref(), text)?;
    }
    Ok(Written { said, run: whole })
}

/// The export choices for one output: the recording and the book as that file refers to
/// them, the language, word timestamps with --words.
fn export_options(
    args: &AlignArgs,
    target: &Target,
    text_ids: &Option<Vec<String>>,
    language: &Option<String>,
    created_unix: Option<i64>,
) -> talign::export::ExportOptions {
    let folder = output_folder(target.path.as_deref());
    let relative = |path: &std::path::Path| {
        let absolute = std::path::absolute(path).ok()?;
        Some(relative_path(folder.as_deref()?, &absolute))
    };
    talign::export::ExportOptions {
        word_timestamps: args.words,
        media_relative: relative(&args.audio),
        media_absolute: std::path::absolute(&args.audio)
            .ok()
            .map(|p| p.to_string_lossy().into_owned()),
        language: language.clone(),
        text_ids: text_ids.clone(),
        text_href: text_href(args.text_ids.as_deref(), target, folder.as_deref()),
        created_unix,
        ..Default::default()
    }
}

/// The folder an output's relative paths start from: the output file's, or the current
/// folder for stdout.
pub(crate) fn output_folder(output: Option<&std::path::Path>) -> Option<PathBuf> {
    output
        .filter(|p| *p != std::path::Path::new("-"))
        .and_then(|p| std::path::absolute(p).ok())
        .and_then(|p| p.parent().map(PathBuf::from))
        .or_else(|| std::env::current_dir().ok())
}

/// SMIL: the XHTML the text ids are in, as the SMIL file refers to it: the book relative
/// to the output's folder, else the companion XHTML beside the output.
pub(crate) fn text_href(
    book: Option<&std::path::Path>,
    target: &Target,
    folder: Option<&std::path::Path>,
) -> Option<String> {
    match (book, &target.path) {
        (Some(book), _) => {
            let absolute = std::path::absolute(book).ok()?;
            Some(relative_path(folder?, &absolute))
        }
        (None, Some(path)) => path
            .with_extension("xhtml")
            .file_name()
            .map(|n| n.to_string_lossy().into_owned()),
        (None, None) => None,
    }
}

/// `to` relative to the folder `from` (both absolute), `/` between parts: `../audio/x.mp3`.
pub(crate) fn relative_path(from: &std::path::Path, to: &std::path::Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        // Another drive: only the absolute path reaches it.
        return to
            .iter()
            .collect::<PathBuf>()
            .to_string_lossy()
            .into_owned();
    }
    let mut parts: Vec<String> = vec!["..".into(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The transcript's language as a BCP 47 tag (`en`, `cs`): --lang, else detected from the
/// text; `None` when neither says.
fn language_tag(args: &AlignArgs) -> Option<String> {
    let language = match &args.lang {
        Some(l) => l.clone(),
        None => {
            let transcript =
                talign::transcript::read(&args.transcript, args.transcript_format).ok()?;
            talign::transcript::detect_language(&transcript)?
        }
    };
    // BCP 47 takes the two-letter code where ISO 639-1 has one.
    let voice = &language.espeak_voice;
    Some(if voice.len() == 2 {
        voice.clone()
    } else {
        language.code
    })
}

/// `--anchors`: aligns around the corrected turns of `anchors`; the alignment and a summary.
fn align_around(
    args: &AlignArgs,
    anchors: &std::path::Path,
    cue_words: bool,
) -> anyhow::Result<(talign::report::Alignment, String)> {
    let fixes = crate::export::read_alignment(anchors)?;
    let transcript = talign::transcript::read(&args.transcript, args.transcript_format)?;
    let options = align_options(args, cue_words)?;
    let bar = Bar::new(args.quiet, args.progress);
    let run = talign::anchors::align_around(
        &args.audio,
        &transcript,
        &args.transcript,
        &fixes,
        &options,
        &bar,
    )?;
    crate::warn_decode(&run.source);
    for note in &run.notes {
        crate::say!("talign: note: {note}");
    }
    let said = format!(
        "aligned {} turns in {:.1} s of audio around {} corrected turns kept in place",
        run.alignment.turns.len(),
        run.source.duration_s(),
        run.anchors
    );
    Ok((run.alignment, said))
}

/// The library's options for `args`; `cue_words` asks for word timings to time subtitle
/// cues, without `--words`, when something listens to give them.
fn align_options(args: &AlignArgs, cue_words: bool) -> anyhow::Result<AlignOptions> {
    let reference_voice = reference_voice(args)?;
    let listener = match (args.no_reference, args.reference) {
        (true, _) => Listener::Lattice,
        (false, Reference::Model) => Listener::AcousticModel,
        (false, Reference::Voice) if reference_voice.is_some() => Listener::ReferenceVoice,
        (false, Reference::Voice) => Listener::Lattice,
    };
    let options = AlignOptions {
        words: args.words || (cue_words && listener != Listener::Lattice),
        phones: args.phones,
        force: args.force,
        language: args.lang.clone(),
        listener,
        reference_voice,
        ..AlignOptions::default()
    };
    Ok(options)
}

/// Reads the transcript and aligns it; shared with `talign check`.
pub fn align_files(args: &AlignArgs) -> anyhow::Result<AlignRun> {
    align_files_with(args, false)
}

/// As [`align_files`]; `cue_words` also asks for word timings (when the reference voice is
/// there to give them) to time subtitle cues, without `--words`.
fn align_files_with(args: &AlignArgs, cue_words: bool) -> anyhow::Result<AlignRun> {
    if !args.force {
        talign::pipeline::refuse_oversized_transcript(&args.audio, &args.transcript)?;
    }
    let transcript = talign::transcript::read(&args.transcript, args.transcript_format)?;
    let options = align_options(args, cue_words)?;
    let bar = Bar::new(args.quiet, args.progress);
    let run = align_recording(&args.audio, &transcript, &args.transcript, &options, &bar)?;
    crate::warn_decode(&run.source);
    if let Some(why) = &run.reference_unavailable {
        crate::say!("talign: warning: reference not used: {why}");
    }
    if !args.quiet {
        for note in &run.pronunciation_notes {
            crate::say!("talign: note: {note}");
        }
        if let Some(reverb) = run.outcome.late_reverb {
            crate::say!(
                "talign: note: the recording is reverberant (RT60 about {:.1} s, measured on \
                 its decays): the acoustic model heard it with the room's late echo taken out",
                reverb.rt60_s
            );
        }
        if let Some(echo) = run.outcome.echo.filter(|e| e.trimmed > 0) {
            let at_least = if echo.tail_at_reach() {
                "at least "
            } else {
                ""
            };
            crate::say!(
                "talign: note: the recording echoes (speech runs on {at_least}{:.2} s past the \
                 heard words, the median of {}): {} turn(s) not placed by their words end \
                 where their own sound fell, not where the echo did",
                echo.tail_frames / f64::from(talign::time::FRAME_RATE),
                echo.measured,
                echo.trimmed
            );
        }
    }
    Ok(run)
}

/// The espeak-ng voice to use, checked before the long work starts: an unknown voice is bad
/// input; espeak-ng missing is a failure with `--words` and a warning otherwise.
fn reference_voice(args: &AlignArgs) -> anyhow::Result<Option<String>> {
    if args.no_reference {
        return Ok(None);
    }
    match talign::reference::has_voice(&args.voice) {
        Ok(true) => Ok(Some(args.voice.clone())),
        Ok(false) => Err(talign::Error::Invalid(format!(
            "--voice {}: espeak-ng has no such voice; `espeak-ng --voices` lists them",
            args.voice
        ))
        .into()),
        Err(why) if args.words && args.reference == Reference::Voice => Err(
            talign::Error::External(format!("--reference voice --words needs espeak-ng: {why}"))
                .into(),
        ),
        Err(why) if args.reference == Reference::Voice => {
            crate::say!(
                "talign: warning: {why}; aligning from pauses, durations and voices only \
                 (less precise; --no-reference silences this warning)"
            );
            Ok(None)
        }
        // The acoustic model needs espeak-ng only for words its dictionary lacks; those are
        // then guessed from their spelling and listed.
        Err(_) => Ok(None),
    }
}

/// When the acoustic model listened: how many transcribed turns it did not hear, and so
/// were placed from pauses and durations alone ("" when it did not listen).
fn unheard(turns: &[talign::report::TurnTiming]) -> String {
    if turns.iter().all(|t| t.fit.is_none()) {
        return String::new();
    }
    let transcribed = turns.iter().filter(|t| t.transcribed).count();
    let unheard = turns
        .iter()
        .filter(|t| t.transcribed)
        .filter(|t| {
            t.fit
                .is_none_or(|f| f < f64::from(talign::pipeline::HEARD_FIT))
        })
        .count();
    format!(
        "; {unheard} of {transcribed} transcribed turns not heard (placed from pauses and durations)"
    )
}

/// One line: turns aligned, low-confidence count, drift in a phrase.
pub fn summary(run: &AlignRun) -> String {
    let turns = &run.alignment.turns;
    const LOW: f64 = talign::report::LOW_CONFIDENCE;
    let low_lines: Vec<String> = turns
        .iter()
        .filter(|t| t.confidence < LOW)
        .map(|t| t.line.to_string())
        .collect();
    let low = match low_lines.len() {
        0 => format!("0 low-confidence (< {LOW})"),
        n if n <= 8 => format!(
            "{n} low-confidence (< {LOW}): lines {}",
            low_lines.join(", ")
        ),
        n => format!(
            "{n} low-confidence (< {LOW}): lines {}, ...",
            low_lines[..8].join(", ")
        ),
    };
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
        "aligned {} turns in {:.1} s of audio; {low}{}; {drift}",
        turns.len(),
        run.source.duration_s(),
        unheard(turns)
    )
}

#[cfg(test)]
mod tests {
    use super::relative_path;
    use std::path::Path;

    #[test]
    fn paths_relative_to_the_output() {
        let r = |from: &str, to: &str| relative_path(Path::new(from), Path::new(to));
        assert_eq!(r("/w/out", "/w/out/a.mp3"), "a.mp3");
        assert_eq!(r("/w/out", "/w/audio/a b.mp3"), "../audio/a b.mp3");
        assert_eq!(r("/w/out/deep", "/x.wav"), "../../../x.wav");
    }
}
