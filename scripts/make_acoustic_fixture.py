#!/usr/bin/env python3
"""Reference features and senone scores from CMU Sphinx itself, for talign's acoustic tests.

Runs Debian's `pocketsphinx_batch` (package `pocketsphinx`, with `pocketsphinx-en-us`) on
tests/fixtures/real/praatio-mary/audio.wav (16 kHz, 16-bit mono) and writes two files to
tests/fixtures/acoustic/:

- mary-cepstra.txt: the front end's raw cepstra (before CMN), one frame per line,
  13 numbers each, as pocketsphinx logged them with `-mfclogdir`.
- mary-ci-senones.txt: for every STRIDE-th frame, the scores of the model's CI senones
  as pocketsphinx logged them with `-senlogdir -compallsen yes`: integers in pocketsphinx's
  8-bit-shifted log units (1 unit = 1024 * ln(1.0001) nats), 0 = best senone of the frame
  over all senones, larger = worse.

Settings: the model's feat.params plus `-remove_noise no -remove_silence no` (talign's front
end does no spectral subtraction), `-pl_window 0 -fwdflat no -bestpath no` so that each frame's
scores are logged once. The decoding result itself is not used.

Usage: python3 scripts/make_acoustic_fixture.py   (from the repository root)
"""

from __future__ import annotations

import os
import struct
import subprocess
import tempfile

MODEL = "/usr/share/pocketsphinx/model/en-us"
AUDIO = "tests/fixtures/real/praatio-mary/audio.wav"
OUT = "tests/fixtures/acoustic"
STRIDE = 3
N_CI_SENONES = 126  # 42 CI phones x 3 states (the mdef header)


def version() -> str:
    out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "pocketsphinx"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "mary.raw")
        subprocess.run(["sox", AUDIO, "-t", "raw", "-e", "signed", "-b", "16", "-L", raw],
                       check=True)
        with open(os.path.join(tmp, "ctl"), "w") as f:
            f.write("mary\n")
        cmd = [
            "pocketsphinx_batch", "-hmm", f"{MODEL}/en-us",
            "-dict", f"{MODEL}/cmudict-en-us.dict", "-lm", f"{MODEL}/en-us.lm.bin",
            "-ctl", "ctl", "-adcin", "yes", "-cepdir", ".", "-cepext", ".raw",
            "-mfclogdir", "mfc", "-senlogdir", "sen", "-compallsen", "yes",
            "-pl_window", "0", "-fwdflat", "no", "-bestpath", "no",
            "-remove_noise", "no", "-remove_silence", "no", "-hyp", "hyp",
        ]
        subprocess.run(cmd, cwd=tmp, check=True, capture_output=True)
        mfc = open(os.path.join(tmp, "mfc", "000000000.mfc"), "rb").read()
        sen = open(os.path.join(tmp, "sen", "000000000.sen"), "rb").read()

    (n_floats,) = struct.unpack("<i", mfc[:4])
    assert n_floats % 13 == 0 and len(mfc) == 4 + 4 * n_floats
    values = struct.unpack(f"<{n_floats}f", mfc[4:])
    frames = [values[i:i + 13] for i in range(0, n_floats, 13)]

    start = sen.index(b"endhdr\n") + len(b"endhdr\n")
    (magic,) = struct.unpack("<I", sen[start:start + 4])
    assert magic == 0x11223344, "senone log is not little-endian"
    pos = start + 4
    scores = []
    while pos < len(sen):
        (n,) = struct.unpack("<h", sen[pos:pos + 2])
        pos += 2
        scores.append(struct.unpack(f"<{n}h", sen[pos:pos + 2 * n]))
        pos += 2 * n
    assert len(scores) == len(frames), (len(scores), len(frames))

    ver = version()
    common = (f"# pocketsphinx_batch {ver} (Debian), model pocketsphinx-en-us, on {AUDIO}\n"
              f"# made by scripts/make_acoustic_fixture.py: {' '.join(cmd[:1] + cmd[9:])}\n")
    with open(os.path.join(OUT, "mary-cepstra.txt"), "w") as f:
        f.write(common)
        f.write(f"# raw cepstra (-mfclogdir), {len(frames)} frames x 13\n")
        for fr in frames:
            f.write(" ".join(f"{v:.5f}" for v in fr) + "\n")
    with open(os.path.join(OUT, "mary-ci-senones.txt"), "w") as f:
        f.write(common)
        f.write(f"# CI senone scores (-senlogdir), every {STRIDE}rd frame (frame index 0-based): frame index, then "
                f"{N_CI_SENONES} scores in units of 1024*ln(1.0001) nats below the frame's best "
                "senone\n")
        for t in range(0, len(scores), STRIDE):
            f.write(f"{t} " + " ".join(str(v) for v in scores[t][:N_CI_SENONES]) + "\n")


if __name__ == "__main__":
    main()
