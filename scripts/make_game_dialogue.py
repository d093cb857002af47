#!/usr/bin/env python3
"""Build real acted dialogue in English and Spanish from the voice acting of the adventure game
"Drascula: The Vampire Strikes Back" (Debian packages `drascula` and `drascula-spanish`), with
timing truth made by the construction itself.

    python3 scripts/make_game_dialogue.py [--out eval-out/real] [--only NAME ...] [--list]
                                          [--debs DIR] [--noise-floor DBFS] [--case lower]

The game has one speech clip per line of dialogue (`N.ALS` for the hero John Hacker, `T<N>.ALS`
for the bartender, `BJ<N>.ALS` for B.J., ...) and its text in ScummVM's engine data
`drascula.dat` (one table of lines per character, per language). The order of the lines in a
conversation is the game's own: the talk sequences stored in `drascula.dat` (chapter, sequence,
who speaks which line) and the dialogue menus `OP_<N>.CAL` (the hero's four phrases, their clips
and the talk sequence that answers each). A scene below joins whole conversations of one
chapter; inside a conversation the lines keep the game's order. How clips and lines relate was
read from ScummVM's engine source (engines/drascula/talk.cpp, converse.cpp, sound.cpp,
drascula.cpp); nothing of it is copied here.

For every scene it writes ``<out>/<name>/`` in the layout of scripts/fetch_real_speech.py:

    audio.wav        16 kHz mono 16-bit PCM (sox, no dither: deterministic)
    transcript.txt   block format: speaker label (the character's name), blank, text, blank
    truth.json       the same schema as fetch_real_speech.py's, with `annotation`, turns' `text`,
                     `transcribed`, `speech`, plus `clips` (which file each turn is)
    orig/            the clips and dialogue menus used, byte for byte, and the licence

How the truth is made (machine-made, from the construction; exact by definition): each clip is
raw unsigned 8-bit mono at 11025 Hz after a 32-byte header (the last 32 bytes are not played,
as in the engine). It is trimmed to its first and last 10 ms frame (110 samples) whose RMS is at
least 1 % of full scale (-40 dBFS) and which starts (ends) a run of at least 2 such frames; the
trimmed clips are joined with pauses of digital silence drawn uniformly from 0.15-1.5 s
(random.Random seeded with the scene's name; 0.5 s before the first and after the last), then
converted to 16 kHz. A turn's `start`/`end` are its trimmed clip's edges; `speech` holds the
runs of such frames inside each clip, joined across gaps shorter than 0.3 s.

Messiness: in each scene one or two lines of a character other than the hero are heard in the
*other* language (the same line from the other package) and written as an untranscribed turn,
`[Speaks Spanish]` / `[Speaks English]` (`transcribed: false`). The text is the game's subtitle
text (upper case as the game has it; a final `.` added when it ends without punctuation, a
precaution so that a short line such as `ALL RIGHT` never reads as a speaker label); whether the actors say exactly
what the subtitle says was not checked by ear.

Variants for experiments (not part of the evaluation set; each adds a suffix to the scene's
name, e.g. `drascula-en-ch1-floor60-lower`): `--noise-floor -60` adds seeded Gaussian noise of
that RMS (dBFS) to the whole 16 kHz recording, so no stretch is digital silence (the game's
clips are noise-gated: exact zeros between words and between turns); `--case lower` writes the
text in lower case with the first letter of each line capitalised instead of the game's upper
case. Truth is unchanged by either.

Needs Python 3.9+ (standard library only), sox, dpkg-deb, and apt-get to fetch the two .debs
once into ``<out>/.cache/`` (or ``--debs DIR`` holding them); they are checked against pinned
SHA-256 digests, so reruns are offline and byte-identical.
Exit status: 0 all scenes produced, 1 usage / missing tool, 2 a scene or package failed (each
failure is printed with its reason; the others are still written).

Licence: game content (C) Alcachofa Soft S.L., "Drascula-License" (Debian copyright file, kept
in orig/): free distribution with the readme and notices intact, modified versions marked as
such. The recordings made here are modified excerpts; they are not committed to the repository.
"""

from __future__ import annotations

