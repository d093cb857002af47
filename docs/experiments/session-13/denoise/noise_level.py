import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "telephone"))
from fbank import *  # noqa: E402
import numpy as np, sys, glob, subprocess
def tracked(path, limit=None):
    raw=subprocess.run(['ffmpeg','-loglevel','error','-i',path,'-ac','1','-ar','16000','-f','s16le','-'],capture_output=True).stdout
    x=np.frombuffer(raw,dtype=np.int16).astype(float)
    if limit: x=x[:16000*limit]
    m=np.exp(logmel(x))  # energies (approx; +1e-4)
    T,F=m.shape
    sm=np.zeros(F); mins=[]; out=np.zeros(T)
    for t in range(T):
        e=m[t]
        if t==0: sm=e.copy(); mins=[e.copy()]
        sm=0.7*sm+0.3*e
        if t>0 and t%20==0:
            mins.append(sm.copy()); 
            if len(mins)>8: mins.pop(0)
        mins[-1]=np.minimum(mins[-1],sm)
        N=np.min(mins,axis=0)
        out[t]=np.mean(np.log(N+1e-4))
    return out
for p in sys.argv[1:]:
    o=tracked(p, 600)
    print(f"{p:60s} mean {o.mean():5.2f} median {np.median(o):5.2f} p25 {np.percentile(o,25):5.2f}")
