//! The whole job in one call: a recording and its transcript in, an [`Alignment`] out.

use std::cell::OnceCell;
use std::path::Path;

use crate::acoustic::cepstra::Cepstra;
use crate::acoustic::denoise::TwinCepstra;
use crate::acoustic::dictionary::Dictionary;
use crate::acoustic::frontend::FrontEnd;
use crate::acoustic::model::AcousticModel;
use crate::acoustic::pronounce::{self, Pronounced};
use crate::align::{
    self, AlignConfig, Aligned, Evidence, Outcome, Snapped, TurnInput, build_chunks,
    count_syllables,
};
use crate::analysis::{self, Recording, Samples};
use crate::decode::SourceInfo;
use crate::error::{Error, Result};
use crate::features::CepstrumStore;
use crate::progress::Progress;
use crate::reference::{self, SpokenTurn};
use crate::report::{
    Alignment, AudioInfo, PhoneTiming, StatedTime, TranscriptInfo, TurnTiming, WordTiming,
};
use crate::transcript::Language;
use crate::transcript::Transcript;
use crate::vad::{Vad, VadConfig, VadResult};

/// Everything that tunes an alignment.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignOptions {
    /// Speech detection for chunks and edge scores. Default [`VadConfig::for_alignment`].
    pub vad: VadConfig,
    /// Pauses of at least this many frames split speech into chunks the aligner hands out to
    /// turns. Default 8 (80 ms).
    pub chunk_gap: u32,
    /// A dip this many dB under the last half second's peak counts as a pause between
    /// chunks. Default 15.
    pub chunk_drop_db: f32,
    /// The turn aligner.
    pub align: AlignConfig,
    /// What matches the transcript's words to the recording's sounds. Default
    /// [`Listener::AcousticModel`].
    pub listener: Listener,
    /// espeak-ng voice: it speaks the transcript for [`Listener::ReferenceVoice`] and gives
    /// phonemes for words the acoustic model's dictionary lacks; `None` uses neither (words
    /// the dictionary lacks are then guessed from their spelling). Default `en`.
    pub reference_voice: Option<String>,
    /// Speaking rate of the reference voice, words per minute. Default 175.
    pub reference_rate_wpm: u32,
    /// Report every word's start and end (needs a reference). Default false.
    pub words: bool,
    /// With `words`, also each word's phones (acoustic model only). Default false.
    pub phones: bool,
    /// The transcript's language; `None` detects it from the text. English words are
    /// pronounced from the model's dictionary; any other language's by espeak-ng's voice for
    /// it, mapped onto the English model's phones. Default `None`.
    pub language: Option<Language>,
    /// Align even a recording that does not sound like its transcript. Default false: such
    /// a pair is refused with [`Error::Mismatch`].
    pub force: bool,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            vad: VadConfig::for_alignment(),
            chunk_gap: 8,
            chunk_drop_db: 15.0,
            align: AlignConfig::default(),
            listener: Listener::AcousticModel,
            reference_voice: Some("en".into()),
            reference_rate_wpm: 175,
            words: false,
            phones: false,
            force: false,
            language: None,
        }
    }
}

/// What matches the transcript's words to the recording's sounds, beyond pauses, durations,
/// voices and stamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listener {
    /// Nothing: the turn lattice alone.
    Lattice,
    /// The CMU Sphinx US-English acoustic model forced-aligns every transcribed turn's words.
    AcousticModel,
    /// espeak-ng speaks the transcript and the recording is warped onto its voice.
    ReferenceVoice,
}

/// An alignment plus what was learnt on the way (for summaries and drift checks).
#[derive(Debug, Clone)]
pub struct AlignRun {
    /// The result, as exported.
    pub alignment: Alignment,
    /// What the decoder found.
    pub source: SourceInfo,
    /// Rate and clock the aligner measured.
    pub outcome: Outcome,
    /// Why the reference voice or acoustic model was not used, when asked for and unusable.
    pub reference_unavailable: Option<String>,
    /// Words the dictionary lacks and how they were pronounced (or that they were skipped),
    /// once each.
    pub pronunciation_notes: Vec<String>,
}

/// Decodes `audio`, finds its speech and aligns `transcript` (read from `transcript_path`).
pub fn align_recording(
    audio: &Path,
    transcript: &Transcript,
    transcript_path: &Path,
    options: &AlignOptions,
    progress: &dyn Progress,
) -> Result<AlignRun> {
    align_in(
        &Recording::File(audio),
        transcript,
        transcript_path,
        options,
        progress,
    )
}

