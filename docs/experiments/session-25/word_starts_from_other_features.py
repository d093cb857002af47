#!/usr/bin/env python3
"""Word starts taken from a second alignment made on other features (session 25).

Each word keeps the default alignment's start, unless the other alignment starts the same
word within X seconds of it: then the other's start (or the earlier of the two) is taken.
It estimates, offline, what a second pass deciding the boundaries on other features (plain
cepstra, or stronger noise subtraction) inside a band around the first path would give.

Outputs: BASE.json and OTHER.json from `talign align --words --phones` of the experiment
build (`experiment-switches.patch`; OTHER made with `TALIGN_EXP_PLAIN=1` or
`TALIGN_EXP_SS=over,keep`), for each recording with word truth:

  python3 docs/experiments/session-25/word_starts_from_other_features.py \
      eval-out/festival-snr10-drift1 BASE.json OTHER.json
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "scripts"))
from eval_set import pair  # noqa: E402


def starts(folder, aligned):
    truth_file = next(f for f in os.listdir(folder) if f.endswith("truth.json"))
    truth = json.load(open(os.path.join(folder, truth_file)))
    by_line = {t["line"]: t for t in truth["turns"]}
    out = {}
    for turn in json.load(open(aligned))["turns"]:
        t = by_line.get(turn["line"])
        if not t or not t.get("words"):
            continue
        for i, (w, tr) in enumerate(pair(turn.get("words") or [], t["words"])):
            out[(turn["line"], i)] = (None if w is None else w["start"], tr["start"])
    return out


def shares(base, other, choose):
    ok = [0, 0, 0]
    for key, (b, truth) in base.items():
        o = other.get(key, (None, None))[0]
        s = choose(b, o)
        if s is not None:
            for j, limit in enumerate((0.025, 0.05, 0.1)):
                ok[j] += abs(s - truth) <= limit
    return " / ".join(f"{100 * k / len(base):.1f}" for k in ok)


def main():
    folder, base_json, other_json = sys.argv[1:4]
    base, other = starts(folder, base_json), starts(folder, other_json)
    print(f"{folder}: {len(base)} words; within 25 / 50 / 100 ms")
    print(f"  default alone: {shares(base, other, lambda b, o: b)}")
    print(f"  other alone:   {shares(base, other, lambda b, o: o)}")
    for x in (0.03, 0.05, 0.08, 0.16):
        near = lambda b, o: b is not None and o is not None and abs(b - o) <= x  # noqa: E731
        print(f"  other's within {x * 1000:.0f} ms: {shares(base, other, lambda b, o: o if near(b, o) else b)}"
              f" | the earlier: {shares(base, other, lambda b, o: min(b, o) if near(b, o) else b)}")


if __name__ == "__main__":
    main()
