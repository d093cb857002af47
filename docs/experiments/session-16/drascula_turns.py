#!/usr/bin/env python3
"""Per turn of one recording in the real-speech layout (truth.json beside the audio): start
and end against the truth, confidence, speaker, heard (H) or not; flagged when off by more
than 0.25 s. From the repository root:

    python3 docs/experiments/session-16/drascula_turns.py RECORDING_DIR ALIGNED.json
"""
import json, sys
d, out = sys.argv[1], sys.argv[2]
t = json.load(open(d + "/truth.json")); a = json.load(open(out))
truth = {x["line"]: x for x in t["turns"]}
n=0; ok25=0; ok1=0
for tt in a["turns"]:
    x = truth.get(tt["line"], {})
    s, e = x.get("start"), x.get("end")
    if s is None: continue
    n+=1; ok25 += abs(tt["start"]-s)<=0.25; ok1 += abs(tt["start"]-s)<=1
    flag = "  <==" if abs(tt["start"]-s)>0.25 or abs(tt["end"]-e)>0.25 else ""
    print(f'{tt["line"]:4} {tt["start"]:8.2f} ({tt["start"]-s:+6.2f}) {tt["end"]:8.2f} ({tt["end"]-e:+6.2f}) {tt.get("confidence",0):.2f} {tt["speaker"][:10]:10} {"H" if tt.get("words") else " "} {(x.get("text") or "")[:40]!r}{flag}')
print("starts <=0.25", ok25, "/", n, " <=1", ok1)
