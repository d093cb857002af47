"""Session 40: per voice family, the share of a turn's words' span that lies between them
(turns with three or more words), its quantiles, and its value on the turns off by more than
1 s (start or end) in one `eval_set.py` output directory.

    python3 docs/experiments/session-40/pause_shares.py OUT
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../scripts"))
import eval_set as E  # noqa: E402


def main(out):
    rows = []
    for r in E.recordings():
        f = f"{out}/default--{r['name'].replace(':', '_')}.json"
        if not os.path.exists(f) or not E.has_turn_truth(r["t"]):
            continue
        truth = {x["line"]: x for x in r["t"]["turns"]}
        for t in json.load(open(f))["turns"]:
            x, words = truth.get(t["line"]), t.get("words") or []
            if not x or x.get("start") is None or len(words) < 3:
                continue
            span = words[-1]["end"] - words[0]["start"]
            share = 1 - sum(w["end"] - w["start"] for w in words) / span if span > 0 else 0.0
            off = max(abs(t["start"] - x["start"]), abs(t["end"] - x["end"])) > 1
            rows.append((r["family"], share, off))
    for family in sorted({f for f, _, _ in rows}):
        shares = sorted(s for f, s, _ in rows if f == family)
        q = [round(shares[int(p * (len(shares) - 1))], 2) for p in (0.5, 0.9, 0.95, 0.99)]
        off = [round(s, 2) for f, s, o in rows if f == family and o]
        print(f"{family}: {len(shares)} turns, quantiles 50/90/95/99 % {q}; off by > 1 s: {off}")


if __name__ == "__main__":
    main(sys.argv[1])
