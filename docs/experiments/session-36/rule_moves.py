#!/usr/bin/env python3
"""Session 36: what each placement rule of `align::align` did on the evaluation set, from the
RULE lines trace_wrap.sh collects with an experiment build of rule-trace.patch: per rule, the
turn edges (starts and ends with truth, default mode) it moved by more than 0.1 s, how many of
them it brought within 0.25 s of the truth and how many it took out, and each move that took an
edge out of 0.25 s (or further out than it was by more than 0.25 s).

    python3 docs/experiments/session-36/rule_moves.py LOG
"""
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_turns import traced_runs  # noqa: E402

tally = defaultdict(lambda: [0, 0, 0])  # moved, into 0.25 s, out of it
worse = []
for rec, truth, turns, lines in traced_runs(sys.argv[1], ("RULE ",)):
    moves = [(p[1], int(p[3]), int(p[5]), int(p[6]), int(p[8]), int(p[9])) for p in lines]
    for rule, i, s0, s1, e0, e1 in moves:
        t = truth.get(turns[i]["line"])
        if not t:
            continue
        for edge, a, b in (("start", s0, s1), ("end", e0, e1)):
            if abs(a - b) <= 10:
                continue
            before, after = a / 100 - t[edge], b / 100 - t[edge]
            tally[rule][0] += 1
            tally[rule][1] += abs(before) > 0.25 >= abs(after)
            tally[rule][2] += abs(after) > 0.25 >= abs(before)
            if abs(after) > 0.25 and abs(after) > abs(before) + 0.25 or abs(after) > 0.25 >= abs(before):
                worse.append(f"{rule:24} {rec:40} L{turns[i]['line']:<4} {edge:5} {before:+6.2f} -> {after:+6.2f}")
for rule, (n, into, out_) in sorted(tally.items()):
    print(f"{rule:24} edges moved {n:5}; into 0.25 s {into:4}; out of it {out_:4}")
print()
print("\n".join(sorted(worse)))
