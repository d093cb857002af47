"""Session 39: a WAV's level (dB of the 10 ms RMS, 16-bit full scale 90 dB) frame by frame
between two times.

    python3 docs/experiments/session-39/levels.py eval-out/real/mfa-cold-corpus/audio.wav 4.2 4.6
"""
import array
import math
import sys
import wave

path, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
w = wave.open(path)
rate, channels = w.getframerate(), w.getnchannels()
samples = array.array("h", w.readframes(w.getnframes()))
hop = rate // 100
for k in range(round(start * 100), round(end * 100)):
    frame = samples[k * hop * channels:(k + 1) * hop * channels]
    rms = math.sqrt(sum(x * x for x in frame) / max(len(frame), 1))
    print(f"{k / 100:.2f} {20 * math.log10(rms + 1):5.1f}")
