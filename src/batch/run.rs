//! Running a batch: read the manifest, plan every item's outputs (refusing two rows that
//! write one file), take this shard's items, skip those already done, and align the rest
//! `--jobs` at a time, longest first, each in its own process; one results line per item.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use talign::batch::manifest::{Manifest, Row, escapes};
use talign::batch::plan::{duplicate_output, key, outputs};
use talign::batch::results::{Fingerprint, Inputs, Record, Status, latest, read_records};
use talign::batch::shard::Shard;
use talign::export::ExportFormat;

use super::BatchArgs;
use super::child::{Outcome, Worker, align_args};
use super::progress::BatchBar;
use crate::exit;

/// The output folder when `--out` is not given.
const DEFAULT_OUT: &str = "talign-batch";

/// One item of this shard, ready to check and run.
struct Job<'a> {
    row: &'a Row,
    key: String,
    audio: PathBuf,
    transcript: PathBuf,
    outputs: Vec<PathBuf>,
    language: Option<String>,
    options: String,
    /// The length the recording's container declares (0 when it declares none).
    declared_s: f64,
}

/// What the batch knows about its run, shared by the workers.
struct Batch<'a> {
    args: &'a BatchArgs,
    formats: Vec<ExportFormat>,
    shard: Shard,
    exe: PathBuf,
    previous: std::collections::HashMap<String, Record>,
    results: Mutex<std::fs::File>,
    bar: BatchBar,
}

/// Runs the batch of `manifest_path`.
pub fn run(args: &BatchArgs, manifest_path: &Path) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let shard = shard(args)?;
    let manifest = Manifest::read(manifest_path)?;
    let mut formats: Vec<ExportFormat> = Vec::new();
    for f in &args.format {
        if !formats.contains(f) {
            formats.push(*f);
        }
    }
    if formats.is_empty() {
        formats.push(ExportFormat::Json);
    }
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
    // Every row's outputs, all shards', so that every shard refuses the same manifest.
    let planned: Vec<(&Row, Vec<PathBuf>)> = manifest
        .rows
        .iter()
        .filter_map(|row| {
            let item = row.item.as_ref().ok()?;
            Some((row, outputs(item, &out_dir, &formats)))
        })
        .collect();
    if let Some(why) = duplicate_output(&planned) {
        return Err(talign::Error::Invalid(why).into());
    }
    std::fs::create_dir_all(&out_dir).map_err(|e| talign::Error::Io(e).with_path(&out_dir))?;
    let previous = latest(previous_records(&out_dir)?);
    let results_path = out_dir.join(results_name(shard));
    let results = std::fs::File::options()
        .create(true)
        .append(true)
        .open(&results_path)
        .map_err(|e| talign::Error::Io(e).with_path(&results_path))?;

    let mut failed_rows: Vec<Record> = Vec::new();
    let mut jobs: Vec<Job> = Vec::new();
    let taken = manifest
        .rows
        .iter()
        .enumerate()
        .filter(|(position, _)| shard.takes(*position));
    for (_, row) in taken {
        match job(args, &manifest, row, &out_dir, &formats) {
            Ok(job) => jobs.push(job),
            Err(problem) => failed_rows.push(Record {
                shard: shard.to_string(),
                ..*problem
            }),
        }
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = usize::from(args.jobs.unwrap_or(cores as u16)).max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .thread_name(|i| format!("talign-batch-{i}"))
        .build()?;
    // The recordings' declared lengths, read in parallel: the longest start first (so no
    // long item is left alone at the end) and the bar counts hours.
    pool.install(|| {
        jobs.par_iter_mut().for_each(|job| {
            job.declared_s = talign::decode::open(&job.audio)
                .ok()
                .and_then(|d| d.expected_duration_s())
                .unwrap_or(0.0);
        })
    });
    jobs.sort_by(|a, b| b.declared_s.total_cmp(&a.declared_s));
    let audio_total_s = jobs.iter().fold(0.0, |sum, j| sum + j.declared_s);
    let batch = Batch {
        args,
        formats,
        shard,
        exe: std::env::current_exe()?,
        previous,
        results: Mutex::new(results),
        bar: BatchBar::new(
            args.quiet,
            args.progress,
            jobs.len() + failed_rows.len(),
            audio_total_s,
        ),
    };
    let mut records: Vec<Record> = Vec::new();
    for record in failed_rows {
        batch.record(&record, 0.0)?;
        records.push(record);
    }
    let done: Mutex<Vec<anyhow::Result<Record>>> = Mutex::new(Vec::new());
    let next = AtomicUsize::new(0);
    let workers = workers.min(jobs.len()).max(1);
    pool.scope(|scope| {
        for worker in 0..workers {
            let (batch, jobs, next, done) = (&batch, &jobs, &next, &done);
            // Threads split fairly: 3 cores, 2 workers: 2 and 1.
            let threads = (cores / workers + usize::from(worker < cores % workers)).max(1);
            scope.spawn(move |_| {
                let mut worker: Option<Worker> = None;
                while let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let record = batch.item(job, &mut worker, threads);
                    let written = batch.record(&record, job.declared_s).map(|()| record);
                    if let Ok(mut done) = done.lock() {
                        done.push(written);
                    }
                }
                if let Some(worker) = worker {
                    worker.stop();
                }
            });
        }
    });
    batch.bar.finish();
    for record in done.into_inner().unwrap_or_default() {
        records.push(record?);
    }
    let count = |status| records.iter().filter(|r| r.status == status).count();
    let failed = count(Status::Failed);
    if !args.quiet {
        let audio_h = records
            .iter()
            .filter_map(|r| r.aligned.as_ref())
            .fold(0.0, |sum, a| sum + a.duration_s)
            / 3600.0;
        crate::say!(
            "talign: batch{}: {} items: {} ok, {} skipped, {failed} failed; {audio_h:.3} h of \
             audio in {:.1} s; results in {}",
            if shard == Shard::ALL {
                String::new()
            } else {
                format!(" shard {shard}")
            },
            records.len(),
            count(Status::Ok),
            count(Status::Skipped),
            started.elapsed().as_secs_f64(),
            results_path.display()
        );
    }
    Ok(ExitCode::from(if failed > 0 {
        exit::PROBLEMS
    } else {
        exit::OK
    }))
}

