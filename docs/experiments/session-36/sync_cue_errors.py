#!/usr/bin/env python3
"""Session 36: per cue, how far `talign sync` put the `splits` case's cue starts from the truth,
for a work directory of docs/experiments/session-32/sync_in_hall.sh (or scripts/eval_sync.py's
--out): the truth is remade as scripts/eval_sync.py makes it (two cuts and one insertion at cue
gaps), and the report's offset, ratio, splits and cut cues are printed beside the cues off by
more than 50 ms.

    python3 docs/experiments/session-36/sync_cue_errors.py WORK/sync [NAME]    # NAME: real
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "scripts"))
import eval_sync as S  # noqa: E402


def cues_with_ends(path):
    """(start s, end s, text) of each cue of an SRT file."""
    out = []
    for block in re.split(r"\n\s*\n", open(path, encoding="utf-8-sig").read().strip()):
        lines = block.strip().split("\n")
        for i, line in enumerate(lines):
            if "-->" in line:
                start = S.read_starts_text(line)[0]
                end = S.read_starts_text(line.split("-->")[1].strip() + " -->")[0]
                out.append((start, end, " ".join(lines[i + 1:])))
                break
    return out


work = sys.argv[1]
name = sys.argv[2] if len(sys.argv) > 2 else "real"
cues = cues_with_ends(os.path.join(work, f"{name}.truth.srt"))
_, truth = S.edit(name, os.path.join(work, f"{name}.wav"), cues, work, os.path.join(work, "jfk.wav"))
print("truth: cut cues", [k + 1 for k, t in enumerate(truth) if t is None])
log = open(os.path.join(work, f"{name}.splits.talign.srt.log")).read()
report = json.loads(log[log.index("{"):log.rindex("}") + 1])
print("talign:", {k: v for k, v in report.items() if k != "cues"})
got = S.read_starts(os.path.join(work, f"{name}.splits.talign.srt"))
for k, (g, t) in enumerate(zip(got, truth)):
    if t is not None and abs(g - t) > 0.05:
        print(f"cue {k + 1}: {1000 * (g - t):+.0f} ms  {cues[k][2][:50]!r}")
