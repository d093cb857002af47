//! The drift report as a self-contained SVG plot (written by hand, no plotting crate).
//!
//! x: stated time (`m:ss` ticks); y: `actual − stated` in seconds, which shows drift as a
//! slope and cuts as steps (the plain actual-vs-stated plot is a near-diagonal that hides
//! both). Drawn: the fit line per segment with its ±tolerance band (dashed separators at
//! cuts), the ±tolerance lines around zero (the exit rule), consistent stamps as blue dots,
//! wrong stamps in red labelled with their transcript lines (off-scale ones as red
//! triangles at the edge, labelled with their value), unverifiable stamps hollow, stamps
//! beyond the audio as orange squares with a dashed line where the audio ends, invalid
//! stamps along a strip at the bottom, a legend and the summary as caption. Labels are
//! staggered in rows; one that finds no room is left out and the plot says how many were.

use std::fmt::Write as _;

use super::classify::StampCheck;
use super::{DriftReport, DriftStatus, clock, secs};

const W: f64 = 960.0;
const LEFT: f64 = 72.0;
const RIGHT: f64 = W - 24.0;
const TOP: f64 = 52.0;
const BOTTOM: f64 = 372.0;
const STRIP_Y: f64 = 440.0;
const LEGEND_Y: f64 = 478.0;
const CAPTION_Y: f64 = 512.0;
const CAPTION_CHARS: usize = 135;

const BLUE: &str = "#2f6db5";
const RED: &str = "#d62728";
const ORANGE: &str = "#e67e00";
const GREY: &str = "#888888";

