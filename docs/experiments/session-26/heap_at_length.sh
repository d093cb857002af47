#!/usr/bin/env bash
# What of `talign align`'s heap grows with the recording's length: heaptrack on the sample
# joined 2 and 7 times (made by scripts/bench_long.sh in /tmp/talign-long), each run's peak
# heap, the 12 largest consumers at the longer run's peak, and their change from the
# shorter run (heaptrack_print --diff).
#
#   docs/experiments/session-26/heap_at_length.sh BIN OUT_DIR     (apt-get install heaptrack)
#
# heaptrack itself ran out of memory on the 17-copy file (10.5 h) on the 24 GiB VM; 7 copies
# (4.3 h) is the longest it measured.
set -euo pipefail
bin=$1 out=$2
mkdir -p "$out"
for n in 2 7; do
  [ -f "/tmp/talign-long/kerry-x$n.mp3" ] || { echo "run scripts/bench_long.sh -b $bin 1 2 4 first" >&2; exit 1; }
  heaptrack -o "$out/heap-x$n" "$bin" align -q "/tmp/talign-long/kerry-x$n.mp3" \
    "/tmp/talign-long/kerry-x$n.txt" -o "$out/x$n.json" > /dev/null 2>&1
done
show() { grep -A1 'peak memory consumed' | grep -v '^--' | paste - - | awk '{print "  " $1 "\t" $NF}' | sed 's/::h[0-9a-f]*$//' | head -12; }
print() { heaptrack_print -f "$1" --print-peaks 1 --print-allocators 0 --print-leaks 0 --print-temporary 0 "${@:2}" 2>/dev/null; }
for n in 2 7; do echo "x$n: $(print "$out/heap-x$n.zst" | grep 'peak heap')"; done
echo "x7, largest at the peak:"; print "$out/heap-x7.zst" | show
echo "x7 against x2:"; print "$out/heap-x7.zst" -d "$out/heap-x2.zst" | show
