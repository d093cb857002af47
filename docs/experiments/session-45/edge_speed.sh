#!/usr/bin/env bash
# Session 45: wall time of `talign sync` before and after the long cues heard by their edges,
# on scripts/eval_sync.py's cases (run it first; WORK is its --out directory).
#   docs/experiments/session-45/edge_speed.sh OLD_BIN NEW_BIN WORK
# hyperfine, one warm-up; 5 runs per build on offset cases, 3 on splits. Outputs go to a
# temporary directory (never -o /dev/null).
set -euo pipefail
old=$1 new=$2 work=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run() { # AUDIO SUBS RUNS
  hyperfine -N -w 1 -r "$3" \
    -n before "$old sync -q $work/$1 $work/$2 -o $out/before.srt" \
    -n after "$new sync -q $work/$1 $work/$2 -o $out/after.srt" 2>&1 |
    grep -E "^Benchmark|Time \(mean|User:|± σ" || true
}
for rec in espeak festival snr10 real; do
  echo "== $rec offset"; run $rec.wav $rec.offset.srt 5
done
for rec in espeak festival real; do
  echo "== $rec splits"; run $rec.splits.wav $rec.splits.srt 3
done
