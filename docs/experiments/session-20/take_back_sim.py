#!/usr/bin/env python3
"""Simulates, offline, the rule of crates/core/src/align/unclaimed.rs that lets a heard turn
take back the speech left unclaimed beside it (docs/accuracy.md, session 20).

BIN: a build of f0a8c5b with dump_chunk_voices.patch applied (prints each chunk's frames and
mean cepstrum with TALIGN_DBG_CHUNKS=1); EVAL: an `eval_set.py --compare` folder of the same
code, whose `--no-reference` outputs stand in for the lattice's placements.

    python3 docs/experiments/session-20/take_back_sim.py BIN DIR EVAL [--ratio 0.85] [--anywhere]

Per candidate edge (a heard turn with at least 0.3 s of speech between it and its
neighbour, whose lattice edge lies more than 0.3 s further out), prints the neighbour's and
its own speaker, the distance of the unclaimed speech's voice from each speaker's other
turns (per-coefficient spread over the recording's chunks as the unit), their ratio, the
edge's error now and if moved, and whether the rule moves it (ratio at most --ratio, both
speakers heard for at least 1 s elsewhere). `--anywhere` drops the lattice's condition: all
the speech between the turn and its neighbour is a candidate, wherever the lattice put it.
"""
import json
import math
import os
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, "scripts")
import eval_set  # noqa: E402

MIN_S, LEAD_S, MIN_MODEL_S = 0.3, 0.3, 1.0


def run(bin_, d, r):
    n = r["name"].replace(":", "_")
    if not os.path.exists(f"{d}/{n}.err"):
        with open(f"{d}/{n}.err", "w") as ef:
            subprocess.run([bin_, "align", "-q", "--words", r["audio"], r["transcript"], "-o", f"{d}/{n}.json"],
                           stderr=ef, env={**os.environ, "TALIGN_DBG_CHUNKS": "1"}, check=True)
    return n


def main():
    bin_, d, ev = sys.argv[1:4]
    ratio = float(sys.argv[sys.argv.index("--ratio") + 1]) if "--ratio" in sys.argv else 0.85
    anywhere = "--anywhere" in sys.argv
    os.makedirs(d, exist_ok=True)
    recs = [r for r in eval_set.recordings() if eval_set.has_turn_truth(r["t"])]
    with ThreadPoolExecutor(2) as ex:
        list(ex.map(lambda r: run(bin_, d, r), recs))
    better = worse = 0
    for r in recs:
        n = r["name"].replace(":", "_")
        turns = json.load(open(f"{d}/{n}.json"))["turns"]
        lattice = {t["line"]: t for t in json.load(open(f"{ev}/__no_reference--{n}.json"))["turns"]}
        truth = {t["line"]: t for t in r["t"]["turns"] if t.get("start") is not None}
        chunks = []
        for line in open(f"{d}/{n}.err"):
            if line.startswith("CHM "):
                p = line.split()
                chunks.append((int(p[1]) / 100, int(p[2]) / 100, [float(x) for x in p[5].split(",")]))
        dims = len(chunks[0][2])
        spread = [statistics.pstdev([c[2][k] for c in chunks]) or 1.0 for k in range(dims)]

        def mean(spans):
            w, m = 0.0, [0.0] * dims
            for s, e, mu in chunks:
                for a, b in spans:
                    o = max(0.0, min(e, b) - max(s, a))
                    if o > 0:
                        w += o
                        m = [x + o * y for x, y in zip(m, mu)]
            return ([x / w for x in m], w) if w else (None, 0.0)

        def speaker_voice(k):
            v, w = mean([(t["start"], t["end"]) for j, t in enumerate(turns)
                         if j != k and t.get("speaker") == turns[k].get("speaker")])
            return v if w >= MIN_MODEL_S else None

        def dist(a, b):
            return math.sqrt(sum(((a[k] - b[k]) / spread[k]) ** 2 for k in range(dims)))

        def speech(a, b):
            return sum(max(0.0, min(e, b) - max(s, a)) for s, e, _ in chunks) if b > a else 0.0

        for k, t in enumerate(turns):
            if "fit" not in t or t["line"] not in truth:
                continue
            la, tr = lattice[t["line"]], truth[t["line"]]
            edges = []
            if k > 0 and speech(turns[k - 1]["end"], t["start"]) >= MIN_S and (anywhere or la["start"] < t["start"] - LEAD_S):
                lo = turns[k - 1]["end"] if anywhere else max(turns[k - 1]["end"], la["start"])
                new = [max(s, lo) for s, e, _ in chunks if e > lo and s < t["start"]]
                edges.append(("start", k - 1, (lo, t["start"]), new[0] if new else None))
            if k + 1 < len(turns) and speech(t["end"], turns[k + 1]["start"]) >= MIN_S and (anywhere or la["end"] > t["end"] + LEAD_S):
                hi = turns[k + 1]["start"] if anywhere else min(turns[k + 1]["start"], la["end"])
                new = [min(e, hi) for s, e, _ in chunks if s < hi and e > t["end"]]
                edges.append(("end", k + 1, (t["end"], hi), new[-1] if new else None))
            for edge, other, span, new in edges:
                if new is None:
                    continue
                left, _ = mean([span])
                own, nb = speaker_voice(k), speaker_voice(other)
                same = turns[other].get("speaker") == t.get("speaker")
                q = dist(left, own) / dist(left, nb) if (left and own and nb and not same) else None
                moves = q is not None and q <= ratio
                before, after = abs(t[edge] - tr[edge]), abs(new - tr[edge])
                if moves:
                    better += after < before
                    worse += after > before
                print(f"{n:32s} line {t['line']:4d} {edge:5s} neighbour {turns[other].get('speaker')!s:22.22s} own "
                      f"{t.get('speaker')!s:22.22s} ratio {'-' if q is None else f'{q:.2f}'} error {before:.2f} -> "
                      f"{after:.2f} {'MOVES' if moves else ''}")
    print(f"ratio {ratio}: {better} edges closer to the truth, {worse} further")


if __name__ == "__main__":
    main()