import argparse
import array
import io
import json
import math
import random
import shutil
import struct
import subprocess
import sys
import tarfile
import wave
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fetch_real_speech import Archive, SourceError, fetch_archive  # noqa: E402  (the same pinned downloads)

TARGET_RATE = 16000
CLIP_RATE = 11025  # engine: raw unsigned 8-bit mono at 11025 Hz
HEADER = 32  # bytes skipped before a clip's samples; as many at the end are not played
FRAME = 110  # 10 ms at 11025 Hz
THRESHOLD = 0.01 * 128  # RMS of 1 % of full scale (-40 dBFS) in 8-bit sample units
MIN_RUN = 2  # frames above the threshold that a trimmed edge must start / end
SPEECH_GAP = 0.3  # s: speech runs closer than this are one interval
PAUSE = (0.15, 1.5)  # s, uniform, between turns
EDGE = 0.5  # s of silence before the first and after the last turn


DRASCULA = Archive("debian", "drascula", "1.0+ds4-2", "drascula_1.0+ds4-2_all.deb",
                   "ed4af8e2d41ad446e2f3b73533daa1804e2f13f62f596c0b02b8dc39544f22b4")
DRASCULA_ES = Archive("debian", "drascula-spanish", "1.0+ds4-2", "drascula-spanish_1.0+ds4-2_all.deb",
                      "87b5f12df3fcd7ca16097c802dff1ab55e40c9ebc21209fa3f031e1661b4b8e5")
DRASCULA_IT = Archive("debian", "drascula-italian", "1.0+ds4-2", "drascula-italian_1.0+ds4-2_all.deb",
                      "922b58de1e343e9981b73209064b1f81990722e1f52468985105c3961a86ebd1")
DATA = "./usr/share/scummvm/drascula/"
DEB_OF = {"en": DRASCULA, "es": DRASCULA_ES, "it": DRASCULA_IT}
COPYRIGHT = {"en": "./usr/share/doc/drascula/copyright", "es": "./usr/share/doc/drascula-spanish/copyright",
             "it": "./usr/share/doc/drascula-italian/copyright"}
LANG_INDEX = {"en": 0, "es": 1, "it": 4}  # language blocks in drascula.dat: English, Spanish, German, French, Italian
OTHER = {"en": "es", "es": "en", "it": "en"}
SPEAKS = {"en": "[Speaks English]", "es": "[Speaks Spanish]"}
# The Italian text writes its capital accented vowels with the game's own bytes (cp437 would
# read them as box-drawing signs); 0x90 is cp437's own É.
ACCENTS = {"it": {0xB7: "À", 0xD4: "È", 0xD6: "Ì", 0xE3: "Ò", 0xEB: "Ù"}}

# drascula.dat: the text tables in their stored order, and the clip prefix of each speaker's table.
TABLES = ["text", "textd", "textb", "textbj", "texte", "texti", "textl", "textp", "textt", "textvb",
          "textsys", "texthis", "textverbs", "textmisc", "textd1"]
# talk-sequence command -> (table, clip prefix, speaker key); commands below 13 are not speech.
TALKERS = {13: ("text", "", "hero"), 14: ("textb", "B", "drunk"), 15: ("textp", "P", "pianist"),
           16: ("textbj", "BJ", "bj"), 17: ("textvb", "VB", "vonbraun"), 18: ("textvb", "VB", "vonbraun"),
           19: ("texti", "I", "igor"), 20: ("textl", "L", "werewolf"), 21: ("texte", "E", "desiderio"),
           22: ("textd", "D", "drascula"), 23: ("textt", "T", "bartender"), 24: ("textt", "T", "bartender")}
NAMES = {
    "en": {"hero": "John Hacker", "drunk": "Drunk", "pianist": "Pianist", "bj": "B.J.",
           "vonbraun": "Von Braun", "igor": "Igor", "werewolf": "Werewolf", "desiderio": "Desiderio",
           "drascula": "Drascula", "bartender": "Bartender"},
    "es": {"hero": "John Hacker", "drunk": "Borracho", "pianist": "Pianista", "bj": "B.J.",
           "vonbraun": "Von Braun", "igor": "Igor", "werewolf": "Hombre lobo", "desiderio": "Desiderio",
           "drascula": "Drascula", "bartender": "Tabernero"},
    "it": {"hero": "John Hacker", "drunk": "Ubriaco", "pianist": "Pianista", "bj": "B.J.",
           "vonbraun": "Von Braun", "igor": "Igor", "werewolf": "Lupo mannaro", "desiderio": "Desiderio",
           "drascula": "Drascula", "bartender": "Oste"},
}

