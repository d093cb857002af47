//! Timestamp drift: fit, classification, suggestions, fixes, text and SVG output.
//!
//! Transcripts and alignments are built by hand (see [`Builder`]); no parser is involved.

use talign::drift::{
    CheckOptions, DriftReport, DriftStatus, FitOptions, Rounding, Verdict, check, fit,
    fix_transcript, plot_svg, render_text, stamp_value, suggest_stamp,
};
use talign::report::{Alignment, AudioInfo, StatedTime, TranscriptInfo, TurnTiming};
use talign::transcript::{
    Stamp, StampStatus, StampStyle, Transcript, TranscriptFormat, Turn, decode, encode,
};

// ---------------------------------------------------------------------------------------
// Test helpers

/// splitmix64, seeded: every test's data is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// Reads a stamp description like `[01:55]`, `(1:02:03,5)` or `0:07` into seconds (None
/// when not a time) and its style. Test scaffolding only: the real parser lives elsewhere.
fn describe_stamp(raw: &str) -> (Option<f64>, StampStyle) {
    let (open, close) = match raw.chars().next() {
        Some('[') => (Some('['), Some(']')),
        Some('(') => (Some('('), Some(')')),
        _ => (None, None),
    };
    let inner = raw
        .trim_start_matches(['[', '('])
        .trim_end_matches([']', ')']);
    let (clock, fraction, sep) = match inner.find(['.', ',']) {
        Some(i) => (&inner[..i], &inner[i + 1..], inner[i..].chars().next()),
        None => (inner, "", None),
    };
    let fields: Vec<&str> = clock.split(':').collect();
    let style = StampStyle {
        open,
        close,
        hours: fields.len() == 3,
        lead_width: fields[0].len() as u8,
        fraction_digits: fraction.len() as u8,
        fraction_sep: sep,
    };
    let nums: Option<Vec<f64>> = fields.iter().map(|f| f.parse::<f64>().ok()).collect();
    let seconds = nums.and_then(|n| {
        let (h, m, s) = match n.as_slice() {
            [m, s] => (0.0, *m, *s),
            [h, m, s] => (*h, *m, *s),
            _ => return None,
        };
        if s >= 60.0 || (fields.len() == 3 && m >= 60.0) {
            return None;
        }
        let frac = if fraction.is_empty() {
            0.0
        } else {
            fraction.parse::<f64>().ok()? / 10f64.powi(fraction.len() as i32)
        };
        Some(h * 3600.0 + m * 60.0 + s + frac)
    });
    (seconds, style)
}

/// One turn to build: speaker, stamp as written (None = missing), text, where the turn
/// really starts and how confident the alignment is.
#[derive(Clone)]
struct Spec {
    speaker: String,
    stamp: Option<String>,
    text: String,
    actual: f64,
    confidence: f64,
}

fn spec(stamp: Option<&str>, actual: f64) -> Spec {
    Spec {
        speaker: "Kerry".into(),
        stamp: stamp.map(str::to_owned),
        text: "Some words here.".into(),
        actual,
        confidence: 0.9,
    }
}

/// Builds a transcript (block or inline layout) and its alignment.
struct Builder {
    format: TranscriptFormat,
    eol: &'static str,
    duration: f64,
    /// Inline only: `Kerry (00:07): text` instead of `[00:07] Kerry: text`.
    label_first: bool,
}

impl Builder {
    fn block() -> Builder {
        Builder {
            format: TranscriptFormat::Block,
            eol: "\n",
            duration: 3600.0,
            label_first: false,
        }
    }

