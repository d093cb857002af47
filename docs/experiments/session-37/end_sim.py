"""Session 37, offline: turns with an abrupt onset after a deep, unbroken fall in their last
3 s (the sign a turn's end ran on over the next speaker's first sound), per family, against the
turns off by more than 1 s.

    python3 docs/experiments/session-37/end_sim.py OUT     # OUT: an eval_set.py --out folder
"""
import json,sys,os,wave,numpy as np,collections
ROOT=os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0,os.path.join(ROOT,"scripts"))
sys.path.insert(0,os.path.dirname(os.path.abspath(__file__)))
from decay_sim import aligned_turns
import eval_set as E
out=sys.argv[1]
RISE=20; SMALL=10; DEPTH=float(os.environ.get("DEPTH",25)); MINFALL=20; WIN=int(os.environ.get("WIN",300))
def rise(L,f): return L[f:f+4].max()-L[max(f-3,0):f+1].min()
stats=collections.defaultdict(lambda:[0,0,0,0])
for r, x, tr, L in aligned_turns(out):
    fam=r["name"].split(":")[0]+(":hall" if "hall-" in r["name"] else ":room" if "room-" in r["name"] else "")
    s=int(round(x["start"]*100)); e=int(round(x["end"]*100))
    flagged=False
    for o in range(max(s+MINFALL, e-WIN), min(e, len(L)-5)):
        if rise(L,o)>=RISE:
            # unbroken fall before o of at least MINFALL frames and DEPTH
            k=o-3
            while k>max(s,6) and rise(L,k-3)<SMALL and k>o-150: k-=1
            if o-k>=MINFALL and L[k:k+10].max()-L[o-10:o].min()>=DEPTH:
                flagged=True;break
    off=abs(x["start"]-tr["start"])>1 or abs(x["end"]-tr["end"])>1
    st=stats[fam]; st[0]+=1; st[1]+=off; st[2]+=flagged; st[3]+=flagged and off
for k,v in sorted(stats.items()): print(f"{k:22} turns {v[0]:4} off {v[1]:3} flagged {v[2]:4} flagged&off {v[3]:3}")
