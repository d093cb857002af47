//! `talign batch` on a small archive: copies of the sample clip
//! (`sample-audio/clip-kerry-45s.{wav,txt}`, 48 s, nine turns with stamps) under several
//! names, listed in manifests good and bad; resume, shards, the merged report.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::cli_audio::{Run, sample, talign, talign_with_env};

/// A folder holding `talks/NAME.wav` and `talks/NAME.txt` for each name: the sample clip.
fn archive(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("talks")).unwrap();
    for name in names {
        let talks = dir.path().join("talks");
        std::fs::copy(
            sample("clip-kerry-45s.wav"),
            talks.join(format!("{name}.wav")),
        )
        .unwrap();
        std::fs::copy(
            sample("clip-kerry-45s.txt"),
            talks.join(format!("{name}.txt")),
        )
        .unwrap();
    }
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

fn p(path: &Path) -> String {
    path.to_str().unwrap().to_owned()
}

/// The lines of a results file, parsed.
fn results(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The results line of the item whose location ends with `location`.
fn line_of<'a>(lines: &'a [Value], location: &str) -> &'a Value {
    lines
        .iter()
        .rev()
        .find(|l| l["location"].as_str().unwrap().ends_with(location))
        .unwrap_or_else(|| panic!("no line for {location}: {lines:?}"))
}

fn batch(args: &[&str]) -> Run {
    let mut all = vec!["batch", "--progress", "none"];
    all.extend_from_slice(args);
    talign(&all)
}

#[test]
fn every_item_gets_its_outputs_and_one_results_line_and_failures_name_their_row() {
    let dir = archive(&["a", "b"]);
    let manifest = write(
        dir.path(),
        "list.csv",
        "audio,transcript,output,language,shelf\n\
         talks/a.wav,talks/a.txt,,en,A1\n\
         talks/b.wav,talks/b.txt,named/b-out.srt,,A2\n\
         talks/c.wav,talks/a.txt,,,A3\n\
         talks/a.wav\n\
         ../../etc/x.wav,talks/a.txt,,,A5\n\
         talks/a.wav,talks/a.txt,../escape.srt,,A6\n\
         noise.mp3,talks/a.txt,,,A7\n",
    );
    // Not the transcript's recording: `talign align` refuses it with exit 1.
    std::fs::copy(
        super::cli_audio::audio("corrupt-middle.mp3"),
        dir.path().join("noise.mp3"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let r = batch(&[
        &manifest,
        "--out",
        &p(&out),
        "--format",
        "srt,json",
        "--jobs",
        "2",
        "--confine",
    ]);
    assert_eq!(r.code, 1, "some items failed: {}", r.stderr);
    assert!(
        r.stderr.contains("2 ok, 0 skipped, 5 failed"),
        "{}",
        r.stderr
    );
    let lines = results(&out.join("results.jsonl"));
    assert_eq!(lines.len(), 7);

    let a = line_of(&lines, "list.csv:2");
    assert_eq!(a["status"], "ok");
    assert_eq!(a["exit_code"], 0);
    assert_eq!(a["outputs"][0], p(&out.join("talks/a.srt")));
    let aligned = &a["aligned"];
    assert_eq!(aligned["turns"], 9);
    assert!(
        aligned["summary"]
            .as_str()
            .unwrap()
            .starts_with("aligned 9 turns")
    );
    assert!((aligned["duration_s"].as_f64().unwrap() - 48.2).abs() < 0.1);
    let rate = aligned["drift"]["rate"]
        .as_f64()
        .expect("the clip's stamps are fitted");
    assert!((rate - 1.0).abs() < 0.05, "{rate}");
    assert!(aligned["low_confidence_turns"].is_array());
    assert!(a["wall_s"].as_f64().unwrap() > 0.0);
    let memory = a["peak_memory_mib"].as_f64().unwrap();
    assert!(
        (10.0..2000.0).contains(&memory),
        "the item's own process: {memory} MiB"
    );
    assert_eq!(a["options"], "formats=srt,json words=false language=en");
    assert!(
        a["inputs"]["audio"]["hash"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    let json: talign::report::Alignment =
        serde_json::from_str(&std::fs::read_to_string(out.join("talks/a.json")).unwrap()).unwrap();
    assert_eq!(json.turns.len(), 9);
    assert!(
        std::fs::read_to_string(out.join("talks/a.srt"))
            .unwrap()
            .contains(" --> ")
    );

    // The row's `output` names the first format's file; the others sit beside it.
    let b = line_of(&lines, "list.csv:3");
    assert_eq!(b["status"], "ok");
    assert!(out.join("named/b-out.srt").is_file() && out.join("named/b-out.json").is_file());

    let missing = line_of(&lines, "list.csv:4");
    assert_eq!(
        (&missing["status"], &missing["exit_code"]),
        (&"failed".into(), &2.into())
    );
    let error = missing["error"].as_str().unwrap();
    assert!(
        error.contains("list.csv:4: recording ") && error.ends_with("not found"),
        "{error}"
    );
    let short = line_of(&lines, "list.csv:5")["error"].as_str().unwrap();
    assert!(
        short.contains("list.csv:5: the row has 1 fields"),
        "{short}"
    );
    let outside = line_of(&lines, "list.csv:6")["error"].as_str().unwrap();
    assert!(
        outside.contains("`audio` ../../etc/x.wav reaches outside"),
        "{outside}"
    );
    let escape = line_of(&lines, "list.csv:7")["error"].as_str().unwrap();
    assert!(
        escape.contains("`output` ../escape.srt reaches outside the output folder"),
        "{escape}"
    );
    assert!(!dir.path().join("escape.srt").exists());
    let other = line_of(&lines, "list.csv:8");
    assert_eq!(
        (&other["status"], &other["exit_code"]),
        (&"failed".into(), &1.into())
    );
    let error = other["error"].as_str().unwrap();
    assert!(
        error.contains("list.csv:8: ") && error.contains("does not sound like the transcript"),
        "{error}"
    );
    let mut left: Vec<PathBuf> = walk(&out);
    left.sort();
    assert_eq!(
        left,
        [
            "named/b-out.json",
            "named/b-out.srt",
            "results.jsonl",
            "talks/a.json",
            "talks/a.srt"
        ]
        .map(PathBuf::from),
        "no temporary or partial file left"
    );
}

/// Files under `dir`, relative to it.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(
                walk(&path)
                    .into_iter()
                    .map(|f| Path::new(path.file_name().unwrap()).join(f)),
            );
        } else {
            files.push(PathBuf::from(path.file_name().unwrap()));
        }
    }
    files
}

