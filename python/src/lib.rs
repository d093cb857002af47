//! talign for Python (`talign._talign`, wrapped by the package `talign` in python/talign/):
//! align a recording with its transcript, check its stamps, lint it.
//!
//! Every call that decodes, reads or aligns runs without the GIL (`Python::detach`, pyo3's
//! name for `allow_threads` since 0.26), so threads align files in parallel. Inputs are
//! checked with the GIL held and copied where they could change meanwhile (NumPy samples).
//! Errors become Python exceptions carrying the command line's messages (`errors.rs`).
//! What the command line prints on stderr (decode warnings, pronunciation notes) is kept
//! in [`Alignment::warnings`] and [`Alignment::notes`].

mod audio;
mod convert;
mod errors;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use pyo3::exceptions::{PyImportError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use talign::export::{ExportFormat, ExportOptions};
use talign::pipeline::{AlignOptions, AlignRun, Listener};
use talign::report;
use talign::transcript::{Language, TranscriptFormat};

use crate::audio::{Audio, type_name};
use crate::errors::{IntoPy, MismatchError};

/// A transcript as talign read it: turns, speakers, stamps and problems.
///
/// Made by [`Transcript::read`] from a file or [`Transcript::from_text`] from a string;
/// immutable.
#[pyclass(frozen, module = "talign")]
pub struct Transcript {
    inner: Arc<talign::transcript::Transcript>,
    /// What names the transcript in messages and in the alignment's `transcript.path`.
    path: PathBuf,
}

#[pymethods]
impl Transcript {
    /// Reads a transcript file (any format `talign align` reads), detecting its format
    /// unless `format` names one (block, inline, plain, srt, vtt, json, textgrid, eaf, ass,
    /// otr).
    ///
    /// Raises FileNotFoundError, IsADirectoryError, ValueError (empty, binary, no turns, a
    /// broken annotation file) with the command line's message.
    #[staticmethod]
    #[pyo3(signature = (path, format=None))]
    fn read(py: Python<'_>, path: PathBuf, format: Option<&str>) -> PyResult<Transcript> {
        let format = transcript_format(format)?;
        let inner = py
            .detach(|| talign::transcript::read(&path, format))
            .py_err()?;
        Ok(Transcript {
            inner: Arc::new(inner),
            path,
        })
    }

    /// Parses a transcript held in a string. `name` stands for it in messages and in the
    /// alignment (default `<text>`). Raises ValueError when it holds no turns.
    #[staticmethod]
    #[pyo3(signature = (text, format=None, name="<text>"))]
    fn from_text(py: Python<'_>, text: &str, format: Option<&str>, name: &str) -> PyResult<Self> {
        let format = transcript_format(format)?;
        let path = PathBuf::from(name);
        let text = text.to_owned();
        let inner = py
            .detach(|| talign::transcript::read_bytes(text.as_bytes(), &path, format))
            .py_err()?;
        Ok(Transcript {
            inner: Arc::new(inner),
            path,
        })
    }

    /// The path it was read from (or the name given to `from_text`).
    #[getter]
    fn path(&self) -> String {
        self.path.display().to_string()
    }

    /// The format it was read as: block, inline, plain, srt, vtt, json, textgrid, eaf, ass
    /// or otr.
    #[getter]
    fn format(&self) -> &'static str {
        self.inner.format.name()
    }

    /// The text encoding it was read in (`utf-8`, `windows-1252`, ...).
    #[getter]
    fn encoding(&self) -> String {
        self.inner.encoding.clone()
    }

    /// The speakers, normalised, in order of first turn.
    #[getter]
    fn speakers(&self) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        for s in self.inner.turns.iter().filter_map(|t| t.speaker.as_ref()) {
            if !seen.contains(s) {
                seen.push(s.clone());
            }
        }
        seen
    }

    /// Every turn as a dict, as `talign lint --format json` lists them: index, line,
    /// speaker_raw, speaker, uncertain, stamp {raw, seconds, status, line}, transcribed,
    /// words (count), text.
    #[getter]
    fn turns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.lint_report().turns)
    }

    /// Every problem found reading it, as dicts: line, kind, message, suggestion, severity.
    #[getter]
    fn problems<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.inner.problems)
    }

    /// What `talign lint` reports for it.
    fn lint(&self) -> LintReport {
        LintReport {
            report: self.lint_report(),
            transcript: Arc::clone(&self.inner),
        }
    }

    fn __len__(&self) -> usize {
        self.inner.turns.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "<talign.Transcript {:?}: {} turns, {} format, {} problem(s)>",
            self.path.display().to_string(),
            self.inner.turns.len(),
            self.inner.format.name(),
            self.inner.problems.len()
        )
    }
}

