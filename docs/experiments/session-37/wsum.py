"""Session 37: word starts within 50 / 100 ms per recording, side by side, from eval_set.py logs.

    python3 docs/experiments/session-37/wsum.py A.log B.log ...
"""
import sys,re
rows={}
order=[]
for f in sys.argv[1:]:
    for l in open(f):
        c=[x.strip() for x in l.split("|")]
        if len(c)>8 and c[2] and ("real" in c[1] or "festival" in c[1] or "phone" in c[1] or "reverb" in c[1] or "typos" in c[1]) and c[3].isdigit():
            k=c[1]+" "+c[2]
            if k not in rows: rows[k]={}; order.append(k)
            rows[k][f]=c[6]+"/"+c[7]
print(" "*42+" ".join(f"{x.split('/')[-1][:12]:>12}" for x in sys.argv[1:]))
for k in order:
    print(f"{k:42}"+" ".join(f"{rows[k].get(f,'-'):>12}" for f in sys.argv[1:]))
