"""Session 40: does dereverberation undo the hall's word drift? Weighted prediction error
(WPE, Nakatani et al. 2010; the `nara_wpe` package from PyPI, offline, not in talign) applied
to a stretch of a recording, written as 16 kHz WAV for `examples/force_align`.

    pip install nara_wpe scipy soundfile
    python3 docs/experiments/session-40/wpe_window.py IN.wav OUT.wav [TAPS DELAY ITERATIONS]
"""
import sys

import numpy as np
import soundfile as sf
from nara_wpe.utils import istft, stft
from nara_wpe.wpe import wpe


def main():
    src, dst = sys.argv[1:3]
    taps, delay, iterations = (int(v) for v in (sys.argv[3:6] if len(sys.argv) > 5 else (10, 3, 3)))
    x, rate = sf.read(src, dtype="float64")
    if x.ndim > 1:
        x = x.mean(axis=1)
    size, shift = 512, 128
    y = stft(x[np.newaxis, :], size=size, shift=shift)  # (channels, frames, bins)
    z = wpe(y.transpose(2, 0, 1), taps=taps, delay=delay, iterations=iterations, statistics_mode="full")
    out = istft(z.transpose(1, 2, 0), size=size, shift=shift)[0][: len(x)]
    out *= 0.9 / max(1e-9, np.abs(out).max())
    sf.write(dst, out, rate, subtype="PCM_16")


if __name__ == "__main__":
    main()
