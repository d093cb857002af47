"""Session 38, first look: per recording, the 90th and 99th percentiles of the unbroken 0.2 s
falls of the total energy (dB), from 30 dB above the floor to 6 dB above it.

    cd eval-out && python3 ../docs/experiments/session-38/decay_stat.py real/* reverb/*
"""
import numpy as np, subprocess, sys, glob, os
def level_db(path):
    raw = subprocess.run(["sox", path, "-t", "raw", "-r", "16000", "-c", "1", "-e", "signed", "-b", "16", "-"], capture_output=True, check=True).stdout
    x = np.frombuffer(raw, dtype=np.int16).astype(np.float64)
    x = np.append(x[0], x[1:] - 0.97 * x[:-1])
    n = (len(x) - 410) // 160
    idx = np.arange(410)[None, :] + 160 * np.arange(n)[:, None]
    fr = x[idx] * np.hamming(410)
    sp = np.abs(np.fft.rfft(fr, 512)) ** 2
    f = np.fft.rfftfreq(512, 1 / 16000)
    band = (f > 130) & (f < 6800)
    return 10 * np.log10(sp[:, band].sum(1) + 1e-3)
def stat(L, span=20):
    floor = np.percentile(L, 10)
    rates = []
    for t in range(len(L) - span):
        if L[t] < floor + 30: continue
        seg = L[t:t + span + 1]
        if np.any(np.diff(seg) > 3): continue  # a rise: not a free decay
        if seg[-1] < floor + 6: continue  # reached the floor: dry-like, noise-limited
        rates.append(seg[0] - seg[-1])
    r = np.array(rates)
    return floor, len(r), (np.percentile(r, 90) if len(r) else float('nan')), (np.percentile(r, 99) if len(r) else float('nan'))
for d in sys.argv[1:]:
    a = [p for p in glob.glob(d + "/audio.*")]
    if not a: continue
    L = level_db(a[0])
    fl, n, p90, p99 = stat(L)
    print(f"{os.path.basename(d):36} floor {fl:6.1f} n {n:6d} ({n/len(L)*100:5.2f}%) p90 {p90:5.1f} p99 {p99:5.1f}")
