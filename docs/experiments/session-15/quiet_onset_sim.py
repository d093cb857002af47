#!/usr/bin/env python3
"""What a "quiet onset" rule would do to word starts, measured offline: a word whose first
phone is in a set and which follows a silence of at most X ms between two words is moved
back to the silence's start. Aligns every recording with word truth (`--words --phones`,
outputs reused when present), then prints word starts within 25 / 50 / 100 ms per recording
for each X, with the number of words moved. From the repository root:

    python3 docs/experiments/session-15/quiet_onset_sim.py BIN DIR [stops|fricatives|hh|all]
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, "scripts")
import eval_set  # noqa: E402

SETS = {
    "stops": {"P", "T", "K", "B", "D", "G", "CH", "JH"},
    "fricatives": {"S", "SH", "F", "TH"},
    "hh": {"HH"},
    "all": None,
}
LIMITS = [0, 0.05, 0.08, 0.1, 0.15]


def aligned(binary: str, out_dir: str, rec: dict) -> dict:
    out = os.path.join(out_dir, rec["name"].replace(":", "_") + ".json")
    if not os.path.exists(out):
        cmd = [binary, "align", "-q", "--words", "--phones", rec["audio"], rec["transcript"], "-o", out]
        subprocess.run(cmd, check=True)
    return json.load(open(out))


def main() -> None:
    binary, out_dir = sys.argv[1], sys.argv[2]
    phones = SETS[sys.argv[3] if len(sys.argv) > 3 else "stops"]
    os.makedirs(out_dir, exist_ok=True)
    for rec in eval_set.recordings():
        truth = eval_set.truth_words(rec["t"])
        if not truth:
            continue
        a = aligned(binary, out_dir, rec)
        errors = {x: [] for x in LIMITS}
        moved = {x: 0 for x in LIMITS}
        for line, want in truth.items():
            turns = [t for t in a["turns"] if line is None or t["line"] == line]
            before = {}
            for t in turns:
                ws = t.get("words") or []
                for i, w in enumerate(ws):
                    before[id(w)] = ws[i - 1]["end"] if i > 0 else None
            got = [w for t in turns for w in (t.get("words") or [])]
            for w, tr in eval_set.pair(got, want):
                for x in LIMITS:
                    if w is None:
                        errors[x].append(None)
                        continue
                    start, prev = w["start"], before[id(w)]
                    first = (w.get("phones") or [{}])[0].get("phone")
                    if (phones is None or first in phones) and prev is not None and 0 < start - prev <= x + 1e-9:
                        start = prev
                        moved[x] += 1
                    errors[x].append(abs(start - tr["start"]))

        def cells(v):
            return " / ".join(
                f"{100 * sum(1 for e in v if e is not None and e <= lim) / len(v):5.1f}"
                for lim in (0.025, 0.05, 0.1)
            )

        row = "  ".join(f"{int(x * 1000)} ms: {cells(errors[x])} ({moved[x]})" for x in LIMITS)
        print(f"{rec['name']:28} {row}")


if __name__ == "__main__":
    main()