/// `--shard K/N`, else the scheduler's variables, else the whole manifest.
fn shard(args: &BatchArgs) -> anyhow::Result<Shard> {
    if let Some(spec) = &args.shard {
        return Ok(Shard::parse(spec)?);
    }
    Ok(Shard::from_env(|name| std::env::var(name).ok(), args.completions)?.unwrap_or(Shard::ALL))
}

/// The results file of `shard`: `results.jsonl` for a whole manifest, `results.K-of-N.jsonl`
/// for a shard (shards sharing one output folder never write to one file).
fn results_name(shard: Shard) -> String {
    if shard == Shard::ALL {
        "results.jsonl".into()
    } else {
        format!("results.{}-of-{}.jsonl", shard.index, shard.count)
    }
}

/// Every record of every results file in `dir` (`results*.jsonl`), in no particular order.
/// An error is an I/O error with its path: the batch's own output folder failing (exit 3);
/// `--merge` makes it an input error with [`talign::Error::as_input`].
pub fn previous_records(dir: &Path) -> talign::Result<Vec<Record>> {
    let mut records = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| talign::Error::Io(e).with_path(dir))?;
    for entry in entries {
        let name = entry
            .map_err(|e| talign::Error::Io(e).with_path(dir))?
            .file_name();
        let name = name.to_string_lossy();
        if name.starts_with("results") && name.ends_with(".jsonl") {
            let path = dir.join(&*name);
            let (mut read, unreadable) =
                read_records(&path).map_err(|e| talign::Error::Io(e).with_path(&path))?;
            if unreadable > 0 {
                crate::say!(
                    "talign: warning: {}: {unreadable} line(s) do not read back as results \
                     (cut short by a killed run?); their items run again",
                    path.display()
                );
            }
            records.append(&mut read);
        }
    }
    Ok(records)
}

