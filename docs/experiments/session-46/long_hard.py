#!/usr/bin/env python3
"""Session 46: the 37-minute Festival rendition's sync cases in a hall and over a telephone
line: long matched recordings that are hard to hear (the sync's sets held none: its halls
are 1-2 minute clips).

    python3 docs/experiments/session-46/long_hard.py SYNC_WORK OUT

SYNC_WORK is a scripts/eval_sync.py --out directory (festival.wav, festival.splits.wav and
their .srt files). OUT gets hall-festival.wav and hall-festival.splits.wav (scripts/
make_reverb.py's hall: RT60 0.9 s, DRR -3 dB, its seed rule), phone-festival.wav and
phone-festival.splits.wav (scripts/make_telephone.py's line: 8 kHz G.711 mu-law, back to
16 kHz; needs ffmpeg), and copies of the .srt files under both prefixes.
"""
import os
import shutil
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../../scripts"))
from make_reverb import ROOMS, convolve, impulse_response, read_wav, write_wav  # noqa: E402
from make_telephone import ffmpeg  # noqa: E402

work, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
for name in ["festival", "festival.splits"]:
    x, rate = read_wav(os.path.join(work, f"{name}.wav"))
    rt60, drr = ROOMS["hall"]
    y = convolve(x, impulse_response(rate, rt60, drr, zlib.crc32(f"hall/{name}".encode())))
    y *= min(0.9, float(np.max(np.abs(x)))) / max(float(np.max(np.abs(y))), 1e-9)
    write_wav(os.path.join(out, f"hall-{name}.wav"), y, rate)
    narrow = os.path.join(out, f"{name}.narrow.wav")
    ffmpeg("-i", os.path.join(work, f"{name}.wav"), "-ac", "1", "-ar", "8000", "-c:a", "pcm_mulaw",
           narrow)
    ffmpeg("-i", narrow, "-ar", "16000", "-c:a", "pcm_s16le", os.path.join(out, f"phone-{name}.wav"))
    os.remove(narrow)
for srt in ["festival.offset.srt", "festival.ratio.srt", "festival.splits.srt", "festival.truth.srt"]:
    for room in ["hall", "phone"]:
        shutil.copyfile(os.path.join(work, srt), os.path.join(out, f"{room}-{srt}"))