impl Transcript {
    fn lint_report(&self) -> talign::transcript::lint::LintReport {
        let path = talign::transcript::printable(&self.path.display().to_string()).into_owned();
        talign::transcript::lint::report(&self.inner, &path)
    }
}

/// `format=` of a transcript: a name `talign --transcript-format` accepts.
fn transcript_format(name: Option<&str>) -> PyResult<Option<TranscriptFormat>> {
    name.map(|n| n.parse::<TranscriptFormat>().map_err(PyValueError::new_err))
        .transpose()
}

/// The `transcript` argument: a path (read now) or a [`Transcript`].
enum TranscriptArg {
    Path(PathBuf),
    Read(Arc<talign::transcript::Transcript>, PathBuf),
}

impl TranscriptArg {
    fn extract(obj: &Bound<'_, PyAny>) -> PyResult<TranscriptArg> {
        if let Ok(t) = obj.cast::<Transcript>() {
            let t = t.get();
            return Ok(TranscriptArg::Read(Arc::clone(&t.inner), t.path.clone()));
        }
        if obj.is_instance_of::<pyo3::types::PyString>() || obj.hasattr("__fspath__")? {
            return Ok(TranscriptArg::Path(obj.extract()?));
        }
        Err(PyTypeError::new_err(format!(
            "transcript must be a path (str or os.PathLike) or a talign.Transcript \
             (talign.Transcript.from_text(text) reads a string); got {}",
            type_name(obj)
        )))
    }

    /// The transcript, read if it is a path (without the GIL: called inside `detach`).
    fn load(
        self,
        format: Option<TranscriptFormat>,
    ) -> talign::Result<(Arc<talign::transcript::Transcript>, PathBuf)> {
        match self {
            TranscriptArg::Path(path) => {
                let t = talign::transcript::read(&path, format)?;
                Ok((Arc::new(t), path))
            }
            TranscriptArg::Read(t, path) => Ok((t, path)),
        }
    }
}

/// One word's place in the recording (`Alignment.turns[i].words`, with `words=True`).
#[pyclass(frozen, get_all, module = "talign")]
#[derive(Clone)]
pub struct Word {
    /// The word as written.
    word: String,
    /// Start, seconds.
    start: f64,
    /// End, seconds.
    end: f64,
    /// Probability-like confidence in [0, 1] that `start` is within 0.1 s of the truth;
    /// `None` where the acoustic model did not time the word.
    confidence: Option<f64>,
    /// The word's goodness of pronunciation (as the turn's `fit`); `None` likewise.
    fit: Option<f64>,
    /// The fit over its first 40 ms, where the model put its start; `None` likewise.
    onset_fit: Option<f64>,
    /// The fit of the pause just before it (silence against the phone loop, its last 40 ms);
    /// `None` where it follows another word directly, or was not timed.
    pause_fit: Option<f64>,
    /// With `phones=True`: the word's phones (CMU ARPAbet) as `(phone, start, end)`.
    phones: Option<Vec<(String, f64, f64)>>,
}

#[pymethods]
impl Word {
    fn __repr__(&self) -> String {
        format!(
            "<talign.Word {:?} {:.3}-{:.3}>",
            self.word, self.start, self.end
        )
    }
}

/// One turn's place in the recording.
#[pyclass(frozen, get_all, module = "talign")]
pub struct Turn {
    /// 0-based turn index.
    index: usize,
    /// 1-based line of the turn in the transcript.
    line: usize,
    /// First speech of the turn, seconds.
    start: f64,
    /// End of the turn's last speech, seconds.
    end: f64,
    /// Normalised speaker, `None` when the transcript names none.
    speaker: Option<String>,
    /// The speaker label as written.
    speaker_raw: Option<String>,
    /// The text as written.
    text: String,
    /// False for a turn standing for untranscribed speech (`[Speaks Arabic]`).
    transcribed: bool,
    /// Probability-like confidence in [0, 1] that `start` is within 0.5 s of the truth.
    confidence: f64,
    /// How well the words fit the audio where they were placed (acoustic model's goodness
    /// of pronunciation; below about -4.5 the words were not heard there); `None` without
    /// the model.
    fit: Option<f64>,
    /// The stamp as written in the transcript (`None` when it has none).
    stated: Option<String>,
    /// The stamp in seconds (`None` when missing or invalid).
    stated_seconds: Option<f64>,
    /// The stamp's status: ok, invalid, out_of_order, duplicate, missing.
    stated_status: String,
    /// The words with their times, with `words=True` (`None` otherwise, and for a turn the
    /// model could not place word by word).
    words: Option<Vec<Word>>,
}

