#!/usr/bin/env bash
# Wall time of talign against ffmpeg decoding the same file to 16 kHz mono, alternating.
#
#   scripts/bench_vs_ffmpeg.sh [-n RUNS] [-b BIN] AUDIO [TRANSCRIPT]
#
# Each round runs, one after the other: ffmpeg (`ffmpeg -i AUDIO -f s16le -ac 1 -ar 16000
# -y /dev/null`), `talign vad AUDIO`, and with a TRANSCRIPT `talign align AUDIO TRANSCRIPT`
# (outputs to a temporary file: never -o /dev/null, which an atomic rename would replace),
# `talign align --words`, and `talign align --no-reference`. Alternating inside each round means a change of machine load hits
# every command alike. One warm-up round is not counted. Prints, per command, the median
# and min of wall time and the median of CPU time (user + sys), then the ratios of
# medians to ffmpeg's, and the load average before and after.
# Defaults: RUNS 10, BIN target/release/talign (respects CARGO_TARGET_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=10
bin="${CARGO_TARGET_DIR:-target}/release/talign"
while getopts "n:b:" opt; do
  case $opt in
    n) runs=$OPTARG ;;
    b) bin=$OPTARG ;;
    *) sed -n '2,12p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
audio=$1
transcript=${2:-}
[ -x "$bin" ] || { echo "no $bin: cargo build --release first" >&2; exit 1; }

names=(ffmpeg vad)
tmp=$(mktemp -d)
cmds=("ffmpeg -v error -nostdin -i $audio -f s16le -ac 1 -ar 16000 -y /dev/null"
      "$bin vad -q $audio -o $tmp/out.json")
if [ -n "$transcript" ]; then
  names+=(align align-words align-no-reference)
  cmds+=("$bin align -q $audio $transcript -o $tmp/out.json"
         "$bin align -q --words $audio $transcript -o $tmp/out.json"
         "$bin align -q --no-reference $audio $transcript -o $tmp/out.json")
fi

trap 'rm -rf "$tmp"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 0 "$runs"); do
  for i in "${!names[@]}"; do
    # %e wall s, %U user s, %S sys s
    /usr/bin/time -f "%e %U %S" -o "$tmp/one" ${cmds[$i]} >/dev/null
    [ "$round" -eq 0 ] || cat "$tmp/one" >> "$tmp/${names[$i]}"
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$tmp" "$runs" "$load_before" "$load_after" "${names[@]}" <<'PY'
import statistics, sys
tmp, runs, before, after, *names = sys.argv[1:]
rows = {}
for n in names:
    vals = [tuple(map(float, l.split())) for l in open(f"{tmp}/{n}")]
    wall = [v[0] for v in vals]
    cpu = [v[1] + v[2] for v in vals]
    rows[n] = (statistics.median(wall), min(wall), statistics.median(cpu))
print(f"{runs} alternating rounds; load average before {before}, after {after}")
print()
print("| command | median wall s | min wall s | median CPU s | wall / ffmpeg | CPU / ffmpeg |")
print("|---|---:|---:|---:|---:|---:|")
f = rows["ffmpeg"]
for n in names:
    w, m, c = rows[n]
    print(f"| {n} | {w:.3f} | {m:.3f} | {c:.3f} | {w / f[0]:.2f} | {c / f[2]:.2f} |")
PY
