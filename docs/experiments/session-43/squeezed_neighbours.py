"""Session 43: heard turns that leave a neighbour not placed by its words (untranscribed, or not
heard) less than half its lattice span, with both turns' errors against the truth (start, end;
s). OUT: an eval_set.py --compare run (the lattice's spans are its `--no-reference` outputs).

    python3 docs/experiments/session-43/squeezed_neighbours.py OUT
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../scripts"))
import eval_set as E  # noqa: E402


def errors(placed, truth):
    if truth is None or truth.get("start") is None:
        return None
    return round(placed["start"] - truth["start"], 2), round(placed["end"] - truth["end"], 2)


def main():
    out = sys.argv[1]
    for rec in E.recordings():
        name = rec["name"].replace(":", "_")
        default = f"{out}/default--{name}.json"
        lattice = f"{out}/__no_reference--{name}.json"
        if not (os.path.exists(default) and os.path.exists(lattice)):
            continue
        turns = json.load(open(default))["turns"]
        lattice_of = {t["line"]: t for t in json.load(open(lattice))["turns"]}
        truth_of = {x["line"]: x for x in rec["t"]["turns"]}
        for i, t in enumerate(turns):
            if t.get("fit") is None:
                continue
            for j in (i - 1, i + 1):
                if not 0 <= j < len(turns):
                    continue
                u = turns[j]
                if u.get("transcribed", True) and u.get("fit") is not None:
                    continue
                lu = lattice_of[u["line"]]
                span, left = lu["end"] - lu["start"], u["end"] - u["start"]
                if span > 0.8 and left < 0.5 * span:
                    print(f"{rec['name']:38s} heard {t['line']} {errors(t, truth_of.get(t['line']))} "
                          f"neighbour {u['line']} transcribed={u.get('transcribed')} "
                          f"lattice {lu['start']:.2f}-{lu['end']:.2f} now {u['start']:.2f}-{u['end']:.2f} "
                          f"err {errors(u, truth_of.get(u['line']))}")


if __name__ == "__main__":
    main()
