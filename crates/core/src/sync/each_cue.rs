//! Every cue timed by its own words (`SyncConfig::each_cue`: by default when the sync hears
//! the cues timed for another reading, always with `talign sync --each-cue`).
//!
//! Subtitles of the same text timed for another reading of it (another voice, another
//! take), or timed loosely by hand, are off by a different amount at every cue: no few
//! offsets fit them (`Listened::timed_for_another_reading`; `--shift-only` refuses them).
//! Here the sync first lays the cues out as it would (offset, ratio, splits), so each cue
//! lies near its speech; then the cues' text is aligned as a transcript over the recording,
//! as `talign align` aligns one (`pipeline`), each cue a turn stamped with its laid-out
//! start. When the sync heard the cues timed for another reading or loosely, its layout
//! may be wrong (a Festival rendition with espeak-ng's subtitles got 23 splits and the
//! wrong ratio) and the cues' own starts too (loosely timed subtitles of an edited
//! recording are off by its cuts): the cues are aligned from their own starts as well, and
//! again from the layout of where those two alignments heard them (`heard_layout`); the
//! alignment hearing the most cues' words is kept. When it is not the sync's layout's, the
//! report drops that layout's ratio, splits and cuts, and gives the heard layout's where
//! that one won. Every cue runs from its first word's
//! start to its last word's end; a cue without words (`[Speaks Arabic]`) is a turn of
//! speech not transcribed, as `talign align` reads it. Only times change, within the sync's
//! rules (`constrain`).

use std::path::Path;

use crate::analysis::Recording;
use crate::pipeline::{self, AlignOptions};
use crate::progress::Progress;
use crate::report::TurnTiming;
use crate::stats::median;
use crate::subtitle::{Cue, Subtitles, spoken_tokens};
use crate::transcript::notes;
use crate::transcript::{
    Language, SpanKind, Stamp, StampStatus, TextSpan, Transcript, TranscriptFormat, Turn,
};
use crate::{Error, Result};

use super::{SyncReport, WholeRecording, constrain, heard_layout, round3};

/// Largest spread of the layout's shifts of the cues, ms, for one shift of the file: a
/// layout of one offset on loosely timed subtitles and on another reading's moved every cue
/// by the same amount, and aligning from the cues' own starts as well wrote the same times
/// (four cases, docs/sync.md, session 49); a ratio or a split moves them by seconds.
const ONE_SHIFT_MS: i64 = 500;

