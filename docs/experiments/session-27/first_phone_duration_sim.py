#!/usr/bin/env python3
"""Session 27: would a word's quiet first phone, cut short by the pause before it, be better
lengthened to its usual length in the same recording? Measured offline on every recording
with word truth.

A word (not its turn's first) whose first phone is in the set (stops and voiceless
fricatives, as `acoustic::forced::QUIET_ONSET_PHONES`; or every phone) and that follows a
pause left after today's rules starts earlier by min(pause, max(0, typical - d, cap)),
where d is the phone's aligned length and `typical` the median length of that phone in the
same recording (every occurrence, or only where it is not a word's first phone). The
recording's own phones set the length, so a clean recording (first phones already whole)
moves little. Outputs of `talign align --words --phones` are reused when present.

    python3 docs/experiments/session-27/first_phone_duration_sim.py BIN DIR
"""
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, "scripts")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval_set  # noqa: E402
from pauses_before_late_words import words_with_context  # noqa: E402

QUIET = {"P", "T", "K", "B", "D", "G", "CH", "JH", "S", "SH", "F", "TH"}


def aligned(binary, out_dir, rec):
    out = os.path.join(out_dir, rec["name"].replace(":", "_") + ".json")
    if not os.path.exists(out):
        subprocess.run([binary, "align", "-q", "--words", "--phones", rec["audio"],
                        rec["transcript"], "-o", out], check=True)
    return json.load(open(out))


def typical_lengths(a, internal_only):
    lengths = {}
    for t in a["turns"]:
        for w in t.get("words") or []:
            for i, p in enumerate(w.get("phones") or []):
                if internal_only and i == 0:
                    continue
                lengths.setdefault(p["phone"], []).append(p["end"] - p["start"])
    return {k: statistics.median(v) for k, v in lengths.items() if len(v) >= 5}


VARIANTS = [
    ("today", None, False, 0.0),
    ("quiet, median of all", QUIET, False, 1.0),
    ("quiet, median word-internal", QUIET, True, 1.0),
    ("quiet, 0.75 x word-internal", QUIET, True, 0.75),
    ("every phone, median word-internal", None, True, 1.0),
]


def main():
    binary, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    totals = {v[0]: [0, 0, 0, 0] for v in VARIANTS}
    for rec in eval_set.recordings():
        truth = eval_set.truth_words(rec["t"])
        if not truth:
            continue
        a = aligned(binary, out_dir, rec)
        row = []
        for name, phones, internal, scale in VARIANTS:
            typical = typical_lengths(a, internal) if scale else {}
            errs, moved = [], 0
            for w, tr, prev, _, _ in words_with_context(a, truth):
                if w is None:
                    errs.append(None)
                    continue
                start = w["start"]
                ph = (w.get("phones") or [None])[0]
                if scale and ph and prev is not None and start - prev > 1e-9 \
                        and (phones is None or ph["phone"] in phones) and ph["phone"] in typical:
                    d = ph["end"] - ph["start"]
                    extra = min(start - prev, max(0.0, scale * typical[ph["phone"]] - d))
                    if extra > 1e-9:
                        start -= extra
                        moved += 1
                errs.append(abs(start - tr["start"]))
            n = len(errs)
            within = [sum(1 for e in errs if e is not None and e <= lim) for lim in (0.025, 0.05, 0.1)]
            t = totals[name]
            t[0] += n
            for k in range(3):
                t[k + 1] += within[k]
            row.append(f"{name}: " + " / ".join(f"{100 * x / n:5.1f}" for x in within) + f" ({moved})")
        print(f"{rec['name']:32} " + " | ".join(row), flush=True)
    for name, t in totals.items():
        print(f"all words, {name}: " + " / ".join(f"{100 * x / t[0]:5.1f}" for x in t[1:]))


if __name__ == "__main__":
    main()