/// Aligns `transcript` with samples already in memory (any rate, mono or interleaved):
/// the same job as [`align_recording`], for callers that decode, record or synthesise
/// audio themselves. `samples.name` stands for the recording in messages and the report.
pub fn align_samples(
    samples: Samples,
    transcript: &Transcript,
    transcript_path: &Path,
    options: &AlignOptions,
    progress: &dyn Progress,
) -> Result<AlignRun> {
    align_in(
        &Recording::Samples(samples),
        transcript,
        transcript_path,
        options,
        progress,
    )
}

/// Finds the recording's speech and aligns `transcript` with it.
pub(crate) fn align_in(
    recording: &Recording,
    transcript: &Transcript,
    transcript_path: &Path,
    options: &AlignOptions,
    progress: &dyn Progress,
) -> Result<AlignRun> {
    let audio = recording.name();
    if transcript.turns.is_empty() {
        return Err(Error::Transcript {
            path: transcript_path.to_path_buf(),
            line: 0,
            message: "no turns found; nothing to align".into(),
        });
    }
    // A model the user pointed at that cannot be read is bad input, found before the long work.
    let model = match options.listener {
        Listener::AcousticModel => Some(AcousticModel::shared()?),
        _ => None,
    };
    let language = options
        .language
        .clone()
        .or_else(|| crate::transcript::detect_language(transcript))
        .unwrap_or_else(Language::english);
    let mut cepstra = CepstrumStore::default();
    let mut heard_cepstra: Option<Cepstra> = None;
    // What listens is prepared (the voice speaks, or the model loads and the words are
    // pronounced) while the recording is decoded and the turn lattice runs; the align stage
    // asks for it once the lattice is done.
    let prepared = OnceCell::new();
    let (source, aligned) = std::thread::scope(|scope| {
        // A transcript too long for the length the container declares will most likely be
        // refused once decoded: it is not prepared (minutes for a huge one) in the meantime.
        let suspect = !options.force
            && recording
                .declared_duration_s()
                .is_some_and(|d| refuse_overlong(audio, transcript, d).is_err());
        let preparing = (!suspect).then(|| scope.spawn(|| prepare(transcript, &language, options)));
        let (source, found) = analyse(
            recording,
            options,
            model.as_deref(),
            progress,
            &mut cepstra,
            &mut heard_cepstra,
        )?;
        // An annotation file whose own times run past the recording was made for another.
        crate::transcript::refuse_times_past_end(transcript, transcript_path, source.duration_s())?;
        // Checked once the recording is decoded (and known not to be empty or silent),
        // before the lattice and the model spend minutes on it.
        if !options.force {
            refuse_overlong(audio, transcript, source.duration_s())?;
        }
        progress.stage("aligning");
        let chunks = build_chunks(&found.chunks, &cepstra).map_err(|e| e.with_path(audio))?;
        let evidence = || {
            let prepared = prepared.get_or_init(|| match preparing {
                Some(thread) => thread.join().expect("preparation does not panic"),
                None => prepare(transcript, &language, options),
            });
            match prepared {
                Ok(Prepared::Spoken(spoken)) => Evidence::Reference {
                    spoken,
                    cepstra: &cepstra,
                },
                Ok(Prepared::Pronounced { words, .. }) => match (&model, &heard_cepstra) {
                    (Some(model), Some(heard)) => Evidence::Acoustic {
                        model: model.as_ref(),
                        cepstra: heard,
                        words,
                    },
                    _ => Evidence::None,
                },
                _ => Evidence::None,
            }
        };
        let aligned = align::align(
            &turn_inputs(transcript),
            &chunks,
            &found.frame_scores,
            evidence,
            &options.align,
        )
        .map_err(|e| e.with_path(audio))?;
        Ok::<_, Error>((source, aligned))
    })?;
    let (reference_unavailable, pronunciation_notes, spoken_by_espeak) = match prepared.into_inner()
    {
        Some(Err(why)) => (Some(why), Vec::new(), false),
        Some(Ok(Prepared::Pronounced { notes, words })) => {
            (None, notes, mostly_spoken_by_espeak(&words))
        }
        _ => (None, Vec::new(), false),
    };
    drop(cepstra);
    drop(heard_cepstra);
    let Aligned { outcome, snapped } = aligned;
    if options.listener == Listener::AcousticModel && !options.force {
        // English is the model's own language. Another is heard through espeak-ng's
        // phonemes, less well, so its bar is lower; spelled by rules alone (no espeak-ng),
        // too little of it is heard to judge.
        let min_share = if language.is_english() {
            Some(MIN_HEARD_SHARE)
        } else {
            spoken_by_espeak.then_some(MIN_HEARD_SHARE_OTHER_LANGUAGE)
        };
        if let Some(min_share) = min_share {
            refuse_mismatch(audio, transcript, &snapped, min_share, &language)?;
        }
    }
    let alignment = report(
        audio,
        &source,
        transcript,
        transcript_path,
        &outcome,
        &snapped,
        options,
    );
    progress.finish();
    Ok(AlignRun {
        alignment,
        source,
        outcome,
        reference_unavailable,
        pronunciation_notes,
    })
}