/// Re-times every cue of `subs`, laid out by the sync (`report`; `before`: each cue's times
/// as read, ms, file order), by where its words are heard in `whole`, and rewrites
/// `report`'s cues, confidence and counts to say so. A recording that does not sound like
/// the cues' text is refused by the aligner ([`crate::Error::Mismatch`]), `subs` unchanged.
pub(super) fn retime(
    whole: &WholeRecording,
    subs: &mut Subtitles,
    before: &[(i64, i64)],
    report: &mut SyncReport,
    language: &Language,
    progress: &dyn Progress,
) -> Result<()> {
    let n = subs.cues.len();
    // Where each cue is said to start, for the aligner: the layout's start. Cues whose
    // material the layout found cut from the recording stay out of the transcript (their
    // words would pull their neighbours' onto other speech) and keep their place between
    // their neighbours (`constrain`).
    let laid_out: Vec<i64> = subs.cues.iter().map(|c| c.start_ms).collect();
    let cut: Vec<bool> = subs
        .cues
        .iter()
        .map(|c| report.cut_cues.contains(&c.number))
        .collect();
    // Read once for every alignment below (the careful layout may have read it already).
    let recording = Recording::Spilled {
        samples: whole.samples(progress)?,
        name: whole.recording.name(),
    };
    let recording = &recording;
    progress.stage("aligning every cue's words");
    let mut run = Hinted::align(recording, subs, &laid_out, &cut, language, progress)?;
    // Cues heard timed for another reading, or loosely: the layout may be another
    // reading's pace taken for splits and a ratio (Festival with espeak-ng's subtitles: 23
    // splits, the 24/25 ratio, 49.5 % of starts within 50 ms), or right (loosely timed
    // subtitles of an edited recording: their own starts are off by its cuts). Their own
    // starts are tried too, then the layout of where the words were heard, and the
    // alignment hearing the most cues' words where it put them is kept (the earlier on a
    // tie; docs/sync.md, sessions 48 to 50). A layout that moves every cue by one
    // amount (within [`ONE_SHIFT_MS`]) and cuts none gives the aligner the same hints but
    // the file's offset: not tried again.
    let own: Vec<i64> = before.iter().map(|&(start, _)| start).collect();
    let shifts = laid_out.iter().zip(&own).map(|(l, o)| l - o);
    let spread = shifts.clone().max().unwrap_or(0) - shifts.min().unwrap_or(0);
    let reshaped = spread > ONE_SHIFT_MS || cut.contains(&true);
    let mut layout_kept = true;
    let mut heard_layout_kept = None;
    if report.another_reading && reshaped {
        progress.stage("aligning every cue's words from its own start");
        let from_own = Hinted::align(recording, subs, &own, &vec![false; n], language, progress)?;
        // Where either alignment heard each cue (the layout's first) lays the cues out
        // again: loosely timed cues of an edited recording get a poor careful layout, and
        // their own starts are off by the edit (`heard_layout`; docs/sync.md, session 50).
        let mut heard_ms = vec![None; n];
        from_own.note_heard_starts(&mut heard_ms);
        run.note_heard_starts(&mut heard_ms);
        let speaks: Vec<bool> = subs
            .cues
            .iter()
            .map(|c| !spoken_tokens(&c.text).is_empty())
            .collect();
        let relaid = heard_layout::from_heard(&heard_ms, before, &speaks);
        if from_own.heard > run.heard {
            run = from_own;
            layout_kept = false;
        }
        if let Some(relaid) = relaid {
            progress.stage("aligning every cue's words from where the words were heard");
            let again = Hinted::align(
                recording,
                subs,
                &relaid.hint_ms,
                &relaid.cut,
                language,
                progress,
            )?;
            if again.heard > run.heard {
                run = again;
                layout_kept = false;
                heard_layout_kept = Some(relaid);
            }
        }
    }
    let heard = run.heard;
    let Some(run) = run.timed else {
        return Ok(());
    };
    refuse_unheard(recording.name(), &run.transcript, &run.turns, language)?;
    let Timed {
        order,
        kept,
        cut,
        turns,
        hint_ms,
        ..
    } = &run;
    // New times, time order: each kept cue's turn; cut cues their hint's, for `constrain`.
    let ms = |t: i64| t as f64 / 1000.0;
    let mut new: Vec<(f64, f64)> = order
        .iter()
        .map(|&i| {
            let cue = &subs.cues[i];
            (ms(hint_ms[i]), ms(hint_ms[i] + cue.end_ms - cue.start_ms))
        })
        .collect();
    // A cue runs from its first word's start to its last word's end where the model timed
    // them, else from its turn's start or to its end: a turn's start may be a breath or an
    // echo before its first word (docs/sync.md, session 48, measured both).
    for (turn, &k) in turns.iter().zip(kept) {
        let (start, end) = words_span(turn);
        new[k] = (start, end.max(start));
    }
    let orig: Vec<(f64, f64)> = order
        .iter()
        .map(|&i| (ms(before[i].0), ms(before[i].1)))
        .collect();
    constrain(&mut new, &orig, cut, report.duration_s);
    let to_ms = |s: f64| (s * 1000.0).round() as i64;
    for (k, &i) in order.iter().enumerate() {
        let cue = &mut subs.cues[i];
        cue.start_ms = to_ms(new[k].0);
        cue.end_ms = to_ms(new[k].1).max(cue.start_ms);
        let shift = &mut report.cues[i];
        shift.start_s = cue.start_ms as f64 / 1000.0;
        shift.end_s = cue.end_ms as f64 / 1000.0;
        shift.shift_s = (cue.start_ms - before[i].0) as f64 / 1000.0;
    }
    report.layout_kept = layout_kept;
    report.heard_layout_kept = heard_layout_kept.is_some();
    if let Some(layout) = &heard_layout_kept {
        layout.describe(subs, report);
    } else if !layout_kept {
        // No layout was kept: the report says how far the cues moved, not its offsets.
        let mut shifts: Vec<f64> = report.cues.iter().map(|c| c.shift_s).collect();
        report.offset_s = round3(median(&mut shifts).unwrap_or(0.0));
        report.ratio = 1.0;
        report.splits.clear();
        report.cut_cues.clear();
        report.cues.iter_mut().for_each(|c| c.cut = false);
    }
    let spoken: Vec<&TurnTiming> = turns.iter().filter(|t| t.transcribed).collect();
    report.each_cue = true;
    report.cues_with_words = spoken.len();
    report.cues_heard = heard;
    let confidence = spoken.iter().map(|t| t.confidence).sum::<f64>() / spoken.len() as f64;
    report.confidence = round3(confidence);
    report.sampled = false;
    Ok(())
}

