#!/usr/bin/env python3
"""Session 35: would the edge words' fit rank the turns off by more than 1 s lower than the
turn's confidence does? Per recording, the share of those turns in the lowest decile by
(conf) the turn's confidence as shipped, (edge) the lower of it and a logistic of the worse
of its first and last word's fit, (minword) it times its least confident word's confidence;
pooled over the set (no copies), the reverberant copies, and the typo copies.

    python3 docs/experiments/session-35/confidence_edges.py OUT

OUT is an `scripts/eval_set.py --compare --out OUT` directory.
"""
import sys, os, json, math
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "scripts"))
import eval_set as E
out = sys.argv[1]
def score_variants(t):
    ws = t.get("words") or []
    fits = [w.get("fit") for w in ws if w.get("fit") is not None]
    edge = min([f for f in (ws[0].get("fit") if ws else None, ws[-1].get("fit") if ws else None) if f is not None], default=None)
    return {"conf": t.get("confidence", 0),
            "edge": (t.get("confidence", 0) if edge is None else min(t.get("confidence", 0), 1 / (1 + math.exp(-(edge + 5))))),
            "minword": min([w.get("confidence", 1) for w in ws], default=t.get("confidence", 0)) * t.get("confidence", 0)}
res = {}
for r in E.recordings():
    if not E.has_turn_truth(r["t"]): continue
    f = os.path.join(out, f"default--{r['name'].replace(':', '_')}.json")
    if not os.path.exists(f): continue
    a = json.load(open(f)); by = {x["line"]: x for x in r["t"]["turns"]}
    items = []
    for t in a["turns"]:
        x = by.get(t["line"])
        if x is None or x.get("start") is None: continue
        off = max(E.error(t["start"], x["start"]), E.error(t["end"], x["end"])) > 1
        items.append((off, score_variants(t)))
    n = math.ceil(len(items) / 10)
    grp = "reverb" if r["family"] == "real-reverb" else ("copy" if "typos" in r["family"] else "set")
    for k in ("conf", "edge", "minword"):
        low = sorted(range(len(items)), key=lambda i: items[i][1][k])[:n]
        lo = sum(items[i][0] for i in low); off = sum(o for o, _ in items)
        a_, b_ = res.get((grp, k), (0, 0)); res[(grp, k)] = (a_ + lo, b_ + off)
for k, v in sorted(res.items()): print(k, f"{v[0]} of {v[1]}")
