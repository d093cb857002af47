#!/usr/bin/env bash
# Aligns every evaluation recording and scores it against its truth.
#   python3 scripts/make_sample.py --variant all      # synthetic renditions -> eval-out/<variant>/
#   python3 scripts/fetch_real_speech.py              # real recordings      -> eval-out/real/<name>/
#   scripts/eval_all.sh > docs/accuracy-table.md
# Environment: CARGO_TARGET_DIR (where the release binary is built), EVAL_DIR (the
# recordings, default eval-out), OUT or ALIGNED_DIR (where the alignments are written,
# default $EVAL_DIR/aligned) and TALIGN_ARGS (extra `talign align` flags).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/talign
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
