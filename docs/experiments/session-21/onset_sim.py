"""Session 21: a word after a pause inside a turn moved back over the pause's frames that are
within Y dB of its own loudness (its maximum, `max`, or median, `med`, over its first 0.3 s);
word starts within 25 / 50 / 100 ms per recording. From the repository root:

    python3 docs/experiments/session-21/onset_sim.py DIR

DIR as for fit_word_confidence_features.py.
"""
import sys, math, json, os
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); sys.path.insert(0, 'scripts')
import eval_set, energy
D = sys.argv[1]
def recs():
    for r in eval_set.recordings():
        tw = eval_set.truth_words(r["t"])
        if not tw: continue
        f = os.path.join(D, "default--" + r["name"].replace(":", "_") + ".json")
        if os.path.exists(f): yield r, tw, json.load(open(f))
def evaluate(rule):
    res = {}
    for r, tw, a in recs():
        e = energy.frames(r["name"])
        words = []
        for t in a["turns"]:
            ws = t.get("words") or []
            for i, w in enumerate(ws):
                s = w["start"]
                if i > 0 and rule is not None:
                    s = rule(e, ws[i-1], w, ws)
                words.append((t["line"], dict(w, start=s)))
        if None in tw:
            groups = [([w for _, w in words], tw[None])]
        else:
            groups = [([w for l, w in words if l == line], ws) for line, ws in tw.items()]
        d = []
        for aw, ws in groups:
            for w, tr in eval_set.pair(aw, ws):
                d.append(None if w is None else abs(w["start"] - tr["start"]))
        res[r["name"]] = d
    return res
def pct(d, lim): return 100*sum(1 for x in d if x is not None and x <= lim)/len(d)
def make(Y, mode, mingap=0.05, keep=0.0):
    def rule(e, prev, w, ws):
        gap = w["start"] - prev["end"]
        if gap <= mingap: return w["start"]
        i = int(round(w["start"]*100)); j = int(round(w["end"]*100))
        lo = int(round((prev["end"] + keep)*100))
        seg = e[i:min(j, i+30)]
        if len(seg) == 0: return w["start"]
        ref = np.max(seg) if mode == "max" else np.median(seg)
        f = i
        while f - 1 >= lo and e[f-1] >= ref - Y: f -= 1
        return f/100 if f <= i - 2 else w["start"]
    return rule
base = evaluate(None)
names = list(base)
print("rule".ljust(18), " ".join(n.replace("festival","fest").replace("real:","")[:14].rjust(14) for n in names))
print("base".ljust(18), " ".join(f"{pct(base[n],.025):4.1f}/{pct(base[n],.05):4.1f}/{pct(base[n],.1):4.1f}"[:14].rjust(14) for n in names))
for mode in ("max", "med"):
    for Y in (3, 6, 10, 15):
        res = evaluate(make(Y, mode))
        print(f"{mode} Y={Y}".ljust(18), " ".join(f"{pct(res[n],.025):4.1f}/{pct(res[n],.05):4.1f}/{pct(res[n],.1):4.1f}"[:14].rjust(14) for n in names))
