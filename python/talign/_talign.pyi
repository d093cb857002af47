"""Type stubs of talign's extension module (python/src/lib.rs); the package `talign`
re-exports everything here."""

import os
from typing import Any, Literal, Optional, Tuple, Union, final

import numpy as np
import numpy.typing as npt

__version__: str
#: Turns aligned with less confidence are "low-confidence": the threshold of the command
#: line's summary, ``talign batch`` and the review page.
LOW_CONFIDENCE: float

_StrPath = Union[str, "os.PathLike[str]"]
#: A path, or ``(samples, sample_rate)``: float32 (or float64) samples in [-1, 1], mono
#: (1-D) or frames × channels (2-D), any rate talign accepts (1000 to 768000 Hz).
_AudioInput = Union[_StrPath, Tuple[npt.NDArray[np.floating[Any]], int]]
_ExportFormatName = Literal[
    "json", "srt", "vtt", "textgrid", "audacity", "csv", "tsv", "eaf", "ttml", "ass", "sbv", "smil"
]
_TranscriptFormatName = Literal[
    "block", "inline", "plain", "srt", "vtt", "json", "textgrid", "eaf", "ass", "otr"
]

class MismatchError(ValueError):
    """The recording does not sound like the transcript: refused rather than aligned
    (``force=True`` aligns anyway)."""

@final
class Transcript:
    """A transcript as talign read it: turns, speakers, stamps and problems."""

    @staticmethod
    def read(path: _StrPath, format: Optional[_TranscriptFormatName] = None) -> "Transcript": ...
    @staticmethod
    def from_text(
        text: str, format: Optional[_TranscriptFormatName] = None, name: str = "<text>"
    ) -> "Transcript": ...
    @property
    def path(self) -> str: ...
    @property
    def format(self) -> _TranscriptFormatName: ...
    @property
    def encoding(self) -> str: ...
    @property
    def speakers(self) -> list[str]: ...
    @property
    def turns(self) -> list[dict[str, Any]]:
        """index, line, speaker_raw, speaker, uncertain, stamp {raw, seconds, status, line},
        transcribed, words (count), text."""
    @property
    def problems(self) -> list[dict[str, Any]]:
        """line, kind, message, suggestion, severity."""
    def lint(self) -> "LintReport": ...
    def __len__(self) -> int: ...

@final
class Word:
    """One word's place in the recording."""

    @property
    def word(self) -> str: ...
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def confidence(self) -> Optional[float]:
        """Probability-like, that the start is within 0.1 s of the truth."""
    @property
    def fit(self) -> Optional[float]:
        """Goodness of pronunciation of the word where it was placed."""
    @property
    def phones(self) -> Optional[list[Tuple[str, float, float]]]: ...

@final
class Turn:
    """One turn's place in the recording."""

    @property
    def index(self) -> int: ...
    @property
    def line(self) -> int: ...
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def speaker(self) -> Optional[str]: ...
    @property
    def speaker_raw(self) -> Optional[str]: ...
    @property
    def text(self) -> str: ...
    @property
    def transcribed(self) -> bool: ...
    @property
    def confidence(self) -> float: ...
    @property
    def fit(self) -> Optional[float]: ...
    @property
    def stated(self) -> Optional[str]: ...
    @property
    def stated_seconds(self) -> Optional[float]: ...
    @property
    def stated_status(self) -> Literal["ok", "invalid", "out_of_order", "duplicate", "missing"]: ...
    @property
    def words(self) -> Optional[list[Word]]: ...

@final
class Alignment:
    """The result of :func:`align`."""

    @property
    def turns(self) -> list[Turn]: ...
    @property
    def audio(self) -> str: ...
    @property
    def transcript(self) -> str: ...
    @property
    def duration(self) -> float: ...
    @property
    def sample_rate(self) -> int: ...
    @property
    def channels(self) -> int: ...
    @property
    def warnings(self) -> list[str]: ...
    @property
    def notes(self) -> list[str]: ...
    def to_json(self) -> str: ...
    def to_srt(self) -> str: ...
    def to_vtt(self) -> str: ...
    def export(self, format: _ExportFormatName) -> str: ...
    def save(self, path: _StrPath, format: Optional[_ExportFormatName] = None) -> None: ...
    def to_dataframe(self, words: bool = False) -> Any:
        """A ``pandas.DataFrame`` (pandas is imported only here)."""
    def check(
        self,
        transcript: Union[_StrPath, Transcript, None] = None,
        *,
        tolerance: float = 2.0,
        min_confidence: float = 0.3,
    ) -> "CheckReport": ...
    def __len__(self) -> int: ...

@final
class CheckReport:
    """What ``talign check`` found."""

    @property
    def verdict(self) -> Literal["pass", "fail", "unchecked"]: ...
    @property
    def passed(self) -> bool: ...
    @property
    def summary(self) -> str: ...
    @property
    def unreliable(self) -> Optional[str]: ...
    @property
    def fit(self) -> Optional[dict[str, Any]]: ...
    @property
    def stamps(self) -> list[dict[str, Any]]: ...
    @property
    def counts(self) -> dict[str, int]: ...
    def to_json(self) -> str: ...
    def to_text(self, rows: int = 15) -> str: ...
    def fixed_transcript(self, fill: bool = False) -> str: ...

@final
class LintReport:
    """What ``talign lint`` found."""

    @property
    def ok(self) -> bool: ...
    @property
    def problems(self) -> list[dict[str, Any]]: ...
    @property
    def errors(self) -> int: ...
    @property
    def warnings(self) -> int: ...
    def messages(self) -> list[str]: ...
    def to_json(self) -> str: ...
    def table(self) -> str: ...

def align(
    audio: _AudioInput,
    transcript: Union[_StrPath, Transcript],
    words: bool = False,
    language: Optional[str] = None,
    *,
    phones: bool = False,
    force: bool = False,
    reference: Literal["model", "voice", "none"] = "model",
    transcript_format: Optional[_TranscriptFormatName] = None,
    name: Optional[_StrPath] = None,
) -> Alignment:
    """Aligns a transcript with a recording (without the GIL)."""

def check(
    audio: Union[_AudioInput, Alignment],
    transcript: Union[_StrPath, Transcript, None] = None,
    *,
    tolerance: float = 2.0,
    min_confidence: float = 0.3,
    language: Optional[str] = None,
    transcript_format: Optional[_TranscriptFormatName] = None,
) -> CheckReport:
    """Checks a transcript's stamps against the recording, as ``talign check``."""

def lint(
    transcript: Union[_StrPath, Transcript],
    *,
    transcript_format: Optional[_TranscriptFormatName] = None,
) -> LintReport:
    """Reports every problem with a transcript's stamps and labels, as ``talign lint``."""


__all__ = [
    "Alignment",
    "CheckReport",
    "LintReport",
    "MismatchError",
    "Transcript",
    "Turn",
    "Word",
    "__version__",
    "align",
    "check",
    "lint",
]
