#!/usr/bin/env bash
# Aligns every evaluation recording with one binary and writes the JSON outputs to a
# directory, so two builds can be compared turn by turn (start/end identical?).
#
#   scripts/compare_outputs.sh BIN OUTDIR [EVAL_DIR]
#   diff -r OUTDIR_BEFORE OUTDIR_AFTER
#
# EVAL_DIR defaults to eval-out (made by scripts/make_sample.py and
# scripts/fetch_real_speech.py); the committed sample is included as `main`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
bin=$1
out=$2
eval_dir=${3:-eval-out}
mkdir -p "$out"
"$bin" align -q sample-audio/kerry-aleppo-2016.mp3 sample-audio/kerry-aleppo-2016.txt \
  --format json -o "$out/main.json"
for v in voices snr20 snr10 snr5 drift1pct nostamps; do
  d=$eval_dir/$v
  [ -f "$d/kerry-aleppo-2016.txt" ] || continue
  "$bin" align -q "$d/kerry-aleppo-2016.mp3" "$d/kerry-aleppo-2016.txt" --format json \
    -o "$out/$v.json"
done
for d in "$eval_dir"/real/*/; do
  [ -f "$d/transcript.txt" ] || continue
  name=$(basename "$d")
  "$bin" align -q "$d/audio.wav" "$d/transcript.txt" --format json -o "$out/real-$name.json"
done
ls "$out" | wc -l
