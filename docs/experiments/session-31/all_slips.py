#!/usr/bin/env python3
"""Stress test of typing slips: the Kerry transcript with every dictionary word of 4+ letters
misspelt (scripts/make_typos.py's slips, rate 1.0, seed 7; the notes' own words `Translates`,
`Speaks` and the languages left alone), aligned with each binary on the espeak-ng sample and
Festival's rendition (both voiced from the clean text); prints the turn cells, the transcribed
turns not heard, and the user CPU seconds (docs/accuracy.md, session 31).

    python3 docs/experiments/session-31/all_slips.py BIN [BIN ...]
"""
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../..")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import eval_set as E  # noqa: E402
import make_typos as M  # noqa: E402

NOTE_WORDS = r"(\b(?:Translates|Speaks|English|Arabic|Syrian|French|Russian)\b)"


def misspelt_transcript(path):
    known, rng, made, seen = M.dictionary(), random.Random(7), [], {}
    out = []
    for line in open(os.path.join(ROOT, "sample-audio/kerry-aleppo-2016.txt"), encoding="utf-8").read().split("\n"):
        if len(line) > 40:  # paragraphs; labels and stamps are short
            parts = re.split(NOTE_WORDS, line)
            line = "".join(p if re.fullmatch(NOTE_WORDS, p) else M.misspell(p, rng, 1.0, known, made, seen)
                           for p in parts)
        out.append(line)
    open(path, "w", encoding="utf-8").write("\n".join(out))
    return len(made)


def main():
    tmp = tempfile.mkdtemp()
    text = os.path.join(tmp, "kerry-allslips.txt")
    print(f"{misspelt_transcript(text)} words misspelt")
    for name in ("main", "festival"):
        rec = next(r for r in E.recordings() if r["name"] == name)
        for b in sys.argv[1:]:
            out = os.path.join(tmp, "out.json")
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
            subprocess.run([b, "align", "-q", rec["audio"], text, "-o", out], check=True)
            cpu = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before
            a = json.load(open(out))
            unheard = sum(1 for t in a["turns"] if t.get("transcribed") and "fit" not in t)
            print(f"{name:9s} {os.path.basename(b):14s} turns {E.turn_cells(E.score(rec, a, False))} "
                  f"| {unheard} transcribed turns not heard | {cpu:.2f} s CPU")


if __name__ == "__main__":
    main()
