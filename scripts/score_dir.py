#!/usr/bin/env python3
"""Scores a folder of alignments named after the evaluation set's recordings (as
examples/tune_heard.rs and scripts/tune_heard.sh write them: `<name>.json`, e.g.
`festival.json`, `real:pyannote-sample.json`) with eval_set.py's rules: turn starts/ends
within 0.25 s / 1 s and word starts within 25/50/100 ms, per recording and pooled per family,
and the confidence's lowest-decile shares as eval_set.py prints them.

    python3 scripts/score_dir.py DIR [DIR ...]      # several: side by side, one row each
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval_set  # noqa: E402


def main():
    dirs = sys.argv[1:]
    recs = eval_set.recordings()
    print("| recording | dir | " + "turns | s≤0.25 | s≤1 | e≤0.25 | e≤1 | words | missed | ≤25 ms | ≤50 ms | ≤100 ms |")
    print("|---|---|" + "---|" * 10)
    pooled = {}
    for r in recs:
        for d in dirs:
            path = os.path.join(d, r["name"] + ".json")
            if not os.path.exists(path):
                continue
            s = eval_set.score(r, json.load(open(path)), bool(eval_set.truth_words(r["t"])))
            if not eval_set.has_turn_truth(r["t"]):
                s["turns"] = []
            pooled.setdefault((r["family"], d), []).append(s)
            print(f"| {r['name']} | {d} | {eval_set.turn_cells(s)} | {eval_set.word_cells(s)} |")
    for (fam, d), ss in pooled.items():
        p = eval_set.pooled(ss)
        print(f"| **{fam} pooled ({len(ss)})** | {d} | {eval_set.turn_cells(p)} | {eval_set.word_cells(p)} |")
    print("\n| family | dir | turns off > 1 s in the lowest-confidence decile | words off > 100 ms (or missed) there |")
    print("|---|---|---|---|")
    for d in dirs:
        for fam in sorted({f for f, dd in pooled if dd == d}) + ["all"]:
            ss = [s for (f, dd), v in pooled.items() if dd == d and fam in (f, "all") for s in v]
            cells = []
            for kind in ("turns", "words"):
                low, off = eval_set.conf_counts(ss, kind)
                cells.append(f"{low} of {off} ({100 * low / off:.0f} %)" if off else "none off")
            print(f"| {fam} | {d} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
