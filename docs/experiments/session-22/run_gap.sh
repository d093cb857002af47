#!/usr/bin/env bash
# Session 22 (docs/accuracy.md, "Session 22"): a heard end run on over chunks less than G
# frames apart, for G = 0 (as before), 5, 10 and 20, on every recording with turn truth.
# From the repository root, on a commit before the change (a49b7f9):
#   git apply docs/experiments/session-22/heard_end_gap.patch && cargo build --release
#   docs/experiments/session-22/run_gap.sh target/release/talign OUTDIR
# Prints each setting's turn table to OUTDIR/gapG.log and the ends that moved closer or
# further against G = 0, per voice family.
set -euo pipefail
bin=$1 out=$2
mkdir -p "$out"
for g in 0 5 10 20; do
  TALIGN_EXP_GAP=$g python3 scripts/eval_set.py --bin "$bin" --only turns --out "$out/gap$g" > "$out/gap$g.log"
done
for g in 5 10 20; do
  echo "== G = $g"
  python3 docs/experiments/session-21/end_errors.py "$out/gap0" "$out/gap$g"
done
