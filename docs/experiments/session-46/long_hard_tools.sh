#!/usr/bin/env bash
# Session 46: alass-cli and ffsubsync on long_hard.py's hall and telephone copies of the
# 37-minute Festival cases, scored as long_hard_sync.sh scores talign (offset and ratio against
# the truth; splits against the dry recording's talign output, itself within 9 ms of it).
#   docs/experiments/session-46/long_hard_tools.sh LONG_HARD SYNC_WORK [ALASS]
h=$1 w=$2 alass=${3:-alass-cli}
here=$(dirname "$0")
for room in hall phone; do
  for v in offset ratio splits; do
    a=$h/$room-festival.wav; [ $v = splits ] && a=$h/$room-festival.splits.wav
    ref=$h/$room-festival.truth.srt; [ $v = splits ] && ref=$w/festival.splits.talign.srt
    for tool in alass ffsubsync; do
      out=$h/out-$tool-$room.$v.srt
      s=$(date +%s.%N)
      if [ $tool = alass ]; then
        "$alass" "$a" "$h/$room-festival.$v.srt" "$out" > /dev/null 2>&1
      else
        ffsubsync "$a" -i "$h/$room-festival.$v.srt" -o "$out" > /dev/null 2>&1
      fi
      e=$(date +%s.%N)
      echo "$room $v $tool: wall $(echo "$e - $s" | bc) s: $(python3 "$here/srt_starts_apart.py" "$out" "$ref")"
    done
  done
done
