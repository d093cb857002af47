#!/usr/bin/env bash
# Session 40: session 33's confidence_rooms.sh with the words in the raw outputs, so that
# scripts/fit_turn_confidence.py can read features of a turn's heard words
# (`--extra pause_share`, `--extra word_gap`).
#   cargo build --profile ci --example tune_heard
#   docs/experiments/session-40/confidence_words.sh TUNE_HEARD RAW LATTICE
#   python3 scripts/fit_turn_confidence.py RAW LATTICE [--with-copies] [--extra pause_share]
set -euo pipefail
tune=$1 raw=$2 lattice=$3
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
TUNE_ALL=1 scripts/tune_heard.sh "$raw" raw_confidence=1 words=1 >/dev/null
TUNE_ALL=1 scripts/tune_heard.sh "$lattice" listener=lattice >/dev/null
args=()
for d in eval-out/reverb/*/; do
  n=$(basename "$d")
  python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['turns']; sys.exit(0 if sum(x.get('start') is not None for x in t) > 1 else 1)" "$d/truth.json" \
    && args+=("$d/audio.wav" "$d/transcript.txt" "reverb:$n")
done
"$tune" "$raw" raw_confidence=1 words=1 -- "${args[@]}" 2>/dev/null
"$tune" "$lattice" listener=lattice -- "${args[@]}" 2>/dev/null
