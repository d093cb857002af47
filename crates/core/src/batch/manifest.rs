//! The list of items a batch aligns: a CSV/TSV or JSON-lines manifest
//! (`audio,transcript[,output][,language]`, paths relative to the manifest's folder), or a
//! folder where each recording pairs with the transcript of the same stem.
//!
//! A manifest whose header lacks a required column is refused as a whole; a row that cannot
//! be read (too few or too many fields, an empty path, invalid JSON or UTF-8) becomes a
//! [`Row`] whose item is the problem, so the rest of the batch still runs and the problem is
//! reported with its line.

use std::path::{Component, Path, PathBuf};

use crate::{Error, Result};

/// The columns a manifest names, in its header (CSV/TSV) or as keys (JSON lines).
pub const COLUMNS: &str = "audio,transcript[,output][,language]";

/// Extensions of recordings a folder manifest pairs with transcripts (lower case).
pub const AUDIO_EXTENSIONS: [&str; 14] = [
    "wav", "mp3", "flac", "ogg", "oga", "opus", "m4a", "aac", "mp4", "m4v", "mov", "webm", "mka",
    "mkv",
];

/// Extensions of transcripts a folder manifest pairs with recordings (lower case).
pub const TRANSCRIPT_EXTENSIONS: [&str; 10] = [
    "txt", "srt", "vtt", "json", "textgrid", "eaf", "ass", "ssa", "otr", "tsv",
];

/// One recording and its transcript, paths as the manifest wrote them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The recording, relative to the manifest's folder (or absolute).
    pub audio: PathBuf,
    /// The transcript, relative to the manifest's folder (or absolute).
    pub transcript: PathBuf,
    /// The output file the row asks for, relative to the batch's output folder.
    pub output: Option<PathBuf>,
    /// The transcript's language code (`en`, `cs`, ...), when the row names one.
    pub language: Option<String>,
}

/// One row of a manifest: where it is, and the item or why it cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Where to find the row: `list.csv:7` (its line), or the recording's path in a folder.
    pub location: String,
    /// 1-based line in the manifest (position among the recordings in a folder).
    pub line: usize,
    /// The item, or what is wrong with the row.
    pub item: std::result::Result<Item, String>,
}

/// A read manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The folder the rows' paths are relative to.
    pub folder: PathBuf,
    /// Every row, in the manifest's order (comments and blank lines left out).
    pub rows: Vec<Row>,
}

impl Manifest {
    /// Reads a manifest file (CSV, TSV, JSON lines: by extension, else by its first line) or
    /// pairs a folder's recordings with transcripts.
    pub fn read(path: &Path) -> Result<Manifest> {
        let meta = std::fs::metadata(path).map_err(|e| Error::reading_input(path, e))?;
        if meta.is_dir() {
            return read_folder(path);
        }
        let bytes = std::fs::read(path).map_err(|e| Error::reading_input(path, e))?;
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let name = path.display().to_string();
        let rows = match Kind::of(path, &bytes) {
            Kind::JsonLines => json_lines(&name, &bytes),
            Kind::Delimited(separator) => delimited(&name, &bytes, separator)?,
        };
        Ok(Manifest { folder, rows })
    }

    /// `path` (as a row wrote it) against the manifest's folder.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        self.folder.join(path)
    }
}

/// How a manifest file is written.
enum Kind {
    JsonLines,
    Delimited(u8),
}

impl Kind {
    /// By extension; an unknown one by the first line (`{`: JSON lines, a tab: TSV, else CSV).
    fn of(path: &Path, bytes: &[u8]) -> Kind {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("jsonl" | "ndjson" | "json") => Kind::JsonLines,
            Some("tsv" | "tab") => Kind::Delimited(b'\t'),
            Some("csv") => Kind::Delimited(b','),
            _ => {
                let first = bytes
                    .split(|&b| b == b'\n')
                    .find(|l| !l.trim_ascii().is_empty())
                    .unwrap_or_default();
                if first.trim_ascii_start().starts_with(b"{") {
                    Kind::JsonLines
                } else if first.contains(&b'\t') {
                    Kind::Delimited(b'\t')
                } else {
                    Kind::Delimited(b',')
                }
            }
        }
    }
}

