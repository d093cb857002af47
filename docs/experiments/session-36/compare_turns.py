#!/usr/bin/env python3
"""Session 36: the turns whose start or end moved by more than THR s (default 0.02) between two
`scripts/eval_set.py --out` directories (default mode), with their errors against the truth.

    python3 docs/experiments/session-36/compare_turns.py A B [THR]
"""
import glob
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "eval-out")


def truth_of(rec):
    """The truth file of an eval_set recording name (`family_name` or a top-level variant)."""
    if "_" in rec:
        fam, r = rec.split("_", 1)
        p = os.path.join(ROOT, fam, r, "truth.json")
    else:
        g = glob.glob(os.path.join(ROOT, rec, "*.truth.json"))
        p = g[0] if g else ""
    return p if os.path.exists(p) else None


def traced_runs(log, prefixes):
    """From a trace_wrap.sh log: per default-mode run of a recording with truth, its name, its
    true turns by line, its output's turns, and the split trace lines starting with one of
    `prefixes`."""
    runs = []
    for line in open(log):
        if line.startswith("RUN "):
            runs.append((line.split(" -o ")[1].split()[0], []))
        elif line.startswith(prefixes):
            runs[-1][1].append(line.split())
    for out, lines in runs:
        mode, rec = os.path.basename(out)[:-5].split("--", 1)
        tp = truth_of(rec)
        if mode != "default" or not tp:
            continue
        truth = {t["line"]: t for t in json.load(open(tp))["turns"] if t.get("start") is not None}
        yield rec, truth, json.load(open(out))["turns"], lines


def main(a, b, thr):
    for f in sorted(glob.glob(os.path.join(a, "default--*.json"))):
        name = os.path.basename(f)
        g = os.path.join(b, name)
        if not os.path.exists(g):
            continue
        rec = name[len("default--"):-5]
        tp = truth_of(rec)
        by = {t["line"]: t for t in json.load(open(tp))["turns"] if t.get("start") is not None} if tp else {}
        for x, y in zip(json.load(open(f))["turns"], json.load(open(g))["turns"]):
            if abs(x["start"] - y["start"]) <= thr and abs(x["end"] - y["end"]) <= thr:
                continue
            tr = by.get(x["line"])
            if tr:
                print(f"{rec:38} L{x['line']:<4} start {x['start'] - tr['start']:+6.2f} -> "
                      f"{y['start'] - tr['start']:+6.2f}  end {x['end'] - tr['end']:+6.2f} -> {y['end'] - tr['end']:+6.2f}")
            else:
                print(f"{rec:38} L{x['line']:<4} start {x['start']:7.2f} -> {y['start']:7.2f}  "
                      f"end {x['end']:7.2f} -> {y['end']:7.2f} (no truth)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 0.02)