#[test]
fn a_second_run_skips_what_is_done_and_aligns_what_changed() {
    let dir = archive(&["a", "b"]);
    let manifest = write(
        dir.path(),
        "list.tsv",
        "audio\ttranscript\ntalks/a.wav\ttalks/a.txt\ntalks/b.wav\ttalks/b.txt\n",
    );
    let out = dir.path().join("out");
    let run = || batch(&[&manifest, "--out", &p(&out), "--jobs", "1"]);
    assert_eq!(run().code, 0);
    let first = std::fs::metadata(out.join("talks/a.json"))
        .unwrap()
        .modified()
        .unwrap();
    let r = run();
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.contains("0 ok, 2 skipped, 0 failed"),
        "{}",
        r.stderr
    );
    let lines = results(&out.join("results.jsonl"));
    assert_eq!(lines.len(), 4, "one line per item per run");
    let skipped = &lines[3];
    assert_eq!(skipped["status"], "skipped");
    assert_eq!(
        skipped["aligned"]["turns"], 9,
        "the earlier run's findings carried over"
    );
    assert_eq!(
        std::fs::metadata(out.join("talks/a.json"))
            .unwrap()
            .modified()
            .unwrap(),
        first
    );

    // Same size, same modification time, other content: the hash sees it.
    let transcript = dir.path().join("talks/b.txt");
    let mtime = std::fs::metadata(&transcript).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&transcript).unwrap();
    std::fs::write(&transcript, text.replacen("Kerry", "KERRY", 1)).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&transcript)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    // A line cut short by a killed run is passed over.
    let mut cut = std::fs::read_to_string(out.join("results.jsonl")).unwrap();
    cut.push_str("{\"key\":\"talks/a.js");
    std::fs::write(out.join("results.jsonl"), cut).unwrap();
    let r = run();
    assert!(
        r.stderr.contains("1 ok, 1 skipped, 0 failed"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("1 line(s) do not read back"),
        "{}",
        r.stderr
    );
    // A lost output, other options, or --redo: aligned again.
    std::fs::remove_file(out.join("talks/a.json")).unwrap();
    assert!(run().stderr.contains("1 ok, 1 skipped"));
    let words = batch(&[&manifest, "--out", &p(&out), "--words"]);
    assert!(words.stderr.contains("2 ok, 0 skipped"), "{}", words.stderr);
    let redo = batch(&[&manifest, "--out", &p(&out), "--words", "--redo"]);
    assert!(redo.stderr.contains("2 ok, 0 skipped"), "{}", redo.stderr);
}

