#!/bin/bash
# Session 21: word-by-word second choices for sounds English lacks, table by table, on the
# evaluation set's recordings in other languages (Spanish, Czech, French).
#   git apply docs/experiments/session-21/alternates_tables.patch; cargo build --release
#   docs/experiments/session-21/run_alternates.sh target/release/talign OUTDIR
# Writes OUTDIR/alt-TABLE.md (eval_set.py's tables) for each table of the patch.
set -e
bin=$1; out=$2
for alt in none a b c v k d; do
  TALIGN_EXP_ALT=$alt python3 scripts/eval_set.py --bin "$bin" --out "$out/alt-$alt" \
    --match drascula-es --match czech --match frint > "$out/alt-$alt.md"
  echo "$alt: $(grep -E 'es-ch1|village|frint|czech' "$out/alt-$alt.md" | grep -v pooled | tr '\n' ' ')"
done
