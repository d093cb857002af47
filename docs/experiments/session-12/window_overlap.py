#!/usr/bin/env python3
"""Frames the acoustic snap scores, and how many of them more than once: reads the `WIN start
end` lines that a build with print-windows.patch writes to stderr when TALIGN_DBG_WIN is set.

    TALIGN_DBG_WIN=1 BIN align -q AUDIO TRANSCRIPT -o /tmp/k.json 2>&1 | grep '^WIN' | python3 window_overlap.py
"""
import sys

windows = [tuple(map(int, line.split()[1:3])) for line in sys.stdin if line.startswith("WIN")]
scored = sum(end - start for start, end in windows)
distinct = set()
for start, end in windows:
    distinct.update(range(start, end))
print(f"{len(windows)} windows, {scored} frames scored, {len(distinct)} distinct, "
      f"ratio {scored / max(len(distinct), 1):.4f}")
