#!/bin/bash
# Session 43: the fast path's sample size, 48 (as shipped) against 24, on the hall and the
# non-English sets. BIN: a build with sample-cues-switch.patch (TALIGN_EXP_SAMPLE_CUES).
#   docs/experiments/session-43/sample_size_runs.sh BIN WORK
BIN=$(readlink -f "$1") WORK=$(readlink -f "$2")
cd "$(dirname "$0")/../../.."
for n in 48 24; do
  export TALIGN_EXP_SAMPLE_CUES=$n
  for set in spanish-hall czech spanish; do
    docs/experiments/session-42/other_language_sync.sh "$BIN" $WORK/ol-$set-$n $set > $WORK/ol-$set-$n.out 2>&1
  done
  docs/experiments/session-32/sync_in_hall.sh "$BIN" $WORK/hall-half-$n half > $WORK/hall-half-$n.out 2>&1
  docs/experiments/session-32/sync_in_hall.sh "$BIN" $WORK/hall-all-$n all > $WORK/hall-all-$n.out 2>&1
done
echo ALLDONE > $WORK/sample_runs.done