/// Decodes and analyses the recording: speech regions, chunks, frame scores and cepstra.
fn analyse(
    recording: &Recording,
    options: &AlignOptions,
    model: Option<&AcousticModel>,
    progress: &dyn Progress,
    cepstra: &mut CepstrumStore,
    heard_cepstra: &mut Option<Cepstra>,
) -> Result<(SourceInfo, VadResult)> {
    let mut vad = Vad::new(options.vad.clone())
        .with_chunks(options.chunk_gap, options.chunk_drop_db)
        .with_frame_scores();
    // The acoustic model reads the samples through its own front end, denoised when the
    // recording turns out noisy.
    let mut front_end = model.map(|m| FrontEnd::denoising(m.feat_params()));
    let mut heard = TwinCepstra::default();
    let audio = recording.name();
    let source = analysis::analyse_recording(
        recording,
        progress,
        |samples| {
            if let Some(fe) = front_end.as_mut() {
                fe.push(samples, &mut heard);
            }
        },
        |block| {
            vad.push(block);
            cepstra.push(block);
        },
    )?;
    if let Some(mut fe) = front_end {
        fe.finish(&mut heard);
        *heard_cepstra = Some(heard.choose());
    }
    if source.frames == 0 {
        return Err(Error::NoAudio {
            path: audio.to_path_buf(),
            message: "recording has no samples (zero length); nothing to align: check that it \
                      was recorded or exported completely"
                .into(),
        });
    }
    if source.peak == 0.0 {
        return Err(Error::NoAudio {
            path: audio.to_path_buf(),
            message: format!(
                "recording is digital silence for all its {:.3} s; nothing to align: check the \
                 file or its channels",
                source.duration_s()
            ),
        });
    }
    Ok((source, vad.into_parts()))
}

/// A transcribed word counts as heard when its turn fits at least this well (goodness of
/// pronunciation; the evaluation set's turns fit from about -4 up, a reversed or unrelated
/// recording's below -5: docs/accuracy.md). Public to read a report by:
/// [`TurnTiming::fit`](crate::report::TurnTiming::fit) below it means the turn was placed
/// from pauses and durations, not heard (the command line's summary counts those).
pub const HEARD_FIT: f32 = -4.5;
/// No speaker keeps up more words per second of recording than this (the fastest talkers on
/// record reach about 10 words per second of speech, pauses only lower it; the evaluation
/// set's fastest recording holds 5.5 tokens per second, labels included).
pub(crate) const MAX_WORDS_PER_SECOND: f64 = 10.0;
/// Transcripts this short are never refused for their length (a clip, a test).
const OVERLONG_ALLOWANCE_WORDS: usize = 20;

/// Bytes of transcript per second of recording beyond which it is refused before it is even
/// parsed: real transcripts hold about 12 (the shared 37-minute meeting: 27 KB); notes and
/// labels never make it 80 times more.
pub(crate) const MAX_TRANSCRIPT_BYTES_PER_SECOND: u64 = 1000;
/// Transcripts this small are never refused for their size.
const OVERSIZE_ALLOWANCE_BYTES: u64 = 4096;