    fn build(&self, specs: &[Spec]) -> (Transcript, Alignment) {
        let eol = self.eol;
        let mut source = String::new();
        let mut line = 1usize;
        let push_line = |source: &mut String, text: &str, line: &mut usize| -> usize {
            let at = source.len();
            source.push_str(text);
            source.push_str(eol);
            *line += 1;
            at
        };
        if self.format == TranscriptFormat::Block {
            push_line(&mut source, "A title line", &mut line);
            push_line(&mut source, "", &mut line);
        }
        let mut turns = Vec::new();
        let mut timings = Vec::new();
        let mut last_ok: Option<f64> = None;
        for (index, s) in specs.iter().enumerate() {
            let turn_line = line;
            let mut stamp = Stamp::missing();
            if let Some(raw) = &s.stamp {
                let (seconds, style) = describe_stamp(raw);
                let status = match (seconds, last_ok) {
                    (None, _) => StampStatus::Invalid,
                    (Some(v), Some(p)) if v == p => StampStatus::Duplicate,
                    (Some(v), Some(p)) if v < p => StampStatus::OutOfOrder,
                    _ => StampStatus::Ok,
                };
                if status == StampStatus::Ok {
                    last_ok = seconds;
                }
                stamp = Stamp {
                    raw: Some(raw.clone()),
                    seconds,
                    status,
                    line: None,
                    span: None,
                    style: Some(style),
                };
            }
            match self.format {
                TranscriptFormat::Block => {
                    push_line(&mut source, &s.speaker, &mut line);
                    push_line(&mut source, "", &mut line);
                    if let Some(raw) = &s.stamp {
                        stamp.line = Some(line);
                        let at = push_line(&mut source, raw, &mut line);
                        stamp.span = Some((at, at + raw.len()));
                        push_line(&mut source, "", &mut line);
                    }
                    push_line(&mut source, &s.text, &mut line);
                    push_line(&mut source, "", &mut line);
                }
                _ if self.label_first => {
                    let stamp_text = s
                        .stamp
                        .as_ref()
                        .map(|r| format!(" {r}"))
                        .unwrap_or_default();
                    let at = push_line(
                        &mut source,
                        &format!("{}{stamp_text}: {}", s.speaker, s.text),
                        &mut line,
                    );
                    if let Some(raw) = &s.stamp {
                        let a = at + s.speaker.len() + 1;
                        stamp.line = Some(turn_line);
                        stamp.span = Some((a, a + raw.len()));
                    }
                }
                _ => {
                    let prefix = s
                        .stamp
                        .as_ref()
                        .map(|r| format!("{r} "))
                        .unwrap_or_default();
                    let at = push_line(
                        &mut source,
                        &format!("{prefix}{}: {}", s.speaker, s.text),
                        &mut line,
                    );
                    if let Some(raw) = &s.stamp {
                        stamp.line = Some(turn_line);
                        stamp.span = Some((at, at + raw.len()));
                    }
                }
            }
            timings.push(TurnTiming {
                index,
                line: turn_line,
                speaker: Some(s.speaker.clone()),
                speaker_raw: Some(s.speaker.clone()),
                text: s.text.clone(),
                transcribed: true,
                stated: StatedTime {
                    raw: stamp.raw.clone(),
                    seconds: stamp.seconds,
                    status: stamp.status,
                },
                start: s.actual,
                end: s.actual + 2.0,
                confidence: s.confidence,
                words: None,
                fit: None,
                corrected: false,
            });
            turns.push(Turn {
                index,
                line: turn_line,
                speaker_raw: Some(s.speaker.clone()),
                speaker: Some(s.speaker.clone()),
                uncertain: false,
                stated: stamp,
                text: s.text.clone(),
                transcribed: true,
                spans: Vec::new(),
            });
        }
        let transcript = Transcript::of_turns(self.format, turns, source);
        let alignment = Alignment {
            schema: talign::report::SCHEMA,
            audio: AudioInfo {
                path: "test.wav".into(),
                duration_s: self.duration,
                sample_rate: 16_000,
                channels: 1,
            },
            transcript: TranscriptInfo {
                path: "test.txt".into(),
                format: self.format,
            },
            turns: timings,
            made: None,
        };
        (transcript, alignment)
    }
}

fn mmss(seconds: f64, lead: usize) -> String {
    let t = seconds.max(0.0) as u64;
    format!("[{:0lead$}:{:02}]", t / 60, t % 60)
}

/// The synthetic set: a 40-minute talk, stamps noted as `floor((true − 1.8)/1.003)`
/// (0.30% slow from +1.8 s), every 11th turn without a stamp, and these bad stamps:
/// `(turn, seconds added to the stamp)`.
const BAD: [(usize, f64); 5] = [(15, -4.0), (33, -7.0), (52, 12.0), (72, -15.0), (96, 20.0)];
const INVALID_TURN: usize = 88;

fn synthetic() -> Vec<Spec> {
    let mut rng = Rng(42);
    let mut specs = Vec::new();
    let mut t = 3.0;
    for i in 0..110 {
        let stated = ((t - 1.8) / 1.003_f64).floor();
        let mut s = spec(Some(&mmss(stated, 2)), t);
        if let Some(&(_, add)) = BAD.iter().find(|b| b.0 == i) {
            s.stamp = Some(mmss(stated + add, 2));
        }
        if i == INVALID_TURN {
            s.stamp = Some("[31:99]".into());
            s.actual = 1899.6;
        }
        if i % 11 == 5 {
            s.stamp = None;
        }
        specs.push(s);
        t = if i == INVALID_TURN { 1899.6 } else { t } + rng.range(12.0, 30.0);
    }
    specs
}

// ---------------------------------------------------------------------------------------
// Fit

#[test]
fn fit_recovers_line_despite_20_percent_gross_outliers() {
    let mut rng = Rng(7);
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for i in 0..200 {
        let xi = i as f64 * 12.0 + rng.range(0.0, 10.0);
        let mut yi = 1.8 + 1.003 * xi;
        if i % 5 == 2 {
            let size = rng.range(30.0, 300.0);
            yi += if rng.unit() < 0.5 { size } else { -size };
        }
        x.push(xi);
        y.push(yi);
    }
    let f = fit(&x, &y, &FitOptions::default()).unwrap();
    assert!((f.offset_s() - 1.8).abs() < 0.05, "offset {}", f.offset_s());
    assert!((f.rate - 1.003).abs() < 1.003e-4, "rate {}", f.rate);
    assert_eq!(f.segments.len(), 1, "outliers must not make segments");
    for i in 0..200 {
        assert_eq!(f.inlier[i], i % 5 != 2, "point {i}");
    }
    assert_eq!(f.inliers(), 160);
    // Same data, one-sided outliers (all late): the worst case for a median.
    let y2: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(i, &xi)| 1.8 + 1.003 * xi + if i % 5 == 2 { 120.0 } else { 0.0 })
        .collect();
    let f = fit(&x, &y2, &FitOptions::default()).unwrap();
    assert!((f.offset_s() - 1.8).abs() < 0.05, "offset {}", f.offset_s());
    assert!((f.rate - 1.003).abs() < 1.003e-4, "rate {}", f.rate);
}

