#!/usr/bin/env bash
# Session 46: `talign sync` on long_hard.py's hall and telephone copies of the 37-minute
# Festival cases (offset, ratio, splits); each output scored against the truth (offset,
# ratio) or against the dry recording's own output (splits: SYNC_WORK's
# festival.splits.talign.srt, itself within 9 ms of the truth).
#   docs/experiments/session-46/long_hard_sync.sh BIN LONG_HARD SYNC_WORK
bin=$1 h=$2 w=$3
here=$(dirname "$0")
for room in hall phone; do
  for v in offset ratio splits; do
    a=$h/$room-festival.wav; [ $v = splits ] && a=$h/$room-festival.splits.wav
    s=$(date +%s.%N)
    TALIGN_EXP_PIECES_TRACE=1 "$bin" sync -q "$a" "$h/$room-festival.$v.srt" -o "$h/out-$room.$v.srt" \
      --report json > /dev/null 2> "$h/log-$room.$v"; rc=$?
    e=$(date +%s.%N)
    ref=$h/$room-festival.truth.srt; [ $v = splits ] && ref=$w/festival.splits.talign.srt
    echo "$room $v: exit $rc, wall $(echo "$e - $s" | bc) s, $(grep -o '"confidence": [0-9.]*' "$h/log-$room.$v") $(grep pieces: "$h/log-$room.$v")"
    python3 "$here/srt_starts_apart.py" "$h/out-$room.$v.srt" "$ref"
  done
done
