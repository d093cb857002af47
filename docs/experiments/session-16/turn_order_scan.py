#!/usr/bin/env python3
"""Every `talign align` JSON output in the given folders: turns that end before they start, and
turns that start before the previous one. From the repository root:

    python3 docs/experiments/session-16/turn_order_scan.py DIR [DIR ...]
"""
import glob
import json
import sys

for d in sys.argv[1:]:
    bad = 0
    for f in sorted(glob.glob(d + "/*.json")):
        try:
            a = json.load(open(f))
        except (OSError, ValueError):
            continue
        if "turns" not in a:
            continue
        turns = a["turns"]
        inverted = [t["line"] for t in turns if t["end"] < t["start"]]
        order = [turns[i]["line"] for i in range(1, len(turns)) if turns[i]["start"] < turns[i - 1]["start"]]
        if inverted or order:
            print(d, f.split("/")[-1], "inverted", inverted, "out of order", order)
            bad += 1
    print(d, "files with inverted or out-of-order turns:", bad)