#[test]
fn piecewise_fit_finds_a_30_second_cut() {
    // The recording lost 30 s after turn 60 (stamps keep counting, the audio does not).
    let mut rng = Rng(3);
    let mut specs = Vec::new();
    let mut t = 5.0;
    for i in 0..120 {
        let true_event = t;
        let actual = if i >= 60 { t - 30.0 } else { t };
        let stated = ((true_event - 1.8) / 1.003_f64).floor();
        let mut s = spec(Some(&mmss(stated, 2)), actual);
        if i % 13 == 4 {
            s.stamp = Some(mmss(stated + 45.0, 2)); // a few gross errors on top
        }
        specs.push(s);
        t += rng.range(15.0, 25.0);
    }
    let (tr, al) = Builder::block().build(&specs);
    let report = check(&tr, &al, &CheckOptions::default());
    let f = report.fit.as_ref().unwrap();
    assert_eq!(f.segments.len(), 2, "{:#?}", f.segments);
    let jump = f.segments[1].offset_s - f.segments[0].offset_s;
    assert!((jump + 30.0).abs() < 0.6, "jump {jump}");
    assert_eq!(f.segments[0].to_line, report.stamps[59].line);
    assert_eq!(f.segments[1].from_line, report.stamps[60].line);
    assert!((f.rate - 1.003).abs() < 5e-4, "rate {}", f.rate);
    assert!(
        report
            .summary
            .contains("the recording skips 30.0 s after line"),
        "{}",
        report.summary
    );
    // Every turn after the cut is consistent with its segment; the gross errors are off.
    for (i, s) in report.stamps.iter().enumerate() {
        let expect_bad = i % 13 == 4;
        assert_eq!(s.status.is_wrong(), expect_bad, "turn {i}: {s:?}");
    }

    // Without the cut, no segment is invented.
    let mut rng = Rng(3);
    let mut specs = Vec::new();
    let mut t = 5.0;
    for _ in 0..120 {
        let stated = ((t - 1.8) / 1.003_f64).floor();
        specs.push(spec(Some(&mmss(stated, 2)), t));
        t += rng.range(15.0, 25.0);
    }
    let (tr, al) = Builder::block().build(&specs);
    let report = check(&tr, &al, &CheckOptions::default());
    assert_eq!(report.fit.unwrap().segments.len(), 1);
}

// ---------------------------------------------------------------------------------------
// Classification

#[test]
fn every_bad_stamp_flagged_and_no_good_one() {
    let (tr, al) = Builder::block().build(&synthetic());
    let report = check(&tr, &al, &CheckOptions::default());
    let f = report.fit.as_ref().unwrap();
    assert!(
        (f.drift_percent - 0.3).abs() < 0.01,
        "drift {}",
        f.drift_percent
    );
    // Floored stamps sit on average half a second before the turn: 1.8 + 0.5.
    assert!((f.offset_s - 2.3).abs() < 0.3, "offset {}", f.offset_s);
    assert_eq!(f.segments.len(), 1);
    for (i, s) in report.stamps.iter().enumerate() {
        let expected = if i % 11 == 5 {
            DriftStatus::Missing
        } else if i == INVALID_TURN {
            DriftStatus::Invalid
        } else if BAD.iter().any(|b| b.0 == i) {
            assert!(s.status.is_wrong(), "turn {i} not flagged: {s:?}");
            assert!(s.suggestion.is_some(), "turn {i} has no suggestion");
            continue;
        } else {
            DriftStatus::Consistent
        };
        assert_eq!(s.status, expected, "turn {i}: {s:?}");
    }
    assert_eq!(
        report.counts.off + report.counts.out_of_order + report.counts.duplicate,
        5,
        "{:?}",
        report.counts
    );
    assert_eq!(report.counts.invalid, 1);
    let invalid = &report.stamps[INVALID_TURN];
    assert_eq!(invalid.raw.as_deref(), Some("[31:99]"));
    assert_eq!(invalid.suggestion.as_deref(), Some("[31:39]"));
    // The stamps drift past the tolerance late in the talk, so the verdict is a failure
    // even though only 5 stamps are individually wrong.
    assert_eq!(report.verdict, Verdict::Fail);
    assert!(
        report.summary.starts_with("stamps run 0.30% slow from +2."),
        "{}",
        report.summary
    );
    assert!(report.summary.contains("1 invalid"), "{}", report.summary);
    // Each bad stamp's suggestion is its turn's real start, floored.
    for &(i, _) in &BAD {
        let s = &report.stamps[i];
        assert_eq!(s.suggestion, Some(mmss(s.actual_s.unwrap(), 2)));
    }
}

/// A stamp that disagrees with the transcript's clock but sits on its turn's real start was
/// written differently from its neighbours: it is flagged `off` (consistent means agreeing
/// with the fit), yet it does not fail the exit rule, which compares with the real start.
#[test]
fn stamp_off_the_clock_but_on_the_truth_is_flagged_but_passes() {
    let mut specs = synthetic();
    // At 5:05 the clock runs 3.2 s behind the recording; +4 s puts the stamp 0.5 s from
    // the truth.
    let stated = ((specs[15].actual - 1.8) / 1.003_f64).floor();
    specs[15].stamp = Some(mmss(stated + 4.0, 2));
    let (tr, al) = Builder::block().build(&specs);
    let report = check(&tr, &al, &CheckOptions::default());
    let s = &report.stamps[15];
    assert!(s.fit_delta_s.unwrap().abs() > 3.0, "{s:?}");
    assert_eq!(s.within_tolerance, Some(true));
    assert_eq!(s.status, DriftStatus::Off);
    assert!(!s.fails);
}

