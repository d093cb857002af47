"""Bad input raises Python exceptions carrying the command line's messages; wrong types
raise TypeError or ValueError, never crash the interpreter."""

import numpy as np
import pytest

import talign
from conftest import CLIP, CLIP_TXT, REPO

AUDIO = REPO / "tests" / "fixtures" / "audio"


def cli_message(cli, *args):
    done = cli(*args, check=False)
    assert done.returncode != 0, done
    assert done.stderr.startswith("talign: "), done.stderr
    return done.stderr[len("talign: ") :].rstrip("\n"), done.returncode


@pytest.mark.parametrize(
    "audio, transcript, exception, code",
    [
        ("missing.wav", CLIP_TXT, FileNotFoundError, 2),
        (CLIP, "missing.txt", FileNotFoundError, 2),
        (AUDIO, CLIP_TXT, IsADirectoryError, 2),
        (AUDIO / "text.mp3", CLIP_TXT, ValueError, 2),
        (AUDIO / "zero-length.wav", CLIP_TXT, ValueError, 2),
        (AUDIO / "silent.wav", CLIP_TXT, ValueError, 2),
        (CLIP, AUDIO / "signal-s16.wav", talign.MismatchError, 1),  # far too long
        (CLIP, AUDIO, IsADirectoryError, 2),
    ],
)
def test_bad_files_raise_with_the_cli_message(
    cli, tmp_path, monkeypatch, audio, transcript, exception, code
):
    monkeypatch.chdir(tmp_path)  # relative "missing" names resolve nowhere
    message, exit_code = cli_message(cli, "align", audio, transcript, "-q")
    assert exit_code == code
    with pytest.raises(exception) as raised:
        talign.align(str(audio), str(transcript))
    assert str(raised.value) == message


def test_a_recording_that_does_not_match_is_refused(clip_samples):
    samples, rate = clip_samples
    reversed_view = samples[::-1]  # a negative-stride view of the clip, played backwards
    with pytest.raises(talign.MismatchError, match="does not sound like the transcript") as e:
        talign.align((reversed_view, rate), str(CLIP_TXT))
    assert isinstance(e.value, ValueError)
    forced = talign.align((reversed_view, rate), str(CLIP_TXT), force=True)
    assert len(forced.turns) == 9


def test_empty_and_turnless_text():
    with pytest.raises(ValueError, match="file is empty"):
        talign.Transcript.from_text("")
    with pytest.raises(ValueError, match="only whitespace"):
        talign.Transcript.from_text("  \n\n ")
    with pytest.raises(ValueError, match="unknown transcript format|unknown format"):
        talign.Transcript.from_text("hello", format="docx")


@pytest.mark.parametrize(
    "audio, exception, match",
    [
        (123, TypeError, "audio must be a path"),
        (None, TypeError, "audio must be a path"),
        ([0.0, 0.1], TypeError, "audio must be a path"),
        (([0.0, 0.1], 16000), TypeError, "must be a NumPy array"),
        ((np.zeros(100, dtype=np.int16), 16000), TypeError, "dtype int16"),
        ((np.zeros(100, dtype=np.complex64), 16000), TypeError, "dtype complex64"),
        ((np.zeros((2, 3, 4), dtype=np.float32), 16000), ValueError, "3 dimensions"),
        ((np.zeros((100, 0), dtype=np.float32), 16000), ValueError, "no channels"),
        ((np.zeros((2, 16000), dtype=np.float32), 16000), ValueError, "pass samples.T"),
        ((np.zeros(100, dtype=np.float32),), ValueError, r"\(samples, sample_rate\)"),
        ((np.zeros(100, dtype=np.float32), 16000, 1), ValueError, "tuple of 3"),
        ((np.zeros(100, dtype=np.float32), "16000"), TypeError, "sample_rate must be an int"),
        ((np.zeros(100, dtype=np.float32), 16000.0), TypeError, "sample_rate must be an int"),
        ((np.zeros(100, dtype=np.float32), True), TypeError, "got bool"),
        ((np.zeros(100, dtype=np.float32), -1), ValueError, "sample rate -1 Hz"),
        ((np.zeros(100, dtype=np.float32), 2**40), ValueError, "is not a rate"),
        ((np.zeros(100, dtype=np.float32), 0), ValueError, "sample rate"),
        ((np.zeros(16000, dtype=np.float32), 16000), ValueError, "digital silence"),
        ((np.zeros(0, dtype=np.float32), 16000), ValueError, "no samples"),
    ],
)
def test_wrong_audio(audio, exception, match):
    with pytest.raises(exception, match=match):
        talign.align(audio, str(CLIP_TXT))


def test_wrong_arguments():
    with pytest.raises(TypeError, match="transcript must be a path"):
        talign.align(str(CLIP), 42)
    with pytest.raises(TypeError, match="transcript must be a path"):
        talign.align(str(CLIP), b"Kerry: hello")
    with pytest.raises(TypeError):
        talign.align(str(CLIP), str(CLIP_TXT), words="yes")
    with pytest.raises(ValueError, match="unknown language code `xx`"):
        talign.align(str(CLIP), str(CLIP_TXT), language="xx")
    with pytest.raises(ValueError, match='reference="whisper"'):
        talign.align(str(CLIP), str(CLIP_TXT), reference="whisper")
    with pytest.raises(ValueError, match="phones=True needs words=True"):
        talign.align(str(CLIP), str(CLIP_TXT), phones=True)
    with pytest.raises(TypeError):
        talign.align(str(CLIP))
    with pytest.raises(TypeError):
        talign.Transcript.from_text(b"bytes")
    with pytest.raises(TypeError, match="needs the recording and the transcript"):
        talign.check(str(CLIP))
    with pytest.raises(ValueError, match="tolerance NaN"):
        talign.check(str(CLIP), str(CLIP_TXT), tolerance=float("nan"))
    with pytest.raises(ValueError, match="min_confidence 2"):
        talign.check(str(CLIP), str(CLIP_TXT), min_confidence=2.0)
    with pytest.raises(TypeError):
        talign.Alignment()  # made only by align()


def test_an_output_that_cannot_be_written(tmp_path, clip_alignment):
    with pytest.raises(FileNotFoundError) as raised:
        clip_alignment.save(tmp_path / "no such folder" / "a.json")
    assert raised.value.errno == 2
    assert str(raised.value).startswith(f"{tmp_path}/no such folder/a.json: cannot write output")
    with pytest.raises(IsADirectoryError, match="cannot write output"):
        clip_alignment.save(tmp_path, format="json")
