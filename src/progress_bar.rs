//! The CLI's progress: an indicatif bar on a terminal, plain lines elsewhere (a log, a batch
//! job's stderr) once a run is long, or nothing.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use talign::progress::Progress;

/// How progress is shown (`--progress`).
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ProgressMode {
    /// A bar when stderr is a terminal, else plain lines once the run is long.
    #[default]
    Auto,
    /// A bar on stderr (drawn only on a terminal).
    Bar,
    /// A line on stderr every few seconds once the run has taken a few seconds.
    Plain,
    /// Nothing.
    None,
}

/// With this environment variable set (to anything), each stage's start is printed to
/// stderr with the wall and CPU seconds since the progress began, whatever the mode: where
/// a run's time goes, without a profiler (docs/sync.md, session 18).
pub const STAGE_TIMES_VAR: &str = "TALIGN_STAGE_TIMES";

/// When the progress began, for [`STAGE_TIMES_VAR`]'s lines; `None` when the variable is unset.
static STAGE_CLOCK: std::sync::OnceLock<Option<(Instant, f64)>> = std::sync::OnceLock::new();

/// This process's CPU time (user and system, every thread), seconds.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// This process's peak resident memory so far (`VmHWM`), MB; `None` where /proc has none.
fn peak_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// Prints `stage`'s start when [`STAGE_TIMES_VAR`] is set.
fn mark_stage(stage: &str) {
    let clock = STAGE_CLOCK
        .get_or_init(|| std::env::var_os(STAGE_TIMES_VAR).map(|_| (Instant::now(), cpu_seconds())));
    if let Some((wall, cpu)) = clock {
        let _ = writeln!(
            std::io::stderr().lock(),
            "talign: stage {stage}: at {:.2} s wall, {:.2} s CPU, peak {} MB",
            wall.elapsed().as_secs_f64(),
            cpu_seconds() - cpu,
            peak_mb().map_or("?".into(), |mb| mb.to_string())
        );
    }
}

/// Plain lines start after this long (a short run prints none) and come this often.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

/// Progress over audio seconds, shown as `mode` asks.
pub enum Bar {
    /// A terminal bar (hidden when stderr is not a terminal).
    Drawn(ProgressBar),
    /// Lines on stderr; a ticker thread keeps them coming through stages that report no
    /// progress of their own (the alignment itself), until the flag says the run is done.
    Plain(Arc<Mutex<PlainState>>, Arc<AtomicBool>),
    /// Nothing shown.
    Hidden,
}

/// What the plain lines report.
pub struct PlainState {
    started: Instant,
    last_line: Instant,
    total_s: Option<f64>,
    at_s: f64,
    stage: String,
}

impl Bar {
    /// Progress as `mode` asks; `quiet` hides it whatever the mode.
    pub fn new(quiet: bool, mode: ProgressMode) -> Bar {
        mark_stage("start");
        let terminal = std::io::stderr().is_terminal();
        match (quiet, mode) {
            (true, _) | (false, ProgressMode::None) => Bar::Hidden,
            (false, ProgressMode::Plain) => Bar::plain(),
            (false, ProgressMode::Auto) if !terminal => Bar::plain(),
            (false, _) => {
                let bar = ProgressBar::hidden();
                if terminal {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                }
                Bar::Drawn(bar)
            }
        }
    }

    fn plain() -> Bar {
        let now = Instant::now();
        let state = Arc::new(Mutex::new(PlainState {
            started: now,
            last_line: now,
            total_s: None,
            at_s: 0.0,
            stage: "decoding".into(),
        }));
        let done = Arc::new(AtomicBool::new(false));
        let (ticking, stop) = (Arc::clone(&state), Arc::clone(&done));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(250));
                Bar::plain_update(&ticking, |_| {});
            }
        });
        Bar::Plain(state, done)
    }

    /// Updates the plain state and prints a line when one is due.
    fn plain_update(state: &Mutex<PlainState>, update: impl FnOnce(&mut PlainState)) {
        let Ok(mut s) = state.lock() else { return };
        update(&mut s);
        if let Some(line) = s.due_line(Instant::now()) {
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }
    }
}

