#!/usr/bin/env python3
"""Compare two binaries' `talign sync` runs made by eval_sync.py, case by case.

Expects DIR/{base,new}-REC-VARIANT/ output directories of

    for rec in real espeak snr10 festival; for v in offset ratio splits; for b in base new:
      python3 scripts/eval_sync.py --tools talign --only $rec --variants $v --no-mismatches \\
          --data eval-out --out DIR/$b-$rec-$v --talign talign-$b

and prints one markdown row per case: % of cue starts within 50/100/250 ms, wall time, user
CPU (from the `/usr/bin/time -v` log eval_sync.py writes beside each output), peak memory,
which path the new binary took (the report's `sampled`), and whether both outputs are
byte-identical.

    python3 scripts/compare_sync_runs.py DIR
"""

import filecmp
import glob
import json
import os
import re
import sys


def case(d, rec, variant):
    res = os.path.join(d, "results.json")
    if not os.path.exists(res):
        return None
    r = json.load(open(res))["results"][0]
    out = os.path.join(d, f"{rec}.{variant}.talign.srt")
    log = open(out + ".log").read()
    sampled = re.search(r'"sampled":\s*(true|false)', log)
    return dict(r, out=out,
                user=float(re.search(r"User time \(seconds\): ([\d.]+)", log).group(1)),
                sampled=sampled and sampled.group(1) == "true")


def main():
    root = sys.argv[1]
    cases = {}
    for d in glob.glob(os.path.join(root, "*-*-*")):
        if os.path.isdir(d):
            b, rec, v = os.path.basename(d).split("-", 2)
            c = case(d, rec, v)
            if c:
                cases.setdefault((rec, v), {})[b] = c
    recs = {"espeak": 0, "festival": 1, "snr10": 2, "real": 3}
    variants = {"offset": 0, "ratio": 1, "splits": 2}
    print("| recording | variant | ≤50 / 100 / 250 ms base → new | wall s base → new | "
          "user CPU s base → new | peak MB base → new | new path | outputs |")
    print("|---|---|---|---:|---:|---:|---|---|")
    for (rec, v), d in sorted(cases.items(), key=lambda x: (recs.get(x[0][0], 9),
                                                             variants.get(x[0][1], 9))):
        if "base" not in d or "new" not in d:
            continue
        b, n = d["base"], d["new"]

        def acc(x):
            if x["exit"] != 0:
                return f"refused (exit {x['exit']})"
            return " / ".join(f"{x[k]:g}" for k in ("within_50", "within_100", "within_250"))

        same = all(os.path.exists(x["out"]) for x in (b, n)) and \
            filecmp.cmp(b["out"], n["out"], shallow=False)
        print(f"| {rec} | {v} | {acc(b) if acc(b) == acc(n) else acc(b) + ' → ' + acc(n)} | "
              f"{b['wall_s']:.1f} → {n['wall_s']:.1f} | {b['user']:.1f} → {n['user']:.1f} | "
              f"{b['peak_mb']:.0f} → {n['peak_mb']:.0f} | "
              f"{'sample' if n['sampled'] else 'careful'} | "
              f"{'byte-identical' if same else 'differ'} |")


if __name__ == "__main__":
    main()
