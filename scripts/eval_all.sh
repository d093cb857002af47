#!/usr/bin/env bash
# Aligns every evaluation recording and scores it against its truth.
#   python3 scripts/make_sample.py --variant all      # espeak-ng renditions -> eval-out/<variant>/
#   python3 scripts/make_festival.py                  # Festival renditions  -> eval-out/festival*/
#   python3 scripts/fetch_real_speech.py              # real recordings      -> eval-out/real/<name>/
#   scripts/eval_all.sh > docs/accuracy-table.md      # per-recording detail, then the summary
#   scripts/eval_all.sh --compare                     # summary only: TALIGN_ARGS and TALIGN_ARGS
#                                                     # --no-reference side by side
# Environment: TALIGN_BIN (the binary; when unset, `cargo build --release` and
# $CARGO_TARGET_DIR/release/talign), EVAL_DIR (the recordings, default eval-out), OUT or
# ALIGNED_DIR (where the alignments are written, default $EVAL_DIR/aligned) and TALIGN_ARGS
# (extra `talign align` flags).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${TALIGN_BIN:-}" ]; then
  cargo build --release --quiet
  TALIGN_BIN=${CARGO_TARGET_DIR:-target}/release/talign
fi
bin=$TALIGN_BIN
if [ "${1:-}" = "--compare" ]; then
  exec python3 scripts/eval_set.py --bin "$bin" --args "${TALIGN_ARGS:-}" --compare
fi
eval_dir=${EVAL_DIR:-eval-out}
out=${OUT:-${ALIGNED_DIR:-$eval_dir/aligned}}
read -r -a extra <<< "${TALIGN_ARGS:-}"
mkdir -p "$out"
pairs=()
for v in main voices snr20 snr10 snr5 drift1pct nostamps; do
  d=$eval_dir/$v
  [ "$v" = main ] && d=sample-audio
  [ -f "$d/kerry-aleppo-2016.truth.json" ] || { echo "missing $d (run make_sample.py --variant $v)" >&2; continue; }
  audio=$d/kerry-aleppo-2016.mp3
  "$bin" align -q ${extra[@]+"${extra[@]}"} "$audio" "$d/kerry-aleppo-2016.txt" -o "$out/$v.json"
  pairs+=("$v=$d/kerry-aleppo-2016.truth.json:$out/$v.json")
done
for truth in "$eval_dir"/festival*/*.truth.json; do
  [ -f "$truth" ] || { echo "no Festival renditions (run scripts/make_festival.py)" >&2; break; }
  d=$(dirname "$truth")
  v=$(basename "$d")
  read -r audio transcript < <(python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); print(t["audio"], t["transcript"])' "$truth")
  "$bin" align -q ${extra[@]+"${extra[@]}"} "$d/$audio" "$d/$transcript" -o "$out/$v.json"
  pairs+=("$v=$truth:$out/$v.json")
done
for d in "$eval_dir"/real/*/; do
  name=$(basename "$d")
  [ -f "$d/transcript.txt" ] || continue
  python3 - "$d/truth.json" <<'PY' || continue
import json, sys
t = json.load(open(sys.argv[1]))
sys.exit(0 if any(x.get("start") is not None for x in t["turns"]) and len(t["turns"]) > 1 else 1)
PY
  "$bin" align -q ${extra[@]+"${extra[@]}"} "$d/audio.wav" "$d/transcript.txt" -o "$out/real-$name.json"
  pairs+=("real:$name=$d/truth.json:$out/real-$name.json")
done
python3 scripts/eval_align.py "${pairs[@]}"
echo
python3 scripts/eval_set.py --bin "$bin" --args "${TALIGN_ARGS:-}"
