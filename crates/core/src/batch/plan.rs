//! Where each item's outputs go, and the refusal of two items writing the same file.
//!
//! By default an item's outputs sit under the output folder at the recording's path within
//! the manifest's folder, extension replaced by each format's (`interviews/a.wav` →
//! `OUT/interviews/a.json`, `OUT/interviews/a.srt`); a recording outside the manifest's
//! folder keeps only its file name. A row's `output` names the first format's file (relative
//! to the output folder); the other formats sit beside it with their own extensions.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::manifest::{Item, Row, escapes, normalize};
use crate::export::ExportFormat;

/// The files one item writes, in the order of `formats`.
pub fn outputs(item: &Item, out_dir: &Path, formats: &[ExportFormat]) -> Vec<PathBuf> {
    let Some(first) = formats.first() else {
        return Vec::new();
    };
    let base = match &item.output {
        Some(output) if output.extension().is_some() => out_dir.join(output),
        Some(output) => out_dir.join(output).with_extension(first.extension()),
        None => {
            let within = if escapes(Path::new("."), &item.audio) {
                PathBuf::from(item.audio.file_name().unwrap_or_default())
            } else {
                normalize(&item.audio)
            };
            out_dir.join(within).with_extension(first.extension())
        }
    };
    let mut files = vec![base.clone()];
    files.extend(
        formats[1..]
            .iter()
            .map(|f| base.with_extension(f.extension())),
    );
    files
}

/// The key of an item's results line: its first output, relative to the output folder,
/// `/` between parts. Unique within a batch, since outputs are.
pub fn key(first_output: &Path, out_dir: &Path) -> String {
    let relative = first_output.strip_prefix(out_dir).unwrap_or(first_output);
    normalize(relative)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The first output file two rows share, as a message naming both rows, or `None`. Paths
/// are compared by their text after `.` and `..` are resolved (and ignoring the case of
/// the letters, so that a batch copied to a case-insensitive disk cannot collide).
pub fn duplicate_output(planned: &[(&Row, Vec<PathBuf>)]) -> Option<String> {
    let mut seen: HashMap<String, &Row> = HashMap::new();
    for (row, files) in planned {
        for file in files {
            let text = normalize(file).to_string_lossy().to_lowercase();
            if let Some(first) = seen.get(&text) {
                if first.line == row.line {
                    return Some(format!(
                        "{}: writes {} twice: its `output` has the extension of another \
                         --format; give it the first format's extension",
                        row.location,
                        file.display(),
                    ));
                }
                return Some(format!(
                    "{}: writes {}, which {} writes too; give each row its own `output` \
                     (or recordings of different names)",
                    row.location,
                    file.display(),
                    first.location
                ));
            }
            seen.insert(text, row);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(audio: &str, output: Option<&str>) -> Item {
        Item {
            audio: audio.into(),
            transcript: "t.txt".into(),
            output: output.map(PathBuf::from),
            language: None,
        }
    }

    #[test]
    fn outputs_follow_the_recordings_path_or_the_rows_output() {
        let out = Path::new("/out");
        let formats = [ExportFormat::Json, ExportFormat::Srt];
        assert_eq!(
            outputs(&item("talks/./a.mp3", None), out, &formats),
            [
                PathBuf::from("/out/talks/a.json"),
                PathBuf::from("/out/talks/a.srt")
            ]
        );
        assert_eq!(
            outputs(&item("../elsewhere/b.wav", None), out, &formats)[0],
            PathBuf::from("/out/b.json")
        );
        assert_eq!(
            outputs(&item("a.wav", Some("x/named.json")), out, &formats),
            [
                PathBuf::from("/out/x/named.json"),
                PathBuf::from("/out/x/named.srt")
            ]
        );
        assert_eq!(
            outputs(&item("a.wav", Some("plain")), out, &formats)[0],
            PathBuf::from("/out/plain.json")
        );
        assert_eq!(key(Path::new("/out/talks/a.json"), out), "talks/a.json");
    }

    #[test]
    fn two_rows_writing_one_file_are_named() {
        let row = |line, audio: &str, output| Row {
            location: format!("m.csv:{line}"),
            line,
            item: Ok(item(audio, output)),
        };
        let rows = [
            row(2, "a.wav", None),
            row(3, "b.wav", None),
            row(4, "x.wav", Some("./A.json")),
        ];
        let planned: Vec<(&Row, Vec<PathBuf>)> = rows
            .iter()
            .map(|r| {
                (
                    r,
                    outputs(
                        r.item.as_ref().unwrap(),
                        Path::new("o"),
                        &[ExportFormat::Json],
                    ),
                )
            })
            .collect();
        let message = duplicate_output(&planned).expect("a.json twice");
        assert!(
            message.starts_with("m.csv:4") && message.contains("m.csv:2"),
            "{message}"
        );
        assert_eq!(duplicate_output(&planned[..2]), None);
        let both = [ExportFormat::Srt, ExportFormat::Json];
        let own = outputs(rows[2].item.as_ref().unwrap(), Path::new("o"), &both);
        let message = duplicate_output(&[(&rows[2], own)]).expect("A.json as srt and json");
        assert!(message.contains("twice"), "{message}");
    }
}