# A scene: (name, language, chapter, parts); a part is ("seq", N) = talk sequence N of the chapter,
# or ("menu", N) = dialogue menu OP_N.CAL played through: phrase 1 and its answer, 2, 3, then 4.
SCENES = [
    ("drascula-en-ch1", "en", 1, [("seq", 3), ("menu", 13), ("seq", 2)]),
    ("drascula-en-ch2-vonbraun", "en", 2, [("seq", 22), ("menu", 5), ("seq", 31)]),
    ("drascula-en-ch5", "en", 5, [("seq", 4), ("menu", 9), ("menu", 10)]),
    ("drascula-es-ch1", "es", 1, [("seq", 3), ("menu", 13), ("seq", 2)]),
    ("drascula-es-ch2-village", "es", 2, [("seq", 11), ("menu", 1), ("seq", 13), ("menu", 2)]),
]
# Mismatched pairs (`--mismatched`): the Italian package's speech clips are the English
# recordings (of 779 clips both packages hold, 93 % within 2 % of the English clip's size; the
# same voices by pitch), under the Italian subtitles: English speech with its Italian translation as the
# transcript, which `talign align` must refuse (docs/accuracy.md, "Mismatch refused").
MISMATCHED = [
    ("drascula-it-ch1", "it", 1, [("seq", 3), ("menu", 13), ("seq", 2)]),
    ("drascula-it-ch2-village", "it", 2, [("seq", 11), ("menu", 1), ("seq", 13), ("menu", 2)]),
]
SCENE_NAMES = [s[0] for s in SCENES + MISMATCHED]


# ---------------------------------------------------------------------------
# Packages


def fetch_deb(d: Archive, cache: Path, debs: Path | None) -> Path:
    """The pinned .deb from the cache, from --debs (copied into the cache), or by `apt-get
    download`; checked by sha256 (fetch_real_speech's `fetch_archive`)."""
    cache.mkdir(parents=True, exist_ok=True)
    if debs is not None and (debs / d.filename).exists() and not (cache / d.filename).exists():
        shutil.copyfile(debs / d.filename, cache / d.filename)
    return fetch_archive(d, cache)


def deb_members(deb: Path, wanted) -> dict[str, bytes]:
    """{member: bytes} for the regular files of a .deb's data whose name `wanted(name)` accepts."""
    p = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True)
    if p.returncode != 0:
        raise SourceError(f"dpkg-deb could not read {deb.name}: {p.stderr.decode(errors='replace').strip()}")
    out = {}
    with tarfile.open(fileobj=io.BytesIO(p.stdout)) as tf:
        for m in tf:
            if m.isfile() and wanted(m.name):
                out[m.name] = tf.extractfile(m).read()
    return out


# ---------------------------------------------------------------------------
# Game data


class Reader:
    def __init__(self, data: bytes):
        self.d, self.p = data, 0

    def take(self, n: int) -> bytes:
        if self.p + n > len(self.d):
            raise SourceError(f"drascula.dat is truncated at byte {self.p} (wanted {n} more)")
        b = self.d[self.p:self.p + n]
        self.p += n
        return b

    def u16(self) -> int:
        return struct.unpack(">H", self.take(2))[0]


