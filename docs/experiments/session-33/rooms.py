#!/usr/bin/env python3
"""Turn starts and ends per room (session 33): the wideband real recordings with turn truth,
dry and in the two reverberant rooms of scripts/make_reverb.py, pooled per room, from the
outputs of `scripts/eval_set.py --out OUT` (default mode, and `--no-reference` when run with
`--compare`).

    python3 docs/experiments/session-33/rooms.py OUT
"""
import glob
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../..")


def turn_errors(pairs):
    """Pooled over (output JSON, truth JSON) pairs: turns, starts within 0.25 s and 1 s, ends
    within 0.25 s and 1 s, turns off by more than 1 s at either edge."""
    n = s25 = s1 = e25 = e1 = off = 0
    for output, truth in pairs:
        by_line = {t["line"]: t for t in json.load(open(truth))["turns"] if t.get("start") is not None}
        if len(by_line) < 2:
            continue
        for t in json.load(open(output))["turns"]:
            true = by_line.get(t["line"])
            if true is None:
                continue
            ds, de = abs(t["start"] - true["start"]), abs(t["end"] - true["end"])
            n += 1
            s25 += ds <= 0.25
            s1 += ds <= 1
            e25 += de <= 0.25
            e1 += de <= 1
            off += ds > 1 or de > 1
    return n, s25, s1, e25, e1, off


def pairs(out, mode, room):
    """The outputs of `mode` in `room` (dry: only the recordings with reverberant copies)."""
    prefix = f"{mode}--real_" if room == "dry" else f"{mode}--reverb_{room}-"
    for f in sorted(glob.glob(os.path.join(out, prefix + "*.json"))):
        name = os.path.basename(f)[len(prefix):-len(".json")]
        if room == "dry":
            if os.path.isdir(os.path.join(ROOT, "eval-out/reverb", f"hall-{name}")):
                yield f, os.path.join(ROOT, "eval-out/real", name, "truth.json")
        else:
            yield f, os.path.join(ROOT, "eval-out/reverb", f"{room}-{name}", "truth.json")


if __name__ == "__main__":
    for mode in ("default", "__no_reference"):
        for room in ("dry", "room", "hall"):
            n, s25, s1, e25, e1, off = turn_errors(pairs(sys.argv[1], mode, room))
            if n:
                pct = lambda k: f"{100 * k / n:.1f}"
                print(f"{mode:15} {room:5} turns {n:4}  starts ≤0.25/1 s {pct(s25)} / {pct(s1)} %"
                      f"  ends {pct(e25)} / {pct(e1)} %  off > 1 s: {off}")
