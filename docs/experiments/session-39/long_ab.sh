#!/bin/bash
# Session 39: two builds alternating on the 10.5-hour file of scripts/bench_long.sh, N times
# each: wall, user and system CPU seconds and peak RSS (KB); the JSON compared but for
# created_unix.
#   docs/experiments/session-39/long_ab.sh N OLD NEW
n=$1; old=$2; new=$3
a=/tmp/talign-long/kerry-x17.mp3; t=/tmp/talign-long/kerry-x17.txt
uptime
for i in $(seq "$n"); do
  for b in "$old" "$new"; do
    /usr/bin/time -f "$b %e s wall %U s user %S s sys %M KB" "$b" align -q "$a" "$t" -o "/tmp/long-ab-$(basename "$b").json"
  done
done
diff <(grep -v created_unix "/tmp/long-ab-$(basename "$old").json") <(grep -v created_unix "/tmp/long-ab-$(basename "$new").json") > /dev/null && echo "outputs identical"
uptime
