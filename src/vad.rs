//! `talign vad`: where the speech is.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use talign::decode::SourceInfo;
use talign::time::round_ms;
use talign::vad::{SpeechRegion, Vad, VadConfig};

use crate::output::emit;
use crate::progress_bar::Bar;

/// Output formats of `talign vad`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum VadFormat {
    /// JSON: audio info, regions with start/end/score, totals.
    Json,
    /// CSV: `start,end,score` per region.
    Csv,
    /// Audacity label track: `start<TAB>end<TAB>speech`.
    Audacity,
}

/// Arguments of `talign vad`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Times are seconds with 3 decimals. A damaged recording is decoded with \
a warning on stderr naming the time of each damaged stretch, which is replaced by silence so \
later times stay right.\n\n\
Exit codes: 0 success (also when no speech is found); 2 bad input: a recording that is \
missing, a directory, empty, not audio, of an unsupported codec, zero-length or all silence, \
or bad arguments; 3 I/O failure (the output cannot be written). On error no output file is \
created or changed."
)]
pub struct VadArgs {
    /// Recording to analyse (WAV, MP3, FLAC, Ogg Vorbis, Opus (.opus, WebM), AAC/M4A, MP4 video,
    /// ...).
    pub audio: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = VadFormat::Json)]
    pub format: VadFormat,
    /// Write here (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Hide the progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// How progress is shown on stderr: `auto` (a bar on a terminal; elsewhere a plain line
    /// every 5 s once a run has taken 5 s), `bar`, `plain` or `none`.
    #[arg(long, value_enum, default_value = "auto", value_name = "HOW")]
    pub progress: crate::progress_bar::ProgressMode,
}

#[derive(Serialize)]
struct AudioJson<'a> {
    path: String,
    container: &'a str,
    codec: &'a str,
    sample_rate: u32,
    channels: u32,
    duration_s: f64,
    warnings: &'a [String],
}

impl<'a> AudioJson<'a> {
    fn new(info: &'a SourceInfo) -> Self {
        AudioJson {
            path: info.path.display().to_string(),
            container: &info.container,
            codec: &info.codec,
            sample_rate: info.sample_rate,
            channels: info.channels,
            duration_s: round_ms(info.duration_s()),
            warnings: &info.warnings,
        }
    }
}

#[derive(Serialize)]
struct RegionJson {
    start: f64,
    end: f64,
    score: f64,
}

#[derive(Serialize)]
struct VadJson<'a> {
    audio: AudioJson<'a>,
    regions: Vec<RegionJson>,
    speech_s: f64,
    speech_ratio: f64,
    region_count: usize,
}

/// Runs `talign vad`.
pub fn run(args: &VadArgs) -> anyhow::Result<ExitCode> {
    if let Some(out) = &args.output {
        crate::output::refuse_clobbering(&[&args.audio], &[("-o", out)])?;
    }
    let bar = Bar::new(args.quiet, args.progress);
    let mut vad = Vad::new(VadConfig::default());
    let info = talign::analysis::analyse(&args.audio, &bar, |block| vad.push(block))?;
    let regions = vad.finish();
    crate::warn_decode(&info);
    crate::require_audio(&info)?;
    let text = render(&info, &regions, args.format);
    emit(args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

fn render(info: &SourceInfo, regions: &[SpeechRegion], format: VadFormat) -> String {
    let rows: Vec<RegionJson> = regions
        .iter()
        .map(|r| RegionJson {
            start: round_ms(r.start.seconds()),
            end: round_ms(r.end.seconds()),
            score: (f64::from(r.score) * 1000.0).round() / 1000.0,
        })
        .collect();
    match format {
        VadFormat::Json => {
            let speech_s: f64 = 0.0
                + regions
                    .iter()
                    .map(|r| r.end.seconds() - r.start.seconds())
                    .sum::<f64>();
            let duration = info.duration_s();
            let doc = VadJson {
                audio: AudioJson::new(info),
                region_count: rows.len(),
                regions: rows,
                speech_s: round_ms(speech_s),
                speech_ratio: if duration > 0.0 {
                    (speech_s / duration * 1000.0).round() / 1000.0
                } else {
                    0.0
                },
            };
            serde_json::to_string_pretty(&doc).expect("serialisable") + "\n"
        }
        VadFormat::Csv => {
            let mut out = String::from("start,end,score\n");
            for r in rows {
                out += &format!("{:.3},{:.3},{:.3}\n", r.start, r.end, r.score);
            }
            out
        }
        VadFormat::Audacity => {
            let mut out = String::new();
            for r in rows {
                out += &format!("{:.6}\t{:.6}\tspeech\n", r.start, r.end);
            }
            out
        }
    }
}

/// JSON description of a decoded file, shared with `talign info`.
pub fn audio_json(info: &SourceInfo) -> serde_json::Value {
    serde_json::to_value(AudioJson::new(info)).expect("serialisable")
}
