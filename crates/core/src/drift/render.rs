//! The drift report as text for a terminal: the summary line, then the worst stamps.

use super::classify::StampCheck;
use super::{DriftReport, DriftStatus, clock, secs};

/// Renders `report`: the summary line first, then up to `max_rows` problem stamps (worst
/// first: invalid ones, then wrong ones by how far they are off the fitted clock, then those
/// beyond the audio from the earliest, then the ones that only drift) in aligned columns, each with its line,
/// the stamp as written, the suggested replacement, where the turn really starts and what
/// is wrong. `max_rows == 0` gives the summary alone. Ends with a newline.
pub fn render_text(report: &DriftReport, max_rows: usize) -> String {
    let mut out = String::new();
    out.push_str(&report.summary);
    out.push('\n');

    let mut rows: Vec<&StampCheck> = report.stamps.iter().filter(|s| rank(s).is_some()).collect();
    rows.sort_by(|a, b| {
        let (ra, ka) = rank(a).unwrap_or((9, 0.0));
        let (rb, kb) = rank(b).unwrap_or((9, 0.0));
        ra.cmp(&rb)
            .then(kb.total_cmp(&ka))
            .then(a.line.cmp(&b.line))
    });
    if rows.is_empty() || max_rows == 0 {
        return out;
    }
    let shown = rows.len().min(max_rows);
    let mut table: Vec<[String; 5]> = vec![[
        "line".into(),
        "stamp".into(),
        "fix".into(),
        "turn starts".into(),
        "problem".into(),
    ]];
    for s in &rows[..shown] {
        table.push([
            s.line.to_string(),
            s.raw.clone().unwrap_or_else(|| "-".into()),
            s.suggestion.clone().unwrap_or_else(|| "-".into()),
            s.actual_s.map_or("-".into(), clock_tenths),
            problem(s, report.tolerance_s),
        ]);
    }
    let mut width = [0usize; 5];
    for row in &table {
        for (w, cell) in width.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in &table {
        let line = format!(
            "{:>w0$}  {:<w1$}  {:<w2$}  {:>w3$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            w0 = width[0],
            w1 = width[1],
            w2 = width[2],
            w3 = width[3],
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let rest = &rows[shown..];
    if !rest.is_empty() {
        let drift_only = rest
            .iter()
            .filter(|s| s.status == DriftStatus::Consistent)
            .count();
        let problems = rest.len() - drift_only;
        let mut parts = Vec::new();
        if problems > 0 {
            parts.push(format!(
                "{problems} more wrong, invalid or beyond the audio"
            ));
        }
        if drift_only > 0 {
            parts.push(format!(
                "{drift_only} more that only share the transcript's drift"
            ));
        }
        out.push_str(&format!("... and {}\n", parts.join(", ")));
    }
    out
}

/// Sort group and key (larger key first) of a row worth showing; `None` for fine rows.
fn rank(s: &StampCheck) -> Option<(u8, f64)> {
    let fit_off = s.fit_delta_s.or(s.delta_s).map_or(0.0, f64::abs);
    match s.status {
        DriftStatus::Invalid => Some((0, 0.0)),
        DriftStatus::Off | DriftStatus::OutOfOrder | DriftStatus::Duplicate => Some((1, fit_off)),
        DriftStatus::BeyondAudio => Some((2, -s.stated_s.unwrap_or(0.0))),
        DriftStatus::Consistent if s.fails => Some((3, s.delta_s.map_or(0.0, f64::abs))),
        _ => None,
    }
}

fn problem(s: &StampCheck, tolerance: f64) -> String {
    let signed = |d: f64| format!("{}{} s", if d < 0.0 { "-" } else { "+" }, secs(d.abs()));
    let off = s.fit_delta_s.or(s.delta_s).map(signed).unwrap_or_default();
    match s.status {
        DriftStatus::Invalid => "not a valid time".into(),
        DriftStatus::Off => format!("off by {off}"),
        DriftStatus::OutOfOrder => format!("out of order, off by {off}"),
        DriftStatus::Duplicate => format!("repeats the previous stamp, off by {off}"),
        DriftStatus::BeyondAudio => "beyond the end of the audio".into(),
        _ => format!(
            "drift: {} from the turn (tolerance {} s)",
            s.delta_s.map(signed).unwrap_or_default(),
            secs(tolerance)
        ),
    }
}

/// `m:ss.s` with tenths.
fn clock_tenths(seconds: f64) -> String {
    let tenths = ((seconds.max(0.0) * 10.0).floor() as u64) % 10;
    format!("{}.{tenths}", clock(seconds))
}
