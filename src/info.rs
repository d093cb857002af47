//! `talign info`: what is in a recording.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::output::emit;

/// Arguments of `talign info`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Decodes the whole file to measure its true duration and find damage; \
decode warnings (damaged stretches with their time, a cut-short file) go to stderr too.\n\n\
Exit codes: 0 success; 2 bad input: a recording that is missing, a directory, empty, not \
audio, of an unsupported codec, zero-length or all silence, or bad arguments; 3 I/O failure."
)]
pub struct InfoArgs {
    /// Recording to inspect.
    pub audio: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `talign info`: decodes the whole file (to measure its true duration and find damage).
pub fn run(args: &InfoArgs) -> anyhow::Result<ExitCode> {
    let decoder = talign::decode::open(&args.audio)?;
    let info = decoder.run(|_| {})?;
    crate::warn_decode(&info);
    crate::require_audio(&info)?;
    let text = if args.json {
        serde_json::to_string_pretty(&crate::vad::audio_json(&info))? + "\n"
    } else {
        let mut t = format!(
            "file:        {}\ncontainer:   {}\ncodec:       {}\nsample rate: {} Hz\nchannels:    {}\nduration:    {:.3} s\n",
            info.path.display(),
            info.container,
            info.codec,
            info.sample_rate,
            info.channels,
            info.duration_s()
        );
        if info.warnings.is_empty() {
            t += "warnings:    none\n";
        }
        for w in &info.warnings {
            t += &format!("warning:     {w}\n");
        }
        t
    };
    emit(None, &text)?;
    Ok(ExitCode::SUCCESS)
}
