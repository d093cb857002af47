#!/usr/bin/env python3
"""Edge words parted from the rest of their turn by more than 0.3 s, in an eval_set.py output
directory: family, recording, line, first/last, word, length s, pause s, fit, the turn edge's
error against the truth (s). Run from the repository root:

    python3 docs/experiments/session-14/edge_words.py DIR
"""
import sys, json, os
sys.path.insert(0, "scripts")
import eval_set as E
d = sys.argv[1]
rows=[]
for rec in E.recordings():
    f = os.path.join(d, "default--" + rec["name"].replace(":", "_") + ".json")
    if not os.path.exists(f): continue
    a = json.load(open(f))
    by = {x["line"]: x for x in rec["t"]["turns"]}
    for t in a["turns"]:
        ws=[w for w in (t.get("words") or [])]
        if len(ws)<2: continue
        x=by.get(t["line"])
        for side in ("first","last"):
            if side=="first": w,o=ws[0],ws[1]; pause=o["start"]-w["end"]
            else: w,o=ws[-1],ws[-2]; pause=w["start"]-o["end"]
            if pause>0.3:
                err=None
                if x and x.get("start") is not None:
                    err = t["start"]-x["start"] if side=="first" else t["end"]-x["end"]
                rows.append((rec["family"],rec["name"],t["line"],side,w["word"],round(w["end"]-w["start"],2),round(pause,2),w.get("fit"),None if err is None else round(err,2)))
for r in sorted(rows,key=lambda r:r[6]): print(*r)
