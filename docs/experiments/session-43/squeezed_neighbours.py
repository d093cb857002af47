"""Session 43: heard turns that leave an untranscribed (or unheard) neighbour less than half its
lattice span, with both turns' errors against the truth (s). OUT: an eval_set.py --compare run.

    python3 docs/experiments/session-43/squeezed_neighbours.py OUT
"""
import json, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../scripts'))
import eval_set as E
out=sys.argv[1]
for rec in E.recordings():
    n=rec['name'].replace(':','_')
    p=f"{out}/default--{n}.json"; q=f"{out}/__no_reference--{n}.json"
    if not (os.path.exists(p) and os.path.exists(q)): continue
    A=json.load(open(p))['turns']; B={t['line']:t for t in json.load(open(q))['turns']}
    by={x['line']:x for x in rec['t']['turns']}
    for i,t in enumerate(A):
        if t.get('fit') is None: continue
        for j in (i-1,i+1):
            if not 0<=j<len(A): continue
            u=A[j]
            if u.get('transcribed', True) and u.get('fit') is not None: continue
            lu=B[u['line']]; span=lu['end']-lu['start']; left=u['end']-u['start']
            if span>0.8 and left < 0.5*span:
                x=by.get(t['line']); y=by.get(u['line'])
                err = lambda a,b: None if b is None or b.get('start') is None else (round(a['start']-b['start'],2), round(a['end']-b['end'],2))
                print(f"{rec['name']:38s} heard {t['line']} {err(t,x)} neighbour {u['line']} transcribed={u.get('transcribed')} lattice {lu['start']:.2f}-{lu['end']:.2f} now {u['start']:.2f}-{u['end']:.2f} err {err(u,y)}")