#[pymethods]
impl Turn {
    fn __repr__(&self) -> String {
        let mut text: String = self.text.chars().take(40).collect();
        if text.len() < self.text.len() {
            text.push('…');
        }
        format!(
            "<talign.Turn {} {:.3}-{:.3} {}{:?} confidence {:.3}>",
            self.index,
            self.start,
            self.end,
            self.speaker
                .as_deref()
                .map(|s| format!("{s}: "))
                .unwrap_or_default(),
            text,
            self.confidence
        )
    }
}

impl Turn {
    fn new(t: &report::TurnTiming, words: bool) -> Turn {
        Turn {
            index: t.index,
            line: t.line,
            start: t.start,
            end: t.end,
            speaker: t.speaker.clone(),
            speaker_raw: t.speaker_raw.clone(),
            text: t.text.clone(),
            transcribed: t.transcribed,
            confidence: t.confidence,
            fit: t.fit,
            stated: t.stated.raw.clone(),
            stated_seconds: t.stated.seconds,
            stated_status: talign::transcript::lint::status_name(t.stated.status).to_owned(),
            words: t.words.as_ref().filter(|_| words).map(|ws| {
                ws.iter()
                    .map(|w| Word {
                        word: w.word.clone(),
                        start: w.start,
                        end: w.end,
                        confidence: w.confidence,
                        fit: w.fit,
                        onset_fit: w.onset_fit,
                        pause_fit: w.pause_fit,
                        phones: w.phones.as_ref().map(|ps| {
                            ps.iter()
                                .map(|p| (p.phone.clone(), p.start, p.end))
                                .collect()
                        }),
                    })
                    .collect()
            }),
        }
    }
}

/// The result of [`align`]: every turn's place in the recording, and its exports.
#[pyclass(frozen, module = "talign")]
pub struct Alignment {
    /// The alignment with word times whenever the model gave them: subtitle exports cut
    /// cues at word times, as `talign align --format srt` does without `--words`.
    full: report::Alignment,
    /// Whether the caller asked for words (shown in `turns`, JSON and the data formats).
    words: bool,
    /// The transcript it aligned, for [`Alignment::check`].
    transcript: Arc<talign::transcript::Transcript>,
    transcript_path: PathBuf,
    /// The language as a BCP 47 tag for TTML and SMIL (`None` when unknown).
    language_tag: Option<String>,
    turns: Vec<Py<Turn>>,
    warnings: Vec<String>,
    notes: Vec<String>,
}

