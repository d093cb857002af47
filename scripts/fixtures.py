"""Small committed audio fixtures for talign's decoder tests (tests/fixtures/audio/).

Called by `python3 scripts/make_sample.py --fixtures`; writes every file and a README.md
that lists them with the facts a test can assert (sample counts, where the tone starts,
where the click peaks after each codec as decoded by ffmpeg).

The signal (SIGNAL_S seconds, 44.1 kHz stereo) is: the espeak-ng phrase "Talign test."
from 0.050 s (left at full level, right at half), then a tone from TONE_START to TONE_END
(440 Hz left, 660 Hz right, 0.3 amplitude, 2 ms raised-cosine ramps), silence around.
It is kept to one second so that all the PCM variants stay small.
"""

from __future__ import annotations

import os
import struct
import subprocess

import numpy as np

SR = 44100
SIGNAL_S = 1.0
SPEECH_AT = 0.040
TONE_START, TONE_END = 0.750, 0.950
CLICK_SR, CLICK_LEN_S, CLICK_AT = 44100, 12.0, 441000  # click peak sample (10.000 s)
SEED = 20160930

PCM_GUID = bytes.fromhex("0100000000001000800000aa00389b71")  # KSDATAFORMAT_SUBTYPE_PCM


def run(cmd):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


# ---------------------------------------------------------------------------- WAV writer


def wav_bytes(x: np.ndarray, sr: int, kind: str, mask: int | None = None) -> bytes:
    """x: (frames, channels) float in [-1, 1]. kind: u8 s16 s24 s32 f32, or ext16/ext24
    (WAVE_FORMAT_EXTENSIBLE, PCM subformat, channel mask `mask`)."""
    x = np.asarray(x, np.float64)
    if x.ndim == 1:
        x = x[:, None]
    frames, ch = x.shape
    bits = {"u8": 8, "s16": 16, "s24": 24, "s32": 32, "f32": 32, "ext16": 16, "ext24": 24}[kind]
    if kind == "u8":
        data = (np.clip(np.round(x * 127.0), -128, 127) + 128).astype(np.uint8).tobytes()
    elif kind in ("s16", "ext16"):
        data = np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2").tobytes()
    elif kind in ("s24", "ext24"):
        v = np.clip(np.round(x * 8388607.0), -8388608, 8388607).astype("<i4")
        data = v.reshape(-1).view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    elif kind == "s32":
        data = np.clip(np.round(x * 2147483647.0), -2147483648, 2147483647).astype("<i4").tobytes()
    else:
        data = x.astype("<f4").tobytes()
    align = ch * bits // 8
    chunks = b""
    if kind.startswith("ext"):
        fmt = struct.pack("<HHIIHHHHI", 0xFFFE, ch, sr, sr * align, align, bits, 22, bits, mask or 0) + PCM_GUID
    elif kind == "f32":
        fmt = struct.pack("<HHIIHHH", 3, ch, sr, sr * align, align, bits, 0)
        chunks += b"fact" + struct.pack("<II", 4, frames)
    else:
        fmt = struct.pack("<HHIIHH", 1, ch, sr, sr * align, align, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + chunks + b"data" + struct.pack("<I", len(data)) + data
    if len(data) % 2:
        body += b"\0"
    return b"RIFF" + struct.pack("<I", len(body)) + body


def write(path: str, b: bytes) -> None:
    with open(path, "wb") as f:
        f.write(b)


def read_s16(path: str) -> np.ndarray:
    import wave

    with wave.open(path, "rb") as w:
        x = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64) / 32768
        return x.reshape(-1, w.getnchannels())


def decode(path: str, ch: int, sr: int) -> np.ndarray:
    p = run(["ffmpeg", "-v", "error", "-i", path, "-f", "f32le", "-ac", str(ch), "-ar", str(sr), "-"])
    return np.frombuffer(p.stdout, "<f4").reshape(-1, ch)


# ---------------------------------------------------------------------------- content


def phrase(tmp: str, text: str, speed: int, voice: str = "en-us+f2") -> np.ndarray:
    """espeak-ng phrase at SR (sox, linear phase), leading/trailing silence removed."""
    a, b = os.path.join(tmp, "p22.wav"), os.path.join(tmp, "p44.wav")
    run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", a, text])
    run(["sox", "-D", a, "-b", "16", b, "rate", "-v", str(SR)])
    x = read_s16(b)[:, 0]
    nz = np.flatnonzero(np.abs(x) > 1e-3)
    return x[nz[0] : nz[-1] + 1]


