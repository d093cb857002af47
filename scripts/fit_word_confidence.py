#!/usr/bin/env python3
"""Fits the words' confidence (crates/core/src/align/heard.rs `WORD`): a logistic model of "the
word starts within 0.1 s of the truth" over the word's own fit (goodness of pronunciation,
floored at -20), ln(1 + its length in seconds), the fits at its start (`onset_fit`, and
`pause_fit` of the pause before it, 0 without one; both clamped to +-10), its neighbours'
fits in the turn (floored at -20; 0 where there is none or it has no fit) and its pace: ln of
its length (at least 10 ms) over its phones' count times the recording's median phone length
(session 29; a word squeezed by a pause inserted before it is short for its phones). talign caps the
result by the turn's confidence (a word is no surer than its turn's place), and so does the
share printed here.

Pooled over every recording of the evaluation set with word truth, each voice family weighted
to the same total (Festival's thousands of words would otherwise decide alone; never one
family):

    python3 scripts/eval_set.py --bin BIN --args=--phones --only words --out DIR
    (cd DIR && for f in __phones--*.json; do ln -sf $f default--${f#__phones--}; done)
    python3 scripts/fit_word_confidence.py DIR

Reads DIR/default--<recording>.json, or DIR/<recording>.json as scripts/tune_heard.sh
writes them (schema 4: words carry `fit`, `onset_fit`, `pause_fit`; made with `--phones`,
which the pace needs). The JSON's times are kept inside each turn, while talign reads a word
as it was heard (session 40): the two differ only for a word heard outside its turn (17 of
the set's 61 778 words), whose confidence talign sets to 0 when that moved its start more
than 0.1 s.
Prints the weights, the log loss, and per family the share of words off by more than 0.1 s
that sit in their recording's lowest-confidence decile, with the turn's confidence and with
the fitted word confidence; then the same with each family's share from a fit on the other
families alone.
"""
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval_set  # noqa: E402
from fit_turn_confidence import solve  # noqa: E402

FLOOR = -20.0
EDGE_BOUND = 10.0
NAMES = ["intercept", "fit", "ln(1+length s)", "onset fit", "pause fit", "previous word's fit",
         "next word's fit", "pace"]
# Shortest word length the pace reads, seconds (as talign's `MIN_PACE_LENGTH_S`).
MIN_PACE_LENGTH_S = 0.01


def median_phone_s(aligned):
    """The median length of the recording's phones (as the JSON lists them, made with --phones)."""
    lengths = sorted(p["end"] - p["start"] for a in aligned["turns"] for w in (a.get("words") or [])
                     for p in (w.get("phones") or []))
    if not lengths:
        sys.exit(f"{aligned['audio']['path']}: no phones in the output; align with --phones")
    n = len(lengths)
    return lengths[n // 2] if n % 2 else (lengths[n // 2 - 1] + lengths[n // 2]) / 2


def pace(word, phone_s):
    """ln of the word's length over its phones' count times the recording's median phone."""
    phones = len(word.get("phones") or [])
    if phones == 0 or phone_s <= 0:
        return 0.0
    return math.log(max(MIN_PACE_LENGTH_S, word["end"] - word["start"]) / (phones * phone_s))


def features(words, i, phone_s):
    """The features of the turn's word `i` (`words`: the turn's words as the JSON lists them;
    `phone_s`: the recording's median phone length)."""
    word = words[i]
    length = max(0.0, word["end"] - word["start"])
    edge = lambda v: max(-EDGE_BOUND, min(EDGE_BOUND, v))
    neighbour = lambda k: (max(FLOOR, words[k]["fit"])
                           if 0 <= k < len(words) and words[k].get("fit") is not None else 0.0)
    return (1.0, max(FLOOR, word["fit"]), math.log1p(length), edge(word["onset_fit"]),
            edge(word["pause_fit"]) if word.get("pause_fit") is not None else 0.0,
            neighbour(i - 1), neighbour(i + 1), pace(word, phone_s))


def rows(rec, aligned):
    """((turn confidence, features), ok) for each aligned word with a fit paired to a true word."""
    tw = eval_set.truth_words(rec["t"])
    phone_s = median_phone_s(aligned)
    timed = lambda a: [(w, a, k) for k, w in enumerate(a.get("words") or [])]
    if None in tw:
        groups = [([x for a in aligned["turns"] for x in timed(a)], tw[None])]
    else:
        groups = [([x for a in aligned["turns"] if a["line"] == line for x in timed(a)], ws)
                  for line, ws in tw.items()]
    for aw, ws in groups:
        where = {id(w): (a, k) for w, a, k in aw}
        for w, tr in eval_set.pair([w for w, _, _ in aw], ws):
            if w is None or w.get("fit") is None:
                continue
            a, k = where[id(w)]
            yield (a["confidence"], features(a["words"], k, phone_s)), 1.0 if abs(w["start"] - tr["start"]) <= 0.1 else 0.0


def weighted_fit(xs, ys, ws, steps=30, ridge=1e-3):
    """Weighted logistic regression by Newton's method (a little ridge for stability)."""
    k = len(xs[0])
    w = [0.0] * k
    for _ in range(steps):
        g = [ridge * wi for wi in w]
        h = [[ridge if i == j else 0.0 for j in range(k)] for i in range(k)]
        for x, y, c in zip(xs, ys, ws):
            p = sigmoid(w, x)
            for i in range(k):
                g[i] += c * (p - y) * x[i]
                for j in range(k):
                    h[i][j] += c * p * (1 - p) * x[i] * x[j]
        step = solve(h, g)
        w = [wi - si for wi, si in zip(w, step)]
    loss = -sum(c * (y * math.log(max(1e-9, sigmoid(w, x))) + (1 - y) * math.log(max(1e-9, 1 - sigmoid(w, x))))
                for x, y, c in zip(xs, ys, ws)) / sum(ws)
    return w, loss


def sigmoid(w, x):
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, sum(a * b for a, b in zip(w, x))))))


