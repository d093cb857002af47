#!/usr/bin/env bash
# Aligns every evaluation recording with one binary and writes the JSON outputs (and the
# `talign vad` regions, as vad-NAME.json) to a directory, so that two builds can be compared
# turn by turn and region by region.
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
one() {
  "$bin" align -q "$2" "$3" --format json -o "$out/$1.json"
  "$bin" vad -q "$2" --format json -o "$out/vad-$1.json"
}
one main sample-audio/kerry-aleppo-2016.mp3 sample-audio/kerry-aleppo-2016.txt
for v in voices snr20 snr10 snr5 drift1pct nostamps; do
  d=$eval_dir/$v
  [ -f "$d/kerry-aleppo-2016.txt" ] || continue
  one "$v" "$d/kerry-aleppo-2016.mp3" "$d/kerry-aleppo-2016.txt"
done
for d in "$eval_dir"/real/*/; do
  [ -f "$d/transcript.txt" ] || continue
  one "real-$(basename "$d")" "$d/audio.wav" "$d/transcript.txt"
done
ls "$out" | wc -l
