#!/usr/bin/env bash
# Experiment (session 32): late-reverberation subtraction with one RT60 for every recording,
# dry and reverberant alike (no estimate of the room), scored on both.
#   docs/experiments/session-32/fixed_subtraction.sh BIN OUT RT60
# Processes eval-out/real and eval-out/reverb into OUT/real and OUT/reverb
# (late_reverb_subtraction.py's subtract_late: β 1, 50 ms, floor 0.1), swaps them in while
# scripts/eval_set.py scores them (--match real: --match reverb:), then puts both back.
set -euo pipefail
cd "$(dirname "$0")/../../.."
bin=$1 out=$2 rt60=$3
rm -rf "$out"; mkdir -p "$out"
for set in real reverb; do
  python3 - "eval-out/$set" "$out/$set" "$rt60" <<'PY'
import os, shutil, sys
sys.path.insert(0, "docs/experiments/session-32"); sys.path.insert(0, "scripts")
import numpy as np
from late_reverb_subtraction import subtract_late
from make_reverb import read_wav, write_wav
src, dst, rt60 = sys.argv[1], sys.argv[2], float(sys.argv[3])
for name in sorted(os.listdir(src)):
    d = os.path.join(src, name)
    if not (os.path.exists(os.path.join(d, "truth.json")) and os.path.exists(os.path.join(d, "audio.wav"))):
        continue
    o = os.path.join(dst, name)
    os.makedirs(o, exist_ok=True)
    x, rate = read_wav(os.path.join(d, "audio.wav"))
    y = subtract_late(x, rate, rt60, 0.05, 1.0, 0.1)
    y *= np.max(np.abs(x)) / max(np.max(np.abs(y)), 1e-9)
    write_wav(os.path.join(o, "audio.wav"), y, rate)
    for f in ("transcript.txt", "truth.json"):
        shutil.copyfile(os.path.join(d, f), os.path.join(o, f))
PY
done
mv eval-out/real eval-out/real-orig; mv eval-out/reverb eval-out/reverb-orig
trap 'rm -f eval-out/real eval-out/reverb; mv eval-out/real-orig eval-out/real; mv eval-out/reverb-orig eval-out/reverb' EXIT
ln -s "$(readlink -f "$out/real")" eval-out/real; ln -s "$(readlink -f "$out/reverb")" eval-out/reverb
python3 scripts/eval_set.py --bin "$bin" --match real: --match reverb: --out "$out/aligned" > "$out/table.md"
grep pooled "$out/table.md"
