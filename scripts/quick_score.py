#!/usr/bin/env python3
"""One line per alignment: turn starts / ends within 0.25 s and 1 s against a truth file, and
the turns off by more than 1 s (line, start error, end error, confidence).

    python3 scripts/quick_score.py TRUTH.json ALIGNED.json [ALIGNED.json ...]
"""
import json
import sys


def main() -> None:
    truth = json.load(open(sys.argv[1]))
    by_line = {t["line"]: t for t in truth["turns"] if t.get("start") is not None}
    for path in sys.argv[2:]:
        aligned = json.load(open(path))
        n = s25 = s1 = e25 = e1 = 0
        off = []
        for t in aligned["turns"]:
            tr = by_line.get(t["line"])
            if tr is None:
                continue
            n += 1
            ds, de = t["start"] - tr["start"], t["end"] - tr["end"]
            s25 += abs(ds) <= 0.25
            s1 += abs(ds) <= 1
            e25 += abs(de) <= 0.25
            e1 += abs(de) <= 1
            if abs(ds) > 1 or abs(de) > 1:
                off.append((t["line"], round(ds, 2), round(de, 2), t["confidence"]))
        if n == 0:
            print(f"{path}: no turns with truth")
            continue
        pct = lambda k: f"{100 * k / n:5.1f}"
        print(f"{path.split('/')[-1]:34} {n:4} starts {pct(s25)} {pct(s1)}  ends {pct(e25)} {pct(e1)}  off>1s {off[:8]}")


if __name__ == "__main__":
    main()
