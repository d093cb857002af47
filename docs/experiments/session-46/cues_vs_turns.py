#!/usr/bin/env python3
"""Session 46: how far a synced SRT's cue starts lie from a rendition's true turn starts,
cue k against turn k (for subtitles whose cues are that transcript's turns, e.g. espeak-ng's
113 cues synced to the Festival rendition in the hall).

    python3 docs/experiments/session-46/cues_vs_turns.py OUT.srt eval-out/festival/kerry-aleppo-2016.truth.json
"""
import json
import re
import sys

text = open(sys.argv[1], encoding="utf-8-sig").read()
got = [int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000
       for h, m, s, ms in re.findall(r"(\d+):(\d+):(\d+)[,.](\d+) -->", text)]
truth = [t["start"] for t in json.load(open(sys.argv[2], encoding="utf-8"))["turns"]]
errors = sorted(abs(a - b) for a, b in zip(got, truth))
n = len(errors)
print(f"{len(got)} cues, {len(truth)} turns: within 0.25 / 1 / 5 s "
      f"{sum(e <= 0.25 for e in errors)} / {sum(e <= 1 for e in errors)} / "
      f"{sum(e <= 5 for e in errors)} of {n}, median {errors[n // 2]:.2f} s")
