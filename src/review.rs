//! `talign review`: a self-contained HTML page to see, hear and fix an alignment.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use talign::report::Alignment;
use talign::transcript::Transcript;

use crate::output::emit;

/// Arguments of `talign review`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "The page needs no network and no server: open it in a browser. It \
shows the whole recording (loudness, one lane per speaker, low-confidence turns marked, stated \
stamps joined to where their turns are, with `talign check`'s fit when the transcript named in \
the JSON can be read), a zoomable detail view with word boundaries, and the transcript. Click \
a turn or word to play from there. Keys: space play/pause, j/k next/previous turn, n next \
low-confidence turn, [ and ] set the current turn's start/end at the playhead, s split at the \
playhead, m merge with the next, Ctrl+Z/Ctrl+Y undo/redo; drag a turn's edge in the detail \
view. \"Save corrected JSON\" downloads the alignment with `corrected: true` on edited turns; \
`talign export` writes any format from it, `talign align --anchors` re-aligns around it.\n\n\
Exit codes: 0 written; 2 bad input: JSON that is not talign's or of a newer schema, an \
alignment with no turns, a recording that is missing, unreadable, or of another duration \
than the alignment's (by more than 1 s); 3 the page cannot be written. On error nothing is \
written."
)]
pub struct ReviewArgs {
    /// The recording that was aligned.
    pub audio: PathBuf,
    /// talign JSON alignment of it (`talign align AUDIO TRANSCRIPT -o aligned.json`).
    pub alignment: PathBuf,
    /// Write the page here (atomically) [default: the alignment's name with `.html`].
    #[arg(short, long, value_name = "FILE.html")]
    pub output: Option<PathBuf>,
    /// Put the recording inside the page (base64) so the page alone is enough; by default
    /// the page refers to the recording by its path relative to the page.
    #[arg(long)]
    pub embed_audio: bool,
    /// The transcript, for the stamp check and its problems [default: the one named in the
    /// JSON, relative to the current folder or to the JSON's]. Without one the page shows
    /// stamps without the check.
    #[arg(long, value_name = "FILE")]
    pub transcript: Option<PathBuf>,
}

/// How far the recording's duration may be from the alignment's before it is refused as
/// another recording: decoders differ by a frame or two at the ends, edits by far more.
const DURATION_TOLERANCE_S: f64 = 1.0;

/// Runs `talign review`.
pub fn run(args: &ReviewArgs) -> anyhow::Result<ExitCode> {
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.alignment.with_extension("html"));
    let mut inputs = vec![args.audio.as_path(), args.alignment.as_path()];
    inputs.extend(args.transcript.as_deref());
    crate::output::refuse_clobbering(&inputs, &[("-o", output.as_path())])?;
    let alignment = crate::export::read_alignment(&args.alignment)?;
    let transcript = find_transcript(args, &alignment)?;
    let page = page(
        &args.audio,
        &alignment,
        transcript.as_ref(),
        &output,
        args.embed_audio,
    )?;
    emit(Some(&output), &page)?;
    crate::say!("talign: review page written to {}", output.display());
    Ok(ExitCode::SUCCESS)
}

/// The transcript for the stamp check: --transcript (must read), else the JSON's, if found.
fn find_transcript(args: &ReviewArgs, alignment: &Alignment) -> anyhow::Result<Option<Transcript>> {
    let format = Some(alignment.transcript.format);
    if let Some(path) = &args.transcript {
        return Ok(Some(
            talign::transcript::read(path, format).map_err(talign::Error::as_input)?,
        ));
    }
    let named = Path::new(&alignment.transcript.path);
    let beside = args
        .alignment
        .parent()
        .map(|folder| folder.join(named))
        .unwrap_or_else(|| named.to_path_buf());
    for candidate in [named.to_path_buf(), beside] {
        if candidate.is_file()
            && let Ok(t) = talign::transcript::read(&candidate, format)
            && t.turns.len() == alignment.turns.len()
        {
            return Ok(Some(t));
        }
    }
    crate::say!(
        "talign: note: transcript {} not found beside the alignment; the page shows stamps \
         without the check (give --transcript FILE)",
        alignment.transcript.path
    );
    Ok(None)
}

/// The review page for `alignment` of `audio`, to be written at `output`; checks that the
/// recording is the aligned one. Shared with `talign align --review`.
pub fn page(
    audio: &Path,
    alignment: &Alignment,
    transcript: Option<&Transcript>,
    output: &Path,
    embed_audio: bool,
) -> anyhow::Result<String> {
    if alignment.turns.is_empty() {
        return Err(talign::Error::Invalid(
            "the alignment has no turns: there is nothing to review; align a transcript with \
             turns first"
                .into(),
        )
        .into());
    }
    // The recording is the user's input: one that exists but cannot be read is bad input
    // (exit 2), as the issue asks, not an internal failure.
    let decoder = talign::decode::open(audio).map_err(talign::Error::as_input)?;
    let mut envelope = talign::review::Envelope::new(decoder.info().sample_rate);
    let source = decoder
        .run(|chunk| envelope.push(chunk))
        .map_err(talign::Error::as_input)?;
    crate::warn_decode(&source);
    let envelope = envelope.finish();
    let decoded = source.duration_s();
    let aligned = alignment.audio.duration_s;
    if (decoded - aligned).abs() > DURATION_TOLERANCE_S {
        return Err(talign::Error::Invalid(format!(
            "{}: the recording lasts {decoded:.3} s but the alignment is of {aligned:.3} s \
             ({}); give the recording that was aligned",
            audio.display(),
            alignment.audio.path
        ))
        .into());
    }
    let drift = transcript
        .map(|t| talign::drift::check(t, alignment, &talign::drift::CheckOptions::default()));
    let problems = transcript.map(|t| t.problems.clone()).unwrap_or_default();
    let audio_src = if embed_audio {
        let bytes = std::fs::read(audio).map_err(|e| talign::Error::reading_input(audio, e))?;
        format!(
            "data:{};base64,{}",
            talign::review::audio_mime(audio),
            talign::review::base64(&bytes)
        )
    } else {
        let folder = crate::align::output_folder(Some(output));
        let absolute = std::path::absolute(audio)?;
        let relative = folder
            .map(|f| crate::align::relative_path(&f, &absolute))
            .unwrap_or_else(|| absolute.to_string_lossy().into_owned());
        url_path(&relative)
    };
    let stem = output
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "review".into());
    let save_name = format!("{stem}.corrected.json");
    Ok(talign::review::render(&talign::review::Page {
        alignment,
        envelope: &envelope,
        drift: drift.as_ref(),
        problems: &problems,
        audio_src: &audio_src,
        save_name: &save_name,
    }))
}

/// A relative path as a URL path: each character outside the unreserved set and `/`
/// percent-encoded (a space as `%20`, `#` and `?` too, so they are not read as URL parts).
fn url_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_become_url_paths() {
        assert_eq!(
            super::url_path("../audio/a b#1?.mp3"),
            "../audio/a%20b%231%3F.mp3"
        );
        assert_eq!(super::url_path("é.mp3"), "%C3%A9.mp3");
    }
}
