"""Session 39: one line per grid log: word starts within 50 ms per recording with word truth
(real first), and the turn table's pooled rows (default mode), so settings compare at a glance.
   python3 docs/experiments/session-39/summ.py LOG ..."""
import sys
for log in sys.argv[1:]:
    sec = None; words = {}; turns = {}
    for l in open(log):
        if l.startswith("### "): sec = l[4:].strip()
        if not l.startswith("| ") or l.startswith("| family") or l.startswith("|---"): continue
        c = [x.strip().strip("*") for x in l.split("|")]
        if sec == "Word starts":
            words[(c[1], c[2])] = (c[1], c[3], c[5], c[6], c[7])
        elif sec == "Turn starts and ends":
            turns[(c[1], c[2])] = (c[1], c[3], c[4], c[5], c[6], c[7])
    print(f"== {log}")
    fam_order = ["real", "real-typos", "real-reverb", "sim-phone", "festival"]
    for f in fam_order:
        cells = [f"{k[1].split(':')[-1][:18]}={v[3]}" for k, v in words.items() if v[0] == f]
        print(f"  words≤50 {f:12} " + " ".join(cells))
    for k, v in turns.items():
        if k[1].startswith("pooled"):
            print(f"  turns {v[0]:18} n={v[1]:4} starts {v[2]}/{v[3]} ends {v[4]}/{v[5]}")
