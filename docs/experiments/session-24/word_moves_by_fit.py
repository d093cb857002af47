"""Word starts that moved by more than 30 ms between two eval_set.py output dirs (default mode),
by the turn's fit in the first, and the mean shift of the turns' and words' fits.
Usage: python3 word_moves_by_fit.py BASE_DIR NEW_DIR"""
import collections, glob, json, os, statistics, sys

base, new = sys.argv[1], sys.argv[2]
buckets = collections.defaultdict(lambda: [0, 0, 0])  # turns, words, moved
turn_shift, word_shift = [], []
for f in sorted(glob.glob(os.path.join(new, "default--*.json"))):
    g = os.path.join(base, os.path.basename(f))
    if not os.path.exists(g):
        continue
    a, b = json.load(open(g)), json.load(open(f))
    for ta, tb in zip(a["turns"], b["turns"]):
        if ta.get("fit") is not None and tb.get("fit") is not None:
            turn_shift.append(tb["fit"] - ta["fit"])
        for x, y in zip(ta.get("words") or [], tb.get("words") or []):
            if x.get("fit") is not None and y.get("fit") is not None:
                word_shift.append(y["fit"] - x["fit"])
        fit = ta.get("fit")
        if fit is None or not ta.get("words"):
            continue
        k = max(-6.0, min(0.0, int(fit // 0.5) * 0.5))
        moved = sum(1 for x, y in zip(ta["words"], tb.get("words") or [])
                    if abs(y["start"] - x["start"]) > 0.03)
        buckets[k][0] += 1
        buckets[k][1] += len(ta["words"])
        buckets[k][2] += moved
for k in sorted(buckets):
    t, w, m = buckets[k]
    print(f"fit {k:5.1f}..{k + 0.5:5.1f}: turns {t:4d} words {w:6d} moved > 30 ms {m:4d} ({100 * m / max(w, 1):.2f} %)")
tw = sum(v[1] for v in buckets.values())
tm = sum(v[2] for v in buckets.values())
print(f"all: {tm} of {tw} words moved by more than 30 ms")
print(f"fit shift, turns: mean {statistics.mean(turn_shift):+.3f} (n {len(turn_shift)}); "
      f"words: mean {statistics.mean(word_shift):+.3f} (n {len(word_shift)})")
