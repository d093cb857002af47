#!/bin/bash
# Session 44: the layout choice (most of the shared sample heard) with the fast path's sample
# at 48 and at 24 cues, on every sync set: the hall (half, all), Spanish, the Spanish hall,
# Czech, the distinct recordings' mismatched pairs, then the English set (eval_sync.py).
# BIN: a build with docs/experiments/session-43/sample-cues-switch.patch
# (TALIGN_EXP_SAMPLE_CUES). One set after another, never two at once: each set's script
# clears its WORK directory first.
#   docs/experiments/session-44/sample_runs.sh BIN WORK
BIN=$(readlink -f "$1") WORK=$(readlink -f "$2")
cd "$(dirname "$0")/../../.."
mkdir -p "$WORK"
for n in 48 24; do
  export TALIGN_EXP_SAMPLE_CUES=$n
  for set in spanish-hall czech spanish distinct; do
    docs/experiments/session-42/other_language_sync.sh "$BIN" "$WORK/ol-$set-$n" $set > "$WORK/ol-$set-$n.out" 2>&1
  done
  docs/experiments/session-32/sync_in_hall.sh "$BIN" "$WORK/hall-half-$n" half > "$WORK/hall-half-$n.out" 2>&1
  docs/experiments/session-32/sync_in_hall.sh "$BIN" "$WORK/hall-all-$n" all > "$WORK/hall-all-$n.out" 2>&1
  python3 scripts/eval_sync.py --tools talign --data eval-out --out "$WORK/sync-$n" \
    --talign "$BIN" > "$WORK/sync-$n.log" 2>&1
done
echo done > "$WORK/sample_runs.done"
