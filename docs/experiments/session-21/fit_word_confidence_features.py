"""Session 21: the words' confidence refitted with more features, each set scored by the words
off by more than 100 ms that sit in their recording's lowest decile: in sample, each recording
left out of the fit, each voice family left out. From the repository root:

    python3 docs/experiments/session-21/fit_word_confidence_features.py DIR

DIR holds `talign align --words --phones` outputs of every recording with word truth, named
DIR/default--<recording>.json (session 21: the release build of 02456fc).
"""
import json, math, os, sys
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wordconf
STOPS = set("P B T D K G CH JH".split()); FRIC = set("F V TH DH S Z SH ZH HH".split())
NAS = set("M N NG".split()); GLIDE = set("L R W Y".split())
def cls(p):
    for i, s in enumerate((STOPS, FRIC, NAS, GLIDE)):
        if p in s: return i
    return 4  # vowel
def feats(z, which):
    f = [1.0, z["tconf"], max(-20.0, z["fit"]), math.log1p(max(0, z["len"]))]
    ph = z["phones"] or []
    p0 = ph[0] if ph else None
    if "cls" in which:
        c = cls(p0["phone"]) if p0 else 4
        f += [1.0 if c == i else 0.0 for i in range(4)]
    if "hh" in which:
        f += [1.0 if p0 and p0["phone"] in ("HH",) else 0.0]
    if "p0len" in which:
        f += [math.log(max(0.03, p0["end"] - p0["start"])) if p0 else 0.0]
    if "pause" in which:
        g = z["gap_before"]
        f += [1.0 if (g is None or g > 0.05) else 0.0]
    if "first" in which:
        f += [1.0 if z["first"] else 0.0]
    if "prevfit" in which:
        f += [max(-20.0, z["prev_fit"]) if z["prev_fit"] is not None else 0.0]
    if "pre" in which:
        g = z["gap_before"]
        f += [z["pre"] if (g is None or g > 0.05) else 0.0]
    if "preall" in which:
        f += [z["pre"]]
    if "nph" in which:
        f += [math.log(len(ph)) if ph else 0.0]
    return f
def fit(X, y, w, ridge=1e-3, steps=40):
    b = np.zeros(X.shape[1])
    for _ in range(steps):
        p = 1/(1+np.exp(-X@b)); g = X.T@(w*(p-y)) + ridge*b
        H = (X*(w*p*(1-p))[:,None]).T@X + ridge*np.eye(len(b))
        b -= np.linalg.solve(H, g)
    return b
def run(R, which):
    R = [z for z in R if z["d"] is not None and z["fit"] is not None]
    miss_by = {}
    X = np.array([feats(z, which) for z in R]); y = np.array([1.0 if z["d"] <= 0.1 else 0.0 for z in R])
    fams = sorted({z["fam"] for z in R}); recs = sorted({z["rec"] for z in R})
    famw = {f: 1.0/sum(1 for z in R if z["fam"] == f) for f in fams}
    w = np.array([famw[z["fam"]] for z in R]); w *= len(R)/w.sum()
    rec = np.array([z["rec"] for z in R]); fam = np.array([z["fam"] for z in R])
    def decile(b, mask):
        low = off = 0
        s = X@b
        for r in recs:
            m = (rec == r) & mask
            if not m.any(): continue
            # count missed words too (conf 0 -> in decile); they are excluded here, add separately
            idx = np.where(m)[0]; k = math.ceil((len(idx) + nmiss[r]) / 10) - nmiss[r]
            order = idx[np.argsort(s[idx], kind="stable")][:max(0, k)]
            low += int((y[order] == 0).sum()); off += int((y[idx] == 0).sum())
        return low, off
    b = fit(X, y, w)
    p = 1/(1+np.exp(-X@b)); ll = -np.mean(w*(y*np.log(p)+(1-y)*np.log(1-p)))
    ins = decile(b, np.ones(len(R), bool))
    lo = [0, 0]
    for r in recs:
        bb = fit(X[rec != r], y[rec != r], w[rec != r]); l, o = decile(bb, rec == r); lo[0] += l; lo[1] += o
    fo = [0, 0]
    for f in fams:
        bb = fit(X[fam != f], y[fam != f], w[fam != f]); l, o = decile(bb, fam == f); fo[0] += l; fo[1] += o
    return b, ll, ins, lo, fo
Rall = wordconf.rows(sys.argv[1])
import energy
for z in Rall:
    if z["d"] is None: continue
    e = energy.frames(z["rec"]); i = int(round(z["start"]*100)); a = max(0, i-15)
    z["pre"] = float(np.max(e[a:i])) / 10 if i > a else 0.0
nmiss = {}
for z in Rall:
    nmiss.setdefault(z["rec"], 0)
    if z["d"] is None: nmiss[z["rec"]] += 1
print("missed words (always in decile):", sum(nmiss.values()))
for which in [(), ("pre",), ("preall",), ("p0len",), ("pre","p0len"), ("pre","pause"), ("pre","p0len","pause"), ("pre","p0len","pause","prevfit"), ("cls","p0len","pause","prevfit","pre")]:
    b, ll, ins, lo, fo = run(Rall, which)
    print(which, f"ll {ll:.4f} in-sample {ins} rec-out {lo} fam-out {fo}", np.round(b, 3))
