#!/usr/bin/env python3
"""Word timing accuracy of `talign align --words` on the recordings that have word truth.

    python3 scripts/eval_words.py [TALIGN_BINARY]

Recordings: tests/fixtures/real/praatio-{bobby,mary} (human word alignments, TextGrid) and
eval-out/real/pocketsphinx-librivox (pocketsphinx's forced alignment: machine-made, so a
reference, not ground truth; run scripts/fetch_real_speech.py first). Words are paired in
order by their text (case and punctuation ignored), so words the transcript has beyond
the truth's (a speaker label read as text) are left out. Prints a markdown table: word start
and end errors, median, p90, share within 0.05 / 0.1 / 0.25 s.
"""
import json
import os
import subprocess
import sys
import tempfile

RECORDINGS = [
    ("praatio-bobby (human)", "tests/fixtures/real/praatio-bobby"),
    ("praatio-mary (human)", "tests/fixtures/real/praatio-mary"),
    ("pocketsphinx-librivox (machine)", "eval-out/real/pocketsphinx-librivox"),
]


def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def key(word):
    return "".join(c for c in word.lower() if c.isalnum())


def pair(words, truth):
    """Aligned and true words with the same text, in order (greedy)."""
    pairs, i = [], 0
    for t in truth:
        while i < len(words) and key(words[i]["word"]) != key(t["word"]):
            i += 1
        if i == len(words):
            break
        pairs.append((words[i], t))
        i += 1
    return pairs


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/talign"
    print("| recording | words | start median s | start p90 s | start ≤0.05 / ≤0.1 / ≤0.25 s | end median s | end ≤0.1 / ≤0.25 s |")
    print("|---|---|---|---|---|---|---|")
    for name, d in RECORDINGS:
        if not os.path.exists(os.path.join(d, "truth.json")):
            print(f"| {name} | missing: run scripts/fetch_real_speech.py | | | | | |")
            continue
        truth = json.load(open(os.path.join(d, "truth.json")))["words"]
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "a.json")
            subprocess.run(
                [binary, "align", "-q", "--words", os.path.join(d, "audio.wav"),
                 os.path.join(d, "transcript.txt"), "-o", out],
                check=True,
            )
            aligned = json.load(open(out))
        words = [w for t in aligned["turns"] for w in (t.get("words") or [])]
        pairs = pair(words, truth)
        if len(pairs) < len(truth):
            print(f"| {name} | only {len(pairs)} of {len(truth)} true words paired | | | | | |")
            continue
        se = [abs(w["start"] - t["start"]) for w, t in pairs]
        ee = [abs(w["end"] - t["end"]) for w, t in pairs]
        share = lambda xs, x: 100.0 * sum(e <= x for e in xs) / len(xs)
        print(
            f"| {name} | {len(pairs)} | {percentile(se, 0.5):.3f} | {percentile(se, 0.9):.3f} | "
            f"{share(se, 0.05):.0f} / {share(se, 0.1):.0f} / {share(se, 0.25):.0f} % | "
            f"{percentile(ee, 0.5):.3f} | {share(ee, 0.1):.0f} / {share(ee, 0.25):.0f} % |"
        )


main()
