"""talign.align: from a path and from NumPy samples, the same results and exports as the
command line."""

import concurrent.futures
import json
import sys
import threading
import time

import numpy as np
import pytest

import talign
from conftest import CLIP, CLIP_TXT


def turns_of(alignment):
    return [(t.index, t.start, t.end, t.speaker, t.text, t.confidence) for t in alignment.turns]


def without_creation_time(text):
    """The JSON with `made.created_unix` (the second it was made) taken out."""
    data = json.loads(text)
    data["made"].pop("created_unix")
    return data


def test_json_is_the_command_lines(cli, clip_plain):
    alignment = clip_plain
    expected = cli("align", CLIP, CLIP_TXT, "--format", "json", "--quiet").stdout
    assert without_creation_time(alignment.to_json()) == without_creation_time(expected)
    assert json.loads(alignment.to_json())["made"]["created_unix"] > 1_700_000_000
    assert all(t.words is None for t in alignment.turns)


def test_every_export_is_the_command_lines(cli, tmp_path, clip_alignment):
    """One `talign align --words` run writes every format that does not name its own output
    path or date (EAF and SMIL do); each equals Alignment.export of the same format."""
    formats = {
        "json": "json",
        "srt": "srt",
        "vtt": "vtt",
        "TextGrid": "textgrid",
        "txt": "audacity",
        "csv": "csv",
        "tsv": "tsv",
        "ttml": "ttml",
        "ass": "ass",
        "sbv": "sbv",
    }
    outputs = [tmp_path / f"out.{ext}" for ext in formats]
    also = [arg for out in outputs[1:] for arg in ("--also", out)]
    cli("align", CLIP, CLIP_TXT, "--words", "--quiet", "-o", outputs[0], *also)
    for out, name in zip(outputs, formats.values()):
        expected = out.read_bytes().decode("utf-8")
        if name == "json":
            got = without_creation_time(clip_alignment.export(name))
            assert got == without_creation_time(expected), name
            continue
        assert clip_alignment.export(name) == expected, name
    assert without_creation_time(clip_alignment.to_json()) == without_creation_time(
        (tmp_path / "out.json").read_text()
    )
    assert clip_alignment.to_srt() == (tmp_path / "out.srt").read_text()
    assert clip_alignment.to_vtt() == (tmp_path / "out.vtt").read_text()


def test_srt_without_words_is_cut_at_word_times_as_the_cli_does(cli, clip_plain):
    assert clip_plain.to_srt() == cli("align", CLIP, CLIP_TXT, "--format", "srt", "-q").stdout


def test_turns_and_words(clip_alignment):
    turns = clip_alignment.turns
    assert len(turns) == len(clip_alignment) == 9
    assert turns[0].speaker == "Kerry" and turns[0].text.startswith("And that's really")
    assert clip_alignment.duration == pytest.approx(48.2195, abs=1e-3)
    assert clip_alignment.sample_rate == 16000 and clip_alignment.channels == 1
    for before, after in zip(turns, turns[1:]):
        assert before.end <= after.start
    for t in turns:
        assert 0.0 <= t.confidence <= 1.0 and t.start <= t.end
        if t.words is not None:
            assert t.transcribed, t
            # The turn's words as written, in order (stage notes such as `Translates.`
            # are nobody's words and have no times).
            at = 0
            for w in t.words:
                found = t.text.find(w.word, at)
                assert found >= at, (w, t.text)
                at = found + len(w.word)
            for w in t.words:
                assert t.start <= w.start <= w.end <= t.end
                assert w.phones is None
    # Untranscribed turns have none. Turn 4, "Thank you.", fits weakly (-4.2): since session
    # 33 a fit from -5 places its turn and times its words.
    assert [t.index for t in turns if t.words is not None] == [0, 2, 4, 5, 8]


def test_phones_come_with_words():
    a = talign.align(str(CLIP), str(CLIP_TXT), words=True, phones=True)
    word = a.turns[0].words[0]
    assert word.word == "And" and word.phones, word
    assert all(word.start <= s <= e <= word.end for _, s, e in word.phones)
    assert 0.0 <= word.confidence <= 1.0 and word.fit is not None, word
    assert word.onset_fit is not None, word
    assert any(w.pause_fit is not None for t in a.turns for w in (t.words or [])), "a word after a pause"
    assert '"phones"' in a.to_json()


