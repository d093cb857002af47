#!/usr/bin/env python3
"""Turns whose start or end differ between two `eval_set.py` output folders, with their
errors against the truth. From the repository root:

    python3 docs/experiments/session-16/turn_moves.py BEFORE_DIR AFTER_DIR
"""
import json, sys
sys.path.insert(0, "scripts")
import eval_set
a_dir, b_dir = sys.argv[1], sys.argv[2]
for rec in eval_set.recordings():
    fn = "default--" + rec["name"].replace(":", "_") + ".json"
    try:
        A = json.load(open(f"{a_dir}/{fn}")); B = json.load(open(f"{b_dir}/{fn}"))
    except FileNotFoundError:
        continue
    truth = {x["line"]: x for x in rec["t"]["turns"]}
    for ta, tb in zip(A["turns"], B["turns"]):
        if abs(ta["start"]-tb["start"]) > 0.001 or abs(ta["end"]-tb["end"]) > 0.001:
            x = truth.get(ta["line"], {})
            s = x.get("start"); e = x.get("end")
            f = lambda v, t: f"{v:.3f}" + (f"({v-t:+.3f})" if t is not None else "")
            print(rec["name"], ta["line"], "start", f(ta["start"], s), "->", f(tb["start"], s), " end", f(ta["end"], e), "->", f(tb["end"], e))