#[test]
fn consistent_stamps_with_small_offset_pass() {
    let specs: Vec<Spec> = (0..30)
        .map(|i| {
            let stated = 10.0 + 30.0 * i as f64;
            spec(Some(&mmss(stated, 1)), stated + 0.7)
        })
        .collect();
    let (tr, al) = Builder::block().build(&specs);
    let report = check(&tr, &al, &CheckOptions::default());
    assert_eq!(report.verdict, Verdict::Pass);
    assert_eq!(report.verdict, talign::drift::Verdict::Pass);
    assert_eq!(report.counts.consistent, 30);
    assert!(report.stamps.iter().all(|s| s.suggestion.is_none()));
    assert!(
        report
            .summary
            .starts_with("stamps keep time, +0.7 s off; all 30 checked stamps within 2 s"),
        "{}",
        report.summary
    );
}

#[test]
fn out_of_order_and_duplicate_judged_by_the_audio() {
    // [08:57] is the wrong one (the turn starts at 8:48.5); the following [08:50] is
    // flagged out of order by the text but the audio confirms it. Two turns within a
    // second legitimately share [35:40].
    let mut specs: Vec<Spec> = (0..20)
        .map(|i| {
            let stated = 400.0 + 8.0 * i as f64;
            spec(Some(&mmss(stated, 2)), stated + 0.4)
        })
        .collect();
    specs[8] = spec(Some("[08:57]"), 528.5);
    specs[9] = spec(Some("[08:50]"), 530.3);
    specs[10] = spec(Some("[08:50]"), 545.0); // repeats, but the turn is at 9:05
    specs.push(spec(Some("[35:40]"), 2140.2));
    specs.push(spec(Some("[35:40]"), 2140.9));
    for s in &mut specs[..] {
        s.speaker = "Male voice".into();
    }
    let (tr, al) = Builder::block().build(&specs);
    assert_eq!(tr.turns[9].stated.status, StampStatus::OutOfOrder);
    let report = check(&tr, &al, &CheckOptions::default());
    let st = |i: usize| report.stamps[i].status;
    assert_eq!(st(8), DriftStatus::Off);
    assert_eq!(report.stamps[8].suggestion.as_deref(), Some("[08:48]"));
    assert_eq!(st(9), DriftStatus::Consistent);
    assert_eq!(report.stamps[9].stated_status, StampStatus::OutOfOrder);
    assert_eq!(st(10), DriftStatus::OutOfOrder);
    assert_eq!(st(20), DriftStatus::Consistent);
    assert_eq!(st(21), DriftStatus::Consistent);
    assert_eq!(report.stamps[21].stated_status, StampStatus::Duplicate);
}

#[test]
fn collapsed_confidence_reports_no_drift() {
    let mut specs = synthetic();
    for (i, s) in specs.iter_mut().enumerate() {
        s.confidence = 0.05 + 0.14 * ((i * 7) % 10) as f64 / 10.0;
        s.actual = 17.0 * i as f64; // nonsense starts
    }
    let (tr, al) = Builder::block().build(&specs);
    let report = check(&tr, &al, &CheckOptions::default());
    let median = report.median_confidence.unwrap();
    assert!(report.fit.is_none());
    assert_eq!(report.verdict, Verdict::Unchecked);
    assert_ne!(report.verdict, talign::drift::Verdict::Pass);
    let expected = format!(
        "the recording does not seem to match this transcript (median confidence {median:.2}); no drift reported"
    );
    assert_eq!(report.unreliable.as_deref(), Some(expected.as_str()));
    assert_eq!(report.summary, format!("{expected}; 1 invalid"));
    assert!(
        report
            .stamps
            .iter()
            .all(|s| s.suggestion.is_none() && !s.status.is_wrong())
    );
    assert!(render_text(&report, 10).starts_with("the recording does not seem to match"));
}

#[test]
fn mismatched_alignment_is_unreliable() {
    let (tr, mut al) = Builder::block().build(&synthetic());
    al.turns.truncate(50);
    let report = check(&tr, &al, &CheckOptions::default());
    assert_eq!(report.verdict, Verdict::Unchecked);
    assert!(
        report
            .unreliable
            .as_deref()
            .unwrap()
            .starts_with("the alignment has 50 turns but the transcript has 110")
    );
}

#[test]
fn no_stamps_to_check() {
    let specs: Vec<Spec> = (0..10).map(|i| spec(None, 5.0 + 20.0 * i as f64)).collect();
    let (tr, al) = Builder::block().build(&specs);
    let report = check(&tr, &al, &CheckOptions::default());
    assert_eq!(report.summary, "no stamps to check");
    assert_eq!(report.verdict, Verdict::Pass);
    assert!(report.fit.is_none());
    assert_eq!(report.counts.missing, 10);
    // Missing stamps still get a suggestion, in the fallback style `[mm:ss]`.
    assert_eq!(report.stamps[3].suggestion.as_deref(), Some("[01:05]"));
    assert_eq!(render_text(&report, 20), "no stamps to check\n");
}

