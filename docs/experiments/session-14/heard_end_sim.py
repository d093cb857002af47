#!/usr/bin/env python3
"""Per recording of an eval_set.py output directory: turn ends (and starts) within 0.25 s as
they are, and if heard turns ended at their last heard word (started at their first), with
the median and largest stretch of heard ends past their last word. Run from the root:

    python3 docs/experiments/session-14/heard_end_sim.py DIR
"""
import sys

from outputs import default_outputs

for rec, a, by in default_outputs(sys.argv[1]):
    n = e_now = e_alt = s_now = s_alt = 0
    ext = []
    for t in a["turns"]:
        x = by.get(t["line"])
        if x is None or x.get("start") is None:
            continue
        n += 1
        ws = [w for w in (t.get("words") or []) if w["end"] > w["start"]]
        heard = bool(ws) and t.get("fit") is not None
        end_alt = ws[-1]["end"] if heard else t["end"]
        start_alt = ws[0]["start"] if heard else t["start"]
        e_now += abs(t["end"] - x["end"]) <= 0.25
        e_alt += abs(end_alt - x["end"]) <= 0.25
        s_now += abs(t["start"] - x["start"]) <= 0.25
        s_alt += abs(start_alt - x["start"]) <= 0.25
        if heard:
            ext.append(t["end"] - ws[-1]["end"])
    ext.sort()
    med = ext[len(ext) // 2] if ext else 0
    print(f"{rec['name']:28} n {n:4} ends {100 * e_now / n:5.1f} -> {100 * e_alt / n:5.1f}  starts {100 * s_now / n:5.1f} -> {100 * s_alt / n:5.1f}  median end extension {med:.2f} max {max(ext) if ext else 0:.2f}")
