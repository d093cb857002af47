"""Session 37: a turn's heard and true start, and the level (20 ms RMS, dB) around both.

    cd OUT && python3 docs/experiments/session-37/showturn.py hall-drascula-en-ch1:61 ...

OUT an eval_set.py --out folder; names are the reverberant copies (eval-out/reverb/NAME).
"""
import json,os,wave,numpy as np,sys
ROOT=os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
def show(rec,line,pad=0.3,step=0.04,fam="reverb"):
    a=json.load(open(f"default--{fam}_{rec}.json"))
    base=rec.split('-',1)[1] if fam=="reverb" else rec
    t=json.load(open(f"{ROOT}/eval-out/real/{base}/truth.json"))
    T={x["line"]:x for x in t["turns"]}
    A={x["line"]:x for x in a["turns"]}
    x=A[line]; tr=T[line]
    prev=max([l for l in A if l<line],default=None)
    if prev: print(" prev",prev,A[prev]["start"],A[prev]["end"],"truth",T[prev]["start"],T[prev]["end"], "tr",T[prev].get("transcribed"))
    print(line,"got",x["start"],x["end"],"truth",tr["start"],tr["end"],"conf",x.get("confidence"))
    print("   ",[(w["word"],w["start"],w["end"],round(w.get("confidence",0),2)) for w in (x.get("words") or [])][:5])
    w=wave.open(f"{ROOT}/eval-out/{fam}/{rec}/audio.wav"); sr=w.getframerate(); s=np.frombuffer(w.readframes(w.getnframes()),dtype=np.int16).astype(float)
    t0=min(x["start"],tr["start"])-pad; t1=max(x["start"],tr["start"])+pad
    print("   "," ".join(f"{u:.2f}:{10*np.log10((s[int(u*sr):int((u+0.02)*sr)]**2).mean()+1):.0f}" for u in np.arange(t0,t1,step)))
for spec in sys.argv[1:]:
    r,l=spec.rsplit(":",1); show(r,int(l))