#[test]
fn bad_manifests_and_shard_specs_are_refused_before_any_work() {
    let dir = archive(&["a", "b"]);
    let out = dir.path().join("out");
    let refused = |manifest: &str, extra: &[&str], what: &str| {
        let mut args = vec![manifest, "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let r = batch(&args);
        assert_eq!(r.code, 2, "{what}: {}", r.stderr);
        assert!(!out.exists(), "{what}: nothing written");
        r.stderr
    };
    let no_column = write(
        dir.path(),
        "cols.csv",
        "# archive\naudio,text\ntalks/a.wav,talks/a.txt\n",
    );
    let said = refused(&no_column, &[], "missing column");
    assert!(
        said.contains("cols.csv:2: the header has no `transcript` column"),
        "{said}"
    );
    let twice = write(
        dir.path(),
        "twice.jsonl",
        "{\"audio\": \"talks/a.wav\", \"transcript\": \"talks/a.txt\"}\n\
         {\"audio\": \"talks/b.wav\", \"transcript\": \"talks/b.txt\", \"output\": \"talks/a.json\"}\n",
    );
    let said = refused(&twice, &[], "duplicate outputs");
    assert!(
        said.contains("twice.jsonl:2: writes") && said.contains("twice.jsonl:1 writes too"),
        "{said}"
    );
    let good = write(
        dir.path(),
        "good.csv",
        "audio,transcript\ntalks/a.wav,talks/a.txt\n",
    );
    for spec in ["5/4", "0/0", "2"] {
        let said = refused(&good, &["--shard", spec], spec);
        assert!(said.contains(&format!("--shard {spec}:")), "{said}");
    }
    let said = refused(&p(&dir.path().join("none.csv")), &[], "missing manifest");
    assert!(said.contains("none.csv"), "{said}");
    let r = talign_with_env(
        &["batch", &good, "--out", &p(&out)],
        &[("JOB_COMPLETION_INDEX", "1")],
    );
    assert_eq!(r.code, 2, "an index without a count: {}", r.stderr);
    assert!(r.stderr.contains("--completions"), "{}", r.stderr);
}

#[test]
fn shards_take_every_nth_item_and_merge_joins_their_results() {
    let dir = archive(&["a", "b", "c"]);
    let manifest = write(
        dir.path(),
        "list.csv",
        "audio,transcript\ntalks/a.wav,talks/a.txt\ntalks/b.wav,talks/b.txt\n\
         talks/c.wav,talks/c.txt\ntalks/gone.wav,talks/a.txt\n",
    );
    let out = dir.path().join("out");
    let first = batch(&[&manifest, "--out", &p(&out), "--shard", "1/2"]);
    assert_eq!(first.code, 0, "items 1 and 3: {}", first.stderr);
    // The second shard as a Slurm array task 1 of 0-1 would see it.
    let second = talign_with_env(
        &["batch", "--progress", "none", &manifest, "--out", &p(&out)],
        &[
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "2"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
        ],
    );
    assert_eq!(second.code, 1, "item 4 is missing: {}", second.stderr);
    let one = results(&out.join("results.1-of-2.jsonl"));
    let two = results(&out.join("results.2-of-2.jsonl"));
    let keys = |lines: &[Value]| -> Vec<String> {
        lines
            .iter()
            .map(|l| {
                l["location"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let (mut k1, mut k2) = (keys(&one), keys(&two));
    k1.sort();
    k2.sort();
    assert_eq!(
        (k1, k2),
        (
            vec!["list.csv:2".to_string(), "list.csv:4".into()],
            vec!["list.csv:3".to_string(), "list.csv:5".into()]
        )
    );
    assert_eq!(two[0]["shard"], "2/2");

    let report = dir.path().join("report");
    let r = talign(&["batch", "--merge", &p(&out), "--out", &p(&report)]);
    assert_eq!(r.code, 1, "one item failed: {}", r.stderr);
    assert!(
        r.stderr.contains("4 items: 3 ok, 0 skipped, 1 failed"),
        "{}",
        r.stderr
    );
    let csv = std::fs::read_to_string(report.join("report.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 5, "{csv}");
    assert!(rows[0].starts_with("key,location,status,exit_code,duration_s"));
    assert!(rows[1].contains(",failed,2,"), "the worst first: {csv}");
    let html = std::fs::read_to_string(report.join("report.html")).unwrap();
    assert!(
        html.contains("<td>4</td><td>3</td><td>0</td><td>1</td>"),
        "totals: {html}"
    );
    assert!(html.find("gone.wav").unwrap() < html.find("talks/a.json").unwrap());
    let empty = tempfile::tempdir().unwrap();
    let r = talign(&["batch", "--merge", &p(empty.path())]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no results*.jsonl"), "{}", r.stderr);
}

#[test]
fn a_folder_pairs_recordings_with_transcripts_of_the_same_stem() {
    let dir = archive(&["a", "b"]);
    let talks = dir.path().join("talks");
    std::fs::copy(sample("clip-kerry-45s.wav"), talks.join("lonely.wav")).unwrap();
    let out = dir.path().join("out");
    let r = batch(&[&p(&talks), "--out", &p(&out), "--format", "vtt"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(out.join("a.vtt").is_file() && out.join("b.vtt").is_file());
    let lines = results(&out.join("results.jsonl"));
    let lonely = line_of(&lines, "lonely.wav");
    assert!(
        lonely["error"]
            .as_str()
            .unwrap()
            .contains("no transcript of the same name")
    );
}

#[test]
fn an_unreadable_manifest_or_a_missing_merge_folder_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // A manifest that exists but cannot be read: a symbolic link to itself (ELOOP), and a
    // file whose read fails (/proc/self/mem at offset 0: EIO, even for root).
    let looped = dir.path().join("loop.csv");
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    let r = batch(&[&p(&looped), "--out", &p(&out)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("loop.csv: cannot be read:")
            && r.stderr.contains("a symbolic link points back at itself"),
        "{}",
        r.stderr
    );
    let r = batch(&["/proc/self/mem", "--out", &p(&out)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("/proc/self/mem: cannot be read:"),
        "{}",
        r.stderr
    );
    assert!(!out.exists(), "nothing written");
    // A --merge folder that is not there.
    let gone = dir.path().join("gone");
    let r = talign(&["batch", "--merge", &p(&gone), "--out", &p(&out)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains(&format!("{}: no such file", gone.display())),
        "{}",
        r.stderr
    );
    // A --merge "folder" that is a file.
    let file = write(dir.path(), "file.txt", "not a folder\n");
    let r = talign(&["batch", "--merge", &file, "--out", &p(&out)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("file.txt: cannot be read:"),
        "{}",
        r.stderr
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_refused_row_fixed_and_aligned_leaves_the_merged_report() {
    let dir = archive(&["a"]);
    let out = dir.path().join("out");
    // Line 2 names an unknown language: refused before any work.
    let manifest = write(
        dir.path(),
        "list.csv",
        "audio,transcript,language\ntalks/a.wav,talks/a.txt,zz\n",
    );
    let r = batch(&[&manifest, "--out", &p(&out)]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let first = results(&out.join("results.jsonl"));
    assert_eq!(first.len(), 1);
    assert!(first[0]["key"].as_str().unwrap().starts_with('#'));
    // The row fixed: the item aligns.
    write(
        dir.path(),
        "list.csv",
        "audio,transcript,language\ntalks/a.wav,talks/a.txt,en\n",
    );
    let r = batch(&[&manifest, "--out", &p(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The merged report holds the item once, aligned; the old refusal is gone.
    let r = talign(&["batch", "--merge", &p(&out)]);
    assert_eq!(r.code, 0, "nothing failed: {}", r.stderr);
    assert!(
        r.stderr.contains("1 items: 1 ok, 0 skipped, 0 failed"),
        "{}",
        r.stderr
    );
    let csv = std::fs::read_to_string(out.join("report.csv")).unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(!csv.contains("#"), "{csv}");
    // The same run again skips the item, and the report is unchanged.
    let r = batch(&[&manifest, "--out", &p(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = talign(&["batch", "--merge", &p(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("1 items: 0 ok, 1 skipped, 0 failed"),
        "{}",
        r.stderr
    );
}