def decile_share(items):
    """(off in the lowest decile, off) of [(confidence, ok)]."""
    n = math.ceil(len(items) / 10)
    low = sorted(range(len(items)), key=lambda i: items[i][0])[:n]
    off = sum(1 for _, ok in items if not ok)
    return sum(1 for i in low if not items[i][1]), off


def per_recording(out_dir, rows_of):
    """{recording: (family, rows_of(rec, its default output))} over the recordings with word
    truth whose output is in out_dir."""
    per_rec = {}
    for rec in eval_set.recordings():
        # The copies (typos, rooms) are the real recordings again: fitted once, as `real`.
        if not eval_set.truth_words(rec["t"]) or eval_set.is_copy(rec["family"]):
            continue
        path = os.path.join(out_dir, "default--" + rec["name"].replace(":", "_") + ".json")
        if not os.path.exists(path):  # as scripts/tune_heard.sh names them
            path = os.path.join(out_dir, rec["name"] + ".json")
        if not os.path.exists(path):
            print(f"missing {path}", file=sys.stderr)
            continue
        per_rec[rec["name"]] = (rec["family"], list(rows_of(rec, json.load(open(path)))))
    return per_rec


def fit_families(per_rec, fams):
    """Weights fitted on the recordings of `fams`, each family weighted to the same total."""
    counts = {f: sum(len(r) for g, r in per_rec.values() if g == f) for f in fams}
    xs, ys, ws = [], [], []
    for fam, rs in per_rec.values():
        if fam not in fams:
            continue
        for (_, x), y in rs:
            xs.append(x)
            ys.append(y)
            ws.append(sum(counts.values()) / (len(fams) * counts[fam]))
    return weighted_fit(xs, ys, ws), counts


def confidence(w, turn, x):
    return min(turn, sigmoid(w, x))


def main():
    per_rec = per_recording(sys.argv[1], rows)
    fams = sorted({f for f, _ in per_rec.values()})
    (w, loss), counts = fit_families(per_rec, fams)
    print(f"words: {sum(counts.values())} ({', '.join(f'{f} {counts[f]}' for f in fams)}), each family "
          f"weighted to the same total; weighted log loss {loss:.3f}")
    print("WORD = [" + ", ".join(f"{v:.3f}" for v in w) + "]  # " + ", ".join(NAMES))
    for fam in fams + ["all"]:
        a_turn = a_word = off = 0
        for name, (f, rs) in per_rec.items():
            if fam not in (f, "all"):
                continue
            t_low, o = decile_share([(t, y) for (t, _), y in rs])
            w_low, _ = decile_share([(confidence(w, t, x), y) for (t, x), y in rs])
            a_turn, a_word, off = a_turn + t_low, a_word + w_low, off + o
        pct = lambda k: f"{100 * k / off:.0f} %" if off else "–"
        print(f"{fam}: words off > 0.1 s (timed, with a fit): {off}; in the lowest decile by turn "
              f"confidence {a_turn} ({pct(a_turn)}), by word confidence {a_word} ({pct(a_word)})")
    for held in fams:
        (hw, _), _ = fit_families(per_rec, [f for f in fams if f != held])
        low = off = 0
        for f, rs in per_rec.values():
            if f == held:
                l, o = decile_share([(confidence(hw, t, x), y) for (t, x), y in rs])
                low, off = low + l, off + o
        print(f"{held}, fitted on the other families alone: {low} of {off} in the lowest decile")


if __name__ == "__main__":
    main()
