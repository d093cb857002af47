#!/usr/bin/env bash
# Session 34: the limits on how long a phone may be held (forced::HoldLimits), swept on the
# five Drascula scenes dry and in both rooms (turns), then on the recordings with word truth
# (words: real speech dry and in both rooms, Festival's Czech and 10 dB renditions).
#   cargo build --profile ci --example tune_heard
#   docs/experiments/session-34/hold_sweep.sh TUNE_HEARD WORKDIR
set -euo pipefail
tune=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
settings=(
  "hold_cost=0"
  "obstruent_frames=10" "obstruent_frames=12" "obstruent_frames=15" "obstruent_frames=20" "obstruent_frames=25"
  "hold_cost=1" "hold_cost=2" "hold_cost=5"
  "vowel_frames=0" "vowel_frames=40" "vowel_frames=50" "vowel_frames=80"
  "sonorant_frames=20" "obstruent_frames=20 sonorant_frames=20"
)
"$here/../session-33/tune_sweep.sh" "$tune" "$work/turns" "${settings[@]}"
python3 "$here/word_sweep.py" "$tune" "$work/words" "${settings[@]}"
