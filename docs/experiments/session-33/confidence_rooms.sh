#!/usr/bin/env bash
# Session 33: the reverberant copies aligned for the turn confidence's fit, beside the set
# that scripts/tune_heard.sh aligns (TUNE_ALL=1), so that scripts/fit_turn_confidence.py can
# score them (and, with --with-copies, fit on them).
#   cargo build --profile ci --example tune_heard
#   docs/experiments/session-33/confidence_rooms.sh TUNE_HEARD RAW LATTICE
#   python3 scripts/fit_turn_confidence.py RAW LATTICE [--with-copies] [--extra start_moved]
# RAW_EXTRA adds settings to the raw runs (session 40: `RAW_EXTRA=words=1`, the words kept).
set -euo pipefail
tune=$1 raw=$2 lattice=$3
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
TUNE_ALL=1 scripts/tune_heard.sh "$raw" raw_confidence=1 ${RAW_EXTRA:-} >/dev/null
TUNE_ALL=1 scripts/tune_heard.sh "$lattice" listener=lattice >/dev/null
args=()
for d in eval-out/reverb/*/; do
  n=$(basename "$d")
  python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['turns']; sys.exit(0 if sum(x.get('start') is not None for x in t) > 1 else 1)" "$d/truth.json" \
    && args+=("$d/audio.wav" "$d/transcript.txt" "reverb:$n")
done
"$tune" "$raw" raw_confidence=1 ${RAW_EXTRA:-} -- "${args[@]}" 2>/dev/null
"$tune" "$lattice" listener=lattice -- "${args[@]}" 2>/dev/null
