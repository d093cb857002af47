#!/usr/bin/env python3
"""Session 27: where the late word starts in noise come from, and whether the length of
the pause before a word tells a pause the aligner inserted from a real one.

Reads the `--words --phones` outputs that first_phone_duration_sim.py wrote into DIR (one
JSON per recording with word truth). For Festival's clean, 20 dB and 10 dB renditions it
counts words more than 50 ms off by what precedes them (turn's first word, a pause the
aligner left, or the previous word directly), the deciles of the aligned pause before the
late ones and of the truth's pause there; then, on every recording, moves a word after an
aligned pause of at most T seconds back by the fraction f of that pause and prints word
starts within 50 ms.

    python3 docs/experiments/session-27/pauses_before_late_words.py DIR
"""
import collections
import json
import os
import statistics
import sys

sys.path.insert(0, "scripts")
import eval_set  # noqa: E402


def words_with_context(a, truth):
    """(aligned word or None, truth word, previous aligned word's end or None, first of turn)"""
    for line, want in truth.items():
        turns = [t for t in a["turns"] if line is None or t["line"] == line]
        before, first = {}, {}
        for t in turns:
            ws = t.get("words") or []
            for i, w in enumerate(ws):
                before[id(w)] = ws[i - 1]["end"] if i > 0 else None
                first[id(w)] = i == 0
        got = [w for t in turns for w in (t.get("words") or [])]
        prev_truth = None
        for w, tr in eval_set.pair(got, want):
            yield w, tr, (before[id(w)] if w else None), (first[id(w)] if w else False), prev_truth
            prev_truth = tr


def deciles(v):
    return [round(x, 3) for x in statistics.quantiles(v, n=10)] if len(v) > 10 else sorted(v)


def main():
    out_dir = sys.argv[1]
    recs = [r for r in eval_set.recordings() if eval_set.truth_words(r["t"])]
    aligned = {r["name"]: json.load(open(os.path.join(out_dir, r["name"].replace(":", "_") + ".json")))
               for r in recs}
    for rec in recs:
        if rec["name"] not in ("festival", "festival-snr20-drift03", "festival-snr10-drift1"):
            continue
        counts, off, late_gaps, truth_gaps = collections.Counter(), collections.Counter(), [], []
        for w, tr, prev, first, prev_truth in words_with_context(aligned[rec["name"]], eval_set.truth_words(rec["t"])):
            if w is None:
                continue
            kind = "turn's first" if first else ("after a pause" if w["start"] - prev > 1e-9 else "joined")
            counts[kind] += 1
            error = w["start"] - tr["start"]
            if abs(error) > 0.05:
                off[(kind, "late" if error > 0 else "early")] += 1
                if kind == "after a pause" and error > 0:
                    late_gaps.append(w["start"] - prev)
                    if prev_truth:
                        truth_gaps.append(tr["start"] - prev_truth["end"])
        print(f"{rec['name']}: words {dict(counts)}; more than 50 ms off {dict(off)}")
        print(f"  late after a pause: the aligned pause's deciles {deciles(late_gaps)} s")
        print(f"  the truth's pause there, deciles {deciles(truth_gaps)} s")
    for limit, fraction in [(0, 0), (0.08, 1), (0.12, 1), (0.16, 1), (0.16, 0.5), (0.16, 0.33), (0.25, 0.5)]:
        row = []
        for rec in recs:
            errors, moved = [], 0
            for w, tr, prev, _, _ in words_with_context(aligned[rec["name"]], eval_set.truth_words(rec["t"])):
                if w is None:
                    errors.append(None)
                    continue
                start = w["start"]
                if prev is not None and 1e-9 < start - prev <= limit + 1e-9:
                    start -= (start - prev) * fraction
                    moved += 1
                errors.append(abs(start - tr["start"]))
            share = 100 * sum(1 for e in errors if e is not None and e <= 0.05) / len(errors)
            row.append(f"{rec['name']} {share:.1f} ({moved})")
        print(f"T {limit:.2f} s, f {fraction:.2f}: " + "; ".join(row))


if __name__ == "__main__":
    main()
