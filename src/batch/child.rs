//! Each item runs in a process of its own: `talign batch --item ALIGN-ARGS...` aligns it as
//! `talign align ALIGN-ARGS...` would, and prints what it found as one JSON line on stdout.
//! The batch reads that line, the exit code, stderr and the process's own peak memory
//! (`wait4`), so a crash or a runaway item harms no other item and its memory is its own.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;
use talign::batch::results::Aligned;

use crate::align::AlignArgs;

/// The arguments an item's process takes: exactly `talign align`'s.
#[derive(Parser, Debug)]
#[command(name = "talign batch --item")]
struct ItemCli {
    #[command(flatten)]
    align: AlignArgs,
}

/// Runs one item in this process (the hidden `--item` mode): align, write, report.
pub fn run(argv: &[OsString]) -> anyhow::Result<ExitCode> {
    let program = OsString::from("talign batch --item");
    let cli = ItemCli::try_parse_from(std::iter::once(&program).chain(argv))
        .map_err(|e| talign::Error::Invalid(e.to_string().trim_end().to_string()))?;
    let run = crate::align::align_and_write(&cli.align)?;
    let aligned = Aligned::from_run(&run, crate::align::summary(&run));
    let mut line = serde_json::to_string(&aligned)?;
    line.push('\n');
    let mut out = std::io::stdout().lock();
    out.write_all(line.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// How an item's process ended.
pub struct Ended {
    /// Its exit code, or `None` when a signal ended it.
    pub code: Option<u8>,
    /// The signal that ended it.
    pub signal: Option<i32>,
    /// What it printed on stdout (the JSON line, when it succeeded).
    pub stdout: Vec<u8>,
    /// What it printed on stderr (warnings, the error).
    pub stderr: String,
    /// From spawn to exit.
    pub wall: Duration,
    /// Its peak resident memory, KiB (the kernel's `ru_maxrss` for that process alone).
    pub peak_kib: u64,
}

/// Runs `exe batch --item ARGS` with `threads` worker threads (`RAYON_NUM_THREADS`) and
/// waits for it, reading its own resource use.
pub fn spawn_item(exe: &Path, args: &[OsString], threads: usize) -> std::io::Result<Ended> {
    let started = Instant::now();
    let mut child = Command::new(exe)
        .arg("batch")
        .arg("--item")
        .args(args)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stderr_pipe = child.stderr.take().expect("stderr is piped");
    let stderr_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr_pipe.read_to_end(&mut bytes);
        bytes
    });
    let mut stdout = Vec::new();
    let read = child
        .stdout
        .take()
        .expect("stdout is piped")
        .read_to_end(&mut stdout);
    let stderr = stderr_reader.join().unwrap_or_default();
    let (status, usage) = wait4(child.id())?;
    read?;
    let wall = started.elapsed();
    let (code, signal) = if libc::WIFEXITED(status) {
        (Some(libc::WEXITSTATUS(status) as u8), None)
    } else {
        (
            None,
            libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status)),
        )
    };
    Ok(Ended {
        code,
        signal,
        stdout,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        wall,
        peak_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
    })
}

/// Waits for the process `pid` (a child of ours) and returns its wait status and its own
/// resource use: `wait4`, which std's `Child::wait` does not expose.
fn wait4(pid: u32) -> std::io::Result<(libc::c_int, libc::rusage)> {
    let pid = libc::pid_t::try_from(pid).map_err(std::io::Error::other)?;
    loop {
        let mut status: libc::c_int = 0;
        // SAFETY: an all-zero rusage is a valid value of this plain C struct.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `pid` is our unreaped child (std's `Child` is never waited on); both
        // pointers point at live locals for the duration of the call.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            return Ok((status, usage));
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// The arguments of `talign align` for one item.
pub fn align_args(
    audio: &Path,
    transcript: &Path,
    outputs: &[std::path::PathBuf],
    format: talign::export::ExportFormat,
    words: bool,
    language: Option<&str>,
) -> Vec<OsString> {
    let mut args: Vec<OsString> = vec![
        audio.into(),
        transcript.into(),
        "--format".into(),
        format.name().into(),
        "-o".into(),
        outputs[0].clone().into(),
        "--quiet".into(),
        "--progress".into(),
        "none".into(),
    ];
    for also in &outputs[1..] {
        args.push("--also".into());
        args.push(also.into());
    }
    if words {
        args.push("--words".into());
    }
    if let Some(code) = language {
        args.push("--lang".into());
        args.push(OsStr::new(code).into());
    }
    args
}
