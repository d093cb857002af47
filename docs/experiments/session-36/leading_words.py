#!/usr/bin/env python3
"""Session 36, offline: turns whose first K words or fewer start within ABUT s (default 0.05) of
the previous turn's end and are followed by a pause of at least G s inside the turn; each such
turn's start error as placed against at the word after that pause (default mode; turns with
truth). With a fifth argument, each turn is listed.

    python3 docs/experiments/session-36/leading_words.py OUT G K [ABUT] [v]
"""
import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_turns import truth_of  # noqa: E402

out, gap, most = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
abut = float(sys.argv[4]) if len(sys.argv) > 4 else 0.05
verbose = len(sys.argv) > 5
count = dict(n=0, before_025=0, after_025=0, before_1=0, after_1=0)
for f in sorted(glob.glob(os.path.join(out, "default--*.json"))):
    rec = os.path.basename(f)[len("default--"):-5]
    tp = truth_of(rec)
    if not tp:
        continue
    truth = {t["line"]: t for t in json.load(open(tp))["turns"] if t.get("start") is not None}
    turns = json.load(open(f))["turns"]
    for k, t in enumerate(turns):
        words = t.get("words") or []
        if len(words) < 2 or k == 0 or t["start"] - turns[k - 1]["end"] > abut:
            continue
        lead = next((j + 1 for j in range(min(most, len(words) - 1))
                     if words[j + 1]["start"] - words[j]["end"] >= gap), None)
        tr = truth.get(t["line"])
        if lead is None or not tr:
            continue
        before, after = t["start"] - tr["start"], words[lead]["start"] - tr["start"]
        count["n"] += 1
        count["before_025"] += abs(before) <= 0.25
        count["after_025"] += abs(after) <= 0.25
        count["before_1"] += abs(before) <= 1
        count["after_1"] += abs(after) <= 1
        if verbose:
            print(f"{rec:40} L{t['line']:<4} lead {lead} words, pause "
                  f"{words[lead]['start'] - words[lead - 1]['end']:.2f} s, start error {before:+.2f} -> {after:+.2f}  "
                  f"{' '.join(w['word'] for w in words[:lead])!r}")
print(f"pause >= {gap} s, at most {most} words, abutting within {abut} s: {count}")