/// Rows of a CSV or TSV manifest. The header must name `audio` and `transcript`; other
/// columns than the four known ones are ignored (archives keep their metadata there).
fn delimited(name: &str, bytes: &[u8], separator: u8) -> Result<Vec<Row>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut records = records(bytes, separator).into_iter().filter(|(_, r)| {
        !matches!(r, Ok(fields) if fields.iter().all(|f| f.trim().is_empty())
            || fields[0].trim_start().starts_with('#'))
    });
    let Some((header_line, header)) = records.next() else {
        return Err(Error::Invalid(format!(
            "{name}: the manifest is empty; its first row names the columns {COLUMNS}"
        )));
    };
    let header = header.map_err(|why| Error::Invalid(format!("{name}:{header_line}: {why}")))?;
    let names: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let column = |wanted: &str| names.iter().position(|n| n == wanted);
    let (Some(audio), Some(transcript)) = (column("audio"), column("transcript")) else {
        let missing: Vec<&str> = ["audio", "transcript"]
            .into_iter()
            .filter(|c| column(c).is_none())
            .collect();
        return Err(Error::Invalid(format!(
            "{name}:{header_line}: the header has no `{}` column; the first row must name the \
             columns {COLUMNS} (found: {})",
            missing.join("` or `"),
            header.join(",")
        )));
    };
    for (i, n) in names.iter().enumerate() {
        if !n.is_empty() && names[..i].contains(n) {
            return Err(Error::Invalid(format!(
                "{name}:{header_line}: the header names the column `{n}` twice"
            )));
        }
    }
    let (output, language) = (column("output"), column("language"));
    Ok(records
        .map(|(line, record)| {
            let item = record.and_then(|fields| {
                if fields.len() != names.len() {
                    return Err(format!(
                        "the row has {} fields, the header names {}{}",
                        fields.len(),
                        names.len(),
                        if separator == b'\t' {
                            ""
                        } else {
                            " (quote a path that holds a comma: \"a,b.wav\")"
                        }
                    ));
                }
                let optional = |i: Option<usize>| {
                    i.map(|i| fields[i].trim())
                        .filter(|v| !v.is_empty())
                        .map(String::from)
                };
                item(
                    fields[audio].trim(),
                    fields[transcript].trim(),
                    optional(output),
                    optional(language),
                )
            });
            Row {
                location: format!("{name}:{line}"),
                line,
                item,
            }
        })
        .collect())
}

/// Rows of a JSON-lines manifest: one object per line with `audio` and `transcript`, and
/// optionally `output` and `language` (strings or null); other keys ignored.
fn json_lines(name: &str, bytes: &[u8]) -> Vec<Row> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim_ascii();
            !l.is_empty() && !l.starts_with(b"#")
        })
        .map(|(i, line)| {
            let item = serde_json::from_slice::<serde_json::Value>(line)
                .map_err(|e| format!("not a JSON object: {e}"))
                .and_then(|value| {
                    let object = value.as_object().ok_or_else(|| {
                        "not a JSON object; each line holds one: {\"audio\": ..., \"transcript\": ...}".to_string()
                    })?;
                    let text = |key: &str| -> std::result::Result<Option<String>, String> {
                        match object.get(key) {
                            None | Some(serde_json::Value::Null) => Ok(None),
                            Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
                            Some(serde_json::Value::String(s)) => Ok(Some(s.trim().to_string())),
                            Some(other) => Err(format!("`{key}` is {other}, not a string")),
                        }
                    };
                    let audio = text("audio")?.unwrap_or_default();
                    let transcript = text("transcript")?.unwrap_or_default();
                    item(&audio, &transcript, text("output")?, text("language")?)
                });
            Row {
                location: format!("{name}:{}", i + 1),
                line: i + 1,
                item,
            }
        })
        .collect()
}

/// An item from a row's fields; an empty path is the row's problem.
fn item(
    audio: &str,
    transcript: &str,
    output: Option<String>,
    language: Option<String>,
) -> std::result::Result<Item, String> {
    for (column, value) in [("audio", audio), ("transcript", transcript)] {
        if value.is_empty() {
            return Err(format!("no `{column}` path; every row names {COLUMNS}"));
        }
    }
    Ok(Item {
        audio: PathBuf::from(audio),
        transcript: PathBuf::from(transcript),
        output: output.map(PathBuf::from),
        language,
    })
}

