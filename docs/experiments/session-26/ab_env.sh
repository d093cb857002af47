#!/usr/bin/env bash
# ab_env.sh N BIN "ENV_A" "ENV_B" -- ARGS: CPU, wall and peak RSS of one binary under two
# environments, alternating N times; medians of CPU at the end. (Kept in /work/s24 since
# session 24, committed here in session 26.)
set -euo pipefail
runs=$1 bin=$2 ea=$3 eb=$4; shift 4; [ "${1:-}" = -- ] && shift
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for ((i = 0; i < runs; i++)); do
  for e in "$ea" "$eb"; do
    env $e /usr/bin/time -f "%U %S %e %M" -o "$tmp/t" "$bin" "$@" -o "$tmp/out.json" >/dev/null 2>&1
    read -r u s el m < "$tmp/t"
    echo "[$e] cpu $(echo "$u + $s" | bc) wall $el rss $((m/1024))" | tee -a "$tmp/all"
  done
done
for e in "$ea" "$eb"; do grep -F "[$e] cpu" "$tmp/all" | awk '{print $(NF-4)}' | sort -n | awk -v e="$e" '{v[NR]=$1} END {print e, "median cpu", v[int((NR+1)/2)]}'; done
