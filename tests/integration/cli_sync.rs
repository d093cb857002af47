//! `talign sync` on the 48 s Kerry clip (`sample-audio/clip-kerry-45s.*`): subtitles made
//! from its true turn times, then moved (offset), stretched (25/23.976 fps), cut against an
//! edited recording (a split), given with another recording (refused), and every kind of bad
//! input the issue lists (exit 2, the line and cue named, nothing written).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use talign::subtitle::{SubtitleFormat, Subtitles};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn talign<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    talign_with(args, &[])
}

/// [`talign`] with environment variables set.
fn talign_with<S: AsRef<std::ffi::OsStr>>(args: &[S], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_talign"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("talign runs");
    let run = Run {
        code: out.status.code().expect("talign exits with a code"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "talign panicked: {}",
        run.stderr
    );
    run
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn clip() -> PathBuf {
    root().join("sample-audio/clip-kerry-45s.wav")
}

/// `talign sync CLIP SUBS -o OUT`.
fn sync_clip(subs: &Path, out: &Path) -> Run {
    sync_audio(&clip(), subs, out, &[])
}

/// `talign sync AUDIO SUBS -o OUT [MORE...]`.
fn sync_audio(audio: &Path, subs: &Path, out: &Path, more: &[&str]) -> Run {
    talign(&sync_args(audio, subs, out, more))
}

/// [`sync_audio`] printing its stages on stderr (`TALIGN_STAGE_TIMES`).
fn sync_audio_staged(audio: &Path, subs: &Path, out: &Path, more: &[&str]) -> Run {
    talign_with(
        &sync_args(audio, subs, out, more),
        &[("TALIGN_STAGE_TIMES", "1")],
    )
}

fn sync_args<'a>(
    audio: &'a Path,
    subs: &'a Path,
    out: &'a Path,
    more: &'a [&'a str],
) -> Vec<&'a std::ffi::OsStr> {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "sync".as_ref(),
        audio.as_os_str(),
        subs.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ];
    args.extend(more.iter().map(std::ffi::OsStr::new));
    args
}

/// The stage in which the sync reads the recording again for the aligner's hearings.
const READ_AGAIN: &str = "stage reading the recording again";

/// Refused as subtitles of another recording: exit 1, said so, nothing written.
fn assert_refused_as_another_recording(r: &Run, out: &Path) {
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("another recording"), "{}", r.stderr);
    assert!(!out.exists());
}

/// `r` refused the subtitles as another recording's, naming `--no-words` for a translation;
/// with `--no-words` the same files are synced by the speech, 10 of `cues` (true times) within
/// 0.1 s.
fn assert_refused_then_synced_by_the_speech(
    r: &Run,
    (audio, subs, out): (&Path, &Path, &Path),
    cues: &[(f64, f64, String)],
) {
    assert_refused_as_another_recording(r, out);
    assert!(r.stderr.contains("with --no-words"), "{}", r.stderr);
    let by_speech = sync_audio(audio, subs, out, &["--no-words"]);
    assert_eq!(by_speech.code, 0, "{}", by_speech.stderr);
    assert_starts_on(out, cues, 0.1, 10);
}

/// The clip's cues: true (start, end) seconds and text (untranscribed turns in brackets).
fn truth() -> Vec<(f64, f64, String)> {
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("sample-audio/clip-kerry-45s.truth.json")).unwrap(),
    )
    .unwrap();
    let transcript =
        talign::transcript::read(&root().join("sample-audio/clip-kerry-45s.txt"), None).unwrap();
    json["turns"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&transcript.turns)
        .map(|(t, turn)| {
            let text = turn.words().collect::<Vec<_>>().join(" ");
            let text = if turn.transcribed {
                text
            } else {
                format!("[{text}]")
            };
            (
                t["start"].as_f64().unwrap(),
                t["end"].as_f64().unwrap(),
                text,
            )
        })
        .collect()
}

fn stamp(s: f64) -> String {
    talign::subtitle::TimeStyle::SRT.format((s * 1000.0).round() as i64)
}

