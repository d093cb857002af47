#!/usr/bin/env python3
"""Word starts off by more than 50 ms on one recording, by direction, first phone, size and
whether the truth has a pause before them. From the repository root:

    python3 docs/experiments/session-16/word_errors.py RECORDING ALIGNED.json

RECORDING an `eval_set.py` name (e.g. festival-snr10-drift1), ALIGNED `talign align --words
--phones` of it.
"""
import json, sys, collections
sys.path.insert(0, "scripts")
import eval_set
name, path = sys.argv[1], sys.argv[2]
rec = [r for r in eval_set.recordings() if r["name"] == name][0]
a = json.load(open(path))
truth = eval_set.truth_words(rec["t"])
rows = []
for line, want in truth.items():
    turns = [t for t in a["turns"] if line is None or t["line"] == line]
    got = [w for t in turns for w in (t.get("words") or [])]
    prev_end = {}
    for t in turns:
        ws = t.get("words") or []
        for i, w in enumerate(ws):
            prev_end[id(w)] = ws[i-1]["end"] if i else None
    tprev = {}
    for i, w in enumerate(want):
        tprev[id(w)] = want[i-1]["end"] if i else None
    for w, tr in eval_set.pair(got, want):
        if w is None: continue
        ph = (w.get("phones") or [{}])[0].get("phone")
        gap_t = None if tprev[id(tr)] is None else tr["start"] - tprev[id(tr)]
        rows.append(dict(err=w["start"]-tr["start"], word=w["word"], ph=ph, gap_t=gap_t, line=line, pos=0 if tprev[id(tr)] is None else 1, dur=tr.get("end", tr["start"])-tr["start"], gotdur=w["end"]-w["start"], end_err=(w["end"]-tr["end"]) if tr.get("end") is not None else None))
n = len(rows)
bad = [r for r in rows if abs(r["err"]) > 0.05]
print(name, "words", n, "off>50ms", len(bad), "late", sum(r["err"]>0 for r in bad), "early", sum(r["err"]<0 for r in bad))
print(" first-in-turn among bad:", sum(r["pos"]==0 for r in bad))
print(" after truth pause>50ms:", sum((r["gap_t"] or 0)>0.05 for r in bad), "of all such", sum((r["gap_t"] or 0)>0.05 for r in rows))
c = collections.Counter(r["ph"] for r in bad); call = collections.Counter(r["ph"] for r in rows)
print(" by first phone (bad/all, %):", ", ".join(f"{p}:{c[p]}/{call[p]}={100*c[p]/call[p]:.0f}" for p,_ in c.most_common(18)))
import statistics
for lo, hi in [(0.05,0.1),(0.1,0.2),(0.2,0.5),(0.5,99)]:
    s = [r for r in bad if lo < abs(r["err"]) <= hi]
    print(f" |err| in ({lo},{hi}]: {len(s)} late {sum(r['err']>0 for r in s)}")
ee = [r for r in bad if r["end_err"] is not None]
print(" bad words whose end is also off >50ms:", sum(abs(r["end_err"])>0.05 for r in ee), "same sign", sum(abs(r["end_err"])>0.05 and (r["end_err"]>0)==(r["err"]>0) for r in ee))
# previous word end error for bad: is the boundary shared (previous word's end also moved)?
