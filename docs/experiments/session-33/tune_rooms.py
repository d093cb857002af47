#!/usr/bin/env python3
"""Turn starts and ends per room of tune_heard's outputs named `dry-<scene>`, `room-<scene>`
and `hall-<scene>` (docs/experiments/session-33/tune_sweep.sh).

    python3 docs/experiments/session-33/tune_rooms.py OUTDIR
"""
import glob
import os
import sys

from rooms import ROOT, turn_errors

for room in ("dry", "room", "hall"):
    outputs = sorted(glob.glob(os.path.join(sys.argv[1], f"{room}-*.json")))
    truths = [os.path.join(ROOT, "eval-out/real", os.path.basename(f)[len("dry-"):-len(".json")], "truth.json")
              if room == "dry" else
              os.path.join(ROOT, "eval-out/reverb", os.path.basename(f)[:-len(".json")], "truth.json")
              for f in outputs]
    n, s25, s1, e25, _, off = turn_errors(zip(outputs, truths))
    if n:
        print(f"  {room:5} {n:4} turns: starts ≤0.25 / 1 s {100 * s25 / n:.1f} / {100 * s1 / n:.1f} %, "
              f"ends ≤0.25 s {100 * e25 / n:.1f} %, off > 1 s {off}")
