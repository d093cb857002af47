"""Session 43: the words' confidence sharing a touching neighbour's doubt, simulated on an eval_set.py
run's default outputs (words off by more than 100 ms in their recording's lowest decile, per family;
`all` = the set without copies). MODE: none, prev, next or both; TOUCH_S: words closer than this meet.

    python3 docs/experiments/session-43/word_shared_doubt_sim.py OUT TOUCH_S MODE
"""
import json, os, sys, collections
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../scripts"))
import eval_set as E
out = sys.argv[1]; touch = float(sys.argv[2]); mode = sys.argv[3]
cnt = collections.defaultdict(lambda: [0, 0])
for rec in E.recordings():
    p = os.path.join(out, f"default--{rec['name'].replace(':', '_')}.json")
    if not os.path.exists(p) or not E.truth_words(rec["t"]): continue
    a = json.load(open(p))
    for t in a["turns"]:
        ws = t.get("words") or []
        old = [w.get("confidence") for w in ws]
        for k, w in enumerate(ws):
            if old[k] is None: continue
            cs = [old[k]]
            if mode in ("prev", "both") and k > 0 and old[k-1] is not None and w["start"] - ws[k-1]["end"] < touch:
                cs.append(old[k-1])
            if mode in ("next", "both") and k + 1 < len(ws) and old[k+1] is not None and ws[k+1]["start"] - w["end"] < touch:
                cs.append(old[k+1])
            w["confidence"] = min(cs)
    s = E.score(rec, a)
    low, off = E.conf_counts([s], "words")
    fam = rec["family"]
    cnt[fam][0] += low; cnt[fam][1] += off
    cnt["all" if not E.is_copy(fam) else "copies"][0] += low
    cnt["all" if not E.is_copy(fam) else "copies"][1] += off
print(touch, mode, dict(cnt))
