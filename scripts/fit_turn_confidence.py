#!/usr/bin/env python3
"""Fits the turns' confidence: one logistic model of "start and end both within 0.5 s of the
truth" over every turn of every evaluation recording (all voice families at once; never one),
with the lattice's posterior, whether the acoustic model placed the turn by its words, their
fit (goodness of pronunciation), how far they moved it from the lattice's place, and whether
the turn is untranscribed (and, since session 40, the share of its heard words' span that lies
between them: `--extra pause_share`). Prints the weights for `TURN` in
crates/core/src/align/heard.rs, the log loss, and the share of turns off by more than 1 s that
sit in their recording's lowest-confidence decile: in-sample, leaving each recording out of
the fit in turn, and leaving each recording out with its copies.

The shipped weights (session 40), the reverberant copies aligned too and the words kept:

    cargo build --profile ci --example tune_heard
    docs/experiments/session-40/confidence_words.sh TARGET/ci/examples/tune_heard RAW LATTICE
    python3 scripts/fit_turn_confidence.py RAW LATTICE --with-copies --extra pause_share

Before, the set alone:

    TUNE_ALL=1 scripts/tune_heard.sh RAW raw_confidence=1     # posterior as confidence
    TUNE_ALL=1 scripts/tune_heard.sh LATTICE listener=lattice # the lattice's own places
    python3 scripts/fit_turn_confidence.py RAW LATTICE
    python3 scripts/fit_turn_confidence.py RAW LATTICE --extra pins   # one more feature, tried
    python3 scripts/fit_turn_confidence.py RAW LATTICE --with-copies  # the copies fitted on too

The copies of recordings (typos, reverberant rooms: `eval_set.is_copy`) found in RAW are not
fitted on unless `--with-copies`; the share of their off turns in the lowest decile is
printed with the weights.

`--extra` adds one feature for untranscribed turns, to see whether it ranks misplaced ones
lower: `pins` (how many of its neighbours were not placed by their words), `dur` (ln(1 +
its length)), `gap` (ln(1 + the pauses to its neighbours)), `lattice` (ln(1 + how far its
edges moved from the lattice's, i.e. how much heard neighbours cut it)); or for every turn:
`start_moved` (ln(1 + how far a turn placed by its words started from the lattice's start;
the lattice's ends take a room's echo, its starts less), `pause_share` (the share of its
heard words' span that lies between the words; RAW made with `words=1`), `word_gap` (ln(1 +
the longest pause between its heard words)), `prev_pause_share` / `near_pause_share` (the
previous turn's pause share / the larger of its neighbours'), `touch` (1 where it meets a
neighbour with less than `TOUCH_S` seconds between them, 0.05 by default: a boundary
between speakers put inside speech), `edge` (1 minus the lower speech
score of the detector's regions at its start and end: `VAD_DIR=DIR`, with `talign vad AUDIO
-o DIR/NAME.json` per recording) and `edge_unheard` (the same for turns not placed by their
words, 0 for the rest).
"""
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# A turn placed by a weaker fit than this counts as not placed by its words
# (`HeardConfig::weak_goodness`: its confidence is the lattice's).
WEAK_GOODNESS = -4.0

# Turns closer than this to a neighbour touch it (`touch`).
TOUCH_S = float(os.environ.get("TOUCH_S", "0.05"))


