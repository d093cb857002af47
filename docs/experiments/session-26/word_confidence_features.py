"""Which features of a timed word tell that its start is off by more than 0.1 s? Fits the
logistic model of scripts/fit_word_confidence.py with more features read from the JSON (the
neighbours' fits, the pause before, the shortest and the first phone's length, the phone
count) and prints, per family, the share of words off by more than 0.1 s in their
recording's lowest-confidence decile. Each family weighted to the same total, as there.

    python3 docs/experiments/session-26/word_confidence_features.py DIR   (from the repo root)
"""
import math, sys
sys.path.insert(0, "scripts")
import eval_set
from fit_word_confidence import weighted_fit, sigmoid, decile_share, per_recording

FLOOR = -20.0
SETS = {
    "now": ["turn", "fit", "len"],
    "+neighbours": ["turn", "fit", "len", "prev_fit", "next_fit"],
    "+pause": ["turn", "fit", "len", "pause_before", "pause_after"],
    "+phones": ["turn", "fit", "len", "min_phone", "first_phone", "phones"],
    "all": ["turn", "fit", "len", "prev_fit", "next_fit", "pause_before", "pause_after", "min_phone", "first_phone", "phones"],
}


def word_features(turn_conf, words, i):
    w = words[i]
    fit = lambda k: max(FLOOR, words[k]["fit"]) if 0 <= k < len(words) and words[k].get("fit") is not None else 0.0
    ph = w.get("phones") or []
    lens = [p["end"] - p["start"] for p in ph] or [w["end"] - w["start"]]
    before = w["start"] - words[i - 1]["end"] if i > 0 else 1.0
    after = words[i + 1]["start"] - w["end"] if i + 1 < len(words) else 1.0
    return {
        "turn": turn_conf,
        "fit": max(FLOOR, w["fit"]),
        "len": math.log1p(max(0.0, w["end"] - w["start"])),
        "prev_fit": fit(i - 1),
        "next_fit": fit(i + 1),
        "pause_before": math.log1p(max(0.0, before)),
        "pause_after": math.log1p(max(0.0, after)),
        "min_phone": math.log(max(0.01, min(lens))),
        "first_phone": math.log(max(0.01, lens[0])),
        "phones": math.log(len(lens)),
    }


def rows(rec, aligned):
    tw = eval_set.truth_words(rec["t"])
    turns = aligned["turns"]
    if None in tw:
        groups = [([(a, k) for a in turns for k in range(len(a.get("words") or []))], tw[None])]
    else:
        groups = [([(a, k) for a in turns if a["line"] == line for k in range(len(a.get("words") or []))], ws)
                  for line, ws in tw.items()]
    for aw, ws in groups:
        by_id = {id(a["words"][k]): (a, k) for a, k in aw}
        for w, tr in eval_set.pair([a["words"][k] for a, k in aw], ws):
            if w is None or w.get("fit") is None:
                continue
            a, k = by_id[id(w)]
            yield word_features(a["confidence"], a["words"], k), 1.0 if abs(w["start"] - tr["start"]) <= 0.1 else 0.0


def main():
    per_rec = per_recording(sys.argv[1], rows)
    fams = sorted({f for f, _ in per_rec.values()})
    counts = {f: sum(len(r) for g, r in per_rec.values() if g == f) for f in fams}
    for name, keys in SETS.items():
        xs, ys, ws = [], [], []
        for fam, rs in per_rec.values():
            for x, y in rs:
                xs.append([1.0] + [x[k] for k in keys])
                ys.append(y)
                ws.append(sum(counts.values()) / (len(fams) * counts[fam]))
        w, loss = weighted_fit(xs, ys, ws)
        line = []
        for fam in fams + ["all"]:
            low = off = 0
            for f, rs in per_rec.values():
                if fam not in (f, "all"):
                    continue
                l, o = decile_share([(sigmoid(w, [1.0] + [x[k] for k in keys]), y) for x, y in rs])
                low, off = low + l, off + o
            line.append(f"{fam} {low}/{off}")
        print(f"{name:12s} loss {loss:.4f}  " + "  ".join(line))
        print("   weights", " ".join(f"{k}={v:+.3f}" for k, v in zip(["1"] + keys, w)))


if __name__ == "__main__":
    main()
