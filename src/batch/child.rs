//! The items run in worker processes: `talign batch --worker` reads one item per line on
//! stdin (the arguments of `talign align`, as a JSON array), aligns it as `talign align`
//! would, and answers with one JSON line on stdout. One worker per `--jobs` slot aligns many
//! items, so the dictionary is parsed once per worker, not once per item (most of the cost
//! of a short recording), while a crash or a runaway item still harms no other worker.
//!
//! An item's peak memory is its worker's resident high-water mark over that item alone: the
//! allocator gives back what it holds and the kernel's mark (`VmHWM`) is reset before each
//! item, so it counts what the item needed plus what the worker keeps (the dictionary).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, Stdio};

use clap::Parser;
use serde::{Deserialize, Serialize};
use talign::batch::results::Aligned;

use crate::align::AlignArgs;

/// The arguments one item takes: exactly `talign align`'s.
#[derive(Parser, Debug)]
#[command(name = "talign batch --worker")]
struct ItemCli {
    #[command(flatten)]
    align: AlignArgs,
}

/// A worker's answer for one item.
#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    /// As `talign align` would exit.
    pub exit_code: u8,
    /// What the alignment found, when it succeeded.
    pub aligned: Option<Aligned>,
    /// The error, as `talign align` would print it.
    pub error: Option<String>,
    /// The worker's peak resident memory over this item, KiB (`None`: not measurable here).
    pub peak_kib: Option<u64>,
}

/// Serves items until stdin ends (the hidden `--worker` mode).
pub fn serve() -> anyhow::Result<ExitCode> {
    // What the alignment says on stderr (warnings) goes down the reply pipe, in order before
    // its reply, so the batch knows which item said it.
    // SAFETY: dup2 on the process's own standard descriptors; nothing else holds fd 2.
    if unsafe { libc::dup2(1, 2) } < 0 {
        return Err(std::io::Error::last_os_error().into());
    }
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let args: Vec<String> = serde_json::from_str(&line?)?;
        reset_peak_memory();
        let reply = match align_one(&args) {
            Ok(aligned) => Reply {
                exit_code: crate::exit::OK,
                aligned: Some(aligned),
                error: None,
                peak_kib: peak_memory_kib(),
            },
            Err(err) => Reply {
                exit_code: crate::exit_code_for(&err),
                aligned: None,
                error: Some(crate::render(&err)),
                peak_kib: peak_memory_kib(),
            },
        };
        let mut text = serde_json::to_string(&reply)?;
        text.push('\n');
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}

fn align_one(args: &[String]) -> anyhow::Result<Aligned> {
    let program = "talign batch --worker".to_string();
    let cli = ItemCli::try_parse_from(std::iter::once(&program).chain(args))
        .map_err(|e| talign::Error::Invalid(e.to_string().trim_end().to_string()))?;
    let written = crate::align::align_and_write(&cli.align)?;
    let run = written.run.ok_or_else(|| {
        talign::Error::Invalid("--anchors re-aligns one file; it is not for a batch item".into())
    })?;
    Ok(Aligned::from_run(&run, written.said))
}