def parse_dat(data: bytes) -> tuple[dict[str, list[list[bytes]]], list[tuple[int, int, int, int]]]:
    """drascula.dat (version 6): the text tables ({table: [language][line] -> bytes}) and the talk
    sequences [(chapter, sequence, command, argument)], in file order."""
    r = Reader(data)
    if r.take(8) != b"DRASCULA":
        raise SourceError("drascula.dat: no DRASCULA magic")
    ver = r.take(1)[0]
    if ver != 6:
        raise SourceError(f"drascula.dat: version {ver}, this reader knows version 6")
    # Tables before the talk sequences: a count, then that many records of a fixed size
    # (character map, item locations, polygon, verb bar, menu, frames, candles, pianist, drunk,
    # room pre-updates, room updates, room actions).
    for size in (4, 4, 4, 2, 4, 2, 4, 2, 2, 20, 20, 10):
        r.take(r.u16() * size)
    seqs = [struct.unpack(">4h", r.take(8)) for _ in range(r.u16())]
    langs = r.u16()
    tables = {}
    for name in TABLES:
        count = r.u16()
        per_lang = []
        for _ in range(langs):
            block = r.take(r.u16())
            # Line 0 starts the block; each next line starts 2 bytes after the big-endian length
            # that ends the previous one (the first length sits at bytes 2-3).
            starts, q = [0], 4
            for _ in range(1, count):
                q -= 2
                q += 2 + struct.unpack(">H", block[q:q + 2])[0]
                starts.append(q)
            per_lang.append([block[s:block.index(b"\0", s)] if b"\0" in block[s:] else block[s:] for s in starts])
        tables[name] = per_lang
    if r.p != len(data):
        raise SourceError(f"drascula.dat: {len(data) - r.p} bytes left after the last table")
    return tables, seqs


def decode_text(b: bytes, lang: str = "en") -> str:
    """The game's text bytes (DOS code page 437, but for the language's own accented capitals;
    0xA7 stands for a space in menus) -> str."""
    accents = ACCENTS.get(lang, {})
    s = "".join(accents.get(c) or bytes([c]).decode("cp437") for c in b.replace(b"\xa7", b" "))
    s = " ".join(s.split())
    if s and s[-1].isalnum():
        s += "."
    return s


def parse_menu(data: bytes, lang: str = "en") -> tuple[list[str], list[str], list[int]]:
    """OP_N.CAL (bytes XOR 0xFF): four phrases, four clip names, three answer sequences."""
    lines = [x.strip() for x in bytes(b ^ 0xFF for b in data).decode("cp437").splitlines()]
    lines = [x for x in lines if x]
    if len(lines) < 11:
        raise SourceError(f"dialogue menu has {len(lines)} lines, expected 11")
    phrases = [decode_text(x.replace("º", " ").encode("cp437"), lang) for x in lines[:4]]
    return phrases, [x.upper() for x in lines[4:8]], [int(x) for x in lines[8:11]]


@dataclass
class Line:
    speaker: str  # key of NAMES
    clip: str  # e.g. "T5.ALS"
    text: str


def scene_lines(lang: str, chapter: int, parts, tables, seqs, menus) -> list[Line]:
    li = LANG_INDEX[lang]

    def sequence(n: int) -> list[Line]:
        out = []
        for c, s, cmd, arg in seqs:
            if c != chapter or s != n or cmd not in TALKERS:
                continue
            table, prefix, who = TALKERS[cmd]
            if table == "textt" and arg == 82:  # the bartender's line 82 is Drascula's table and clip
                table, prefix = "textd", "D"
            out.append(Line(who, f"{prefix}{arg}.ALS", decode_text(tables[table][li][arg], lang)))
        return out

    lines: list[Line] = []
    for kind, n in parts:
        if kind == "seq":
            got = sequence(n)
            if not got:
                raise SourceError(f"chapter {chapter} has no talk sequence {n}")
            lines += got
        else:
            phrases, clips, answers = menus[lang][n]
            for i in range(4):
                if lines and lines[-1].clip == clips[i]:
                    continue  # the answer already ended with this phrase (menu 1's goodbye)
                lines.append(Line("hero", clips[i], phrases[i]))
                if i < 3:
                    lines += sequence(answers[i])  # an answer the engine plays in code: none here
    return lines


# ---------------------------------------------------------------------------
# Audio


def clip_samples(data: bytes) -> bytes:
    return data[HEADER:len(data) - HEADER]


def frame_loud(s: bytes) -> list[bool]:
    out = []
    for i in range(0, len(s) - FRAME + 1, FRAME):
        x = s[i:i + FRAME]
        out.append(math.sqrt(sum((v - 128) ** 2 for v in x) / FRAME) >= THRESHOLD)
    return out


