#!/usr/bin/env bash
# Peak memory (max RSS) and wall time of `talign vad` and `talign align` as recordings grow.
#
#   scripts/bench_long.sh [-b BIN] [-o DIR] [HOURS ...]        # default HOURS: 1 3 10
#
# Long recordings are made by joining copies of the 37-min sample
# (sample-audio/kerry-aleppo-2016.mp3) with ffmpeg's concat demuxer (`-c copy`, no
# re-encoding) into DIR (default /tmp/talign-long; never the repository); the transcript
# is repeated with every stamp shifted by the copy's offset, so stamps stay usable. Files
# are reused when present. Each file is measured once per command with
# `/usr/bin/time -v` (apt-get install time if missing): wall seconds and maximum resident
# set size in MB. The load average is printed before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${CARGO_TARGET_DIR:-target}/release/talign"
dir=/tmp/talign-long
while getopts "b:o:" opt; do
  case $opt in
    b) bin=$OPTARG ;;
    o) dir=$OPTARG ;;
    *) sed -n '2,13p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
hours=("$@")
[ ${#hours[@]} -gt 0 ] || hours=(1 3 10)
[ -x "$bin" ] || { echo "no $bin: cargo build --release first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
src=sample-audio/kerry-aleppo-2016.mp3
txt=sample-audio/kerry-aleppo-2016.txt
mkdir -p "$dir"
src_s=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$src")

make_long() { # copies -> prints "audio transcript"
  local n=$1 audio="$dir/kerry-x$1.mp3" text="$dir/kerry-x$1.txt"
  if [ ! -f "$audio" ]; then
    local list="$dir/list-$n.txt"
    : > "$list"
    for _ in $(seq "$n"); do echo "file '$PWD/$src'" >> "$list"; done
    ffmpeg -v error -nostdin -f concat -safe 0 -i "$list" -c copy -y "$audio"
  fi
  if [ ! -f "$text" ]; then
    python3 - "$txt" "$n" "$src_s" > "$text" <<'PY'
import re, sys
path, n, dur = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
lines = open(path, encoding="utf-8").read().split("\n")
stamp = re.compile(r"^\[(?:(\d+):)?(\d+):(\d+)\]$")
out = []
for k in range(n):
    body = lines if k == 0 else lines[1:]  # the title line only once
    for line in body:
        m = stamp.match(line.strip())
        if m:
            h, mi, s = (int(x) if x else 0 for x in m.groups())
            t = int(h * 3600 + mi * 60 + s + k * dur)
            line = f"[{t // 3600}:{t // 60 % 60:02d}:{t % 60:02d}]"
        out.append(line)
print("\n".join(out))
PY
  fi
  echo "$audio $text"
}

measure() { # label cmd... -> "wall_s rss_mb"
  /usr/bin/time -v -o "$dir/time.txt" "$@" > /dev/null
  awk -F': ' '/Elapsed \(wall clock\)/{split($2,a,":"); w=(length(a)==3)?a[1]*3600+a[2]*60+a[3]:a[1]*60+a[2]}
              /Maximum resident set size/{r=$2/1024} END{printf "%.2f %.1f\n", w, r}' "$dir/time.txt"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| recording | hours | vad wall s | vad max RSS MB | align wall s | align max RSS MB |"
echo "|---|---:|---:|---:|---:|---:|"
rows=("1 $src $txt")
for h in "${hours[@]}"; do
  n=$(python3 -c "import math; print(max(1, math.ceil($h * 3600 / $src_s)))")
  read -r a t < <(make_long "$n")
  rows+=("$n $a $t")
done
for row in "${rows[@]}"; do
  read -r n a t <<< "$row"
  read -r vw vr < <(measure "$bin" vad -q "$a" -o "$dir/out.json")
  read -r aw ar < <(measure "$bin" align -q "$a" "$t" -o "$dir/out.json")
  secs=$(python3 -c "print(f'{$n * $src_s / 3600:.2f}')")
  echo "| $(basename "$a") ($n × 37 min) | $secs | $vw | $vr | $aw | $ar |"
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