def test_samples_align_as_the_file_does(clip_samples, clip_plain):
    samples, rate = clip_samples
    from_file = clip_plain
    in_memory = talign.align((samples, rate), str(CLIP_TXT))
    assert turns_of(in_memory) == turns_of(from_file)
    assert in_memory.audio == "<samples>"
    named = talign.align((samples, rate), str(CLIP_TXT), name="clip.wav")
    assert json.loads(named.to_json())["audio"]["path"] == "clip.wav"


def test_frames_by_channels_and_float64_and_strided_arrays(clip_samples, clip_plain):
    samples, rate = clip_samples
    mono = turns_of(clip_plain)  # the same as the mono samples' (test above)
    stereo = np.stack([samples, samples], axis=1)  # frames × channels, C order
    a = talign.align((stereo, rate), str(CLIP_TXT))
    assert a.channels == 2 and turns_of(a) == mono
    fortran = np.asfortranarray(stereo)  # not C-contiguous: copied element by element
    assert turns_of(talign.align((fortran, rate), str(CLIP_TXT))) == mono
    strided = np.repeat(samples, 2)[::2]  # a view with stride 2
    assert turns_of(talign.align((strided, rate), str(CLIP_TXT))) == mono
    assert turns_of(talign.align((samples.astype(np.float64), rate), str(CLIP_TXT))) == mono


def test_transcript_objects(clip_plain):
    text = CLIP_TXT.read_text()
    t = talign.Transcript.from_text(text, name="clip.txt")
    assert len(t) == 9 and t.format == "block" and t.path == "clip.txt"
    assert t.speakers == ["Kerry", "Female voice", "Male voice"]
    assert t.turns[0]["stamp"]["raw"] == "[00:00]"
    from_text = talign.align(str(CLIP), t)
    assert turns_of(from_text) == turns_of(clip_plain)
    read = talign.Transcript.read(CLIP_TXT)
    assert read.turns == t.turns and read.path == str(CLIP_TXT)
    assert json.loads(from_text.to_json())["transcript"]["path"] == "clip.txt"
    plain = talign.Transcript.from_text("Hello there.\n\nGeneral Kenobi.", format="plain")
    assert plain.format == "plain" and len(plain) == 2


def test_save_writes_the_export(tmp_path, clip_alignment):
    clip_alignment.save(tmp_path / "a.srt")
    assert (tmp_path / "a.srt").read_text() == clip_alignment.to_srt()
    clip_alignment.save(str(tmp_path / "a.out"), format="json")
    assert (tmp_path / "a.out").read_text() == clip_alignment.to_json()
    with pytest.raises(ValueError, match="extension names no output format"):
        clip_alignment.save(tmp_path / "a.unknown")
    with pytest.raises(ValueError, match="unknown export format `mp3`"):
        clip_alignment.export("mp3")


def test_dataframe(clip_alignment):
    pandas = pytest.importorskip("pandas")
    frame = clip_alignment.to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame["start"]) == [t.start for t in clip_alignment.turns]
    assert list(frame["speaker"])[:2] == ["Kerry", "Female voice"]
    words = clip_alignment.to_dataframe(words=True)
    assert list(words["word"][:3]) == ["And", "that's", "really"]
    assert list(words["confidence"][:1]) == [clip_alignment.turns[0].words[0].confidence]
    assert len(words) == sum(len(t.words or []) for t in clip_alignment.turns)


def test_dataframe_without_pandas_says_what_to_install(clip_alignment, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    with pytest.raises(ImportError, match="pip install pandas"):
        clip_alignment.to_dataframe()


def test_gil_is_released_while_aligning():
    """With a switch interval far longer than the alignment, the main thread runs during it
    only if align releases the GIL: it ticks while the worker is inside the call."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(30.0)
    state = {"started": False, "done": False}

    def work():
        state["started"] = True
        talign.align(str(CLIP), str(CLIP_TXT))
        state["done"] = True

    try:
        worker = threading.Thread(target=work)
        worker.start()
        while not state["started"]:
            time.sleep(0.001)
        ticks = 0
        while not state["done"]:
            ticks += 1
            time.sleep(0.001)
        worker.join()
    finally:
        sys.setswitchinterval(previous)
    assert ticks > 20, f"the main thread ran {ticks} times while align ran"


def test_threads_give_the_same_results_as_one_at_a_time(clip_samples, clip_plain):
    samples, rate = clip_samples
    jobs = [(str(CLIP), str(CLIP_TXT)), ((samples, rate), str(CLIP_TXT))] * 2
    # One at a time, file and samples align alike (test_samples_align_as_the_file_does).
    serial = [turns_of(clip_plain)] * len(jobs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        parallel = [turns_of(a) for a in pool.map(lambda job: talign.align(*job), jobs)]
    assert parallel == serial
