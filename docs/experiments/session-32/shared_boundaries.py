#!/usr/bin/env python3
"""Check (session 32): of the reverberant copies' turns off by more than 1 s, how many share a
misplaced boundary with a neighbour (the turn's start and the previous turn's end, or its
end and the next turn's start, both more than 0.25 s off in the same direction).

    python3 docs/experiments/session-32/shared_boundaries.py OUT   # eval_set.py --out of the copies
"""
import glob
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../..")
off = shared = 0
for f in sorted(glob.glob(os.path.join(sys.argv[1], "default--reverb_*.json"))):
    name = os.path.basename(f)[len("default--reverb_"):-len(".json")]
    truth = json.load(open(os.path.join(ROOT, "eval-out/reverb", name, "truth.json")))
    by_line = {t["line"]: t for t in truth["turns"] if t.get("start") is not None}
    if len(by_line) < 2:
        continue
    err = {}
    for i, t in enumerate(json.load(open(f))["turns"]):
        if t["line"] in by_line:
            true = by_line[t["line"]]
            err[i] = (t["start"] - true["start"], t["end"] - true["end"])
    for i, (ds, de) in err.items():
        if abs(ds) <= 1 and abs(de) <= 1:
            continue
        off += 1
        before = abs(ds) > 0.25 and i - 1 in err and abs(err[i - 1][1]) > 0.25 and ds * err[i - 1][1] > 0
        after = abs(de) > 0.25 and i + 1 in err and abs(err[i + 1][0]) > 0.25 and de * err[i + 1][0] > 0
        shared += before or after
print(f"{off} turns off by more than 1 s, {shared} of them share a misplaced boundary with a neighbour")
