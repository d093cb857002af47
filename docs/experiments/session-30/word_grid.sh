#!/bin/bash
# Session 30: one run of the word table with experiment switches from the environment.
#   docs/experiments/session-30/word_grid.sh BIN OUT [VAR=VALUE ...]
# e.g. (a build of feature-adaptation-switch.patch on 054754f):
#   docs/experiments/session-30/word_grid.sh /work/bins/talign-s30adapt /work/s30/ad-all TALIGN_EXP_ADAPT=1,0 TALIGN_EXP_ADAPT_MODE=all
# Prints recording, word starts within 25 / 50 / 100 ms and missed words.
set -euo pipefail
bin=$1 out=$2
shift 2
cd "$(dirname "$0")/../../.."
env "$@" python3 scripts/eval_set.py --bin "$bin" --only words --out "$out" > "$out.log" 2>&1
echo "== $out $*"
awk '/### Word/{f=1} /### Confidence/{f=0} f && /^\|/ && !/---/' "$out.log" |
    awk -F'|' '{printf "%-32s %6s %6s %6s %6s\n", $3, $6, $7, $8, $5}'