/// Gives freed memory back to the kernel and resets the resident high-water mark, so the
/// next reading is this item's.
fn reset_peak_memory() {
    // SAFETY: malloc_trim only releases free heap pages; always safe to call.
    unsafe { libc::malloc_trim(0) };
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// `VmHWM` of /proc/self/status, KiB.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A worker process, as the batch sees it.
pub struct Worker {
    child: Child,
    requests: ChildStdin,
    replies: BufReader<ChildStdout>,
}

/// How an item ended in a worker.
pub enum Outcome {
    /// The worker answered; `said` holds the lines it printed on stderr meanwhile.
    Replied { reply: Reply, said: Vec<String> },
    /// The worker died during the item (a crash, a signal, out of memory); it is gone.
    Died {
        /// Its exit code, or `None` when a signal ended it.
        code: Option<u8>,
        /// The signal that ended it.
        signal: Option<i32>,
        /// The worker's peak resident memory over its life, KiB.
        peak_kib: u64,
        /// What it printed meanwhile (a panic's message).
        said: Vec<String>,
    },
}

impl Worker {
    /// Starts `exe batch --worker` with `threads` worker threads (`RAYON_NUM_THREADS`).
    pub fn start(exe: &Path, threads: usize) -> std::io::Result<Worker> {
        let mut child = Command::new(exe)
            .args(["batch", "--worker"])
            .env("RAYON_NUM_THREADS", threads.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let requests = child.stdin.take().expect("stdin is piped");
        let replies = BufReader::new(child.stdout.take().expect("stdout is piped"));
        Ok(Worker {
            child,
            requests,
            replies,
        })
    }

    /// Aligns one item (`talign align`'s arguments) and waits for the answer.
    pub fn align(mut self, args: &[String]) -> (Outcome, Option<Worker>) {
        let mut said = Vec::new();
        let mut request = serde_json::to_string(args).expect("strings serialise");
        request.push('\n');
        if self.requests.write_all(request.as_bytes()).is_ok() && self.requests.flush().is_ok() {
            let mut line = String::new();
            loop {
                line.clear();
                match self.replies.read_line(&mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
                let text = line.trim_end();
                if text.starts_with('{')
                    && let Ok(reply) = serde_json::from_str::<Reply>(text)
                {
                    return (Outcome::Replied { reply, said }, Some(self));
                }
                said.push(text.to_string());
            }
        }
        // No answer: the worker is gone. Reap it and say how it ended.
        drop(self.requests);
        let ended = wait4(self.child.id());
        let (code, signal, peak_kib) = match ended {
            Ok((status, usage)) => {
                let peak = u64::try_from(usage.ru_maxrss).unwrap_or(0);
                if libc::WIFEXITED(status) {
                    (Some(libc::WEXITSTATUS(status) as u8), None, peak)
                } else {
                    (None, Some(libc::WTERMSIG(status)), peak)
                }
            }
            Err(_) => (None, None, 0),
        };
        (
            Outcome::Died {
                code,
                signal,
                peak_kib,
                said,
            },
            None,
        )
    }

    /// Lets the worker finish (its stdin closes) and reaps it.
    pub fn stop(self) {
        drop(self.requests);
        let _ = wait4(self.child.id());
    }
}

/// Waits for the process `pid` (a child of ours, never waited on by std) and returns its
/// wait status and its own resource use, which std's `Child::wait` does not expose.
fn wait4(pid: u32) -> std::io::Result<(libc::c_int, libc::rusage)> {
    let pid = libc::pid_t::try_from(pid).map_err(std::io::Error::other)?;
    loop {
        let mut status: libc::c_int = 0;
        // SAFETY: an all-zero rusage is a valid value of this plain C struct.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `pid` is our unreaped child; both pointers point at live locals.
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

/// The arguments of `talign align` for one item; `None` when a path is not UTF-8 (the
/// request is a JSON line).
pub fn align_args(
    audio: &Path,
    transcript: &Path,
    outputs: &[std::path::PathBuf],
    format: talign::export::ExportFormat,
    words: bool,
    language: Option<&str>,
) -> Option<Vec<String>> {
    let text = |p: &Path| p.to_str().map(String::from);
    let mut args: Vec<String> = vec![
        text(audio)?,
        text(transcript)?,
        "--format".into(),
        format.name().into(),
        "-o".into(),
        text(&outputs[0])?,
        "--quiet".into(),
        "--progress".into(),
        "none".into(),
    ];
    for also in &outputs[1..] {
        args.push("--also".into());
        args.push(text(also)?);
    }
    if words {
        args.push("--words".into());
    }
    if let Some(code) = language {
        args.push("--lang".into());
        args.push(code.into());
    }
    Some(args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A stand-in worker: a shell script run as `SCRIPT batch --worker`.
    fn fake_worker(dir: &Path, body: &str) -> std::path::PathBuf {
        let path = dir.join("worker.sh");
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    /// Starts it, retrying while another test's fork still holds the script open for
    /// writing (ETXTBSY).
    fn start(exe: &Path) -> Worker {
        for _ in 0..50 {
            match Worker::start(exe, 1) {
                Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                started => return started.unwrap(),
            }
        }
        panic!("{} stays busy", exe.display())
    }

    #[test]
    fn a_reply_comes_with_the_lines_said_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let exe = fake_worker(
            dir.path(),
            "while read -r item; do echo 'talign: warning: a.mp3: damaged at 0:12'; \
             echo '{\"exit_code\":2,\"aligned\":null,\"error\":\"a.wav: not found\",\"peak_kib\":4}'; done",
        );
        let worker = start(&exe);
        let (outcome, worker) = worker.align(&["a.wav".into(), "a.txt".into()]);
        let Outcome::Replied { reply, said } = outcome else {
            panic!("the worker answered")
        };
        assert_eq!((reply.exit_code, reply.peak_kib), (2, Some(4)));
        assert_eq!(said, ["talign: warning: a.mp3: damaged at 0:12"]);
        let worker = worker.expect("still serving");
        let (again, worker) = worker.align(&["b.wav".into(), "b.txt".into()]);
        assert!(matches!(again, Outcome::Replied { .. }));
        worker.expect("still serving").stop();
    }

    #[test]
    fn a_worker_that_dies_says_how() {
        let dir = tempfile::tempdir().unwrap();
        let exe = fake_worker(
            dir.path(),
            "read -r item; echo 'thread panicked'; kill -9 $$",
        );
        let (outcome, worker) = start(&exe).align(&["a.wav".into()]);
        assert!(worker.is_none(), "gone");
        let Outcome::Died {
            code, signal, said, ..
        } = outcome
        else {
            panic!("the worker died")
        };
        assert_eq!((code, signal), (None, Some(9)));
        assert_eq!(said, ["thread panicked"]);
        let exe = fake_worker(dir.path(), "read -r item; exit 101");
        let (outcome, _) = start(&exe).align(&["a.wav".into()]);
        assert!(matches!(
            outcome,
            Outcome::Died {
                code: Some(101),
                signal: None,
                ..
            }
        ));
    }
}
