#!/usr/bin/env python3
"""Offline: would a heard end (start) in a pause move to the next (previous) chunk when that chunk starts
within G frames, ends M frames before the neighbour, and is at most L frames long? Prints, per
(G, M, L), how many turn edges cross 0.25 s / 1 s for the better and for the worse.

    python3 docs/experiments/session-19/sim.py DIR   # DIR from collect.py
"""
import json,sys,itertools
import sys
D=sys.argv[1]  # collect.py OUT (without --words)
idx=json.load(open(f"{D}/index.json"))
def load(r):
    pl=[];ch=[]
    for line in open(f"{D}/{r['name']}.err"):
        p=line.split()
        if p[0]=="PL": a,b=map(int,p[2].split("-")); pl.append((a,b,p[4]=="true",p[6]=="true"))
        elif p[0]=="CH": a,b=map(int,p[1].split("-")); ch.append((a,b))
    out=json.load(open(f"{D}/{r['name']}.json"))["turns"]
    truth={t["line"]:t for t in json.load(open(r["truth"]))["turns"] if t.get("start") is not None}
    return pl,ch,out,truth
data=[(r,)+load(r) for r in idx]
def sim(G,M,maxlen,side):
    better=worse=0;b1=w1=0;det=[]
    for r,pl,ch,out,truth in data:
        for i,t in enumerate(out):
            tr=truth.get(t["line"])
            if side=="end":
                e=round(t["end"]*100)
                if not(pl[i][2] and e==pl[i][1]): continue
                nxt=round(out[i+1]["start"]*100) if i+1<len(out) else 10**9
                cand=[c for c in ch if c[0]>=e]
                new=e
                for c in cand:
                    if c[0]-new<=G and c[1]<=nxt-M and c[1]-c[0]<=maxlen: new=c[1]
                    else: break
                if new==e or not tr: continue
                old_err=abs(e/100-tr["end"]); new_err=abs(new/100-tr["end"])
            else:
                s=round(t["start"]*100)
                if not(pl[i][3] and s==pl[i][0]): continue
                prv=round(out[i-1]["end"]*100) if i>0 else -10**9
                cand=[c for c in reversed(ch) if c[1]<=s]
                new=s
                for c in cand:
                    if new-c[1]<=G and c[0]>=prv+M and c[1]-c[0]<=maxlen: new=c[0]
                    else: break
                if new==s or not tr: continue
                old_err=abs(s/100-tr["start"]); new_err=abs(new/100-tr["start"])
            o25,n25=old_err<=0.25,new_err<=0.25; o1,n1=old_err<=1,new_err<=1
            better+= (n25 and not o25); worse+=(o25 and not n25); b1+=(n1 and not o1); w1+=(o1 and not n1)
            det.append((r["name"],t["line"],round(old_err,2),round(new_err,2)))
    return better,worse,b1,w1,det
for side in ("end","start"):
  for G in (5,10,20,30,50):
    for M in (0,20,50):
      for L in (30,60,1000):
        b,w,b1,w1,det=sim(G,M,L,side)
        print(side,G,M,L,"0.25:",b,"-",w," 1s:",b1,"-",w1," moved",len(det))
