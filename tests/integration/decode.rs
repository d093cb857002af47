//! Decoding every audio fixture through the library: formats, gapless timing, resampling,
//! bad and damaged input. The fixtures and the values checked here are described in
//! `tests/fixtures/audio/README.md`; see also `docs/decoding.md`.

use std::path::{Path, PathBuf};

use talign::Error;
use talign::decode::{self, SourceInfo};
use talign::resample::To16k;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audio")
        .join(name)
}

/// Decodes a file to mono f32 at its own rate.
fn decode_path(path: &Path) -> (SourceInfo, Vec<f32>) {
    let decoder = decode::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut samples = Vec::new();
    let info = decoder
        .run(|chunk| samples.extend_from_slice(chunk))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(info.frames as usize, samples.len(), "{}", path.display());
    (info, samples)
}

fn decode_fixture(name: &str) -> (SourceInfo, Vec<f32>) {
    decode_path(&fixture(name))
}

/// Decodes a fixture and resamples it to 16 kHz in the chunks the decoder hands out.
fn decode_16k(name: &str) -> (SourceInfo, Vec<f32>) {
    let decoder = decode::open(&fixture(name)).unwrap();
    let mut resampler = To16k::new(decoder.info().sample_rate).unwrap();
    let mut out = Vec::new();
    let info = decoder
        .run(|chunk| resampler.push(chunk, &mut out))
        .unwrap();
    resampler.finish(&mut out);
    (info, out)
}

fn argmax_abs(x: &[f32]) -> usize {
    x.iter()
        .enumerate()
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
        .map(|(i, _)| i)
        .unwrap()
}

/// The lag (in samples, within ±max_lag) at which `x` best matches `reference` over
/// `range` of the reference: positive when `x` is late.
fn best_lag(reference: &[f32], x: &[f32], range: std::ops::Range<usize>, max_lag: i64) -> i64 {
    (-max_lag..=max_lag)
        .max_by(|&a, &b| {
            let score = |lag: i64| -> f64 {
                range
                    .clone()
                    .map(|i| {
                        let j = i as i64 + lag;
                        let y = if j >= 0 && (j as usize) < x.len() {
                            x[j as usize]
                        } else {
                            0.0
                        };
                        f64::from(reference[i]) * f64::from(y)
                    })
                    .sum()
            };
            score(a).total_cmp(&score(b))
        })
        .unwrap()
}

fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

/// A deterministic byte stream (xorshift) for damaging copies of fixtures.
fn noise_bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut s = seed | 1;
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 24) as u8
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Every format

/// What each fixture holds: container, codec, rate, channels and frames after decoding.
/// Rates and channels as ffprobe reports them; frames are the signal's 1.000 s (44100 at
/// 44.1 kHz) for every gapless-trimmed format, where ffmpeg itself decodes 43972 (Ogg) and
/// 45056 (M4A, MP4) frames, ignoring the Vorbis end trim and the edit list's length.
const FORMATS: &[(&str, &str, &str, u32, u32, u64)] = &[
    ("signal-u8.wav", "wave", "pcm_u8", 44_100, 2, 44_100),
    ("signal-s16.wav", "wave", "pcm_s16le", 44_100, 2, 44_100),
    ("signal-s24.wav", "wave", "pcm_s24le", 44_100, 2, 44_100),
    ("signal-s32.wav", "wave", "pcm_s32le", 44_100, 2, 44_100),
    ("signal-f32.wav", "wave", "pcm_f32le", 44_100, 2, 44_100),
    (
        "signal-extensible.wav",
        "wave",
        "pcm_s24le",
        44_100,
        2,
        44_100,
    ),
    ("signal-8k-mono.wav", "wave", "pcm_s16le", 8_000, 1, 8_000),
    ("signal-48k-6ch.wav", "wave", "pcm_s16le", 48_000, 6, 48_000),
    ("signal.mp3", "mp3", "mp3", 44_100, 2, 44_100),
    ("signal.flac", "flac", "flac", 44_100, 2, 44_100),
    ("signal.ogg", "ogg", "vorbis", 44_100, 2, 44_100),
    ("signal.m4a", "isomp4", "aac", 44_100, 2, 44_100),
    ("signal-video.mp4", "isomp4", "aac", 44_100, 2, 44_100),
    ("click-10s.wav", "wave", "pcm_s16le", 44_100, 1, 529_200),
    ("click-10s.mp3", "mp3", "mp3", 44_100, 1, 529_200),
    ("click-10s.m4a", "isomp4", "aac", 44_100, 1, 529_200),
    // Opus always decodes at 48 kHz. WebM keeps its end padding (symphonia 0.6.1 does not
    // read DiscardPadding): 648 frames, 13.5 ms, past the 1.000 s.
    ("signal.opus", "ogg", "opus", 48_000, 2, 48_000),
    ("signal.webm", "matroska", "opus", 48_000, 2, 48_648),
    ("signal-6ch.opus", "ogg", "opus", 48_000, 6, 48_000),
    ("click-10s.opus", "ogg", "opus", 48_000, 1, 576_000),
];