#[pymethods]
impl Alignment {
    /// Every turn in transcript order (`start`, `end`, `speaker`, `text`, `confidence`,
    /// `words`, ...).
    #[getter]
    fn turns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.turns.iter().map(|t| t.clone_ref(py)))
    }

    /// The recording's path as given (or the name of in-memory samples).
    #[getter]
    fn audio(&self) -> String {
        self.full.audio.path.clone()
    }

    /// The transcript's path as given (or the name of a `Transcript.from_text`).
    #[getter]
    fn transcript(&self) -> String {
        self.full.transcript.path.clone()
    }

    /// The recording's duration, seconds.
    #[getter]
    fn duration(&self) -> f64 {
        self.full.audio.duration_s
    }

    /// The recording's sample rate as decoded (or given), Hz.
    #[getter]
    fn sample_rate(&self) -> u32 {
        self.full.audio.sample_rate
    }

    /// The recording's channel count.
    #[getter]
    fn channels(&self) -> u32 {
        self.full.audio.channels
    }

    /// What the command line prints as warnings: damaged stretches of the recording,
    /// samples that are not numbers, a reference that could not be used.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// What the command line prints as notes: words the dictionary lacks and how they were
    /// pronounced, the language the transcript was read as.
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.notes.clone()
    }

    /// The alignment as `talign align --format json` writes it (`--words` when aligned with
    /// `words=True`, `--phones` with `phones=True`).
    fn to_json(&self) -> String {
        self.render(ExportFormat::Json)
    }

    /// SubRip subtitles, as `talign align --format srt` writes them: cues of at most 7 s and
    /// two lines of 42 characters, cut at word times, speaker names before each turn.
    fn to_srt(&self) -> String {
        self.render(ExportFormat::Srt)
    }

    /// WebVTT subtitles, as `talign align --format vtt` writes them (inline word timestamps
    /// with `words=True`).
    fn to_vtt(&self) -> String {
        self.render(ExportFormat::Vtt)
    }

    /// The alignment in any of `talign align --format`'s formats: json, srt, vtt, textgrid,
    /// audacity, csv, tsv, eaf, ttml, ass, sbv, smil.
    fn export(&self, format: &str) -> PyResult<String> {
        let format: ExportFormat = format.parse().py_err()?;
        Ok(self.render(format))
    }

    /// Writes the alignment to `path` atomically (an existing file stays whole if anything
    /// fails), in `format` or the one its extension names (.json, .srt, .vtt, .TextGrid,
    /// .txt, .csv, .tsv, .eaf, .ttml, .ass, .sbv, .smil).
    #[pyo3(signature = (path, format=None))]
    fn save(&self, py: Python<'_>, path: PathBuf, format: Option<&str>) -> PyResult<()> {
        let format = match format {
            Some(f) => f.parse::<ExportFormat>().py_err()?,
            None => ExportFormat::from_extension(&path).ok_or_else(|| {
                PyValueError::new_err(format!(
                    "{}: the extension names no output format; give format= or use one of {}",
                    path.display(),
                    ExportFormat::ALL
                        .map(|f| format!(".{}", f.extension()))
                        .join(", ")
                ))
            })?,
        };
        let text = self.render(format);
        py.detach(|| talign::atomic_file::write_atomic(&path, text.as_bytes()))
            .map_err(|e| {
                // As the command line says it: `PATH: cannot write output: why`.
                let err = talign::Error::from(e);
                let why = errors::message(&err);
                let text = format!("{}: cannot write output: {why}", path.display());
                errors::exception(&err, text)
            })
    }

    /// The turns as a pandas DataFrame, one row per turn (index, line, speaker, text, start,
    /// end, confidence, transcribed, fit, stated, stated_seconds, stated_status); with
    /// `words=True` one row per word instead (turn, speaker, word, start, end, confidence,
    /// fit, onset_fit, pause_fit). Needs pandas
    /// (ImportError otherwise).
    #[pyo3(signature = (words=false))]
    fn to_dataframe<'py>(&self, py: Python<'py>, words: bool) -> PyResult<Bound<'py, PyAny>> {
        let pandas = py.import("pandas").map_err(|e| {
            PyImportError::new_err(format!(
                "Alignment.to_dataframe needs pandas ({e}); pip install pandas"
            ))
        })?;
        if words && !self.words {
            return Err(PyValueError::new_err(
                "to_dataframe(words=True) needs word times: align with words=True",
            ));
        }
        let columns = PyDict::new(py);
        let turns = &self.full.turns;
        if words {
            let rows: Vec<(&report::TurnTiming, &report::WordTiming)> = turns
                .iter()
                .flat_map(|t| t.words.iter().flatten().map(move |w| (t, w)))
                .collect();
            columns.set_item(
                "turn",
                rows.iter().map(|(t, _)| t.index).collect::<Vec<_>>(),
            )?;
            columns.set_item(
                "speaker",
                rows.iter()
                    .map(|(t, _)| t.speaker.clone())
                    .collect::<Vec<_>>(),
            )?;
            columns.set_item(
                "word",
                rows.iter().map(|(_, w)| w.word.clone()).collect::<Vec<_>>(),
            )?;
            columns.set_item(
                "start",
                rows.iter().map(|(_, w)| w.start).collect::<Vec<_>>(),
            )?;
            columns.set_item("end", rows.iter().map(|(_, w)| w.end).collect::<Vec<_>>())?;
            columns.set_item(
                "confidence",
                rows.iter().map(|(_, w)| w.confidence).collect::<Vec<_>>(),
            )?;
            columns.set_item("fit", rows.iter().map(|(_, w)| w.fit).collect::<Vec<_>>())?;
            columns.set_item(
                "onset_fit",
                rows.iter().map(|(_, w)| w.onset_fit).collect::<Vec<_>>(),
            )?;
            columns.set_item(
                "pause_fit",
                rows.iter().map(|(_, w)| w.pause_fit).collect::<Vec<_>>(),
            )?;
        } else {
            columns.set_item("index", turns.iter().map(|t| t.index).collect::<Vec<_>>())?;
            columns.set_item("line", turns.iter().map(|t| t.line).collect::<Vec<_>>())?;
            columns.set_item(
                "speaker",
                turns.iter().map(|t| t.speaker.clone()).collect::<Vec<_>>(),
            )?;
            columns.set_item(
                "text",
                turns.iter().map(|t| t.text.clone()).collect::<Vec<_>>(),
            )?;
            columns.set_item("start", turns.iter().map(|t| t.start).collect::<Vec<_>>())?;
            columns.set_item("end", turns.iter().map(|t| t.end).collect::<Vec<_>>())?;
            columns.set_item(
                "confidence",
                turns.iter().map(|t| t.confidence).collect::<Vec<_>>(),
            )?;
            columns.set_item(
                "transcribed",
                turns.iter().map(|t| t.transcribed).collect::<Vec<_>>(),
            )?;
            columns.set_item("fit", turns.iter().map(|t| t.fit).collect::<Vec<_>>())?;
            columns.set_item(
                "stated",
                turns
                    .iter()
                    .map(|t| t.stated.raw.clone())
                    .collect::<Vec<_>>(),
            )?;
            columns.set_item(
                "stated_seconds",
                turns.iter().map(|t| t.stated.seconds).collect::<Vec<_>>(),
            )?;
            columns.set_item(
                "stated_status",
                turns
                    .iter()
                    .map(|t| talign::transcript::lint::status_name(t.stated.status))
                    .collect::<Vec<_>>(),
            )?;
        }
        pandas.getattr("DataFrame")?.call1((columns,))
    }

    /// Checks the transcript's stamps against this alignment, as `talign check --from`
    /// does with a saved alignment. `transcript` defaults to the one aligned.
    #[pyo3(signature = (transcript=None, *, tolerance=2.0, min_confidence=0.3))]
    fn check(
        &self,
        py: Python<'_>,
        transcript: Option<&Bound<'_, PyAny>>,
        tolerance: f64,
        min_confidence: f64,
    ) -> PyResult<CheckReport> {
        let options = check_options(tolerance, min_confidence)?;
        let arg = match transcript {
            Some(t) => TranscriptArg::extract(t)?,
            None => TranscriptArg::Read(Arc::clone(&self.transcript), self.transcript_path.clone()),
        };
        py.detach(|| {
            let (transcript, path) = arg.load(None)?;
            run_check(transcript, &path, &self.full, &options)
        })
        .py_err()
    }

    fn __len__(&self) -> usize {
        self.turns.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "<talign.Alignment {:?}: {} turns in {:.1} s>",
            self.full.audio.path,
            self.full.turns.len(),
            self.full.audio.duration_s
        )
    }
}

