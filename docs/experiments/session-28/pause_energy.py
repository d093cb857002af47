#!/usr/bin/env python3
"""Session 28: is there acoustic evidence inside the short pauses the aligner inserts?

For every recording with word truth, reads the `--words --phones` output in DIR (written by
docs/experiments/session-27/first_phone_duration_sim.py) and the recording itself (decoded
by ffmpeg to 16 kHz mono). For each pause the aligner left between two words of a turn it
takes each 10 ms frame's log energy over the recording's noise floor (the 10th percentile of
all frames' log energy) and prints, per recording, its deciles for frames the truth puts
inside a word and for frames the truth leaves in a pause. Then it tries the rule "the next
word takes the frames at the pause's end whose energy is at least DELTA over the floor" and
prints word starts within 50 ms for each DELTA.

    python3 docs/experiments/session-28/pause_energy.py DIR
"""
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, "scripts")
import eval_set  # noqa: E402

RATE = 16000
HOP = 160
WIN = 400


def log_energy(path, band=None):
    pcm = subprocess.run(["ffmpeg", "-v", "quiet", "-i", path, "-ac", "1", "-ar", str(RATE), "-f", "f32le", "-"],
                         capture_output=True, check=True).stdout
    x = np.frombuffer(pcm, dtype=np.float32).astype(np.float64)
    n = max(0, (len(x) - WIN) // HOP + 1)
    idx = np.arange(WIN)[None, :] + HOP * np.arange(n)[:, None]
    frames = x[idx] * np.hamming(WIN)
    spec = np.abs(np.fft.rfft(frames, 512)) ** 2
    if band:
        lo, hi = (int(f * 512 / RATE) for f in band)
        spec = spec[:, lo:hi]
    return np.log(spec.sum(axis=1) + 1e-10)


def pairs(a, truth):
    for line, want in truth.items():
        turns = [t for t in a["turns"] if line is None or t["line"] == line]
        got = [w for t in turns for w in (t.get("words") or [])]
        prev_of = {}
        for t in turns:
            ws = t.get("words") or []
            for i, w in enumerate(ws):
                prev_of[id(w)] = ws[i - 1] if i > 0 else None
        truth_prev = None
        for w, tr in eval_set.pair(got, want):
            yield w, tr, (prev_of.get(id(w)) if w else None), truth_prev
            truth_prev = tr


def main():
    out_dir = sys.argv[1]
    band = None
    if len(sys.argv) > 2:
        band = tuple(float(v) for v in sys.argv[2].split("-"))
    deltas = [None, 1.0, 1.5, 2.0, 3.0, 4.0]
    for rec in eval_set.recordings():
        tw = eval_set.truth_words(rec["t"])
        if not tw:
            continue
        a = json.load(open(os.path.join(out_dir, rec["name"].replace(":", "_") + ".json")))
        e = log_energy(rec["audio"], band)
        floor = np.percentile(e, 10)
        inside, outside = [], []
        hits = {d: 0 for d in deltas}
        total = 0
        for w, tr, prev, tprev in pairs(a, tw):
            if w is None:
                continue
            total += 1
            starts = {}
            for d in deltas:
                starts[d] = w["start"]
            if prev is not None and w["start"] - prev["end"] > 1e-9:
                f0, f1 = int(round(prev["end"] * 100)), int(round(w["start"] * 100))
                for f in range(f0, min(f1, len(e))):
                    t = f / 100 + 0.005
                    in_word = t >= tr["start"] or (tprev is not None and t < tprev["end"])
                    (inside if in_word else outside).append(e[f] - floor)
                for d in deltas[1:]:
                    f = f1
                    while f > f0 and f - 1 < len(e) and e[f - 1] - floor >= d:
                        f -= 1
                    starts[d] = f / 100
            for d in deltas:
                hits[d] += abs(starts[d] - tr["start"]) <= 0.05
        q = lambda v: " ".join(f"{x:5.1f}" for x in np.percentile(v, [10, 25, 50, 75, 90])) if v else "-"
        print(f"{rec['name']:28s} pause frames in a word {len(inside):5d}: {q(inside)} | in a pause {len(outside):5d}: {q(outside)}")
        print(f"{'':28s} within 50 ms: " + "  ".join(f"{'today' if d is None else d}: {100 * hits[d] / total:.1f}" for d in deltas))


if __name__ == "__main__":
    main()
