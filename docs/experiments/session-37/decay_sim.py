"""Session 37, offline: the turns of an eval_set.py output whose start lies in a fall of the level
that ends in a deep valley and an abrupt onset, and where that onset would put them.

    python3 docs/experiments/session-37/decay_sim.py OUT      # OUT: an eval_set.py --out folder
    RISE=20 SMALL=10 DEPTH=25 MINLEAD=20 MAXLEAD=250 BACK=30 python3 ... OUT   # the thresholds

Levels: 25 ms RMS every 10 ms, dB over the recording's 5th percentile.
"""
import json,sys,os,wave,numpy as np
ROOT=os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0,os.path.join(ROOT,"scripts"))
import eval_set as E
RISE=float(os.environ.get("RISE",20)); SMALL=float(os.environ.get("SMALL",10)); DEPTH=float(os.environ.get("DEPTH",25))
MINLEAD=int(os.environ.get("MINLEAD",20)); MAXLEAD=int(os.environ.get("MAXLEAD",250)); BACK=int(os.environ.get("BACK",30))
def levels(path):
    """25 ms RMS every 10 ms, dB over the recording's 5th percentile, clipped as talign stores them."""
    w=wave.open(path); sr=w.getframerate(); n=w.getnframes(); ch=w.getnchannels()
    x=np.frombuffer(w.readframes(n),dtype=np.int16).astype(float)
    if ch>1: x=x.reshape(-1,ch).mean(1)
    hop=sr//100; win=int(sr*0.025); m=(len(x)-win)//hop
    idx=np.arange(win)[None,:]+hop*np.arange(m)[:,None]
    e=10*np.log10((x[idx]**2).mean(1)+1e-3)
    floor=np.percentile(e,5)
    return np.clip(e-floor,-64,63.5)
def aligned_turns(out):
    """(recording, aligned turn, true turn, levels) for every turn with a true start in the
    default-mode outputs of OUT."""
    cache={}
    for r in E.recordings():
        if not E.has_turn_truth(r["t"]): continue
        f=f"{out}/default--{r['name'].replace(':','_')}.json"
        if not os.path.exists(f): continue
        a=json.load(open(f))
        audio=a["audio"]["path"]
        if audio.endswith(".mp3"):
            wav="/tmp/decaysim-"+r["name"].replace(":","_").replace("/","_")+".wav"
            if not os.path.exists(wav): os.system(f"ffmpeg -v error -y -i {audio} -ac 1 -ar 16000 {wav}")
            audio=wav
        if audio not in cache: cache[audio]=levels(audio)
        T={x["line"]:x for x in r["t"]["turns"]}
        for x in a["turns"]:
            tr=T.get(x["line"])
            if tr and tr.get("start") is not None:
                yield r, x, tr, cache[audio]


def main(out):
    moved=[]
    for r, x, tr, L in aligned_turns(out):
        s=int(round(x["start"]*100)); e=int(round(x["end"]*100))
        fired=None
        for o in range(s+MINLEAD, min(s+MAXLEAD, e-5, len(L)-5)):
            rise=L[o:o+4].max()-L[max(o-3,0):o+1].min()
            if rise>=RISE:
                # no earlier rise in [s-5, o-3)
                ok=True
                for k in range(max(s-5,3), o-3):
                    if L[k:k+4].max()-L[k-3:k+1].min()>=SMALL: ok=False;break
                depth=L[s:s+10].max()-L[max(o-10,0):o].min()
                lead=L[s:s+5].max()-L[max(s-BACK,0):s+1].min()
                if ok and depth>=DEPTH and lead<SMALL:
                    o0=o-3+int(np.argmin(L[o-3:o+1]))+1
                    fired=o0
                break
        if fired is not None:
            old=x["start"]-tr["start"]; new=fired/100-tr["start"]
            moved.append((r["name"],x["line"],old,new,len(x.get("words") or [])>0))
    fam={}
    for m in moved:
        print(f"{m[0]:42} L{m[1]:4} old {m[2]:+6.2f} new {m[3]:+6.2f} heard={m[4]} {'BETTER' if abs(m[3])<abs(m[2]) else 'worse'}")
    print(len(moved),"fired;",sum(abs(m[3])<abs(m[2]) for m in moved),"better;", "within0.25 old/new", sum(abs(m[2])<=0.25 for m in moved), sum(abs(m[3])<=0.25 for m in moved))


if __name__ == "__main__":
    main(sys.argv[1])
