//! The report over one or many shards' results: a CSV of every item and a short HTML page
//! with the totals and the worst items first (failed, then the largest share of
//! low-confidence turns, then the largest stamp drift).

use std::cmp::Ordering;
use std::fmt::Write as _;

use super::results::{Record, Status};
use crate::export::csv::{Dialect, write_record};
use crate::export::xml::escape;

/// How many items the HTML page lists (the CSV has them all).
pub const HTML_ROWS: usize = 100;

/// Counts and sums over the items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    /// Items in the report.
    pub items: usize,
    /// Aligned by this run.
    pub ok: usize,
    /// Left as an earlier run aligned them.
    pub skipped: usize,
    /// Not aligned.
    pub failed: usize,
    /// Audio aligned (ok and skipped items), seconds.
    pub audio_s: f64,
    /// The items' own wall times added up, seconds.
    pub item_wall_s: f64,
    /// Turns below the confidence threshold, over all items.
    pub low_confidence_turns: usize,
    /// The largest peak memory of one item's process, MiB.
    pub max_peak_memory_mib: Option<f64>,
}

impl Totals {
    /// The totals of `records`.
    pub fn of(records: &[Record]) -> Totals {
        let mut t = Totals {
            items: records.len(),
            ..Totals::default()
        };
        for r in records {
            match r.status {
                Status::Ok => t.ok += 1,
                Status::Skipped => t.skipped += 1,
                Status::Failed => t.failed += 1,
            }
            if let Some(a) = &r.aligned {
                t.audio_s += a.duration_s;
                t.low_confidence_turns += a.low_confidence_turns.len();
            }
            t.item_wall_s += r.wall_s;
            t.max_peak_memory_mib = match (t.max_peak_memory_mib, r.peak_memory_mib) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
        }
        t
    }
}

/// How bad an item looks: failed first, then by the share of its turns with low
/// confidence, then by how far its stamps drift.
fn badness(record: &Record) -> (bool, f64, f64) {
    let (share, drift) = match &record.aligned {
        Some(a) => (
            a.low_confidence_turns.len() as f64 / a.turns.max(1) as f64,
            a.drift.map_or(0.0, |d| (d.rate - 1.0).abs()),
        ),
        None => (0.0, 0.0),
    };
    (record.status == Status::Failed, share, drift)
}

/// `records` worst first (ties keep the key order, so reports are reproducible).
pub fn worst_first(mut records: Vec<Record>) -> Vec<Record> {
    records.sort_by(|a, b| {
        let (fa, sa, da) = badness(a);
        let (fb, sb, db) = badness(b);
        fb.cmp(&fa)
            .then(sb.partial_cmp(&sa).unwrap_or(Ordering::Equal))
            .then(db.partial_cmp(&da).unwrap_or(Ordering::Equal))
            .then_with(|| a.key.cmp(&b.key))
    });
    records
}

const CSV_HEADER: [&str; 16] = [
    "key",
    "location",
    "status",
    "exit_code",
    "duration_s",
    "turns",
    "low_confidence_turns",
    "unheard_turns",
    "drift_rate",
    "drift_offset_s",
    "wall_s",
    "peak_memory_mib",
    "shard",
    "outputs",
    "error",
    "summary",
];

/// Every record as a CSV row (RFC 4180), in the order given.
pub fn csv(records: &[Record]) -> String {
    let mut out = String::new();
    write_record(&mut out, &CSV_HEADER.map(String::from), Dialect::Csv);
    for r in records {
        let a = r.aligned.as_ref();
        let number = |v: Option<f64>, decimals: usize| {
            v.map_or(String::new(), |v| format!("{v:.decimals$}"))
        };
        let fields = [
            r.key.clone(),
            r.location.clone(),
            status_name(r.status).into(),
            r.exit_code.to_string(),
            number(a.map(|a| a.duration_s), 3),
            a.map_or(String::new(), |a| a.turns.to_string()),
            a.map_or(String::new(), |a| a.low_confidence_turns.len().to_string()),
            a.and_then(|a| a.unheard_turns)
                .map_or(String::new(), |n| n.to_string()),
            number(a.and_then(|a| a.drift).map(|d| d.rate), 5),
            number(a.and_then(|a| a.drift).map(|d| d.offset_s), 3),
            format!("{:.3}", r.wall_s),
            number(r.peak_memory_mib, 1),
            r.shard.clone(),
            r.outputs.join(" "),
            r.error.clone().unwrap_or_default(),
            a.map_or(String::new(), |a| a.summary.clone()),
        ];
        write_record(&mut out, &fields, Dialect::Csv);
    }
    out
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Ok => "ok",
        Status::Failed => "failed",
        Status::Skipped => "skipped",
    }
}

