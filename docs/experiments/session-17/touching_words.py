#!/usr/bin/env python3
"""Edge words that touch the neighbouring turn's words (no frame between them) in every default
output of an eval_set.py run: F = a first word against the previous turn's last, L = a last
word against the next turn's first; its length, fit, the pause on its far side and, for
eval-out/real recordings, the turn edge's error. From the repository root:

    python3 docs/experiments/session-17/touching_words.py EVAL_OUT_DIR
"""
import json, glob, os, sys
for f in sorted(glob.glob(sys.argv[1]+'/default--*.json')):
    a=json.load(open(f)); name=os.path.basename(f)[9:-5]
    tr=None
    if name.startswith('real_'):
        p='eval-out/real/'+name[5:]+'/truth.json'
        if os.path.exists(p):
            t=json.load(open(p)); tr={x['line']:x for x in t.get('turns',[])}
    ts=a['turns']; n=0
    for i in range(1,len(ts)):
        p,c=ts[i-1],ts[i]
        pw,cw=p.get('words'),c.get('words')
        if not pw or not cw: continue
        # first word touching previous last word
        if abs(cw[0]['start']-pw[-1]['end'])<=0.011 and len(cw)>1:
            w=cw[0]; gap=cw[1]['start']-w['end']
            err=''
            if tr and c['line'] in tr and tr[c['line']].get('start') is not None: err=f"err {c['start']-tr[c['line']]['start']:+.2f}"
            print(f"{name:30} F line {c['line']:4} {w['word']:10} dur {w['end']-w['start']:.2f} fit {w.get('fit',0):6.1f} gapafter {gap:.2f} {err}")
        if abs(cw[0]['start']-pw[-1]['end'])<=0.011 and len(pw)>1:
            w=pw[-1]; gap=w['start']-pw[-2]['end']
            err=''
            if tr and p['line'] in tr and tr[p['line']].get('end') is not None: err=f"err {p['end']-tr[p['line']]['end']:+.2f}"
            print(f"{name:30} L line {p['line']:4} {w['word']:10} dur {w['end']-w['start']:.2f} fit {w.get('fit',0):6.1f} gapbefore {gap:.2f} {err}")
