#!/bin/bash
# Session 39: a run's RSS, peak RSS and glibc brk heap every half second.
#   rss_trace.sh OUT.txt BIN align -q AUDIO TRANSCRIPT -o OUT.json
out=$1; shift
"$@" > /dev/null 2>&1 &
pid=$!
s=$(date +%s.%N); : > "$out"
while kill -0 $pid 2>/dev/null; do
  t=$(echo "$(date +%s.%N) - $s" | bc)
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null)
  hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status 2>/dev/null)
  heap=$(awk '/\[heap\]/ {f=1} f && /^Rss:/ {print $2; exit}' /proc/$pid/smaps 2>/dev/null)
  echo "$t $rss $hwm $heap" >> "$out"
  sleep 0.5
done
