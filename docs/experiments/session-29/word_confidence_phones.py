"""Session 29: after the restored spread, do the words' phone lengths tell which word starts
are off? Adds to session 28's shipped features (fit, length, onset, pause, neighbours' fits)
features from `--phones`: the word's length against its phones' count times the recording's
median phone length, its shortest phone, its first phone's length against that median, and
the shortest phone of the word before. Fits as session 28's word_confidence_more.py does
(each family weighted alike, capped by the turn) and prints the words off by more than 0.1 s
in their recording's lowest decile, in-sample and each family fitted on the others alone.

    python3 scripts/eval_set.py --bin BIN --args=--phones --match festival --match real: \
        --match phone: --only words --out DIR
    (cd DIR && for f in __phones--*.json; do ln -sf $f default--${f#__phones--}; done)
    python3 docs/experiments/session-29/word_confidence_phones.py DIR
"""
import math
import os
import statistics
import sys

sys.path.insert(0, "scripts")
sys.path.insert(0, "docs/experiments/session-28")
import word_confidence_more as more  # noqa: E402
from fit_word_confidence import per_recording  # noqa: E402

SHIPPED = ["fit", "len", "onset", "pause", "prev_fit", "next_fit"]
SETS = {
    "shipped": SHIPPED,
    "+ length against its phones": SHIPPED + ["len_ratio"],
    "+ shortest phone": SHIPPED + ["min_phone"],
    "+ first phone against the median": SHIPPED + ["first_ratio"],
    "+ previous word's shortest phone": SHIPPED + ["prev_min_phone"],
    "+ all four": SHIPPED + ["len_ratio", "min_phone", "first_ratio", "prev_min_phone"],
    "pace + the previous word's pace": SHIPPED + ["len_ratio", "prev_pace"],
    "pace + the next word's pace": SHIPPED + ["len_ratio", "next_pace"],
    "pace + both neighbours' paces": SHIPPED + ["len_ratio", "prev_pace", "next_pace"],
    "pace + the gap before": SHIPPED + ["len_ratio", "gap_before"],
}

MEDIAN = {}


def phone_lengths(w):
    return [p["end"] - p["start"] for p in (w.get("phones") or [])]


def pace(words, k, median):
    """ln of word k's length over its phones' count times the median (0 outside or without phones)."""
    if not 0 <= k < len(words) or not phone_lengths(words[k]):
        return 0.0
    return math.log(max(0.01, words[k]["end"] - words[k]["start"]) / (len(phone_lengths(words[k])) * median))


def add_phone_features(words, i, f):
    median = MEDIAN["now"]
    ph = phone_lengths(words[i])
    n = max(1, len(ph))
    f["len_ratio"] = math.log(max(0.01, words[i]["end"] - words[i]["start"]) / (n * median))
    f["prev_pace"], f["next_pace"] = pace(words, i - 1, median), pace(words, i + 1, median)
    f["gap_before"] = math.log1p(max(0.0, words[i]["start"] - words[i - 1]["end"])) if i > 0 else 0.0
    f["min_phone"] = math.log(max(0.005, min(ph))) if ph else 0.0
    f["first_ratio"] = math.log(max(0.005, ph[0]) / median) if ph else 0.0
    prev = phone_lengths(words[i - 1]) if i > 0 else []
    f["prev_min_phone"] = math.log(max(0.005, min(prev))) if prev else 0.0
    return f


def rows(rec, aligned):
    all_ph = [d for t in aligned["turns"] for w in (t.get("words") or []) for d in phone_lengths(w)]
    MEDIAN["now"] = statistics.median(all_ph) if all_ph else 0.08
    base_feats = more.feats

    def feats(words, i):
        return add_phone_features(words, i, base_feats(words, i))

    more.feats = feats
    try:
        yield from more.rows(rec, aligned)
    finally:
        more.feats = base_feats


def main():
    per_rec = per_recording(sys.argv[1], rows)
    fams = sorted({f for f, _ in per_rec.values()})
    for name, keys in SETS.items():
        w = more.fit_on(per_rec, fams, keys)
        ins = "  ".join("%s %d/%d" % ((f,) + more.share(per_rec, f, w, keys)) for f in fams + ["all"])
        held = [more.share(per_rec, f, more.fit_on(per_rec, [g for g in fams if g != f], keys), keys) for f in fams]
        print(f"{name:36s} {ins}   held out: " + "  ".join(f"{f} {l}/{o}" for f, (l, o) in zip(fams, held)))


if __name__ == "__main__":
    main()
