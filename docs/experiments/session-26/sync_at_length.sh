#!/usr/bin/env bash
# Peak memory and wall time of `talign sync` as the recording grows: the sync evaluation's
# Festival rendition (37 min, WAV) and its `offset` subtitles, joined N times end to end
# (the subtitles' cues repeated, shifted by the copy's offset), synced by each binary in turn.
#
#   docs/experiments/session-26/sync_at_length.sh SYNC_DIR OUT_DIR N BIN...
#
# SYNC_DIR is an output folder of scripts/eval_sync.py (festival.wav, festival.offset.srt).
set -euo pipefail
src=$1 out=$2 n=$3
shift 3
mkdir -p "$out"
wav="$out/festival-x$n.wav" srt="$out/festival-x$n.offset.srt"
if [ ! -f "$wav" ]; then
  files=()
  for _ in $(seq "$n"); do files+=("$src/festival.wav"); done
  sox "${files[@]}" "$wav"
fi
python3 - "$src/festival.offset.srt" "$src/festival.wav" "$n" "$srt" <<'PY'
import re, subprocess, sys
srt, wav, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
dur = float(subprocess.check_output(["soxi", "-D", wav]).decode())
cues = re.split(r"\n\s*\n", open(srt, encoding="utf-8-sig").read().strip())
ms = lambda t: ((int(t[0:2]) * 60 + int(t[3:5])) * 60 + int(t[6:8])) * 1000 + int(t[9:12])
fmt = lambda v: f"{v // 3600000:02d}:{v // 60000 % 60:02d}:{v // 1000 % 60:02d},{v % 1000:03d}"
with open(out, "w", encoding="utf-8") as f:
    k = 0
    for copy in range(n):
        shift = round(copy * dur * 1000)
        for cue in cues:
            lines = cue.splitlines()
            a, b = lines[1].split(" --> ")
            k += 1
            f.write(f"{k}\n{fmt(ms(a) + shift)} --> {fmt(ms(b.strip()) + shift)}\n" + "\n".join(lines[2:]) + "\n\n")
PY
echo "$(soxi -D "$wav") s, $(grep -c -- '-->' "$srt") cues; load $(cut -d' ' -f1-3 /proc/loadavg)"
for bin in "$@"; do
  /usr/bin/time -f "$bin: %e s wall, %U s user, %M KB peak" "$bin" sync "$wav" "$srt" \
    -o "$out/$(basename "$bin").x$n.srt" --progress none 2>&1 | tail -1
done