def extra_feature(name, k, turns, lattice_turn):
    """The `--extra` feature of turn `k` (0 for transcribed turns, except `touch` and
    `start_moved`)."""
    t = turns[k]
    if name in ("pause_share", "word_gap"):
        # Needs the words in RAW (`words=1`): a turn placed by words heard with long pauses
        # between them, in a room, often had them stretched over its neighbour's speech.
        heard = "fit" in t and t["fit"] >= WEAK_GOODNESS
        words = t.get("words") or []
        if not heard or len(words) < 2:
            return 0.0
        if name == "word_gap":
            return math.log1p(max(max(b["start"] - a["end"], 0.0) for a, b in zip(words, words[1:])))
        span = words[-1]["end"] - words[0]["start"]
        return 1.0 - sum(w["end"] - w["start"] for w in words) / span if span > 0 else 0.0
    if name in ("prev_pause_share", "near_pause_share"):
        # The neighbours' pause share: a turn whose words ran over this one moved it too.
        prev = extra_feature("pause_share", k - 1, turns, None) if k > 0 else 0.0
        if name == "prev_pause_share":
            return prev
        return max(prev, extra_feature("pause_share", k + 1, turns, None) if k + 1 < len(turns) else 0.0)
    if name == "start_moved":
        heard = "fit" in t and t["fit"] >= WEAK_GOODNESS
        return math.log1p(abs(t["start"] - lattice_turn["start"])) if heard else 0.0
    prev = turns[k - 1] if k > 0 else None
    nxt = turns[k + 1] if k + 1 < len(turns) else None
    if name == "touch":
        return 1.0 if touching(t, prev, nxt) else 0.0
    if name in ("edge", "edge_unheard"):
        if name == "edge_unheard" and "fit" in t:
            return 0.0
        # An unheard turn keeps the lattice's place when its confidence is set.
        return 1.0 - edge_score(t if "fit" in t else lattice_turn)
    if t["transcribed"]:
        return 0.0
    if name == "pins":
        return sum(1.0 for n in (prev, nxt) if n is not None and "fit" not in n)
    if name == "dur":
        return math.log1p(t["end"] - t["start"])
    if name == "gap":
        return math.log1p(max(t["start"] - prev["end"], 0.0) if prev else 0.0) + \
            math.log1p(max(nxt["start"] - t["end"], 0.0) if nxt else 0.0)
    if name == "lattice":
        return math.log1p(max(abs(t["start"] - lattice_turn["start"]), abs(t["end"] - lattice_turn["end"])))
    raise SystemExit(f"--extra {name}: one or more (comma-separated) of pins, dur, gap, lattice, "
                     "touch, edge, edge_unheard, pause_share, word_gap, prev_pause_share, "
                     "near_pause_share")


# `edge`: the speech detector's regions of the recording being read (`talign vad -o
# $VAD_DIR/NAME.json`), set per recording by `main`.
VAD_REGIONS = []


def edge_score(t):
    """The lower speech score of the regions holding the turn's start and its end (the nearest
    region where an edge sits in a pause)."""
    def at(x):
        if not VAD_REGIONS:
            return 1.0
        inside = [r for r in VAD_REGIONS if r["start"] <= x <= r["end"]]
        near = inside or [min(VAD_REGIONS, key=lambda r: min(abs(r["start"] - x), abs(r["end"] - x)))]
        return near[0]["score"]
    return min(at(t["start"]), at(t["end"] - 0.01))


def touching(t, prev, nxt, within=TOUCH_S):
    """Whether the turn meets a neighbour with no pause between them."""
    return (prev is not None and t["start"] - prev["end"] < within) or \
        (nxt is not None and nxt["start"] - t["end"] < within)


def rows(truth_path, raw_path, lattice_path, extra=None):
    """(features, within 0.5 s, off by more than 1 s) per turn with truth."""
    truth = {t["line"]: t for t in json.load(open(truth_path))["turns"] if t.get("start") is not None}
    lattice = {t["line"]: t for t in json.load(open(lattice_path))["turns"]}
    turns = json.load(open(raw_path))["turns"]
    for k, t in enumerate(turns):
        tr, la = truth.get(t["line"]), lattice.get(t["line"])
        if tr is None or la is None:
            continue
        err = max(abs(t["start"] - tr["start"]), abs(t["end"] - tr["end"]))
        heard = "fit" in t and t["fit"] >= WEAK_GOODNESS
        moved = max(abs(t["start"] - la["start"]), abs(t["end"] - la["end"])) if heard else 0.0
        x = (1.0, t["confidence"], float(heard), t["fit"] if heard else 0.0, math.log1p(moved),
             0.0 if t["transcribed"] else 1.0)
        if extra:
            x += tuple(extra_feature(e, k, turns, la) for e in extra.split(","))
        yield x, 1.0 if err <= 0.5 else 0.0, err > 1.0


def solve(a, b):
    """Gaussian elimination: a x = b."""
    n = len(b)
    m = [row[:] + [bi] for row, bi in zip(a, b)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[piv] = m[piv], m[c]
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] for i in range(n)]