/// Refuses, before it is read, a transcript file far too large for the length `audio`'s
/// container declares (a 50 MB transcript against a 48 s clip takes seconds just to parse).
/// Nothing is refused when the container declares no length. [`align_recording`] does this
/// itself; public for callers that read the transcript first (the command line).
pub fn refuse_oversized_transcript(audio: &Path, transcript_path: &Path) -> Result<()> {
    let Ok(meta) = std::fs::metadata(transcript_path) else {
        return Ok(()); // the reader says what is wrong with it
    };
    // A recording that cannot be opened is reported by the decoder, in its turn.
    let Some(duration_s) = Recording::File(audio).declared_duration_s() else {
        return Ok(());
    };
    let limit =
        (MAX_TRANSCRIPT_BYTES_PER_SECOND as f64 * duration_s) as u64 + OVERSIZE_ALLOWANCE_BYTES;
    if !meta.is_file() || meta.len() <= limit || duration_s <= 0.0 {
        return Ok(());
    }
    Err(Error::Mismatch {
        path: audio.to_path_buf(),
        message: format!(
            "the transcript {} ({} bytes) is far too long for {duration_s:.1} s of audio \
             (more than {MAX_TRANSCRIPT_BYTES_PER_SECOND} bytes per second; real transcripts \
             hold about 12): check that this is the right recording and transcript, or pass \
             --force to try anyway",
            transcript_path.display(),
            meta.len()
        ),
    })
}

/// Refuses a transcript whose transcribed words could not be spoken in `duration_s`, before
/// minutes of work end in "no consistent placement".
fn refuse_overlong(audio: &Path, transcript: &Transcript, duration_s: f64) -> Result<()> {
    let words: usize = transcript
        .turns
        .iter()
        .filter(|t| t.transcribed)
        .map(|t| t.word_count())
        .sum();
    let limit = MAX_WORDS_PER_SECOND * duration_s.max(0.0) + OVERLONG_ALLOWANCE_WORDS as f64;
    if (words as f64) <= limit {
        return Ok(());
    }
    Err(Error::Mismatch {
        path: audio.to_path_buf(),
        message: format!(
            "the transcript cannot be spoken in this recording: {words} transcribed words in \
             {} turns against {duration_s:.1} s of audio would be {:.1} words per second, \
             beyond any speaker (at most {MAX_WORDS_PER_SECOND}); check that this is the \
             right recording and transcript, or pass --force to try anyway",
            transcript.turns.len(),
            words as f64 / duration_s.max(1e-3)
        ),
    })
}

/// Fewer heard words than this share of an English transcript's refuses the pair.
pub(crate) const MIN_HEARD_SHARE: f64 = 0.3;
/// The same for a transcript in another language, heard through espeak-ng's phonemes and the
/// English model: the evaluation set's pairs in Spanish, Czech and French hear 57–100 % of
/// their words, English speech under its Italian translation 0–7 % (docs/accuracy.md,
/// "Mismatch refused").
pub(crate) const MIN_HEARD_SHARE_OTHER_LANGUAGE: f64 = 0.15;

/// True when espeak-ng pronounced most of the words (not the spelling rules).
fn mostly_spoken_by_espeak(words: &[Option<Vec<Option<Pronounced>>>]) -> bool {
    let (mut espeak, mut all) = (0usize, 0usize);
    for p in words.iter().flatten().flatten().flatten() {
        all += 1;
        espeak += usize::from(matches!(p.source, pronounce::Source::Espeak(_)));
    }
    2 * espeak > all
}

/// Fewer transcribed words than this are too little text to judge whether the recording
/// sounds like them.
pub(crate) const MIN_WORDS_TO_JUDGE: usize = 20;

/// Of transcribed turns given as (their words, their goodness), how many words are in turns
/// heard ([`HEARD_FIT`]), and how many in all.
pub(crate) fn words_heard(turns: impl IntoIterator<Item = (usize, Option<f32>)>) -> (usize, usize) {
    turns
        .into_iter()
        .fold((0, 0), |(heard, words), (n, goodness)| {
            let is_heard = goodness.is_some_and(|g| g >= HEARD_FIT);
            (heard + if is_heard { n } else { 0 }, words + n)
        })
}

