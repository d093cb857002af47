#!/usr/bin/env bash
# Most bytes a talign run holds in its unnamed temporary files (the spill stores), sampled
# once a second from /proc while it runs.
#
#   docs/experiments/session-26/temp_bytes.sh BIN ARGS...
#   e.g. ... BIN align -q /tmp/talign-long/kerry-x17.mp3 /tmp/talign-long/kerry-x17.txt -o /tmp/x17.json
set -euo pipefail
"$@" &
pid=$!
max=0
while kill -0 "$pid" 2>/dev/null; do
  bytes=$( (find "/proc/$pid/fd" -lname '*(deleted)' 2>/dev/null | xargs -r stat -L -c %s 2>/dev/null | awk '{t += $1} END {print t + 0}') || echo 0)
  [ "${bytes:-0}" -gt "$max" ] && max=$bytes
  sleep 1
done
wait "$pid"
echo "most bytes in temporary files: $max"
