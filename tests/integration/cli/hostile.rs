//! Hostile input to the CLI (issue 15, docs/reliability.md): `-o` naming an input, a link, a
//! device or a FIFO; `--in-place` on files with unusual modes; out-of-range or conflicting
//! flags; an unwritable stderr; a recording that does not match its transcript.

use std::os::unix::fs::{FileTypeExt, PermissionsExt, symlink};
use std::path::Path;

use super::{Run, clip_txt, clip_wav, listing, path_str, talign};

/// A copy of the clip's recording and transcript in a fresh directory (tests that might
/// damage their inputs never touch the committed ones).
fn clip_copy() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("clip.wav");
    let txt = dir.path().join("clip.txt");
    std::fs::copy(clip_wav(), &wav).unwrap();
    std::fs::copy(clip_txt(), &txt).unwrap();
    (dir, path_str(&wav), path_str(&txt))
}

fn assert_usage_error(r: &Run, what: &str) {
    assert_eq!(r.code, 2, "{what}: {}", r.stderr);
    assert!(!r.stderr.trim().is_empty(), "{what}: says why");
}

#[test]
fn an_output_naming_an_input_is_refused_before_any_work() {
    let (dir, wav, txt) = clip_copy();
    let wav_bytes = std::fs::read(&wav).unwrap();
    let txt_bytes = std::fs::read(&txt).unwrap();
    let link = path_str(&dir.path().join("alias.txt"));
    symlink(&txt, &link).unwrap();
    let relative_wav = format!("{}/./clip.wav", dir.path().display());
    let cases: [&[&str]; 5] = [
        &["align", "-q", &wav, &txt, "-o", &wav],
        &["align", "-q", &wav, &txt, "-o", &link],
        &["vad", "-q", &wav, "-o", &relative_wav],
        &["check", "-q", &wav, &txt, "--fix", "-o", &txt],
        &["check", "-q", &wav, &txt, "--plot", &wav],
    ];
    for args in cases {
        let r = talign(args);
        assert_usage_error(&r, &args.join(" "));
        assert!(r.stderr.contains("is the input"), "{}", r.stderr);
        assert!(r.stderr.contains("choose another output"), "{}", r.stderr);
    }
    assert_eq!(std::fs::read(&wav).unwrap(), wav_bytes);
    assert_eq!(std::fs::read(&txt).unwrap(), txt_bytes);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn two_outputs_naming_one_file_are_refused() {
    let (dir, wav, txt) = clip_copy();
    let out = path_str(&dir.path().join("same"));
    let r = talign(&[
        "check", "-q", &wav, &txt, "--fix", "-o", &out, "--plot", &out,
    ]);
    assert_usage_error(&r, "-o and --plot");
    assert!(r.stderr.contains("both name"), "{}", r.stderr);
    assert!(!Path::new(&out).exists());
}

#[test]
fn dev_null_and_a_fifo_are_written_through_never_replaced() {
    let (dir, wav, _) = clip_copy();
    let r = talign(&["vad", "-q", &wav, "-o", "/dev/null"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let null = std::fs::metadata("/dev/null").unwrap();
    assert!(
        null.file_type().is_char_device(),
        "/dev/null is still a device"
    );

    let fifo = dir.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let r = talign(&["vad", "-q", "--format", "csv", &wav, "-o", &path_str(&fifo)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(reader.join().unwrap().starts_with("start,end,score\n"));
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[test]
fn a_symlinked_output_keeps_its_link_and_a_replaced_file_its_mode() {
    let (dir, wav, _) = clip_copy();
    let target = dir.path().join("regions.csv");
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("latest.csv");
    symlink("regions.csv", &link).unwrap();
    let r = talign(&["vad", "-q", "--format", "csv", &wav, "-o", &path_str(&link)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("start,end")
    );
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn fixing_in_place_keeps_the_mode_and_a_complete_backup() {
    let (dir, wav, txt) = clip_copy();
    let original = std::fs::read(&txt).unwrap();
    std::fs::set_permissions(&txt, std::fs::Permissions::from_mode(0o600)).unwrap();
    let r = talign(&["check", "-q", &wav, &txt, "--fix", "--in-place"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let backup = dir.path().join("clip.txt.bak");
    assert_eq!(
        std::fs::read(&backup).unwrap(),
        original,
        "backup is the original"
    );
    for file in [Path::new(&txt), backup.as_path()] {
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
}

#[test]
fn a_read_only_transcript_is_not_fixed_in_place() {
    let (dir, wav, txt) = clip_copy();
    let original = std::fs::read(&txt).unwrap();
    std::fs::set_permissions(&txt, std::fs::Permissions::from_mode(0o444)).unwrap();
    let r = talign(&["check", "-q", &wav, &txt, "--fix", "--in-place"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("read-only"), "{}", r.stderr);
    assert!(
        r.stderr.contains("chmod u+w"),
        "says what to do: {}",
        r.stderr
    );
    assert_eq!(std::fs::read(&txt).unwrap(), original);
    let mode = std::fs::metadata(&txt).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o444);
    assert_eq!(
        listing(dir.path()),
        ["clip.txt", "clip.wav"],
        "no backup, no temp file"
    );
}

#[test]
fn flags_out_of_range_or_ignored_are_usage_errors() {
    let (_dir, wav, txt) = clip_copy();
    for value in ["2", "-0.1", "NaN", "inf", "half"] {
        let flag = format!("--min-confidence={value}");
        let r = talign(&["check", "-q", &wav, &txt, &flag]);
        assert_usage_error(&r, value);
        assert!(r.stderr.contains("from 0 to 1"), "{}", r.stderr);
    }
    let r = talign(&["check", "-q", &wav, &txt, "-o", "fixed.txt"]);
    assert_usage_error(&r, "-o without --fix");
    let r = talign(&[
        "check",
        "-q",
        &wav,
        &txt,
        "--fix",
        "--in-place",
        "-o",
        "x.txt",
    ]);
    assert_usage_error(&r, "--in-place with -o");
    let r = talign(&[
        "align",
        "-q",
        &wav,
        &txt,
        "--reference",
        "voice",
        "--words",
        "--phones",
    ]);
    assert_usage_error(&r, "--phones with the reference voice");
}

#[test]
fn an_unwritable_stderr_never_panics() {
    let (_dir, wav, _) = clip_copy();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_talign"))
        .args(["info", "/no/such/recording.wav"])
        .stderr(full)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2), "the exit code still tells");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_talign"))
        .args(["vad", &wav, "-o", "/dev/null"])
        .stderr(full)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn a_cause_is_said_once() {
    let (dir, _, txt) = clip_copy();
    let noise = dir.path().join("noise.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&noise, spec).unwrap();
    // A steady tone: sound, but nothing the voice detector calls speech.
    for i in 0..16_000 * 2 {
        let t = i as f32 / 16_000.0;
        w.write_sample((8000.0 * (2.0 * std::f32::consts::PI * 50.0 * t).sin()) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
    let r = talign(&["align", "-q", "--force", &path_str(&noise), &txt]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr.matches("no speech found").count(),
        1,
        "{}",
        r.stderr
    );
}

/// The mismatched pairs of the hostile set: refused with exit 1 and nothing written, each
/// saying how much matched; `--force` aligns anyway.
#[test]
fn a_recording_that_does_not_match_its_transcript_is_refused() {
    let (dir, wav, txt) = clip_copy();
    let out = path_str(&dir.path().join("out.json"));
    // The recording reversed.
    let reversed = path_str(&dir.path().join("reversed.wav"));
    {
        let mut reader = hound::WavReader::open(&wav).unwrap();
        let spec = reader.spec();
        let samples: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
        let mut w = hound::WavWriter::create(&reversed, spec).unwrap();
        for frame in samples.chunks(spec.channels as usize).rev() {
            for &s in frame {
                w.write_sample(s).unwrap();
            }
        }
        w.finalize().unwrap();
    }
    // A transcript of about the clip's length about something else entirely.
    let unrelated = path_str(&dir.path().join("unrelated.txt"));
    std::fs::write(&unrelated, UNRELATED).unwrap();
    // Ten times the clip's text.
    let tenfold = path_str(&dir.path().join("tenfold.txt"));
    std::fs::write(&tenfold, std::fs::read_to_string(&txt).unwrap().repeat(10)).unwrap();
    // The clip's transcript translated: another language, read through espeak-ng's phonemes.
    let translated = path_str(&dir.path().join("translated.txt"));
    std::fs::write(&translated, TRANSLATED).unwrap();
    for (audio, transcript, says) in [
        (&reversed, &txt, "does not sound like the transcript"),
        (&wav, &unrelated, "does not sound like the transcript"),
        (&wav, &tenfold, "cannot be spoken in this recording"),
        (&wav, &translated, "read as language `ita`"),
    ] {
        let r = talign(&["align", "-q", audio, transcript, "-o", &out]);
        assert_eq!(r.code, 1, "{audio} {transcript}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{}", r.stderr);
        assert!(r.stderr.contains("--force"), "{}", r.stderr);
        assert!(!Path::new(&out).exists(), "nothing written on refusal");
    }
    let r = talign(&["align", "-q", "--force", &reversed, &txt, "-o", &out]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(Path::new(&out).exists());
    let r = talign(&["align", "-q", "--force", &wav, &translated, "-o", &out]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// The summary says how many transcribed turns the model did not hear.
#[test]
fn the_summary_counts_turns_not_heard() {
    let (_dir, wav, txt) = clip_copy();
    let r = talign(&["align", &wav, &txt]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let summary = r.stderr.lines().last().unwrap();
    assert!(
        summary.contains("of 5 transcribed turns not heard"),
        "{summary}"
    );
}

/// About as many words as the clip, on a subject it never touches.
const UNRELATED: &str = "Narrator\n\nThe recipe begins with flour, butter and a pinch of \
salt, rubbed together until the mixture looks like fine breadcrumbs. Add cold water one \
spoonful at a time and bring the dough together without kneading it.\n\nBaker\n\nWrap the \
pastry and let it rest in the refrigerator for half an hour, then roll it out on a floured \
board until it is thin enough to read a newspaper through.\n";

/// The clip's transcript in Italian, as a translated subtitle file would give it: its labels,
/// stamps and notes as they were, its speech translated (61 words).
const TRANSLATED: &str = "Kerry\n\n[00:00]\n\nEd è proprio questo che è successo nella \
riunione. I russi rimandano l'idea a Mosca. E domani sapremo se è sì o no, o qualche \
variante.\n\nFemale voice\n\n[00:10]\n\nTranslates. Speaks Arabic/Syrian\n\nKerry\n\n\
[00:18]\n\nEcco a che punto siamo.\n\nFemale voice\n\n[00:20]\n\nTranslates. Speaks \
Arabic/Syrian\n\nMale voice\n\n[00:24]\n\nGrazie.\n\nKerry?\n\n[00:26]\n\nChe cosa ... \
qual è la sua idea di che cosa farebbe la differenza?\n\nFemale voice\n\n[00:30]\n\n\
Translates. Speaks Arabic/Syrian\n\nMale voice\n\n[00:37]\n\nSpeaks Arabic/Syrian\n\n\
Female voice\n\n[00:30]\n\nTranslates. Speaks English ... Sinceramente, non credo che gli \
Stati Uniti debbano avere un ruolo di controllo all'interno della Siria.\n";

/// A transcript file far too large for the recording's declared length is refused from its
/// size alone, before it is read or parsed (a 50 MB one took seconds just to parse).
#[test]
fn a_transcript_far_too_large_for_the_recording_is_refused_before_reading() {
    let (dir, wav, _) = clip_copy();
    let huge = dir.path().join("huge.txt");
    let turn = "Kerry\n\nword number here and there, said the man with the long beard.\n\n";
    std::fs::write(&huge, turn.repeat(80_000)).unwrap();
    let out = path_str(&dir.path().join("out.json"));
    let r = talign(&["align", "-q", &wav, &path_str(&huge), "-o", &out]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for part in ["far too long for 48.2 s of audio", "bytes", "--force"] {
        assert!(r.stderr.contains(part), "{}", r.stderr);
    }
    assert!(!Path::new(&out).exists(), "nothing written on refusal");
}