fn srt(cues: &[(f64, f64, String)], map: impl Fn(f64) -> f64) -> String {
    cues.iter()
        .enumerate()
        .map(|(i, (s, e, t))| {
            format!(
                "{}\n{} --> {}\n{t}\n\n",
                i + 1,
                stamp(map(*s)),
                stamp(map(*e))
            )
        })
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn starts(path: &Path) -> Vec<f64> {
    Subtitles::read(path, None)
        .unwrap()
        .cues
        .iter()
        .map(|c| c.start_ms as f64 / 1000.0)
        .collect()
}

/// At least `at_least` of the synced cues in `out` start within `tolerance` of `cues`' starts.
fn assert_starts_on(out: &Path, cues: &[(f64, f64, String)], tolerance: f64, at_least: usize) {
    let want: Vec<f64> = cues.iter().map(|c| c.0).collect();
    let got = starts(out);
    assert!(
        within(&got, &want, tolerance) >= at_least,
        "{got:?} vs {want:?}"
    );
}

fn within(got: &[f64], want: &[f64], tolerance: f64) -> usize {
    got.iter()
        .zip(want)
        .filter(|(g, w)| (*g - *w).abs() <= tolerance)
        .count()
}

fn report(run: &Run) -> Value {
    let at = run.stderr.find('{').expect("a JSON report on stderr");
    serde_json::from_str(&run.stderr[at..]).expect("the report is JSON")
}

#[test]
fn an_offset_is_undone_onto_the_words() {
    let dir = tempfile::tempdir().unwrap();
    let cues = truth();
    let subs = write(dir.path(), "late.srt", &srt(&cues, |t| t + 2.3));
    let out = dir.path().join("out.srt");
    let r = sync_audio(&clip(), &subs, &out, &["--report", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let want: Vec<f64> = cues.iter().map(|c| c.0).collect();
    let got = starts(&out);
    assert!(within(&got, &want, 0.05) >= 8, "{got:?} vs {want:?}");
    let rep = report(&r);
    assert!(
        (rep["offset_s"].as_f64().unwrap() + 2.3).abs() < 0.1,
        "{rep}"
    );
    assert_eq!(rep["ratio"].as_f64().unwrap(), 1.0);
    assert_eq!(rep["evidence"], "words");
    // Only times change: the text is the input's.
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains(&cues[0].2), "{text}");
}

#[test]
fn a_frame_rate_ratio_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let cues = truth();
    let ratio = (24000.0 / 1001.0) / 25.0;
    let subs = write(dir.path(), "pal.srt", &srt(&cues, |t| t * ratio + 1.0));
    let out = dir.path().join("out.vtt");
    let r = sync_clip(&subs, &out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // On 48 s, 25/23.976 and 25/24 differ by 48 ms at the end: either is right.
    assert!(r.stderr.contains("ratio 1.04"), "{}", r.stderr);
    // Written as WebVTT, as the -o extension asks.
    let synced = Subtitles::read(&out, None).unwrap();
    assert_eq!(synced.format, SubtitleFormat::Vtt);
    assert_starts_on(&out, &cues, 0.1, 8);
}

#[test]
fn a_cut_is_a_split_and_its_cues_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let cues = truth();
    // Cut the material of cues 4 and 5 (from the gap before cue 4 to the gap after cue 5).
    let mut reader = hound::WavReader::open(clip()).unwrap();
    let spec = reader.spec();
    let samples: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
    let rate = f64::from(spec.sample_rate);
    let from = (cues[2].1 + cues[3].0) / 2.0;
    let to = (cues[4].1 + cues[5].0) / 2.0;
    let cut_s = to - from;
    let edited = dir.path().join("edited.wav");
    let mut w = hound::WavWriter::create(&edited, spec).unwrap();
    for (i, s) in samples.iter().enumerate() {
        let t = i as f64 / rate;
        if !(from..to).contains(&t) {
            w.write_sample(*s).unwrap();
        }
    }
    w.finalize().unwrap();
    let subs = write(dir.path(), "uncut.srt", &srt(&cues, |t| t));
    let out = dir.path().join("out.srt");
    let r = sync_audio(&edited, &subs, &out, &["--report", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rep = report(&r);
    assert_eq!(rep["cut_cues"], serde_json::json!([4, 5]), "{rep}");
    let splits = rep["splits"].as_array().unwrap();
    assert_eq!(splits.len(), 1, "{rep}");
    assert_eq!(splits[0]["after_cue"], 3);
    assert!(
        (splits[0]["jump_s"].as_f64().unwrap() + cut_s).abs() < 0.3,
        "{rep}"
    );
    let got = starts(&out);
    for (k, c) in cues.iter().enumerate().filter(|(k, _)| ![3, 4].contains(k)) {
        let want = if k > 4 { c.0 - cut_s } else { c.0 };
        assert!(
            (got[k] - want).abs() <= 0.1,
            "cue {}: {} vs {want}",
            k + 1,
            got[k]
        );
    }
    // The cut cues stay between their neighbours, in order.
    assert!(
        got[2] <= got[3] && got[3] <= got[4] && got[4] <= got[5],
        "{got:?}"
    );
}

/// The clip played backwards (the same voices and pauses, none of the words), `repeats`
/// times in a row, in `dir`; and its length in seconds.
fn reversed_clip(dir: &Path, repeats: usize) -> (PathBuf, f64) {
    let mut reader = hound::WavReader::open(clip()).unwrap();
    let spec = reader.spec();
    let mut samples: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
    samples.reverse();
    let reversed = dir.join("reversed.wav");
    let mut w = hound::WavWriter::create(&reversed, spec).unwrap();
    for _ in 0..repeats {
        samples.iter().for_each(|s| w.write_sample(*s).unwrap());
    }
    w.finalize().unwrap();
    let seconds = samples.len() as f64 / (f64::from(spec.sample_rate) * f64::from(spec.channels));
    (reversed, seconds)
}

#[test]
fn subtitles_of_another_recording_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let (reversed, _) = reversed_clip(dir.path(), 1);
    let subs = write(dir.path(), "clip.srt", &srt(&truth(), |t| t));
    let out = dir.path().join("out.srt");
    let r = sync_audio(&reversed, &subs, &out, &[]);
    assert_refused_as_another_recording(&r, &out);
    // Timing every cue by its own words does not make them this recording's.
    let r = sync_audio(&reversed, &subs, &out, &["--each-cue"]);
    assert_refused_as_another_recording(&r, &out);
}

/// Over ten minutes (heard piece by piece first) and none of the cues' words: hearing the
/// cues in groups finds none, and the whole transcript's alignment, which would find none
/// either, is skipped; the subtitles are refused as before.
#[test]
fn a_long_recording_without_the_cues_words_is_refused_without_aligning_them_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (reversed, seconds) = reversed_clip(dir.path(), 13);
    assert!(13.0 * seconds > 600.0);
    let once = truth();
    let cues: Vec<(f64, f64, String)> = (0..13)
        .flat_map(|k| {
            let shift = k as f64 * seconds;
            once.iter()
                .map(move |(s, e, t)| (s + shift, e + shift, t.clone()))
        })
        .collect();
    let subs = write(dir.path(), "long.srt", &srt(&cues, |t| t));
    let out = dir.path().join("out.srt");
    let r = sync_audio_staged(&reversed, &subs, &out, &[]);
    assert_refused_as_another_recording(&r, &out);
    assert!(
        r.stderr.contains("stage hearing the cues piece by piece"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("stage hearing the cues as a transcript"),
        "{}",
        r.stderr
    );
}

/// Subtitles that run far past a short recording: when more than half their cues would start
/// after its end at any ratio and offset, the refusal comes before any listening, names
/// the first such cue, and nothing is written.
#[test]
fn subtitles_far_longer_than_the_recording_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut cues = truth();
    let own = cues.len();
    // Twice as many cues again, from 200 s on: past the 45 s clip plus the 60 s of
    // --max-offset even at the fastest frame-rate ratio (30/23.976).
    for i in 0..2 * own {
        let start = 200.0 + 5.0 * i as f64;
        cues.push((start, start + 2.0, format!("Line {i} of a longer film.")));
    }
    let subs = write(dir.path(), "long.srt", &srt(&cues, |t| t));
    let out = dir.path().join("out.srt");
    let r = sync_clip(&subs, &out);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let first_late = format!("from cue {} (at 200.0 s) on", own + 1);
    assert!(r.stderr.contains(&first_late), "{}", r.stderr);
    assert!(r.stderr.contains("far shorter"), "{}", r.stderr);
    assert!(!out.exists());
}

/// The clip's cue times with other words of the same speaker and speech (turns from later in
/// the Kerry recording): the cues fall on the clip's speech exactly, and a few of their words
/// land where the cues are by chance, but none fits the audio clearly there.
#[test]
fn other_words_at_the_right_times_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let later =
        talign::transcript::read(&root().join("sample-audio/kerry-aleppo-2016.txt"), None).unwrap();
    let texts: Vec<String> = later
        .turns
        .iter()
        .filter(|t| t.transcribed)
        .skip(40)
        .map(|t| t.words().take(30).collect::<Vec<_>>().join(" "))
        .collect();
    let cues: Vec<(f64, f64, String)> = truth()
        .into_iter()
        .zip(texts)
        .map(|((s, e, _), text)| (s, e, text))
        .collect();
    let subs = write(dir.path(), "other.srt", &srt(&cues, |t| t + 1.5));
    let out = dir.path().join("out.srt");
    let r = sync_clip(&subs, &out);
    assert_refused_as_another_recording(&r, &out);
}