def tone(n: int, f: float, sr: int) -> np.ndarray:
    t = np.arange(n) / sr
    y = 0.3 * np.sin(2 * np.pi * f * t)
    r = int(0.002 * sr)
    ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(r) / r)
    y[:r] *= ramp
    y[-r:] *= ramp[::-1]
    return y


def signal(tmp: str) -> np.ndarray:
    n = int(round(SIGNAL_S * SR))
    x = np.zeros((n, 2))
    sp = phrase(tmp, "Talign test.", 240)
    sp = sp / np.abs(sp).max() * 0.8
    a = int(round(SPEECH_AT * SR))
    assert a + len(sp) < int(TONE_START * SR) - 1000, "phrase runs into the tone"
    x[a : a + len(sp), 0] += sp
    x[a : a + len(sp), 1] += 0.5 * sp
    t0, t1 = int(round(TONE_START * SR)), int(round(TONE_END * SR))
    x[t0:t1, 0] += tone(t1 - t0, 440, SR)
    x[t0:t1, 1] += tone(t1 - t0, 660, SR)
    return x


def click() -> np.ndarray:
    x = np.zeros(int(CLICK_LEN_S * CLICK_SR))
    k = np.arange(-12, 13)
    x[CLICK_AT + k] = 0.9 * np.exp(-((k / 2.5) ** 2))  # symmetric, peak exactly at CLICK_AT
    return x


def peak_at(path: str, sr: int, opts: tuple = ()) -> int:
    """Sample of the loudest sample as decoded by ffmpeg (opts go before -i)."""
    p = run(["ffmpeg", "-v", "error", *opts, "-i", path, "-f", "f32le", "-ac", "1", "-ar", str(sr), "-"])
    return int(np.argmax(np.abs(np.frombuffer(p.stdout, "<f4"))))


def onset(y: np.ndarray, sr: int, thr: float = 0.05) -> float:
    """First sample (s) where |y| exceeds thr after the speech (the tone onset)."""
    a = int((TONE_START - 0.05) * sr)
    i = np.flatnonzero(np.abs(y[a:]) > thr)
    return (a + i[0]) / sr if len(i) else float("nan")


# ---------------------------------------------------------------------------- all files


