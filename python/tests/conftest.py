"""Shared fixtures: the 45 s Kerry clip, its samples, and the talign command line to compare
against (TALIGN_CLI, else target/ci/talign under CARGO_TARGET_DIR or the repository)."""

import os
import pathlib
import subprocess
import wave

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
CLIP = REPO / "sample-audio" / "clip-kerry-45s.wav"
CLIP_TXT = REPO / "sample-audio" / "clip-kerry-45s.txt"
FIXTURES = REPO / "tests" / "fixtures"


def cli_path():
    """The talign binary: TALIGN_CLI when set (CI sets it: the tests fail if it is missing),
    else the `ci` profile's build."""
    if os.environ.get("TALIGN_CLI"):
        return pathlib.Path(os.environ["TALIGN_CLI"]).resolve()
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "ci" / "talign"


@pytest.fixture(scope="session")
def cli():
    path = cli_path()
    if not path.is_file():
        if os.environ.get("TALIGN_CLI"):
            pytest.fail(f"TALIGN_CLI={path} is not a file")
        pytest.skip(f"no talign binary at {path} (cargo build --profile ci, or set TALIGN_CLI)")

    def run(*args, check=True):
        done = subprocess.run([str(path), *map(str, args)], capture_output=True, text=True)
        if check and done.returncode != 0:
            raise AssertionError(f"talign {args} exited {done.returncode}: {done.stderr}")
        return done

    return run


@pytest.fixture(scope="session")
def clip_samples():
    """The clip as float32 mono samples, scaled as talign's own test scales 16-bit PCM."""
    with wave.open(str(CLIP)) as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return pcm.astype(np.float32) * np.float32(1.0 / 32767.0), rate


@pytest.fixture(scope="session")
def clip_alignment():
    import talign

    return talign.align(str(CLIP), str(CLIP_TXT), words=True)


@pytest.fixture(scope="session")
def clip_plain():
    """The clip aligned as `talign align` does by default (no word times asked for)."""
    import talign

    return talign.align(str(CLIP), str(CLIP_TXT))
