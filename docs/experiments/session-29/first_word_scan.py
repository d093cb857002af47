#!/usr/bin/env python3
"""Turns whose first heard word fits below FIT with speech (the speech detector's regions,
`talign vad`) ending less than GAP seconds before the turn's start and after the previous
turn's end: where giving a turn the speech before its unrecognised first word would act.

    python3 docs/experiments/session-29/first_word_scan.py EVAL_DIR BIN FIT GAP
    e.g. python3 docs/experiments/session-29/first_word_scan.py /work/eval-s28e /work/bins/talign-s28c -4 0.5
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "scripts"))
import eval_set as es  # noqa: E402

d, binary, FIT, GAP = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
for rec in es.recordings():
    f = os.path.join(d, "default--" + rec["name"].replace(":", "_").replace("/", "_") + ".json")
    if not os.path.exists(f): continue
    o = json.load(open(f))
    v = json.loads(subprocess.run([binary,"vad",o["audio"]["path"]],capture_output=True,text=True).stdout)["regions"]
    truth = {x["line"]: x for x in rec["t"]["turns"]} if es.has_turn_truth(rec["t"]) else {}
    prev_end = 0.0
    for i,t in enumerate(o["turns"]):
        ws = t.get("words") or []
        if ws and ws[0].get("fit") is not None and ws[0]["fit"] < FIT and abs(ws[0]["start"]-t["start"])<0.011:
            # speech regions ending within GAP before start, starting after prev_end
            cand = [r for r in v if r["end"] <= t["start"] and r["end"] >= t["start"]-GAP and r["start"] >= prev_end]
            if cand:
                x = truth.get(t["line"]); ts = x["start"] if x and x.get("start") is not None else None
                print(f"{rec['name']:30} line {t['line']:4} start {t['start']:8.2f} truth {ts} new {cand[0]['start']:.2f} prev_end {prev_end:.2f} fit {ws[0]['fit']:.2f} {ws[0]['word']}")
        prev_end = t["end"]
