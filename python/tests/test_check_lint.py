"""talign.check and talign.lint: the command line's reports."""

import json

import pytest

import talign
from conftest import CLIP, CLIP_TXT, FIXTURES


def test_check_is_the_command_lines(cli, clip_alignment):
    done = cli("check", CLIP, CLIP_TXT, "--format", "json", "-q", check=False)
    report = talign.check(str(CLIP), str(CLIP_TXT))
    assert report.to_json() == done.stdout
    assert report.passed == (done.returncode == 0)
    assert report.verdict == json.loads(done.stdout)["verdict"]
    # From an alignment made already, as `talign check --from`.
    assert talign.check(clip_alignment).to_json() == done.stdout
    assert clip_alignment.check().to_json() == done.stdout
    text = cli("check", CLIP, CLIP_TXT, "-q", check=False).stdout
    assert report.to_text() == text
    assert report.stamps[0]["line"] == 5 and report.summary


def test_check_finds_a_wrong_stamp_and_fixes_it(cli, tmp_path):
    text = CLIP_TXT.read_text().replace("[00:18]", "[00:40]")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(text)
    report = talign.check(str(CLIP), str(wrong))
    assert report.verdict == "fail"
    assert report.to_json() == cli("check", CLIP, wrong, "--format", "json", "-q", check=False).stdout
    fixed = tmp_path / "fixed.txt"
    cli("check", CLIP, wrong, "--fix", "-o", fixed, "-q", check=False)
    assert report.fixed_transcript() == fixed.read_text()
    assert "[00:40]" not in report.fixed_transcript()


def test_lint_is_the_command_lines(cli, tmp_path):
    messy = tmp_path / "messy.txt"
    messy.write_text("Kerry\n\n[00:05]\n\nHello there.\n\nKery\n\n[31:99]\n\nGeneral Kenobi.\n")
    done = cli("lint", messy, "--format", "json", check=False)
    report = talign.lint(str(messy))
    assert report.to_json() == done.stdout
    assert not report.ok and done.returncode == 1
    assert report.errors + report.warnings == len(report.problems) > 0
    kinds = {p["kind"] for p in report.problems}
    assert any("99" in m for m in report.messages()), report.messages()
    assert kinds
    text_run = cli("lint", messy, check=False)
    assert report.table() == text_run.stdout
    for line in report.messages():
        assert line in text_run.stderr
    # A Transcript lints the same.
    assert talign.Transcript.read(messy).lint().to_json() == done.stdout


def test_lint_the_clip_and_an_annotation_file(cli):
    # The clip keeps one stamp out of order (line 53), as the shared transcript has it.
    report = talign.lint(CLIP_TXT)
    assert not report.ok and report.errors == 1
    assert report.problems[0]["line"] == 53
    assert report.to_json() == cli("lint", CLIP_TXT, "--format", "json", check=False).stdout
    clean = talign.Transcript.from_text("Kerry\n\n[00:00]\n\nHello there.\n").lint()
    assert clean.ok and clean.errors == clean.warnings == 0
    grid = FIXTURES / "formats" / "praatio-short.TextGrid"
    report = talign.lint(grid)
    assert json.loads(report.to_json())["format"] == "textgrid"
    with pytest.raises(FileNotFoundError, match="no such file"):
        talign.lint("no/such/transcript.txt")
