//! A batch's progress on stderr: items done of all, and hours of audio done of the total the
//! containers declare. A bar on a terminal; elsewhere (a Slurm log) a plain line every few
//! seconds, and a line for every item that fails.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::progress_bar::ProgressMode;

/// Plain lines come at most this often.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

/// Progress over a batch's items.
pub struct BatchBar {
    shown: Shown,
    state: Mutex<State>,
}

enum Shown {
    Drawn(ProgressBar),
    Plain,
    Hidden,
}

struct State {
    items: usize,
    done: usize,
    failed: usize,
    audio_total_s: f64,
    audio_done_s: f64,
    started: Instant,
    last_line: Instant,
}

impl BatchBar {
    /// A bar over `items` items holding `audio_total_s` seconds of audio, shown as `mode`
    /// asks (`quiet` hides it).
    pub fn new(quiet: bool, mode: ProgressMode, items: usize, audio_total_s: f64) -> BatchBar {
        let terminal = std::io::stderr().is_terminal();
        let shown = match (quiet, mode) {
            (true, _) | (false, ProgressMode::None) => Shown::Hidden,
            (false, ProgressMode::Plain) => Shown::Plain,
            (false, ProgressMode::Auto) if !terminal => Shown::Plain,
            (false, _) => {
                let bar = ProgressBar::with_draw_target(
                    Some(items as u64),
                    if terminal {
                        ProgressDrawTarget::stderr()
                    } else {
                        ProgressDrawTarget::hidden()
                    },
                );
                bar.set_style(
                    ProgressStyle::with_template("[{bar:30}] {pos}/{len} items, {msg} ({eta})")
                        .expect("valid template")
                        .progress_chars("=> "),
                );
                Shown::Drawn(bar)
            }
        };
        let now = Instant::now();
        let bar = BatchBar {
            shown,
            state: Mutex::new(State {
                items,
                done: 0,
                failed: 0,
                audio_total_s,
                audio_done_s: 0.0,
                started: now,
                last_line: now,
            }),
        };
        if let (Shown::Drawn(b), Ok(s)) = (&bar.shown, bar.state.lock()) {
            b.set_message(s.hours());
        }
        bar
    }

    /// An item is done: `audio_s` of audio (its declared length when it failed), and the
    /// line to show when it failed.
    pub fn item_done(&self, audio_s: f64, failure: Option<&str>) {
        let Ok(mut s) = self.state.lock() else { return };
        s.done += 1;
        s.audio_done_s += audio_s;
        if failure.is_some() {
            s.failed += 1;
        }
        match &self.shown {
            Shown::Drawn(bar) => {
                if let Some(line) = failure {
                    bar.println(crate::printable(line));
                }
                bar.set_position(s.done as u64);
                bar.set_message(s.hours());
            }
            Shown::Plain => {
                if let Some(line) = failure {
                    crate::say!("{line}");
                }
                let now = Instant::now();
                if now.duration_since(s.last_line) >= PLAIN_EVERY || s.done == s.items {
                    s.last_line = now;
                    crate::say!(
                        "talign: batch: {}/{} items, {}, {} s elapsed",
                        s.done,
                        s.items,
                        s.hours(),
                        now.duration_since(s.started).as_secs()
                    );
                }
            }
            Shown::Hidden => {}
        }
    }

    /// The batch is over.
    pub fn finish(&self) {
        if let Shown::Drawn(bar) = &self.shown {
            bar.finish_and_clear();
        }
    }
}

impl State {
    fn hours(&self) -> String {
        let failed = if self.failed > 0 {
            format!(", {} failed", self.failed)
        } else {
            String::new()
        };
        format!(
            "{} of {} audio{failed}",
            clock(self.audio_done_s),
            clock(self.audio_total_s.max(self.audio_done_s))
        )
    }
}

/// Seconds as `h:mm:ss`: hours of audio read at a glance, minutes of a short batch too.
fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn audio_lengths_read_as_hours_minutes_seconds() {
        assert_eq!(super::clock(0.4), "0:00:00");
        assert_eq!(super::clock(48.2), "0:00:48");
        assert_eq!(super::clock(36_061.0), "10:01:01");
    }
}
