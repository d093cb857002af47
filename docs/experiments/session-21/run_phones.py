"""Session 21: `talign align --words --phones` of every evaluation recording with word truth,
as DIR/default--<recording>.json (the input of the other scripts here). From the repository
root: python3 docs/experiments/session-21/run_phones.py BIN DIR
"""
import os, subprocess, sys
sys.path.insert(0, "scripts")
import eval_set
BIN, OUT = sys.argv[1], sys.argv[2]
for r in eval_set.recordings():
    if not eval_set.truth_words(r["t"]):
        continue
    out = os.path.join(OUT, "default--" + r["name"].replace(":", "_") + ".json")
    if os.path.exists(out): continue
    subprocess.run([BIN, "align", "-q", "--words", "--phones", r["audio"], r["transcript"], "-o", out], check=True)
    print(r["name"], flush=True)
