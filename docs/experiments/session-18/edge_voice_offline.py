#!/usr/bin/env python3
"""Offline simulation of the session-18 voice check (docs/accuracy.md, "Session 18"): for each
heard turn's edge word group (the words past its first or last pause longer than GAP s,
default 0.5; at most three words and half the turn) next to a turn of another speaker, the
mean per-frame log-likelihood of the group's frames under the neighbour's speaker minus under
its own (`llr`), each speaker a diagonal Gaussian (K=1; K=8 a small GMM) over MFCC c1..c12 of
the words of all their turns in an `eval_set.py` output (this script's own numpy front end,
not the model's). Needs ffmpeg for non-WAV audio. From the repository root:

    python3 docs/experiments/session-18/edge_voice_offline.py EVAL_DIR [NAME_PART]
"""
import json, sys, wave, os, glob
import numpy as np
GAP=float(os.environ.get('GAP','0.5'))
def mfcc(path):
    if not path.endswith(".wav"):
        import subprocess
        import tempfile; tmp=tempfile.mkstemp(suffix=".wav")[1]; subprocess.run(["ffmpeg","-y","-loglevel","error","-i",path,"-ac","1","-ar","16000",tmp],check=True); path=tmp
    w=wave.open(path); sr=w.getframerate(); n=w.getnframes(); ch=w.getnchannels(); sw=w.getsampwidth()
    x=np.frombuffer(w.readframes(n),dtype={2:np.int16,4:np.int32}[sw]).astype(np.float64)
    if ch>1: x=x.reshape(-1,ch).mean(1)
    if sr!=16000:
        t=np.arange(0,len(x)/sr,1/16000); x=np.interp(t,np.arange(len(x))/sr,x); sr=16000
    hop=160; win=400; nf=1+(len(x)-win)//hop
    idx=np.arange(win)[None,:]+hop*np.arange(nf)[:,None]
    fr=x[idx]*np.hamming(win)
    spec=np.abs(np.fft.rfft(fr,512))**2
    mel=lambda f:2595*np.log10(1+f/700); imel=lambda m:700*(10**(m/2595)-1)
    pts=imel(np.linspace(mel(133),mel(6855),42)); bins=np.floor(pts/8000*256).astype(int)
    fb=np.zeros((40,257))
    for i in range(40):
        a,b,c=bins[i],bins[i+1],bins[i+2]
        fb[i,a:b]=(np.arange(a,b)-a)/max(b-a,1); fb[i,b:c]=(c-np.arange(b,c))/max(c-b,1)
    lm=np.log(spec@fb.T+1e-3)
    k=np.arange(40); dct=np.cos(np.pi*np.outer(np.arange(13),(k+0.5))/40)
    return lm@dct.T
K=int(os.environ.get('K','1'))
def gmm(X):
    rng=np.random.default_rng(0)
    if K==1 or len(X)<K*20:
        return (np.ones(1),X.mean(0)[None],X.var(0)[None]+1e-2)
    mu=X[rng.choice(len(X),K,replace=False)]; var=np.tile(X.var(0),(K,1)); w=np.ones(K)/K
    for it in range(15):
        lp=np.log(w)[None]-0.5*(((X[:,None,:]-mu[None])**2)/var[None]+np.log(var[None])).sum(2)
        m=lp.max(1,keepdims=True); r=np.exp(lp-m); r/=r.sum(1,keepdims=True)
        n=r.sum(0)+1e-6; w=n/n.sum(); mu=(r.T@X)/n[:,None]; var=(r.T@(X**2))/n[:,None]-mu**2+1e-2
    return (w,mu,var)
def ll(g,X):
    w,mu,var=g
    lp=np.log(w)[None]-0.5*(((X[:,None,:]-mu[None])**2)/var[None]+np.log(var[None])).sum(2)
    m=lp.max(1,keepdims=True); return float((m[:,0]+np.log(np.exp(lp-m).sum(1))).mean())
def run(name, out, rec):
    t=rec['t']; a=json.load(open(out))
    truth={x['line']:x for x in t.get('turns',[]) if 'line' in x}
    C=mfcc(rec['audio'])[:,1:13]
    turns=a['turns']
    # speech frames: word frames of heard turns
    def frames(ws):
        f=[]
        for w in ws: f+=list(range(int(round(w['start']*100)),min(int(round(w['end']*100)),len(C))))
        return f
    allf=[]
    for tt in turns: allf+=frames(tt.get('words') or [])
    if not allf: return
    sd=C[allf].std(0)+1e-6
    Z=C/sd
    spk={}
    for i,tt in enumerate(turns):
        if tt.get('words'): spk.setdefault(tt['speaker'],[]).append(i)
    for i,tt in enumerate(turns):
        ws=tt.get('words') or []
        if len(ws)<2: continue
        for side in ('start','end'):
            j=i-1 if side=='start' else i+1
            if j<0 or j>=len(turns): continue
            nb=turns[j]
            if nb['speaker']==tt['speaker']: continue
            # group
            if side=='start':
                k=next((k for k in range(1,len(ws)) if ws[k]['start']-ws[k-1]['end']>GAP),None)
                if k is None: continue
                g=ws[:k]; rest=ws[k:]
            else:
                k=next((k for k in range(len(ws)-1,0,-1) if ws[k]['start']-ws[k-1]['end']>GAP),None)
                if k is None: continue
                g=ws[k:]; rest=ws[:k]
            if len(g)>3 or len(g)*2>len(ws): continue
            gf=frames(g)
            if len(gf)<10: continue
            def model(s, excl):
                f=[]
                for m in spk.get(s,[]):
                    if m==excl: f+=frames(rest)
                    else: f+=frames(turns[m].get('words') or [])
                return gmm(Z[f]) if len(f)>=100 else None
            own=model(tt['speaker'],i); other=model(nb['speaker'],i)
            if own is None or other is None: continue
            da=-ll(own,Z[gf]); db=-ll(other,Z[gf])
            x=truth.get(tt['line'],{})
            err=(tt[side]-x[side]) if x.get(side) is not None else float('nan')
            gap=(rest[0]['start']-g[-1]['end']) if side=='start' else (g[0]['start']-rest[-1]['end'])
            print(f"{name:28} {tt['line']:4} {side:5} err {err:+6.2f} gap {gap:4.2f} words {' '.join(w['word'] for w in g)[:24]:24} frames {len(gf):4} own {da:6.2f} other {db:6.2f} llr {da-db:6.2f} nbheard {'H' if nb.get('words') else '-'}")
ev=sys.argv[1]
sys.path.insert(0,'scripts'); import eval_set
for r in eval_set.recordings():
    f=os.path.join(ev,'default--'+r['name'].replace(':','_')+'.json')
    if os.path.exists(f) and (len(sys.argv)<3 or sys.argv[2] in r['name']): run(r['name'],f,r)
