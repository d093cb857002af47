#!/usr/bin/env python3
"""Session 21: `talign sync` on Spanish subtitles, which it syncs by the speech alone (the words
are heard only for English cues). The cues are drascula-es-ch1's turns (truth.json), shifted by
3.7 s, or by 23.976/25 fps and 2.0 s; prints the share of cue starts within 50 / 100 / 250 ms
of the truth. From the repository root:

    python3 docs/experiments/session-21/spanish_sync.py BIN [SCENE_DIR]
"""
import json
import os
import re
import subprocess
import sys
import tempfile


def stamp(x):
    ms = int(round(x * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def starts(path):
    out = []
    for line in open(path, encoding="utf-8"):
        m = re.match(r"(\d+):(\d+):(\d+),(\d+) -->", line)
        if m:
            h, mi, s, ms = map(int, m.groups())
            out.append(h * 3600 + mi * 60 + s + ms / 1000)
    return out


def main():
    binary = sys.argv[1]
    scene = sys.argv[2] if len(sys.argv) > 2 else "eval-out/real/drascula-es-ch1"
    truth = json.load(open(os.path.join(scene, "truth.json"), encoding="utf-8"))
    cues = [(t["start"], t["end"], t["text"]) for t in truth["turns"]]
    with tempfile.TemporaryDirectory() as tmp:
        for name, move in [("offset", lambda s: s + 3.7), ("ratio", lambda s: s * 25 / 23.976 + 2.0)]:
            srt = os.path.join(tmp, f"{name}.srt")
            with open(srt, "w", encoding="utf-8") as f:
                for i, (s, e, text) in enumerate(cues):
                    f.write(f"{i + 1}\n{stamp(move(s))} --> {stamp(move(e))}\n{text}\n\n")
            out = os.path.join(tmp, f"{name}.out.srt")
            r = subprocess.run([binary, "sync", os.path.join(scene, "audio.wav"), srt, "-o", out,
                                "--progress", "none"], capture_output=True, text=True)
            if r.returncode != 0:
                print(name, "exit", r.returncode, r.stderr.strip())
                continue
            d = [abs(a - t[0]) for a, t in zip(starts(out), cues)]
            share = lambda lim: 100 * sum(x <= lim for x in d) / len(d)
            print(f"{name}: {len(d)} cues, within 50 / 100 / 250 ms: "
                  f"{share(0.05):.1f} / {share(0.1):.1f} / {share(0.25):.1f} ({r.stderr.strip().splitlines()[-1]})")


if __name__ == "__main__":
    main()