#[test]
fn every_format_decodes_with_its_rate_channels_and_length() {
    for &(name, container, codec, rate, channels, frames) in FORMATS {
        let (info, samples) = decode_fixture(name);
        assert_eq!(info.container, container, "{name}");
        assert_eq!(info.codec, codec, "{name}");
        assert_eq!(info.sample_rate, rate, "{name}");
        assert_eq!(info.channels, channels, "{name}");
        assert_eq!(info.frames, frames, "{name}");
        assert!(info.warnings.is_empty(), "{name}: {:?}", info.warnings);
        assert_eq!(info.filled_frames, 0, "{name}");
        assert!(
            info.peak > 0.1 && info.peak <= 1.0,
            "{name}: peak {}",
            info.peak
        );
        assert!(samples.iter().all(|x| x.is_finite()), "{name}");
    }
}

#[test]
fn pcm_variants_hold_the_same_samples() {
    let (_, reference) = decode_fixture("signal-s16.wav");
    // Mono is (L+R)/2, so the quantisation error of each format is at most one step.
    for (name, step) in [
        ("signal-u8.wav", 1.0 / 127.0),
        ("signal-s24.wav", 1.0 / 32767.0),
        ("signal-s32.wav", 1.0 / 32767.0),
        ("signal-f32.wav", 1.0 / 32767.0),
        ("signal-extensible.wav", 1.0 / 32767.0),
        ("signal.flac", 1e-6),
    ] {
        let (_, x) = decode_fixture(name);
        let diff = max_abs_diff(&reference, &x);
        assert!(diff <= step * 1.01, "{name}: differs by {diff}");
    }
}

#[test]
fn six_channels_are_averaged() {
    // FL=L, FR=R, FC=(L+R)/2, LFE=0, BL=L/2, BR=R/2: the mean is (L+R)/3, two thirds of the
    // stereo file's (L+R)/2.
    let (_, stereo) = decode_fixture("signal-s16.wav");
    let (_, six) = decode_fixture("signal-48k-6ch.wav");
    let at = |x: &[f32], rate: f64, t: f64| x[(t * rate).round() as usize];
    let peak6 = six.iter().fold(0f32, |m, x| m.max(x.abs()));
    let peak2 = stereo.iter().fold(0f32, |m, x| m.max(x.abs()));
    assert!(
        (peak6 / peak2 - 2.0 / 3.0).abs() < 0.01,
        "{peak6} vs {peak2}"
    );
    // The tone (0.75..0.95 s) is there in both, at the same time.
    assert!(at(&six, 48_000.0, 0.70).abs() < 1e-3);
    assert!(
        six[(0.80 * 48_000.0) as usize..(0.82 * 48_000.0) as usize]
            .iter()
            .any(|x| x.abs() > 0.05)
    );
}

#[test]
fn lossy_formats_keep_the_signal_in_place() {
    // Sample n of the decoded file is sample n of the original: the tone (0.75..0.95 s)
    // lines up with the WAV's within 2 samples.
    let (_, reference) = decode_fixture("signal-s16.wav");
    let tone = 33_000..42_000;
    for name in ["signal.mp3", "signal.ogg", "signal.m4a", "signal-video.mp4"] {
        let (_, x) = decode_fixture(name);
        let lag = best_lag(&reference, &x, tone.clone(), 100);
        assert!(lag.abs() <= 2, "{name}: late by {lag} samples");
    }
    // The 8 kHz mono version at its own rate.
    let (_, x) = decode_fixture("signal-8k-mono.wav");
    let onset = x[5_600..].iter().position(|v| v.abs() > 0.05).unwrap() + 5_600;
    assert!(
        (onset as f64 / 8_000.0 - 0.750).abs() < 0.002,
        "onset {onset}"
    );
}

#[test]
fn opus_keeps_the_signal_in_place_in_ogg_and_webm() {
    // Opus decodes at 48 kHz: compared with the WAV at 16 kHz, after resampling both.
    let (_, reference) = decode_16k("signal-s16.wav");
    let tone = 12_000..15_200;
    for name in ["signal.opus", "signal.webm"] {
        let (_, x) = decode_16k(name);
        let lag = best_lag(&reference, &x, tone.clone(), 40);
        assert!(lag == 0, "{name}: late by {lag} samples at 16 kHz");
        // Lossy at 64 kbps, but the same waveform: correlation over the whole second.
        let n = reference.len();
        let dot: f64 = (0..n)
            .map(|i| f64::from(reference[i]) * f64::from(x[i]))
            .sum();
        let norm = |v: &[f32]| v[..n].iter().map(|&a| f64::from(a).powi(2)).sum::<f64>();
        let r = dot / (norm(&reference) * norm(&x)).sqrt();
        assert!(r > 0.99, "{name}: correlation {r}");
    }
}

