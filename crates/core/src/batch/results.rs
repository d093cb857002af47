//! One line of `results.jsonl` per item: what happened to it, what the alignment found, what
//! it cost, and the fingerprints that let a later run skip it.
//!
//! An item is skipped on a later run when its last line says `ok` (or `skipped`), its
//! outputs exist, and its inputs' size, modification time and SHA-256, the options and the
//! talign version are the same as that line's. A line cut short by a killed batch is
//! ignored when read back (its item simply runs again).

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::pipeline::{AlignRun, HEARD_FIT};

/// Below this confidence a turn is listed as low-confidence (as `talign align` says):
/// [`crate::report::LOW_CONFIDENCE`].
pub use crate::report::LOW_CONFIDENCE;

/// What became of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Aligned and written.
    Ok,
    /// Not aligned: the error says why.
    Failed,
    /// Aligned by an earlier run with the same inputs, options and version; left as it was.
    Skipped,
}

/// An input file as it was when aligned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fingerprint {
    /// Bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i128,
    /// `sha256:` and the content's SHA-256 in hex.
    pub hash: String,
}

impl Fingerprint {
    /// Size, modification time and SHA-256 of the file at `path`.
    pub fn of(path: &Path) -> std::io::Result<Fingerprint> {
        let file = std::fs::File::open(path)?;
        let meta = file.metadata()?;
        let (size, mtime_ns) = size_and_mtime(&meta);
        let mut hasher = Sha256::new();
        let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
        let mut buffer = vec![0u8; 1 << 20];
        loop {
            let n = reader.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
        }
        let digest = hasher.finalize();
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Fingerprint {
            size,
            mtime_ns,
            hash: format!("sha256:{hex}"),
        })
    }

    /// Whether the file at `path` still matches: size and modification time first (cheap),
    /// then the content hash.
    pub fn matches(&self, path: &Path) -> bool {
        let Ok(meta) = std::fs::metadata(path) else {
            return false;
        };
        if size_and_mtime(&meta) != (self.size, self.mtime_ns) {
            return false;
        }
        Fingerprint::of(path).is_ok_and(|now| now == *self)
    }
}

fn size_and_mtime(meta: &std::fs::Metadata) -> (u64, i128) {
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128);
    (meta.len(), mtime_ns)
}

/// The recording's and the transcript's fingerprints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inputs {
    /// The recording.
    pub audio: Fingerprint,
    /// The transcript.
    pub transcript: Fingerprint,
}

/// A turn whose confidence is below [`LOW_CONFIDENCE`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LowConfidenceTurn {
    /// 1-based line of the turn in the transcript.
    pub line: usize,
    /// The turn's speaker, when the transcript names one.
    pub speaker: Option<String>,
    /// Where the turn was placed, seconds.
    pub start: f64,
    /// Its confidence, in [0, 1].
    pub confidence: f64,
}

/// The transcript's stamps against the aligned times: `aligned = offset_s + rate × stated`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DriftFit {
    /// Actual seconds per stated second (1.003: the stamps run 0.3 % slow).
    pub rate: f64,
    /// Seconds added to every stated time.
    pub offset_s: f64,
}

/// What one alignment found, as the item's process reports it to the batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aligned {
    /// The line `talign align` prints.
    pub summary: String,
    /// Turns aligned.
    pub turns: usize,
    /// Transcribed turns the acoustic model did not hear where they were placed (`None`
    /// when the model did not listen).
    pub unheard_turns: Option<usize>,
    /// Turns below [`LOW_CONFIDENCE`], in order.
    pub low_confidence_turns: Vec<LowConfidenceTurn>,
    /// The stamps' clock, when the transcript has enough stamps to fit one.
    pub drift: Option<DriftFit>,
    /// The recording's decoded length, seconds.
    pub duration_s: f64,
}