/// The job of `row`, or its failed record: a row that cannot be read, a path outside the
/// folder under `--confine`, an unknown language.
fn job<'a>(
    args: &BatchArgs,
    manifest: &Manifest,
    row: &'a Row,
    out_dir: &Path,
    formats: &[ExportFormat],
) -> Result<Job<'a>, Box<Record>> {
    let fail = |audio: String, transcript: String, why: String| {
        Box::new(Record {
            key: format!("#{}", row.location),
            location: row.location.clone(),
            audio,
            transcript,
            outputs: Vec::new(),
            status: Status::Failed,
            exit_code: exit::BAD_INPUT,
            aligned: None,
            wall_s: 0.0,
            peak_memory_mib: None,
            error: Some(format!("{}: {why}", row.location)),
            warnings: Vec::new(),
            inputs: None,
            options: String::new(),
            version: env!("CARGO_PKG_VERSION").into(),
            shard: String::new(),
            finished_unix_ms: now_ms(),
        })
    };
    let item = match &row.item {
        Ok(item) => item,
        Err(why) => return Err(fail(String::new(), String::new(), why.clone())),
    };
    let audio = manifest.resolve(&item.audio);
    let transcript = manifest.resolve(&item.transcript);
    let shown = |p: &Path| p.display().to_string();
    if args.confine {
        let outside = [("audio", &item.audio), ("transcript", &item.transcript)]
            .into_iter()
            .find(|(_, p)| escapes(&manifest.folder, p))
            .map(|(column, p)| (column, p, "the manifest's folder"))
            .or_else(|| {
                item.output
                    .as_ref()
                    .filter(|p| escapes(out_dir, p))
                    .map(|p| ("output", p, "the output folder"))
            });
        if let Some((column, path, folder)) = outside {
            return Err(fail(
                shown(&audio),
                shown(&transcript),
                format!(
                    "`{column}` {} reaches outside {folder}; --confine refuses it",
                    path.display()
                ),
            ));
        }
    }
    if let Some(code) = &item.language
        && talign::transcript::Language::from_code(code).is_none()
    {
        return Err(fail(
            shown(&audio),
            shown(&transcript),
            format!("unknown language code `{code}`: give an ISO 639 code (en, cs, fr, de, ...)"),
        ));
    }
    let outputs = outputs(item, out_dir, formats);
    let options = format!(
        "formats={} words={} language={}",
        formats
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(","),
        args.words,
        item.language.as_deref().unwrap_or("detected")
    );
    Ok(Job {
        row,
        key: key(&outputs[0], out_dir),
        audio,
        transcript,
        outputs,
        language: item.language.clone(),
        options,
        declared_s: 0.0,
    })
}

