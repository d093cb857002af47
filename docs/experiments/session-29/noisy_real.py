#!/usr/bin/env python3
"""Real recordings with word truth, heard in the evaluation's room noise: a held-out check for
anything tuned on Festival's 10 dB rendition (the only noisy recording with word truth).

Each real recording of the evaluation set that has word truth gets make_sample.py's room bed
(pink + brown noise and mains hum, its own seeded stream) at SNR dB below its speech level
(speech = the truth's word spans), written to OUT/NAME-snrSNR/audio.wav; every binary given
aligns it with --words (extra environment per binary as `BIN` or `VAR=VALUE,...:BIN`), and
the word starts are scored as scripts/eval_set.py scores them: within 25 / 50 / 100 ms, pooled
per binary and per recording. NOISE=white takes seeded white noise instead of the room bed
(files NAME-white-snrSNR).

    python3 docs/experiments/session-29/noisy_real.py OUT "10 5" BIN_A BIN_B ...
    NOISE=white python3 docs/experiments/session-29/noisy_real.py OUT "10 5" BIN_A BIN_B ...
"""
import json
import os
import subprocess
import sys
import wave

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import eval_set as es  # noqa: E402
import make_sample as ms  # noqa: E402


def read_wav(path):
    with wave.open(path) as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1, path
        return w.getframerate(), np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64) / 32768


def write_wav(path, sr, y):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes((np.clip(y, -1, 1) * 32767).round().astype("<i2").tobytes())


def words_of(truth):
    tw = es.truth_words(truth)
    return [w for ws in tw.values() for w in ws]


WHITE = os.environ.get("NOISE", "bed") == "white"


def noisy(rec, snr, out):
    kind = "-white" if WHITE else ""
    d = os.path.join(out, f"{rec['name'].split(':')[1]}{kind}-snr{snr:g}")
    os.makedirs(d, exist_ok=True)
    audio = os.path.join(d, "audio.wav")
    if not os.path.exists(audio):
        sr, x = read_wav(rec["audio"])
        spans = [(w["start"], w["end"]) for w in words_of(rec["t"])]
        idx = np.concatenate([np.arange(int(a * sr), min(len(x), int(b * sr))) for a, b in spans])
        srms = float(np.sqrt(np.mean(x[idx] ** 2)))
        ms.SR = sr
        rng = ms.rng_for(rec["name"], "noisy-real", snr)
        bed = rng.standard_normal(len(x)) if WHITE else ms.bed_noise(len(x), rng).astype(np.float64)
        y = x + bed * srms * 10 ** (-snr / 20)
        peak = float(np.abs(y).max())
        write_wav(audio, sr, y / peak * 0.9 if peak > 0.99 else y)
    return d, audio


def score(rec, aligned):
    return [x["d"] for x in es.score(rec, aligned)["words"]]


def main():
    out, snrs, bins = sys.argv[1], [float(s) for s in sys.argv[2].split()], sys.argv[3:]
    recs = [r for r in es.recordings() if r["family"] == "real" and es.truth_words(r["t"])]
    pooled = {b: [] for b in bins}
    for rec in recs:
        for snr in snrs:
            d, audio = noisy(rec, snr, out)
            cells = []
            for b in bins:
                env, exe = dict(os.environ), b
                if ":" in b:
                    sets, exe = b.rsplit(":", 1)
                    env.update(kv.split("=", 1) for kv in sets.split(","))
                tag = "".join(c if c.isalnum() else "_" for c in b)[-60:]
                res = os.path.join(d, f"{tag}.json")
                subprocess.run([exe, "align", "-q", "--words", audio, rec["transcript"], "-o", res],
                               env=env, check=True)
                ds = score(rec, json.load(open(res)))
                pooled[b] += ds
                cells.append(cell(ds))
            print(f"{rec['name']:30} {snr:4g} dB  " + "  |  ".join(cells))
    print("pooled" + " " * 31 + "  |  ".join(cell(pooled[b]) for b in bins))


def cell(ds):
    n = len(ds)
    missed = sum(d is None for d in ds)
    pct = lambda t: 100 * sum(1 for d in ds if d is not None and d <= t) / n
    return f"{n} words, {missed} missed: {pct(0.025):5.1f} / {pct(0.05):5.1f} / {pct(0.1):5.1f}"


if __name__ == "__main__":
    main()