def fit(xs, ys, steps=30, ridge=1e-3):
    """Logistic regression by Newton's method (a little ridge for stability)."""
    k = len(xs[0])
    w = [0.0] * k
    sig = lambda x: 1 / (1 + math.exp(-max(-30.0, min(30.0, sum(a * b for a, b in zip(w, x))))))
    for _ in range(steps):
        g = [ridge * wi for wi in w]
        h = [[ridge if i == j else 0.0 for j in range(k)] for i in range(k)]
        for x, y in zip(xs, ys):
            p = sig(x)
            for i in range(k):
                g[i] += (p - y) * x[i]
                for j in range(k):
                    h[i][j] += p * (1 - p) * x[i] * x[j]
        step = solve(h, g)
        w = [wi - si for wi, si in zip(w, step)]
    loss = -sum(y * math.log(max(1e-9, sig(x))) + (1 - y) * math.log(max(1e-9, 1 - sig(x)))
                for x, y in zip(xs, ys)) / len(xs)
    return w, loss


def score(w, x):
    return sum(a * b for a, b in zip(w, x))


def decile_share(w, recordings):
    """(off turns in their recording's lowest decile, off turns)."""
    low = off = 0
    for items in recordings:
        n = math.ceil(len(items) / 10)
        lowest = sorted(items, key=lambda r: score(w, r[0]))[:n]
        low += sum(1 for r in lowest if r[2])
        off += sum(1 for r in items if r[2])
    return low, off


def source_of(name):
    """The recording a copy was made from: `reverb:hall-X`, `typos:X` and `real:X` are X's."""
    tail = name.split(":", 1)[-1]
    for room in ("hall-", "room-"):
        if name.startswith("reverb:") and tail.startswith(room):
            return tail[len(room):]
    return tail


def main():
    import eval_set

    raw_dir, lattice_dir = sys.argv[1:3]
    extra = sys.argv[sys.argv.index("--extra") + 1] if "--extra" in sys.argv else None
    copies = {}
    recordings = {}
    for r in eval_set.recordings():
        raw, lat = (os.path.join(d, r["name"] + ".json") for d in (raw_dir, lattice_dir))
        if os.path.exists(raw) and os.path.exists(lat) and eval_set.has_turn_truth(r["t"]):
            vad = os.path.join(os.environ.get("VAD_DIR", ""), r["name"] + ".json")
            VAD_REGIONS[:] = json.load(open(vad))["regions"] if os.path.exists(vad) else []
            into = copies if eval_set.is_copy(r["family"]) else recordings
            into[r["name"]] = list(rows(r["truth"], raw, lat, extra))
    # The copies (typos, rooms) are scored with the weights, and fitted on only with
    # `--with-copies`: a copy left out of the fit still has its source and siblings in it.
    if "--with-copies" in sys.argv:
        recordings.update(copies)
        copies = {}
    pooled = [row for items in recordings.values() for row in items]
    w, loss = fit([x for x, _, _ in pooled], [y for _, y, _ in pooled])
    print(f"{len(recordings)} recordings, {len(pooled)} turns ({sum(y for _, y, _ in pooled):.0f} within 0.5 s), "
          f"log loss {loss:.3f}")
    print("TURN = [" + ", ".join(f"{x:.3f}" for x in w) + "]  # intercept, posterior, placed, fit, "
          "ln(1+moved s), untranscribed" + (f", {extra}" if extra else ""))
    low, off = decile_share(w, recordings.values())
    print(f"in sample: {low} of {off} turns off > 1 s in their recording's lowest decile")
    low = 0
    for name, items in recordings.items():
        rest = [row for other, its in recordings.items() if other != name for row in its]
        wo, _ = fit([x for x, _, _ in rest], [y for _, y, _ in rest])
        low += decile_share(wo, [items])[0]
    print(f"each recording left out of the fit: {low} of {off}")
    # A recording and its copies (typos, rooms) left out together: none of them is heard by
    # the fit through a sibling.
    sources = {}
    for name in recordings:
        sources.setdefault(source_of(name), []).append(name)
    low = 0
    for source, names in sources.items():
        rest = [row for other, its in recordings.items() if other not in names for row in its]
        wo, _ = fit([x for x, _, _ in rest], [y for _, y, _ in rest])
        low += decile_share(wo, [recordings[n] for n in names])[0]
    print(f"each source left out with its copies ({len(sources)} sources): {low} of {off}")
    if copies:
        low, off = decile_share(w, copies.values())
        print(f"the copies ({len(copies)}), with these weights: {low} of {off}")


if __name__ == "__main__":
    main()
