"""Session 43: the words' confidence sharing a touching neighbour's doubt, simulated on an
eval_set.py run's default outputs (the rule of shared_doubt_sim.py, word by word): words off
by more than 100 ms in their recording's lowest decile, per family; `all` = the set without
copies. MODE: none, prev, next or both; TOUCH_S: words closer than this meet.

    python3 docs/experiments/session-43/word_shared_doubt_sim.py OUT TOUCH_S MODE
"""
import collections
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../../../scripts"))
sys.path.insert(0, HERE)
import eval_set as E  # noqa: E402
from shared_doubt_sim import shared  # noqa: E402

SIDES = {"none": (), "prev": (-1,), "next": (1,), "both": (-1, 1)}


def main():
    out, touch, mode = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    counts = collections.defaultdict(lambda: [0, 0])
    for rec in E.recordings():
        p = os.path.join(out, f"default--{rec['name'].replace(':', '_')}.json")
        if not os.path.exists(p) or not E.truth_words(rec["t"]):
            continue
        a = json.load(open(p))
        for t in a["turns"]:
            words = t.get("words") or []
            for w, c in zip(words, shared(words, touch, "min", SIDES[mode])):
                w["confidence"] = c
        low, off = E.conf_counts([E.score(rec, a)], "words")
        for group in (rec["family"], "copies" if E.is_copy(rec["family"]) else "all"):
            counts[group][0] += low
            counts[group][1] += off
    print(touch, mode, dict(counts))


if __name__ == "__main__":
    main()