#[test]
fn stamps_beyond_a_short_recording_are_flagged() {
    // Stamps run to 20:00 but the recording stops at 10:00: the aligner squeezed the last
    // turns into its final seconds.
    let specs: Vec<Spec> = (0..60)
        .map(|i| {
            let stated = 5.0 + 20.0 * i as f64;
            let mut s = spec(Some(&mmss(stated, 2)), (stated + 1.0).min(598.0));
            if stated > 600.0 {
                s.confidence = 0.2;
            }
            s
        })
        .collect();
    let mut b = Builder::block();
    b.duration = 600.0;
    let (tr, al) = b.build(&specs);
    let report = check(&tr, &al, &CheckOptions::default());
    for s in &report.stamps {
        let beyond = s.stated_s.unwrap() > 602.0;
        assert_eq!(s.status == DriftStatus::BeyondAudio, beyond, "{s:?}");
        if !beyond {
            assert_eq!(s.status, DriftStatus::Consistent, "{s:?}");
        }
    }
    assert_eq!(report.counts.beyond_audio, 30);
    assert_eq!(report.verdict, Verdict::Fail);
    assert!(
        report
            .summary
            .contains("30 beyond the end of the audio at 10:00 (from line"),
        "{}",
        report.summary
    );
    assert!(report.summary.contains("the recording seems cut short"));
}

#[test]
fn low_confidence_turns_are_unverifiable_and_do_not_fail() {
    let mut specs: Vec<Spec> = (0..30)
        .map(|i| {
            let stated = 10.0 + 30.0 * i as f64;
            spec(Some(&mmss(stated, 2)), stated + 0.5)
        })
        .collect();
    specs[4].actual += 60.0;
    specs[4].confidence = 0.1;
    let (tr, al) = Builder::block().build(&specs);
    let report = check(&tr, &al, &CheckOptions::default());
    assert_eq!(report.stamps[4].status, DriftStatus::Unverifiable);
    assert_eq!(report.stamps[4].fit_inlier, None, "kept out of the fit");
    assert!(report.stamps[4].suggestion.is_none());
    assert_eq!(report.verdict, Verdict::Pass);
    assert!(report.summary.contains("1 unverifiable (low confidence)"));
}

// ---------------------------------------------------------------------------------------
// Suggestions

#[test]
fn suggestions_keep_each_style() {
    let cases = [
        ("[0:07]", 67.9, "[1:07]"),
        ("[01:55]", 117.2, "[01:57]"),
        ("[31:99]", 1899.6, "[31:39]"),
        ("(05:15)", 320.4, "(05:20)"),
        ("0:05", 9.99, "0:09"),
        ("[01:02:03]", 3725.5, "[01:02:05]"),
        ("1:02:03", 3725.5, "1:02:05"),
        ("[00:01:02.5]", 64.27, "[00:01:04.2]"),
        ("[00:01:02,500]", 64.2719, "[00:01:04,271]"),
        ("[59:59]", 3720.0, "[62:00]"),
    ];
    for (raw, seconds, expected) in cases {
        let (_, style) = describe_stamp(raw);
        let suggested = suggest_stamp(seconds, &style, Rounding::Floor);
        assert_eq!(suggested, expected, "{raw}");
    }
}

/// Floor or nearest? A person notes a turn from the player clock, which shows the floored
/// second. On 2000 turns with aligner jitter of ±0.1 s, flooring reproduces what the person
/// would write far more often than rounding, and a floored stamp is at most jitter later than
/// the speech (seeking to it plays the first word), while a rounded one is up to half a second
/// late. Rounding halves the worst error (0.5 s against 1 s), which the 2 s tolerance does not
/// need. Hence [`Rounding::Floor`] is the default.
#[test]
fn rounding_decision_floor_matches_how_people_note_time() {
    let mut rng = Rng(2024);
    let (_, style) = describe_stamp("[01:55]");
    let (mut floor_same, mut nearest_same) = (0, 0);
    let (mut floor_late, mut nearest_late) = (0.0f64, 0.0f64);
    let (mut floor_err, mut nearest_err) = (0.0f64, 0.0f64);
    let n = 2000;
    for _ in 0..n {
        let truth = rng.range(0.0, 3600.0);
        let person = truth.floor();
        let aligned = truth + rng.range(-0.1, 0.1);
        let f = stamp_value(aligned, &style, Rounding::Floor);
        let r = stamp_value(aligned, &style, Rounding::Nearest);
        floor_same += usize::from(f == person);
        nearest_same += usize::from(r == person);
        floor_late = floor_late.max(f - truth);
        nearest_late = nearest_late.max(r - truth);
        floor_err = floor_err.max((f - truth).abs());
        nearest_err = nearest_err.max((r - truth).abs());
    }
    eprintln!(
        "floor: {floor_same}/{n} as the person wrote, late by at most {floor_late:.3} s, worst error {floor_err:.3} s; \
         nearest: {nearest_same}/{n}, late by at most {nearest_late:.3} s, worst error {nearest_err:.3} s"
    );
    assert!((floor_same as f64 / n as f64) > 0.85, "floor {floor_same}");
    assert!(
        (nearest_same as f64 / n as f64) < 0.6,
        "nearest {nearest_same}"
    );
    assert!(floor_late <= 0.1 + 1e-9, "floor late by {floor_late}");
    assert!(nearest_late > 0.45, "nearest late by {nearest_late}");
    assert!(floor_err < 1.1 && nearest_err < 0.6);
    assert_eq!(CheckOptions::default().rounding, Rounding::Floor);
}

