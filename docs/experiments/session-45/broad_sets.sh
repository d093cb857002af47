#!/usr/bin/env bash
# Session 45: every sync set but the English one, for one build (N sets
# TALIGN_EXP_EDGE_WORDS for edge-words-switch.patch builds; the shipped build ignores it).
#   docs/experiments/session-45/broad_sets.sh BIN N WORK
set -u
bin=$(readlink -f "$1") n=$2 w=$(readlink -m "$3")
cd "$(dirname "$0")/../../.."
export TALIGN_EXP_EDGE_WORDS=$n
mkdir -p $w
docs/experiments/session-32/sync_in_hall.sh $bin $w/hall-all all > $w/hall-all.out 2>&1
docs/experiments/session-32/sync_in_hall.sh $bin $w/hall-half half > $w/hall-half.out 2>&1
for s in spanish spanish-hall czech distinct; do
  docs/experiments/session-42/other_language_sync.sh $bin $w/ol-$s $s > $w/ol-$s.out 2>&1
done
python3 docs/experiments/session-42/translated_subs.py $bin $w/translated > $w/translated.out 2>&1
touch $w/done