def trim(s: bytes) -> tuple[int, int, list[tuple[int, int]]]:
    """(first sample, end sample, speech runs as sample ranges) of a clip by the stated rule."""
    loud = frame_loud(s)
    runs, i = [], 0
    while i < len(loud):
        if loud[i]:
            j = i
            while j < len(loud) and loud[j]:
                j += 1
            if j - i >= MIN_RUN:
                runs.append((i, j))
            i = j
        else:
            i += 1
    if not runs:
        raise SourceError("no frame of speech above -40 dBFS")
    merged = [list(runs[0])]
    for a, b in runs[1:]:
        if (a - merged[-1][1]) * FRAME / CLIP_RATE < SPEECH_GAP:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    first, last = merged[0][0] * FRAME, merged[-1][1] * FRAME
    return first, last, [(a * FRAME - first, b * FRAME - first) for a, b in merged]


def add_noise_floor(path: Path, dbfs: float, seed: str) -> None:
    """Adds Gaussian noise of RMS `dbfs` (relative to 16-bit full scale) to a mono 16-bit WAV."""
    with wave.open(str(path)) as w:
        params = w.getparams()
        x = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder == "big":
        x.byteswap()
    rng = random.Random(seed)
    sigma = 32768.0 * 10 ** (dbfs / 20)
    for i in range(len(x)):
        x[i] = max(-32768, min(32767, x[i] + round(rng.gauss(0.0, sigma))))
    if sys.byteorder == "big":
        x.byteswap()
    with wave.open(str(path), "wb") as w:
        w.setparams(params)
        w.writeframes(x.tobytes())


def to_wav(raw: bytes, dst: Path) -> float:
    tmp_raw = dst.with_name("audio.tmp.raw")
    tmp = dst.with_name(dst.name + ".tmp.wav")
    tmp_raw.write_bytes(raw)
    p = subprocess.run(["sox", "-D", "-t", "raw", "-r", str(CLIP_RATE), "-e", "unsigned-integer", "-b", "8",
                        "-c", "1", str(tmp_raw), "-r", str(TARGET_RATE), "-c", "1", "-b", "16",
                        "-e", "signed-integer", str(tmp)], capture_output=True, text=True)
    tmp_raw.unlink()
    if p.returncode != 0:
        raise SourceError(f"sox failed: {p.stderr.strip()}")
    tmp.replace(dst)
    with wave.open(str(dst)) as w:
        return round(w.getnframes() / w.getframerate(), 6)


# ---------------------------------------------------------------------------
# Scenes