/// The cues' text aligned as a transcript from one set of hints.
struct Hinted {
    /// `None` when no cue has words.
    timed: Option<Timed>,
    /// Cues with words whose words fit where the aligner put them (goodness at least
    /// [`pipeline::HEARD_FIT`]).
    heard: usize,
}

/// What [`Hinted::align`] aligned, in the hints' time order.
struct Timed {
    /// File index of each cue.
    order: Vec<usize>,
    /// Positions in `order` of the cues in the transcript (not cut).
    kept: Vec<usize>,
    /// Per position in `order`: left out as cut from the recording.
    cut: Vec<bool>,
    transcript: Transcript,
    /// The aligner's turn per kept cue.
    turns: Vec<TurnTiming>,
    /// Each cue's hint, ms (file order): where a cut cue is kept.
    hint_ms: Vec<i64>,
}

impl Hinted {
    /// Sets `heard_ms` (where each cue's first word was heard, ms, file order) for the cues
    /// this alignment heard (fit at least [`pipeline::HEARD_FIT`]) to where it heard them.
    fn note_heard_starts(&self, heard_ms: &mut [Option<i64>]) {
        let Some(timed) = &self.timed else {
            return;
        };
        for (turn, &k) in timed.turns.iter().zip(&timed.kept) {
            if heard(turn) {
                heard_ms[timed.order[k]] = Some((words_span(turn).0 * 1000.0).round() as i64);
            }
        }
    }

    /// Aligns the cues of `subs` but those marked `cut` (file order) as a transcript over
    /// `recording`, each cue a turn stamped at `hint_ms` (file order); their time order
    /// (file order for ties) is the transcript's turn order.
    fn align(
        recording: &Recording,
        subs: &Subtitles,
        hint_ms: &[i64],
        cut_in_file: &[bool],
        language: &Language,
        progress: &dyn Progress,
    ) -> Result<Hinted> {
        let n = subs.cues.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| (hint_ms[i], i));
        let cut: Vec<bool> = order.iter().map(|&i| cut_in_file[i]).collect();
        let kept: Vec<usize> = (0..n).filter(|&k| !cut[k]).collect();
        let tokens: Vec<Vec<String>> = kept
            .iter()
            .map(|&k| spoken_tokens(&subs.cues[order[k]].text))
            .collect();
        let turns: Vec<Turn> = kept
            .iter()
            .zip(&tokens)
            .enumerate()
            .map(|(t, (&k, tokens))| {
                let i = order[k];
                cue_turn(t, &subs.cues[i], hint_ms[i], tokens)
            })
            .collect();
        if !turns.iter().any(|t| t.transcribed) {
            return Ok(Hinted {
                timed: None,
                heard: 0,
            });
        }
        let transcript = Transcript::of_turns(TranscriptFormat::Srt, turns, String::new());
        // The aligner's own refusal names its --force; the sync refuses with its own words.
        let options = AlignOptions {
            language: Some(language.clone()),
            force: true,
            words: true,
            ..AlignOptions::default()
        };
        let run = pipeline::align_in(recording, &transcript, recording.name(), &options, progress)?;
        let turns = run.alignment.turns;
        let heard = turns.iter().filter(|t| heard(t)).count();
        Ok(Hinted {
            timed: Some(Timed {
                order,
                kept,
                cut,
                transcript,
                turns,
                hint_ms: hint_ms.to_vec(),
            }),
            heard,
        })
    }
}