/// The opening of the Spanish game dialogue (12 turns, two actors; `drascula-es-ch1-opening`)
/// and its cues: true (start, end) seconds and text.
fn spanish_cues() -> (PathBuf, Vec<(f64, f64, String)>) {
    let dir = root().join("tests/fixtures/real/drascula-es-ch1-opening");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap();
    let cues = json["turns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let (s, e) = (t["start"].as_f64().unwrap(), t["end"].as_f64().unwrap());
            (s, e, t["text"].as_str().unwrap().to_string())
        })
        .collect();
    (dir.join("audio.flac"), cues)
}

/// The Spanish cues 2.3 s late, written in `dir`: the recording, the true cues, the
/// subtitle file and where the synced one goes.
fn late_spanish_cues(dir: &Path) -> (PathBuf, Vec<(f64, f64, String)>, PathBuf, PathBuf) {
    let (audio, cues) = spanish_cues();
    let subs = write(dir, "late.srt", &srt(&cues, |t| t + 2.3));
    (audio, cues, subs, dir.join("out.srt"))
}

/// Spanish subtitles 2.3 s late are heard through espeak-ng's Spanish voice (the language
/// told from the text) and land on their words; `--lang en` hears them as English words.
#[test]
fn spanish_cues_are_heard_through_espeak_ngs_voice() {
    let dir = tempfile::tempdir().unwrap();
    let (audio, cues, subs, out) = late_spanish_cues(dir.path());
    let r = sync_audio(&audio, &subs, &out, &["--report", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rep = report(&r);
    assert_eq!(rep["evidence"], "words", "{rep}");
    assert_eq!(rep["language"], "spa", "{rep}");
    assert!(
        rep["notes"][0].as_str().unwrap().contains("`es` voice"),
        "{rep}"
    );
    assert!(rep["cues_heard"].as_u64().unwrap() >= 10, "{rep}");
    assert_starts_on(&out, &cues, 0.05, 11);
    // The note is said with the text summary.
    let text = sync_audio(&audio, &subs, &out, &[]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stderr
            .contains("talign: note: cue text read as language `spa`"),
        "{}",
        text.stderr
    );
    let english = sync_audio(&audio, &subs, &out, &["--lang", "en", "--report", "json"]);
    assert_eq!(report(&english)["notes"], serde_json::json!([]));
}

/// The Spanish recording with its cues translated into English (the English release's lines,
/// at the Spanish cues' times): the words are not heard, which another recording's cues show
/// too, so the sync refuses them and says what to do; `--no-words` syncs them by the speech.
#[test]
fn translated_cues_are_refused_with_the_way_to_sync_them() {
    let dir = tempfile::tempdir().unwrap();
    let (audio, cues) = spanish_cues();
    let english = [
        "YOU, BARTENDER...!!",
        "WHAT HAPPENED? WHAT'S THE MATTER?",
        "I WOULD LIKE TO HAVE A ROOM PLEASE.",
        "OK. ROOM 512. UPSTAIRS. THE KEY IS UNDER THE DOOR.",
        "DO YOU KNOW WHERE I CAN FIND THE MAN CALLED DRASCULA?",
        "COUNT DRASCULA!!?",
        "YES, SO WHAT?",
        "NO, NOTHING. THAT GUY JUST HAS A BAD REPUTATION AROUND HERE.",
        "SO?",
        "WELL, THERE ARE ALL KINDS OF STORIES GOING AROUND ABOUT HIM, SOME SAY HE IS A VAMPIRE \
         WHO KIDNAPS PEOPLE TO SUCK THEIR BLOOD.",
        "HOWEVER, SOME OTHERS SAY THAT HE IS JUST AN ORGAN-DEALER AND THAT IS THE REASON WHY \
         THERE ARE BODY PARTS ALL OVER THE PLACE.",
        "IS...THAT RIGHT?",
    ];
    let translated: Vec<(f64, f64, String)> = cues
        .iter()
        .zip(english)
        .map(|(c, text)| (c.0, c.1, text.to_string()))
        .collect();
    let subs = write(dir.path(), "english.srt", &srt(&translated, |t| t + 2.3));
    let out = dir.path().join("out.srt");
    let r = sync_audio(&audio, &subs, &out, &[]);
    assert_refused_then_synced_by_the_speech(&r, (&audio, &subs, &out), &cues);
}

/// Without espeak-ng, Spanish subtitles are synced by the speech alone, and a note says why
/// and what to install.
#[test]
fn without_espeak_ng_other_language_cues_are_synced_by_the_speech() {
    let dir = tempfile::tempdir().unwrap();
    let (audio, _, subs, out) = late_spanish_cues(dir.path());
    let missing = [("TALIGN_ESPEAK_LIB", "/nonexistent/libespeak-ng.so.1")];
    let args = sync_args(&audio, &subs, &out, &[]);
    let r = talign_with(&args, &missing);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("install espeak-ng"), "{}", r.stderr);
    assert!(r.stderr.contains("on speech)"), "{}", r.stderr);
}

/// The Spanish cues at their right times with each other's text: their words are heard
/// neither where the speech puts the cues nor better there than elsewhere, as another
/// recording's cues (or a translation's) are not, so the file is refused with the way to sync
/// a translation; `--no-words` syncs it by the speech.
#[test]
fn spanish_cues_whose_words_fit_no_better_in_place_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (audio, cues) = spanish_cues();
    let n = cues.len();
    let shuffled: Vec<(f64, f64, String)> = (0..n)
        .map(|k| (cues[k].0, cues[k].1, cues[(k + n / 2) % n].2.clone()))
        .collect();
    let subs = write(dir.path(), "other.srt", &srt(&shuffled, |t| t + 1.5));
    let out = dir.path().join("out.srt");
    let r = sync_audio(&audio, &subs, &out, &["--report", "json"]);
    assert!(
        r.stderr.contains("nor better there than elsewhere"),
        "{}",
        r.stderr
    );
    assert_refused_then_synced_by_the_speech(&r, (&audio, &subs, &out), &shuffled);
}

