//! `talign export`: write any format again from a saved (or corrected) JSON alignment.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use talign::export::{ExportFormat, ExportOptions};
use talign::report::Alignment;

use crate::output::emit;

/// Arguments of `talign export`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "For an alignment nobody edited, each format is byte for byte what \
`talign align` wrote in the same run (when written to the same folder, so the paths to the \
recording that EAF and SMIL hold come out the same): the JSON keeps the word times that cut \
subtitle cues, --words, the language and the time it was made. Older JSON (without `schema`) \
is read too; its EAF date is 1970 and its language `und` unless --lang says.\n\n\
Exit codes: 0 written; 2 bad input (not talign JSON, a newer schema, bad arguments); \
3 the output cannot be written. On error nothing is written."
)]
pub struct ExportArgs {
    /// talign JSON alignment (`talign align -o aligned.json`, or saved by `talign review`).
    pub alignment: PathBuf,
    /// Output format [default: from the -o extension, else srt]: json, srt, vtt, textgrid,
    /// audacity, csv, tsv, eaf, ttml, ass, sbv, smil (as in `talign align --format`).
    #[arg(long, value_parser = crate::align::export_format())]
    pub format: Option<ExportFormat>,
    /// Write here (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write FILE, in the format its extension names; repeat for more.
    #[arg(long, value_name = "FILE")]
    pub also: Vec<PathBuf>,
    /// SMIL: the book's XHTML whose element ids pair with the turns (as in `talign align`).
    #[arg(long, value_name = "BOOK.xhtml")]
    pub text_ids: Option<PathBuf>,
    /// The language as a BCP 47 tag (en, cs) for TTML and SMIL [default: the one the
    /// alignment was made with, else `und`].
    #[arg(long, value_name = "TAG")]
    pub lang: Option<String>,
}

/// Reads a talign JSON alignment of any schema this talign knows; bad input is exit 2.
pub fn read_alignment(path: &Path) -> anyhow::Result<Alignment> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| talign::Error::reading_input(path, e))
        .with_context(|| format!("{}: cannot read the alignment", path.display()))?;
    Ok(talign::report::read_json(
        &text,
        &path.display().to_string(),
    )?)
}

/// Runs `talign export`.
pub fn run(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let format = args
        .format
        .or_else(|| {
            args.output
                .as_deref()
                .and_then(ExportFormat::from_extension)
        })
        .unwrap_or(ExportFormat::Srt);
    let mut targets = vec![crate::align::Target {
        path: args.output.clone().filter(|p| p != Path::new("-")),
        format,
    }];
    targets.extend(crate::align::also_targets(&args.also)?);
    let mut inputs = vec![args.alignment.as_path()];
    inputs.extend(args.text_ids.as_deref());
    let outputs = crate::align::output_files(&targets, args.text_ids.is_some())?;
    let named: Vec<(&str, &Path)> = outputs
        .iter()
        .map(|(flag, p)| (flag.as_str(), p.as_path()))
        .collect();
    crate::output::refuse_clobbering(&inputs, &named)?;
    let mut alignment = read_alignment(&args.alignment)?;
    // An older schema's alignment is a valid one of today's; it is written as such.
    alignment.schema = talign::report::SCHEMA;
    let text_ids = args
        .text_ids
        .as_deref()
        .map(talign::export::read_text_ids)
        .transpose()?;
    let made = alignment.made.clone().unwrap_or_default();
    let audio = made
        .audio_absolute
        .as_ref()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(&alignment.audio.path));
    let mut files: Vec<(Option<PathBuf>, String)> = Vec::new();
    for target in &targets {
        let folder = crate::align::output_folder(target.path.as_deref());
        let options = ExportOptions {
            word_timestamps: made.words,
            media_relative: std::path::absolute(&audio)
                .ok()
                .and_then(|a| Some(crate::align::relative_path(folder.as_deref()?, &a))),
            media_absolute: std::path::absolute(&audio)
                .ok()
                .map(|p| p.to_string_lossy().into_owned()),
            language: args.lang.clone().or_else(|| made.language.clone()),
            text_ids: text_ids.clone(),
            text_href: crate::align::text_href(args.text_ids.as_deref(), target, folder.as_deref()),
            created_unix: made.created_unix,
            ..ExportOptions::default()
        };
        let text = talign::export::try_render(&alignment, target.format, &options)?;
        if let (Some(xhtml), Some(path)) = (
            talign::export::companion(&alignment, target.format, &options),
            &target.path,
        ) {
            files.push((Some(path.with_extension("xhtml")), xhtml));
        }
        files.push((target.path.clone(), text));
    }
    for (path, text) in &files {
        emit(path.as_deref(), text)?;
    }
    Ok(ExitCode::SUCCESS)
}