// ---------------------------------------------------------------------------------------
// Fix

fn clean_specs() -> Vec<Spec> {
    (0..12)
        .map(|i| {
            let stated = 7.0 + 40.0 * i as f64;
            spec(Some(&mmss(stated, 2)), stated + 0.6)
        })
        .collect()
}

#[test]
fn fix_of_a_clean_transcript_is_byte_identical() {
    for eol in ["\n", "\r\n"] {
        let mut b = Builder::block();
        b.eol = eol;
        let (tr, al) = b.build(&clean_specs());
        let report = check(&tr, &al, &CheckOptions::default());
        let fixed = fix_transcript(&tr, &report, true);
        assert_eq!(fixed.text, tr.source);
        assert!(fixed.changes.is_empty() && fixed.skipped.is_empty());
        assert_eq!(encode(&fixed.text, "utf-8"), tr.source.as_bytes());
    }
}

#[test]
fn fix_replaces_only_the_stamps_and_keeps_crlf() {
    let mut specs = clean_specs();
    specs[3].stamp = Some("[31:99]".into()); // invalid; the turn is at 2:07.6
    specs[6].stamp = Some("[09:59]".into()); // off; the turn is at 4:07.6
    let mut b = Builder::block();
    b.eol = "\r\n";
    let (tr, al) = b.build(&specs);
    let report = check(&tr, &al, &CheckOptions::default());
    let fixed = fix_transcript(&tr, &report, false);
    let expected = tr
        .source
        .replace("[31:99]", "[02:07]")
        .replace("[09:59]", "[04:07]");
    assert_eq!(fixed.text, expected);
    assert_eq!(fixed.changes.len(), 2);
    assert_eq!(fixed.changes[0].old.as_deref(), Some("[31:99]"));
    assert!(!fixed.text.replace("\r\n", "").contains('\n'), "CRLF kept");
    // The fixed transcript checks clean.
    let mut specs2 = specs.clone();
    specs2[3].stamp = Some("[02:07]".into());
    specs2[6].stamp = Some("[04:07]".into());
    let (tr2, al2) = b.build(&specs2);
    assert_eq!(tr2.source, fixed.text);
    assert_eq!(
        check(&tr2, &al2, &CheckOptions::default()).verdict,
        Verdict::Pass
    );
}

#[test]
fn fix_fills_missing_stamps_in_the_files_layout() {
    let mut specs = clean_specs();
    specs[2].stamp = None; // turn at 1:27.6
    for eol in ["\n", "\r\n"] {
        let mut b = Builder::block();
        b.eol = eol;
        let (tr, al) = b.build(&specs);
        let report = check(&tr, &al, &CheckOptions::default());
        let not_filled = fix_transcript(&tr, &report, false);
        assert_eq!(not_filled.text, tr.source);
        let fixed = fix_transcript(&tr, &report, true);
        let mut with_stamp = specs.clone();
        with_stamp[2].stamp = Some("[01:27]".into());
        let (expected, _) = b.build(&with_stamp);
        assert_eq!(fixed.text, expected.source, "eol {eol:?}");
        assert_eq!(fixed.changes.len(), 1);
        assert_eq!(fixed.changes[0].old, None);
    }
}

#[test]
fn fix_fills_missing_stamps_inline() {
    let mut specs = clean_specs();
    specs[5].stamp = None;
    for (label_first, first_line) in [
        (false, "[00:07] Kerry: Some words here.\n"),
        (true, "Kerry (00:07): Some words here.\r\n"),
    ] {
        let b = Builder {
            format: TranscriptFormat::Inline,
            eol: if label_first { "\r\n" } else { "\n" },
            duration: 3600.0,
            label_first,
        };
        let parens = |r: &String| {
            if label_first {
                r.replace('[', "(").replace(']', ")")
            } else {
                r.clone()
            }
        };
        let specs: Vec<Spec> = specs
            .iter()
            .map(|s| Spec {
                stamp: s.stamp.as_ref().map(parens),
                ..s.clone()
            })
            .collect();
        let (tr, al) = b.build(&specs);
        assert!(tr.source.starts_with(first_line), "{}", tr.source);
        let report = check(&tr, &al, &CheckOptions::default());
        let fixed = fix_transcript(&tr, &report, true);
        let mut with_stamp = specs.clone();
        with_stamp[5].stamp = Some(parens(&"[03:27]".to_owned()));
        assert_eq!(fixed.text, b.build(&with_stamp).0.source);
    }
}

#[test]
fn fix_skips_stale_reports() {
    let mut specs = clean_specs();
    specs[3].stamp = Some("[31:99]".into());
    let (mut tr, al) = Builder::block().build(&specs);
    let report = check(&tr, &al, &CheckOptions::default());
    tr.source = tr.source.replace("[31:99]", "[31:98]");
    let fixed = fix_transcript(&tr, &report, false);
    assert_eq!(fixed.text, tr.source);
    assert_eq!(fixed.skipped.len(), 1);
    assert!(
        fixed.skipped[0].contains("no longer [31:99]"),
        "{:?}",
        fixed.skipped
    );
}

