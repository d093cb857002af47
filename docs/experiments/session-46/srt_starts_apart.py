#!/usr/bin/env python3
"""Session 46: how far two SRT files' cue starts lie apart, cue by cue.

    python3 docs/experiments/session-46/srt_starts_apart.py A.srt B.srt
"""
import re,sys
def starts(p):
    t=open(p,encoding='utf-8-sig').read()
    return [int(h)*3600+int(m)*60+int(s)+int(ms)/1000 for h,m,s,ms in re.findall(r'(\d+):(\d+):(\d+)[,.](\d+) -->',t)]
a,b=starts(sys.argv[1]),starts(sys.argv[2])
assert len(a)==len(b),(len(a),len(b))
e=[abs(x-y) for x,y in zip(a,b)]
n=len(e)
print(f"{n} cues: within 50/100/250 ms of the other: {100*sum(x<=0.05 for x in e)/n:.1f} / {100*sum(x<=0.1 for x in e)/n:.1f} / {100*sum(x<=0.25 for x in e)/n:.1f} %, largest {max(e)*1000:.0f} ms")
