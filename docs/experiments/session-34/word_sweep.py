#!/usr/bin/env python3
"""Session 34: word starts of the recordings with word truth (real speech, dry and in both
rooms; Festival's Czech and 10 dB renditions) under settings of the acoustic snap, through
examples/tune_heard.rs, scored as scripts/eval_set.py scores them.

    cargo build --profile ci --example tune_heard
    python3 docs/experiments/session-34/word_sweep.py TUNE_HEARD WORKDIR ["key=value key=value" ...]
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../../../scripts"))
import eval_set  # noqa: E402

tune, work, settings = sys.argv[1], sys.argv[2], sys.argv[3:] or [""]
recs = [r for r in eval_set.recordings()
        if eval_set.truth_words(r["t"]) and r["family"] in ("real", "real-reverb", "festival")
        and (r["family"] != "festival" or r["name"] in ("festival-czech", "festival-snr10-drift1"))]
for setting in settings:
    out = os.path.join(work, setting.replace(" ", "_").replace("=", "-") or "default")
    args = []
    for r in recs:
        args += [r["audio"], r["transcript"], r["name"].replace(":", "_")]
    subprocess.run([tune, out, "words=1", *setting.split(), "--", *args], check=True,
                   stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    groups = {}
    for r in recs:
        aligned = json.load(open(os.path.join(out, r["name"].replace(":", "_") + ".json")))
        group = ("real" if r["family"] == "real" else
                 "room" if "room-" in r["name"] else "hall" if "hall-" in r["name"] else r["name"])
        groups.setdefault(group, []).extend(eval_set.score(r, aligned)["words"])
    print(f"{setting or 'default'}:")
    for group, words in groups.items():
        d = [w["d"] for w in words]
        n = len(d)
        within = lambda s: 100 * sum(x is not None and x <= s for x in d) / n
        print(f"  {group:22} {n:5} words: ≤25 / 50 / 100 ms {within(0.025):.1f} / {within(0.05):.1f} / {within(0.1):.1f} %")
