#!/bin/bash
# Session 49: the counts of cues heard clearly on / off their stretch's line at each stage of
# the sync (the sample's first third, the whole sample, the final listening), every case of
# scripts/eval_sync.py, with a build of heard-counts.patch (on 6cd8e86).
#   docs/experiments/session-49/heard_counts.sh BIN OUT EVAL_WORK
# EVAL_WORK: a scripts/eval_sync.py --out directory (its WAVs and distorted SRTs).
BIN=$1; OUT=$2; D=$3
mkdir -p $OUT
for rec in espeak festival snr10 festival-hall festival-phone real; do
  for v in offset ratio splits loose another; do
    srt=$D/$rec.$v.srt; [ -f $srt ] || continue
    wav=$D/$rec.wav; [ $v = splits ] && wav=$D/$rec.splits.wav
    s=$(date +%s.%N)
    TALIGN_DBG_HEARD=1 $BIN sync $wav $srt -o $OUT/$rec.$v.srt --report json > $OUT/$rec.$v.json 2> $OUT/$rec.$v.err
    echo "$rec $v exit $? $(echo "$(date +%s.%N) - $s" | bc) s" >> $OUT/summary
  done
done
touch $OUT/done