#[test]
fn opus_surround_is_averaged_like_the_wav_it_came_from() {
    // Both at 48 kHz: the six Opus channels (family 1, in Vorbis order) average to the mean
    // of the WAV's six, in place.
    let (_, wav) = decode_fixture("signal-48k-6ch.wav");
    let (info, opus) = decode_fixture("signal-6ch.opus");
    assert_eq!(info.channels, 6);
    assert_eq!(opus.len(), wav.len());
    // 3 samples early, as libopus itself decodes it (ffmpeg -c:a libopus): the surround
    // encoder's delay is 3 samples short of the pre-skip it writes. Within 1 ms.
    let lag = best_lag(&wav, &opus, 36_000..45_600, 100);
    assert!(
        lag.unsigned_abs() as usize <= MS_48K,
        "late by {lag} samples"
    );
    let shift = lag.unsigned_abs() as usize;
    let (wav, opus) = if lag < 0 {
        (&wav[shift..], &opus[..opus.len() - shift])
    } else {
        (&wav[..wav.len() - shift], &opus[shift..])
    };
    let (signal, noise) = wav.iter().zip(opus).fold((0.0, 0.0), |(s, e), (&a, &b)| {
        (s + f64::from(a).powi(2), e + f64::from(a - b).powi(2))
    });
    // 12.9 dB, the same as libopus's own decode of it (32 kbps a stream is coarse for
    // speech); a wrong channel layout or a lost stream falls far below.
    let snr = 10.0 * (signal / noise).log10();
    assert!(snr > 11.0, "SNR {snr:.1} dB");
}

// ---------------------------------------------------------------------------------------
// Gapless

/// The click is at sample 441000 (10.000 s) of 529200 (12.000 s) in the WAV.
const CLICK_AT: usize = 441_000;
const CLICK_LEN: usize = 529_200;
/// 1 ms at 44.1 kHz and at 16 kHz.
const MS_44K: usize = 44;
const MS_16K: usize = 16;

#[test]
fn gapless_click_is_at_10_000_s_in_every_format() {
    for name in ["click-10s.wav", "click-10s.mp3", "click-10s.m4a"] {
        let (info, x) = decode_fixture(name);
        let peak = argmax_abs(&x);
        assert!(
            peak.abs_diff(CLICK_AT) <= MS_44K,
            "{name}: click at sample {peak} ({:.4} s), not 441000 (10.000 s)",
            peak as f64 / 44_100.0
        );
        assert!(
            x.len().abs_diff(CLICK_LEN) <= MS_44K,
            "{name}: {} samples, not 529200",
            x.len()
        );
        assert!((info.duration_s() - 12.0).abs() <= 0.001, "{name}");
    }
}

#[test]
fn gapless_click_is_at_10_000_s_after_resampling_to_16k() {
    for name in ["click-10s.wav", "click-10s.mp3", "click-10s.m4a"] {
        let (_, y) = decode_16k(name);
        let peak = argmax_abs(&y);
        assert!(
            peak.abs_diff(160_000) <= MS_16K,
            "{name}: click at 16 kHz sample {peak} ({:.4} s)",
            peak as f64 / 16_000.0
        );
        assert!(
            y.len().abs_diff(192_000) <= MS_16K,
            "{name}: {} samples at 16 kHz, not 192000",
            y.len()
        );
    }
}

/// The click at 48 kHz: sample 480000 of 576000.
const CLICK_AT_48K: usize = 480_000;
const MS_48K: usize = 48;

#[test]
fn opus_click_is_at_10_000_s_with_the_pre_skip_dropped() {
    // Ogg: pre-skip from OpusHead, end trimmed by the final granule. WebM: the same
    // pre-skip from CodecPrivate; its end padding stays (less than one 20 ms frame).
    for (name, extra) in [("click-10s.opus", 0), ("click-10s.webm", 960)] {
        let (info, x) = decode_fixture(name);
        assert_eq!(info.sample_rate, 48_000, "{name}");
        assert_eq!(info.channels, 1, "{name}");
        assert!(info.warnings.is_empty(), "{name}: {:?}", info.warnings);
        let peak = argmax_abs(&x);
        assert!(
            peak.abs_diff(CLICK_AT_48K) <= MS_48K,
            "{name}: click at sample {peak} ({:.4} s), not 480000 (10.000 s)",
            peak as f64 / 48_000.0
        );
        assert!(
            x.len() >= 576_000 && x.len() <= 576_000 + extra,
            "{name}: {} samples, not 576000",
            x.len()
        );
        let (_, y) = decode_16k(name);
        let peak = argmax_abs(&y);
        assert!(
            peak.abs_diff(160_000) <= MS_16K,
            "{name}: click at 16 kHz sample {peak}"
        );
    }
}

#[test]
fn damaged_opus_decodes_what_is_there_and_keeps_times() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(fixture("click-10s.opus")).unwrap();
    // 64 random bytes a quarter in (the page of 7.0–8.0 s): that Ogg page fails its CRC
    // and is dropped; its time is filled with silence, so the click after it stays at
    // 10.000 s.
    let mut garbled = bytes.clone();
    let at = bytes.len() / 4;
    garbled[at..at + 64].copy_from_slice(&noise_bytes(7, 64));
    let path = write_file(&dir, "garbled.opus", &garbled);
    let (info, x) = decode_path(&path);
    assert_eq!(info.frames, 576_000, "{:?}", info.warnings);
    assert!(info.filled_frames > 0);
    assert_eq!(info.warnings.len(), 1, "{:?}", info.warnings);
    assert!(
        info.warnings[0].starts_with("damaged audio at"),
        "{:?}",
        info.warnings
    );
    let peak = argmax_abs(&x);
    assert!(peak.abs_diff(CLICK_AT_48K) <= MS_48K, "click at {peak}");
    // Cut short: what is there, and a warning.
    let path = write_file(&dir, "cut.opus", &bytes[..bytes.len() / 2]);
    let (info, x) = decode_path(&path);
    assert!(x.len() > 48_000 && x.len() < 576_000, "{} frames", x.len());
    assert!(
        info.warnings.iter().any(|w| w.contains("cut short")),
        "{:?}",
        info.warnings
    );
}