impl Alignment {
    /// `format` as `talign align --format` writes it.
    fn render(&self, format: ExportFormat) -> String {
        let cues = matches!(
            format,
            ExportFormat::Srt
                | ExportFormat::Vtt
                | ExportFormat::Ass
                | ExportFormat::Sbv
                | ExportFormat::Ttml
        );
        let options = ExportOptions {
            word_timestamps: self.words,
            language: matches!(format, ExportFormat::Ttml | ExportFormat::Smil)
                .then(|| self.language_tag.clone())
                .flatten(),
            ..ExportOptions::default()
        };
        // The JSON keeps the word times whatever `words` says, as `talign align` writes it:
        // `talign export` cuts subtitle cues at them.
        if cues || self.words || format == ExportFormat::Json {
            talign::export::render(&self.full, format, &options)
        } else {
            let mut shown = self.full.clone();
            for t in &mut shown.turns {
                t.words = None;
            }
            talign::export::render(&shown, format, &options)
        }
    }
}

/// The check's options, refusing what `talign check` refuses.
fn check_options(tolerance: f64, min_confidence: f64) -> PyResult<talign::drift::CheckOptions> {
    if !(tolerance.is_finite() && tolerance >= 0.0) {
        return Err(PyValueError::new_err(format!(
            "tolerance {tolerance} is not a duration; give seconds, e.g. 2.0 or 0.5"
        )));
    }
    if !(0.0..=1.0).contains(&min_confidence) {
        return Err(PyValueError::new_err(format!(
            "min_confidence {min_confidence} is not a confidence; give a number from 0 to 1, \
             e.g. 0.5"
        )));
    }
    Ok(talign::drift::CheckOptions {
        tolerance_s: tolerance,
        min_confidence,
        ..talign::drift::CheckOptions::default()
    })
}

fn run_check(
    transcript: Arc<talign::transcript::Transcript>,
    path: &Path,
    alignment: &report::Alignment,
    options: &talign::drift::CheckOptions,
) -> talign::Result<CheckReport> {
    talign::transcript::refuse_times_past_end(&transcript, path, alignment.audio.duration_s)?;
    let report = talign::drift::check(&transcript, alignment, options);
    Ok(CheckReport { report, transcript })
}

/// What `talign check` found: the transcript's stamps against where the turns really start.
#[pyclass(frozen, module = "talign")]
pub struct CheckReport {
    report: talign::drift::DriftReport,
    transcript: Arc<talign::transcript::Transcript>,
}

