#!/usr/bin/env bash
# Session 46: wall time of `talign sync` on scripts/eval_sync.py's `splits` cases, two builds
# alternating (hyperfine, one warm-up, RUNS runs each); outputs to a temporary directory.
#   docs/experiments/session-46/splits_speed.sh OLD_BIN NEW_BIN WORK RUNS REC...
old=$1 new=$2 work=$3 runs=$4; shift 4
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for rec in "$@"; do
  echo "== $rec splits"
  hyperfine -N -w 1 -r "$runs" \
    -n before "$old sync -q $work/$rec.splits.wav $work/$rec.splits.srt -o $out/b.srt" \
    -n after "$new sync -q $work/$rec.splits.wav $work/$rec.splits.srt -o $out/a.srt" 2>&1 |
    grep -E "^Benchmark|Time \(mean|User:|± σ|Range"
done
