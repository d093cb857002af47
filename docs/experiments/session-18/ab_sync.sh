#!/usr/bin/env bash
# Whole-program A/B of `talign sync`: OLD and NEW alternating on each case, each run timed
# with /usr/bin/time (wall s, user+sys CPU s, peak RSS MB) and the 1-minute load at its
# start; each pair's outputs compared byte for byte.
#
#   docs/experiments/session-18/ab_sync.sh OLD NEW DATA OUT [CASE...]
#
# DATA is an eval_sync.py output directory (its REC.wav / REC.splits.wav and REC.VARIANT.srt);
# a CASE is REC.VARIANT (default: the 37-minute recordings' offset and splits, and real splits).
# Session 18: OLD /work/bins/talign-s17m, NEW /work/bins/talign-y10-..., DATA /work/sync-s17m.
set -euo pipefail
old=$1 new=$2 data=$3 out=$4
shift 4
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(espeak.offset espeak.splits festival.offset festival.splits snr10.offset snr10.splits real.splits)
mkdir -p "$out"
printf '%-16s %-5s %8s %8s %8s %6s %s\n' case build wall_s cpu_s peak_mb load output
for c in "${cases[@]}"; do
  rec=${c%%.*} var=${c#*.}
  audio=$data/$rec.wav
  [ "$var" = splits ] && audio=$data/$rec.splits.wav
  for which in old new; do
    bin=$old; [ $which = new ] && bin=$new
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f '%e %U %S %M' -o "$out/$c.$which.time" \
      "$bin" sync "$audio" "$data/$c.srt" -o "$out/$c.$which.srt" --progress none --report json \
      > "$out/$c.$which.json" 2> "$out/$c.$which.err" || true
    read -r wall user sys kb < "$out/$c.$which.time"
    same=""
    if [ $which = new ]; then
      cmp -s "$out/$c.old.srt" "$out/$c.new.srt" && same="identical" || same="DIFFERENT"
    fi
    printf '%-16s %-5s %8.2f %8.2f %8.0f %6s %s\n' "$c" $which "$wall" \
      "$(echo "$user + $sys" | bc)" "$(echo "$kb / 1024" | bc)" "$load" "$same"
  done
done