#[pymethods]
impl CheckReport {
    /// `pass` (every stamp within the tolerance, or none to check; the command line exits
    /// 0), `fail` (some stamp is not, or is invalid) or `unchecked` (the alignment is too
    /// unsure to judge); the last two exit 1.
    #[getter]
    fn verdict(&self) -> &'static str {
        match self.report.verdict {
            talign::drift::Verdict::Pass => "pass",
            talign::drift::Verdict::Fail => "fail",
            talign::drift::Verdict::Unchecked => "unchecked",
        }
    }

    /// True when the verdict is `pass`.
    #[getter]
    fn passed(&self) -> bool {
        self.report.verdict == talign::drift::Verdict::Pass
    }

    /// One line for a person, e.g. `stamps run 0.30% slow from +1.8 s; 4 off by more than 2 s`.
    #[getter]
    fn summary(&self) -> String {
        self.report.summary.clone()
    }

    /// Why nothing could be checked, when the alignment cannot be trusted.
    #[getter]
    fn unreliable(&self) -> Option<String> {
        self.report.unreliable.clone()
    }

    /// The transcript's clock as a dict (offset_s, rate, ...), `None` when not fitted.
    #[getter]
    fn fit<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.report.fit)
    }

    /// One dict per turn: line, raw, stated_s, actual_s, delta_s, status, suggestion, ...
    /// (the `stamps` of `talign check --format json`).
    #[getter]
    fn stamps<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.report.stamps)
    }

    /// Rows per status, as a dict.
    #[getter]
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.report.counts)
    }

    /// The report as `talign check --format json` prints it.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string_pretty(&self.report)
            .map(|s| s + "\n")
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The report as `talign check` prints it: the summary, then the `rows` worst stamps.
    #[pyo3(signature = (rows=15))]
    fn to_text(&self, rows: usize) -> String {
        talign::drift::render_text(&self.report, rows)
    }

    /// The transcript's text with the stamps corrected, as `talign check --fix` writes it
    /// (`fill=True`: also stamps added to turns without one, as `--fill`).
    #[pyo3(signature = (fill=false))]
    fn fixed_transcript(&self, fill: bool) -> String {
        talign::drift::fix_transcript(&self.transcript, &self.report, fill).text
    }

    fn __repr__(&self) -> String {
        format!(
            "<talign.CheckReport {}: {}>",
            self.verdict(),
            self.report.summary
        )
    }
}

/// What `talign lint` found in a transcript.
#[pyclass(frozen, module = "talign")]
pub struct LintReport {
    report: talign::transcript::lint::LintReport,
    transcript: Arc<talign::transcript::Transcript>,
}

#[pymethods]
impl LintReport {
    /// True when nothing is wrong (`talign lint` exits 0).
    #[getter]
    fn ok(&self) -> bool {
        self.report.problems.is_empty()
    }

    /// Every problem as a dict: line, kind, message, suggestion, severity (error/warning).
    #[getter]
    fn problems<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::to_py(py, &self.report.problems)
    }

    /// The problems as `talign lint` prints them on stderr: `path:line: message`, with the
    /// suggestion.
    fn messages(&self) -> Vec<String> {
        self.report
            .problems
            .iter()
            .map(|p| talign::transcript::lint::format_problem(&self.report.path, p))
            .collect()
    }

    /// Errors among the problems.
    #[getter]
    fn errors(&self) -> usize {
        self.report
            .problems
            .iter()
            .filter(|p| p.severity == talign::transcript::Severity::Error)
            .count()
    }

    /// Warnings among the problems.
    #[getter]
    fn warnings(&self) -> usize {
        self.report.problems.len() - self.errors()
    }

    /// The report as `talign lint --format json` prints it.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string_pretty(&self.report)
            .map(|s| s + "\n")
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The table of turns `talign lint` prints on stdout.
    fn table(&self) -> String {
        talign::transcript::lint::table(&self.transcript)
    }

    fn __repr__(&self) -> String {
        format!(
            "<talign.LintReport {:?}: {} turns, {} error(s), {} warning(s)>",
            self.report.path,
            self.report.turns.len(),
            self.errors(),
            self.warnings()
        )
    }
}

/// Aligns a transcript with a recording: every turn's start and end (and every word's,
/// with `words=True`).
///
/// `audio` is a path (any format `talign align` reads) or `(samples, sample_rate)` with
/// `samples` a NumPy float32 array, mono or frames × channels. `transcript` is a path or a
/// `talign.Transcript`. `language` is an ISO 639 code (detected from the text when None).
/// `reference` is what the recording is matched against: `model` (the built-in acoustic
/// model), `voice` (espeak-ng speaking the transcript) or `none` (pauses and durations
/// only), as `talign align --reference` / `--no-reference`.
///
/// Runs without the GIL. Raises FileNotFoundError, IsADirectoryError, ValueError (bad
/// input), talign.MismatchError (the recording does not sound like the transcript;
/// `force=True` aligns anyway), RuntimeError (espeak-ng needed and missing), with the
/// command line's messages.
#[pyfunction]
#[pyo3(signature = (audio, transcript, words=false, language=None, *, phones=false, force=false, reference="model", transcript_format=None, name=None))]
#[allow(clippy::too_many_arguments)] // Python's keyword arguments
fn align(
    py: Python<'_>,
    audio: &Bound<'_, PyAny>,
    transcript: &Bound<'_, PyAny>,
    words: bool,
    language: Option<&str>,
    phones: bool,
    force: bool,
    reference: &str,
    transcript_format: Option<&str>,
    name: Option<PathBuf>,
) -> PyResult<Alignment> {
    let request = Request {
        audio: Audio::extract(audio, name)?,
        transcript: TranscriptArg::extract(transcript)?,
        transcript_format: transcript_format_arg(transcript_format)?,
        words,
        phones,
        force,
        language: language_arg(language)?,
        reference: Reference::parse(reference)?,
    };
    if phones && !words {
        return Err(PyValueError::new_err(
            "phones=True needs words=True (a word's phones are timed with its word)",
        ));
    }
    if phones && request.reference != Reference::Model {
        return Err(PyValueError::new_err(
            "phones=True needs the acoustic model: use reference=\"model\", or drop phones",
        ));
    }
    let done = py.detach(|| request.run()).py_err()?;
    Alignment::from_done(py, done, words)
}

