#!/usr/bin/env bash
# Minor page faults, system and user CPU time and peak RSS of one command, for each binary
# in turn, N rounds (session 27: buffers that were mapped afresh per window or per run).
#
#   docs/experiments/session-27/faults.sh N BIN_A BIN_B -- ARGS...
#
# e.g. ... 3 /work/bins/talign-s26g /work/bins/talign-s27g -- align -q sample-audio/kerry-aleppo-2016.mp3 sample-audio/kerry-aleppo-2016.txt -o /tmp/out.json
set -euo pipefail
n=$1 a=$2 b=$3
shift 3
[ "$1" = "--" ] && shift
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$n"); do
  for bin in "$a" "$b"; do
    /usr/bin/time -f "$(basename "$bin"): %e s wall, %U s user, %S s sys, %R minor faults, %M KB" \
      "$bin" "$@" 2>&1 >/dev/null | tail -1
  done
done
