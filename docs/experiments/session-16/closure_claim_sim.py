#!/usr/bin/env python3
"""What claiming the tail of a pause would do to word starts, measured offline: a word (not
its turn's first) whose first phone is in a set, after a gap of any length from the previous
word of its turn, is moved back by min(gap, X) ("cap") or by gap * X * 10 ("frac"). Aligns
every recording with word truth (`--words --phones`, outputs reused when present), then
prints word starts within 25 / 50 / 100 ms per recording for each X, with the number of
words moved. From the repository root, BIN a build without the rule (session 16 measured
it on 0b46ed7's):

    python3 docs/experiments/session-16/closure_claim_sim.py BIN DIR {stops|fric|hh|sf|sfh|all|vowel|vhg} [cap|frac]
"""
import json, os, subprocess, sys
sys.path.insert(0, "scripts")
import eval_set
SETS = {"stops": {"P","T","K","B","D","G","CH","JH"}, "sf": {"P","T","K","B","D","G","CH","JH","S","SH","F","TH"},
        "fric": {"S","SH","F","TH"}, "hh": {"HH"}, "sfh": {"P","T","K","B","D","G","CH","JH","S","SH","F","TH","HH"}, "all": None,
        # session 17: onsets the closure rule leaves alone (vowels; vowels, HH and glides)
        "vowel": {"AA","AE","AH","AO","AW","AY","EH","ER","EY","IH","IY","OW","OY","UH","UW"}, "vhg": {"AA","AE","AH","AO","AW","AY","EH","ER","EY","IH","IY","OW","OY","UH","UW","HH","Y","W"}}
LIMITS = [0, 0.02, 0.04, 0.06, 0.08]
def aligned(binary, out_dir, rec):
    out = os.path.join(out_dir, rec["name"].replace(":", "_") + ".json")
    if not os.path.exists(out):
        subprocess.run([binary, "align", "-q", "--words", "--phones", rec["audio"], rec["transcript"], "-o", out], check=True)
    return json.load(open(out))
binary, out_dir, which = sys.argv[1], sys.argv[2], sys.argv[3]
mode = sys.argv[4] if len(sys.argv) > 4 else "cap"   # cap: claim min(gap,X); frac: claim X*gap (X as fraction)
phones = SETS[which]
os.makedirs(out_dir, exist_ok=True)
for rec in eval_set.recordings():
    truth = eval_set.truth_words(rec["t"])
    if not truth: continue
    a = aligned(binary, out_dir, rec)
    errors = {x: [] for x in LIMITS}; moved = {x: 0 for x in LIMITS}
    for line, want in truth.items():
        turns = [t for t in a["turns"] if line is None or t["line"] == line]
        before = {}
        for t in turns:
            ws = t.get("words") or []
            for i, w in enumerate(ws):
                before[id(w)] = ws[i-1]["end"] if i > 0 else None
        got = [w for t in turns for w in (t.get("words") or [])]
        for w, tr in eval_set.pair(got, want):
            for x in LIMITS:
                if w is None: errors[x].append(None); continue
                start, prev = w["start"], before[id(w)]
                first = (w.get("phones") or [{}])[0].get("phone")
                if (phones is None or first in phones) and prev is not None and start - prev > 1e-9 and x > 0:
                    g = start - prev
                    start -= min(g, x) if mode == "cap" else g * x * 10
                    moved[x] += 1
                errors[x].append(abs(start - tr["start"]))
    def cells(v):
        return " / ".join(f"{100*sum(1 for e in v if e is not None and e <= lim)/len(v):5.1f}" for lim in (0.025, 0.05, 0.1))
    print(f"{rec['name']:28} " + "  ".join(f"{int(x*1000)}: {cells(errors[x])} ({moved[x]})" for x in LIMITS), flush=True)