fn transcript_format_arg(name: Option<&str>) -> PyResult<Option<TranscriptFormat>> {
    transcript_format(name)
}

/// `language=`: a known ISO 639 code, refused as `--lang` refuses it.
fn language_arg(code: Option<&str>) -> PyResult<Option<Language>> {
    code.map(|code| {
        Language::from_code(code).ok_or_else(|| {
            PyValueError::new_err(format!(
                "unknown language code `{code}`: give an ISO 639 code (en, cs, fr, de, ...)"
            ))
        })
    })
    .transpose()
}

/// `reference=`: what the recording is matched against.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reference {
    Model,
    Voice,
    None,
}

impl Reference {
    fn parse(name: &str) -> PyResult<Reference> {
        match name {
            "model" => Ok(Reference::Model),
            "voice" => Ok(Reference::Voice),
            "none" => Ok(Reference::None),
            other => Err(PyValueError::new_err(format!(
                "reference={other:?}: use \"model\" (the acoustic model), \"voice\" (espeak-ng \
                 speaking the transcript) or \"none\" (pauses and durations only)"
            ))),
        }
    }
}

/// One alignment asked for, everything owned: it runs without the GIL.
struct Request {
    audio: Audio,
    transcript: TranscriptArg,
    transcript_format: Option<TranscriptFormat>,
    words: bool,
    phones: bool,
    force: bool,
    language: Option<Language>,
    reference: Reference,
}

/// An alignment done, before it becomes Python objects.
struct Done {
    run: AlignRun,
    transcript: Arc<talign::transcript::Transcript>,
    transcript_path: PathBuf,
    language_tag: Option<String>,
    warnings: Vec<String>,
}

impl Request {
    /// What `talign align` does between reading its arguments and writing its output.
    fn run(self) -> talign::Result<Done> {
        if let (false, Some(audio), TranscriptArg::Path(t)) =
            (self.force, self.audio.path(), &self.transcript)
        {
            talign::pipeline::refuse_oversized_transcript(audio, t)?;
        }
        let (transcript, transcript_path) = self.transcript.load(self.transcript_format)?;
        let mut warnings = Vec::new();
        // The espeak-ng voice, as the command line's default `--voice en` is checked.
        let voice = match self.reference {
            Reference::None => None,
            _ => match talign::reference::has_voice("en") {
                Ok(true) => Some("en".to_string()),
                Ok(false) => None,
                Err(why) if self.words && self.reference == Reference::Voice => {
                    return Err(talign::Error::External(format!(
                        "reference=\"voice\" with words=True needs espeak-ng: {why}"
                    )));
                }
                Err(why) => {
                    if self.reference == Reference::Voice {
                        warnings.push(format!(
                            "{why}; aligning from pauses, durations and voices only (less \
                             precise)"
                        ));
                    }
                    None
                }
            },
        };
        let listener = match self.reference {
            Reference::None => Listener::Lattice,
            Reference::Model => Listener::AcousticModel,
            Reference::Voice if voice.is_some() => Listener::ReferenceVoice,
            Reference::Voice => Listener::Lattice,
        };
        let options = AlignOptions {
            // Word times whenever they come: subtitles are cut at them (as the command line
            // does for subtitle formats); `turns` and JSON show them only with words=True.
            words: listener != Listener::Lattice,
            phones: self.phones,
            force: self.force,
            language: self.language.clone(),
            listener,
            reference_voice: voice,
            ..AlignOptions::default()
        };
        let progress = talign::progress::Silent;
        let run = match &self.audio {
            Audio::File(path) => talign::pipeline::align_recording(
                path,
                &transcript,
                &transcript_path,
                &options,
                &progress,
            )?,
            Audio::Samples {
                data,
                sample_rate,
                channels,
                name,
            } => talign::pipeline::align_samples(
                talign::analysis::Samples {
                    data,
                    sample_rate: *sample_rate,
                    channels: *channels,
                    name,
                },
                &transcript,
                &transcript_path,
                &options,
                &progress,
            )?,
        };
        for w in &run.source.warnings {
            warnings.push(format!("{}: {w}", run.source.path.display()));
        }
        if let Some(why) = &run.reference_unavailable {
            warnings.push(format!("reference not used: {why}"));
        }
        let language_tag = self
            .language
            .or_else(|| talign::transcript::detect_language(&transcript))
            .map(|l| {
                if l.espeak_voice.len() == 2 {
                    l.espeak_voice
                } else {
                    l.code
                }
            });
        Ok(Done {
            run,
            transcript,
            transcript_path,
            language_tag,
            warnings,
        })
    }
}

