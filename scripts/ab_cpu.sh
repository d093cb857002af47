#!/usr/bin/env bash
# CPU time (user + sys) of two talign builds on the same command, alternating, so machine
# load hits both alike: prints one line per run and the medians.
#   scripts/ab_cpu.sh [-n RUNS] BIN_A BIN_B -- TALIGN_ARGS...   (outputs go to a temp file)
set -euo pipefail
runs=3
[ "${1:-}" = -n ] && { runs=$2; shift 2; }
a=$1 b=$2; shift 2; [ "${1:-}" = -- ] && shift
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for ((i = 0; i < runs; i++)); do
  for bin in "$a" "$b"; do
    /usr/bin/time -f "%U %S %e %M" -o "$tmp/t" "$bin" "$@" -o "$tmp/out.json" >/dev/null 2>&1
    read -r u s e m < "$tmp/t"
    echo "$bin cpu $(echo "$u + $s" | bc) s wall $e s rss $((m / 1024)) MB" | tee -a "$tmp/all"
  done
done
for bin in "$a" "$b"; do
  grep -F "$bin cpu" "$tmp/all" | awk '{print $3}' | sort -n | awk -v b="$bin" '{v[NR]=$1} END {print b, "median cpu", v[int((NR+1)/2)], "s"}'
done
