"""Session 28: move a word's start back over the pause frames before it that the phone loop
explains better than silence (lead = loop - silence's emission >= THETA nats), as far as the
8 frames the experiment build prints (boundary-features.patch). Offline, on the outputs and
prints of word_boundary_features.py in DIR; word starts within 50 ms per recording with word
truth, for each THETA.

    python3 docs/experiments/session-28/speechy_pause_sim.py DIR   (from the repo root)
"""
import json, os, sys
sys.path.insert(0, "scripts")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval_set
from word_boundary_features import run

THETAS = [None, 0.5, 1.0, 2.0, 3.0, 5.0]


def main():
    out = sys.argv[1]
    print("recording".ljust(28) + "".join(f"{'today' if t is None else t:>8}" for t in THETAS))
    for rec in eval_set.recordings():
        tw = eval_set.truth_words(rec["t"])
        if not tw:
            continue
        aligned, feats = run(None, rec, out)
        hits = {t: 0 for t in THETAS}
        n = 0
        for line, want in tw.items():
            got = [w for a in aligned["turns"] if line is None or a["line"] == line for w in (a.get("words") or [])]
            for w, tr in eval_set.pair(got, want):
                if w is None:
                    continue
                n += 1
                f = feats.get(int(round(w["start"] * 100)))
                for t in THETAS:
                    start = w["start"]
                    if t is not None and f is not None:
                        k = 0
                        for kind, lead in reversed(f[1]):
                            if kind != "p" or lead < t:
                                break
                            k += 1
                        start -= k / 100
                    hits[t] += abs(start - tr["start"]) <= 0.05
        print(rec["name"].ljust(28) + "".join(f"{100 * hits[t] / n:8.1f}" for t in THETAS))


if __name__ == "__main__":
    main()
