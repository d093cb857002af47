//! `talign batch`: align every item of a manifest (or a folder), in parallel, resumably, one
//! shard of a cluster job at a time; and `--merge` the shards' results into one report.

mod child;
mod merge;
mod progress;
mod run;

use std::path::PathBuf;
use std::process::ExitCode;

use talign::export::ExportFormat;

use crate::progress_bar::ProgressMode;

/// Arguments of `talign batch`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Each item is aligned as `talign align AUDIO TRANSCRIPT --format F -o \
OUTPUT [--also ...] [--words] [--lang L]` would, in one of --jobs worker processes (a crash or \
a runaway item harms no other worker; a crashed worker is replaced), and gets one line in DIR/results.jsonl (DIR/results.K-of-N.jsonl \
for shard K of N): status ok, failed or skipped, its exit code (as `talign align`'s), the \
summary, the low-confidence turns, the stamps' drift fit, the audio's duration, wall time, the \
peak memory of its worker process over that item, the error with the manifest line. A failing item never stops the \
batch. Outputs are written atomically: a killed batch leaves no half-written file, and \
running it again skips what is done.\n\n\
Outputs go under DIR at the recording's path within the manifest's folder, extension replaced \
(talks/a.wav -> DIR/talks/a.json); a row's `output` column names the first format's file \
instead, relative to DIR. Two rows that would write one file are refused before any work.\n\n\
Exit codes: 0 every item aligned (or skipped as already done); 1 one or more items failed \
(see their lines in results.jsonl; the others were aligned); 2 bad input for the whole batch, \
nothing aligned: a manifest that is missing, unreadable or lacks the audio or transcript \
column, two rows writing one output, a bad --shard or scheduler variable, bad arguments, a \
--merge folder that is missing, unreadable or holds no results; 3 the output folder or the \
results file cannot be written."
)]
pub struct BatchArgs {
    /// The items: a CSV or TSV file whose header names `audio,transcript[,output][,language]`
    /// (other columns ignored), a JSON-lines file of objects with those keys, or a folder
    /// whose recordings (.wav, .mp3, .flac, .opus, .m4a, ...) each pair with the transcript
    /// of the same stem. Paths are relative to the manifest's folder; blank lines and lines
    /// starting with `#` are skipped.
    #[arg(required_unless_present_any = ["merge", "worker"], value_name = "MANIFEST")]
    pub manifest: Option<PathBuf>,
    /// Output folder: the items' outputs and results.jsonl [default: talign-batch]. With
    /// --merge: where report.csv and report.html go [default: the first merged folder].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Output formats, comma-separated or repeated; each item is written in every one
    /// [default: json]. The names of `talign align --format`: json, srt, vtt, textgrid,
    /// audacity, csv, tsv, eaf, ttml, ass, sbv, smil.
    #[arg(long, value_delimiter = ',', value_name = "FMT", value_parser = crate::align::export_format())]
    pub format: Vec<ExportFormat>,
    /// Also time every word (as `talign align --words`).
    #[arg(long)]
    pub words: bool,
    /// Items aligned at a time: N worker processes, each aligning one item after another
    /// with its share of the cores' threads (2 cores, 2 jobs: one thread each; 1 job: both).
    /// Peak memory is about N times one item's [default: the number of cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Take only shard K of N: items K, K+N, K+2N, ... of the manifest (K from 1 to N).
    /// Without it, a Slurm array task takes its shard from SLURM_ARRAY_TASK_ID and
    /// SLURM_ARRAY_TASK_COUNT, a Kubernetes Indexed Job pod from JOB_COMPLETION_INDEX
    /// (with --completions); otherwise the whole manifest.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// How many completions the Kubernetes Indexed Job has (N for JOB_COMPLETION_INDEX);
    /// the environment variable TALIGN_COMPLETIONS says the same.
    #[arg(long, value_name = "N")]
    pub completions: Option<usize>,
    /// Align every item again, even those an earlier run aligned with the same inputs,
    /// options and talign version.
    #[arg(long)]
    pub redo: bool,
    /// Refuse (as failed items) rows whose paths reach outside the manifest's folder, or
    /// whose `output` reaches outside DIR, through `..` or as absolute paths elsewhere.
    #[arg(long)]
    pub confine: bool,
    /// Join the results of these folders (every results*.jsonl in them: the shards' --out
    /// folders, or one shared one) into report.csv and report.html, worst items first.
    #[arg(long, value_name = "DIR", num_args = 1.., conflicts_with_all = ["manifest", "shard", "redo", "jobs"])]
    pub merge: Vec<PathBuf>,
    /// Hide the progress and the closing summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// How progress is shown on stderr: `auto` (a bar on a terminal, else a line every 5 s
    /// and one per failed item), `bar`, `plain` or `none`.
    #[arg(long, value_enum, default_value = "auto", value_name = "HOW")]
    pub progress: ProgressMode,
    /// Serve as a worker process of a batch (internal): items in on stdin, answers out.
    #[arg(long, hide = true, exclusive = true)]
    pub worker: bool,
}

/// Runs `talign batch`.
pub fn run(args: &BatchArgs) -> anyhow::Result<ExitCode> {
    if args.worker {
        return child::serve();
    }
    if !args.merge.is_empty() {
        return merge::run(&args.merge, args.out.as_deref(), args.quiet);
    }
    let manifest = args
        .manifest
        .as_deref()
        .expect("clap requires a manifest without --merge or --worker");
    run::run(args, manifest)
}
