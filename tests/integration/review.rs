//! `talign export` and `talign review`: export reproduces `align`'s files byte for byte from
//! the JSON, old and new schemas are read as promised, bad input is refused with exit 2 and
//! nothing written, and the review page works in headless Chromium driven over WebDriver
//! (`review/webdriver.rs`): it loads without console errors, shows every turn, plays from a
//! clicked turn, jumps between low-confidence turns, and a boundary set there comes back in
//! the SRT that `talign export` writes from the saved JSON.

#[path = "review/webdriver.rs"]
mod webdriver;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::{Value, json};
use talign::export::ExportFormat;

/// Runs `talign`; returns (exit code, stderr). Never accepts a panic.
fn talign<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_talign"))
        .args(args)
        .output()
        .expect("talign runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "talign panicked: {stderr}");
    (out.status.code().expect("an exit code"), stderr)
}

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-audio")
        .join(name)
}

/// A folder kept for the whole test run (several tests share one alignment).
fn scratch() -> PathBuf {
    tempfile::tempdir().unwrap().keep()
}

/// Every format `align` writes, as `--also` file names.
fn every_format(dir: &Path, stem: &str) -> Vec<PathBuf> {
    ExportFormat::ALL
        .iter()
        .map(|f| dir.join(format!("{stem}.{}", f.extension())))
        .collect()
}

/// Aligns the 45 s clip into `dir` in every format (plus the SMIL's XHTML), with `extra`
/// flags; returns the JSON's path.
fn align_clip_everywhere(dir: &Path, extra: &[&str]) -> PathBuf {
    let files = every_format(dir, "a");
    let json = dir.join("a.json");
    let mut args: Vec<String> = vec![
        "align".into(),
        sample("clip-kerry-45s.wav").display().to_string(),
        sample("clip-kerry-45s.txt").display().to_string(),
        "-o".into(),
        json.display().to_string(),
        "-q".into(),
    ];
    for f in files.iter().filter(|f| **f != json) {
        args.push("--also".into());
        args.push(f.display().to_string());
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let (code, stderr) = talign(&args);
    assert_eq!(code, 0, "{stderr}");
    json
}

/// The clip aligned once for the tests that only read it.
fn clip_json() -> &'static Path {
    static JSON: OnceLock<PathBuf> = OnceLock::new();
    JSON.get_or_init(|| align_clip_everywhere(&scratch(), &[]))
}

/// `align`'s files, then `export` from its JSON to the same paths: the same bytes.
fn assert_export_reproduces_align(extra: &[&str]) {
    let dir = scratch();
    let json = align_clip_everywhere(&dir, extra);
    let mut written: Vec<PathBuf> = every_format(&dir, "a");
    written.push(dir.join("a.xhtml"));
    let before: Vec<Vec<u8>> = written.iter().map(|f| std::fs::read(f).unwrap()).collect();
    // The JSON itself is written beside it (export refuses to overwrite its input).
    let json_again = dir.join("again.json");
    let targets = every_format(&dir, "a")
        .into_iter()
        .map(|f| if f == json { json_again.clone() } else { f });
    for f in targets {
        let (code, stderr) = talign(&[
            "export".as_ref(),
            json.as_os_str(),
            "-o".as_ref(),
            f.as_os_str(),
        ]);
        assert_eq!(code, 0, "{}: {stderr}", f.display());
    }
    for (f, old) in written.iter().zip(&before) {
        let f = if *f == json { &json_again } else { f };
        let new = std::fs::read(f).unwrap();
        assert!(
            &new == old,
            "{} {extra:?}: export wrote other bytes than align",
            f.display()
        );
    }
    // The subtitles really are cut at word times: the JSON holds them without --words.
    let doc: Value = serde_json::from_slice(&before[0]).unwrap();
    assert!(
        doc["turns"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["words"].is_array())
    );
    assert_eq!(doc["schema"], json!(talign::report::SCHEMA));
}

#[test]
fn export_writes_what_align_wrote_in_every_format() {
    assert_export_reproduces_align(&[]);
}

#[test]
fn export_writes_what_align_wrote_with_words_and_phones() {
    assert_export_reproduces_align(&["--words", "--phones"]);
}