impl Alignment {
    fn from_done(py: Python<'_>, done: Done, words: bool) -> PyResult<Alignment> {
        let turns = done
            .run
            .alignment
            .turns
            .iter()
            .map(|t| Py::new(py, Turn::new(t, words)))
            .collect::<PyResult<Vec<_>>>()?;
        // What `talign export` needs to write this alignment's formats again, as
        // `talign align` records it.
        let mut full = done.run.alignment;
        let audio_absolute = (!full.audio.path.is_empty())
            .then(|| std::path::absolute(&full.audio.path).ok())
            .flatten()
            .map(|p| p.to_string_lossy().into_owned());
        full.made = Some(talign::report::MadeWith {
            words,
            language: done.language_tag.clone(),
            created_unix: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .ok()
                .and_then(|d| i64::try_from(d.as_secs()).ok()),
            audio_absolute,
        });
        Ok(Alignment {
            full,
            words,
            transcript: done.transcript,
            transcript_path: done.transcript_path,
            language_tag: done.language_tag,
            turns,
            warnings: done.warnings,
            notes: done.run.pronunciation_notes,
        })
    }
}

/// Checks a transcript's stamps against the recording, as `talign check AUDIO TRANSCRIPT`:
/// aligns them (a recording that does not match is judged, not refused), then compares
/// every stamp with where its turn starts.
///
/// `audio` may also be an `Alignment` already made (as `talign check --from`); then
/// `transcript` defaults to the one it aligned. `tolerance` is in seconds.
#[pyfunction]
#[pyo3(signature = (audio, transcript=None, *, tolerance=2.0, min_confidence=0.3, language=None, transcript_format=None))]
fn check(
    py: Python<'_>,
    audio: &Bound<'_, PyAny>,
    transcript: Option<&Bound<'_, PyAny>>,
    tolerance: f64,
    min_confidence: f64,
    language: Option<&str>,
    transcript_format: Option<&str>,
) -> PyResult<CheckReport> {
    if let Ok(alignment) = audio.cast::<Alignment>() {
        return alignment
            .get()
            .check(py, transcript, tolerance, min_confidence);
    }
    let options = check_options(tolerance, min_confidence)?;
    let Some(transcript) = transcript else {
        return Err(PyTypeError::new_err(
            "check() needs the recording and the transcript: talign.check(audio, transcript), \
             or an Alignment: talign.check(alignment)",
        ));
    };
    let request = Request {
        audio: Audio::extract(audio, None)?,
        transcript: TranscriptArg::extract(transcript)?,
        transcript_format: transcript_format_arg(transcript_format)?,
        words: false,
        phones: false,
        // `check` judges a mismatched recording itself ("does not match this transcript").
        force: true,
        language: language_arg(language)?,
        reference: Reference::Model,
    };
    py.detach(|| {
        let done = request.run()?;
        run_check(
            done.transcript,
            &done.transcript_path,
            &done.run.alignment,
            &options,
        )
    })
    .py_err()
}

/// Reads a transcript and reports every problem with its stamps and speaker labels, as
/// `talign lint`. `transcript` is a path or a `talign.Transcript`.
#[pyfunction]
#[pyo3(signature = (transcript, *, transcript_format=None))]
fn lint(
    py: Python<'_>,
    transcript: &Bound<'_, PyAny>,
    transcript_format: Option<&str>,
) -> PyResult<LintReport> {
    let arg = TranscriptArg::extract(transcript)?;
    let format = transcript_format_arg(transcript_format)?;
    let (inner, path) = py.detach(|| arg.load(format)).py_err()?;
    Ok(Transcript { inner, path }.lint())
}

/// talign's Python module (wrapped by the package `talign`).
#[pymodule]
fn _talign(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(align, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(lint, m)?)?;
    m.add_class::<Alignment>()?;
    m.add_class::<Turn>()?;
    m.add_class::<Word>()?;
    m.add_class::<Transcript>()?;
    m.add_class::<CheckReport>()?;
    m.add_class::<LintReport>()?;
    m.add("MismatchError", m.py().get_type::<MismatchError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("LOW_CONFIDENCE", talign::report::LOW_CONFIDENCE)?;
    Ok(())
}