/// Refuses a recording whose transcribed words are mostly not heard in it: fewer than
/// `min_share` of them.
fn refuse_mismatch(
    audio: &Path,
    transcript: &Transcript,
    snapped: &[Option<Snapped>],
    min_share: f64,
    language: &Language,
) -> Result<()> {
    let (heard, words) = words_heard(
        transcript
            .turns
            .iter()
            .zip(snapped.iter().chain(std::iter::repeat(&None)))
            .filter(|(turn, _)| turn.transcribed)
            .map(|(turn, s)| (turn.word_count(), s.as_ref().and_then(|s| s.goodness))),
    );
    if words < MIN_WORDS_TO_JUDGE {
        return Ok(());
    }
    let share = heard as f64 / words as f64;
    if share >= min_share {
        return Ok(());
    }
    let read_as = if language.is_english() {
        String::new()
    } else {
        format!(
            "; the transcript was read as language `{}` (if that is wrong, give --lang)",
            language.code
        )
    };
    Err(Error::Mismatch {
        path: audio.to_path_buf(),
        message: format!(
            "the recording does not sound like the transcript: only {heard} of its {words} \
             transcribed words ({:.0} %) were heard where the turns fall (at least {:.0} % \
             expected){read_as}; check that this is the right recording and transcript, or \
             pass --force to align anyway",
            share * 100.0,
            min_share * 100.0
        ),
    })
}

/// What listens to the recording, made ready.
enum Prepared {
    /// Nothing listens: the lattice alone.
    Nothing,
    /// The transcribed turns spoken by the reference voice.
    Spoken(Vec<Option<SpokenTurn>>),
    /// Each transcribed turn's pronunciations, for the acoustic model.
    Pronounced {
        words: Vec<Option<Vec<Option<Pronounced>>>>,
        notes: Vec<String>,
    },
}

/// Speaks the transcript, or loads the acoustic model and pronounces the transcript's words,
/// as `options.listener` asks; `Err` says why it cannot be used.
fn prepare(
    transcript: &Transcript,
    language: &Language,
    options: &AlignOptions,
) -> std::result::Result<Prepared, String> {
    let turns = words_to_speak(transcript);
    match options.listener {
        Listener::Lattice => Ok(Prepared::Nothing),
        Listener::ReferenceVoice => {
            let Some(voice) = options.reference_voice.as_deref() else {
                return Ok(Prepared::Nothing);
            };
            reference::speak_turns(&turns, voice, options.reference_rate_wpm)
                .map(Prepared::Spoken)
                .map_err(|e| e.0)
        }
        Listener::AcousticModel => {
            // English from the dictionary (espeak-ng's US voice for the words it lacks);
            // another language wholly from espeak-ng's voice for it, mapped onto the English
            // model's phones (cross-language forced alignment).
            let empty = Dictionary::parse("").expect("an empty dictionary parses");
            let (dictionary, voice) = if language.is_english() {
                (Dictionary::embedded(), "en-us".to_string())
            } else {
                (&empty, language.espeak_voice.clone())
            };
            let pronounce_options = pronounce::Options {
                espeak_voice: options.reference_voice.as_ref().map(|_| voice),
                english: language.is_english(),
            };
            let mut notes = Vec::new();
            if !language.is_english() {
                notes.push(format!(
                    "transcript read as language `{}`: its words are pronounced by espeak-ng's \
                     `{}` voice and matched with the English acoustic model's nearest phones \
                     (--lang sets the language)",
                    language.code, language.espeak_voice
                ));
            }
            let mut pronouncer = pronounce::Pronouncer::new(dictionary, &pronounce_options);
            let words = turns
                .iter()
                .zip(&transcript.turns)
                .map(|(t, turn)| {
                    t.as_ref().map(|tokens| {
                        let p = pronouncer.turn(tokens);
                        notes.extend(p.notes.iter().map(ToString::to_string));
                        let mut words = p.words;
                        pronounce::mark_written_pauses(&mut words, turn.written_pauses());
                        words
                    })
                })
                .collect();
            notes[usize::from(!language.is_english())..].sort();
            notes.dedup();
            Ok(Prepared::Pronounced { words, notes })
        }
    }
}

/// The words the reference voice speaks for each turn; `None` for untranscribed turns.
/// With [`turn_inputs`], what a caller driving the align stage itself needs from a
/// transcript (the benches and the tuning examples do).
pub fn words_to_speak(transcript: &Transcript) -> Vec<Option<Vec<&str>>> {
    transcript
        .turns
        .iter()
        .map(|t| t.transcribed.then(|| t.words().collect()))
        .collect()
}

/// What the aligner needs from each turn: the `turns` of [`align::align`],
/// for callers that run the align stage on features of their own.
pub fn turn_inputs(transcript: &Transcript) -> Vec<TurnInput> {
    transcript
        .turns
        .iter()
        .map(|t| TurnInput {
            syllables: if t.transcribed {
                count_syllables(t.words())
            } else {
                0
            },
            transcribed: t.transcribed,
            stated_s: t.stated.usable().then_some(t.stated.seconds).flatten(),
            speaker: t.speaker.clone(),
        })
        .collect()
}

