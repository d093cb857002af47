#!/usr/bin/env python3
"""Runs a build with debug_edges.patch applied (TALIGN_DBG=1) on every evaluation recording
with turn truth, keeping its JSON and its stderr (the placements before the chunk-edge rules,
`PL`, and the aligner's chunks, `CH`), for sim.py and groups.py.

    python3 docs/experiments/session-19/collect.py BIN OUT [--words]
"""
import json, os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
sys.path.insert(0, "scripts")
import eval_set

B, OUT = sys.argv[1], sys.argv[2]
words = ["--words"] if "--words" in sys.argv[3:] else []
os.makedirs(OUT, exist_ok=True)
recs = [r for r in eval_set.recordings() if eval_set.has_turn_truth(r["t"])]


def run(r):
    n = r["name"].replace(":", "_")
    with open(f"{OUT}/{n}.err", "w") as ef:
        subprocess.run([B, "align", "-q", *words, r["audio"], r["transcript"], "-o", f"{OUT}/{n}.json"],
                       stderr=ef, env={**os.environ, "TALIGN_DBG": "1"}, check=True)
    return n


with ThreadPoolExecutor(2) as ex:
    for n in ex.map(run, recs):
        print(n, flush=True)
json.dump([{"name": r["name"].replace(":", "_"), "family": r["family"], "truth": r["truth"]} for r in recs],
          open(f"{OUT}/index.json", "w"))
