#!/usr/bin/env python3
"""Session 44: would a word whose first phone is a stop held far longer than a closure, joined
to the word before it with no pause between, start better near the stop's end? Measured
offline on every recording with word truth (real first), from `talign align --words --phones`
outputs (written by session 27's script when missing).

On the real cold-voice recording (MFA's test data) a word after a short pause starts early:
the aligner inserts no silence there (its optional silence costs ln 0.005) and the stop's
closure state holds through the pause (`cold`: K held 190 ms, the truth's word 170 ms later).
Variant (H, C): such a word, not its turn's first, whose first phone is a stop (or affricate)
held at least H ms, starts C ms before that phone's end.

    python3 docs/experiments/session-44/held_stop_sim.py BIN DIR
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../../../scripts"))
sys.path.insert(0, os.path.join(HERE, "../session-27"))
import eval_set  # noqa: E402
from first_phone_duration_sim import aligned  # noqa: E402
from pauses_before_late_words import words_with_context  # noqa: E402

STOPS = {"P", "T", "K", "B", "D", "G", "CH", "JH"}
VARIANTS = [None] + [(h, c) for h in (0.10, 0.12, 0.15, 0.20) for c in (0.04, 0.06, 0.08)]


def name(v):
    return "today" if v is None else f"held >= {v[0] * 1000:.0f} ms, start {v[1] * 1000:.0f} ms before its end"


def main():
    binary, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    recs = [r for r in eval_set.recordings() if eval_set.truth_words(r["t"])]
    recs.sort(key=lambda r: not r["name"].startswith("real:"))
    totals = {v: [0, 0, 0] for v in VARIANTS}  # words, within 50 ms, moved
    real = {v: [0, 0] for v in VARIANTS}
    for rec in recs:
        a = aligned(binary, out_dir, rec)
        cells = []
        for v in VARIANTS:
            n = within = moved = 0
            for w, tr, prev, first, _ in words_with_context(a, eval_set.truth_words(rec["t"])):
                n += 1
                if w is None:
                    continue
                start = w["start"]
                ph = (w.get("phones") or [None])[0]
                if v is not None and ph and not first and prev is not None \
                        and abs(start - prev) < 1e-9 and ph["phone"] in STOPS \
                        and ph["end"] - ph["start"] >= v[0] - 1e-9:
                    start = max(start, ph["end"] - v[1])
                    moved += start != w["start"]
                within += abs(start - tr["start"]) <= 0.05 + 1e-9
            totals[v][0] += n
            totals[v][1] += within
            totals[v][2] += moved
            if rec["name"].startswith("real:"):
                real[v][0] += n
                real[v][1] += within
            cells.append(f"{100 * within / max(n, 1):5.1f} ({moved})")
        print(f"{rec['name']:34} n={n:4} " + " ".join(cells), flush=True)
    print("\ncolumns: " + " | ".join(name(v) for v in VARIANTS))
    for v in VARIANTS:
        t, r = totals[v], real[v]
        print(f"{name(v):48} real pooled {100 * r[1] / r[0]:5.1f} % ({r[1]} of {r[0]}); "
              f"every recording {100 * t[1] / t[0]:5.1f} % ({t[1]} of {t[0]}); moved {t[2]}")


if __name__ == "__main__":
    main()
