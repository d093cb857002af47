#!/usr/bin/env python3
"""Session 42: translated subtitles. The Drascula scene's Spanish recording with its cues' English
lines (the English release's lines, same script order, at the Spanish cues' times, +2.3 s), and
the English recording with the Spanish lines; each synced by BIN (one line of output each).

    python3 docs/experiments/session-42/translated_subs.py BIN WORK
"""
import json
import os
import subprocess
import sys

bin_, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
real = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "eval-out", "real")
es = json.load(open(os.path.join(real, "drascula-es-ch1", "truth.json")))["turns"]
en = json.load(open(os.path.join(real, "drascula-en-ch1", "truth.json")))["turns"]


def stamp(x):
    ms = int(round(x * 1000))
    return "%02d:%02d:%02d,%03d" % (ms // 3600000, ms // 60000 % 60, ms // 1000 % 60, ms % 1000)


for name, texts, times, audio in [("es-audio-en-text", en, es, "drascula-es-ch1"),
                                  ("en-audio-es-text", es, en, "drascula-en-ch1")]:
    srt = os.path.join(work, name + ".srt")
    with open(srt, "w", encoding="utf-8") as f:
        for i, (t, x) in enumerate(zip(times, texts)):
            f.write(f"{i + 1}\n{stamp(t['start'] + 2.3)} --> {stamp(t['end'] + 2.3)}\n{x['text']}\n\n")
    run = subprocess.run([bin_, "sync", os.path.join(real, audio, "audio.wav"), srt, "-o",
                          os.path.join(work, name + ".out.srt"), "--progress", "none"],
                         capture_output=True, text=True)
    print(name, run.returncode, run.stderr.strip().splitlines()[-1][:200])