#[test]
fn schema_1_json_still_reads() {
    let dir = scratch();
    let json = clip_json();
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    let object = doc.as_object_mut().unwrap();
    object.remove("schema");
    object.remove("made");
    let old = dir.join("old.json");
    std::fs::write(&old, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let srt = dir.join("old.srt");
    let (code, stderr) = talign(&[
        "export".as_ref(),
        old.as_os_str(),
        "-o".as_ref(),
        srt.as_os_str(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let aligned_srt = json.with_extension("srt");
    assert_eq!(
        std::fs::read(&srt).unwrap(),
        std::fs::read(aligned_srt).unwrap()
    );
    // `check --from` reads it as before (0 or 1: a verdict, not an input error).
    let (code, stderr) = talign(&[
        "check".as_ref(),
        "--from".as_ref(),
        old.as_os_str(),
        sample("clip-kerry-45s.txt").as_os_str(),
    ]);
    assert!(code == 0 || code == 1, "{code}: {stderr}");
    // Written again as today's schema.
    let again = dir.join("again.json");
    let (code, _) = talign(&[
        "export".as_ref(),
        old.as_os_str(),
        "-o".as_ref(),
        again.as_os_str(),
    ]);
    assert_eq!(code, 0);
    let back: Value = serde_json::from_str(&std::fs::read_to_string(&again).unwrap()).unwrap();
    assert_eq!(back["schema"], json!(talign::report::SCHEMA));
}

/// A refused command: exit 2, the message names the problem, and no file was made.
fn assert_refused(args: &[&std::ffi::OsStr], out: &Path, says: &str) {
    let (code, stderr) = talign(args);
    assert_eq!(code, 2, "{args:?}: {stderr}");
    assert!(
        stderr.contains(says),
        "{args:?}: expected `{says}` in: {stderr}"
    );
    assert!(!out.exists(), "{} was written", out.display());
}

#[test]
fn bad_input_is_refused_and_nothing_written() {
    let dir = scratch();
    let json = clip_json();
    let wav = sample("clip-kerry-45s.wav");
    let html = dir.join("r.html");
    let srt = dir.join("r.srt");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    let with = |name: &str, change: &dyn Fn(&mut Value)| {
        let mut d = doc.clone();
        change(&mut d);
        let p = dir.join(name);
        std::fs::write(&p, d.to_string()).unwrap();
        p
    };
    let newer = with("newer.json", &|d| {
        d["schema"] = json!(talign::report::SCHEMA + 1)
    });
    let empty = with("empty.json", &|d| d["turns"] = json!([]));
    let foreign = dir.join("foreign.json");
    std::fs::write(
        &foreign,
        r#"{"segments": [{"start": 0, "end": 1, "text": "hi"}]}"#,
    )
    .unwrap();
    let text = dir.join("notes.json");
    std::fs::write(&text, "Kerry: this is a transcript, not JSON\n").unwrap();
    let other_audio =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audio/click-10s.wav");
    let missing = dir.join("missing.wav");
    let o = |p: &Path| p.as_os_str().to_owned();
    let review = |audio: &Path, j: &Path| {
        vec![
            o(Path::new("review")),
            o(audio),
            o(j),
            o(Path::new("-o")),
            o(&html),
        ]
    };
    let export = |j: &Path| vec![o(Path::new("export")), o(j), o(Path::new("-o")), o(&srt)];
    let run = |args: Vec<std::ffi::OsString>, out: &Path, says: &str| {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        assert_refused(&args, out, says);
    };
    run(review(&wav, &newer), &html, "newer than this talign reads");
    run(export(&newer), &srt, "newer than this talign reads");
    run(review(&wav, &foreign), &html, "not a talign alignment");
    run(export(&foreign), &srt, "not a talign alignment");
    run(review(&wav, &text), &html, "not a talign alignment");
    run(review(&wav, &empty), &html, "no turns");
    run(review(&other_audio, json), &html, "the recording lasts");
    run(review(&missing, json), &html, "missing.wav");
    // A recording that exists but cannot be read (a symbolic link to itself), or is not
    // audio: bad input too, exit 2.
    let looped = dir.join("loop.wav");
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    run(review(&looped, json), &html, "loop.wav: cannot be read:");
    let garbage = dir.join("garbage.wav");
    std::fs::write(&garbage, b"RIFF, but not a recording at all".repeat(100)).unwrap();
    run(review(&garbage, json), &html, "garbage.wav");
    // An alignment that cannot be read, or is not there.
    let json_loop = dir.join("loop.json");
    std::os::unix::fs::symlink(&json_loop, &json_loop).unwrap();
    run(
        review(&wav, &json_loop),
        &html,
        "loop.json: cannot be read:",
    );
    run(
        review(&wav, &dir.join("none.json")),
        &html,
        "none.json: no such file",
    );
    let (code, _) = talign(&["check".as_ref(), "--from".as_ref(), newer.as_os_str()]);
    assert_eq!(code, 2, "check --from refuses a newer schema too");
}

#[test]
fn review_page_is_self_contained() {
    let dir = scratch();
    let json = clip_json();
    let html = dir.join("clip.html");
    let (code, stderr) = talign(&[
        "review".as_ref(),
        sample("clip-kerry-45s.wav").as_os_str(),
        json.as_os_str(),
        "-o".as_ref(),
        html.as_os_str(),
        "--embed-audio".as_ref(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("src=\"data:audio/wav;base64,UklGR"),
        "the WAV is embedded"
    );
    for remote in ["http://", "https://", "//cdn"] {
        assert!(!page.contains(remote), "the page refers to {remote}");
    }
    // By default the recording is referred to by its path relative to the page.
    let (code, stderr) = talign(&[
        "review".as_ref(),
        sample("clip-kerry-45s.wav").as_os_str(),
        json.as_os_str(),
        "-o".as_ref(),
        html.as_os_str(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("clip-kerry-45s.wav\""), "relative src");
    assert!(!page.contains("base64,UklGR"));
}

// ---------------------------------------------------------------------------------------
// In the browser

/// The sample aligned, its SRT and its review page (made once).
struct Sample {
    dir: PathBuf,
    json: PathBuf,
    srt: PathBuf,
    html: PathBuf,
}

/// Fails on any error the page logged to the console.
fn assert_no_console_errors(browser: &webdriver::Browser) {
    let errors: Vec<_> = browser
        .console()
        .into_iter()
        .filter(|(level, _)| level == "SEVERE")
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:?}");
}

/// The sample's alignment as JSON, to edit.
fn sample_doc(s: &Sample) -> Value {
    serde_json::from_str(&std::fs::read_to_string(&s.json).unwrap()).unwrap()
}

/// Writes `doc` as `<stem>.json` beside the sample's alignment and its review page as
/// `<stem>.html`; returns the page.
fn review_page(s: &Sample, doc: &Value, stem: &str) -> PathBuf {
    let json = s.dir.join(format!("{stem}.json"));
    std::fs::write(&json, doc.to_string()).unwrap();
    let html = s.dir.join(format!("{stem}.html"));
    let (code, stderr) = talign(&[
        "review".as_ref(),
        sample("kerry-aleppo-2016.mp3").as_os_str(),
        json.as_os_str(),
        "-o".as_ref(),
        html.as_os_str(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    html
}

fn aligned_sample() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let dir = scratch();
        let json = dir.join("sample.json");
        let srt = dir.join("sample.srt");
        let html = dir.join("sample.html");
        let (code, stderr) = talign(&[
            "align".as_ref(),
            sample("kerry-aleppo-2016.mp3").as_os_str(),
            sample("kerry-aleppo-2016.txt").as_os_str(),
            "-o".as_ref(),
            json.as_os_str(),
            "--also".as_ref(),
            srt.as_os_str(),
            "--review".as_ref(),
            html.as_os_str(),
            "-q".as_ref(),
        ]);
        assert_eq!(code, 0, "{stderr}");
        Sample {
            dir,
            json,
            srt,
            html,
        }
    })
}

fn url(path: &Path) -> String {
    format!("file://{}", path.display()).replace(' ', "%20")
}

/// Opens a review page and waits for its script and the recording's metadata.
fn open_page(browser: &webdriver::Browser, page: &Path) {
    browser.open(&url(page));
    browser.wait_for("return !!window.talignReview;", 20);
    browser.wait_for(
        "return document.getElementById('audio').readyState >= 1;",
        20,
    );
}

fn turns_of(json: &Path) -> Vec<Value> {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    doc["turns"].as_array().unwrap().clone()
}

/// `0:12:34,567` as seconds.
fn srt_seconds(stamp: &str) -> f64 {
    let (hms, ms) = stamp.split_once(',').unwrap();
    let parts: Vec<f64> = hms.split(':').map(|p| p.parse().unwrap()).collect();
    parts[0] * 3600.0 + parts[1] * 60.0 + parts[2] + ms.parse::<f64>().unwrap() / 1000.0
}

/// Cue start times of an SRT file.
fn cue_starts(srt: &str) -> Vec<f64> {
    srt.lines()
        .filter_map(|l| l.split_once(" --> "))
        .map(|(start, _)| srt_seconds(start.trim()))
        .collect()
}

#[test]
fn sample_page_in_chromium() {
    let s = aligned_sample();
    let turns = turns_of(&s.json);
    let browser = webdriver::Browser::start();
    open_page(&browser, &s.html);

    // Loads with no console error.
    assert_no_console_errors(&browser);

    // `check`'s fit of the stamps is drawn in the overview, labelled with its offset and
    // rate: the same fit `talign check --from` reports for this alignment.
    let check = Command::new(env!("CARGO_BIN_EXE_talign"))
        .args(["check".as_ref(), "--from".as_ref(), s.json.as_os_str()])
        .arg(sample("kerry-aleppo-2016.txt"))
        .args(["--format", "json"])
        .output()
        .expect("talign check runs");
    let report: Value = serde_json::from_slice(&check.stdout).expect("check's JSON");
    let (rate, offset, drift) = (
        report["fit"]["rate"].as_f64().unwrap(),
        report["fit"]["offset_s"].as_f64().unwrap(),
        report["fit"]["drift_percent"].as_f64().unwrap(),
    );
    assert!(drift > 0.1, "the sample's stamps run slow: {drift}");
    let fit = browser.run("return talignReview.fitLine();", json!([]));
    assert!((fit["rate"].as_f64().unwrap() - rate).abs() < 1e-9, "{fit}");
    assert!(
        (fit["offset_s"].as_f64().unwrap() - offset).abs() < 0.0005,
        "{fit}"
    );
    let label = fit["label"].as_str().unwrap();
    for part in [
        format!("{offset:+.1} s"),
        format!("{rate:.4}"),
        format!("{:.2}% slow", drift.abs()),
    ] {
        assert!(label.contains(&part), "`{part}` not in the label `{label}`");
    }
    let shown = browser.run(
        "return [document.getElementById('fitlabel').textContent, document.getElementById('fitkey').hidden];",
        json!([]),
    );
    assert!(shown[0].as_str().unwrap().starts_with(label), "{shown}");
    assert_eq!(shown[1], json!(false), "the fit's legend is shown");
    // One piece (no cut in the sample) across the recording, rising with the drift.
    let pieces = fit["pieces"].as_array().unwrap();
    assert_eq!(pieces.len(), 1, "{fit}");
    let piece = &pieces[0];
    let at = |key: &str| piece[key].as_f64().unwrap();
    assert!(at("to_s") - at("from_s") > 0.9 * turns.last().unwrap()["end"].as_f64().unwrap());
    assert!(
        at("y1") < at("y0"),
        "the line rises (y grows down): {piece}"
    );
    // And it is really drawn: the canvas is the fit's colour along it.
    let points: Vec<Value> = [0.25, 0.5, 0.75]
        .iter()
        .map(|f| {
            json!([
                at("x0") + f * (at("x1") - at("x0")),
                at("y0") + f * (at("y1") - at("y0"))
            ])
        })
        .collect();
    let pixels = browser.run(
        "const c = document.getElementById('overview'); const r = window.devicePixelRatio || 1; \
         const g = c.getContext('2d'); \
         return arguments[0].map(p => Array.from(g.getImageData(Math.floor(p[0] * r), Math.floor(p[1] * r), 1, 1).data));",
        json!([points]),
    );
    for (point, pixel) in points.iter().zip(pixels.as_array().unwrap()) {
        let rgba: Vec<u64> = pixel
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert!(
            rgba[..3].iter().all(|&c| c < 90) && rgba[3] > 200,
            "at {point}: {rgba:?} is not the fit's line"
        );
    }

    // Shows every turn: one row each, with its text.
    let rows = browser.run(
        "return Array.from(document.querySelectorAll('#turns tbody tr'), r => r.cells[5].textContent);",
        json!([]),
    );
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), turns.len());
    for (row, turn) in rows.iter().zip(&turns) {
        assert_eq!(row, &turn["text"]);
    }

    // Clicking turn k plays from its start.
    for k in [7usize, 60, turns.len() - 1] {
        browser.click(&format!("#turns tbody tr[data-i=\"{k}\"] td.idx"));
        let at = browser.run(
            "const a = document.getElementById('audio'); a.pause(); return [a.currentTime, talignReview.current()];",
            json!([]),
        );
        let start = turns[k]["start"].as_f64().unwrap();
        let time = at[0].as_f64().unwrap();
        assert!(
            time >= start - 0.001 && time < start + 1.0,
            "turn {k}: audio at {time}, turn starts at {start}"
        );
        assert_eq!(at[1], json!(k));
    }

    // [ sets the current turn's start at the playhead; the saved JSON holds it, marked;
    // `talign export` turns it into an SRT whose cue starts there.
    let k = 30usize;
    browser.click(&format!("#turns tbody tr[data-i=\"{k}\"] td.idx"));
    let start = turns[k]["start"].as_f64().unwrap();
    let new_start = ((start + 0.4) * 1000.0).round() / 1000.0;
    browser.run(
        "const a = document.getElementById('audio'); a.pause(); a.currentTime = arguments[0];",
        json!([new_start]),
    );
    browser.wait_for(
        &format!(
            "return Math.abs(document.getElementById('audio').currentTime - {new_start}) < 0.0005;"
        ),
        10,
    );
    browser.press("[", &[]);
    assert_eq!(
        browser.run("return talignReview.edits();", json!([])),
        json!(1)
    );
    let saved = browser.run("return talignReview.savedJson();", json!([]));
    let corrected = s.dir.join("sample.corrected.json");
    std::fs::write(&corrected, saved.as_str().unwrap()).unwrap();
    let edited = turns_of(&corrected);
    assert_eq!(edited.len(), turns.len());
    assert_eq!(edited[k]["start"].as_f64(), Some(new_start));
    assert_eq!(edited[k]["corrected"], json!(true));
    assert!(
        edited
            .iter()
            .filter(|t| t["corrected"] == json!(true))
            .count()
            == 1
    );
    let out = s.dir.join("sample.corrected.srt");
    let (code, stderr) = talign(&[
        "export".as_ref(),
        corrected.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let before = cue_starts(&std::fs::read_to_string(&s.srt).unwrap());
    let after = cue_starts(&std::fs::read_to_string(&out).unwrap());
    let near = |cues: &[f64], t: f64| cues.iter().any(|c| (c - t).abs() < 0.0005);
    assert!(near(&after, new_start), "no cue starts at {new_start}");
    assert!(!near(&before, new_start) && near(&before, start));
    assert!(!near(&after, start), "the old start {start} is still a cue");

    // Undo takes it back, redo puts it again.
    browser.press("z", &["\u{E009}"]);
    assert_eq!(
        browser.run("return talignReview.edits();", json!([])),
        json!(0)
    );
    let undone: Value = serde_json::from_str(
        browser
            .run("return talignReview.savedJson();", json!([]))
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        undone["turns"][k]["start"].as_f64(),
        turns[k]["start"].as_f64()
    );
    browser.press("y", &["\u{E009}"]);
    assert_eq!(
        browser.run("return talignReview.edits();", json!([])),
        json!(1)
    );

    assert_no_console_errors(&browser);
}

#[test]
fn n_jumps_to_the_next_low_confidence_turn() {
    let s = aligned_sample();
    // The sample aligns with confidence >= 0.5 everywhere; three turns are made unsure.
    let mut doc = sample_doc(s);
    let low = [12usize, 45, 90];
    for &k in &low {
        doc["turns"][k]["confidence"] = json!(0.2);
    }
    let html = review_page(s, &doc, "low");
    let browser = webdriver::Browser::start();
    open_page(&browser, &html);
    let rows = browser.run(
        "return document.querySelectorAll('#turns tbody tr.low').length;",
        json!([]),
    );
    assert_eq!(rows, json!(low.len()));
    for &k in low.iter().chain(&low[..1]) {
        browser.press("n", &[]);
        let at = browser.run(
            "return [talignReview.current(), document.getElementById('audio').currentTime];",
            json!([]),
        );
        assert_eq!(at[0], json!(k), "n went to {}", at[0]);
        let start = doc["turns"][k]["start"].as_f64().unwrap();
        assert!((at[1].as_f64().unwrap() - start).abs() < 0.001);
    }
    // j and k step through the turns.
    browser.press("j", &[]);
    assert_eq!(
        browser.run("return talignReview.current();", json!([])),
        json!(low[0] + 1)
    );
    browser.press("k", &[]);
    browser.press("k", &[]);
    assert_eq!(
        browser.run("return talignReview.current();", json!([])),
        json!(low[0] - 1)
    );
}

#[test]
fn anchors_stay_where_the_person_put_them() {
    let dir = scratch();
    let json = clip_json();
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    // Two fixes: turn 2 starts 0.3 s later, turn 6 ends 0.5 s earlier.
    let moved =
        |t: &Value, key: &str, by: f64| ((t[key].as_f64().unwrap() + by) * 1000.0).round() / 1000.0;
    let start2 = moved(&doc["turns"][2], "start", 0.3);
    let end6 = moved(&doc["turns"][6], "end", -0.5);
    doc["turns"][2]["start"] = json!(start2);
    doc["turns"][2]["corrected"] = json!(true);
    doc["turns"][6]["end"] = json!(end6);
    doc["turns"][6]["corrected"] = json!(true);
    let fixes = dir.join("fixes.json");
    std::fs::write(&fixes, doc.to_string()).unwrap();
    let out = dir.join("again.json");
    let (code, stderr) = talign(&[
        "align".as_ref(),
        sample("clip-kerry-45s.wav").as_os_str(),
        sample("clip-kerry-45s.txt").as_os_str(),
        "--anchors".as_ref(),
        fixes.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("2 corrected turns kept in place"),
        "{stderr}"
    );
    let again = turns_of(&out);
    let fixed = doc["turns"].as_array().unwrap();
    assert_eq!(again.len(), fixed.len());
    for k in [2, 6] {
        assert_eq!(again[k], fixed[k], "anchor {k} moved");
    }
    // The others lie inside the stretches the anchors leave, in order.
    let (s2, e2) = (
        again[2]["start"].as_f64().unwrap(),
        again[2]["end"].as_f64().unwrap(),
    );
    let (s6, e6) = (
        again[6]["start"].as_f64().unwrap(),
        again[6]["end"].as_f64().unwrap(),
    );
    for (k, t) in again.iter().enumerate() {
        let (s, e) = (t["start"].as_f64().unwrap(), t["end"].as_f64().unwrap());
        assert!(s <= e, "turn {k}");
        match k {
            0 | 1 => assert!(
                e <= s2 + 0.001,
                "turn {k} ends at {e}, after anchor 2 starts at {s2}"
            ),
            3..=5 => assert!(
                s >= e2 - 0.001 && e <= s6 + 0.001,
                "turn {k}: {s}-{e} not in {e2}-{s6}"
            ),
            7 | 8 => assert!(
                s >= e6 - 0.001,
                "turn {k} starts at {s}, before anchor 6 ends at {e6}"
            ),
            _ => {}
        }
        assert_eq!(t["corrected"] == json!(true), k == 2 || k == 6);
    }
    // Anchors that do not pair with the transcript's turns are refused.
    let mut short = doc.clone();
    short["turns"].as_array_mut().unwrap().pop();
    let bad = dir.join("short.json");
    std::fs::write(&bad, short.to_string()).unwrap();
    let none = dir.join("none.json");
    let args: [std::ffi::OsString; 7] = [
        "align".into(),
        sample("clip-kerry-45s.wav").into_os_string(),
        sample("clip-kerry-45s.txt").into_os_string(),
        "--anchors".into(),
        bad.into_os_string(),
        "-o".into(),
        none.clone().into_os_string(),
    ];
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    assert_refused(
        &args,
        &none,
        "the anchors have 8 turns but the transcript 9",
    );
}

#[test]
fn editing_in_chromium() {
    let dir = scratch();
    let json = clip_json();
    let turns = turns_of(json);
    let html = dir.join("clip.html");
    let (code, stderr) = talign(&[
        "review".as_ref(),
        sample("clip-kerry-45s.wav").as_os_str(),
        json.as_os_str(),
        "-o".as_ref(),
        html.as_os_str(),
        "--transcript".as_ref(),
        sample("clip-kerry-45s.txt").as_os_str(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let browser = webdriver::Browser::start();
    open_page(&browser, &html);
    let saved = |b: &webdriver::Browser| -> Vec<Value> {
        let text = b.run("return talignReview.savedJson();", json!([]));
        let doc: Value = serde_json::from_str(text.as_str().unwrap()).unwrap();
        doc["turns"].as_array().unwrap().clone()
    };
    let seek = |b: &webdriver::Browser, t: f64| {
        b.run(
            "const a = document.getElementById('audio'); a.pause(); a.currentTime = arguments[0];",
            json!([t]),
        );
        b.wait_for(
            &format!(
                "return Math.abs(document.getElementById('audio').currentTime - {t}) < 0.0005;"
            ),
            10,
        );
        // The page redraws (and recentres its detail view) once the seek is done.
        b.wait_for("return !document.getElementById('audio').seeking;", 10);
        std::thread::sleep(std::time::Duration::from_millis(100));
    };

    // Split turn 0 in its middle: two turns, the text shared out, both marked.
    let (s0, e0) = (
        turns[0]["start"].as_f64().unwrap(),
        turns[0]["end"].as_f64().unwrap(),
    );
    browser.click("#turns tbody tr[data-i=\"0\"] td.idx");
    let mid = ((s0 + e0) / 2.0 * 1000.0).round() / 1000.0;
    seek(&browser, mid);
    browser.press("s", &[]);
    let after = saved(&browser);
    assert_eq!(after.len(), turns.len() + 1);
    assert_eq!(after[0]["end"].as_f64(), Some(mid));
    assert_eq!(after[1]["start"].as_f64(), Some(mid));
    assert_eq!(after[1]["index"], json!(1));
    let joined = format!(
        "{} {}",
        after[0]["text"].as_str().unwrap(),
        after[1]["text"].as_str().unwrap()
    );
    let words = |t: &str| t.split_whitespace().map(String::from).collect::<Vec<_>>();
    assert_eq!(words(&joined), words(turns[0]["text"].as_str().unwrap()));
    assert!(after[0]["corrected"] == json!(true) && after[1]["corrected"] == json!(true));

    // Merge them again: one turn with the first's start and the second's end.
    browser.click("#turns tbody tr[data-i=\"0\"] td.idx");
    browser.press("m", &[]);
    let merged = saved(&browser);
    assert_eq!(merged.len(), turns.len());
    assert_eq!(merged[0]["start"].as_f64(), turns[0]["start"].as_f64());
    assert_eq!(merged[0]["end"].as_f64(), turns[0]["end"].as_f64());
    assert_eq!(
        words(merged[0]["text"].as_str().unwrap()),
        words(turns[0]["text"].as_str().unwrap())
    );

    // Text and speaker of turn 3.
    browser.click("#turns tbody tr[data-i=\"3\"] td.idx");
    browser.run(
        "document.getElementById('speaker').value = 'Moderator'; document.getElementById('text').value = 'Replaced words.';",
        json!([]),
    );
    browser.click("#apply");
    let edited = saved(&browser);
    assert_eq!(edited[3]["speaker"], json!("Moderator"));
    assert_eq!(edited[3]["text"], json!("Replaced words."));
    assert!(
        edited[3].get("words").is_none(),
        "the old word times are dropped"
    );
    let lanes = browser.run(
        "return document.querySelector('#turns tbody tr[data-i=\"3\"]').cells[1].textContent;",
        json!([]),
    );
    assert_eq!(lanes, json!("Moderator"));

    // Drag turn 5's start 0.5 s later in the detail view.
    let s5 = turns[5]["start"].as_f64().unwrap();
    browser.click("#turns tbody tr[data-i=\"5\"] td.idx");
    seek(&browser, s5 + 0.2);
    let geometry = browser.run(
        "const c = document.getElementById('detail'); c.scrollIntoView({block: 'center'}); const r = c.getBoundingClientRect(); \
         return [r.left, r.top, r.width, talignReview.view()];",
        json!([]),
    );
    let (left, top, width) = (
        geometry[0].as_f64().unwrap(),
        geometry[1].as_f64().unwrap(),
        geometry[2].as_f64().unwrap(),
    );
    let (view0, span) = (
        geometry[3][0].as_f64().unwrap(),
        geometry[3][1].as_f64().unwrap(),
    );
    let x = |t: f64| (left + (t - view0) / span * width).round() as i64;
    let y = (top + 50.0).round() as i64; // the turns' row
    browser.drag((x(s5), y), (x(s5 + 0.5), y));
    let dragged = saved(&browser);
    let new_start = dragged[5]["start"].as_f64().unwrap();
    let pixel = span / width;
    assert!(
        (new_start - (s5 + 0.5)).abs() <= 2.0 * pixel + 0.001,
        "dragged to {new_start}, wanted {}",
        s5 + 0.5
    );
    assert_eq!(dragged[5]["corrected"], json!(true));

    // Four edits; undo all of them gives the alignment back.
    assert_eq!(
        browser.run("return talignReview.edits();", json!([])),
        json!(4)
    );
    for _ in 0..4 {
        browser.click("#undo");
    }
    let undone = saved(&browser);
    // Compared as talign's turns: JavaScript writes 5.0 as 5.
    let typed = |v: Vec<Value>| -> Vec<talign::report::TurnTiming> {
        serde_json::from_value(Value::Array(v)).unwrap()
    };
    assert_eq!(typed(undone), typed(turns));
    assert_no_console_errors(&browser);
}

#[test]
fn low_confidence_words_are_marked_in_chromium() {
    let s = aligned_sample();
    let mut doc = sample_doc(s);
    // Turn k: its second word made unsure, its first sure, its third without a confidence
    // of its own (as in older JSON); every other word keeps what `align` gave it.
    let k = (0..doc["turns"].as_array().unwrap().len())
        .find(|&i| {
            doc["turns"][i]["words"]
                .as_array()
                .is_some_and(|w| w.len() >= 4)
        })
        .expect("a turn with word times");
    let low = talign::report::LOW_CONFIDENCE;
    {
        let words = doc["turns"][k]["words"].as_array_mut().unwrap();
        words[0]["confidence"] = json!(0.93);
        words[1]["confidence"] = json!(0.12);
        words[1]["fit"] = json!(-4.25);
        words[2].as_object_mut().unwrap().remove("confidence");
        words[3]["confidence"] = json!(0.2);
    }
    let html = review_page(s, &doc, "lowwords");
    // What the page should mark: every word with a confidence below the threshold.
    let turns = doc["turns"].as_array().unwrap();
    let unsure: Vec<Vec<String>> = turns
        .iter()
        .map(|t| {
            t["words"]
                .as_array()
                .map(|ws| {
                    ws.iter()
                        .filter(|w| w["confidence"].as_f64().is_some_and(|c| c < low))
                        .map(|w| w["word"].as_str().unwrap().to_string())
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();

    let browser = webdriver::Browser::start();
    open_page(&browser, &html);
    // The transcript: each row's marked words are its unsure words, in order.
    let marked = browser.run(
        "return Array.from(document.querySelectorAll('#turns tbody tr'), r => \
         Array.from(r.querySelectorAll('td.text .lowword'), m => m.textContent));",
        json!([]),
    );
    let norm = |w: &str| {
        w.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let marked: Vec<Vec<String>> = marked
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|m| norm(m.as_str().unwrap()))
                .collect()
        })
        .collect();
    let wanted: Vec<Vec<String>> = unsure
        .iter()
        .map(|ws| ws.iter().map(|w| norm(w)).collect())
        .collect();
    assert_eq!(marked, wanted, "marked words per turn");
    assert!(wanted[k].len() >= 2, "{:?}", wanted[k]);
    // Accessible: the mark says the confidence (title and description), the row says it too.
    let row = browser.run(
        "const r = document.querySelector('#turns tbody tr[data-i=\"' + arguments[0] + '\"]'); \
         const m = r.querySelector('.lowword'); \
         return [m.title, m.getAttribute('aria-description'), r.getAttribute('aria-label'), \
                 getComputedStyle(m).textDecorationStyle];",
        json!([k]),
    );
    assert_eq!(row[0], json!("low confidence 0.12, fit -4.3"), "{row}");
    assert_eq!(row[0], row[1]);
    assert!(
        row[2].as_str().unwrap().contains("low-confidence word"),
        "{row}"
    );
    assert_eq!(row[3], json!("dotted"), "not colour alone: {row}");
    // The current turn's words: the same ones marked, and no other.
    browser.click(&format!("#turns tbody tr[data-i=\"{k}\"] td.idx"));
    let buttons = browser.run(
        "document.getElementById('audio').pause(); \
         return Array.from(document.querySelectorAll('#words button'), b => [b.classList.contains('low'), b.getAttribute('aria-label')]);",
        json!([]),
    );
    let buttons = buttons.as_array().unwrap();
    let words = turns[k]["words"].as_array().unwrap();
    assert_eq!(buttons.len(), words.len());
    for (b, w) in buttons.iter().zip(words) {
        let is_low = w["confidence"].as_f64().is_some_and(|c| c < low);
        assert_eq!(b[0], json!(is_low), "{b} for {w}");
        assert_eq!(
            b[1].as_str().unwrap().contains("low confidence"),
            is_low,
            "{b}"
        );
    }
    assert_eq!(
        buttons[2][0],
        json!(false),
        "a word without confidence is not marked"
    );

    // Setting the turn's start inside its second word clips that word: its confidence and
    // fits go (a person set the boundary); the words after it keep theirs. The saved JSON
    // reads back as talign's.
    let w1 = &words[1];
    let inside = ((w1["start"].as_f64().unwrap() + w1["end"].as_f64().unwrap()) / 2.0 * 1000.0)
        .round()
        / 1000.0;
    browser.run(
        "const a = document.getElementById('audio'); a.pause(); a.currentTime = arguments[0];",
        json!([inside]),
    );
    browser.wait_for(
        &format!(
            "return Math.abs(document.getElementById('audio').currentTime - {inside}) < 0.0005;"
        ),
        10,
    );
    browser.press("[", &[]);
    let saved = browser.run("return talignReview.savedJson();", json!([]));
    let back: talign::report::Alignment =
        talign::report::read_json(saved.as_str().unwrap(), "saved").expect("talign JSON");
    assert_eq!(back.schema, talign::report::SCHEMA);
    let edited: Value = serde_json::from_str(saved.as_str().unwrap()).unwrap();
    let ws = edited["turns"][k]["words"].as_array().unwrap();
    assert_eq!(ws.len(), words.len() - 1, "the first word is cut off");
    assert_eq!(ws[0]["word"], words[1]["word"]);
    assert_eq!(ws[0]["start"].as_f64(), Some(inside));
    assert!(
        words[1].get("onset_fit").is_some(),
        "the clipped word had its fits: {}",
        words[1]
    );
    assert!(
        ["confidence", "fit", "onset_fit", "pause_fit"]
            .iter()
            .all(|k| ws[0].get(k).is_none()),
        "{}",
        ws[0]
    );
    assert_eq!(
        ws[2]["confidence"], words[3]["confidence"],
        "untouched words keep theirs"
    );
    let still = browser.run(
        "return document.querySelectorAll('#turns tbody tr[data-i=\"' + arguments[0] + '\"] .lowword').length;",
        json!([k]),
    );
    assert_eq!(
        still,
        json!(wanted[k].len() - 1),
        "the clipped word is no longer marked"
    );
}