/// A fixed text goes back in the file's own encoding: as read, byte-order mark and all.
#[test]
fn fixed_text_encodes_back_as_read() {
    let text = "Kerry\r\n\r\n[01:55]\r\n\r\nCafé – “quoted”\r\n";
    let with_bom = format!("\u{feff}{text}");
    for label in ["utf-16le", "utf-16be"] {
        for text in [text, with_bom.as_str()] {
            let bytes = encode(text, label);
            assert_eq!(bytes.len(), 2 * text.encode_utf16().count(), "{label}");
            let back = decode(&bytes).unwrap();
            assert_eq!((back.text.as_str(), back.encoding), (text, label));
        }
    }
    let bytes = encode(text, "windows-1252");
    let (back, _, bad) = encoding_rs::WINDOWS_1252.decode(&bytes);
    assert!(!bad);
    assert_eq!(back, text);
}

// ---------------------------------------------------------------------------------------
// Output

#[test]
fn text_report_lists_worst_stamps_first() {
    let (tr, al) = Builder::block().build(&synthetic());
    let report = check(&tr, &al, &CheckOptions::default());
    let text = render_text(&report, 4);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], report.summary);
    assert!(lines[1].trim_start().starts_with("line  stamp"), "{text}");
    assert!(
        lines[2].contains("[31:99]") && lines[2].contains("not a valid time"),
        "{text}"
    );
    // Then the worst wrong stamp: +20 s.
    assert!(
        lines[3].contains("off by -20") || lines[3].contains("-20"),
        "{text}"
    );
    assert!(lines.last().unwrap().starts_with("... and "), "{text}");
    // Columns line up: every table row has the stamp column at the same place.
    let col = lines[1].find("stamp").unwrap();
    for l in &lines[2..lines.len() - 1] {
        assert_eq!(&l[col..col + 1], "[", "{text}");
    }
}

#[test]
fn report_json_round_trips() {
    let (tr, al) = Builder::block().build(&synthetic());
    let report = check(&tr, &al, &CheckOptions::default());
    let json = serde_json::to_string_pretty(&report).unwrap();
    let back: DriftReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back.summary, report.summary);
    assert_eq!(back.counts, report.counts);
    assert_eq!(back.stamps.len(), report.stamps.len());
    assert!(json.contains("\"status\": \"invalid\""));
    assert!(json.contains("\"suggestion\": \"[31:39]\""));
}

/// The example plot in `docs/drift-example.svg`: the synthetic talk with a 30 s cut.
/// `TALIGN_WRITE_EXAMPLES=1 cargo test --test integration drift::` rewrites it; otherwise the committed
/// file must match what the code draws.
#[test]
fn example_plot_is_current() {
    let mut specs = synthetic();
    for s in specs.iter_mut().skip(70) {
        s.actual -= 30.0;
    }
    specs[40].confidence = 0.3;
    specs[41].stamp = Some("[17:61]".into());
    let (tr, al) = Builder::block().build(&specs);
    let report = check(&tr, &al, &CheckOptions::default());
    assert_eq!(report.fit.as_ref().unwrap().segments.len(), 2);
    let svg = plot_svg(
        &report,
        "Synthetic talk: 0.3% slow from +1.8 s, 30 s lost near 24:00",
    );
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    for &(i, _) in &BAD {
        assert!(
            svg.contains(&format!(">L{}<", report.stamps[i].line)),
            "label of turn {i}"
        );
    }
    assert!(svg.contains("L") && svg.contains("[31:99]"));
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/drift-example.svg");
    if std::env::var_os("TALIGN_WRITE_EXAMPLES").is_some() {
        std::fs::write(path, &svg).unwrap();
    } else {
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == svg,
            "docs/drift-example.svg is stale: run TALIGN_WRITE_EXAMPLES=1 cargo test --test integration drift::"
        );
    }
}

/// Thousands of stamps (a day of hearings): the subsampled Theil–Sen and the step search
/// still find the line and the cut.
#[test]
fn fit_scales_to_thousands_of_stamps() {
    let mut rng = Rng(99);
    let (mut x, mut y) = (Vec::new(), Vec::new());
    let mut t = 0.0;
    for i in 0..3000 {
        t += rng.range(5.0, 15.0);
        let stated = ((t - 1.8) / 1.003_f64).floor();
        let mut actual = if i >= 2000 { t - 30.0 } else { t };
        if i % 5 == 1 {
            actual += rng.range(-300.0, 300.0);
        }
        x.push(stated);
        y.push(actual);
    }
    let started = std::time::Instant::now();
    let f = fit(&x, &y, &FitOptions::default()).unwrap();
    eprintln!("fit of 3000 stamps: {:?}", started.elapsed());
    assert_eq!(f.segments.len(), 2, "{:?}", f.segments);
    assert!((f.rate - 1.003).abs() < 1e-4, "rate {}", f.rate);
    let jump = f.segments[1].offset_s - f.segments[0].offset_s;
    assert!((jump + 30.0).abs() < 0.5, "jump {jump}");
}

