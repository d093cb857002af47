#!/usr/bin/env bash
# Session 35: how far speech runs on past the heard words on each recording of the
# evaluation set (align::Echo: the median over heard turns' last words that a pause
# follows), through examples/tune_heard.rs with the default settings; prints one line per
# recording: frames of run-on (tail_frames), the level's fall at the words' end, and whether
# the recording counts as echoing (unplaced turns' ends trimmed).
#   cargo build --profile ci --example tune_heard
#   docs/experiments/session-35/echo.sh TUNE_HEARD WORKDIR
set -euo pipefail
tune=$1 work=$2
cd "$(dirname "$0")/../../.."
args=()
for d in eval-out/real/* eval-out/reverb/*; do
  [ -f "$d/audio.wav" ] || continue
  n=$(basename "$d"); [ "${d#*reverb/}" != "$d" ] || n="dry-$n"
  args+=("$d/audio.wav" "$d/transcript.txt" "$n")
done
for v in main snr5 snr10 snr20 voices festival festival-en-only festival-snr10-drift1 festival-snr20-drift03 festival-czech; do
  d=eval-out/$v; [ "$v" = main ] && d=sample-audio
  a=$(ls "$d"/*.mp3 2>/dev/null | head -1 || true); t=$(ls "$d"/*.txt 2>/dev/null | head -1 || true)
  [ -n "$a" ] && [ -n "$t" ] && args+=("$a" "$t" "$v")
done
"$tune" "$work" -- "${args[@]}" 2>&1 | grep ': echo ' | sed -E 's/Echo \{ fall: ([0-9.-]+), tail_frames: ([0-9.-]+), measured: ([0-9]+), echoes: ([a-z]+), trimmed: ([0-9]+) \}/tail \2 frames, fall \1, \3 ends, echoes \4, \5 trimmed/'
