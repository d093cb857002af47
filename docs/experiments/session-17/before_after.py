#!/usr/bin/env python3
"""Joins two `scripts/eval_set.py` printouts (saved stdout) into one before/after table per
recording: turn starts and ends within 0.25 s / 1 s, default mode, and word starts within
25 / 50 / 100 ms. Rows in the printout's order (real first, then phone, Festival, espeak);
"=" where nothing moved. From the repository root:

    python3 docs/experiments/session-17/before_after.py BEFORE.log AFTER.log
"""
import sys


def rows(path):
    turns, words, section = {}, {}, None
    for line in open(path):
        if line.startswith("### "):
            section = line[4:].strip()
        if not line.startswith("| ") or line.startswith("| family") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if section == "Turn starts and ends":
            turns[(cells[0], cells[1])] = cells[2:7]
        elif section == "Word starts":
            words[(cells[0], cells[1])] = cells[2:7]
    return turns, words


(bt, bw), (at, aw) = rows(sys.argv[1]), rows(sys.argv[2])
print("| family | recording | turns | starts ≤0.25 / ≤1 s before | after | ends ≤0.25 / ≤1 s before | after |")
print("|---|---|---|---|---|---|---|")
for name, b in bt.items():
    a = at.get(name)
    if a is None:
        continue
    bs, as_ = f"{b[1]} / {b[2]}", f"{a[1]} / {a[2]}"
    be, ae = f"{b[3]} / {b[4]}", f"{a[3]} / {a[4]}"
    print(f"| {name[0]} | {name[1]} | {b[0]} | {bs} | {'=' if as_ == bs else as_} | {be} | {'=' if ae == be else ae} |")
print()
print("| family | recording | words | starts ≤25 / 50 / 100 ms before | after |")
print("|---|---|---|---|---|")
for name, b in bw.items():
    a = aw.get(name)
    if a is None:
        continue
    bs, as_ = " / ".join(b[2:5]), " / ".join(a[2:5])
    print(f"| {name[0]} | {name[1]} | {b[0]} | {bs} | {'=' if as_ == bs else as_} |")
