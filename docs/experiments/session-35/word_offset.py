#!/usr/bin/env python3
"""Session 35: is there a global offset in talign's word starts? Per recording with word
truth, the median signed error of the word starts (talign - truth) and the share within
25 / 50 / 100 ms if every start were shifted later by 0, 5, 10, 12.5, 15 or 20 ms; then per
family (real, Festival, telephone-band) the same, pooled, as counts.

    python3 docs/experiments/session-35/word_offset.py OUT

OUT is an `scripts/eval_set.py --compare --out OUT` directory.
"""
import glob
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..", "..")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import eval_set as E  # noqa: E402

SHIFTS = [0, 0.005, 0.01, 0.0125, 0.015, 0.02]


def truth_path(name):
    if "_" in name:
        fam, rec = name.split("_", 1)
        return os.path.join(ROOT, "eval-out", fam, rec, "truth.json")
    found = glob.glob(os.path.join(ROOT, "eval-out", name, "*.truth.json"))
    return found[0] if found else ""


def errors(out_json, truth):
    words_truth = E.truth_words(truth)
    aligned = json.load(open(out_json))
    if None in words_truth:
        groups = [([w for x in aligned["turns"] for w in (x.get("words") or [])], words_truth[None])]
    else:
        groups = [([w for x in aligned["turns"] if x["line"] == line for w in (x.get("words") or [])], ws)
                  for line, ws in words_truth.items()]
    n, errs = 0, []
    for words, true_words in groups:
        for w, t in E.pair(words, true_words):
            n += 1
            if w is not None:
                errs.append(w["start"] - t["start"])
    return n, errs


def main():
    out = sys.argv[1]
    for family in ["real_*", "festival*", "phone_*"]:
        pooled = {s: [0, 0, 0] for s in SHIFTS}
        all_errs = []
        for f in sorted(glob.glob(os.path.join(out, f"default--{family}.json"))):
            name = os.path.basename(f)[len("default--"):-5]
            path = truth_path(name)
            if not os.path.exists(path):
                continue
            truth = json.load(open(path))
            if not E.truth_words(truth):
                continue
            n, errs = errors(f, truth)
            all_errs += errs
            line = f"{name:34} n {n:5} median {statistics.median(errs) * 1000:+6.1f} ms "
            for s in SHIFTS:
                within = [sum(round(abs(e + s), 6) <= tol for e in errs) for tol in (0.025, 0.05, 0.1)]
                for k in range(3):
                    pooled[s][k] += within[k]
                line += f"| +{s * 1000:.1f}: " + "/".join(f"{w * 100 / n:.1f}" for w in within) + " "
            print(line)
        print(f"== {family} median {statistics.median(all_errs) * 1000:+.1f} ms; within 25/50/100 ms: "
              + "  ".join(f"+{s * 1000:.1f}: {'/'.join(map(str, pooled[s]))}" for s in SHIFTS))


if __name__ == "__main__":
    main()