/// Splits CSV/TSV bytes into records (RFC 4180 quoting: `"a,b"`, `""` for a quote; a quoted
/// field may hold line breaks), each with the line it starts on, its fields as UTF-8 text or
/// why it cannot be read.
fn records(bytes: &[u8], separator: u8) -> Vec<(usize, std::result::Result<Vec<String>, String>)> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut at = 0;
    while at < bytes.len() {
        let start_line = line;
        let mut fields: Vec<Vec<u8>> = vec![Vec::new()];
        let mut problem: Option<String> = None;
        let mut quoted = false;
        let mut field_start = true;
        while at < bytes.len() {
            let b = bytes[at];
            at += 1;
            if quoted {
                match b {
                    b'"' if bytes.get(at) == Some(&b'"') => {
                        at += 1;
                        fields.last_mut().expect("one field").push(b'"');
                    }
                    b'"' => quoted = false,
                    _ => {
                        if b == b'\n' {
                            line += 1;
                        }
                        fields.last_mut().expect("one field").push(b);
                    }
                }
                continue;
            }
            match b {
                b'\n' => {
                    line += 1;
                    break;
                }
                b'"' if field_start => quoted = true,
                _ if b == separator => {
                    fields.push(Vec::new());
                    field_start = true;
                    continue;
                }
                b'\r' if bytes.get(at) == Some(&b'\n') => {}
                _ => fields.last_mut().expect("one field").push(b),
            }
            field_start = false;
        }
        if quoted {
            problem = Some("a quoted field is never closed (a `\"` is missing)".into());
        }
        let record = match problem {
            Some(why) => Err(why),
            None => fields
                .into_iter()
                .map(|f| {
                    String::from_utf8(f).map_err(|_| {
                        "the row is not valid UTF-8; save the manifest as UTF-8".into()
                    })
                })
                .collect(),
        };
        out.push((start_line, record));
    }
    out
}

