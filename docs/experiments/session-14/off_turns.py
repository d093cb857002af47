#!/usr/bin/env python3
"""Turns off by more than 1 s in an eval_set.py output directory (default mode), with their
confidence and whether it is in the recording's lowest-confidence decile. From the root:

    python3 docs/experiments/session-14/off_turns.py DIR
"""
import math
import sys

from outputs import default_outputs

for rec, a, by in default_outputs(sys.argv[1]):
    items = []
    for t in a["turns"]:
        x = by.get(t["line"])
        if x is None or x.get("start") is None:
            continue
        items.append((t["confidence"], t["line"], t["start"] - x["start"], t["end"] - x["end"]))
    n = math.ceil(len(items) / 10)
    thr = sorted(c for c, *_ in items)[n - 1]
    for c, l, ds, de in items:
        if max(abs(ds), abs(de)) > 1:
            print(f"{rec['name']:28} line {l:4} ds {ds:+6.2f} de {de:+6.2f} conf {c:.3f} decile_thr {thr:.3f} {'IN' if c <= thr else 'OUT'}")
