#!/usr/bin/env python3
"""The sync's pieces on a long recording that repeats itself: the first 180 s of the Festival
rendition four times over (700 s, so `sync::pieces` runs), 19.35 s cut from the third copy at
a cue gap, subtitles timed for the uncut four copies. Prints each binary's cue starts within
50 ms of the truth (cues inside the cut not scored) and the cues off by more, and each run's wall time.

    python3 docs/experiments/session-17/repeated_passage.py SYNC_DIR OUT_DIR BIN [BIN ...]

SYNC_DIR an `eval_sync.py --out` directory (its festival.wav and festival.truth.srt).
"""
import os, re, subprocess, sys, time, wave

sync_dir, out_dir, bins = sys.argv[1], sys.argv[2], sys.argv[3:]
CLIP, CUT_A, CUT_B = 180.0, 60.12, 79.474
os.makedirs(out_dir, exist_ok=True)


def read_srt(path):
    cues = []
    for block in open(path, encoding="utf-8-sig").read().strip().split("\n\n"):
        lines = block.strip().split("\n")
        g = list(map(int, re.match(r"(\d+):(\d+):(\d+)[,.](\d+) --> (\d+):(\d+):(\d+)[,.](\d+)", lines[1]).groups()))
        cues.append((g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000, g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000,
                     "\n".join(lines[2:])))
    return cues


def stamp(x):
    ms = int(round(x * 1000))
    return f"{ms // 3600000:02}:{ms // 60000 % 60:02}:{ms // 1000 % 60:02},{ms % 1000:03}"


src = wave.open(os.path.join(sync_dir, "festival.wav"))
rate, width = src.getframerate(), src.getnchannels() * src.getsampwidth()
clip = src.readframes(int(CLIP * rate))
audio = b"".join(clip[:int(CUT_A * rate) * width] + clip[int(CUT_B * rate) * width:] if k == 2 else clip
                 for k in range(4))
wav = os.path.join(out_dir, "repeated.wav")
with wave.open(wav, "wb") as out:
    out.setnchannels(src.getnchannels()); out.setsampwidth(src.getsampwidth()); out.setframerate(rate)
    out.writeframes(audio)
cues = [c for c in read_srt(os.path.join(sync_dir, "festival.truth.srt")) if c[1] < CLIP - 0.5]
subs, truth, cut = [], [], CUT_B - CUT_A
for k in range(4):
    for s, e, text in cues:
        subs.append((s + k * CLIP, e + k * CLIP, text))
        if k < 2 or (k == 2 and e <= CUT_A + 0.01):
            truth.append(s + k * CLIP)
        elif k == 2 and s < CUT_B - 0.01:
            truth.append(None)
        else:
            truth.append(s + k * CLIP - cut)
srt = os.path.join(out_dir, "uncut.srt")
with open(srt, "w") as f:
    f.write("".join(f"{i + 1}\n{stamp(s)} --> {stamp(e)}\n{t}\n\n" for i, (s, e, t) in enumerate(subs)))
print(f"{len(subs)} cues, {len(audio) / width / rate:.1f} s, {sum(t is None for t in truth)} cut")
for i, binary in enumerate(bins):
    out = os.path.join(out_dir, f"out{i}.srt")
    began = time.monotonic()
    subprocess.run([binary, "sync", "-q", wav, srt, "-o", out], check=True)
    wall = time.monotonic() - began
    errors = [(k + 1, g[0] - t) for k, (g, t) in enumerate(zip(read_srt(out), truth)) if t is not None]
    bad = [(k, round(e, 2)) for k, e in errors if abs(e) > 0.05]
    print(f"{binary}: {len(errors) - len(bad)} of {len(errors)} within 50 ms; off: {bad}; wall {wall:.1f} s")
