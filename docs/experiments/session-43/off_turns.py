"""List turns off by > 1 s with their confidence rank in their recording (eval_set's rule)."""
import json, math, os, sys
sys.path.insert(0, "/work/main/scripts")
import eval_set as E
out = sys.argv[1]
for rec in E.recordings():
    if not E.has_turn_truth(rec["t"]):
        continue
    p = os.path.join(out, f"default--{rec['name'].replace(':', '_')}.json")
    if not os.path.exists(p):
        continue
    a = json.load(open(p))
    by_line = {x["line"]: x for x in rec["t"]["turns"]}
    rows = []
    for t in a["turns"]:
        x = by_line.get(t["line"])
        if x is None or x.get("start") is None:
            continue
        rows.append((t.get("confidence", 0.0), t, x))
    n = math.ceil(len(rows) / 10)
    order = sorted(rows, key=lambda r: r[0])
    cut = order[n - 1][0] if rows else 0
    for c, t, x in rows:
        ds, de = t["start"] - x["start"], t["end"] - x["end"]
        if max(abs(ds), abs(de)) > 1.0:
            rank = sorted(r[0] for r in rows).index(c) + 1
            print(f"{rec['family']:12s} {rec['name']:40s} line {t['line']:4d} ds {ds:+6.2f} de {de:+6.2f} conf {c:.3f} rank {rank}/{len(rows)} decile<= {cut:.3f} {'IN' if rank <= n else 'out'} words={'words' in t and bool(t.get('words'))} text={str(t.get('text',''))[:40]!r}")
