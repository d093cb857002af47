#!/usr/bin/env python3
"""Session 21: are Debian's drascula-italian speech clips Italian voices? Compares each clip's
size with the English and Spanish clips of the same name, and the speakers' median pitch in
the scenes built from them. From the repository root:

    python3 docs/experiments/session-21/italian_clips.py DEBS_DIR

DEBS_DIR holds drascula, drascula-spanish and drascula-italian 1.0+ds4-2 (.deb); the scenes
come from scripts/make_game_dialogue.py (eval-out/real) and its --mismatched (eval-out/mismatch).
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

DATA = "usr/share/scummvm/drascula"


def median_f0(wav, spans):
    """Median pitch (autocorrelation over 40 ms frames, 60-400 Hz) of the voiced frames."""
    raw = subprocess.run(["sox", wav, "-t", "raw", "-e", "float", "-b", "32", "-r", "16000", "-c", "1", "-"],
                         capture_output=True, check=True).stdout
    x = np.frombuffer(raw, np.float32)
    out = []
    for s, e in spans:
        seg = x[int(s * 16000):int(e * 16000)]
        for i in range(0, len(seg) - 640, 320):
            fr = seg[i:i + 640] - seg[i:i + 640].mean()
            if np.sqrt((fr ** 2).mean()) < 0.03:
                continue
            ac = np.correlate(fr, fr, "full")[639:]
            k = 40 + int(np.argmax(ac[40:266]))
            if ac[k] > 0.5 * ac[0]:
                out.append(16000 / k)
    return round(float(np.median(out))) if out else None


def main():
    debs = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        for p in ("drascula", "drascula-spanish", "drascula-italian"):
            subprocess.run(["dpkg-deb", "-x", os.path.join(debs, f"{p}_1.0+ds4-2_all.deb"), tmp], check=True)
        d = {lang: os.path.join(tmp, DATA, lang) for lang in ("en", "es", "it")}
        real = lambda lang, f: os.path.isfile(os.path.join(d[lang], f)) and not os.path.islink(os.path.join(d[lang], f))
        names = [f for f in os.listdir(d["it"]) if f.endswith(".ALS") and all(real(x, f) for x in d)]
        size = lambda lang, f: os.path.getsize(os.path.join(d[lang], f))
        for other in ("en", "es"):
            r = np.array([size("it", f) / size(other, f) for f in names])
            print(f"it/{other}: {len(names)} clips, size ratio median {np.median(r):.3f}, "
                  f"within 2 %: {100 * np.mean(np.abs(r - 1) < 0.02):.0f} %")
    for scene in ("real/drascula-en-ch1", "real/drascula-es-ch1", "mismatch/drascula-it-ch1"):
        t = json.load(open(f"eval-out/{scene}/truth.json"))
        who = sorted({x["speaker_raw"] for x in t["turns"]})
        f0 = {w: median_f0(f"eval-out/{scene}/audio.wav",
                           [(x["start"], x["end"]) for x in t["turns"] if x["speaker_raw"] == w and x["transcribed"]])
              for w in who}
        print(scene, "median F0 (Hz):", f0)


if __name__ == "__main__":
    main()
