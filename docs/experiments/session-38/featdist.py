"""Session 38: is a hall copy's late echo taken out nearer its dry take, in the features?

MFCCs as the model's front end makes them (numpy: 25 filters 130-6800 Hz, orthonormal DCT,
lifter 22) of a dry recording and its copy in a room (the direct sound is at lag 0, so frame t
of both is the same speech); the copy's cepstrally smoothed filter energies with the late echo
taken out (Lebart: the energy of 50 ms earlier decayed at the room's rate), per filter or the
energy alone; each mean-normalised over the file. Prints, per setting, the mean squared
difference from the dry take over its speech frames (c0 above its 40th percentile), scaled by
the dry take's spread: c0 (energy) and c1-c12 (spectral shape), per pair and their mean.

    cd eval-out && python3 ../docs/experiments/session-38/featdist.py \
        real/drascula-en-ch1/audio.wav reverb/hall-drascula-en-ch1/audio.wav 0.9 ...

(triples: dry, room copy, RT60 in seconds).
"""
import subprocess
import sys

import numpy as np

NF, NC = 25, 13


def load(path):
    raw = subprocess.run(["sox", path, "-t", "raw", "-r", "16000", "-c", "1", "-e", "signed", "-b", "16", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype=np.int16).astype(np.float64)


def mel(h):
    return 2595 * np.log10(1 + h / 700)


def imel(m):
    return 700 * (10 ** (m / 2595) - 1)


def filterbank():
    edges = imel(np.linspace(mel(130), mel(6800), NF + 2))
    f = np.fft.rfftfreq(512, 1 / 16000)
    w = np.zeros((NF, len(f)))
    for i in range(NF):
        lo, c, hi = edges[i:i + 3]
        w[i] = np.clip(np.minimum((f - lo) / (c - lo), (hi - f) / (hi - c)), 0, None) * 2 / (hi - lo)
    return w


W = filterbank()
D = np.array([[np.sqrt(1 / NF) if i == 0 else np.sqrt(2 / NF) * np.cos(np.pi / NF * i * (j + .5))
               for j in range(NF)] for i in range(NC)])
LIFTER = np.array([1 + 11 * np.sin(i * np.pi / 22) for i in range(NC)])
DELAY = 5


def log_mel(x):
    x = np.append(x[0], x[1:] - 0.97 * x[:-1]) + np.random.default_rng(0).uniform(-1.7, 1.7, len(x))
    n = (len(x) - 410) // 160
    idx = np.arange(410)[None, :] + 160 * np.arange(n)[:, None]
    power = np.abs(np.fft.rfft(x[idx] * np.hamming(410), 512)) ** 2
    return np.log(power @ W.T + 1e-4)


def cepstra(lm):
    return (lm @ D.T) * LIFTER


def smoothed(lm):
    """What talign keeps: the log filter energies nearest to the 13 cepstra."""
    return (cepstra(lm) / LIFTER) @ np.linalg.pinv(D).T


def per_filter(lm, rt60, keep):
    p = np.exp(lm)
    gain = 10 ** (-6 * DELAY * 0.01 / rt60)
    out = p.copy()
    out[DELAY:] = np.maximum(p[DELAY:] - gain * p[:-DELAY], keep * p[DELAY:])
    return np.log(out)


def energy_only(lm, rt60, keep):
    e = np.exp(lm).sum(1)
    gain = 10 ** (-6 * DELAY * 0.01 / rt60)
    g = np.ones(len(e))
    g[DELAY:] = np.maximum(1 - gain * e[:-DELAY] / e[DELAY:], keep)
    return lm + np.log(g)[:, None]


def distance(a, b, spread, speech):
    a = a - a.mean(0)
    b = b - b.mean(0)
    e = ((a - b) / spread) ** 2
    return float(np.mean(e[speech, 0])), float(np.mean(e[speech, 1:]))


def main(args):
    rows = []
    for dry_path, room_path, rt60 in zip(args[0::3], args[1::3], args[2::3]):
        rt60 = float(rt60)
        dry, room = log_mel(load(dry_path)), log_mel(load(room_path))
        n = min(len(dry), len(room))
        dry, room = dry[:n], room[:n]
        dry_cep = cepstra(dry)
        spread = dry_cep.std(0)
        speech = dry_cep[:, 0] > np.percentile(dry_cep[:, 0], 40)
        s = smoothed(room)
        res = {"as heard": distance(cepstra(room), dry_cep, spread, speech)}
        for keep in (0.1, 0.3, 0.5):
            res[f"per filter, keep {keep}"] = distance(cepstra(per_filter(s, rt60, keep)), dry_cep, spread, speech)
        for keep in (0.1, 0.3):
            res[f"energy only, keep {keep}"] = distance(cepstra(energy_only(s, rt60, keep)), dry_cep, spread, speech)
        rows.append(res)
    print("setting                 | " + " | ".join(f"pair {i + 1} c0 / c1-12" for i in range(len(rows))) + " | mean c0 / c1-12")
    for key in rows[0]:
        cells = " | ".join(f"{r[key][0]:.3f} / {r[key][1]:.3f}" for r in rows)
        print(f"{key:23} | {cells} | {np.mean([r[key][0] for r in rows]):.3f} / {np.mean([r[key][1] for r in rows]):.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