fn report(
    audio: &Path,
    source: &SourceInfo,
    transcript: &Transcript,
    transcript_path: &Path,
    outcome: &Outcome,
    snapped: &[Option<Snapped>],
    options: &AlignOptions,
) -> Alignment {
    let (words, phones) = (options.words.then_some(snapped), options.phones);
    let phone_s = words.map_or(0.0, |w| median_phone_s(transcript, w));
    Alignment {
        schema: crate::report::SCHEMA,
        audio: AudioInfo {
            path: audio.display().to_string(),
            duration_s: source.duration_s(),
            sample_rate: source.sample_rate,
            channels: source.channels,
        },
        transcript: TranscriptInfo {
            path: transcript_path.display().to_string(),
            format: transcript.format,
        },
        turns: transcript
            .turns
            .iter()
            .zip(&outcome.placements)
            .enumerate()
            .map(|(i, (t, p))| TurnTiming {
                index: t.index,
                line: t.line,
                speaker: t.speaker.clone(),
                speaker_raw: t.speaker_raw.clone(),
                text: t.text.clone(),
                transcribed: t.transcribed,
                stated: StatedTime {
                    raw: t.stated.raw.clone(),
                    seconds: t.stated.seconds,
                    status: t.stated.status,
                },
                start: p.start_s(),
                end: p.end_s(),
                confidence: round3(p.confidence),
                fit: snapped
                    .get(i)
                    .and_then(Option::as_ref)
                    .and_then(|s| s.goodness)
                    .map(|g| round3(f64::from(g))),
                words: words.and_then(|w| {
                    word_timings(t, w.get(i).and_then(Option::as_ref), p, phones, phone_s)
                }),
                corrected: false,
            })
            .collect(),
        made: None,
    }
}

/// The median length (seconds) of the phones of every turn's words as they were heard, 0
/// without any: the recording's pace, which a word's confidence reads
/// ([`align::word_pace`]).
fn median_phone_s(transcript: &Transcript, snapped: &[Option<Snapped>]) -> f64 {
    let mut lengths: Vec<f64> = transcript
        .turns
        .iter()
        .zip(snapped)
        .filter_map(|(turn, s)| Some((turn, s.as_ref()?)))
        .filter(|(turn, s)| all_words_timed(turn, s))
        .flat_map(|(_, s)| {
            s.phones[..s.words.len().min(s.phones.len())]
                .iter()
                .flatten()
                .map(|(_, start, end)| end.seconds() - start.seconds())
        })
        .collect();
    if lengths.is_empty() {
        return 0.0;
    }
    lengths.sort_by(f64::total_cmp);
    let n = lengths.len();
    if n % 2 == 1 {
        lengths[n / 2]
    } else {
        (lengths[n / 2 - 1] + lengths[n / 2]) / 2.0
    }
}

/// Whether every word `snapped` timed is one of the turn's words: else [`word_timings`]
/// gives the turn none (and the recording's pace does not read them).
fn all_words_timed(turn: &crate::transcript::Turn, snapped: &Snapped) -> bool {
    turn.words().count() >= snapped.words.len()
}

/// Clamps a time (seconds) into the turn's placement.
fn inside(placed: &align::Placement) -> impl Fn(f64) -> f64 {
    let (start, end) = (placed.start_s(), placed.end_s().max(placed.start_s()));
    move |s: f64| s.clamp(start, end)
}

