#!/usr/bin/env python3
"""Reverberant copies of the wideband real recordings: the speech as a phone or a laptop on a
meeting table hears it, with the room's echo, so that what reverberation costs can be
measured on real voices with their truth.

    python3 scripts/make_reverb.py [--out eval-out/reverb]
    python3 scripts/make_reverb.py --fixture tests/fixtures/real/drascula-es-ch1-opening
    python3 scripts/make_reverb.py --fixture tests/fixtures/real/drascula-en-ch1-bar --room hall

Each wideband recording of eval-out/real/*/ with turn or word truth (scripts/fetch_real_speech.py,
scripts/make_game_dialogue.py) is convolved with a synthetic room impulse response for each
room below: the direct sound at lag 0 (so the truth's times still hold), then from 3 ms on a
tail of seeded Gaussian noise decaying by 60 dB over the room's RT60, brightest first (a
one-pole low-pass on the tail whose cut-off falls from 8 kHz, at most 0.45 of the rate, to
2 kHz over the RT60: walls take the highs first), scaled so that the direct sound's energy
over the tail's is the room's DRR.
The result is scaled to the source's peak level (at most 0.9 of full scale) and written as
16-bit PCM at the source's rate. Writes `<out>/<room>-<name>/audio.wav`, `transcript.txt`
and `truth.json` (the source's truth, `room` set to say what was done); eval_set.py reports
them as the family `real-reverb`. Deterministic: seeded by room and name.

`--fixture DIR` writes DIR/ROOM.flac instead: DIR's `audio.flac` in the room `--room` (the
meeting room unless told; sox converts FLAC both ways), for the tests.

Rooms: `room` — a meeting room with the recorder near the speakers (RT60 0.5 s, DRR +3 dB);
`hall` — a larger room with the recorder across the table (RT60 0.9 s, DRR -3 dB).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import wave
import zlib

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOMS = {"room": (0.5, 3.0), "hall": (0.9, -3.0)}  # name -> (RT60 s, DRR dB)
TAIL_START_S = 0.003


def impulse_response(rate: int, rt60: float, drr_db: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = int(rate * rt60 * 1.2)
    t = np.arange(n) / rate
    tail = rng.standard_normal(n) * 10.0 ** (-3.0 * t / rt60)  # -60 dB at rt60
    # Brightest first: a one-pole low-pass whose cut-off falls from 8 to 2 kHz over the RT60.
    cutoff = np.clip(8000.0 * (2000.0 / 8000.0) ** (t / rt60), 2000.0, None)
    cutoff = np.minimum(cutoff, 0.45 * rate)
    alpha = 1.0 - np.exp(-2.0 * np.pi * cutoff / rate)
    smooth = np.empty(n)
    y = 0.0
    for i in range(n):
        y += alpha[i] * (tail[i] - y)
        smooth[i] = y
    smooth[t < TAIL_START_S] = 0.0
    smooth *= np.sqrt(10.0 ** (-drr_db / 10.0) / np.sum(smooth**2))
    smooth[0] = 1.0  # the direct sound, unit energy
    return smooth


def read_wav(path: str) -> tuple[np.ndarray, int]:
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2:
            raise SystemExit(f"make_reverb: {path}: expected 16-bit PCM")
        rate, channels = w.getframerate(), w.getnchannels()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)
    if channels > 1:
        data = data.reshape(-1, channels).mean(axis=1)
    return data / 32768.0, rate


def write_wav(path: str, samples: np.ndarray, rate: int) -> None:
    pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


def convolve(signal: np.ndarray, ir: np.ndarray) -> np.ndarray:
    n = len(signal) + len(ir) - 1
    size = 1 << (n - 1).bit_length()
    out = np.fft.irfft(np.fft.rfft(signal, size) * np.fft.rfft(ir, size), size)
    return out[: len(signal)]  # the recording keeps its length; the last echo is cut


def sources() -> list[str]:
    out = []
    for d in sorted(glob.glob(os.path.join(ROOT, "eval-out/real/*/"))):
        f = os.path.join(d, "truth.json")
        if not os.path.exists(f) or not os.path.exists(os.path.join(d, "audio.wav")):
            continue
        t = json.load(open(f, encoding="utf-8"))
        if t.get("band", "").startswith("telephone"):
            continue
        turns = sum(x.get("start") is not None for x in t["turns"])
        words = bool(t.get("words")) or any(x.get("words") for x in t["turns"])
        if turns > 1 or words:
            out.append(d)
    return out


def in_room(signal: np.ndarray, rate: int, room: str, name: str) -> np.ndarray:
    """`signal` as heard in `room`, at its peak level (at most 0.9), seeded by room and name."""
    rt60, drr = ROOMS[room]
    peak = min(0.9, float(np.max(np.abs(signal))) or 0.9)
    wet = convolve(signal, impulse_response(rate, rt60, drr, zlib.crc32(f"{room}/{name}".encode())))
    return wet * (peak / max(float(np.max(np.abs(wet))), 1e-9))


def make_fixture(fixture: str, room: str) -> int:
    name = os.path.basename(os.path.normpath(fixture))
    with tempfile.TemporaryDirectory() as tmp:
        dry, wet = os.path.join(tmp, "dry.wav"), os.path.join(tmp, "wet.wav")
        subprocess.run(["sox", os.path.join(fixture, "audio.flac"), "-b", "16", dry], check=True)
        signal, rate = read_wav(dry)
        write_wav(wet, in_room(signal, rate, room, name), rate)
        subprocess.run(["sox", wet, os.path.join(fixture, f"{room}.flac")], check=True)
    print(f"{room}: {os.path.join(fixture, room + '.flac')}", file=sys.stderr)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "eval-out", "reverb"))
    ap.add_argument("--fixture", help="write FIXTURE/ROOM.flac from FIXTURE/audio.flac")
    ap.add_argument("--room", choices=sorted(ROOMS), default="room", help="the room of --fixture")
    args = ap.parse_args()
    if args.fixture:
        return make_fixture(args.fixture, args.room)
    found = sources()
    if not found:
        print("make_reverb: no real recordings (run scripts/fetch_real_speech.py and "
              "scripts/make_game_dialogue.py first)", file=sys.stderr)
        return 1
    for d in found:
        name = os.path.basename(d.rstrip("/"))
        truth = json.load(open(os.path.join(d, "truth.json"), encoding="utf-8"))
        signal, rate = read_wav(os.path.join(d, truth["audio"]))
        for room, (rt60, drr) in ROOMS.items():
            wet = in_room(signal, rate, room, name)
            dest = os.path.join(args.out, f"{room}-{name}")
            os.makedirs(dest, exist_ok=True)
            write_wav(os.path.join(dest, "audio.wav"), wet, rate)
            shutil.copyfile(os.path.join(d, truth["transcript"]), os.path.join(dest, "transcript.txt"))
            copy = dict(truth, audio="audio.wav", transcript="transcript.txt",
                        room=f"{room}: RT60 {rt60} s, DRR {drr:+.0f} dB, synthetic impulse "
                             "response (scripts/make_reverb.py)")
            with open(os.path.join(dest, "truth.json"), "w", encoding="utf-8") as f:
                json.dump(copy, f, ensure_ascii=False, indent=1)
            print(f"{room}-{name}: {dest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