#[test]
fn every_rate_resamples_to_the_right_length() {
    for (name, expected) in [
        ("signal-8k-mono.wav", 16_000),
        ("signal-48k-6ch.wav", 16_000),
        ("signal-s16.wav", 16_000),
        ("silent.wav", 80_000),
    ] {
        let (_, y) = decode_16k(name);
        assert_eq!(y.len(), expected, "{name}");
    }
}

// ---------------------------------------------------------------------------------------
// Bad input

fn open_err(path: &Path) -> Error {
    match decode::open(path) {
        Ok(d) => panic!("{}: opened as {:?}", path.display(), d.info()),
        Err(e) => e,
    }
}

#[test]
fn bad_files_are_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.wav");
    assert!(matches!(open_err(&missing), Error::NotFound { .. }));
    assert!(matches!(open_err(dir.path()), Error::IsDirectory { .. }));
    let empty = open_err(&fixture("empty.mp3"));
    assert!(matches!(empty, Error::EmptyFile { .. }));
    for (name, says) in [
        ("text.mp3", "not a recording talign can read"),
        (
            "unsupported-ac3.mka",
            "AC-3 (Dolby Digital) audio (in this Matroska / WebM file) cannot be decoded",
        ),
        ("video-only.mp4", "has no audio track"),
    ] {
        let e = open_err(&fixture(name));
        assert!(matches!(e, Error::UnsupportedAudio { .. }), "{name}: {e:?}");
        let text = e.to_string();
        assert!(text.contains(name), "{text}");
        assert!(text.contains(says), "{name}: {text}");
        assert!(!text.contains('\n'), "{text}");
        assert!(e.is_input_error());
    }
    let ac3 = open_err(&fixture("unsupported-ac3.mka")).to_string();
    assert!(
        ac3.contains("`ffmpeg -i unsupported-ac3.mka -vn -c:a flac unsupported-ac3.flac`"),
        "{ac3}"
    );
    assert!(ac3.contains("Opus (Ogg, WebM)"), "{ac3}");
}

#[test]
fn zero_length_and_silent_wavs_decode_to_what_they_hold() {
    let (info, x) = decode_fixture("zero-length.wav");
    assert_eq!(
        (info.sample_rate, info.channels, info.frames),
        (16_000, 1, 0)
    );
    assert!(x.is_empty());
    let (info, x) = decode_fixture("silent.wav");
    assert_eq!(
        (info.sample_rate, info.channels, info.frames),
        (8_000, 1, 40_000)
    );
    assert_eq!(info.peak, 0.0);
    assert!(x.iter().all(|&v| v == 0.0));
}

// ---------------------------------------------------------------------------------------
// Damaged files

/// The intact MP3 behind truncated.mp3 and corrupt-middle.mp3: its LAME tag says 246211
/// frames (5.583 s); the damage starts in the frame that begins at 2.770 s.
const SPEECH_FRAMES: u64 = 246_211;
const DAMAGE_AT: usize = 122_159;

#[test]
fn truncated_mp3_gives_its_first_half_and_says_it_is_cut_short() {
    let (info, x) = decode_fixture("truncated.mp3");
    assert_eq!(info.frames as usize, DAMAGE_AT);
    assert_eq!(info.warnings.len(), 1, "{:?}", info.warnings);
    let w = &info.warnings[0];
    assert!(w.contains("ends at 2.770 s"), "{w}");
    assert!(w.contains("header says 5.583 s"), "{w}");
    assert!(w.contains("cut short"), "{w}");
    assert!(w.contains("38 bytes, an incomplete frame"), "{w}");
    assert!(x.iter().any(|v| v.abs() > 0.1), "speech is there");
}

#[test]
fn corrupt_mp3_keeps_the_audio_after_the_damage_in_place() {
    let (info, x) = decode_fixture("corrupt-middle.mp3");
    // Before this fix the 8 frames lost to garbage vanished and the rest came 0.209 s early.
    assert_eq!(info.frames, SPEECH_FRAMES, "{:?}", info.warnings);
    assert_eq!(info.warnings.len(), 1, "{:?}", info.warnings);
    let w = &info.warnings[0];
    assert!(w.contains("damaged audio at 2.770 s"), "{w}");
    assert!(w.contains("1672 bytes of garbage"), "{w}");
    assert!(w.contains("0.209 s of silence"), "{w}");
    assert_eq!(info.filled_frames, 8 * 1152);
    // The bytes before the damage are those of truncated.mp3: same samples up to there.
    let (_, first_half) = decode_fixture("truncated.mp3");
    assert!(max_abs_diff(&x[..DAMAGE_AT], &first_half) < 1e-6);
    // The lost frames are silence; speech goes on after them.
    assert!(x[DAMAGE_AT..DAMAGE_AT + 9216].iter().all(|&v| v == 0.0));
    assert!(x[DAMAGE_AT + 9216..].iter().any(|v| v.abs() > 0.1));
}