def write_all(out: str, tmp: str) -> None:
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        os.remove(os.path.join(out, f))
    P = lambda name: os.path.join(out, name)  # noqa: E731
    ff = ["ffmpeg", "-v", "error", "-y"]
    bx = ["-fflags", "+bitexact", "-flags:a", "+bitexact"]
    x = signal(tmp)
    rows: list[tuple[str, str]] = []

    # PCM WAVs of the signal
    for kind, desc in (
        ("u8", "PCM unsigned 8-bit"),
        ("s16", "PCM signed 16-bit (the reference the others are compared with)"),
        ("s24", "PCM signed 24-bit packed (WAVE_FORMAT_PCM)"),
        ("s32", "PCM signed 32-bit"),
        ("f32", "IEEE float 32-bit (format tag 3, fact chunk)"),
    ):
        write(P(f"signal-{kind}.wav"), wav_bytes(x, SR, kind))
        rows.append((f"signal-{kind}.wav", f"signal, 44.1 kHz stereo, {desc}"))
    write(P("signal-extensible.wav"), wav_bytes(x, SR, "ext24", mask=0x3))
    rows.append(("signal-extensible.wav", "signal, 44.1 kHz stereo, WAVE_FORMAT_EXTENSIBLE (tag 0xFFFE), 24-bit PCM subformat, channel mask 0x3"))
    s16 = P("signal-s16.wav")
    mono8k = os.path.join(tmp, "m8k.wav")
    run(["sox", "-D", s16, "-b", "16", mono8k, "remix", "1v0.5,2v0.5", "rate", "-v", "8000"])
    write(P("signal-8k-mono.wav"), open(mono8k, "rb").read())
    rows.append(("signal-8k-mono.wav", "signal mixed to mono ((L+R)/2), resampled to 8 kHz (sox, linear phase), 16-bit PCM"))
    up = os.path.join(tmp, "s48.wav")
    run(["sox", "-D", s16, "-b", "16", up, "rate", "-v", "48000"])
    st = read_s16(up)
    l, r = st[:, 0], st[:, 1]
    six = np.stack([l, r, 0.5 * (l + r), np.zeros_like(l), 0.5 * l, 0.5 * r], axis=1)
    write(P("signal-48k-6ch.wav"), wav_bytes(six, 48000, "ext16", mask=0x3F))
    rows.append(("signal-48k-6ch.wav", "signal at 48 kHz in 6 channels (5.1, mask 0x3F: FL=L, FR=R, FC=(L+R)/2, LFE=silence, BL=L/2, BR=R/2), EXTENSIBLE 16-bit"))

    # compressed versions of the signal
    run(["lame", "--quiet", "-b", "128", s16, P("signal.mp3")])
    rows.append(("signal.mp3", "signal, lame 3.100 CBR 128 kbps joint stereo, LAME/Info gapless tag"))
    run(ff + ["-i", s16, "-c:a", "flac", "-compression_level", "8"] + bx + [P("signal.flac")])
    rows.append(("signal.flac", "signal, FLAC 16-bit (ffmpeg, level 8)"))
    run(ff + ["-i", s16, "-c:a", "libvorbis", "-q:a", "4"] + bx + [P("signal.ogg")])
    rows.append(("signal.ogg", "signal, Ogg Vorbis q4 (ffmpeg libvorbis)"))
    run(ff + ["-i", s16, "-c:a", "aac", "-b:a", "128k"] + bx + [P("signal.m4a")])
    rows.append(("signal.m4a", "signal, AAC-LC 128 kbps in MP4 (.m4a), ffmpeg native encoder, edit list for the 1024-sample priming"))
    run(ff + ["-f", "lavfi", "-i", f"testsrc2=size=64x48:rate=10:duration={SIGNAL_S}", "-i", s16,
              "-c:v", "libx264", "-preset", "veryslow", "-threads", "1", "-pix_fmt", "yuv420p",
              "-c:a", "aac", "-b:a", "96k", "-shortest"] + bx + ["-flags:v", "+bitexact", P("signal-video.mp4")])
    rows.append(("signal-video.mp4", "MP4 with a 64x48 10 fps H.264 colour test video (track 1) and the signal as AAC-LC 96 kbps (track 2)"))

    # gapless click
    c = click()
    write(P("click-10s.wav"), wav_bytes(c, CLICK_SR, "s16"))
    run(["lame", "--quiet", "-m", "m", "-b", "64", P("click-10s.wav"), P("click-10s.mp3")])
    run(ff + ["-i", P("click-10s.wav"), "-c:a", "aac", "-b:a", "128k"] + bx + [P("click-10s.m4a")])
    peaks = {n: peak_at(P(n), CLICK_SR) for n in ("click-10s.wav", "click-10s.mp3", "click-10s.m4a")}
    lens = {n: len(decode(P(n), 1, CLICK_SR)) for n in ("click-10s.wav", "click-10s.mp3", "click-10s.m4a")}
    raw_mp3 = peak_at(P("click-10s.mp3"), CLICK_SR, ("-flags2", "+skip_manual"))  # LAME tag's delay not applied
    raw_m4a = peak_at(P("click-10s.m4a"), CLICK_SR, ("-ignore_editlist", "1"))
    rows.append(("click-10s.wav", f"12 s of digital silence, 44.1 kHz mono 16-bit, one click: Gaussian pulse (sigma 2.5/sqrt2 samples), peak 0.9 exactly at sample {CLICK_AT} = 10.000 s"))
    rows.append(("click-10s.mp3", f"click-10s.wav by lame 3.100 (CBR 64 kbps mono) with the LAME gapless tag (encoder delay, padding); ffmpeg decodes {lens['click-10s.mp3']} samples, peak at sample {peaks['click-10s.mp3']} ({raw_mp3} with `-flags2 +skip_manual`, i.e. without the tag's delay)"))
    rows.append(("click-10s.m4a", f"click-10s.wav by ffmpeg AAC-LC 128 kbps (.m4a; edit list: media_time 1024, duration 12.000 s); ffmpeg decodes {lens['click-10s.m4a']} samples, peak at sample {peaks['click-10s.m4a']} ({raw_m4a} with `-ignore_editlist 1`)"))
    # Opus: always 48 kHz; the click is at 480000 there. Ogg: pre-skip 312 and end trim by the
    # final granule; WebM: CodecDelay and DiscardPadding.
    for ext in ("opus", "webm"):
        run(ff + ["-i", P("click-10s.wav"), "-c:a", "libopus", "-b:a", "32k"] + bx + [P(f"click-10s.{ext}")])
        n = f"click-10s.{ext}"
        raw = peak_at(P(n), 48000, ("-c:a", "libopus", "-flags2", "+skip_manual"))
        rows.append((n, f"click-10s.wav by ffmpeg libopus 32 kbps mono in {'Ogg' if ext == 'opus' else 'WebM'} (48 kHz, pre-skip 312); ffmpeg (libopus) decodes {len(decode(P(n), 1, 48000))} samples at 48 kHz, peak at sample {peak_at(P(n), 48000, ('-c:a', 'libopus'))} ({raw} with `-flags2 +skip_manual`, i.e. without the pre-skip)"))

    # bad inputs
    write(P("empty.mp3"), b"")
    rows.append(("empty.mp3", "0 bytes"))
    write(P("text.mp3"), b"This is not an MP3 file. It is plain text named .mp3, for talign's decoder tests.\n" * 3)
    rows.append(("text.mp3", "plain ASCII text with an .mp3 name"))
    base_wav = os.path.join(tmp, "long.wav")
    sp = phrase(tmp, "This recording is cut in half, or has garbage in the middle, to test how talign handles broken files.", 175, "en-gb+m3")
    write(base_wav, wav_bytes(np.concatenate([np.zeros(2205), sp, np.zeros(2205)]) * 0.8, SR, "s16"))
    base = os.path.join(tmp, "base.mp3")
    run(["lame", "--quiet", "-m", "m", "-b", "64", base_wav, base])
    data = open(base, "rb").read()
    cut = len(data) // 2 + 37
    write(P("truncated.mp3"), data[:cut])
    base_len = len(decode(base, 1, SR))
    rows.append(("truncated.mp3", f"a {base_len / SR:.2f} s speech MP3 (lame CBR 64 kbps mono, 44.1 kHz, {len(data)} bytes) cut after byte {cut}, inside a frame"))
    rng = np.random.default_rng(SEED)
    a = len(data) // 2
    bad = bytearray(data)
    bad[a : a + 1500] = rng.integers(0, 256, 1500, dtype=np.uint8).tobytes()
    write(P("corrupt-middle.mp3"), bytes(bad))
    rows.append(("corrupt-middle.mp3", f"the same {len(data)}-byte MP3 with bytes {a}..{a + 1499} overwritten by seeded random bytes (frames before and after are intact)"))
    run(ff + ["-i", s16, "-c:a", "libopus", "-b:a", "64k"] + bx + [P("signal.opus")])
    rows.append(("signal.opus", "signal as Opus in Ogg (libopus 64 kbps, 48 kHz stereo, pre-skip 312)"))
    run(ff + ["-i", s16, "-c:a", "libopus", "-b:a", "64k"] + bx + [P("signal.webm")])
    rows.append(("signal.webm", "signal as Opus in WebM (libopus 64 kbps, 48 kHz stereo)"))
    run(ff + ["-i", P("signal-48k-6ch.wav"), "-c:a", "libopus", "-b:a", "128k"] + bx + [P("signal-6ch.opus")])
    rows.append(("signal-6ch.opus", "signal-48k-6ch.wav as Opus in Ogg (libopus 128 kbps, 5.1: channel mapping family 1, 4 streams of which 2 coupled)"))
    run(ff + ["-i", s16, "-c:a", "ac3", "-b:a", "96k"] + bx + [P("unsupported-ac3.mka")])
    rows.append(("unsupported-ac3.mka", "signal as AC-3 (Dolby Digital, 96 kbps) in Matroska: symphonia 0.6.1 demuxes it and names the codec but has no AC-3 decoder -> unsupported codec"))
    run(ff + ["-f", "lavfi", "-i", f"testsrc2=size=64x48:rate=10:duration={SIGNAL_S}", "-c:v", "libx264", "-preset", "veryslow", "-threads", "1",
              "-pix_fmt", "yuv420p", "-flags:v", "+bitexact", "-fflags", "+bitexact", P("video-only.mp4")])
    rows.append(("video-only.mp4", "MP4 with only a 64x48 H.264 video track: no audio track at all"))
    write(P("zero-length.wav"), wav_bytes(np.zeros((0, 1)), 16000, "s16"))
    rows.append(("zero-length.wav", "valid 16 kHz mono 16-bit WAV header, data chunk of 0 bytes"))
    write(P("silent.wav"), wav_bytes(np.zeros(5 * 8000), 8000, "s16"))
    rows.append(("silent.wav", "5.000 s of digital silence (all samples 0), 8 kHz mono 16-bit"))

    # measured facts for the README
    ref = x
    facts = []
    for n in ("signal-s16.wav", "signal.mp3", "signal.flac", "signal.ogg", "signal.m4a", "signal-video.mp4", "signal.opus", "signal.webm"):
        y = decode(P(n), 2, SR)
        facts.append(f"| `{n}` | {len(y)} | {onset(y[:, 0], SR):.4f} |")
    write_readme(out, rows, facts, len(ref))


