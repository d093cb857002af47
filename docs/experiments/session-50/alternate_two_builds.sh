#!/usr/bin/env bash
# Alternating wall/CPU of two builds on loose-splits cases.
d=/work/s50/final-ls
for round in 1 2; do
  for case in espeak real; do
    for bin in talign-s49final talign-s50final; do
      /usr/bin/time -f "$round $case $bin %e s wall %U s user %M KB" /work/bins/$bin sync $d/$case.splits.wav $d/$case.loose-splits.srt -o /work/s50/timing/$case.$bin.srt --progress none 2>&1 | tail -1
    done
  done
done
