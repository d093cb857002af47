#!/usr/bin/env python3
"""Session 34: how long talign holds each phone, dry and in the two reverberant rooms: the
five Drascula scenes aligned with `--words --phones`, phones counted per class (vowels,
nasals/liquids/glides, other consonants) and by length, and the longest listed.

    python3 docs/experiments/session-34/long_phones.py BIN OUTDIR
"""
import glob
import json
import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../..")
VOWELS = set("AA AE AH AO AW AY EH ER EY IH IY OW OY UH UW".split())
SONORANTS = set("M N NG L R W Y".split())

bin_, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
for room in ("dry", "room", "hall"):
    dirs = sorted(glob.glob(os.path.join(ROOT, "eval-out/real/drascula-*") if room == "dry"
                            else os.path.join(ROOT, f"eval-out/reverb/{room}-drascula-*")))
    phones = {"vowel": [], "sonorant": [], "obstruent": []}
    for d in dirs:
        name = os.path.basename(d)
        f = os.path.join(out, f"{room}-{name}.json")
        subprocess.run([bin_, "align", "-q", "--words", "--phones", os.path.join(d, "audio.wav"),
                        os.path.join(d, "transcript.txt"), "-o", f], check=True)
        for t in json.load(open(f))["turns"]:
            for w in t.get("words") or []:
                for p in w.get("phones") or []:
                    kind = ("vowel" if p["phone"] in VOWELS else
                            "sonorant" if p["phone"] in SONORANTS else "obstruent")
                    phones[kind].append((round(p["end"] - p["start"], 2), p["phone"], w["word"],
                                         t["line"], name))
    for kind, held in phones.items():
        held.sort(reverse=True)
        longer = lambda s: sum(h[0] > s for h in held)
        print(f"{room:5} {kind:9} {len(held):5} phones: over 0.15 / 0.3 / 0.4 / 0.6 s "
              f"{longer(0.15)} / {longer(0.3)} / {longer(0.4)} / {longer(0.6)}; longest "
              + ", ".join(f"{p} of {w} {s:.2f} s ({n} line {l})" for s, p, w, l, n in held[:3]))
