#!/usr/bin/env python3
"""Offline: every heard turn's first / last words parted from the rest by a pause over 0.5 s (at
most 3 words, at most half the turn): the pause, their fit, and whether the truth says they
belong elsewhere.

    python3 docs/experiments/session-19/groups.py DIR   # DIR from collect.py --words
"""
import json
import sys
D=sys.argv[1]  # collect.py OUT --words
idx=json.load(open(f"{D}/index.json"))
rows=[]
for r in idx:
    out=json.load(open(f"{D}/{r['name']}.json"))["turns"]
    truth={t["line"]:t for t in json.load(open(r["truth"]))["turns"] if t.get("start") is not None}
    for t in out:
        ws=[w for w in (t.get("words") or []) if w.get("start") is not None and w["end"]>w["start"]]
        if len(ws)<2: continue
        tr=truth.get(t["line"])
        if not tr: continue
        for head in (True,False):
            n=len(ws)
            rng=range(1,n) if head else range(n-1,0,-1)
            split=next((b for b in rng if ws[b]["start"]-ws[b-1]["end"]>0.5),None)
            if split is None: continue
            g=ws[:split] if head else ws[split:]
            if len(g)>3 or 2*len(g)>n: continue
            pause=ws[split]["start"]-ws[split-1]["end"]
            fr=sum(w["end"]-w["start"] for w in g)
            fit=sum((w.get("fit") or -10)*(w["end"]-w["start"]) for w in g)/fr
            if head:
                wrong = tr["start"] > g[-1]["end"]-0.05
                err_now=t["start"]-tr["start"]; err_new=ws[split]["start"]-tr["start"]
            else:
                wrong = tr["end"] < g[0]["start"]+0.05
                err_now=t["end"]-tr["end"]; err_new=ws[split-1]["end"]-tr["end"]
            rows.append((r["family"],r["name"],t["line"],"head" if head else "tail",len(g),round(pause,2),round(fit,2),wrong,round(err_now,2),round(err_new,2)))
rows.sort(key=lambda x:x[5])
for x in rows: print(*x)