impl Aligned {
    /// The record of `run`, with `summary` as the command line says it.
    pub fn from_run(run: &AlignRun, summary: String) -> Aligned {
        let turns = &run.alignment.turns;
        let listened = turns.iter().any(|t| t.fit.is_some());
        Aligned {
            summary,
            turns: turns.len(),
            unheard_turns: listened.then(|| {
                turns
                    .iter()
                    .filter(|t| t.transcribed && t.fit.is_none_or(|f| f < f64::from(HEARD_FIT)))
                    .count()
            }),
            low_confidence_turns: turns
                .iter()
                .filter(|t| t.confidence < LOW_CONFIDENCE)
                .map(|t| LowConfidenceTurn {
                    line: t.line,
                    speaker: t.speaker.clone(),
                    start: (t.start * 1000.0).round() / 1000.0,
                    confidence: (t.confidence * 1000.0).round() / 1000.0,
                })
                .collect(),
            drift: run.outcome.clock.map(|c| DriftFit {
                rate: c.rate,
                offset_s: c.offset,
            }),
            duration_s: run.source.duration_s(),
        }
    }
}

/// One line of `results.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The item's first output, relative to the output folder: what identifies it across runs.
    pub key: String,
    /// Where the item is in the manifest: `list.csv:7`, or the recording's path in a folder.
    pub location: String,
    /// The recording, as the batch opened it.
    pub audio: String,
    /// The transcript, as the batch opened it.
    pub transcript: String,
    /// The files written.
    pub outputs: Vec<String>,
    /// ok, failed or skipped.
    pub status: Status,
    /// The item's exit code, as `talign align` defines them (0 ok, 1 does not match, 2 bad
    /// input, 3 I/O or internal failure).
    pub exit_code: u8,
    /// What the alignment found (absent when it failed).
    pub aligned: Option<Aligned>,
    /// Seconds the item took, start of its process to its end (that of the earlier run for
    /// a skipped item).
    pub wall_s: f64,
    /// Peak resident memory of the item's own process, MiB (`None` when not measured).
    pub peak_memory_mib: Option<f64>,
    /// Why it failed, with the manifest line.
    pub error: Option<String>,
    /// Warnings the alignment printed (damaged audio, reference not used).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The inputs as they were aligned (absent when they could not be read).
    pub inputs: Option<Inputs>,
    /// The options that shape the outputs, as one string.
    pub options: String,
    /// The talign version that wrote the outputs.
    pub version: String,
    /// The shard that ran the item, `K/N`.
    pub shard: String,
    /// When the item finished, milliseconds since the Unix epoch.
    pub finished_unix_ms: u64,
}

impl Record {
    /// True for a row refused before any work: its key is `#` and its location.
    pub fn is_refusal(&self) -> bool {
        self.key.starts_with('#')
    }

    /// Whether this record lets `item` be skipped now: it succeeded (or was skipped) with the
    /// same options and version, its outputs exist, and its inputs are unchanged.
    pub fn still_valid(
        &self,
        options: &str,
        version: &str,
        audio: &Path,
        transcript: &Path,
        outputs: &[std::path::PathBuf],
    ) -> bool {
        let Some(inputs) = &self.inputs else {
            return false;
        };
        matches!(self.status, Status::Ok | Status::Skipped)
            && self.options == options
            && self.version == version
            && outputs.iter().all(|o| o.is_file())
            && inputs.audio.matches(audio)
            && inputs.transcript.matches(transcript)
    }
}

/// Every complete record in a results file, in order; a line that does not read back (cut
/// short when a batch was killed, or edited by hand) is left out and counted.
pub fn read_records(path: &Path) -> std::io::Result<(Vec<Record>, usize)> {
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => return Err(e),
    };
    let mut records = Vec::new();
    let mut unreadable = 0;
    for line in text.split(|&b| b == b'\n') {
        if line.trim_ascii().is_empty() {
            continue;
        }
        match serde_json::from_slice::<Record>(line) {
            Ok(record) => records.push(record),
            Err(_) => unreadable += 1,
        }
    }
    Ok((records, unreadable))
}

