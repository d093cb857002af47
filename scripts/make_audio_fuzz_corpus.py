#!/usr/bin/env python3
"""Writes the seed corpus for the decoder fuzz test: tests/fuzz-corpus/audio/.

One tiny recording (0.3 s, 8 kHz) per container and codec talign reads, and one per
damaged-file class of issue 15 (docs/reliability.md): WAV headers claiming 0 Hz, 1 Hz or
4 GHz, a data size past the end, NaN and Inf float samples; a FLAC whose STREAMINFO
block sizes and length are wrong; a CBR MP3 with random bytes inside and one cut short;
web-optimised (moov-first) M4A cut short; Ogg Vorbis cut short; Opus in Ogg (mono, 5.1,
cut short) and in WebM. `tests/decode_fuzz.rs`
replays each file and then mutates them for TALIGN_FUZZ_SECONDS.

Needs ffmpeg (MP3, FLAC, M4A, Ogg, Opus). Deterministic for the WAV files; the encoded ones
depend on the ffmpeg version. Files in `regressions/` are never touched.

    python3 scripts/make_audio_fuzz_corpus.py
"""

import math
import os
import random
import struct
import subprocess
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "tests", "fuzz-corpus", "audio")
RATE = 8000
N = int(0.3 * RATE)


def tone(i):
    return 0.5 * math.sin(2 * math.pi * 440 * i / RATE) * (1 + 0.5 * math.sin(2 * math.pi * 3 * i / RATE))


def wav(samples, rate=RATE, float32=False, channels=1, data_size=None):
    if float32:
        data = b"".join(struct.pack("<f", s) for s in samples)
        fmt, bits = 3, 32
    else:
        data = b"".join(struct.pack("<h", max(-32768, min(32767, int(s * 32767)))) for s in samples)
        fmt, bits = 1, 16
    block = channels * bits // 8
    fmt_chunk = struct.pack("<HHIIHH", fmt, channels, rate & 0xFFFFFFFF, (rate * block) & 0xFFFFFFFF, block, bits)
    size = len(data) if data_size is None else data_size
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt_chunk)) + fmt_chunk + b"data" + struct.pack("<I", size) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def ffmpeg(source, name, *args):
    out = os.path.join(OUT, name)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", source, *args, out], check=True)
    with open(out, "rb") as f:
        return f.read()


def put(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(os.path.join(OUT, "regressions"), exist_ok=True)
    rng = random.Random(15)
    clean = [tone(i) for i in range(N)]
    put("s16.wav", wav(clean))
    put("f32.wav", wav(clean, float32=True))
    put("rate-0hz.wav", wav(clean, rate=0))
    put("rate-1hz.wav", wav(clean, rate=1))
    put("rate-4ghz.wav", wav(clean, rate=0xFFFFFFFF))
    put("data-size-past-end.wav", wav(clean, data_size=0xFFFFFFF0))
    poisoned = list(clean)
    for i in range(0, N, 97):
        poisoned[i] = [float("nan"), float("inf"), float("-inf")][i % 3]
    put("f32-nan-inf.wav", wav(poisoned, float32=True))

    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "tone.wav")
        with open(source, "wb") as f:
            f.write(wav(clean))
        mp3 = ffmpeg(source, "cbr.mp3", "-c:a", "libmp3lame", "-b:a", "32k")
        put("cbr-cut.mp3", mp3[: len(mp3) // 2])
        garbage = bytearray(mp3)
        at = len(garbage) // 2
        garbage[at:at] = bytes(rng.randrange(256) for _ in range(300))
        put("cbr-garbage-inside.mp3", bytes(garbage))
        flac = ffmpeg(source, "tone.flac", "-c:a", "flac")
        bad = bytearray(flac)
        # STREAMINFO follows "fLaC" and its 4-byte block header: min/max block size, then
        # min/max frame size, then rate, channels, bits and the 36-bit total sample count.
        bad[8:12] = b"\x00\x10\xff\xff"
        bad[21] = (bad[21] & 0xF0) | 0x0F
        bad[22:26] = b"\xff\xff\xff\xff"
        put("flac-wrong-streaminfo.flac", bytes(bad))
        m4a = ffmpeg(source, "faststart.m4a", "-c:a", "aac", "-b:a", "32k", "-movflags", "+faststart")
        put("faststart-cut-half.m4a", m4a[: len(m4a) // 2])
        put("faststart-cut-last-byte.m4a", m4a[:-1])
        ogg = ffmpeg(source, "vorbis.ogg", "-c:a", "libvorbis", "-q:a", "0")
        put("vorbis-cut.ogg", ogg[: len(ogg) * 2 // 3])
        # Opus (Ogg, WebM; mono, and 5.1 through channel mapping family 1), one cut short.
        opus = ffmpeg(source, "opus.opus", "-c:a", "libopus", "-b:a", "16k")
        put("opus-cut.opus", opus[: len(opus) * 2 // 3])
        ffmpeg(source, "opus.webm", "-c:a", "libopus", "-b:a", "16k")
        ffmpeg(source, "opus-6ch.opus", "-af", "pan=5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0", "-c:a", "libopus", "-b:a", "48k")
    put("not-audio.txt", b"Kerry\n\n[0:07]\nThis is a transcript, not a recording.\n")
    put("empty.bin", b"")
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT) if os.path.isfile(os.path.join(OUT, f)))
    print(f"{len([f for f in os.listdir(OUT) if os.path.isfile(os.path.join(OUT, f))])} files, {total} bytes in {OUT}")


if __name__ == "__main__":
    main()
