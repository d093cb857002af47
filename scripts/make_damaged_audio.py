#!/usr/bin/env python3
"""Damaged and hostile copies of a recording, for the decoding rows of docs/reliability.md.

    python3 scripts/make_damaged_audio.py [SOURCE.wav] [OUT_DIR]

SOURCE defaults to sample-audio/clip-kerry-45s.wav (48.2 s, 16 kHz mono), OUT_DIR to
/tmp/talign-damaged. Deterministic (seeded). Needs ffmpeg and lame. The tests in
tests/decode.rs build their own smaller copies in Rust; this script makes the full-size
files the reliability table's commands run on:

  rate-1hz.wav, rate-0hz.wav, rate-4ghz.wav   WAV headers claiming 1 Hz, 0 Hz, 0xFFFFFFFF Hz
  float.wav, float-nan.wav, float-inf.wav      32-bit float; NaN in 0.1 % of samples;
                                               ten runs of 50 samples of +-Inf
  faststart.m4a, faststart-half.m4a,           AAC in a moov-first (web-optimised) MP4;
  faststart-lastbyte.m4a                       cut at 50 %; without its last byte
  flac.flac, flac-blocksize.flac,              FLAC; STREAMINFO block sizes claiming 65535;
  flac-total.flac                              STREAMINFO total samples claiming 57 times more
  cbr.mp3, cbr-garbage.mp3                     LAME CBR 64 kbps; 8000 random bytes written over
                                               the frames at 40 %
"""

import random
import struct
import subprocess
import sys
from pathlib import Path


def run(args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wav_with_rate(src: bytes, rate: int) -> bytes:
    """A copy of a canonical PCM WAV whose fmt chunk claims `rate` (and its byte rate)."""
    b = bytearray(src)
    fmt = b.find(b"fmt ")
    block_align = struct.unpack_from("<H", b, fmt + 20)[0]
    struct.pack_into("<I", b, fmt + 12, rate & 0xFFFFFFFF)
    struct.pack_into("<I", b, fmt + 16, (rate * block_align) & 0xFFFFFFFF)
    return bytes(b)


def float_wav_damaged(src: bytes, positions, value: float) -> bytes:
    """A copy of a 32-bit float WAV with `value` written at the given sample indices."""
    b = bytearray(src)
    data = b.find(b"data") + 8
    for i in positions:
        struct.pack_into("<f", b, data + 4 * i, value)
    return bytes(b)


def flac_streaminfo(path: Path) -> int:
    """Offset of the STREAMINFO body (after `fLaC` and the block header)."""
    head = path.read_bytes()[:8]
    assert head[:4] == b"fLaC" and head[4] & 0x7F == 0, "STREAMINFO is the first block"
    return 8


def main():
    root = Path(__file__).resolve().parent.parent
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "sample-audio/clip-kerry-45s.wav"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/tmp/talign-damaged")
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(15)

    pcm = out / "pcm.wav"
    run(["ffmpeg", "-y", "-v", "error", "-i", str(src), "-c:a", "pcm_s16le", "-map_metadata", "-1",
         "-bitexact", str(pcm)])
    clean = pcm.read_bytes()
    for name, rate in [("rate-1hz.wav", 1), ("rate-0hz.wav", 0), ("rate-4ghz.wav", 0xFFFFFFFF)]:
        (out / name).write_bytes(wav_with_rate(clean, rate))

    flt = out / "float.wav"
    run(["ffmpeg", "-y", "-v", "error", "-i", str(src), "-c:a", "pcm_f32le", "-map_metadata", "-1",
         "-bitexact", str(flt)])
    fb = flt.read_bytes()
    n = (len(fb) - fb.find(b"data") - 8) // 4
    nan_at = sorted(rng.sample(range(n), n // 1000))
    (out / "float-nan.wav").write_bytes(float_wav_damaged(fb, nan_at, float("nan")))
    inf_at = []
    for k in range(10):
        start = rng.randrange(n - 50)
        inf_at.extend(range(start, start + 50))
    damaged = float_wav_damaged(fb, inf_at[::2], float("inf"))
    (out / "float-inf.wav").write_bytes(
        float_wav_damaged(damaged, inf_at[1::2], float("-inf")))

    m4a = out / "faststart.m4a"
    run(["ffmpeg", "-y", "-v", "error", "-i", str(src), "-c:a", "aac", "-b:a", "64k",
         "-movflags", "+faststart", "-bitexact", str(m4a)])
    mb = m4a.read_bytes()
    (out / "faststart-half.m4a").write_bytes(mb[: len(mb) // 2])
    (out / "faststart-lastbyte.m4a").write_bytes(mb[:-1])

    flac = out / "flac.flac"
    run(["ffmpeg", "-y", "-v", "error", "-i", str(src), "-c:a", "flac", "-bitexact", str(flac)])
    at = flac_streaminfo(flac)
    b = bytearray(flac.read_bytes())
    blocks = bytearray(b)
    struct.pack_into(">HH", blocks, at, 65535, 65535)
    (out / "flac-blocksize.flac").write_bytes(bytes(blocks))
    total = bytearray(b)
    word = int.from_bytes(total[at + 13:at + 18], "big")
    samples = word & ((1 << 36) - 1)
    word = (word & ~((1 << 36) - 1)) | min(samples * 57, (1 << 36) - 1)
    total[at + 13:at + 18] = word.to_bytes(5, "big")
    (out / "flac-total.flac").write_bytes(bytes(total))

    mp3 = out / "cbr.mp3"
    run(["lame", "--quiet", "-b", "64", "--cbr", str(pcm), str(mp3)])
    b = bytearray(mp3.read_bytes())
    at = len(b) * 2 // 5
    # Seed 8: this garbage holds false frame headers (the first one found of 30 seeds).
    g = random.Random(8)
    b[at:at + 8000] = bytes(g.randrange(256) for _ in range(8000))
    (out / "cbr-garbage.mp3").write_bytes(bytes(b))
    for p in sorted(out.iterdir()):
        print(f"{p.stat().st_size:>10}  {p}")


if __name__ == "__main__":
    main()
