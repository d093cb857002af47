"""Turns off by more than 1 s in an eval_set.py output dir (default mode): their errors,
confidence and rank in their recording. Usage: python3 off_turns.py DIR (run from the repo root)."""
import json, math, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "scripts"))
import eval_set as es
d = sys.argv[1]
for rec in es.recordings():
    if not es.has_turn_truth(rec["t"]):
        continue
    f = os.path.join(d, "default--" + rec["name"].replace(":", "_").replace("/", "_") + ".json")
    if not os.path.exists(f):
        continue
    o = json.load(open(f))
    by_line = {x["line"]: x for x in rec["t"]["turns"]}
    rows = []
    for a in o["turns"]:
        x = by_line.get(a["line"])
        if x is None or x.get("start") is None:
            continue
        rows.append((a.get("confidence", 0.0), a, x))
    n = math.ceil(len(rows) / 10)
    order = sorted(rows, key=lambda r: r[0])
    thr = order[n - 1][0]
    for c, a, x in rows:
        ds, de = a["start"] - x["start"], a["end"] - x["end"]
        if max(abs(ds), abs(de)) > 1:
            rank = sorted(r[0] for r in rows).index(c) + 1
            keys = {k: v for k, v in a.items() if k not in ("words", "text", "phones")}
            print(f"{rec['name']} line {a['line']} ds {ds:+.2f} de {de:+.2f} conf {c:.3f} rank {rank}/{len(rows)} (decile {n}, thr {thr:.3f})")
            print("   ", json.dumps(keys)[:400])
