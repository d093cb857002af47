#!/usr/bin/env python3
"""Session 36: compare_turns.py A B [thr]: turns whose start or end error changed by > thr s between two eval_set out dirs (default mode)."""
import glob, json, os, sys
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "eval-out")
a, b = sys.argv[1], sys.argv[2]
thr = float(sys.argv[3]) if len(sys.argv) > 3 else 0.02
def truth_of(rec):
    if "_" in rec:
        fam, r = rec.split("_", 1); p = os.path.join(ROOT, fam, r, "truth.json")
    else:
        g = glob.glob(os.path.join(ROOT, rec, "*.truth.json")); p = g[0] if g else ""
    return p if os.path.exists(p) else None
for f in sorted(glob.glob(os.path.join(a, "default--*.json"))):
    name = os.path.basename(f)
    g = os.path.join(b, name)
    if not os.path.exists(g): continue
    rec = name[len("default--"):-5]
    tp = truth_of(rec)
    by = {}
    if tp:
        by = {t["line"]: t for t in json.load(open(tp))["turns"] if t.get("start") is not None}
    ta, tb = json.load(open(f))["turns"], json.load(open(g))["turns"]
    for x, y in zip(ta, tb):
        if abs(x["start"] - y["start"]) > thr or abs(x["end"] - y["end"]) > thr:
            tr = by.get(x["line"])
            if tr:
                print(f"{rec:38} L{x['line']:<4} start {x['start']-tr['start']:+6.2f} -> {y['start']-tr['start']:+6.2f}  end {x['end']-tr['end']:+6.2f} -> {y['end']-tr['end']:+6.2f}")
            else:
                print(f"{rec:38} L{x['line']:<4} start {x['start']:7.2f} -> {y['start']:7.2f}  end {x['end']:7.2f} -> {y['end']:7.2f} (no truth)")