/// The latest record of each item (by finish time, then by order read), keyed.
///
/// A row refused before any work (a row that cannot be read, an unknown language, a path
/// `--confine` refuses) has no outputs to name it, so its key is its location
/// (`#list.csv:7`); once a later run reads that row and plans or aligns it, the refusal is
/// out of date: a refusal is dropped when another record of the same location finished
/// after it.
pub fn latest(records: Vec<Record>) -> std::collections::HashMap<String, Record> {
    let mut by_key: std::collections::HashMap<String, Record> = std::collections::HashMap::new();
    // The last finish time of any record at each location.
    let mut last_at: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for record in records {
        let at = last_at.entry(record.location.clone()).or_insert(0);
        *at = (*at).max(record.finished_unix_ms);
        match by_key.get(&record.key) {
            Some(held) if held.finished_unix_ms > record.finished_unix_ms => {}
            _ => {
                by_key.insert(record.key.clone(), record);
            }
        }
    }
    by_key.retain(|_, r| !r.is_refusal() || last_at[&r.location] <= r.finished_unix_ms);
    by_key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_see_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "ANNA: hello\n").unwrap();
        let print = Fingerprint::of(&path).unwrap();
        assert_eq!(print.size, 12);
        // `printf 'ANNA: hello\n' | sha256sum`
        assert_eq!(
            print.hash,
            "sha256:23b06725d39f6ab1ed9525f062878cb9f3671ea290200f689530f4e40b8e3bb8"
        );
        assert!(print.matches(&path));
        // Same size, same modification time, other content: only the hash sees it.
        let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::write(&path, "ANNA: hellO\n").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        assert!(!print.matches(&path));
        assert!(!print.matches(&dir.path().join("gone.txt")));
    }

    /// A record of item `key` at manifest `location`, finished at `at` ms.
    fn record_at(key: &str, location: &str, at: u64, status: Status) -> Record {
        Record {
            key: key.into(),
            location: location.into(),
            audio: "a.wav".into(),
            transcript: "a.txt".into(),
            outputs: vec![],
            status,
            exit_code: 0,
            aligned: None,
            wall_s: 1.0,
            peak_memory_mib: Some(40.0),
            error: None,
            warnings: vec![],
            inputs: None,
            options: String::new(),
            version: "0.1.0".into(),
            shard: "1/1".into(),
            finished_unix_ms: at,
        }
    }

    #[test]
    fn a_line_cut_short_is_left_out_and_the_latest_record_wins() {
        let record = |key: &str, at: u64, status| record_at(key, "m.csv:2", at, status);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.jsonl");
        let mut text = String::new();
        for r in [
            record("a.json", 5, Status::Failed),
            record("a.json", 9, Status::Ok),
            record("b.json", 7, Status::Ok),
        ] {
            text.push_str(&serde_json::to_string(&r).unwrap());
            text.push('\n');
        }
        let cut = serde_json::to_string(&record("b.json", 11, Status::Failed)).unwrap();
        text.push_str(&cut[..cut.len() / 2]);
        std::fs::write(&path, text).unwrap();
        let (records, unreadable) = read_records(&path).unwrap();
        assert_eq!((records.len(), unreadable), (3, 1));
        let latest = latest(records);
        assert_eq!(latest["a.json"].status, Status::Ok);
        assert_eq!(latest["b.json"].finished_unix_ms, 7);
        assert_eq!(
            read_records(&dir.path().join("none.jsonl")).unwrap().0,
            vec![]
        );
    }

    #[test]
    fn a_refusal_gives_way_to_a_later_run_of_its_row() {
        let record = record_at;
        let held = latest(vec![
            // Row 7 refused (an unknown language), then fixed and aligned.
            record("#m.csv:7", "m.csv:7", 5, Status::Failed),
            record("a.json", "m.csv:7", 9, Status::Ok),
            // Row 8 aligned once, then broken: its refusal is the latest word on it.
            record("b.json", "m.csv:8", 4, Status::Ok),
            record("#m.csv:8", "m.csv:8", 6, Status::Failed),
            // Row 9 refused and never run since.
            record("#m.csv:9", "m.csv:9", 6, Status::Failed),
        ]);
        let mut keys: Vec<&str> = held.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["#m.csv:8", "#m.csv:9", "a.json", "b.json"]);
    }
}