/// A turn's words with their times, kept inside the turn; `None` for a turn the reference
/// did not place (no words are guessed). `phone_s`: the recording's median phone length.
fn word_timings(
    turn: &crate::transcript::Turn,
    snapped: Option<&Snapped>,
    placed: &align::Placement,
    with_phones: bool,
    phone_s: f64,
) -> Option<Vec<WordTiming>> {
    let snapped = snapped.filter(|s| all_words_timed(turn, s))?;
    let clamp = inside(placed);
    let timings: Vec<WordTiming> = turn
        .words()
        .zip(&snapped.words)
        .enumerate()
        .map(|(i, (w, span))| {
            let fit_of = |k: Option<usize>| {
                k.and_then(|k| snapped.word_fits.get(k).copied().flatten())
                    .map(|f| f.fit)
            };
            let neighbour_fits = [fit_of(i.checked_sub(1)), fit_of(Some(i + 1))];
            let fit = snapped.word_fits.get(i).copied().flatten();
            let heard = (span.start.seconds(), span.end.seconds());
            let (start, end) = (clamp(heard.0), clamp(heard.1));
            // Its confidence reads the word as heard; kept inside the turn, a word whose
            // start moved further than the confidence's reach is not where it was heard,
            // and nothing vouches for where it is.
            let moved_away = (start - heard.0).abs() > align::WORD_CONFIDENCE_REACH_S;
            let length = heard.1 - heard.0;
            WordTiming {
                word: w.to_string(),
                start,
                end,
                confidence: fit.map(|fit| {
                    if moved_away {
                        return 0.0;
                    }
                    let phones = snapped.phones.get(i).map_or(0, Vec::len);
                    round3(align::word_confidence(
                        placed.confidence,
                        &fit,
                        length,
                        neighbour_fits,
                        align::word_pace(length, phones, phone_s),
                    ))
                }),
                fit: fit.map(|fit| round3(f64::from(fit.fit))),
                onset_fit: fit.map(|fit| round3(f64::from(fit.edge.onset))),
                pause_fit: fit
                    .and_then(|fit| fit.edge.pause)
                    .map(|v| round3(f64::from(v))),
                phones: snapped.phones.get(i).filter(|_| with_phones).map(|phones| {
                    phones
                        .iter()
                        .map(|(phone, start, end)| PhoneTiming {
                            phone: phone.to_string(),
                            start: clamp(start.seconds()),
                            end: clamp(end.seconds()),
                        })
                        .collect()
                }),
            }
        })
        .collect();
    Some(timings)
}