def write_readme(out: str, rows, facts, frames) -> None:
    sizes = {n: os.path.getsize(os.path.join(out, n)) for n, _ in rows}
    lines = [
        "# Audio fixtures",
        "",
        "Made by `python3 scripts/make_sample.py --fixtures` (scripts/fixtures.py); do not edit by hand.",
        "Deterministic for espeak-ng 1.51, sox 14.4.2, LAME 3.100, ffmpeg 5.1 (all ffmpeg output with `-bitexact`).",
        "",
        f"**The signal** ({SIGNAL_S:.3f} s = {frames} frames at 44.1 kHz, stereo): the espeak-ng phrase",
        f"\"Talign test.\" from {SPEECH_AT:.3f} s (left channel at 0.8 peak, right at half of it), then a",
        f"tone from {TONE_START:.3f} s to {TONE_END:.3f} s (440 Hz left, 660 Hz right, amplitude 0.3, 2 ms",
        "raised-cosine ramps), digital silence elsewhere. Every `signal*` file holds this signal; the PCM",
        "WAVs hold exactly the same samples quantised to their format (u8: `round(x*127)+128`; s16/s24/s32:",
        "`round(x*(2^(b-1)-1))`; f32: the float value). It is one second long so that the PCM variants stay",
        f"small (the whole directory is {sum(sizes.values()) / 1e6:.2f} MB).",
        "",
        "| file | bytes | what it holds |",
        "|---|---:|---|",
    ]
    for n, d in rows:
        lines.append(f"| `{n}` | {sizes[n]} | {d} |")
    lines += [
        "",
        "Decoded by ffmpeg (`ffmpeg -i F -f f32le -ac 2 -ar 44100 -`): frames, and the first sample after",
        "0.70 s whose left channel exceeds 0.05 (the tone onset; 0.7500 s in the source):",
        "",
        "| file | frames | tone onset (s) |",
        "|---|---:|---:|",
    ] + facts + [
        "",
        "Expected behaviour, for the tests to pin down:",
        "",
        "- `signal*`: decode to the signal; lossless ones sample-exact (u8 within 1/127, s16 within 1/32767).",
        "- `click-10s.*`: a gapless decoder puts the click peak at 10.000 s (sample 441000) within a few",
        "  samples for the lossy ones, and returns 12.000 s of audio; a decoder that ignores the LAME tag or",
        "  the MP4 edit list puts it ~1105 (MP3: 576 + 529 decoder delay) or 1024 (AAC) samples late.",
        "- `empty.mp3`, `text.mp3`: an error naming the file, no panic.",
        "- `truncated.mp3`: the first half of the audio (a final partial frame is dropped), a warning at most.",
        "- `corrupt-middle.mp3`: the audio before and after the damage; bad packets skipped and counted.",
        "- `signal.opus`, `signal.webm`: the signal at 48 kHz, decoded by talign's Opus decoder (opus-pure).",
        "- `click-10s.opus`, `click-10s.webm`: the click at 10.000 s (sample 480000 at 48 kHz) once the",
        "  pre-skip is dropped; 12.000 s long (WebM: up to one 20 ms frame more, its end padding is kept).",
        "- `signal-6ch.opus`: the six channels of `signal-48k-6ch.wav`, averaged to the same mono.",
        "- `unsupported-ac3.mka`: an unsupported-codec error (symphonia 0.6.1 has no AC-3 decoder).",
        "- `video-only.mp4`: a no-audio-track error.",
        "- `zero-length.wav`: zero samples (an empty-input error from the pipeline, not a panic).",
        "- `silent.wav`: 40000 zero samples at 8 kHz (80000 after resampling to 16 kHz); VAD finds no speech.",
        "",
    ]
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write("\n".join(lines))
