#!/usr/bin/env python3
"""Words late by more than 50 ms, by what precedes them: a pause in the output or not, a
pause in the truth or not; examples of late words joined to the previous one. From the
repository root:

    python3 docs/experiments/session-16/late_words.py RECORDING ALIGNED.json
"""
import json, sys, collections
sys.path.insert(0, "scripts")
import eval_set
name, path = sys.argv[1], sys.argv[2]
rec = [r for r in eval_set.recordings() if r["name"] == name][0]
a = json.load(open(path))
cnt = collections.Counter(); prevph = collections.Counter(); ex=[]
for line, want in eval_set.truth_words(rec["t"]).items():
    turns = [t for t in a["turns"] if t["line"] == line]
    ws = [w for t in turns for w in (t.get("words") or [])]
    prev = {id(w): (ws[i-1] if i else None) for i, w in enumerate(ws)}
    tprev = {id(w): (want[i-1] if i else None) for i, w in enumerate(want)}
    for w, tr in eval_set.pair(ws, want):
        if w is None: continue
        e = w["start"] - tr["start"]
        if e <= 0.05: continue
        p = prev[id(w)]; tp = tprev[id(tr)]
        if p is None: cnt["first"] += 1; continue
        gap = w["start"] - p["end"]; tgap = tr["start"] - tp["end"] if tp else None
        kind = ("pause" if gap > 0.005 else "joined") + "/" + ("tpause" if tgap and tgap > 0.02 else "tjoined")
        cnt[kind] += 1
        # previous word's end error
        pe = p["end"] - tp["end"] if tp else None
        if gap <= 0.005: cnt["joined: prev end late too"] += (pe is not None and pe > 0.03)
        lastph = (p.get("phones") or [{}])[-1].get("phone")
        if gap <= 0.005: prevph[lastph] += 1
        if len(ex) < 12 and gap <= 0.005: ex.append((line, p["word"], w["word"], round(e,3), [x["phone"] for x in w.get("phones",[])][:3], round(w["phones"][0]["end"]-w["phones"][0]["start"],3)))
print(cnt); print("prev last phone (joined):", prevph.most_common(12))
for x in ex: print(x)
