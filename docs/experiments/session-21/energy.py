"""Session 21: a recording's 10 ms frame energies in dB above its 10th percentile (ffmpeg
decodes it to 16 kHz). Used by fit_word_confidence_features.py and onset_sim.py."""
import numpy as np, subprocess, os, json, sys
sys.path.insert(0, "scripts")
import eval_set
_cache = {}
def frames(rec_name):
    if rec_name in _cache: return _cache[rec_name]
    r = [x for x in eval_set.recordings() if x["name"] == rec_name][0]
    raw = subprocess.run(["ffmpeg", "-v", "quiet", "-i", r["audio"], "-ac", "1", "-ar", "16000", "-f", "s16le", "-"], capture_output=True).stdout
    x = np.frombuffer(raw, np.int16).astype(np.float32)
    n = len(x) // 160
    e = 10*np.log10(np.mean(x[:n*160].reshape(n, 160)**2, axis=1) + 1.0)
    floor = np.percentile(e, 10)
    _cache[rec_name] = (e - floor)
    return _cache[rec_name]
