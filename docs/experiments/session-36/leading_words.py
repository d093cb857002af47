#!/usr/bin/env python3
"""Session 36, offline: turns whose first K words or fewer start within ABUT s of the previous
turn's end and are followed by a pause of at least G s inside the turn; each turn's start
error as placed against at the word after that pause (default mode; turns with truth).

    python3 docs/experiments/session-36/leading_words.py OUT G K [ABUT] [v]
"""
import json,os,glob,sys
ROOT=os.path.join(os.path.dirname(os.path.abspath(__file__)),'..','..','..','eval-out')
d=sys.argv[1]; G=float(sys.argv[2]); K=int(sys.argv[3]); ABUT=float(sys.argv[4]) if len(sys.argv)>4 else 0.05
verbose=len(sys.argv)>5
def truth_of(rec):
    if '_' in rec:
        fam,r=rec.split('_',1); p=os.path.join(ROOT,fam,r,'truth.json')
    else:
        g=glob.glob(os.path.join(ROOT,rec,'*.truth.json')); p=g[0] if g else ''
    return p if os.path.exists(p) else None
tot=dict(n=0,b25=0,a25=0,b1=0,a1=0)
for f in sorted(glob.glob(os.path.join(d,'default--*.json'))):
    rec=os.path.basename(f)[9:-5]; tp=truth_of(rec)
    if not tp: continue
    tt={x['line']:x for x in json.load(open(tp))['turns'] if x.get('start') is not None}
    o=json.load(open(f))['turns']
    for k,t in enumerate(o):
        ws=t.get('words') or []
        if len(ws)<2 or k==0: continue
        if t['start']-o[k-1]['end']>ABUT: continue
        best=None
        for j in range(min(K,len(ws)-1)):
            gap=ws[j+1]['start']-ws[j]['end']
            if gap>=G: best=j+1; break
        if best is None: continue
        tr=tt.get(t['line'])
        if not tr: continue
        b=t['start']-tr['start']; a=ws[best]['start']-tr['start']
        tot['n']+=1; tot['b25']+=abs(b)<=0.25; tot['a25']+=abs(a)<=0.25; tot['b1']+=abs(b)<=1; tot['a1']+=abs(a)<=1
        if verbose: print(f"{rec:40} L{t['line']:<4} lead {best} words gap {ws[best]['start']-ws[best-1]['end']:.2f} err {b:+.2f} -> {a:+.2f}  {' '.join(w['word'] for w in ws[:best])!r}")
print(f"G={G} K={K} abut={ABUT}: {tot}")
