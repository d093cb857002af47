#!/usr/bin/env python3
"""Check (session 32): where the cross-correlation of each real recording and its reverberant
copy (scripts/make_reverb.py) peaks, over their first 20 s. The copies put the direct sound
at lag 0 by construction (the impulse response's first sample); this shows it in the audio.

    python3 docs/experiments/session-32/reverb_lag.py
"""
import glob
import os
import sys

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../..")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from make_reverb import read_wav  # noqa: E402

off = 0
copies = sorted(glob.glob(os.path.join(ROOT, "eval-out/reverb/*/")))
for d in copies:
    name = os.path.basename(d.rstrip("/")).split("-", 1)[1]
    a, rate = read_wav(os.path.join(ROOT, "eval-out/real", name, "audio.wav"))
    b, _ = read_wav(os.path.join(d, "audio.wav"))
    a, b = a[: rate * 20], b[: rate * 20]
    size = 1 << (2 * len(a) - 1).bit_length()
    c = np.fft.irfft(np.fft.rfft(b, size) * np.conj(np.fft.rfft(a, size)), size)
    lag = int(np.argmax(c))
    lag = lag if lag < size // 2 else lag - size
    if lag:
        off += 1
        print(f"{os.path.basename(d.rstrip('/'))}: peak at {1000 * lag / rate:+.1f} ms")
print(f"{len(copies)} copies, {len(copies) - off} peak at lag 0")
