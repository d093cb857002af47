#!/usr/bin/env python3
"""Session 36: what the two edge rules did on the evaluation set, from trace_wrap.sh's log.
Per move of a heard start to its chunk's start (R3), the turn's start error before and after;
per move of a heard end to its speech's end (R4), counts by how far it moved, within 0.25 s and
1 s before and after (default mode only; turns with truth only).

    python3 docs/experiments/session-36/edge_moves.py LOG
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_turns import traced_runs  # noqa: E402


r4 = []
for rec, truth, turns, lines in traced_runs(sys.argv[1], ("R3 ", "R4 ")):
    moves = [(p[0], int(p[2]), int(p[4]), int(p[6])) for p in lines]
    for rule, i, was, to in moves:
        t = truth.get(turns[i]["line"])
        if not t:
            continue
        if rule == "R3":
            print(f"R3 {rec:40} L{turns[i]['line']:<4} moved {(was - to) / 100:5.2f} s, start error "
                  f"{was / 100 - t['start']:+6.2f} -> {to / 100 - t['start']:+6.2f}")
        else:
            r4.append(((to - was) / 100, was / 100 - t["end"], to / 100 - t["end"]))
edges = [0, 0.3, 0.5, 0.75, 1.0, 1.5, 2, 5, 100]
for lo, hi in zip(edges, edges[1:]):
    sel = [m for m in r4 if lo < m[0] <= hi]
    if sel:
        within = lambda k, s: sum(abs(m[k]) <= s for m in sel)  # noqa: E731
        print(f"R4 moved ({lo}, {hi}] s: {len(sel)} ends; within 0.25 s {within(1, .25)} -> {within(2, .25)}, "
              f"within 1 s {within(1, 1)} -> {within(2, 1)}")