/// Whether a cue's words fit where the aligner put them (goodness at least
/// [`pipeline::HEARD_FIT`]).
fn heard(turn: &TurnTiming) -> bool {
    turn.transcribed && turn.fit.is_some_and(|f| f as f32 >= pipeline::HEARD_FIT)
}

/// From a cue's first word's start to its last word's end where the model timed them, else
/// from its turn's start or to its end.
fn words_span(turn: &TurnTiming) -> (f64, f64) {
    let mut timed = turn.words.iter().flatten().filter(|w| w.fit.is_some());
    let first = timed.next();
    let last = timed.next_back().or(first);
    (
        first.map_or(turn.start, |w| w.start),
        last.map_or(turn.end, |w| w.end),
    )
}

/// Refuses cues whose words are mostly not heard where the aligner put them, as `talign
/// align` refuses a transcript (the same counts and bars).
fn refuse_unheard(
    path: &Path,
    transcript: &Transcript,
    turns: &[TurnTiming],
    language: &Language,
) -> Result<()> {
    let (heard, words) = pipeline::words_heard(
        transcript
            .turns
            .iter()
            .zip(turns)
            .map(|(cue, turn)| (cue.word_count(), turn.fit.map(|f| f as f32))),
    );
    let min_share = if language.is_english() {
        pipeline::MIN_HEARD_SHARE
    } else {
        pipeline::MIN_HEARD_SHARE_OTHER_LANGUAGE
    };
    if words < pipeline::MIN_WORDS_TO_JUDGE || heard as f64 >= min_share * words as f64 {
        return Ok(());
    }
    Err(Error::Mismatch {
        path: path.to_path_buf(),
        message: format!(
            "the cues' words, aligned as a transcript over the recording, were mostly not \
             heard: {heard} of {words} ({:.0} %, at least {:.0} % expected; read as language \
             `{}`): these subtitles seem to belong to another recording; nothing written",
            100.0 * heard as f64 / words as f64,
            100.0 * min_share,
            language.code
        ),
    })
}