/// Renders `report` as an SVG document titled `title`.
pub fn plot_svg(report: &DriftReport, title: &str) -> String {
    let plotted: Vec<&StampCheck> = report
        .stamps
        .iter()
        .filter(|s| s.stated_s.is_some() && s.delta_s.is_some())
        .collect();
    let tol = report.tolerance_s;

    // Ranges.
    let mut x_max = plotted
        .iter()
        .filter_map(|s| s.stated_s)
        .fold(0.0, f64::max);
    for s in &report.stamps {
        if let Some(a) = s.actual_s {
            x_max = x_max.max(a);
        }
    }
    if x_max <= 0.0 {
        x_max = 60.0;
    }
    let fit_y = |x: f64, offset: f64, rate: f64| offset + (rate - 1.0) * x;
    let (mut y_lo, mut y_hi) = (-tol, tol);
    let mut fit_lo = f64::INFINITY;
    let mut fit_hi = f64::NEG_INFINITY;
    if let Some(f) = &report.fit {
        for (i, seg) in f.segments.iter().enumerate() {
            let (a, b) = segment_span(f, i, x_max);
            for x in [a, b] {
                let y = fit_y(x, seg.offset_s, f.rate);
                fit_lo = fit_lo.min(y - tol);
                fit_hi = fit_hi.max(y + tol);
            }
        }
        y_lo = y_lo.min(fit_lo);
        y_hi = y_hi.max(fit_hi);
    }
    // Points widen the range, but gross outliers are clipped to the edge so that one wild
    // stamp does not flatten everything else.
    let reach = (6.0 * tol).max(30.0);
    let (clip_lo, clip_hi) = if fit_lo.is_finite() {
        (fit_lo - reach, fit_hi + reach)
    } else {
        (-reach * 2.0, reach * 2.0)
    };
    // Unverifiable and beyond-audio stamps carry meaningless starts: they do not set the range.
    let judged = |s: &&&StampCheck| {
        !matches!(
            s.status,
            DriftStatus::Unverifiable | DriftStatus::BeyondAudio
        )
    };
    for s in plotted.iter().filter(judged) {
        let d = s.delta_s.unwrap_or(0.0);
        if d >= clip_lo && d <= clip_hi {
            y_lo = y_lo.min(d);
            y_hi = y_hi.max(d);
        }
    }
    let pad = (y_hi - y_lo).max(1.0) * 0.08;
    let (y_step, y_lo, y_hi) = nice_range(y_lo - pad, y_hi + pad, 7);
    let x_step = time_step(x_max);
    let x_hi = (x_max / x_step).ceil().max(1.0) * x_step;

    let px = |x: f64| LEFT + (x / x_hi) * (RIGHT - LEFT);
    let py = |y: f64| BOTTOM - (y - y_lo) / (y_hi - y_lo) * (BOTTOM - TOP);

    let caption = wrap(&report.summary, CAPTION_CHARS);
    let height = CAPTION_Y + 18.0 * caption.len() as f64 + 12.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height}" viewBox="0 0 {W} {height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">"#
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        svg,
        r#"<text x="{LEFT}" y="30" font-size="17" font-weight="bold">{}</text>"#,
        esc(title)
    );

    // Grid and axes.
    let mut y = y_lo;
    while y <= y_hi + y_step * 1e-6 {
        let yy = py(y);
        let _ = writeln!(
            svg,
            r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{RIGHT}" y2="{yy:.1}" stroke="#eeeeee"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#444">{}</text>"##,
            LEFT - 6.0,
            yy + 4.0,
            tick_label(y, y_step)
        );
        y += y_step;
    }
    let mut x = 0.0;
    while x <= x_hi + x_step * 1e-6 {
        let xx = px(x);
        let _ = writeln!(
            svg,
            r##"<line x1="{xx:.1}" y1="{TOP}" x2="{xx:.1}" y2="{BOTTOM}" stroke="#eeeeee"/><text x="{xx:.1}" y="{:.1}" text-anchor="middle" fill="#444">{}</text>"##,
            BOTTOM + 16.0,
            clock(x)
        );
        x += x_step;
    }
    let _ = writeln!(
        svg,
        r##"<rect x="{LEFT}" y="{TOP}" width="{:.1}" height="{:.1}" fill="none" stroke="#999"/>"##,
        RIGHT - LEFT,
        BOTTOM - TOP
    );
    let _ = writeln!(
        svg,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#222">stated time (m:ss)</text>"##,
        (LEFT + RIGHT) / 2.0,
        BOTTOM + 34.0
    );
    let _ = writeln!(
        svg,
        r##"<text transform="translate(18 {:.1}) rotate(-90)" text-anchor="middle" fill="#222">actual − stated (s)</text>"##,
        (TOP + BOTTOM) / 2.0
    );

    // Exit-rule band around zero.
    let _ = writeln!(
        svg,
        r##"<line x1="{LEFT}" y1="{0:.1}" x2="{RIGHT}" y2="{0:.1}" stroke="#555" stroke-width="1"/>"##,
        py(0.0)
    );
    for t in [tol, -tol] {
        let _ = writeln!(
            svg,
            r##"<line x1="{LEFT}" y1="{0:.1}" x2="{RIGHT}" y2="{0:.1}" stroke="#555" stroke-dasharray="2 3"/>"##,
            py(t)
        );
    }

    // Fit: band and line per segment, dashed separators at cuts.
    if let Some(f) = &report.fit {
        for (i, seg) in f.segments.iter().enumerate() {
            let (a, b) = segment_span(f, i, x_hi);
            let (ya, yb) = (
                fit_y(a, seg.offset_s, f.rate),
                fit_y(b, seg.offset_s, f.rate),
            );
            let _ = writeln!(
                svg,
                r##"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{BLUE}" fill-opacity="0.12"/>"##,
                px(a),
                py(ya + tol),
                px(b),
                py(yb + tol),
                px(b),
                py(yb - tol),
                px(a),
                py(ya - tol)
            );
            let _ = writeln!(
                svg,
                r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{BLUE}" stroke-width="2"/>"##,
                px(a),
                py(ya),
                px(b),
                py(yb)
            );
            if i > 0 {
                let xx = px(a);
                let jump = seg.offset_s - f.segments[i - 1].offset_s;
                let _ = writeln!(
                    svg,
                    r##"<line x1="{xx:.1}" y1="{TOP}" x2="{xx:.1}" y2="{BOTTOM}" stroke="#666" stroke-dasharray="6 4"/><text x="{:.1}" y="{:.1}" fill="#444">{} {}{} s after line {}</text>"##,
                    xx + 4.0,
                    TOP + 14.0,
                    if jump < 0.0 { "cut" } else { "gap" },
                    if jump < 0.0 { "−" } else { "+" },
                    secs(jump.abs()),
                    f.segments[i - 1].to_line
                );
            }
        }
    } else if let Some(reason) = &report.unreliable {
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{RED}" font-size="14">{}</text>"##,
            (LEFT + RIGHT) / 2.0,
            (TOP + BOTTOM) / 2.0,
            esc(reason)
        );
    }

    // Points: good ones first so the flagged ones sit on top.
    let mut labels = Labels::new(6);
    let mut order = plotted.clone();
    order.sort_by_key(|s| s.status != DriftStatus::Consistent);
    for s in order {
        let (x, d) = (s.stated_s.unwrap_or(0.0), s.delta_s.unwrap_or(0.0));
        let xx = px(x);
        let clipped = d < y_lo || d > y_hi;
        let yy = py(d.clamp(y_lo, y_hi));
        match s.status {
            DriftStatus::Consistent => {
                let _ = writeln!(
                    svg,
                    r##"<circle cx="{xx:.1}" cy="{yy:.1}" r="3" fill="{BLUE}"/>"##
                );
            }
            DriftStatus::Unverifiable if !clipped => {
                let _ = writeln!(
                    svg,
                    r##"<circle cx="{xx:.1}" cy="{yy:.1}" r="3.5" fill="none" stroke="{GREY}" stroke-width="1.2"/>"##
                );
            }
            DriftStatus::Unverifiable => {}
            DriftStatus::BeyondAudio => {
                let _ = writeln!(svg, "{}", square(xx, py(y_hi) + 6.0, ORANGE));
            }
            _ => {
                if clipped {
                    let up = d > y_hi;
                    let _ = writeln!(
                        svg,
                        "{}",
                        triangle(xx, yy + if up { 6.0 } else { -6.0 }, !up, RED)
                    );
                } else {
                    let _ = writeln!(
                        svg,
                        r##"<circle cx="{xx:.1}" cy="{yy:.1}" r="4" fill="{RED}" stroke="white" stroke-width="0.8"/>"##
                    );
                }
                let text = if clipped {
                    format!("L{} ({:+.0} s)", s.line, d)
                } else {
                    format!("L{}", s.line)
                };
                let below = yy < TOP + 40.0;
                labels.add(xx, yy, text, below);
            }
        }
    }

    // Invalid stamps along the strip, placed where the fit says their turn's time was stated.
    let _ = writeln!(
        svg,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#444">invalid</text><line x1="{LEFT}" y1="{STRIP_Y}" x2="{RIGHT}" y2="{STRIP_Y}" stroke="#dddddd"/>"##,
        LEFT - 6.0,
        STRIP_Y + 4.0
    );
    let omitted = labels.draw(&mut svg, RED);
    if omitted > 0 {
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#444" font-size="11">{omitted} label{} left out for room; the text report lists every stamp</text>"##,
            RIGHT - 6.0,
            BOTTOM - 8.0,
            if omitted == 1 { "" } else { "s" }
        );
    }
    // Where the recording ends, when stamps run past it.
    if report.counts.beyond_audio > 0 && report.audio_duration_s > 0.0 {
        let end = report.audio_duration_s;
        let x = report
            .fit
            .as_ref()
            .map_or(end, |f| stated_for(f, end, x_hi));
        let xx = px(x.clamp(0.0, x_hi));
        let _ = writeln!(
            svg,
            r##"<line x1="{xx:.1}" y1="{TOP}" x2="{xx:.1}" y2="{BOTTOM}" stroke="{ORANGE}" stroke-dasharray="6 4"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="{ORANGE}">audio ends ({})</text>"##,
            xx - 4.0,
            TOP + 28.0,
            clock(end)
        );
    }

    let mut strip = Labels::new(2);
    for s in report
        .stamps
        .iter()
        .filter(|s| s.status == DriftStatus::Invalid)
    {
        let x = match (s.actual_s, &report.fit) {
            (Some(a), Some(f)) => stated_for(f, a, x_hi),
            (Some(a), None) => a,
            (None, _) => continue,
        };
        let xx = px(x.clamp(0.0, x_hi));
        let _ = writeln!(
            svg,
            r##"<path d="M{:.1},{:.1} l8,8 m0,-8 l-8,8" stroke="{RED}" stroke-width="2"/>"##,
            xx - 4.0,
            STRIP_Y - 4.0
        );
        let text = format!("L{} {}", s.line, s.raw.as_deref().unwrap_or(""));
        strip.add(xx, STRIP_Y, text, false);
    }
    strip.draw(&mut svg, RED);

    legend(&mut svg, tol);
    for (i, line) in caption.iter().enumerate() {
        let _ = writeln!(
            svg,
            r##"<text x="{LEFT}" y="{:.1}" fill="#222" font-size="13">{}</text>"##,
            CAPTION_Y + 18.0 * i as f64,
            esc(line)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// The x extent drawn for segment `i`: the first starts at 0, the last runs to the end, and
/// inner boundaries sit at the segments' first stamps.
fn segment_span(f: &super::FitSummary, i: usize, x_end: f64) -> (f64, f64) {
    let a = if i == 0 {
        0.0
    } else {
        f.segments[i].from_stated_s
    };
    let b = f.segments.get(i + 1).map_or(x_end, |n| n.from_stated_s);
    (a, b)
}

/// The stated time at which the fit expects a turn starting at `actual`: the inverse of the
/// segment whose span holds the answer (the first segment when none does).
fn stated_for(f: &super::FitSummary, actual: f64, x_end: f64) -> f64 {
    let inverse = |i: usize| (actual - f.segments[i].offset_s) / f.rate;
    (0..f.segments.len())
        .map(|i| (i, inverse(i)))
        .find(|&(i, x)| {
            let (a, b) = segment_span(f, i, x_end);
            x >= a && x <= b
        })
        .map_or_else(|| inverse(0), |(_, x)| x)
}

/// Point labels, placed left to right in staggered rows so that neighbours do not
/// overprint; a label that finds no free row is left out (and counted).
struct Labels {
    /// Right edge of the last label in each row (`None`: row unused).
    rows: Vec<Option<f64>>,
    /// Requests: point x, point y, text, label below the point.
    pending: Vec<(f64, f64, String, bool)>,
}

impl Labels {
    fn new(rows: usize) -> Labels {
        Labels {
            rows: vec![None; rows],
            pending: Vec::new(),
        }
    }

    fn add(&mut self, x: f64, y: f64, text: String, below: bool) {
        self.pending.push((x, y, text, below));
    }

    /// Draws the labels; returns how many were left out.
    fn draw(mut self, svg: &mut String, colour: &str) -> usize {
        self.pending.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut omitted = 0;
        // Leader lines first, so that the haloed texts drawn after them stay readable.
        let mut texts = String::new();
        for (x, y, text, below) in &self.pending {
            let width = text_width(text, 11.0);
            let left = x - width / 2.0;
            let free = self
                .rows
                .iter()
                .position(|r| r.is_none_or(|right| right + 6.0 < left));
            let Some(row) = free else {
                omitted += 1;
                continue;
            };
            self.rows[row] = Some(left + width);
            let dy = 13.0 * row as f64;
            let ty = if *below { y + 17.0 + dy } else { y - 8.0 - dy };
            if row > 0 {
                let (y1, y2) = if *below {
                    (y + 4.0, ty - 10.0)
                } else {
                    (y - 4.0, ty + 2.0)
                };
                let _ = writeln!(
                    svg,
                    r##"<line x1="{x:.1}" y1="{y1:.1}" x2="{x:.1}" y2="{y2:.1}" stroke="{colour}" stroke-width="0.6"/>"##
                );
            }
            let _ = writeln!(
                texts,
                r##"<text x="{x:.1}" y="{ty:.1}" text-anchor="middle" fill="{colour}" font-size="11" stroke="white" stroke-width="3" stroke-linejoin="round" paint-order="stroke">{}</text>"##,
                esc(text)
            );
        }
        svg.push_str(&texts);
        omitted
    }
}

fn legend(svg: &mut String, tol: f64) {
    let t = secs(tol);
    let y = LEGEND_Y;
    let items: [(String, String); 7] = [
        (
            format!(r##"<circle cx="6" cy="0" r="3" fill="{BLUE}"/>"##),
            "consistent".into(),
        ),
        (
            format!(
                r##"<circle cx="3" cy="0" r="4" fill="{RED}"/>{}"##,
                triangle(13.0, 0.0, false, RED)
            ),
            "wrong stamp, L = line (▲ off scale)".into(),
        ),
        (
            format!(r##"<circle cx="6" cy="0" r="3.5" fill="none" stroke="{GREY}"/>"##),
            "unverifiable".into(),
        ),
        (square(6.0, 0.0, ORANGE), "beyond audio".into()),
        (
            format!(
                r##"<rect x="0" y="-6" width="16" height="12" fill="{BLUE}" fill-opacity="0.12"/><line x1="0" y1="0" x2="16" y2="0" stroke="{BLUE}" stroke-width="2"/>"##
            ),
            format!("fit ±{t} s"),
        ),
        (
            r##"<line x1="0" y1="0" x2="16" y2="0" stroke="#555" stroke-dasharray="2 3"/>"##.into(),
            format!("exit rule ±{t} s"),
        ),
        (
            format!(r##"<path d="M2,-4 l8,8 m0,-8 l-8,8" stroke="{RED}" stroke-width="2"/>"##),
            "invalid".into(),
        ),
    ];
    let mut x = LEFT;
    for (mark, text) in items {
        let _ = writeln!(
            svg,
            r##"<g transform="translate({x:.1} {y:.1})">{mark}<text x="22" y="4" fill="#222">{}</text></g>"##,
            esc(&text)
        );
        x += 40.0 + text_width(&text, 12.0);
    }
}

/// Rough width in pixels of `text` in a sans-serif face at `size` px: narrow glyphs (spaces,
/// punctuation, i, l, 1) count about a third of the size, the others about 0.6 of it.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| {
            if " .,:;'()[]|!iljtf1".contains(c) {
                0.33
            } else if c.is_uppercase() || "mw—−±▲".contains(c) {
                0.75
            } else {
                0.58
            }
        })
        .sum::<f64>()
        * size
}

fn square(x: f64, y: f64, colour: &str) -> String {
    format!(
        r#"<rect x="{:.1}" y="{:.1}" width="8" height="8" fill="{colour}"/>"#,
        x - 4.0,
        y - 4.0
    )
}

fn triangle(x: f64, y: f64, down: bool, colour: &str) -> String {
    let (tip, base) = if down {
        (y + 5.0, y - 4.0)
    } else {
        (y - 5.0, y + 4.0)
    };
    format!(
        r#"<polygon points="{x:.1},{tip:.1} {:.1},{base:.1} {:.1},{base:.1}" fill="{colour}"/>"#,
        x - 5.0,
        x + 5.0
    )
}

/// The step of 1, 2 or 5 × 10ⁿ giving nearest to `ticks` ticks over `[lo, hi]`, and the range
/// widened to whole steps.
fn nice_range(lo: f64, hi: f64, ticks: usize) -> (f64, f64, f64) {
    let span = (hi - lo).max(1e-9);
    let raw = span / ticks as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .min_by(|a, b| {
            let off = |s: f64| (span / s - ticks as f64).abs();
            off(*a).total_cmp(&off(*b))
        })
        .unwrap_or(mag);
    (step, (lo / step).floor() * step, (hi / step).ceil() * step)
}

/// A tick step on a clock: 10 s … 1 h, at most about 12 ticks.
fn time_step(x_max: f64) -> f64 {
    const STEPS: [f64; 12] = [
        10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1200.0, 1800.0, 3600.0, 7200.0,
    ];
    STEPS
        .iter()
        .copied()
        .find(|s| x_max / s <= 12.0)
        .unwrap_or_else(|| (x_max / 12.0 / 3600.0).ceil() * 3600.0)
}

fn tick_label(y: f64, step: f64) -> String {
    let y = if y.abs() < step * 1e-6 { 0.0 } else { y };
    if step >= 1.0 {
        format!("{y:+.0}").replace("+0", "0").replace('-', "−")
    } else {
        format!("{y:+.1}").replace('-', "−")
    }
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Splits `text` at spaces into lines of at most `width` characters (long words stay whole).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(nice_range(-3.2, 11.0, 7), (2.0, -4.0, 12.0));
        assert_eq!(time_step(2400.0), 300.0);
        assert_eq!(time_step(100.0), 10.0);
        assert_eq!(tick_label(0.0, 2.0), "0");
        assert_eq!(tick_label(-4.0, 2.0), "−4");
        assert_eq!(tick_label(10.0, 2.0), "+10");
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