#[test]
fn damaged_flac_keeps_later_audio_in_place() {
    // Garbage over 500 bytes in the middle: the FLAC frames there fail their CRC and are lost.
    let mut bytes = std::fs::read(fixture("signal.flac")).unwrap();
    let at = bytes.len() / 2;
    bytes[at..at + 500].copy_from_slice(&noise_bytes(7, 500));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.flac");
    std::fs::write(&path, &bytes).unwrap();
    let (info, x) = decode_path(&path);
    assert_eq!(info.frames, 44_100, "{:?}", info.warnings);
    assert_eq!(info.warnings.len(), 1, "{:?}", info.warnings);
    assert!(
        info.warnings[0].starts_with("damaged audio at 0."),
        "{:?}",
        info.warnings
    );
    assert!(info.filled_frames > 0);
    // The tone after the damage is exactly where it was.
    let (_, reference) = decode_fixture("signal-s16.wav");
    assert_eq!(best_lag(&reference, &x, 33_000..42_000, 100), 0);
    assert!(max_abs_diff(&reference[33_000..], &x[33_000..]) < 1e-6);
}

#[test]
fn truncated_wav_says_how_long_it_should_be() {
    let bytes = std::fs::read(fixture("signal-s16.wav")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.wav");
    std::fs::write(&path, &bytes[..100_000]).unwrap();
    let (info, _) = decode_path(&path);
    assert_eq!(info.frames, (100_000 - 44) / 4);
    assert_eq!(info.warnings.len(), 1, "{:?}", info.warnings);
    assert!(
        info.warnings[0].contains("ends at 0.567 s but its header says 1.000 s"),
        "{:?}",
        info.warnings
    );
}

/// Malformed-input regressions, replayed on every run: every fixture cut at many lengths
/// and with bytes overwritten at many places must open and decode, or fail with an error,
/// and never panic. Seeded, so the same files every time.
#[test]
fn damaged_copies_of_every_fixture_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "signal.mp3",
        "signal.flac",
        "signal.ogg",
        "signal.m4a",
        "signal-video.mp4",
        "signal-s24.wav",
        "signal-extensible.wav",
        "signal-8k-mono.wav",
        "signal.opus",
        "signal.webm",
        "signal-6ch.opus",
        "unsupported-ac3.mka",
        "video-only.mp4",
        "zero-length.wav",
    ];
    let mut cases = 0;
    for (k, name) in names.iter().enumerate() {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let ext = Path::new(name).extension().unwrap().to_str().unwrap();
        let mut variants: Vec<Vec<u8>> = Vec::new();
        for i in 1..=12 {
            variants.push(bytes[..bytes.len() * i / 13].to_vec());
        }
        let noise = noise_bytes(k as u64 + 1, 64 * 40);
        for i in 0..40 {
            let mut v = bytes.clone();
            let at = (bytes.len() * i / 40).min(bytes.len().saturating_sub(64));
            let n = 64.min(bytes.len() - at);
            v[at..at + n].copy_from_slice(&noise[i * 64..i * 64 + n]);
            variants.push(v);
        }
        for (i, v) in variants.iter().enumerate() {
            let path = dir.path().join(format!("{k}-{i}.{ext}"));
            std::fs::write(&path, v).unwrap();
            let result = std::panic::catch_unwind(|| match decode::open(&path) {
                Ok(d) => d
                    .run(|chunk| assert!(chunk.iter().all(|x| x.is_finite())))
                    .map(|_| ()),
                Err(e) => Err(e),
            });
            assert!(result.is_ok(), "{name} variant {i} panicked");
            cases += 1;
        }
    }
    assert_eq!(cases, names.len() * 52);
}

