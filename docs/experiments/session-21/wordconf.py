"""Session 21: every aligned word paired with its true word, with the features tried for the
words' confidence (its fit, length, turn's confidence, first phone, the pause before it).
Run from the repository root, on a folder of `--words --phones` outputs named as eval_set.py
names them (DIR/default--<recording>.json):

    python3 docs/experiments/session-21/wordconf.py DIR

prints per recording the words off by more than 100 ms and how many sit in the lowest decile.
"""
import json, math, os, sys
sys.path.insert(0, "scripts")
import eval_set

def rows(D, prefix="default--"):
    out = []
    for r in eval_set.recordings():
        tw = eval_set.truth_words(r["t"])
        if not tw:
            continue
        f = os.path.join(D, prefix + r["name"].replace(":", "_") + ".json")
        if not os.path.exists(f):
            continue
        a = json.load(open(f))
        turns = a["turns"]
        if None in tw:
            groups = [([(w, t, i) for t in turns for i, w in enumerate(t.get("words") or [])], tw[None])]
        else:
            groups = [([(w, t, i) for t in turns if t["line"] == line for i, w in enumerate(t.get("words") or [])], ws)
                      for line, ws in tw.items()]
        for aw, ws in groups:
            meta = {id(w): (t, i) for w, t, i in aw}
            for w, tr in eval_set.pair([w for w, _, _ in aw], ws):
                if w is None:
                    out.append({"rec": r["name"], "fam": r["family"], "d": None, "conf": 0.0})
                    continue
                t, i = meta[id(w)]
                tws = t["words"]
                prev = tws[i - 1] if i > 0 else None
                nxt = tws[i + 1] if i + 1 < len(tws) else None
                out.append({"rec": r["name"], "fam": r["family"], "d": abs(w["start"] - tr["start"]),
                            "sd": w["start"] - tr["start"],
                            "conf": w.get("confidence", 0.0), "fit": w.get("fit"), "len": w["end"] - w["start"],
                            "tconf": t["confidence"], "first": i == 0, "last": i + 1 == len(tws),
                            "gap_before": (w["start"] - prev["end"]) if prev else None,
                            "prev_fit": prev.get("fit") if prev else None,
                            "word": w["word"], "phones": w.get("phones"), "start": w["start"]})
    return out

if __name__ == "__main__":
    R = rows(sys.argv[1])
    recs = {}
    for z in R:
        recs.setdefault(z["rec"], []).append(z)
    tl = to = 0
    for n, its in recs.items():
        k = math.ceil(len(its) / 10)
        low = set(map(id, sorted(its, key=lambda z: z["conf"])[:k]))
        bad = [z for z in its if z["d"] is None or z["d"] > 0.1]
        inl = sum(id(z) in low for z in bad)
        tl += inl; to += len(bad)
        late = sum(1 for z in bad if z["d"] is not None and z["sd"] > 0)
        print(f"{n:35s} words {len(its):5d} bad {len(bad):4d} (late {late}, missed {sum(z['d'] is None for z in bad)}) in decile {inl}  decile size {k}")
    print("total", tl, "of", to)
