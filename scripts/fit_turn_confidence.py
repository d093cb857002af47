#!/usr/bin/env python3
"""Fits the confidence of turns placed by the acoustic model: a logistic model of "start and
end both within 0.5 s of the truth" over the lattice's posterior, the turn's acoustic fit
(goodness of pronunciation) and how far the acoustic model moved it from the lattice's place.
Pooled over every recording given (all voice families at once; never one).

    python3 scripts/fit_heard_confidence.py TRUTH,ALIGNED,LATTICE [...]

ALIGNED is a default `talign align` JSON made with the lattice's posterior as `confidence`
(examples/tune_heard.rs with raw_confidence=1), LATTICE the `--no-reference` JSON of the same
recording. Prints the coefficients for src/align/heard.rs and the fit's log loss; untranscribed
turns (no fit) get their own intercept and posterior weight.
"""
import json
import math
import sys


def rows(spec):
    truth_p, aligned_p, lattice_p = spec.split(",")
    truth = {t["line"]: t for t in json.load(open(truth_p))["turns"] if t.get("start") is not None}
    lattice = {t["line"]: t for t in json.load(open(lattice_p))["turns"]}
    for t in json.load(open(aligned_p))["turns"]:
        tr, la = truth.get(t["line"]), lattice.get(t["line"])
        if tr is None or la is None:
            continue
        ok = abs(t["start"] - tr["start"]) <= 0.5 and abs(t["end"] - tr["end"]) <= 0.5
        moved = max(abs(t["start"] - la["start"]), abs(t["end"] - la["end"]))
        yield t.get("fit"), t["confidence"], math.log1p(moved), 1.0 if ok else 0.0


def solve(a, b):
    """Gaussian elimination: a x = b."""
    n = len(b)
    m = [row[:] + [bi] for row, bi in zip(a, b)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[piv] = m[piv], m[c]
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] for i in range(n)]


def fit(xs, ys, steps=30, ridge=1e-3):
    """Logistic regression by Newton's method (a little ridge for stability)."""
    k = len(xs[0])
    w = [0.0] * k
    sig = lambda x: 1 / (1 + math.exp(-max(-30.0, min(30.0, sum(a * b for a, b in zip(w, x))))))
    for _ in range(steps):
        g = [ridge * wi for wi in w]
        h = [[ridge if i == j else 0.0 for j in range(k)] for i in range(k)]
        for x, y in zip(xs, ys):
            p = sig(x)
            for i in range(k):
                g[i] += (p - y) * x[i]
                for j in range(k):
                    h[i][j] += p * (1 - p) * x[i] * x[j]
        step = solve(h, g)
        w = [wi - si for wi, si in zip(w, step)]
    loss = -sum(y * math.log(max(1e-9, sig(x))) + (1 - y) * math.log(max(1e-9, 1 - sig(x)))
                for x, y in zip(xs, ys)) / len(xs)
    return w, loss


def main():
    heard, other = [], []
    for spec in sys.argv[1:]:
        for f, post, moved, ok in rows(spec):
            (heard if f is not None else other).append(((1.0, post, f or 0.0, moved), ok))
    wh, lh = fit([x for x, _ in heard], [y for _, y in heard])
    wo, lo = fit([(x[0], x[1]) for x, _ in other], [y for _, y in other])
    print(f"heard turns: {len(heard)} ({sum(y for _, y in heard):.0f} within 0.5 s), log loss {lh:.3f}")
    print("  intercept {:.3f}, posterior {:.3f}, fit {:.3f}, ln(1+moved s) {:.3f}".format(*wh))
    print(f"other turns: {len(other)} ({sum(y for _, y in other):.0f} within 0.5 s), log loss {lo:.3f}")
    print("  intercept {:.3f}, posterior {:.3f}".format(*wo))


if __name__ == "__main__":
    main()
