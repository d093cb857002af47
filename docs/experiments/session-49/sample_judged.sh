#!/bin/bash
# Session 49: the sample's judgement (cues asked, heard clearly, on / off their line, and
# neighbours whose offsets from the line differ by more than 0.3 s) after its first third and
# over the whole sample, with a build of sample-judged.patch (on 6cd8e86; the whole sample is
# heard even where the first third ends the fast path). Each run is stopped after 12 s.
#   docs/experiments/session-49/sample_judged.sh BIN OUT EVAL_WORK
BIN=$1; OUT=$2; D=$3
mkdir -p $OUT
for rec in espeak festival snr10 festival-hall festival-phone real; do
  for v in offset splits loose another; do
    srt=$D/$rec.$v.srt; [ -f $srt ] || continue
    wav=$D/$rec.wav; [ $v = splits ] && wav=$D/$rec.splits.wav
    TALIGN_DBG_HEARD=1 TALIGN_DBG_FULL=1 timeout 12 $BIN sync $wav $srt -o $OUT/$rec.$v.srt 2>&1 | grep "DBG judged" | sed "s/^/$rec $v /" >> $OUT/summary
  done
done
touch $OUT/done
