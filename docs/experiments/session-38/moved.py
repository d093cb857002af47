"""Session 38: how many turn starts and ends moved closer to the truth or further from it by
more than 0.05 s between two runs of scripts/eval_set.py, read from compare_turns.py's lines.

    python3 docs/experiments/session-36/compare_turns.py BEFORE AFTER | \
        python3 docs/experiments/session-38/moved.py
"""
import re
import sys

PATTERN = re.compile(r"start\s+([-+.\d]+)\s+->\s+([-+.\d]+)\s+end\s+([-+.\d]+)\s+->\s+([-+.\d]+)")


def main() -> None:
    counts = {"starts closer": 0, "starts further": 0, "ends closer": 0, "ends further": 0}
    listed = 0
    for line in sys.stdin:
        m = PATTERN.search(line)
        if not m:
            continue
        listed += 1
        s0, s1, e0, e1 = map(float, m.groups())
        for what, before, after in (("starts", s0, s1), ("ends", e0, e1)):
            if abs(after) < abs(before) - 0.05:
                counts[f"{what} closer"] += 1
            elif abs(after) > abs(before) + 0.05:
                counts[f"{what} further"] += 1
    print(f"turns listed {listed}; " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
