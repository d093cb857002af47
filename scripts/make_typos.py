#!/usr/bin/env python3
"""Copies of the English real recordings whose transcripts have typing errors, as people make
them: the audio is the same, the speaker said the right words, the transcript misspells some.

    python3 scripts/make_typos.py [--rate 0.15] [--seed 1]

For each English recording of eval-out/real/*/ and tests/fixtures/real/*/ (made by
scripts/fetch_real_speech.py and scripts/make_game_dialogue.py), eval-out/typos/<name>/ gets
`transcript.txt` with typos and `truth.json` whose words carry the same typos (its turns'
`text` stays as it was), so word pairing by text still works; its `audio` points at the original recording.

Each word of at least 4 letters that the pronouncing dictionary (models/en-us) has is
misspelt with probability --rate (seeded by the recording's name, so every run makes the same
files), by one of four slips chosen at random: two neighbouring letters swapped (`know` →
`knwo`), a letter dropped (`opposition` → `oppostion`), a letter doubled (`targeted` →
`targetted`), or a letter replaced by a neighbouring key (`prior` → `ptior`). A slip that
makes another dictionary word is tried again (up to 10 times), then the word is left alone:
a typo that spells a real word cannot be told from the text. Label lines, stamp lines and
bracketed notes are left alone, and so are words with an apostrophe (`there's`).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Not English: their typos would be slips in words the English dictionary cannot know.
OTHER_LANGUAGES = ("drascula-es-", "transcriber-frint", "festival-czech")
KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def neighbours(c: str) -> str:
    for r, row in enumerate(KEYBOARD):
        i = row.find(c)
        if i < 0:
            continue
        near = row[max(0, i - 1):i] + row[i + 1:i + 2]
        for other in (r - 1, r + 1):
            if 0 <= other < len(KEYBOARD):
                near += KEYBOARD[other][max(0, i - 1):i + 1]
        return near
    return ""


def slip(word: str, rng: random.Random) -> str:
    n = len(word)
    kind = rng.choice(["swap", "drop", "double", "key"])
    if kind == "swap":
        i = rng.randrange(n - 1)
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "drop":
        i = rng.randrange(1, n)  # the first letter is rarely the one dropped
        return word[:i] + word[i + 1:]
    if kind == "double":
        i = rng.randrange(1, n)
        return word[:i] + word[i] + word[i:]
    i = rng.randrange(1, n)
    near = neighbours(word[i])
    return word[:i] + rng.choice(near) + word[i + 1:] if near else word


def dictionary() -> set[str]:
    words = set()
    with open(os.path.join(ROOT, "models/en-us/cmudict-en-us.dict"), encoding="utf-8") as f:
        for line in f:
            w = line.split(" ", 1)[0]
            words.add(re.sub(r"\(\d+\)$", "", w))
    return words


def cased(like: str, word: str) -> str:
    if like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def misspell(text: str, rng: random.Random, rate: float, known: set[str], made: list,
             seen: dict[str, int]):
    """`text` with some words misspelt; each slip appended to `made` as (word, typo, k): the
    k-th (from 0) occurrence of the word in the transcript, counted in `seen`."""
    def one(m: re.Match) -> str:
        w = m.group(0)
        low = w.lower()
        k = seen.get(low, 0)
        seen[low] = k + 1
        if len(low) < 4 or "'" in low or low not in known or rng.random() >= rate:
            return w
        for _ in range(10):
            t = slip(low, rng)
            if t != low and t not in known:
                made.append((low, t, k))
                return cased(w, t)
        return w
    # Words outside brackets only: `[laughter]` and `[?]` are notes, not speech.
    parts = re.split(r"(\[[^\]]*\])", text)
    return "".join(p if p.startswith("[") else re.sub(r"[A-Za-z]+(?:'[A-Za-z]+)*", one, p) for p in parts)


def key(w: str) -> str:
    return "".join(c for c in w.lower() if c.isalnum())


def make(src: str, out_root: str, rate: float, seed: int, known: set[str]) -> int:
    name = os.path.basename(src.rstrip("/"))
    truth = json.load(open(os.path.join(src, "truth.json")))
    lines = open(os.path.join(src, truth["transcript"]), encoding="utf-8").read().split("\n")
    label_lines = {t["line"] for t in truth["turns"]}
    rng = random.Random(f"{seed}:{name}")
    made: list[tuple[str, str, int]] = []
    seen: dict[str, int] = {}
    in_turn = False
    for i, line in enumerate(lines):
        if i + 1 in label_lines:
            in_turn = True
            continue
        stripped = line.strip()
        if not in_turn or not stripped or re.fullmatch(r"\[[0-9:.\s]+\]", stripped):
            continue
        lines[i] = misspell(line, rng, rate, known, made, seen)
    # The truth's words take the same slips: the k-th true word with the slipped word's text.
    words = [w for t in truth["turns"] for w in t.get("words", [])] + truth.get("words", [])
    for low, typo, k in made:
        same = [w for w in words if key(w["word"]) == low]
        if k < len(same):
            same[k]["word"] = cased(same[k]["word"], typo)
    d = os.path.join(out_root, name)
    os.makedirs(d, exist_ok=True)
    audio = os.path.relpath(os.path.join(src, truth["audio"]), d)
    truth.update(audio=audio, transcript="transcript.txt", variant=f"typos:{name}")
    truth["typos"] = {"rate": rate, "seed": seed, "slips": [f"{a} → {b}" for a, b, _ in made],
                      "made_by": "scripts/make_typos.py"}
    with open(os.path.join(d, "transcript.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    with open(os.path.join(d, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=1, ensure_ascii=False)
    return len(made)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rate", type=float, default=0.15)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(ROOT, "eval-out/typos"))
    a = ap.parse_args()
    known = dictionary()
    seen = set()
    for base in ("eval-out/real", "tests/fixtures/real"):
        for src in sorted(glob.glob(os.path.join(ROOT, base, "*/"))):
            name = os.path.basename(src.rstrip("/"))
            if name in seen or name.startswith(OTHER_LANGUAGES):
                continue
            if not os.path.exists(os.path.join(src, "truth.json")):
                continue
            seen.add(name)
            n = make(src, a.out, a.rate, a.seed, known)
            print(f"{name}: {n} typos")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
