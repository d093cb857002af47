"""Session 21: turn ends of two eval_set.py output folders against the truth, per voice
family: median and mean |error| (clipped at 1 s), the signed median, and how many ends moved
closer or further (by more than 5 ms) with the largest loss. From the repository root:

    python3 docs/experiments/session-21/end_errors.py BEFORE_DIR AFTER_DIR
"""
import json, os, sys, statistics as st
sys.path.insert(0,'scripts'); import eval_set
A,B=sys.argv[1],sys.argv[2]
fam={}
for r in eval_set.recordings():
    if not eval_set.has_turn_truth(r['t']): continue
    fa=os.path.join(A,'default--'+r['name'].replace(':','_')+'.json'); fb=os.path.join(B,'default--'+r['name'].replace(':','_')+'.json')
    if not (os.path.exists(fa) and os.path.exists(fb)): continue
    by={x['line']:x for x in r['t']['turns']}
    for x,y in zip(json.load(open(fa))['turns'], json.load(open(fb))['turns']):
        t=by.get(x['line'])
        if not t or t.get('start') is None: continue
        fam.setdefault(r['family'],[]).append((x['end']-t['end'], y['end']-t['end']))
for f,v in fam.items():
    a=[abs(p) for p,_ in v]; b=[abs(q) for _,q in v]
    closer = sum(1 for p, q in v if abs(q) < abs(p) - 0.005)
    further = [abs(q) - abs(p) for p, q in v if abs(q) > abs(p) + 0.005]
    print(f"{f:10s} closer {closer}, further {len(further)} (at most {max(further, default=0):.2f} s)")
    print(f"{f:10s} n={len(v):4d} median |end err| {st.median(a):.3f} -> {st.median(b):.3f}; mean(clipped 1s) {st.mean(min(x,1) for x in a):.3f} -> {st.mean(min(x,1) for x in b):.3f}; signed median {st.median(p for p,_ in v):+.3f} -> {st.median(q for _,q in v):+.3f}")