def foreign_positions(lines: list[Line], clip_len) -> list[int]:
    """Turns heard in the other language: the first line of a character other than the hero
    with a clip of at least 2 s at or after 1/3 (and, with 30 lines or more, 2/3) of the scene."""
    n = len(lines)
    marks = [n // 3] + ([2 * n // 3] if n >= 30 else [])
    out = []
    for m in marks:
        for i in range(m, n):
            if lines[i].speaker != "hero" and clip_len(i) >= 2.0 and i not in out:
                out.append(i)
                break
    return out


def lower_case(text: str) -> str:
    s = text.lower()
    return s[:1].upper() + s[1:]


def build_scene(name: str, lang: str, chapter: int, parts, tables, seqs, menus, clips, copyright,
                out: Path, noise_floor: float | None = None, case: str = "game", base: str | None = None) -> dict:
    lines = scene_lines(lang, chapter, parts, tables, seqs, menus)
    if case == "lower":
        lines = [Line(x.speaker, x.clip, lower_case(x.text)) for x in lines]
    missing = [x.clip for x in lines if x.clip not in clips[lang]]
    if missing:
        raise SourceError(f"clips missing from the {lang} package: {', '.join(missing)}")
    foreign = foreign_positions(lines, lambda i: len(clip_samples(clips[lang][lines[i].clip])) / CLIP_RATE)
    foreign = [i for i in foreign if lines[i].clip in clips[OTHER[lang]]]
    d = out / name
    orig = d / "orig"
    if d.exists():
        shutil.rmtree(d)
    orig.mkdir(parents=True)
    (orig / "copyright").write_bytes(copyright)
    rng = random.Random(f"drascula:{base or name}")  # a variant keeps its scene's pauses
    raw = bytearray(b"\x80" * round(EDGE * CLIP_RATE))
    turns, speech, clip_rows, text_lines = [], [], [], []
    for i, x in enumerate(lines):
        clip_lang = OTHER[lang] if i in foreign else lang
        data = clips[clip_lang][x.clip]
        (orig / f"{clip_lang}-{x.clip}").write_bytes(data)
        s = clip_samples(data)
        a, b, runs = trim(s)
        if i:
            raw += b"\x80" * round(rng.uniform(*PAUSE) * CLIP_RATE)
        start = len(raw)
        raw += s[a:b]
        label = NAMES[lang][x.speaker]
        text = SPEAKS[clip_lang] if i in foreign else x.text
        line_no = len(text_lines) + 1
        text_lines += [label, "", text, ""]
        turns.append({"index": i, "line": line_no, "speaker_raw": label, "transcribed": i not in foreign,
                      "start": round(start / CLIP_RATE, 3), "end": round((start + b - a) / CLIP_RATE, 3),
                      "stated_raw": None, "stated_s": None, "stamp": "missing", "text": text})
        speech += [[round((start + u) / CLIP_RATE, 3), round((start + v) / CLIP_RATE, 3)] for u, v in runs]
        clip_rows.append({"line": line_no, "file": f"orig/{clip_lang}-{x.clip}", "package": DEB_OF[clip_lang].package,
                          "path_in_package": f"{DATA[2:]}{clip_lang}/{x.clip}", "language": clip_lang,
                          "subtitle": x.text if clip_lang == lang else None,
                          "trimmed_s": [round(a / CLIP_RATE, 3), round(b / CLIP_RATE, 3)],
                          "clip_s": round(len(s) / CLIP_RATE, 3)})
    raw += b"\x80" * round(EDGE * CLIP_RATE)
    duration = to_wav(bytes(raw), d / "audio.wav")
    if noise_floor is not None:
        add_noise_floor(d / "audio.wav", noise_floor, f"noise:{name}")
    for kind, n in parts:
        if kind == "menu":
            (orig / f"{lang}-OP_{n}.CAL").write_bytes(clips[lang][f"OP_{n}.CAL"])
    (d / "transcript.txt").write_text("\n".join(text_lines), encoding="utf-8")
    speakers = sorted({t["speaker_raw"] for t in turns})
    langs = sorted({lang, OTHER[lang]})  # the English package holds drascula.dat either way
    debs = [DEB_OF[x] for x in sorted(langs, key=lambda x: x != "en")]
    truth = {
        "audio": "audio.wav",
        "transcript": "transcript.txt",
        "variant": f"real:{name}",
        "duration_s": duration,
        "turns": turns,
        "speech": speech,
        "events": [],
        "language": lang,
        "variant_options": {"noise_floor_dbfs": noise_floor, "case": case},
        "annotation": {
            "turns": "machine, exact by construction: each turn is one voice clip of the game, trimmed to "
                     "its first/last 10 ms frame at or above -40 dBFS RMS (in a run of >= 2 such frames); "
                     "clips joined with seeded pauses of digital silence (0.15-1.5 s)",
            "speech": "machine, same rule: runs of such frames inside each clip, joined across gaps < 0.3 s",
            "text": "the game's subtitle text (drascula.dat, dialogue menus OP_N.CAL), "
                    + ("upper case as in the game" if case == "game" else "lower-cased")
                    + "; not checked by ear against what the actors say",
            "order": "the game's own: talk sequences of drascula.dat and dialogue menus played through "
                     "phrase 1-4 with their answers; conversations of one chapter joined",
            "untranscribed": f"{len(foreign)} turn(s) heard in the other language, written "
                             f"{SPEAKS[OTHER[lang]]}",
            "voices": "human: professional voice acting (studio, 11025 Hz 8-bit, noise-gated)",
        },
        "clips": clip_rows,
        "source": {
            "registry": "debian",
            "package": [f"{d.package}={d.version}" for d in debs],
            "archive": [d.filename for d in debs],
            "archive_sha256": [d.sha256 for d in debs],
            "path_in_package": f"{DATA[2:]}{{{','.join(langs)}}}/*.ALS, drascula.dat, OP_N.CAL",
            "scene": {"chapter": chapter, "parts": [f"{k} {n}" for k, n in parts]},
            "licence": "Drascula-License (Debian copyright file in orig/): game content (C) Alcachofa Soft "
                       "S.L.; free distribution with notices intact; this is a modified version (excerpts "
                       "joined with pauses). Not committed.",
        },
    }
    (d / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return {"name": name, "language": lang, "duration_s": duration, "turns": len(turns),
            "untranscribed": len(foreign), "speakers": speakers}


# The committed fixtures: (scene, folder, first turn, turns).
FIXTURES = [
    ("drascula-es-ch1", "drascula-es-ch1-opening", 0, 12),
    ("drascula-en-ch1", "drascula-en-ch1-bar", 14, 4),
]


def cut_fixture(scene: Path, dst: Path, first: int, n: int) -> None:
    """Turns first..first+n of the scene as a small fixture: the audio from halfway into the
    pause before turn `first` (or the start) to halfway into the pause after the last (FLAC,
    lossless), those turns' transcript blocks, and the truth's turns with their times, lines
    and indices counted from the cut."""
    if not (scene / "truth.json").exists():
        raise SourceError(f"{scene} is not built: run without --mismatched and with {scene.name} first")
    truth = json.loads((scene / "truth.json").read_text(encoding="utf-8"))
    turns = truth["turns"]
    start = round((turns[first - 1]["end"] + turns[first]["start"]) / 2, 3) if first > 0 else 0.0
    last = first + n - 1
    end = (turns[last]["end"] + turns[last + 1]["start"]) / 2 if len(turns) > last + 1 else truth["duration_s"]
    end = round(end, 3)
    dst.mkdir(parents=True, exist_ok=True)
    (dst / "orig").mkdir(exist_ok=True)
    subprocess.run(["sox", "-D", str(scene / "audio.wav"), str(dst / "audio.flac"), "trim", f"{start}",
                    f"={end}"], check=True)
    blocks = (scene / "transcript.txt").read_text(encoding="utf-8").strip().split("\n\n")
    (dst / "transcript.txt").write_text("\n\n".join(blocks[2 * first:2 * (first + n)]) + "\n", encoding="utf-8")
    which = f"the first {n} turns" if first == 0 else f"turns {first + 1}-{first + n}"
    source = dict(truth["source"], fixture=f"{which} of the scene {scene.name}")
    source["licence"] = source["licence"].replace(
        "Not committed.", "This excerpt is committed, with the package's copyright file in orig/.")
    line = {t["line"]: 1 + 4 * k for k, t in enumerate(turns[first:first + n])}
    shift = lambda x: round(x - start, 3)
    cut_turns = [dict(t, index=k, line=line[t["line"]], start=shift(t["start"]), end=shift(t["end"]))
                 for k, t in enumerate(turns[first:first + n])]
    clips = [dict(c, line=line[c["line"]]) for c in truth.get("clips", []) if c.get("line") in line]
    speech = [[shift(max(a, start)), shift(min(b, end))] for a, b in truth.get("speech", []) if b > start and a < end]
    truth = dict(truth, audio="audio.flac", duration_s=shift(end), turns=cut_turns, speech=speech,
                 clips=clips, source=source)
    (dst / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    shutil.copy(scene / "orig" / "copyright", dst / "orig" / "copyright")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", help="output folder (default eval-out/real, or eval-out/mismatch)")
    ap.add_argument("--only", action="append", choices=SCENE_NAMES, help="only this scene (repeatable)")
    ap.add_argument("--debs", type=Path, help="folder holding the two pinned .debs (else apt-get download)")
    ap.add_argument("--list", action="store_true", help="list the scenes, fetch nothing")
    ap.add_argument("--noise-floor", type=float, metavar="DBFS",
                    help="experiment: add seeded Gaussian noise of this RMS in dBFS (e.g. -60); suffix -floorN")
    ap.add_argument("--mismatched", action="store_true",
                    help="build the mismatched pairs instead (English speech, Italian subtitles; default "
                         "--out eval-out/mismatch)")
    ap.add_argument("--fixture", type=Path, metavar="DIR",
                    help="also cut the test fixtures of tests/fixtures/real into DIR (FLAC): the opening of "
                         "drascula-es-ch1 (12 turns) into DIR/drascula-es-ch1-opening, turns 15-18 of "
                         "drascula-en-ch1 into DIR/drascula-en-ch1-bar")
    ap.add_argument("--case", choices=["game", "lower"], default="game",
                    help="experiment: `lower` writes the text in lower case; suffix -lower")
    args = ap.parse_args(argv)
    scenes = MISMATCHED if args.mismatched else SCENES
    args.out = args.out or ("eval-out/mismatch" if args.mismatched else "eval-out/real")
    suffix = (f"-floor{abs(round(args.noise_floor))}" if args.noise_floor is not None else "") + \
        ("-lower" if args.case == "lower" else "")
    if args.list:
        for name, lang, chapter, parts in SCENES + MISMATCHED:
            print(f"{name:26} {lang}  chapter {chapter}: " + ", ".join(f"{k} {n}" for k, n in parts))
        return 0
    for tool in ("sox", "dpkg-deb"):
        if shutil.which(tool) is None:
            print(f"error: {tool} is not installed", file=sys.stderr)
            return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        members = {}
        wanted = {"en"} | {x for name, lang, _, _ in scenes if not args.only or name in args.only
                           for x in (lang, OTHER[lang])}
        for lang, deb in DEB_OF.items():
            if lang not in wanted:
                continue
            path = fetch_deb(deb, out / ".cache", args.debs)
            members[lang] = deb_members(path, lambda m, lang=lang: m.startswith(f"{DATA}{lang}/")
                                        or m.startswith(f"{DATA}en/drascula.dat") or m == COPYRIGHT[lang])
        dat = members["en"].get(f"{DATA}en/drascula.dat")
        if dat is None:
            raise SourceError("drascula.dat is not in the drascula package")
        tables, seqs = parse_dat(dat)
        clips = {lang: {Path(k).name.upper(): v for k, v in m.items() if k.startswith(f"{DATA}{lang}/")}
                 for lang, m in members.items()}
        menus = {lang: {int(k[3:-4]): parse_menu(v, lang) for k, v in c.items() if k.startswith("OP_") and k.endswith(".CAL")}
                 for lang, c in clips.items()}
    except (SourceError, OSError, subprocess.SubprocessError) as e:
        print(f"FAIL  packages: {e}", file=sys.stderr)
        return 2
    produced, failed = [], []
    for name, lang, chapter, parts in scenes:
        if args.only and name not in args.only:
            continue
        try:
            e = build_scene(name + suffix, lang, chapter, parts, tables, seqs, menus, clips,
                            members[lang][COPYRIGHT[lang]], out, args.noise_floor, args.case, name)
        except (SourceError, OSError, subprocess.SubprocessError, KeyError) as err:
            failed.append({"name": name, "error": str(err)})
            print(f"FAIL  {name}: {err}", file=sys.stderr)
            continue
        produced.append(e)
        print(f"ok    {e['name']:26} {e['duration_s']:7.2f} s  turns {e['turns']:3}  untranscribed "
              f"{e['untranscribed']}  speakers {', '.join(e['speakers'])}")
    if args.fixture is not None:
        for scene, folder, first, n in FIXTURES:
            try:
                cut_fixture(out / scene, args.fixture / folder, first, n)
                print(f"ok    fixture {args.fixture / folder}")
            except (SourceError, OSError, subprocess.SubprocessError) as err:
                failed.append({"name": f"fixture {folder}", "error": str(err)})
                print(f"FAIL  fixture {folder}: {err}", file=sys.stderr)
    if not args.only and not suffix and not args.mismatched:
        index = {"scenes": produced, "failed": failed}
        (out / "game-dialogue-index.json").write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n",
                                                      encoding="utf-8")
    print(f"{len(produced)} scene(s) in {out}/" + (f"; {len(failed)} FAILED" if failed else ""))
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
