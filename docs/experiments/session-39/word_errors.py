"""Session 39: signed word-start errors per recording with word truth (a build's `eval_set.py`
outputs): median and mean, and how many words start more than 50 ms early or late; with
`--list NAME`, each word of one recording beside its truth and the pause before it.

    python3 docs/experiments/session-39/word_errors.py OUT [PREFIX]     # PREFIX: real: (default)
    python3 docs/experiments/session-39/word_errors.py OUT --list real:mfa-cold-corpus
"""
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../scripts"))
import eval_set as E  # noqa: E402


def aligned(out, rec):
    return json.load(open(f"{out}/default--{rec['name'].replace(':', '_')}.json"))


def summary(out, prefix):
    E.error = lambda a, b: round(a - b, 6)  # signed, ours minus the truth's
    for r in E.recordings():
        if not r["name"].startswith(prefix) or not E.truth_words(r["t"]):
            continue
        if not os.path.exists(f"{out}/default--{r['name'].replace(':', '_')}.json"):
            continue
        d = [w["d"] for w in E.score(r, aligned(out, r))["words"] if w["d"] is not None]
        print(f"{r['name']:35} n={len(d):3} median {statistics.median(d) * 1000:+6.1f} ms "
              f"mean {statistics.mean(d) * 1000:+6.1f}  within 50 ms {sum(abs(x) <= 0.05 for x in d)}"
              f"  late {sum(x > 0.05 for x in d)}  early {sum(x < -0.05 for x in d)}")


def listing(out, name):
    for r in E.recordings():
        if r["name"] != name:
            continue
        words = [w for t in aligned(out, r)["turns"] for w in (t.get("words") or [])]
        for truth in E.truth_words(r["t"]).values():
            before = None
            for w, t in E.pair(words, truth):
                if w is None:
                    print(f"{t['word']:15} missed")
                    continue
                d = w["start"] - t["start"]
                pause = t["start"] - before["end"] if before else 0.0
                flag = "early" if d < -0.05 else ("late" if d > 0.05 else "")
                print(f"{t['word']:15} truth {t['start']:7.3f}-{t['end']:7.3f} ours {w['start']:7.3f}-"
                      f"{w['end']:7.3f} {d * 1000:+5.0f} ms, pause before {pause:4.2f} s {flag}")
                before = t


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[2] == "--list":
        listing(sys.argv[1], sys.argv[3])
    else:
        summary(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "real:")