impl PlainState {
    /// The line to print at `now`, if one is due: none in a run's first [`PLAIN_EVERY`], then
    /// one every [`PLAIN_EVERY`].
    fn due_line(&mut self, now: Instant) -> Option<String> {
        if now.duration_since(self.started) < PLAIN_EVERY
            || now.duration_since(self.last_line) < PLAIN_EVERY
        {
            return None;
        }
        self.last_line = now;
        let elapsed = now.duration_since(self.started).as_secs();
        Some(match self.total_s {
            Some(total) if total > 0.0 => format!(
                "talign: {}: {:.0} of {:.0} s audio ({:.0} %), {elapsed} s elapsed",
                self.stage,
                self.at_s,
                total,
                (self.at_s / total * 100.0).min(100.0)
            ),
            _ => format!(
                "talign: {}: {:.0} s audio, {elapsed} s elapsed",
                self.stage, self.at_s
            ),
        })
    }
}

impl Progress for Bar {
    fn start(&self, total_s: Option<f64>) {
        match self {
            Bar::Drawn(bar) => {
                match total_s {
                    Some(total) => {
                        bar.set_length(total.round() as u64);
                        bar.set_style(
                            ProgressStyle::with_template(
                                "{msg:>10} [{bar:30}] {pos}/{len} s audio ({eta})",
                            )
                            .expect("valid template")
                            .progress_chars("=> "),
                        );
                    }
                    None => bar.set_style(
                        ProgressStyle::with_template("{msg:>10} {spinner} {pos} s audio")
                            .expect("valid template"),
                    ),
                }
                bar.set_message("decoding");
            }
            Bar::Plain(state, _) => Bar::plain_update(state, |s| s.total_s = total_s),
            Bar::Hidden => {}
        }
    }

    fn advance(&self, at_s: f64) {
        match self {
            Bar::Drawn(bar) => bar.set_position(at_s as u64),
            Bar::Plain(state, _) => Bar::plain_update(state, |s| s.at_s = at_s),
            Bar::Hidden => {}
        }
    }

    fn stage(&self, name: &str) {
        mark_stage(name);
        match self {
            Bar::Drawn(bar) => bar.set_message(name.to_string()),
            Bar::Plain(state, _) => Bar::plain_update(state, |s| s.stage = name.to_string()),
            Bar::Hidden => {}
        }
    }

    fn finish(&self) {
        match self {
            Bar::Drawn(bar) => bar.finish_and_clear(),
            // Decoding finishes before the later stages start: the lines stop with the run
            // (when the bar is dropped), not here.
            Bar::Plain(..) | Bar::Hidden => {}
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        mark_stage("end");
        if let Bar::Plain(_, done) = self {
            done.store(true, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lines_come_only_once_a_run_is_long_then_every_few_seconds() {
        let start = Instant::now();
        let mut state = PlainState {
            started: start,
            last_line: start,
            total_s: Some(2219.0),
            at_s: 0.0,
            stage: "decoding".into(),
        };
        assert_eq!(
            state.due_line(start + Duration::from_secs(4)),
            None,
            "a short run is quiet"
        );
        state.at_s = 1100.0;
        let line = state
            .due_line(start + Duration::from_secs(5))
            .expect("a line at 5 s");
        assert_eq!(
            line,
            "talign: decoding: 1100 of 2219 s audio (50 %), 5 s elapsed"
        );
        assert_eq!(
            state.due_line(start + Duration::from_secs(7)),
            None,
            "not again so soon"
        );
        state.stage = "aligning".into();
        let line = state
            .due_line(start + Duration::from_secs(10))
            .expect("the next line");
        assert!(line.starts_with("talign: aligning:"), "{line}");
    }
}
