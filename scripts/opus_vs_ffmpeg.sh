#!/usr/bin/env bash
# talign's Opus decoder (opus-pure) against ffmpeg on the same file: decode speed and
# accuracy. The figures in docs/decoding.md ("Opus") come from this script.
#
#   scripts/opus_vs_ffmpeg.sh [-n RUNS] [OPUS]
#
# Without OPUS it makes the 37-minute test file first:
#   ffmpeg -i sample-audio/kerry-aleppo-2016.mp3 -c:a libopus -b:a 32k /tmp/k.opus
# Speed: RUNS rounds (default 3) of, one after the other, `talign info OPUS` (decodes the
# whole file: demux, Opus, downmix, damage checks), the same decode writing mono f32 to a
# temporary file (examples/decode_raw.rs), and ffmpeg's native decoder and ffmpeg's libopus
# decoder writing f32 (all channels) to a temporary file (never /dev/null); median wall and
# CPU time of each (CPU time is the figure to compare on a shared machine). ffmpeg's
# channels are averaged here, as talign averages them, before comparing. Accuracy: talign's samples (examples/decode_raw.rs) against each
# ffmpeg decode: SNR, best lag (cross-correlation over the first 60 s) and where the first
# sample above 0.05 lies (the first speech onset), in ms.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3
while getopts "n:" opt; do
  case $opt in
    n) runs=$OPTARG ;;
    *) sed -n '2,15p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
opus=${1:-/tmp/k.opus}
if [ ! -e "$opus" ]; then
  ffmpeg -v error -nostdin -i sample-audio/kerry-aleppo-2016.mp3 -c:a libopus -b:a 32k "$opus"
fi
target=${CARGO_TARGET_DIR:-target}/ci
cargo build -q --profile ci --bin talign --example decode_raw
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

names=(talign-info talign-to-file ffmpeg-native ffmpeg-libopus)
cmds=("$target/talign info $opus"
      "$target/examples/decode_raw $opus $tmp/talign.f32"
      "ffmpeg -v error -nostdin -y -i $opus -f f32le $tmp/native.f32"
      "ffmpeg -v error -nostdin -y -c:a libopus -i $opus -f f32le $tmp/libopus.f32")
for ((r = 0; r < runs; r++)); do
  for i in "${!cmds[@]}"; do
    /usr/bin/time -f "%e %U %S" -a -o "$tmp/time-$i" ${cmds[$i]} > /dev/null
  done
done
echo "decode of $opus ($(du -h "$opus" | cut -f1)), median of $runs runs:"
for i in "${!cmds[@]}"; do
  sort -n "$tmp/time-$i" | awk -v n="${names[$i]}" '{ w[NR] = $1; c[NR] = $2 + $3 }
    END { m = int((NR + 1) / 2); printf "  %-15s wall %6.2f s  cpu %6.2f s\n", n, w[m], c[m] }'
done

channels=$(ffprobe -v error -select_streams a:0 -show_entries stream=channels -of csv=p=0 "$opus")
python3 - "$tmp" "$channels" <<'PY'
import sys
import numpy as np
tmp, channels = sys.argv[1], int(sys.argv[2])
t = np.fromfile(f"{tmp}/talign.f32", "<f4").astype(np.float64)
for name in ("libopus", "native"):
    r = np.fromfile(f"{tmp}/{name}.f32", "<f4").astype(np.float64)
    r = r.reshape(-1, channels).mean(axis=1)
    n = min(len(t), len(r))
    err = ((r[:n] - t[:n]) ** 2).sum()
    snr = "bit-identical" if err == 0 else f"SNR {10 * np.log10((r[:n] ** 2).sum() / err):.1f} dB"
    w = min(48000 * 60, n)
    a, b = r[:w], t[:w]
    lags = range(-96, 97)
    lag = max(lags, key=lambda l: float(np.dot(a[96:-96], b[96 + l:len(b) - 96 + l])))
    on_r = int(np.argmax(np.abs(r) > 0.05))
    on_t = int(np.argmax(np.abs(t) > 0.05))
    print(f"  vs ffmpeg {name:8s}: frames {len(t)} vs {len(r)}, {snr}, "
          f"best lag {lag} samples, first onset {on_t / 48:.3f} vs {on_r / 48:.3f} ms "
          f"(differ by {(on_t - on_r) / 48:.3f} ms)")
PY
