#!/usr/bin/env python3
"""Signed word-start errors of one `eval_set.py` output, and the share of words more than
50 ms off by the word's first letter (session 25).

  python3 docs/experiments/session-25/late_starts_by_letter.py festival-snr10-drift1 /work/eval-s25b
"""
import collections
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "scripts"))
from eval_set import pair  # noqa: E402


def main():
    name, results = sys.argv[1], sys.argv[2]
    folder = os.path.join("eval-out", name)
    truth_file = next(f for f in os.listdir(folder) if f.endswith("truth.json"))
    truth = json.load(open(os.path.join(folder, truth_file)))
    aligned = json.load(open(os.path.join(results, f"default--{name}.json")))
    by_line = {t["line"]: t for t in truth["turns"]}
    rows = []
    for turn in aligned["turns"]:
        t = by_line.get(turn["line"])
        if not t or not t.get("words") or not turn.get("words"):
            continue
        for w, tr in pair(turn["words"], t["words"]):
            if w is not None:
                rows.append((w["start"] - tr["start"], tr["word"]))
    errors = [d for d, _ in rows]
    print(f"{name}: {len(rows)} words, median signed error {1000 * statistics.median(errors):+.0f} ms")
    for lo, hi in [(-9, -0.1), (-0.1, -0.05), (-0.05, 0), (0, 0.05), (0.05, 0.1), (0.1, 9)]:
        print(f"  {lo:+.3f} .. {hi:+.3f} s: {sum(lo <= d < hi for d in errors)}")
    off = collections.Counter(w[0].lower() for d, w in rows if abs(d) > 0.05)
    every = collections.Counter(w[0].lower() for _, w in rows)
    shares = sorted(((off[k] / every[k], k) for k in every if every[k] >= 40), reverse=True)
    print("  more than 50 ms off, by first letter (letters opening 40 words or more):")
    print("  " + ", ".join(f"{k} {100 * share:.0f} % of {every[k]}" for share, k in shares))


if __name__ == "__main__":
    main()