/// Six sentences spoken by espeak-ng's Russian voice, their cues 2.3 s late: the English
/// model hears Russian phonemes poorly, so few cues are heard clearly in place, but their
/// words fit best where the speech puts them: placed by the speech, with a note that says so.
#[test]
fn russian_cues_heard_poorly_are_placed_by_the_speech_where_their_words_fit_best() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = root().join("tests/fixtures/sync");
    let truth = Subtitles::read(&fixtures.join("russian-espeak.srt"), None).unwrap();
    let cues: Vec<(f64, f64, String)> = truth
        .cues
        .iter()
        .map(|c| {
            let s = |ms: i64| ms as f64 / 1000.0;
            (s(c.start_ms), s(c.end_ms), c.text.clone())
        })
        .collect();
    let subs = write(dir.path(), "late.srt", &srt(&cues, |t| t + 2.3));
    let out = dir.path().join("out.srt");
    let audio = fixtures.join("russian-espeak.flac");
    let r = sync_audio(&audio, &subs, &out, &["--report", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rep = report(&r);
    assert_eq!(rep["evidence"], "speech", "{rep}");
    let note = rep["notes"][1].as_str().unwrap();
    assert!(note.contains("language `rus`"), "{rep}");
    assert!(
        note.contains("where their words fit better than elsewhere"),
        "{rep}"
    );
    assert!(note.contains("cues fit best in place"), "{rep}");
    assert_starts_on(&out, &cues, 0.05, 6);
    // Two of them are too few to tell whether they fit best in place: the speech's placement
    // stands, and the note says it was not confirmed.
    let two = write(dir.path(), "two.srt", &srt(&cues[..2], |t| t + 2.3));
    let r = sync_audio(&audio, &two, &out, &["--report", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rep = report(&r);
    let note = rep["notes"][1].as_str().unwrap();
    assert!(note.contains("not confirmed by their words"), "{rep}");
}

/// The clip at 10 dB SNR with its own cues, late by 1.5 s: noise lowers the fit, but the
/// matched cues are still heard clearly in place (not refused), and land on their words.
#[test]
fn a_noisy_recording_with_its_own_cues_is_not_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cues = truth();
    let subs = write(dir.path(), "late.srt", &srt(&cues, |t| t + 1.5));
    let out = dir.path().join("out.srt");
    let noisy = root().join("sample-audio/clip-kerry-45s-snr10.mp3");
    let r = sync_audio(&noisy, &subs, &out, &["--report", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rep = report(&r);
    assert!(rep["confidence"].as_f64().unwrap() >= 0.6, "{rep}");
    let want: Vec<f64> = cues.iter().map(|c| c.0).collect();
    let got = starts(&out);
    assert!(within(&got, &want, 0.05) >= 8, "{got:?} vs {want:?}");
}

/// The cues with words (of `cues`, every cue of the file) not cut whose start in `out` is
/// more than 0.1 s from `want` (its truth), each as `cue N: got for want`.
fn worded_cues_off(want: &[Option<f64>], cues: &[(f64, f64, String)], out: &Path) -> Vec<String> {
    want.iter()
        .zip(cues)
        .zip(&starts(out))
        .enumerate()
        .filter(|(_, ((w, c), _))| w.is_some() && !c.2.starts_with('['))
        .filter(|(_, ((w, _), g))| (w.unwrap() - **g).abs() > 0.1)
        .map(|(k, ((w, _), g))| format!("cue {}: {g:.2} for {:.2}", k + 1, w.unwrap()))
        .collect()
}

/// The clip four times over, some of its material cut (see [`clip_four_times`]).
struct FourTimes {
    audio: PathBuf,
    /// Every cue as the subtitles have it: (start, end, text).
    cues: Vec<(f64, f64, String)>,
    /// Each cue's true start in the recording; `None` for cut cues.
    want: Vec<Option<f64>>,
}

/// The clip four times over (192 s; 36 cues, 20 with words, most on their own line), with
/// the material of the cues numbered in `cut` (1-based) left out, at the gaps around them.
fn clip_four_times(dir: &Path, cut: &[usize]) -> FourTimes {
    let cues = truth();
    let mut reader = hound::WavReader::open(clip()).unwrap();
    let spec = reader.spec();
    let samples: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
    let rate = f64::from(spec.sample_rate);
    let length = samples.len() as f64 / rate;
    let all: Vec<(f64, f64, String)> = (0..4)
        .flat_map(|copy| {
            let at = f64::from(copy) * length;
            cues.iter()
                .map(move |(s, e, t)| (s + at, e + at, t.clone()))
        })
        .collect();
    // Each cut cue's material: from the middle of the gap before it to the middle of the
    // gap after it.
    let lost: Vec<(f64, f64)> = cut
        .iter()
        .map(|&number| {
            let k = number - 1;
            let from = if k == 0 {
                0.0
            } else {
                (all[k - 1].1 + all[k].0) / 2.0
            };
            let to = all
                .get(k + 1)
                .map_or(4.0 * length, |next| (all[k].1 + next.0) / 2.0);
            (from, to)
        })
        .collect();
    let audio = dir.join("four.wav");
    let mut w = hound::WavWriter::create(&audio, spec).unwrap();
    for copy in 0..4 {
        for (i, s) in samples.iter().enumerate() {
            let t = copy as f64 * length + i as f64 / rate;
            if !lost.iter().any(|&(a, b)| (a..b).contains(&t)) {
                w.write_sample(*s).unwrap();
            }
        }
    }
    w.finalize().unwrap();
    let want = all
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let removed: f64 = lost.iter().filter(|l| l.1 <= c.0).map(|l| l.1 - l.0).sum();
            (!cut.contains(&(k + 1))).then_some(c.0 - removed)
        })
        .collect();
    FourTimes {
        audio,
        cues: all,
        want,
    }
}

/// A constant offset on a recording long enough to sample: the speech's offset is confirmed
/// by a sample of the cues (the fast path, no transcript alignment), and the cues still land
/// on their words.
#[test]
fn a_clear_offset_is_confirmed_by_a_sample_of_cues() {
    let dir = tempfile::tempdir().unwrap();
    let FourTimes { audio, cues, want } = clip_four_times(dir.path(), &[]);
    let subs = write(dir.path(), "late.srt", &srt(&cues, |t| t + 2.3));
    let out = dir.path().join("out.srt");
    let r = sync_audio_staged(&audio, &subs, &out, &["--report", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rep = report(&r);
    assert_eq!(rep["sampled"], true, "{rep}");
    assert!(!r.stderr.contains(READ_AGAIN), "{}", r.stderr);
    assert!(rep["splits"].as_array().unwrap().is_empty(), "{rep}");
    assert!(rep["confidence"].as_f64().unwrap() >= 0.6, "{rep}");
    let want: Vec<f64> = want.into_iter().flatten().collect();
    let got = starts(&out);
    assert!(within(&got, &want, 0.05) >= 32, "{got:?} vs {want:?}");
}

/// Two cues cut from the third copy (one with words): every cue after the cut is heard out
/// of place at the speech's single offset, so the sample refuses the fast path and the
/// careful path finds the split and lands the cues with words on them.
#[test]
fn a_cut_sends_the_sync_down_the_careful_path() {
    let dir = tempfile::tempdir().unwrap();
    let FourTimes { audio, cues, want } = clip_four_times(dir.path(), &[24, 25]);
    let subs = write(dir.path(), "uncut.srt", &srt(&cues, |t| t));
    let out = dir.path().join("out.srt");
    let r = sync_audio_staged(&audio, &subs, &out, &["--report", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rep = report(&r);
    assert_eq!(rep["sampled"], false, "{rep}");
    // Read again once, for the whole-file alignment and the gaps between stretches both.
    assert_eq!(r.stderr.matches(READ_AGAIN).count(), 1, "{}", r.stderr);
    let splits = rep["splits"].as_array().unwrap();
    assert_eq!(splits.len(), 1, "{rep}");
    let cut_s = cues[35].0 - want[35].unwrap();
    assert!(
        (splits[0]["jump_s"].as_f64().unwrap() + cut_s).abs() < 0.3,
        "{rep}"
    );
    // The cues with words of the other copies land on them (the third copy's, beside the
    // cut, are mostly untranscribed or partly translated: nothing tells their side).
    let got = starts(&out);
    for (k, w) in want
        .iter()
        .enumerate()
        .filter(|(k, _)| !(18..27).contains(k))
    {
        if let Some(w) = w.filter(|_| !cues[k].2.starts_with('[')) {
            assert!(
                (got[k] - w).abs() <= 0.1,
                "cue {}: {} vs {w}",
                k + 1,
                got[k]
            );
        }
    }
}

/// The clip's true cues, as a reference file and 4 s late: (cues, reference, late).
fn reference_and_late(dir: &Path) -> (Vec<(f64, f64, String)>, PathBuf, PathBuf) {
    let cues = truth();
    let reference = write(dir, "ref.srt", &srt(&cues, |t| t));
    let late = write(dir, "late.srt", &srt(&cues, |t| t + 4.0));
    (cues, reference, late)
}

#[test]
fn a_reference_file_gives_the_timing() {
    let dir = tempfile::tempdir().unwrap();
    let (cues, reference, subs) = reference_and_late(dir.path());
    let r = talign(&[
        "sync".as_ref(),
        "--reference".as_ref(),
        reference.as_os_str(),
        subs.as_os_str(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let synced = Subtitles::parse(&r.stdout, None).unwrap();
    for (c, t) in synced.cues.iter().zip(&cues) {
        assert!(
            (c.start_ms as f64 / 1000.0 - t.0).abs() <= 0.05,
            "{c:?} vs {t:?}"
        );
    }
}

/// `cues` timed loosely, each off by its own amount (1.5 s give or take up to 1.2 s), and
/// for 23.976 fps against 25 fps audio; and that ratio (subtitle time per audio time).
fn loose_for_another_frame_rate(cues: &[(f64, f64, String)]) -> (Vec<(f64, f64, String)>, f64) {
    let pace = [0.4, -1.2, 1.2, -0.4];
    let ratio = 25.0 / (24000.0 / 1001.0);
    let loose = cues
        .iter()
        .enumerate()
        .map(|(k, (s, e, t))| {
            let d = 1.5 + pace[k % pace.len()];
            (s * ratio + d, e * ratio + d, t.clone())
        })
        .collect();
    (loose, ratio)
}

/// Subtitles timed loosely, cue by cue, and for 23.976 fps against 25 fps audio: their own
/// starts drift 8 s from their words over the clip, so each cue is timed by its words from
/// the layout's places (offset and ratio), which the report keeps; the recording is read
/// again once for both alignments.
#[test]
fn loosely_timed_subtitles_of_another_frame_rate_are_timed_from_the_layout() {
    let dir = tempfile::tempdir().unwrap();
    let FourTimes { audio, cues, want } = clip_four_times(dir.path(), &[]);
    let (loose, ratio) = loose_for_another_frame_rate(&cues);
    let subs = write(dir.path(), "loose.srt", &srt(&loose, |t| t));
    let out = dir.path().join("out.srt");
    let r = sync_audio_staged(&audio, &subs, &out, &["--report", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Aligned from the layout's places and from the cues' own starts, the recording read
    // again once for both.
    assert_eq!(r.stderr.matches(READ_AGAIN).count(), 1, "{}", r.stderr);
    let rep = report(&r);
    assert_eq!(rep["another_reading"], true, "{rep}");
    assert_eq!(rep["each_cue"], true, "{rep}");
    assert_eq!(rep["layout_kept"], true, "{rep}");
    assert!(
        (rep["ratio"].as_f64().unwrap() - 1.0 / ratio).abs() < 1e-3,
        "{rep}"
    );
    let off = worded_cues_off(&want, &cues, &out);
    assert!(off.len() <= 2, "{off:?}");
    // Refused with --shift-only, nothing written.
    std::fs::remove_file(&out).unwrap();
    let r = sync_audio(&audio, &subs, &out, &["--shift-only"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!out.exists());
}

/// The same loose subtitles of another frame rate on the clip with four cues' material cut:
/// every cue is still timed by its words (from the careful layout, the cues' own starts or
/// where those two alignments heard the words: whichever hears the most), the cues with
/// words but one within 0.1 s of their speech.
#[test]
fn loosely_timed_subtitles_of_an_edited_recording_are_timed_cue_by_cue() {
    let dir = tempfile::tempdir().unwrap();
    let FourTimes { audio, cues, want } = clip_four_times(dir.path(), &[22, 23, 24, 25]);
    let (loose, _) = loose_for_another_frame_rate(&cues);
    let subs = write(dir.path(), "loose.srt", &srt(&loose, |t| t));
    let out = dir.path().join("out.srt");
    let r = sync_audio(&audio, &subs, &out, &["--report", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rep = report(&r);
    let off = worded_cues_off(&want, &cues, &out);
    assert_eq!(rep["each_cue"], true, "{rep}");
    assert_eq!(rep["another_reading"], true, "{rep}");
    assert!(off.len() <= 1, "{off:?}");
}

#[test]
fn each_cue_needs_the_recording_and_the_words() {
    let dir = tempfile::tempdir().unwrap();
    let (_, reference, subs) = reference_and_late(dir.path());
    let out = dir.path().join("out.srt");
    let r = talign(&[
        "sync".as_ref(),
        "--each-cue".as_ref(),
        "--reference".as_ref(),
        reference.as_os_str(),
        subs.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--reference"), "{}", r.stderr);
    let r = sync_audio(&clip(), &subs, &out, &["--each-cue", "--no-words"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--no-words"), "{}", r.stderr);
    // Always and never at once.
    let r = sync_audio(&clip(), &subs, &out, &["--each-cue", "--shift-only"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--shift-only"), "{}", r.stderr);
    assert!(!out.exists());
}

#[test]
fn bom_crlf_and_ass_styling_survive() {
    let dir = tempfile::tempdir().unwrap();
    let cues = truth();
    let mut text = String::from(
        "[Script Info]\r\nTitle: clip\r\n\r\n[V4+ Styles]\r\nStyle: Default,Arial,20\r\n\r\n[Events]\r\n\
         Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\r\n",
    );
    for (s, e, t) in &cues {
        let ass = talign::subtitle::TimeStyle::ASS;
        text += &format!(
            "Dialogue: 0,{},{},Default,Kerry,0,0,0,,{{\\i1}}{t}\r\n",
            ass.format(((s + 1.5) * 1000.0) as i64),
            ass.format(((e + 1.5) * 1000.0) as i64)
        );
    }
    let subs = dir.path().join("in.ass");
    std::fs::write(&subs, [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat()).unwrap();
    let out = dir.path().join("out.ass");
    let r = sync_clip(&subs, &out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let written = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        written.contains("\r\nDialogue: 0,0:00:00.7")
            || written.contains("\r\nDialogue: 0,0:00:00.8"),
        "{written}"
    );
    assert_eq!(written.lines().count(), text.lines().count());
    assert!(
        written.contains(",Default,Kerry,0,0,0,,{\\i1}"),
        "{written}"
    );
}

#[test]
fn bad_input_is_refused_with_the_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let good = "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n";
    let cases: [(&str, &str, &str); 8] = [
        (
            "timecode.srt",
            "1\n00:00:01,000 --> 00:00:0x,000\nHi\n",
            "timecode.srt:2: cue 1: end time",
        ),
        (
            "backwards.srt",
            &format!("{good}2\n00:00:05,000 --> 00:00:03,000\nHi\n"),
            "backwards.srt:6: cue 2: ends",
        ),
        (
            "negative.srt",
            "1\n-00:00:01,000 --> 00:00:02,000\nHi\n",
            "negative time",
        ),
        (
            "huge.srt",
            "1\n00:00:01,000 --> 120:00:00,000\nHi\n",
            "more than 100 hours",
        ),
        (
            "noheader.vtt",
            "00:01.000 --> 00:02.000\nHi\n",
            "noheader.vtt:1: a WebVTT file starts with",
        ),
        ("stray.srt", &format!("{good}some words\n"), "stray.srt:5:"),
        ("empty.srt", "", "file is empty"),
        ("blank.srt", " \n\n", "only whitespace"),
    ];
    let out = dir.path().join("out.srt");
    for (name, text, what) in cases {
        let path = write(dir.path(), name, text);
        let r = sync_clip(&path, &out);
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(r.stderr.contains(what), "{name}: {}", r.stderr);
        assert!(!out.exists(), "{name}");
    }
    // A recording without speech (12 s of silence and a click), and one far shorter than
    // the subtitles.
    let subs = write(dir.path(), "ok.srt", good);
    let click = root().join("tests/fixtures/audio/click-10s.wav");
    let r = sync_audio(&click, &subs, &out, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no speech"), "{}", r.stderr);
    // A file that is no recording: the decoder's message, the front end's thread ended.
    let text = write(dir.path(), "notes.wav", "not a recording\n");
    let r = sync_audio(&text, &subs, &out, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("not a recording talign can read"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
    let late = write(
        dir.path(),
        "late.srt",
        "1\n02:00:00,000 --> 02:00:02,000\nHello\n",
    );
    let r = sync_clip(&late, &out);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("first cue starts at 7200.0 s"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
    // -o naming the subtitles is refused before any work; so are wrong argument counts.
    let r = sync_clip(&subs, &subs);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&subs).unwrap(), good);
    let r = talign(&["sync", "only-one.srt"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn help_explains_every_flag() {
    let r = talign(&["sync", "--help"]);
    assert_eq!(r.code, 0);
    for flag in [
        "--reference",
        "--output",
        "--format",
        "--no-split",
        "--max-offset",
        "--no-words",
        "--each-cue",
        "--shift-only",
        "--lang",
        "--report",
        "--quiet",
        "--progress",
        "Exit codes",
    ] {
        assert!(
            r.stdout.contains(flag),
            "{flag} missing from:\n{}",
            r.stdout
        );
    }
}

/// The same text timed for another reading (another voice, another pace): every cue off by
/// its own amount, so no few offsets fit them. Each cue is timed by its own words, as
/// `--each-cue` times it; `--shift-only` refuses them, nothing written.
#[test]
fn subtitles_timed_for_another_reading_get_each_cue_timed_by_its_words() {
    let dir = tempfile::tempdir().unwrap();
    let FourTimes { audio, cues, want } = clip_four_times(dir.path(), &[]);
    // 2.3 s late, and each cue a further 0.4 or 1.2 s early or late, as another reading's
    // pace: no line puts more than a quarter of them within 0.3 s of their words.
    let pace = [0.4, -1.2, 1.2, -0.4];
    let other: Vec<(f64, f64, String)> = cues
        .iter()
        .enumerate()
        .map(|(k, (s, e, t))| {
            let d = 2.3 + pace[k % pace.len()];
            (s + d, e + d, t.clone())
        })
        .collect();
    let subs = write(dir.path(), "other.srt", &srt(&other, |t| t));
    let out = dir.path().join("out.srt");
    let r = sync_audio(&audio, &subs, &out, &["--shift-only"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!out.exists());
    assert!(
        r.stderr
            .contains("timed for another recording of the same text"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--shift-only"), "{}", r.stderr);
    // Every cue timed by its own words: the same cues, texts and numbers, each on its words.
    let r = sync_audio(&audio, &subs, &out, &["--report", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // --each-cue times them the same way.
    let always = dir.path().join("always.srt");
    let r_always = sync_audio(&audio, &subs, &always, &["--each-cue"]);
    assert_eq!(r_always.code, 0, "{}", r_always.stderr);
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(&always).unwrap()
    );
    let rep = report(&r);
    assert_eq!(rep["each_cue"], true, "{rep}");
    assert_eq!(rep["another_reading"], true, "{rep}");
    // No layout kept: no ratio, splits or cuts reported, only how far the cues moved (they
    // were 2.3 s late).
    assert_eq!(rep["ratio"], 1.0, "{rep}");
    assert_eq!(rep["splits"], serde_json::json!([]), "{rep}");
    assert_eq!(rep["cut_cues"], serde_json::json!([]), "{rep}");
    let median_shift = rep["offset_s"].as_f64().unwrap();
    assert!((median_shift + 2.3).abs() < 1.3, "{rep}");
    let (read, written) = (
        Subtitles::read(&subs, None).unwrap(),
        Subtitles::read(&out, None).unwrap(),
    );
    assert_eq!(read.cues.len(), written.cues.len());
    for (a, b) in read.cues.iter().zip(&written.cues) {
        assert_eq!((&a.text, a.number, &a.id), (&b.text, b.number, &b.id));
    }
    let off = worded_cues_off(&want, &cues, &out);
    assert!(off.len() <= 2, "{off:?}");
}