/// Pairs each recording in `folder` (not its subfolders) with the transcript of the same
/// stem; a recording with none, or with several, is a row with that problem.
fn read_folder(folder: &Path) -> Result<Manifest> {
    let entries = std::fs::read_dir(folder).map_err(|e| Error::reading_input(folder, e))?;
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::reading_input(folder, e))?;
        if entry
            .file_type()
            .is_ok_and(|t| t.is_file() || t.is_symlink())
        {
            files.push(PathBuf::from(entry.file_name()));
        }
    }
    files.sort();
    let extension = |p: &Path| {
        p.extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default()
    };
    let recordings: Vec<&PathBuf> = files
        .iter()
        .filter(|f| AUDIO_EXTENSIONS.contains(&extension(f).as_str()))
        .collect();
    let rows = recordings
        .iter()
        .enumerate()
        .map(|(i, audio)| {
            let transcripts: Vec<&PathBuf> = files
                .iter()
                .filter(|f| f.file_stem() == audio.file_stem())
                .filter(|f| TRANSCRIPT_EXTENSIONS.contains(&extension(f).as_str()))
                .collect();
            let item = match transcripts.as_slice() {
                [transcript] => Ok(Item {
                    audio: (*audio).clone(),
                    transcript: (*transcript).clone(),
                    output: None,
                    language: None,
                }),
                [] => Err(format!(
                    "no transcript of the same name ({}.txt, .srt, .vtt, ...) beside it",
                    Path::new(audio.file_stem().unwrap_or_default()).display()
                )),
                several => Err(format!(
                    "several transcripts of the same name ({}): keep one, or list the pairs \
                     in a manifest",
                    several
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            Row {
                location: folder.join(audio).display().to_string(),
                line: i + 1,
                item,
            }
        })
        .collect();
    Ok(Manifest {
        folder: folder.to_path_buf(),
        rows,
    })
}

/// Whether `path` (as a row wrote it) reaches outside `folder`: through `..` beyond the
/// folder, or as an absolute path elsewhere. Judged on the path's text (symlinks inside the
/// folder are not followed), which is what `--confine` promises.
pub fn escapes(folder: &Path, path: &Path) -> bool {
    if path.is_absolute() {
        let Ok(folder) = std::path::absolute(folder) else {
            return true;
        };
        return !normalize(path).starts_with(normalize(&folder));
    }
    let mut depth: usize = 0;
    for component in path.components() {
        match component {
            Component::ParentDir if depth == 0 => return true,
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    false
}

/// `path` with `.` dropped and `..` taking back the part before it, on the text alone.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_of(name: &str, text: &str) -> Result<Vec<Row>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        Manifest::read(&path).map(|m| m.rows)
    }

    #[test]
    fn csv_rows_carry_their_lines_and_quoted_fields() {
        let rows = rows_of(
            "list.csv",
            "# archive batch\nAudio,transcript,output,language,shelf\n\
             a.wav,a.txt,,,A1\n\n\"b, part 2.mp3\",\"b \"\"x\"\".txt\",b.srt,cs,B2\r\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 3);
        assert!(
            rows[0].location.ends_with("list.csv:3"),
            "{}",
            rows[0].location
        );
        let b = rows[1].item.as_ref().unwrap();
        assert_eq!(rows[1].line, 5);
        assert_eq!(b.audio, PathBuf::from("b, part 2.mp3"));
        assert_eq!(b.transcript, PathBuf::from("b \"x\".txt"));
        assert_eq!(b.output, Some(PathBuf::from("b.srt")));
        assert_eq!(b.language.as_deref(), Some("cs"));
        assert_eq!(rows[0].item.as_ref().unwrap().output, None);
    }

    #[test]
    fn a_header_without_a_required_column_is_refused_with_its_line() {
        let err = rows_of("list.csv", "\naudio,text\na.wav,a.txt\n").unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("list.csv:2") && text.contains("`transcript`"),
            "{text}"
        );
    }

    #[test]
    fn unreadable_rows_are_problems_of_their_own_line() {
        let rows = rows_of(
            "list.tsv",
            "audio\ttranscript\na.wav\ta.txt\nb.wav\nc.wav\t\n\"d.wav\ta.txt\n",
        )
        .unwrap();
        assert!(rows[0].item.is_ok());
        assert!(
            rows[1].item.as_ref().unwrap_err().contains("1 fields"),
            "{rows:?}"
        );
        assert_eq!(rows[1].line, 3);
        assert!(rows[2].item.as_ref().unwrap_err().contains("`transcript`"));
        assert!(rows[3].item.as_ref().unwrap_err().contains("never closed"));
        let bad = rows_of("list.csv", "audio,transcript\na\u{e9}.wav,a.txt\n").unwrap();
        assert!(bad[0].item.is_ok());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.csv");
        std::fs::write(&path, b"audio,transcript\n\xff.wav,a.txt\n").unwrap();
        let rows = Manifest::read(&path).unwrap().rows;
        assert!(rows[0].item.as_ref().unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn json_lines_rows() {
        let rows = rows_of(
            "list.jsonl",
            "{\"audio\": \"a.wav\", \"transcript\": \"a.txt\", \"language\": null, \"id\": 7}\n\
             [1]\n{\"audio\": \"b.wav\"}\n{\"audio\": 3, \"transcript\": \"x\"}\nnot json\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[0].item.as_ref().unwrap().audio, PathBuf::from("a.wav"));
        assert!(
            rows[1]
                .item
                .as_ref()
                .unwrap_err()
                .contains("not a JSON object")
        );
        assert!(rows[2].item.as_ref().unwrap_err().contains("`transcript`"));
        assert!(rows[3].item.as_ref().unwrap_err().contains("not a string"));
        assert_eq!(rows[4].line, 5);
    }

    #[test]
    fn a_folder_pairs_recordings_with_same_stem_transcripts() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "a.wav",
            "a.txt",
            "b.mp3",
            "c.flac",
            "c.srt",
            "c.vtt",
            "notes.txt",
        ] {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        let rows = Manifest::read(dir.path()).unwrap().rows;
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0].item.as_ref().unwrap().transcript,
            PathBuf::from("a.txt")
        );
        assert!(rows[1].item.as_ref().unwrap_err().contains("no transcript"));
        assert!(rows[2].item.as_ref().unwrap_err().contains("c.srt, c.vtt"));
    }

    #[test]
    fn escaping_the_folder() {
        let folder = Path::new("/archive/batch");
        assert!(!escapes(folder, Path::new("a/../b.wav")));
        assert!(escapes(folder, Path::new("a/../../b.wav")));
        assert!(escapes(folder, Path::new("../batch2/b.wav")));
        assert!(escapes(folder, Path::new("/etc/passwd")));
        assert!(!escapes(folder, Path::new("/archive/batch/x/y.wav")));
        assert!(escapes(folder, Path::new("/archive/batch/../secret.wav")));
    }
}