/// Rounds to 3 decimals, as the JSON shows confidences and fits.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clip() -> (std::path::PathBuf, std::path::PathBuf) {
        let root = crate::test_signals::repo_path("sample-audio");
        (
            root.join("clip-kerry-45s.wav"),
            root.join("clip-kerry-45s.txt"),
        )
    }

    /// The clip's samples in memory, as a caller holding them would pass them.
    fn clip_samples() -> (Vec<f32>, u32, u32) {
        let mut reader = hound::WavReader::open(clip().0).unwrap();
        let spec = reader.spec();
        let scale = 1.0 / f32::from(i16::MAX);
        let data = reader
            .samples::<i16>()
            .map(|s| f32::from(s.unwrap()) * scale)
            .collect();
        (data, spec.sample_rate, u32::from(spec.channels))
    }

    /// A word heard outside its turn is kept inside it; where that moved its start further
    /// than a word's confidence reaches (0.1 s), nothing vouches for it: confidence 0, not
    /// the high one a word squeezed to nothing at the turn's edge got from its pace. A word
    /// whose end alone was cut keeps the confidence of the word as heard.
    #[test]
    fn a_word_kept_inside_its_turn_far_from_where_it_was_heard_is_not_vouched_for() {
        use crate::acoustic::forced::EdgeFit;
        use crate::align::{WordFit, WordSpan};
        use crate::time::Frame;
        let transcript = crate::transcript::parse("A\nhello there world\n", None);
        let turn = &transcript.turns[0];
        let span = |a: u32, b: u32| WordSpan {
            start: Frame(a),
            end: Frame(b),
        };
        let fit = Some(WordFit {
            fit: -1.0,
            edge: EdgeFit {
                onset: -1.0,
                pause: None,
            },
        });
        let phones = |a: u32, b: u32| vec![("AH", Frame(a), Frame(b))];
        // Heard 1.00-1.40, 1.40-1.80 and 1.80-2.30 s; the turn was placed 1.0-2.0 s.
        let snapped = Snapped {
            start: Frame(100),
            end: Frame(230),
            match_cost: 1.0,
            words: vec![span(100, 140), span(140, 180), span(180, 230)],
            phones: vec![phones(100, 140), phones(140, 180), phones(180, 230)],
            goodness: Some(-1.0),
            word_fits: vec![fit; 3],
        };
        let confidences = |end_s: f64| {
            let placed = align::Placement {
                start: Frame(100),
                end: Frame::from_seconds(end_s),
                confidence: 0.9,
            };
            let words = word_timings(turn, Some(&snapped), &placed, false, 0.1).unwrap();
            assert!(words.iter().all(|w| w.start >= 1.0 && w.end <= end_s));
            words
                .iter()
                .map(|w| w.confidence.unwrap())
                .collect::<Vec<_>>()
        };
        let whole = confidences(2.3);
        assert!(whole.iter().all(|&c| c > 0.5), "{whole:?}");
        // Placed to 2.0 s: the last word's end alone is cut, its confidence is as heard.
        assert_eq!(confidences(2.0), whole);
        // Placed to 1.6 s: the last word is squeezed to nothing 0.2 s before it was heard.
        let cut = confidences(1.6);
        assert_eq!(cut[..2], whole[..2]);
        assert_eq!(cut[2], 0.0);
    }

    /// Another language's pairs are judged only when espeak-ng pronounced most of their
    /// words: spelled by rules, too little is heard to tell a mismatch from the rules' guesses.
    #[test]
    fn only_words_espeak_ng_pronounced_make_another_language_judged() {
        let word = |source| {
            Some(Pronounced::new(
                "casa",
                vec![vec!["K", "AA", "S", "AA"]],
                source,
            ))
        };
        let espeak = || word(pronounce::Source::Espeak("kˈasa".into()));
        let rules = || word(pronounce::Source::Rules);
        assert!(mostly_spoken_by_espeak(&[
            Some(vec![espeak(), espeak(), rules()]),
            None
        ]));
        assert!(!mostly_spoken_by_espeak(&[Some(vec![espeak(), rules()])]));
        assert!(!mostly_spoken_by_espeak(&[Some(vec![rules(), None]), None]));
        assert!(!mostly_spoken_by_espeak(&[]));
    }

    #[test]
    fn samples_in_memory_align_as_the_file_does() {
        let (wav, txt) = clip();
        let transcript = crate::transcript::read(&txt, None).unwrap();
        let options = AlignOptions {
            listener: Listener::Lattice,
            ..AlignOptions::default()
        };
        let from_file =
            align_recording(&wav, &transcript, &txt, &options, &crate::progress::Silent).unwrap();
        let (data, sample_rate, channels) = clip_samples();
        let samples = Samples {
            data: &data,
            sample_rate,
            channels,
            name: &wav,
        };
        let in_memory = align_samples(
            samples,
            &transcript,
            &txt,
            &options,
            &crate::progress::Silent,
        )
        .unwrap();
        assert_eq!(in_memory.alignment.turns, from_file.alignment.turns);
        assert_eq!(in_memory.source.frames, from_file.source.frames);
    }

    #[test]
    fn interleaved_stereo_and_another_rate_are_read_and_bad_samples_silenced() {
        let (_, txt) = clip();
        let transcript = crate::transcript::read(&txt, None).unwrap();
        let (mono, rate, _) = clip_samples();
        // Stereo at the same rate, with NaN and Inf sprinkled in one channel.
        let mut stereo: Vec<f32> = mono.iter().flat_map(|&x| [x, x]).collect();
        for i in (0..stereo.len()).step_by(1999) {
            stereo[i] = if i % 2 == 0 { f32::NAN } else { f32::INFINITY };
        }
        let name = Path::new("stereo in memory");
        let options = AlignOptions {
            listener: Listener::Lattice,
            ..AlignOptions::default()
        };
        let run = align_samples(
            Samples {
                data: &stereo,
                sample_rate: rate,
                channels: 2,
                name,
            },
            &transcript,
            &txt,
            &options,
            &crate::progress::Silent,
        )
        .unwrap();
        assert_eq!(run.alignment.turns.len(), transcript.turns.len());
        assert!(
            run.source.warnings[0].starts_with("772 samples are not numbers"),
            "{:?}",
            run.source.warnings
        );
        assert_eq!(run.alignment.audio.path, "stereo in memory");
        for bad_rate in [0, 999, 768_001] {
            let err = align_samples(
                Samples {
                    data: &stereo,
                    sample_rate: bad_rate,
                    channels: 2,
                    name,
                },
                &transcript,
                &txt,
                &options,
                &crate::progress::Silent,
            )
            .unwrap_err();
            assert!(err.to_string().contains("sample rate"), "{err}");
        }
        let odd = &stereo[..stereo.len() - 1];
        let err = align_samples(
            Samples {
                data: odd,
                sample_rate: rate,
                channels: 2,
                name,
            },
            &transcript,
            &txt,
            &options,
            &crate::progress::Silent,
        )
        .unwrap_err();
        assert!(err.to_string().contains("whole frames"), "{err}");
    }
}