/// Rewraps the AAC packets of an MP4 as ADTS (`.aac`): a 7-byte header before each.
fn mp4_to_adts(mp4: &Path) -> Vec<u8> {
    use symphonia::core::formats::probe::Hint;
    use symphonia::core::formats::{FormatOptions, TrackType};
    use symphonia::core::io::MediaSourceStream;
    use symphonia::core::meta::MetadataOptions;
    let file = std::fs::File::open(mp4).unwrap();
    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let mut format = symphonia::default::get_probe()
        .probe(
            &Hint::new(),
            stream,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .unwrap();
    let track = format.default_track(TrackType::Audio).unwrap().id;
    // AAC-LC (profile 1 → object type 2), 44.1 kHz (index 4), 2 channels.
    let (profile, rate_index, channels) = (1u32, 4u32, 2u32);
    let mut out = Vec::new();
    while let Ok(Some(packet)) = format.next_packet() {
        if packet.track_id != track {
            continue;
        }
        let len = packet.data.len() as u32 + 7;
        out.extend([
            0xFF,
            0xF1,
            ((profile << 6) | (rate_index << 2) | (channels >> 2)) as u8,
            (((channels & 3) << 6) | (len >> 11)) as u8,
            ((len >> 3) & 0xFF) as u8,
            (((len & 7) << 5) | 0x1F) as u8,
            0xFC,
        ]);
        out.extend_from_slice(&packet.data);
    }
    out
}

#[test]
fn adts_aac_is_followed_through_its_headers_and_damage() {
    let dir = tempfile::tempdir().unwrap();
    let adts = mp4_to_adts(&fixture("click-10s.m4a"));
    let intact = dir.path().join("click.aac");
    std::fs::write(&intact, &adts).unwrap();
    let (info, x) = decode_path(&intact);
    assert_eq!(
        (info.container.as_str(), info.codec.as_str()),
        ("aac", "aac")
    );
    assert!(info.warnings.is_empty(), "{:?}", info.warnings);
    // ADTS says nothing of the encoder's priming: all 518 packets of 1024, the click
    // 1024 samples late (documented in docs/decoding.md).
    assert_eq!(x.len(), 518 * 1024);
    assert!(argmax_abs(&x).abs_diff(CLICK_AT + 1024) <= MS_44K);

    // 600 bytes of garbage over the frames around 5 s: time after them stays right.
    let mut bad = adts.clone();
    let at = bad.len() / 2;
    bad[at..at + 600].copy_from_slice(&noise_bytes(11, 600));
    let damaged = dir.path().join("damaged.aac");
    std::fs::write(&damaged, &bad).unwrap();
    let (info, y) = decode_path(&damaged);
    assert!(!info.warnings.is_empty());
    assert!(
        info.warnings[0].starts_with("damaged audio at "),
        "{:?}",
        info.warnings
    );
    assert!(
        y.len().abs_diff(x.len()) <= 1024,
        "{} samples, intact {}",
        y.len(),
        x.len()
    );
    assert!(argmax_abs(&y).abs_diff(argmax_abs(&x)) <= MS_44K);
}

#[test]
fn joined_mp3s_say_what_is_left_out() {
    // `cat a.mp3 b.mp3`: the first file's LAME tag gives the length, so symphonia stops
    // there; the second file's tags between two frames are not damage.
    let one = std::fs::read(fixture("signal.mp3")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twice.mp3");
    std::fs::write(&path, [one.as_slice(), one.as_slice()].concat()).unwrap();
    let (info, _) = decode_path(&path);
    assert_eq!(info.frames, 44_100);
    assert_eq!(info.filled_frames, 0);
    assert_eq!(info.warnings.len(), 1, "{:?}", info.warnings);
    assert!(
        info.warnings[0]
            .starts_with("the file goes on for 1.045 s past the 1.000 s its header gives"),
        "{:?}",
        info.warnings
    );
}

// ---------------------------------------------------------------------------------------
// Hostile headers and samples (issue 15)

/// Writes `bytes` to `name` in `dir` and returns the path.
fn write_file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Where a RIFF chunk's body starts.
fn chunk_body(wav: &[u8], id: &[u8; 4]) -> usize {
    wav.windows(4).position(|w| w == id).unwrap() + 8
}

#[test]
fn sample_rates_outside_1_khz_to_768_khz_are_refused_before_any_work() {
    // Before: 1 Hz made align and vad run for minutes at 2-3 GB, 0 Hz decoded to "0.000 s".
    let wav = std::fs::read(fixture("signal-s16.wav")).unwrap();
    let fmt = chunk_body(&wav, b"fmt ");
    let dir = tempfile::tempdir().unwrap();
    let with_rate = |rate: u32| {
        let mut b = wav.clone();
        b[fmt + 4..fmt + 8].copy_from_slice(&rate.to_le_bytes());
        b[fmt + 8..fmt + 12].copy_from_slice(&rate.wrapping_mul(4).to_le_bytes());
        b
    };
    for rate in [0, 1, 999, 768_001, u32::MAX] {
        let path = write_file(&dir, &format!("rate-{rate}.wav"), &with_rate(rate));
        let e = open_err(&path);
        assert!(matches!(e, Error::UnsupportedAudio { .. }), "{rate}: {e:?}");
        let text = e.to_string();
        assert!(
            text.contains(&format!("sample rate of {rate} Hz")),
            "{text}"
        );
        assert!(text.contains("1 kHz–768 kHz"), "{text}");
        assert!(
            text.contains(&format!(
                "`ffmpeg -f s16le -ar 16000 -ac 2 -i rate-{rate}.wav rate-{rate}-fixed.flac`"
            )),
            "{text}"
        );
        assert!(e.is_input_error());
    }
    for rate in [1_000, 768_000] {
        let path = write_file(&dir, &format!("ok-{rate}.wav"), &with_rate(rate));
        let (info, _) = decode_path(&path);
        assert_eq!((info.sample_rate, info.frames), (rate, 44_100));
    }
}

#[test]
fn nan_and_infinite_samples_become_silence_with_one_warning() {
    // Before: NaN in 0.1 % of float samples moved aligned turns by seconds, with no warning.
    let wav = std::fs::read(fixture("signal-f32.wav")).unwrap();
    let data = chunk_body(&wav, b"data");
    let samples = (wav.len() - data) / 4;
    let bad = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY];
    let mut hostile = wav.clone();
    let mut zeroed = wav.clone();
    let damaged: Vec<usize> = (1_001..samples).step_by(97).collect();
    for (k, &i) in damaged.iter().enumerate() {
        let at = data + 4 * i;
        hostile[at..at + 4].copy_from_slice(&bad[k % 3].to_le_bytes());
        zeroed[at..at + 4].copy_from_slice(&0f32.to_le_bytes());
    }
    let dir = tempfile::tempdir().unwrap();
    let (info, x) = decode_path(&write_file(&dir, "nan.wav", &hostile));
    let (clean, y) = decode_path(&write_file(&dir, "zeroed.wav", &zeroed));
    assert!(clean.warnings.is_empty(), "{:?}", clean.warnings);
    // The same samples as with zeros written there: nothing else moves.
    assert_eq!(x, y);
    assert!(x.iter().all(|v| v.is_finite()));
    assert_eq!(info.frames, 44_100);
    assert_eq!(info.warnings.len(), 1, "{:?}", info.warnings);
    let w = &info.warnings[0];
    // Sample 1001 of the interleaved stereo data is frame 500: 0.011 s.
    assert!(
        w.starts_with(&format!(
            "{} samples are not numbers (NaN, infinite or beyond ±1e6), the first at 0.011 s; replaced by \
             silence",
            damaged.len()
        )),
        "{w}"
    );
}

/// Moves an MP4's `moov` box before its `mdat` (what `ffmpeg -movflags +faststart` does
/// for the web), shifting the chunk offsets by the moov's size.
fn faststart(mp4: &[u8]) -> Vec<u8> {
    fn boxes(b: &[u8]) -> Vec<([u8; 4], std::ops::Range<usize>)> {
        let mut out = Vec::new();
        let mut p = 0;
        while p + 8 <= b.len() {
            let size = u32::from_be_bytes(b[p..p + 4].try_into().unwrap()) as usize;
            out.push((b[p + 4..p + 8].try_into().unwrap(), p..p + size));
            p += size;
        }
        out
    }
    fn shift_offsets(b: &mut [u8], shift: u64) {
        for (kind, r) in boxes(b) {
            let body = r.start + 8..r.end;
            match &kind {
                b"moov" | b"trak" | b"mdia" | b"minf" | b"stbl" => {
                    shift_offsets(&mut b[body], shift)
                }
                b"stco" => {
                    let n = u32::from_be_bytes(b[r.start + 12..r.start + 16].try_into().unwrap());
                    for i in 0..n as usize {
                        let at = r.start + 16 + 4 * i;
                        let v = u32::from_be_bytes(b[at..at + 4].try_into().unwrap());
                        b[at..at + 4].copy_from_slice(&(v + shift as u32).to_be_bytes());
                    }
                }
                b"co64" => {
                    let n = u32::from_be_bytes(b[r.start + 12..r.start + 16].try_into().unwrap());
                    for i in 0..n as usize {
                        let at = r.start + 16 + 8 * i;
                        let v = u64::from_be_bytes(b[at..at + 8].try_into().unwrap());
                        b[at..at + 8].copy_from_slice(&(v + shift).to_be_bytes());
                    }
                }
                _ => {}
            }
        }
    }
    let top = boxes(mp4);
    let moov = top.iter().find(|(k, _)| k == b"moov").unwrap().1.clone();
    let mut moov_bytes = mp4[moov.clone()].to_vec();
    shift_offsets(&mut moov_bytes, moov.len() as u64);
    let mut out = Vec::new();
    for (kind, r) in top {
        match &kind {
            b"moov" => {}
            b"mdat" => {
                out.extend(&moov_bytes);
                out.extend(&mp4[r]);
            }
            _ => out.extend(&mp4[r]),
        }
    }
    out
}

#[test]
fn moov_first_m4a_cut_short_decodes_as_far_as_its_data_reaches() {
    // Before: a web-optimised M4A cut anywhere (even by its last byte) decoded to 0 s.
    let dir = tempfile::tempdir().unwrap();
    let fast = faststart(&std::fs::read(fixture("signal.m4a")).unwrap());
    let find = |kind: &[u8]| fast.windows(4).position(|w| w == kind).unwrap();
    assert!(find(b"moov") < find(b"mdat"), "moov first");
    let (whole, reference) = decode_path(&write_file(&dir, "fast.m4a", &fast));
    assert_eq!(whole.frames, 44_100);
    assert!(whole.warnings.is_empty(), "{:?}", whole.warnings);
    let (_, original) = decode_fixture("signal.m4a");
    assert_eq!(reference, original, "faststart holds the same audio");

    let mdat = fast.windows(4).rposition(|w| w == b"mdat").unwrap() - 4;
    let mut last_frames = 0;
    for cut in [
        mdat + 100,
        mdat + 4_000,
        mdat + 9_000,
        fast.len() - 3_000,
        fast.len() - 1,
    ] {
        let path = write_file(&dir, &format!("cut-{cut}.m4a"), &fast[..cut]);
        let (info, x) = decode_path(&path);
        assert!(info.frames >= last_frames, "{cut}: {} frames", info.frames);
        last_frames = info.frames;
        assert_eq!(info.warnings.len(), 1, "{cut}: {:?}", info.warnings);
        let w = &info.warnings[0];
        assert!(w.contains("cut short"), "{w}");
        // What is there is the start of the whole file, sample for sample.
        assert!(
            max_abs_diff(&x, &reference[..x.len()]) < 1e-6,
            "{cut}: decoded differently"
        );
    }
    // The last byte cut costs the last packet only (1024 frames), not the file.
    assert!(last_frames >= 44_100 - 2048, "{last_frames}");
    let half = write_file(&dir, "half.m4a", &fast[..mdat + (fast.len() - mdat) / 2]);
    let (info, _) = decode_path(&half);
    assert!(
        info.warnings[0].contains("its header says 1.000 s: it is cut short"),
        "{:?}",
        info.warnings
    );
    assert!(
        info.frames > 15_000 && info.frames < 30_000,
        "{} frames",
        info.frames
    );
}

#[test]
fn flac_length_comes_from_its_frames_when_streaminfo_disagrees() {
    // Before: STREAMINFO block sizes of 65535 turned 48 s into 2740 s with 335 silences.
    let flac = std::fs::read(fixture("signal.flac")).unwrap();
    assert_eq!(&flac[8..12], &[0x12, 0x00, 0x12, 0x00], "blocks of 4608");
    let (_, reference) = decode_fixture("signal.flac");
    let dir = tempfile::tempdir().unwrap();
    for (name, min, max) in [
        ("big.flac", 65_535u16, 65_535u16),
        ("small.flac", 1_024, 1_024),
        ("range.flac", 16, 4_608),
    ] {
        let mut b = flac.clone();
        b[8..10].copy_from_slice(&min.to_be_bytes());
        b[10..12].copy_from_slice(&max.to_be_bytes());
        let (info, x) = decode_path(&write_file(&dir, name, &b));
        assert_eq!(info.frames, 44_100, "{name}: {:?}", info.warnings);
        assert_eq!(info.filled_frames, 0, "{name}");
        assert_eq!(x, reference, "{name}");
        assert_eq!(info.warnings.len(), 1, "{name}: {:?}", info.warnings);
        assert!(
            info.warnings[0].starts_with(&format!(
                "the header (STREAMINFO) gives blocks of {min}–{max} samples but the frames \
                 hold 4608"
            )),
            "{name}: {}",
            info.warnings[0]
        );
    }
    // A total 57 times too long: the last frame is complete, so the file is not cut short.
    let mut b = flac.clone();
    let total = u64::from_be_bytes([0, 0, 0, b[21] & 0x0F, b[22], b[23], b[24], b[25]]);
    assert_eq!(total, 44_100);
    let wrong = total * 57;
    b[21] = (b[21] & 0xF0) | (wrong >> 32) as u8;
    b[22..26].copy_from_slice(&(wrong as u32).to_be_bytes());
    let (info, x) = decode_path(&write_file(&dir, "total.flac", &b));
    assert_eq!(x, reference);
    assert_eq!(info.warnings.len(), 1, "{:?}", info.warnings);
    assert!(
        info.warnings[0].contains("says the stream is 57.000 s long but its frames end at 1.000 s"),
        "{}",
        info.warnings[0]
    );
    // A FLAC really cut short is still reported as such, with the length STREAMINFO gives.
    let (info, _) = decode_path(&write_file(&dir, "cut.flac", &flac[..flac.len() * 3 / 5]));
    assert_eq!(info.warnings.len(), 1, "{:?}", info.warnings);
    assert!(
        info.warnings[0].contains("but its header says 1.000 s: it is cut short"),
        "{}",
        info.warnings[0]
    );
}

#[test]
fn garbage_in_a_cbr_mp3_leaves_every_later_time_in_place() {
    // Before: garbage holding false frame headers left the click up to 0.16 s early while
    // the warning said later times stayed right. A CBR frame's byte offset says which frame
    // it is, whatever the garbage held.
    let mp3 = std::fs::read(fixture("click-10s.mp3")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut false_frames = 0;
    for seed in 0..24u64 {
        let n = [500, 1_000, 3_000, 5_000][seed as usize % 4];
        let at = mp3.len() / 6 + (seed as usize * 2_003) % (mp3.len() / 2);
        let mut b = mp3.clone();
        b[at..at + n].copy_from_slice(&noise_bytes(seed + 100, n));
        let (info, x) = decode_path(&write_file(&dir, &format!("g{seed}.mp3"), &b));
        let peak = argmax_abs(&x);
        assert_eq!(peak, CLICK_AT, "seed {seed}: {:?}", info.warnings);
        assert_eq!(x.len(), CLICK_LEN, "seed {seed}: {:?}", info.warnings);
        let w = &info.warnings[0];
        assert!(w.contains("so later times stay right"), "seed {seed}: {w}");
        false_frames += usize::from(w.contains("could not be decoded") || w.contains("passed for"));
    }
    assert!(
        false_frames > 0,
        "no false frames in the garbage: the test proves nothing"
    );
}
