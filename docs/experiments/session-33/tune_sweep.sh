#!/usr/bin/env bash
# Session 33: settings of the acoustic snap swept on the five Drascula scenes, dry and in
# both reverberant rooms, through examples/tune_heard.rs; prints turn starts and ends per
# room for each setting. Without SETTINGs: the lattice-start pull's sweep.
#   cargo build --profile ci --example tune_heard
#   docs/experiments/session-33/tune_sweep.sh TUNE_HEARD WORKDIR ["key=value key=value" ...]
set -euo pipefail
tune=$1 work=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
settings=("$@")
if [ ${#settings[@]} -eq 0 ]; then
  for pull in "0 inf" "0.05 20" "0.1 10" "0.1 15" "0.1 20" "0.1 30" "0.1 40" "0.1 inf" "0.2 20" "0.3 15" "1 5" "1 10"; do
    set -- $pull
    settings+=("lattice_start_pull=$1 lattice_start_pull_most=$2")
  done
fi
args=()
for d in "$root"/eval-out/real/drascula-* "$root"/eval-out/reverb/room-drascula-* "$root"/eval-out/reverb/hall-drascula-*; do
  n=$(basename "$d"); [ "${d#*reverb/}" != "$d" ] || n="dry-$n"
  args+=("$d/audio.wav" "$d/transcript.txt" "$n")
done
for setting in "${settings[@]}"; do
  out="$work/$(echo "$setting" | tr ' =' '_-')"
  # shellcheck disable=SC2086
  "$tune" "$out" $setting -- "${args[@]}" 2>/dev/null
  echo "$setting:"
  python3 "$here/tune_rooms.py" "$out"
done
