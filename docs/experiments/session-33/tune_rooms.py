#!/usr/bin/env python3
"""Turn starts and ends per room of tune_heard's outputs named `dry-<scene>`, `room-<scene>`
and `hall-<scene>` (docs/experiments/session-33/tune_sweep.sh).

    python3 docs/experiments/session-33/tune_rooms.py OUTDIR
"""
import glob
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../..")
for room in ("dry", "room", "hall"):
    n = s25 = s1 = e25 = off = 0
    for f in sorted(glob.glob(os.path.join(sys.argv[1], f"{room}-*.json"))):
        name = os.path.basename(f)[:-len(".json")]
        truth = (os.path.join(ROOT, "eval-out/real", name[len("dry-"):], "truth.json") if room == "dry"
                 else os.path.join(ROOT, "eval-out/reverb", name, "truth.json"))
        by_line = {t["line"]: t for t in json.load(open(truth))["turns"] if t.get("start") is not None}
        for t in json.load(open(f))["turns"]:
            true = by_line.get(t["line"])
            if true is None:
                continue
            ds, de = abs(t["start"] - true["start"]), abs(t["end"] - true["end"])
            n += 1
            s25 += ds <= 0.25
            s1 += ds <= 1
            e25 += de <= 0.25
            off += ds > 1 or de > 1
    if n:
        print(f"  {room:5} {n:4} turns: starts ≤0.25 / 1 s {100 * s25 / n:.1f} / {100 * s1 / n:.1f} %, "
              f"ends ≤0.25 s {100 * e25 / n:.1f} %, off > 1 s {off}")
