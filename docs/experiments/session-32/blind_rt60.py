#!/usr/bin/env python3
"""Experiment (session 32): a naive blind RT60 estimate, to see whether the room could be told
from the recording before dereverberating it (the late-reverberation subtraction tried this
session was given the true RT60).

    python3 docs/experiments/session-32/blind_rt60.py

Frame energies (20 ms, hop 10 ms, dB, smoothed over 3 frames); every monotone fall of at
least 100 ms and 20 dB is a free decay, its slope fitted by least squares; the estimate is
60 dB over the median slope of the steepest tenth (a room cannot decay faster than its own
decay). None with fewer than 5 decays. Prints one line per recording of eval-out/real and
eval-out/reverb (scripts/make_reverb.py) with the number of decays found.
"""
import sys, os, glob
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../..')
sys.path.insert(0, os.path.join(ROOT, 'scripts'))
os.chdir(ROOT)
from make_reverb import read_wav
import numpy as np
def estimate(x, rate):
    hop=int(0.01*rate); win=int(0.02*rate)
    n=(len(x)-win)//hop
    idx=np.arange(win)[None,:]+hop*np.arange(n)[:,None]
    e=10*np.log10(np.mean(x[idx]**2,axis=1)+1e-12)
    e=np.convolve(e,np.ones(3)/3,mode='same')
    slopes=[]
    i=0
    while i<n-1:
        j=i
        while j+1<n and e[j+1]<e[j]: j+=1
        L=j-i
        if L>=10 and e[i]-e[j]>=20:   # >=100 ms, >=20 dB monotone fall
            t=np.arange(L+1)*0.01
            s=np.polyfit(t,e[i:j+1],1)[0]
            slopes.append(s)
        i=j+1
    if len(slopes)<5: return None, len(slopes)
    s=np.sort(slopes)  # most negative first
    steep=s[:max(1,len(s)//10)]
    return -60/np.median(steep), len(slopes)
for pat in ['eval-out/real/*/', 'eval-out/reverb/room-*/', 'eval-out/reverb/hall-*/']:
    for d in sorted(glob.glob(pat)):
        if not os.path.exists(d+'audio.wav'): continue
        x,r=read_wav(d+'audio.wav')
        rt,k=estimate(x,r)
        print(f'{os.path.basename(d.rstrip("/")):40} {rt if rt is None else round(rt,2)} ({k})')
