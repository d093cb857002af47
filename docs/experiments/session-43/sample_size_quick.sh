#!/bin/bash
# Session 43: the fast path's sample size 48 / 24 / 16 / 12 on four cases of an eval_sync.py run
# (wall and user CPU s, whether the sample stood, the confidence, and whether the output is the
# shipped build's).
#   docs/experiments/session-43/sample_size_quick.sh BIN SYNC_DIR
# BIN: a build with sample-cues-switch.patch (TALIGN_EXP_SAMPLE_CUES); SYNC_DIR: the --out of
# `python3 scripts/eval_sync.py --tools talign ...` with the shipped build.
BIN=$(readlink -f "$1")
cd "$2"
for n in 48 24 16 12; do
  for c in espeak.wav:espeak.offset.srt festival.wav:festival.offset.srt real.wav:real.offset.srt real.wav:real.ratio.srt; do
    w=${c%%:*} s=${c##*:}
    TALIGN_EXP_SAMPLE_CUES=$n /usr/bin/time -f "%e %U" -o /tmp/size.t "$BIN" sync -q "$w" "$s" \
      -o "/tmp/size-$n-$s" --report json 2>/tmp/size.json
    same=$(cmp -s "/tmp/size-$n-$s" "${s%.srt}.talign.srt" && echo same || echo differs)
    echo "$n $s wall/user $(cat /tmp/size.t) sampled/confidence $(python3 -c "import json; r = json.load(open('/tmp/size.json')); print(r['sampled'], r['confidence'])") output $same"
  done
done
