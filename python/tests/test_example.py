"""python/examples/align_many.py: every pair aligned and written, a failing pair reported."""

import json
import pathlib
import shutil
import subprocess
import sys

import pytest

from conftest import CLIP, CLIP_TXT, REPO

EXAMPLE = REPO / "python" / "examples" / "align_many.py"


def two_pairs(tmp_path):
    """A folder with the clip twice: a.wav + a.txt and b.opus + b.txt."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CLIP, folder / "a.wav")
    shutil.copy(CLIP_TXT, folder / "a.txt")
    shutil.copy(CLIP.with_suffix(".opus"), folder / "b.opus")
    shutil.copy(CLIP_TXT, folder / "b.txt")
    return folder


def test_align_many_threads_over_a_folder(tmp_path, clip_alignment):
    folder = two_pairs(tmp_path)
    (folder / "c.wav").write_bytes(b"not audio at all")
    (folder / "c.txt").write_text("Kerry: hello")
    (folder / "lonely.wav").write_bytes(b"")  # no transcript: not a pair
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), str(folder), "--out", str(tmp_path / "out"), "--jobs", "2"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done  # c failed
    lines = done.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["ok", "a.wav:"],
        ["ok", "b.opus:"],
        ["failed", "c.wav:"],
    ], done.stdout
    assert "ValueError" in lines[2]
    assert "2 of 3 aligned" in done.stderr
    out = tmp_path / "out"
    a = json.loads((out / "a.json").read_text())
    assert [t["start"] for t in a["turns"]] == [round(t.start, 3) for t in clip_alignment.turns]
    assert (out / "b.srt").read_text().startswith("1\n")
    assert not (out / "c.json").exists()
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "a.srt", "b.json", "b.srt"]


@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_align_many_with_dask(tmp_path, clip_alignment, scheduler):
    """The example's --dask: a dask.bag over two short recordings, on Dask's threaded and
    multiprocessing schedulers, gives the same files and lines as the threads."""
    pytest.importorskip("dask.bag", reason="dask is not installed (scripts/python_test.sh installs it)")
    folder = two_pairs(tmp_path)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), str(folder), "--out", str(out), "--jobs", "2", "--dask", scheduler],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done
    assert [line.split()[:2] for line in done.stdout.splitlines()] == [
        ["ok", "a.wav:"],
        ["ok", "b.opus:"],
    ], done.stdout
    assert f"2 of 2 aligned with Dask ({scheduler})" in done.stderr
    a = json.loads((out / "a.json").read_text())
    assert [t["start"] for t in a["turns"]] == [round(t.start, 3) for t in clip_alignment.turns]
    assert (out / "b.srt").read_text().startswith("1\n")
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "a.srt", "b.json", "b.srt"]


def test_low_confidence_is_the_command_lines_threshold(cli, tmp_path):
    import talign

    assert talign.LOW_CONFIDENCE == 0.5
    # The same threshold the command line's summary names.
    done = cli("align", CLIP, CLIP_TXT, "-o", tmp_path / "a.json")
    assert f"low-confidence (< {talign.LOW_CONFIDENCE})" in done.stderr, done.stderr
