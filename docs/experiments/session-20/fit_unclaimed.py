#!/usr/bin/env python3
"""Fits how much unclaimed speech beside a turn lowers its confidence (`LOG_ODDS_PER_S` in
crates/core/src/align/unclaimed.rs), on every evaluation recording with turn truth at once.

Input: the alignments and chunks of a build without the change (c8ffa60 with
docs/experiments/session-19/debug_edges.patch applied, `cargo build --release`):

    python3 docs/experiments/session-19/collect.py BIN DIR --words
    python3 docs/experiments/session-20/fit_unclaimed.py DIR

A turn's feature is the seconds of chunk speech in the larger of the gaps to its neighbours
(previous end to its start, its end to the next start); the new confidence is
logistic(logit(confidence) - k * seconds). k is chosen on a grid by log loss of "start and
end both within 0.5 s"; printed with the share of turns off by more than 1 s in their
recording's lowest-confidence decile: in sample, each recording left out of the fit, and
each voice family left out. `--shape ln` tries ln(1 + seconds) instead; `--with-ends` also
counts the speech before the first turn and after the last.
"""
import json
import math
import os
import sys

sys.path.insert(0, "scripts")
import eval_set  # noqa: E402


def logit(p):
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def speech_s(chunks, a, b):
    return sum(max(0.0, min(e, b) - max(s, a)) for s, e in chunks) if b > a else 0.0


def rows(d, with_ends=False):
    out = []
    for r in json.load(open(os.path.join(d, "index.json"))):
        n = r["name"]
        truth = {t["line"]: t for t in json.load(open(r["truth"]))["turns"] if t.get("start") is not None}
        chunks = [tuple(int(x) / 100 for x in l.split()[1].split("-"))
                  for l in open(os.path.join(d, n + ".err")) if l.startswith("CH ")]
        turns = json.load(open(os.path.join(d, n + ".json")))["turns"]
        gaps = [speech_s(chunks, a["end"], b["start"]) for a, b in zip(turns, turns[1:])]
        for k, t in enumerate(turns):
            tr = truth.get(t["line"])
            if tr is None:
                continue
            before = gaps[k - 1] if k > 0 else (speech_s(chunks, 0.0, t["start"]) if with_ends else 0.0)
            after = gaps[k] if k < len(gaps) else (speech_s(chunks, t["end"], 1e9) if with_ends else 0.0)
            u = max(before, after)
            err = max(abs(t["start"] - tr["start"]), abs(t["end"] - tr["end"]))
            out.append({"rec": n, "family": r["family"], "line": t["line"], "conf": t["confidence"],
                        "u": u, "err": err})
    return out


def main():
    d, args = sys.argv[1], sys.argv[2:]
    shape = args[args.index("--shape") + 1] if "--shape" in args else "lin"
    f = (lambda u: u) if shape == "lin" else math.log1p
    data = rows(d, with_ends="--with-ends" in args)
    recs = {}
    for z in data:
        recs.setdefault(z["rec"], []).append(z)

    def score(k, z):
        return logit(z["conf"]) - k * f(z["u"])

    def loss(k, items):
        total = 0.0
        for z in items:
            p = 1 / (1 + math.exp(-score(k, z)))
            total -= math.log(max(1e-9, p if z["err"] <= 0.5 else 1 - p))
        return total / len(items)

    def decile(k, groups):
        low = off = 0
        for items in groups:
            n = math.ceil(len(items) / 10)
            lowest = sorted(items, key=lambda z: score(k, z))[:n]
            low += sum(1 for z in lowest if z["err"] > 1)
            off += sum(1 for z in items if z["err"] > 1)
        return low, off

    grid = [x / 4 for x in range(61)]
    best = min(grid, key=lambda k: loss(k, data))
    print(f"{len(recs)} recordings, {len(data)} turns; shape {shape}")
    print(f"k = {best}: log loss {loss(0, data):.4f} -> {loss(best, data):.4f}")
    low, off = decile(0, recs.values())
    print(f"before: {low} of {off} turns off > 1 s in their recording's lowest decile")
    low, off = decile(best, recs.values())
    print(f"in sample: {low} of {off}")
    left = sum(decile(min(grid, key=lambda k: loss(k, [z for z in data if z["rec"] != n])), [its])[0]
               for n, its in recs.items())
    print(f"each recording left out of the fit: {left} of {off}")
    fams = sorted({z["family"] for z in data})
    left = 0
    for fam in fams:
        k = min(grid, key=lambda k: loss(k, [z for z in data if z["family"] != fam]))
        left += decile(k, [its for its in recs.values() if its[0]["family"] == fam])[0]
    print(f"each voice family left out of the fit: {left} of {off}")
    for n, its in recs.items():
        if any(z["err"] > 1 for z in its):
            ranked = sorted(its, key=lambda z: score(best, z))
            print(f"  {n}: decile {math.ceil(len(its) / 10)}, off turns' ranks",
                  [(z["line"], ranked.index(z) + 1) for z in its if z["err"] > 1])


if __name__ == "__main__":
    main()
