#!/usr/bin/env python3
"""Experiment (session 32): weighted-prediction-error dereverberation (WPE; Nakatani et al.
2010, Yoshioka & Nakatani 2012) of the reverberant copies, blind (no RT60 given), with the
`nara_wpe` package (pip install nara_wpe), single channel.

    python3 docs/experiments/session-32/wpe_dereverb.py SRC DST
    # env: TAPS (10), DELAY (3), ITERATIONS (3)

STFT of 512 samples, hop 128 (nara_wpe's own stft/istft); the output is scaled to the
source's peak. Same layout as SRC (eval-out/reverb).
"""
import os
import shutil
import sys

import numpy as np
from nara_wpe.utils import istft, stft
from nara_wpe.wpe import wpe

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../scripts"))
from make_reverb import read_wav, write_wav  # noqa: E402


def main():
    src, dst = sys.argv[1], sys.argv[2]
    taps = int(os.environ.get("TAPS", "10"))
    delay = int(os.environ.get("DELAY", "3"))
    iterations = int(os.environ.get("ITERATIONS", "3"))
    for name in sorted(os.listdir(src)):
        d, o = os.path.join(src, name), os.path.join(dst, name)
        os.makedirs(o, exist_ok=True)
        x, rate = read_wav(os.path.join(d, "audio.wav"))
        spec = stft(x[None, :], size=512, shift=128).transpose(2, 0, 1)  # (freq, channel, frames)
        clean = wpe(spec, taps=taps, delay=delay, iterations=iterations, statistics_mode="full")
        y = istft(clean.transpose(1, 2, 0), size=512, shift=128)[0][: len(x)]
        if len(y) < len(x):
            y = np.concatenate([y, np.zeros(len(x) - len(y))])
        y *= np.max(np.abs(x)) / max(np.max(np.abs(y)), 1e-9)
        write_wav(os.path.join(o, "audio.wav"), y, rate)
        for f in ("transcript.txt", "truth.json"):
            shutil.copyfile(os.path.join(d, f), os.path.join(o, f))
        print(name, file=sys.stderr)


if __name__ == "__main__":
    main()
