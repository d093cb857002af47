#!/usr/bin/env bash
# Experiment (session 32): the reverberant copies after late-reverberation subtraction, scored.
#   docs/experiments/session-32/run_subtraction.sh BIN OUT [BETA=.. TD=.. FLOOR=..]
#   METHOD=wpe_dereverb docs/experiments/session-32/run_subtraction.sh BIN OUT [TAPS=.. DELAY=..]
# Makes OUT/audio (the processed copies), swaps them in for eval-out/reverb while
# scripts/eval_set.py scores them (--match reverb:), then puts eval-out/reverb back.
set -euo pipefail
cd "$(dirname "$0")/../../.."
bin=$1 out=$2; shift 2
rm -rf "$out/audio"; mkdir -p "$out"
env "$@" python3 "docs/experiments/session-32/${METHOD:-late_reverb_subtraction}.py" eval-out/reverb "$out/audio"
rm -f "$out/audio/settings.json"
mv eval-out/reverb eval-out/reverb-orig
trap 'rm -f eval-out/reverb; mv eval-out/reverb-orig eval-out/reverb' EXIT
ln -s "$(readlink -f "$out/audio")" eval-out/reverb
python3 scripts/eval_set.py --bin "$bin" --compare --match reverb: --out "$out/aligned" > "$out/table.md"
grep -E 'pooled|default \| real-reverb' "$out/table.md"
