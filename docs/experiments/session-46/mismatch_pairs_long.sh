#!/usr/bin/env bash
# Session 46: 37-minute recordings with another recording's subtitles (another text, or the
# same text in another voice), each run's exit, wall time, confidence and (with a build of
# pieces-trace.patch) the share of cues heard piece by piece.
#   docs/experiments/session-46/mismatch_pairs_long.sh BIN SYNC_WORK LONG_HARD OUT
# SYNC_WORK: a scripts/eval_sync.py --out directory; LONG_HARD: long_hard.py's OUT.
bin=$1 w=$2 h=$3 out=$4
mkdir -p "$out"
run() { # name audio subs
  local s e rc
  s=$(date +%s.%N)
  TALIGN_EXP_PIECES_TRACE=1 "$bin" sync -q "$2" "$3" -o "$out/$1.srt" > /dev/null 2> "$out/$1.log"; rc=$?
  e=$(date +%s.%N)
  echo "$1 exit $rc wall $(echo "$e - $s" | bc) $(grep pieces: "$out/$1.log") $(grep -o 'confidence [0-9.]*' "$out/$1.log" | head -1)"
}
run espeak-festsubs "$w/espeak.wav" "$w/festival.offset.srt"
run festival-espeaksubs "$w/festival.wav" "$w/espeak.offset.srt"
run espeak-realsubs "$w/espeak.wav" "$w/real.offset.srt"
run festival-realsubs "$w/festival.wav" "$w/real.offset.srt"
run hallfest-espeaksubs "$h/hall-festival.wav" "$w/espeak.offset.srt"
run snr10-festsubs "$w/snr10.wav" "$w/festival.offset.srt"
run espeaksplits-festsplitsubs "$w/espeak.splits.wav" "$w/festival.splits.srt"
