"""Session 21: every turn whose start or end moved between two eval_set.py output folders, with
its errors against the truth, confidence and fit before and after. From the repository root:

    python3 docs/experiments/session-21/turn_moves.py BEFORE_DIR AFTER_DIR
"""
import json, os, sys
sys.path.insert(0,'scripts'); import eval_set
A, B = sys.argv[1], sys.argv[2]
for r in eval_set.recordings():
    fa=os.path.join(A,'default--'+r['name'].replace(':','_')+'.json'); fb=os.path.join(B,'default--'+r['name'].replace(':','_')+'.json')
    if not (os.path.exists(fa) and os.path.exists(fb)) or not eval_set.has_turn_truth(r['t']): continue
    a=json.load(open(fa))['turns']; b=json.load(open(fb))['turns']; by={x['line']:x for x in r['t']['turns']}
    for x,y in zip(a,b):
        t=by.get(x['line'])
        if not t or t.get('start') is None: continue
        if abs(x['start']-y['start'])>0.005 or abs(x['end']-y['end'])>0.005:
            print(f"{r['name']:28s} {x['line']:4d} start {x['start']-t['start']:+6.2f} -> {y['start']-t['start']:+6.2f}  end {x['end']-t['end']:+6.2f} -> {y['end']-t['end']:+6.2f}  conf {x['confidence']} -> {y['confidence']} fit {x.get('fit')} -> {y.get('fit')}")
