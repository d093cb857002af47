#!/bin/bash
# Session 39: the optional silence between words and the obstruents' hold limit read from
# the environment (TALIGN_X_SILENCE = its probability, TALIGN_X_OBSTRUENT = frames), the
# whole evaluation set for each setting.
# BIN: a release build with docs/experiments/session-39/silence-switch.patch applied.
#   docs/experiments/session-39/grid.sh BIN OUT SILENCE:OBSTRUENT ...
BIN=$1; OUT=$2; shift 2
for v in "$@"; do
  s=${v%%:*}; o=${v##*:}; n=grid-s$s-o$o
  TALIGN_X_SILENCE=$s TALIGN_X_OBSTRUENT=$o python3 scripts/eval_set.py --bin $BIN --compare --out $OUT/$n > $OUT/$n.log 2>&1
  echo "$n done"
done
