#!/usr/bin/env python3
"""Session 35: three ways to take a room's echo off the ends of turns their words did not
place, tried offline on an evaluation run's outputs before any Rust was written.

    python3 docs/experiments/session-35/trim_prototypes.py OUT MODE [--lattice-ends-only] [PREFIX ...]

OUT is an `scripts/eval_set.py --compare --out OUT` directory (default and `--no-reference`
JSON per recording); PREFIX selects recordings (default: reverb_room reverb_hall real).
For each turn without words (untranscribed, or its words not heard) that has truth, prints
its end's error before and after, and per prefix how many of those ends are within 0.25 s.

MODE:
  bias   the end moves back by the recording's median of (lattice end - last word's end)
         over its heard turns (those within 1 s of each other);
  first  the end moves to the first frame after the turn's last peak (the second before its
         end) where the level is more than X dB under that peak; X is the recording's median
         of the same fall at heard turns' ends that a pause of 0.3 s follows;
  last   the end moves to just after the last frame within X dB of that peak (what was built).
The level: 10*log10 of the mean square of 25-ms frames every 10 ms of the WAV.
--lattice-ends-only: only ends the default output kept from the lattice (equal to the
`--no-reference` end within 15 ms).
"""
import glob, json, os, statistics, sys, wave

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "eval-out")


def energy(path):
    w = wave.open(path)
    sr = w.getframerate()
    x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float64)
    hop, win = sr // 100, int(sr * 0.025)
    n = (len(x) - win) // hop
    idx = np.arange(win)[None, :] + hop * np.arange(n)[:, None]
    return 10 * np.log10((x[idx] ** 2).mean(axis=1) + 1.0)


def fall_at(e, end):
    a, b = max(0, int((end - 1.0) * 100)), min(len(e), int(end * 100))
    return None if b <= a else e[a:b].max() - e[b - 1]


def cut(e, end, x, mode):
    b = min(len(e), int(end * 100))
    a = max(0, b - 100)
    seg = e[a:b]
    if len(seg) == 0:
        return end
    k = int(seg.argmax())
    p = seg[k]
    if mode == "first":
        for j in range(k, len(seg)):
            if seg[j] < p - x:
                return (a + j) / 100
        return end
    for j in range(len(seg) - 1, k - 1, -1):
        if seg[j] >= p - x:
            return (a + j + 1) / 100
    return end


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    lattice_only = "--lattice-ends-only" in sys.argv
    out, mode, prefixes = args[0], args[1], args[2:] or ["reverb_room", "reverb_hall", "real"]
    for pre in prefixes:
        total = ok_before = ok_after = 0
        for f in sorted(glob.glob(os.path.join(out, f"default--{pre}*.json"))):
            name = os.path.basename(f)[len("default--"):-5]
            fam, rec = name.split("_", 1)
            truth = os.path.join(ROOT, fam, rec, "truth.json")
            lat_path = os.path.join(out, f"__no_reference--{name}.json")
            if not os.path.exists(truth) or not os.path.exists(lat_path):
                continue
            by = {t["line"]: t for t in json.load(open(truth))["turns"] if t.get("start") is not None}
            lat = {t["line"]: t for t in json.load(open(lat_path))["turns"]}
            turns = json.load(open(f))["turns"]
            e = energy(os.path.join(ROOT, fam, rec, "audio.wav"))
            falls, runs_on = [], []
            for k, t in enumerate(turns):
                if not t.get("words"):
                    continue
                word_end = max(w["end"] for w in t["words"])
                l = lat.get(t["line"])
                if l and abs(l["end"] - word_end) < 1.0:
                    runs_on.append(l["end"] - word_end)
                gap = turns[k + 1]["start"] - t["end"] if k + 1 < len(turns) else 9
                x = fall_at(e, t["end"]) if gap >= 0.3 else None
                if x is not None:
                    falls.append(x)
            bias = statistics.median(runs_on) if runs_on else 0.0
            x = statistics.median(falls) if falls else 20.0
            errs = []
            for t in turns:
                tr = by.get(t["line"])
                if not tr or t.get("words"):
                    continue
                new = t["end"]
                if not lattice_only or abs(lat[t["line"]]["end"] - t["end"]) < 0.015:
                    new = t["end"] - max(0.0, bias) if mode == "bias" else cut(e, t["end"], x, mode)
                before, after = t["end"] - tr["end"], new - tr["end"]
                errs.append(f"L{t['line']} {before:+.2f}->{after:+.2f}")
                total += 1
                ok_before += abs(before) <= 0.25
                ok_after += abs(after) <= 0.25
            if errs:
                print(f"{name:38} run-on {bias:+.2f} s, fall {x:4.1f} dB: {', '.join(errs)}")
        print(f"== {pre}: ends of turns without words within 0.25 s: {ok_before}/{total} -> {ok_after}/{total}\n")


if __name__ == "__main__":
    main()
