#!/usr/bin/env python3
"""Experiment (session 32): late-reverberation spectral subtraction (Lebart et al. 2001) on the
reverberant copies, with each room's true RT60 given (an oracle: talign would have to
estimate it blindly), to see how much a dereverberating front end could give back.

    python3 docs/experiments/session-32/late_reverb_subtraction.py SRC DST
    # env: BETA (1.0), TD seconds (0.05), FLOOR (0.1)

SRC is eval-out/reverb (scripts/make_reverb.py); DST gets the same layout. STFT of 512
samples, hop 128, Hann window; the late reverberation's power at frame t is the power at
t - TD decayed by exp(-2·δ·TD), δ = 3 ln 10 / RT60; the gain is sqrt(max(1 - BETA·late/power,
FLOOR)); overlap-add back, scaled to the source's peak.
"""
import json
import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../scripts"))
from make_reverb import ROOMS, read_wav, write_wav  # noqa: E402


def subtract_late(x, rate, rt60, td, beta, floor):
    n, hop = 512, 128
    win = np.hanning(n + 1)[:-1]
    pad = np.concatenate([np.zeros(n), x, np.zeros(n)])
    frames = (len(pad) - n) // hop + 1
    idx = np.arange(n)[None, :] + hop * np.arange(frames)[:, None]
    spec = np.fft.rfft(pad[idx] * win, axis=1)
    power = np.abs(spec) ** 2
    d = int(round(td * rate / hop))
    late = np.zeros_like(power)
    late[d:] = np.exp(-2 * (3 * np.log(10) / rt60) * td) * power[:-d]
    gain = np.sqrt(np.maximum(1 - beta * late / np.maximum(power, 1e-20), floor))
    out_frames = np.fft.irfft(spec * gain, n, axis=1) * win
    out, norm = np.zeros(len(pad)), np.zeros(len(pad))
    for i in range(frames):
        out[i * hop:i * hop + n] += out_frames[i]
        norm[i * hop:i * hop + n] += win**2
    return (out / np.maximum(norm, 1e-9))[n:n + len(x)]


def main():
    src, dst = sys.argv[1], sys.argv[2]
    beta = float(os.environ.get("BETA", "1"))
    td = float(os.environ.get("TD", "0.05"))
    floor = float(os.environ.get("FLOOR", "0.1"))
    for name in sorted(os.listdir(src)):
        rt60 = ROOMS[name.split("-")[0]][0]
        d, o = os.path.join(src, name), os.path.join(dst, name)
        os.makedirs(o, exist_ok=True)
        x, rate = read_wav(os.path.join(d, "audio.wav"))
        y = subtract_late(x, rate, rt60, td, beta, floor)
        y *= np.max(np.abs(x)) / max(np.max(np.abs(y)), 1e-9)
        write_wav(os.path.join(o, "audio.wav"), y, rate)
        for f in ("transcript.txt", "truth.json"):
            shutil.copyfile(os.path.join(d, f), os.path.join(o, f))
    json.dump({"beta": beta, "td": td, "floor": floor}, open(os.path.join(dst, "settings.json"), "w"))


if __name__ == "__main__":
    main()
