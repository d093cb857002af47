#!/bin/bash
# Session 43: the fast path's window (±slack around each sampled cue), 1.5 s as shipped against
# 1.0, 0.75 and 0.5 s, on the offset cases of an eval_sync.py run (one run each, user CPU s,
# whether the sample stood, and whether the output is that of the shipped build).
#   docs/experiments/session-43/sample_slack_runs.sh BIN SYNC_DIR
# BIN: a build with sample-slack-switch.patch (TALIGN_EXP_SAMPLE_SLACK); SYNC_DIR: the --out of
# `python3 scripts/eval_sync.py --tools talign ...` with the shipped build.
BIN=$(readlink -f "$1")
cd "$2"
for sl in 1.5 1.0 0.75 0.5; do
  for c in espeak.wav:espeak.offset.srt festival.wav:festival.offset.srt real.wav:real.offset.srt; do
    w=${c%%:*} s=${c##*:}
    TALIGN_EXP_SAMPLE_SLACK=$sl /usr/bin/time -f "%U" -o /tmp/slack.t "$BIN" sync -q "$w" "$s" \
      -o "/tmp/slack-$sl-$s" --report json 2>/tmp/slack.json
    same=$(cmp -s "/tmp/slack-$sl-$s" "${s%.srt}.talign.srt" && echo same || echo differs)
    echo "$sl $s user $(cat /tmp/slack.t) s; sampled $(python3 -c "import json; print(json.load(open('/tmp/slack.json'))['sampled'])"); output $same"
  done
done
