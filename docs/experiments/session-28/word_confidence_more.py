"""Session 28: with the edge fits in the JSON (schema 4), do session 26's other features add
anything? Fits min(turn, logistic(features)) as scripts/fit_word_confidence.py does, each
family weighted alike, and prints words off by more than 0.1 s in their recording's lowest
decile, in-sample and with each family fitted on the others alone.

    python3 docs/experiments/session-28/word_confidence_more.py DIR   (an eval_set.py --out DIR)
"""
import math, sys
sys.path.insert(0, "scripts")
import eval_set
from fit_word_confidence import weighted_fit, sigmoid, decile_share, per_recording

FLOOR, BOUND = -20.0, 10.0
SETS = {
    "first build (fit, len, onset, pause)": ["fit", "len", "onset", "pause"],
    "+ neighbours' fits": ["fit", "len", "onset", "pause", "prev_fit", "next_fit"],
    "+ pause lengths": ["fit", "len", "onset", "pause", "pause_before", "pause_after"],
    "+ first phone's length": ["fit", "len", "onset", "pause", "first_phone"],
    "+ after a pause": ["fit", "len", "onset", "pause", "after_pause"],
    "+ next word's onset": ["fit", "len", "onset", "pause", "next_onset"],
    "shipped: + neighbours' fits": ["fit", "len", "onset", "pause", "prev_fit", "next_fit"],
    "shipped + after a pause": ["fit", "len", "onset", "pause", "prev_fit", "next_fit", "after_pause"],
    "shipped + next word's onset": ["fit", "len", "onset", "pause", "prev_fit", "next_fit", "next_onset"],
    "shipped + first phone's length": ["fit", "len", "onset", "pause", "prev_fit", "next_fit", "first_phone"],
    "shipped + the worse edge": ["fit", "len", "onset", "pause", "prev_fit", "next_fit", "worst_edge"],
    "shipped + squares": ["fit", "len", "onset", "pause", "prev_fit", "next_fit", "fit2", "onset2", "pause2"],
    "shipped + the worse neighbour": ["fit", "len", "onset", "pause", "prev_fit", "next_fit", "worst_neighbour"],
}


def clip(v):
    return max(-BOUND, min(BOUND, v))


def feats(words, i):
    w = words[i]
    fit = lambda k: max(FLOOR, words[k]["fit"]) if 0 <= k < len(words) and words[k].get("fit") is not None else 0.0
    ph = w.get("phones") or []
    before = w["start"] - words[i - 1]["end"] if i > 0 else 1.0
    after = words[i + 1]["start"] - w["end"] if i + 1 < len(words) else 1.0
    nxt = words[i + 1] if i + 1 < len(words) else None
    return {
        "fit": max(FLOOR, w["fit"]), "len": math.log1p(max(0.0, w["end"] - w["start"])),
        "onset": clip(w["onset_fit"]), "pause": clip(w["pause_fit"]) if w.get("pause_fit") is not None else 0.0,
        "prev_fit": fit(i - 1), "next_fit": fit(i + 1),
        "pause_before": math.log1p(max(0.0, before)), "pause_after": math.log1p(max(0.0, after)),
        "first_phone": math.log(max(0.01, ph[0]["end"] - ph[0]["start"])) if ph else 0.0,
        "after_pause": 1.0 if w.get("pause_fit") is not None else 0.0,
        "next_onset": clip(nxt["onset_fit"]) if nxt is not None and nxt.get("onset_fit") is not None else 0.0,
    }


def derived(f):
    """Terms made of the features above: the worse edge, squares, the worse neighbour."""
    f["worst_edge"] = min(f["onset"], f["pause"])
    f["fit2"], f["onset2"], f["pause2"] = f["fit"] ** 2 / 20, f["onset"] ** 2 / 10, f["pause"] ** 2 / 10
    f["worst_neighbour"] = min(f["prev_fit"], f["next_fit"])
    return f


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
            yield (a["confidence"], derived(feats(a["words"], k))), 1.0 if abs(w["start"] - tr["start"]) <= 0.1 else 0.0


def fit_on(per_rec, fams, keys):
    counts = {f: sum(len(r) for g, r in per_rec.values() if g == f) for f in fams}
    xs, ys, ws = [], [], []
    for fam, rs in per_rec.values():
        if fam in fams:
            for (_, x), y in rs:
                xs.append([1.0] + [x[k] for k in keys]); ys.append(y)
                ws.append(sum(counts.values()) / (len(fams) * counts[fam]))
    return weighted_fit(xs, ys, ws)[0]


def share(per_rec, fam, w, keys):
    low = off = 0
    for f, rs in per_rec.values():
        if fam in (f, "all"):
            l, o = decile_share([(min(t, sigmoid(w, [1.0] + [x[k] for k in keys])), y) for (t, x), y in rs])
            low, off = low + l, off + o
    return low, off


def main():
    per_rec = per_recording(sys.argv[1], rows)
    fams = sorted({f for f, _ in per_rec.values()})
    for name, keys in SETS.items():
        w = fit_on(per_rec, fams, keys)
        ins = "  ".join("%s %d/%d" % ((f,) + share(per_rec, f, w, keys)) for f in fams + ["all"])
        held = [share(per_rec, f, fit_on(per_rec, [g for g in fams if g != f], keys), keys) for f in fams]
        print(f"{name:38s} {ins}   held out: " + "  ".join(f"{f} {l}/{o}" for f, (l, o) in zip(fams, held)))


if __name__ == "__main__":
    main()
