#!/usr/bin/env python3
"""Words late by more than 50 ms at 10 dB but right in the clean Festival rendition: how their
first phone, the previous word's last phone and the gap before them differ between the two
alignments. From the repository root, with `talign align --words --phones` outputs of both:

    python3 docs/experiments/session-16/noisy_vs_clean.py CLEAN.json NOISY.json
"""
import json, sys, collections, statistics
sys.path.insert(0, "scripts")
import eval_set
recs = {r["name"]: r for r in eval_set.recordings()}
def rows(name, path):
    rec = recs[name]; a = json.load(open(path)); out = {}
    for line, want in eval_set.truth_words(rec["t"]).items():
        turns = [t for t in a["turns"] if t["line"] == line]
        ws = [w for t in turns for w in (t.get("words") or [])]
        prev = {id(w): (ws[i-1] if i else None) for i, w in enumerate(ws)}
        for k, (w, tr) in enumerate(eval_set.pair(ws, want)):
            if w is not None:
                out[(line, k)] = (w, tr, prev[id(w)])
    return out
clean = rows("festival", sys.argv[1])
noisy = rows("festival-snr10-drift1", sys.argv[2])
d1 = collections.defaultdict(list)
n=0
for key, (w, tr, p) in noisy.items():
    if key not in clean: continue
    err = w["start"] - tr["start"]
    cw, ctr, cp = clean[key]
    # drift: noisy truth differs in time; compare durations
    if err > 0.05 and abs(cw["start"]-ctr["start"]) <= 0.05 and w.get("phones") and cw.get("phones"):
        n+=1
        f_n = w["phones"][0]; f_c = cw["phones"][0]
        d1["first_phone_dur noisy-clean"].append((f_n["end"]-f_n["start"]) - (f_c["end"]-f_c["start"]))
        if p and cp and p.get("phones") and cp.get("phones"):
            l_n = p["phones"][-1]; l_c = cp["phones"][-1]
            d1["prev_last_phone_dur noisy-clean"].append((l_n["end"]-l_n["start"]) - (l_c["end"]-l_c["start"]))
            d1["gap(prev end -> start) noisy"].append(w["start"]-p["end"])
            d1["gap clean"].append(cw["start"]-cp["end"])
        d1["word dur noisy-clean"].append((w["end"]-w["start"])-(cw["end"]-cw["start"]))
print("late in noise, right in clean:", n)
for k, v in d1.items():
    print(k, "median %.3f mean %.3f" % (statistics.median(v), statistics.mean(v)), "n", len(v))