/// Cue `cue` as the transcript's turn `index`, stamped at `hint_ms`: its spoken words
/// (`tokens`, punctuation kept: the pauses the text writes), with the notes `talign align`
/// reads in a transcript (`Translates. Speaks English ...` opening an interpreter's cue is
/// not said). A cue without words (`[Speaks Arabic]`, `♪`) stands for speech not
/// transcribed, as `talign align` reads it.
fn cue_turn(index: usize, cue: &Cue, hint_ms: i64, tokens: &[String]) -> Turn {
    let text = if tokens.is_empty() {
        cue.text.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        tokens.join(" ")
    };
    let spans = if tokens.is_empty() {
        vec![TextSpan {
            kind: SpanKind::Note,
            start: 0,
            end: text.len(),
        }]
    } else {
        notes::spans(&text)
    };
    Turn {
        index,
        line: cue.line,
        speaker_raw: cue.name.clone(),
        speaker: cue.name.clone(),
        uncertain: false,
        stated: Stamp {
            raw: None,
            seconds: Some(hint_ms as f64 / 1000.0),
            status: StampStatus::Ok,
            line: Some(cue.line),
            span: None,
            style: None,
        },
        transcribed: notes::has_words(&spans),
        text,
        spans,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(text: &str) -> Cue {
        Cue {
            number: 7,
            line: 20,
            start_ms: 61_500,
            end_ms: 63_000,
            id: Some("7".into()),
            text: text.into(),
            settings: String::new(),
            name: Some("Kerry".into()),
        }
    }

    /// The cue of `text` as turn `index`, stamped at `hint_ms`.
    fn turn_of(text: &str, index: usize, hint_ms: i64) -> Turn {
        let c = cue(text);
        cue_turn(index, &c, hint_ms, &spoken_tokens(&c.text))
    }

    #[test]
    fn a_cue_is_a_turn_of_its_spoken_words_with_their_pauses_stamped_at_the_hint() {
        let turn = turn_of("JOHN: <i>Well,</i> it's fine.\n[sighs] Go.", 3, 60_250);
        assert_eq!(
            turn.words().collect::<Vec<_>>(),
            ["Well", "it's", "fine", "Go"]
        );
        assert_eq!(turn.written_pauses(), [true, false, true, false]);
        assert!(turn.transcribed);
        assert_eq!((turn.index, turn.line), (3, 20));
        assert_eq!(turn.stated.seconds, Some(60.25));
        assert!(turn.stated.usable());
        assert_eq!(turn.speaker.as_deref(), Some("Kerry"));
    }

    #[test]
    fn an_interpreters_opening_note_is_not_said() {
        let turn = turn_of("Translates. Speaks English ... To be honest, no.", 0, 1_000);
        assert_eq!(
            turn.words().collect::<Vec<_>>(),
            ["To", "be", "honest", "no"]
        );
        assert!(turn.transcribed);
    }

    #[test]
    fn cues_whose_words_are_mostly_not_heard_are_refused() {
        let twelve = "one two three four five six seven eight nine ten eleven twelve";
        let turns: Vec<Turn> = (0..3)
            .map(|k| turn_of(twelve, k, 1_000 * k as i64))
            .collect();
        let transcript = Transcript::of_turns(TranscriptFormat::Srt, turns, String::new());
        let timed = |fits: [f64; 3]| -> Vec<TurnTiming> {
            fits.iter()
                .zip(&transcript.turns)
                .map(|(&fit, t)| TurnTiming {
                    index: t.index,
                    line: t.line,
                    speaker: None,
                    speaker_raw: None,
                    text: t.text.clone(),
                    transcribed: true,
                    stated: crate::report::StatedTime {
                        raw: None,
                        seconds: t.stated.seconds,
                        status: t.stated.status,
                    },
                    start: 1.0,
                    end: 2.0,
                    confidence: 0.9,
                    words: None,
                    fit: Some(fit),
                    corrected: false,
                })
                .collect()
        };
        let (path, english) = (Path::new("a.wav"), Language::english());
        // 12 of 36 words heard: a third, above the aligner's bar of 30 %.
        assert!(refuse_unheard(path, &transcript, &timed([-2.0, -8.0, -9.0]), &english).is_ok());
        let refused = refuse_unheard(path, &transcript, &timed([-6.0, -8.0, -9.0]), &english);
        let Err(Error::Mismatch { message, .. }) = refused else {
            panic!("{refused:?}")
        };
        assert!(message.contains("0 of 36"), "{message}");
    }

    #[test]
    fn a_cue_without_words_stands_for_speech_not_transcribed() {
        let turn = turn_of("[Speaks  Arabic]\n♪", 0, 1_000);
        assert!(!turn.transcribed);
        assert_eq!(turn.word_count(), 0);
        assert_eq!(turn.text, "[Speaks Arabic] ♪");
        assert_eq!(turn.stated.seconds, Some(1.0));
    }
}