/// The stamp sequence of the shared Kerry transcript (one entry per turn, "" = no stamp),
/// with its out-of-order `[08:50]`, `[10:44]` and `[30:25]`, invalid `[31:99]` and
/// `[31:95]`, repeated stamps and missing ones.
const KERRY_STAMPS: [&str; 105] = [
    "0:00", "0:07", "01:55", "01:57", "02:21", "4:30", "04:57", "5:00", "05:15", "", "05:36",
    "06:02", "06:10", "06:40", "07:04", "07:27", "07:53", "07:58", "08:11", "08:20", "08:30",
    "08:38", "08:40", "08:44", "08:46", "08:50", "08:57", "08:50", "09:08", "09:35", "09:43",
    "10:18", "10:44", "11:20", "11:49", "11:53", "10:44", "12:01", "12:04", "12:10", "12:21",
    "12:41", "", "13:19", "", "13:25", "13:38", "13:41", "13:46", "13:48", "14:00", "14:44",
    "15:04", "16:08", "16:36", "17:08", "18:48", "22:31", "22:50", "23:34", "23:57", "24:05",
    "24:24", "24:24", "25:38", "", "", "27:52", "28:00", "28:05", "28:06", "28:08", "28:11",
    "28:58", "28:58", "29:09", "29:20", "30:22", "30:25", "30:37", "30:43", "30:25", "30:51",
    "30:55", "31:01", "31:06", "31:07", "31:09", "31:09", "31:10", "31:99", "31:53", "31:95",
    "33:30", "33:56", "34:34", "34:54", "35:30", "35:40", "35:40", "35:46", "36:23", "36:25",
    "36:25", "36:35",
];

#[test]
fn kerry_like_sequence_check_fix_recheck() {
    // Where each turn truly starts on the transcript's clock: the stamp, except for the
    // wrong ones; turns without a stamp sit between their neighbours.
    let wrong: [(usize, f64); 5] = [
        (27, 535.0),  // second [08:50]: really 8:55
        (36, 717.0),  // [10:44] after [11:53]: really 11:57
        (81, 1847.0), // [30:25] after [30:43]: really 30:47
        (90, 1899.6), // [31:99]
        (92, 1955.0), // [31:95]
    ];
    let value = |raw: &str| describe_stamp(&format!("[{raw}]")).0;
    let mut truth: Vec<Option<f64>> = KERRY_STAMPS.iter().map(|r| value(r)).collect();
    for &(i, t) in &wrong {
        truth[i] = Some(t);
    }
    for i in 1..truth.len() {
        if truth[i] == truth[i - 1] {
            truth[i] = truth[i].map(|t| t + 0.5); // two turns within one second
        }
    }
    for i in 0..truth.len() {
        if truth[i].is_none() {
            let next = truth[i..].iter().flatten().next().copied().unwrap();
            truth[i] = Some((truth[i - 1].unwrap() + next) / 2.0);
        }
    }
    let mut rng = Rng(5);
    let specs: Vec<Spec> = KERRY_STAMPS
        .iter()
        .zip(&truth)
        .map(|(raw, t)| {
            let stamp = (!raw.is_empty()).then(|| format!("[{raw}]"));
            spec(stamp.as_deref(), t.unwrap() + rng.range(0.3, 1.2))
        })
        .collect();
    let (tr, al) = Builder::block().build(&specs);
    let report = check(&tr, &al, &CheckOptions::default());
    eprintln!("{}", render_text(&report, 10));

    let flagged: Vec<usize> = (0..specs.len())
        .filter(|&i| {
            !matches!(
                report.stamps[i].status,
                DriftStatus::Consistent | DriftStatus::Missing
            )
        })
        .collect();
    assert_eq!(flagged, vec![27, 36, 81, 90, 92], "{}", report.summary);
    assert_eq!(report.stamps[27].status, DriftStatus::OutOfOrder);
    assert_eq!(report.stamps[90].status, DriftStatus::Invalid);
    assert_eq!(report.stamps[90].suggestion.as_deref(), Some("[31:40]"));
    assert_eq!(report.counts.missing, 5);
    assert_eq!(report.verdict, Verdict::Fail);

    // Fix everything, missing stamps included, in the file's dominant style `[mm:ss]`.
    let fixed = fix_transcript(&tr, &report, true);
    assert_eq!(fixed.changes.len(), 10);
    let repaired: Vec<Spec> = specs
        .iter()
        .zip(&report.stamps)
        .map(|(s, c)| Spec {
            stamp: c.suggestion.clone().or_else(|| s.stamp.clone()),
            ..s.clone()
        })
        .collect();
    let (tr2, al2) = Builder::block().build(&repaired);
    assert_eq!(fixed.text, tr2.source);
    // The missing stamp between [05:15] and [05:36], in the dominant style.
    let added = fixed.changes.iter().find(|c| c.old.is_none()).unwrap();
    assert!(added.new.starts_with("[05:2"), "{added:?}");
    let again = check(&tr2, &al2, &CheckOptions::default());
    assert_eq!(again.verdict, Verdict::Pass, "{}", again.summary);
}

#[test]
fn a_transcript_of_another_recording_is_not_checked() {
    // Nine stamps over 0:00..0:37 against a 4 s recording: the aligner squeezes every turn
    // into those 4 s (and may be sure of it); no drift may be reported.
    let specs: Vec<Spec> = (0..9)
        .map(|i| {
            let mut s = spec(Some(&mmss(4.5 * i as f64, 2)), 0.4 * i as f64);
            s.confidence = 1.0;
            s
        })
        .collect();
    let mut b = Builder::block();
    b.duration = 4.0;
    let (tr, al) = b.build(&specs);
    let report = check(&tr, &al, &CheckOptions::default());
    assert_eq!(report.verdict, Verdict::Unchecked);
    assert!(report.fit.is_none());
    assert!(
        report.summary.starts_with(
            "the recording does not match this transcript: 7 of its 9 stamps lie past the end \
             of the recording at 0:04 (the last says 0:36)"
        ),
        "{}",
        report.summary
    );
}
