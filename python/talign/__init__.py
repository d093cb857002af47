"""talign: align a recording with its messy transcript.

Every turn (and, with ``words=True``, every word) is snapped to where it is spoken; the
result exports as JSON, subtitles and labels exactly as the ``talign`` command line writes
them, and the transcript's stamps can be checked against it::

    import talign

    alignment = talign.align("interview.mp3", "interview.txt")
    for turn in alignment.turns:
        print(f"{turn.start:8.3f} {turn.end:8.3f} {turn.speaker}: {turn.text[:40]}")
    open("interview.srt", "w").write(alignment.to_srt())

The acoustic model (CMU Sphinx US English) is built into the package. Work runs without
the GIL, so threads (``concurrent.futures.ThreadPoolExecutor``) align files in parallel.
Errors are Python exceptions with the command line's messages: ``FileNotFoundError``,
``IsADirectoryError``, ``ValueError`` for bad input, :class:`MismatchError` (a
``ValueError``) when the recording does not sound like the transcript, ``RuntimeError``
when espeak-ng is needed and missing.
"""

from ._talign import (
    LOW_CONFIDENCE,
    Alignment,
    CheckReport,
    LintReport,
    MismatchError,
    Transcript,
    Turn,
    Word,
    __version__,
    align,
    check,
    lint,
)

__all__ = [
    "LOW_CONFIDENCE",
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