/// A short HTML page: the totals, then the [`HTML_ROWS`] worst items of `records` (already
/// worst first).
pub fn html(records: &[Record], title: &str) -> String {
    let t = Totals::of(records);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\
         <title>{title}</title>\n<style>body{{font-family:sans-serif}}\
         table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 6px;\
         text-align:left}}tr.failed{{background:#fdd}}</style></head>\n<body>\n<h1>{title}</h1>\n\
         <table>\n<tr><th>items</th><th>ok</th><th>skipped</th><th>failed</th>\
         <th>audio (h)</th><th>item time (h)</th><th>low-confidence turns</th>\
         <th>max peak memory (MiB)</th></tr>\n\
         <tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.2}</td><td>{:.2}</td>\
         <td>{}</td><td>{}</td></tr>\n</table>\n",
        t.items,
        t.ok,
        t.skipped,
        t.failed,
        t.audio_s / 3600.0,
        t.item_wall_s / 3600.0,
        t.low_confidence_turns,
        t.max_peak_memory_mib
            .map_or("–".to_string(), |m| format!("{m:.0}")),
        title = escape(title),
    );
    let shown = records.len().min(HTML_ROWS);
    let _ = write!(
        out,
        "<h2>Worst items first</h2>\n<table>\n<tr><th>item</th><th>status</th>\
         <th>exit</th><th>audio (s)</th><th>low-confidence turns</th><th>stamp drift</th>\
         <th>time (s)</th><th>peak memory (MiB)</th><th>error or summary</th></tr>\n"
    );
    for r in &records[..shown] {
        let a = r.aligned.as_ref();
        let drift = a.and_then(|a| a.drift).map_or(String::new(), |d| {
            format!("{:+.2} %, {:+.1} s", (d.rate - 1.0) * 100.0, d.offset_s)
        });
        let _ = writeln!(
            out,
            "<tr class=\"{status}\"><td>{key}<br><small>{location}</small></td><td>{status}</td>\
             <td>{code}</td><td>{duration}</td><td>{low}</td><td>{drift}</td><td>{wall:.1}</td>\
             <td>{memory}</td><td>{note}</td></tr>",
            status = status_name(r.status),
            key = escape(&r.key),
            location = escape(&r.location),
            code = r.exit_code,
            duration = a.map_or(String::new(), |a| format!("{:.1}", a.duration_s)),
            low = a.map_or(String::new(), |a| format!(
                "{} of {}",
                a.low_confidence_turns.len(),
                a.turns
            )),
            wall = r.wall_s,
            memory = r
                .peak_memory_mib
                .map_or(String::new(), |m| format!("{m:.0}")),
            note = escape(
                r.error
                    .as_deref()
                    .or(a.map(|a| a.summary.as_str()))
                    .unwrap_or("")
            ),
        );
    }
    out.push_str("</table>\n");
    if records.len() > shown {
        let _ = writeln!(
            out,
            "<p>and {} more items in report.csv.</p>",
            records.len() - shown
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::results::{Aligned, DriftFit, LowConfidenceTurn};

    fn record(key: &str, status: Status, low: usize, rate: f64) -> Record {
        Record {
            key: key.into(),
            location: format!("m.csv:{key}"),
            audio: "a.wav".into(),
            transcript: "a.txt".into(),
            outputs: vec![format!("out/{key}")],
            status,
            exit_code: if status == Status::Failed { 2 } else { 0 },
            aligned: (status != Status::Failed).then(|| Aligned {
                summary: "aligned 4 turns, x".into(),
                turns: 4,
                unheard_turns: Some(0),
                low_confidence_turns: (0..low)
                    .map(|i| LowConfidenceTurn {
                        line: i + 1,
                        speaker: None,
                        start: 1.0,
                        confidence: 0.2,
                    })
                    .collect(),
                drift: Some(DriftFit {
                    rate,
                    offset_s: 0.5,
                }),
                duration_s: 1800.0,
            }),
            wall_s: 10.0,
            peak_memory_mib: Some(50.0),
            error: (status == Status::Failed).then(|| "m.csv:3: <audio> not found".into()),
            warnings: vec![],
            inputs: None,
            options: String::new(),
            version: "0.1.0".into(),
            shard: "1/2".into(),
            finished_unix_ms: 1,
        }
    }

    #[test]
    fn worst_items_come_first_and_totals_add_up() {
        let records = worst_first(vec![
            record("good", Status::Ok, 0, 1.0),
            record("drifting", Status::Skipped, 0, 1.02),
            record("unsure", Status::Ok, 2, 1.0),
            record("broken", Status::Failed, 0, 1.0),
        ]);
        let keys: Vec<&str> = records.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["broken", "unsure", "drifting", "good"]);
        let t = Totals::of(&records);
        assert_eq!((t.items, t.ok, t.skipped, t.failed), (4, 2, 1, 1));
        assert_eq!(t.audio_s, 5400.0);
        assert_eq!(t.low_confidence_turns, 2);
        let csv = csv(&records);
        assert_eq!(csv.lines().count(), 5);
        assert!(
            csv.lines()
                .nth(1)
                .unwrap()
                .starts_with("broken,m.csv:broken,failed,2,")
        );
        let html = html(&records, "batch <report>");
        assert!(html.contains("&lt;audio&gt; not found") && html.contains("batch &lt;report&gt;"));
        assert!(html.find("broken").unwrap() < html.find("good").unwrap());
        assert!(html.contains("<td>1.50</td>"), "1.5 h of audio: {html}");
    }
}
