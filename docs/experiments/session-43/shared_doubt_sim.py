#!/usr/bin/env python3
"""Simulates, on an evaluation run's outputs, a turn confidence that shares a touching
neighbour's doubt (docs/accuracy.md, session 43), and prints what it does to the confidence
figures: turns off by more than 1 s in their recording's lowest-confidence decile and words
off by more than 100 ms in theirs (per family, eval_set.py's rules, copies included), and the
log loss of the turns' confidence as the probability that start and end are both within 0.5 s.

    python3 docs/experiments/session-43/shared_doubt_sim.py OUT TOUCH_S MODE

OUT: `python3 scripts/eval_set.py --bin BIN --out OUT`'s directory (the default outputs).
TOUCH_S: turns closer than this meet. MODE: `none` (as shipped before), `min` (a turn no surer
than a neighbour it touches; what was built) or `geo` (the geometric mean of the two).
Words are capped by their turn's new confidence, as talign caps them.
"""
import collections
import json
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../scripts"))
import eval_set as E  # noqa: E402


def shared(spans, touch, mode, sides=(-1, 1)):
    """Each span's confidence after sharing the doubt of the neighbours it touches (`sides`:
    the one before, after, or both); spans are turns or a turn's words, and a span without
    a confidence (a word not timed by the model) neither takes nor gives any."""
    out = []
    for k, t in enumerate(spans):
        c = t.get("confidence", 0.0)
        if c is None:
            out.append(None)
            continue
        cs = [c]
        for j in (k + side for side in sides):
            if not 0 <= j < len(spans) or spans[j].get("confidence", 0.0) is None:
                continue
            u = spans[j]
            gap = (t["start"] - u["end"]) if j < k else (u["start"] - t["end"])
            if gap < touch:
                uc = u.get("confidence", 0.0)
                if mode == "min":
                    cs.append(uc)
                elif mode == "geo":
                    cs.append(math.sqrt(uc * c))
        out.append(min(cs))
    return out


def main():
    out, touch, mode = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    counts = collections.defaultdict(lambda: [0, 0])
    loss = collections.defaultdict(lambda: [0.0, 0.0, 0])
    for rec in E.recordings():
        p = os.path.join(out, f"default--{rec['name'].replace(':', '_')}.json")
        if not os.path.exists(p):
            continue
        a = json.load(open(p))
        turns = a["turns"]
        before = [t.get("confidence", 0.0) for t in turns]
        after = shared(turns, touch, mode)
        by_line = {x["line"]: x for x in rec["t"]["turns"]}
        for t, b, c in zip(turns, before, after):
            x = by_line.get(t["line"])
            if x is not None and x.get("start") is not None:
                y = abs(t["start"] - x["start"]) <= 0.5 and abs(t["end"] - x["end"]) <= 0.5
                ll = lambda q: -math.log(max(1e-6, q if y else 1 - q))  # noqa: E731
                d = loss[rec["family"]]
                d[0] += ll(b)
                d[1] += ll(c)
                d[2] += 1
            t["confidence"] = c
            for w in t.get("words") or []:
                if w.get("confidence") is not None:
                    w["confidence"] = min(w["confidence"], c)
        s = E.score(rec, a)
        for kind in ("turns", "words"):
            low, off = E.conf_counts([s], kind)
            counts[(rec["family"], kind)][0] += low
            counts[(rec["family"], kind)][1] += off
    total = collections.defaultdict(lambda: [0, 0])
    print(f"touch {touch} s, mode {mode}")
    for (family, kind), (low, off) in sorted(counts.items()):
        if off:
            print(f"  {family:18s} {kind:5s} off in the lowest decile: {low} of {off}")
        total[kind][0] += low
        total[kind][1] += off
    for kind, (low, off) in total.items():
        print(f"  all (copies included) {kind}: {low} of {off}")
    sums = [0.0, 0.0, 0]
    for family, (b, c, n) in sorted(loss.items()):
        print(f"  log loss {family:18s} {n:4d} turns: {b / n:.4f} -> {c / n:.4f}")
        sums = [sums[0] + b, sums[1] + c, sums[2] + n]
    print(f"  log loss, all {sums[2]} turns: {sums[0] / sums[2]:.4f} -> {sums[1] / sums[2]:.4f}")


if __name__ == "__main__":
    main()