impl Batch<'_> {
    /// Skips, or aligns in `worker` (started with `threads` threads when there is none, and
    /// left empty when it died), one item; never fails (a failure is its record).
    fn item(&self, job: &Job, worker: &mut Option<Worker>, threads: usize) -> Record {
        let version = env!("CARGO_PKG_VERSION");
        let mut record = Record {
            key: job.key.clone(),
            location: job.row.location.clone(),
            audio: job.audio.display().to_string(),
            transcript: job.transcript.display().to_string(),
            outputs: job
                .outputs
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
            status: Status::Failed,
            exit_code: exit::BAD_INPUT,
            aligned: None,
            wall_s: 0.0,
            peak_memory_mib: None,
            error: None,
            warnings: Vec::new(),
            inputs: None,
            options: job.options.clone(),
            version: version.into(),
            shard: self.shard.to_string(),
            finished_unix_ms: 0,
        };
        let done = |mut record: Record| {
            record.finished_unix_ms = now_ms();
            record
        };
        let earlier = self.previous.get(&job.key).filter(|r| {
            !self.args.redo
                && r.still_valid(
                    &job.options,
                    version,
                    &job.audio,
                    &job.transcript,
                    &job.outputs,
                )
        });
        if let Some(earlier) = earlier {
            return done(Record {
                status: Status::Skipped,
                location: record.location,
                shard: record.shard,
                ..earlier.clone()
            });
        }
        let fingerprint = |what: &str, path: &Path| {
            Fingerprint::of(path).map_err(|e| {
                let why = match e.kind() {
                    std::io::ErrorKind::NotFound => "not found".to_string(),
                    _ => e.to_string(),
                };
                format!("{}: {what} {}: {why}", job.row.location, path.display())
            })
        };
        let inputs = fingerprint("recording", &job.audio).and_then(|audio| {
            Ok(Inputs {
                audio,
                transcript: fingerprint("transcript", &job.transcript)?,
            })
        });
        match inputs {
            Ok(inputs) => record.inputs = Some(inputs),
            Err(why) => {
                record.error = Some(why);
                return done(record);
            }
        }
        for output in &job.outputs {
            if let Some(folder) = output.parent().filter(|p| !p.as_os_str().is_empty())
                && let Err(e) = std::fs::create_dir_all(folder)
            {
                record.exit_code = exit::FAILURE;
                record.error = Some(format!(
                    "{}: cannot create the folder {}: {e}",
                    job.row.location,
                    folder.display()
                ));
                return done(record);
            }
        }
        let Some(args) = align_args(
            &job.audio,
            &job.transcript,
            &job.outputs,
            self.formats[0],
            self.args.words,
            job.language.as_deref(),
        ) else {
            record.error = Some(format!(
                "{}: a path of this item is not UTF-8; rename it",
                job.row.location
            ));
            return done(record);
        };
        let started = Instant::now();
        let running = match worker.take() {
            Some(running) => running,
            None => match Worker::start(&self.exe, threads) {
                Ok(started) => started,
                Err(e) => {
                    record.exit_code = exit::FAILURE;
                    record.error = Some(format!(
                        "{}: cannot start a worker process ({}): {e}",
                        job.row.location,
                        self.exe.display()
                    ));
                    return done(record);
                }
            },
        };
        let (outcome, still_running) = running.align(&args);
        *worker = still_running;
        record.wall_s = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
        let mib = |kib: u64| (kib as f64 / 1024.0 * 10.0).round() / 10.0;
        let said = match outcome {
            Outcome::Replied { reply, said } => {
                record.exit_code = reply.exit_code;
                record.peak_memory_mib = reply.peak_kib.map(mib);
                match reply.aligned {
                    Some(aligned) if reply.exit_code == exit::OK => {
                        record.status = Status::Ok;
                        record.aligned = Some(aligned);
                    }
                    _ => {
                        record.error = Some(format!(
                            "{}: {}",
                            job.row.location,
                            reply.error.unwrap_or_default()
                        ));
                    }
                }
                said
            }
            Outcome::Died {
                code,
                signal,
                peak_kib,
                said,
            } => {
                record.exit_code = exit::FAILURE;
                record.peak_memory_mib = Some(mib(peak_kib));
                let how = match (code, signal) {
                    (_, Some(signal)) => format!(
                        "was killed by signal {signal} (9: out of memory, or killed by hand)"
                    ),
                    (Some(code), _) => format!("exited with {code}"),
                    (None, None) => "vanished".into(),
                };
                record.error = Some(format!(
                    "{}: the worker process aligning it {how}{}{}",
                    job.row.location,
                    if said.is_empty() { "" } else { ": " },
                    said.join("; ")
                ));
                Vec::new()
            }
        };
        for line in said {
            let line = line.strip_prefix("talign: ").unwrap_or(&line);
            if let Some(warning) = line.strip_prefix("warning: ") {
                record.warnings.push(warning.to_string());
            }
        }
        done(record)
    }

    /// Appends `record` to the results file (one write, so lines never interleave) and
    /// moves the bar.
    fn record(&self, record: &Record, declared_s: f64) -> anyhow::Result<()> {
        let mut line = serde_json::to_string(record)?;
        line.push('\n');
        {
            let mut file = self
                .results
                .lock()
                .map_err(|_| anyhow::anyhow!("a worker panicked while writing results"))?;
            file.write_all(line.as_bytes())?;
        }
        let audio_s = record.aligned.as_ref().map_or(declared_s, |a| a.duration_s);
        self.bar.item_done(
            audio_s,
            record
                .error
                .as_deref()
                .map(|e| format!("talign: batch: failed: {e}"))
                .as_deref(),
        );
        Ok(())
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}
