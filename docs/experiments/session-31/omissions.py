#!/usr/bin/env python3
"""Words left out of a transcript: copies of the real recordings with word truth whose
transcripts omit each word with probability 0.1 (seeded by the recording's name; the truth
drops the same words), aligned with a binary and scored on the words still there
(docs/accuracy.md, session 31).

    python3 docs/experiments/session-31/omissions.py BIN OUTDIR

Extra `talign` settings go through the environment (the experiment patch
`inner-filler-switch.patch`: TALIGN_EXP_INNER_FILLER=P, TALIGN_EXP_INNER_MIN=K).
"""
import json
import os
import random
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../..")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import eval_set as E  # noqa: E402

SOURCES = ["eval-out/real/mfa-acoustic-corpus", "eval-out/real/mfa-cold-corpus",
           "eval-out/real/mfa-cold-corpus3", "eval-out/real/parselmouth-northwind",
           "eval-out/real/pocketsphinx-librivox", "tests/fixtures/real/praatio-bobby",
           "tests/fixtures/real/praatio-damon", "tests/fixtures/real/praatio-mary"]


def make(src, out):
    src = os.path.join(ROOT, src)
    name = os.path.basename(src)
    truth = json.load(open(os.path.join(src, "truth.json")))
    lines = open(os.path.join(src, truth["transcript"]), encoding="utf-8").read().split("\n")
    labels = {t["line"] for t in truth["turns"]}
    rng, dropped, seen, in_turn = random.Random("omit:" + name), [], {}, False
    for i, line in enumerate(lines):
        if i + 1 in labels:
            in_turn = True
            continue
        if not in_turn or not line.strip():
            continue
        keep = []
        for tok in line.split(" "):
            k = E.key(tok)
            n = seen.get(k, 0)
            seen[k] = n + 1
            if k and rng.random() < 0.1:
                dropped.append((k, n))
                continue
            keep.append(tok)
        lines[i] = " ".join(keep)
    words, gone = truth.get("words", []), set()
    for k, n in dropped:
        same = [j for j, w in enumerate(words) if E.key(w["word"]) == k]
        if n < len(same):
            gone.add(same[n])
    truth["words"] = [w for j, w in enumerate(words) if j not in gone]
    d = os.path.join(out, "data", name)
    os.makedirs(d, exist_ok=True)
    truth["audio"] = os.path.relpath(os.path.join(src, truth["audio"]), d)
    truth["transcript"] = "transcript.txt"
    open(os.path.join(d, "transcript.txt"), "w", encoding="utf-8").write("\n".join(lines))
    json.dump(truth, open(os.path.join(d, "truth.json"), "w"))
    return name, d, truth


def main():
    binary, out = sys.argv[1:3]
    pooled = []
    for src in SOURCES:
        name, d, truth = make(src, out)
        rec = {"name": name, "t": truth}
        aligned = os.path.join(out, name + ".json")
        subprocess.run([binary, "align", "-q", "--words", os.path.join(d, truth["audio"]),
                        os.path.join(d, "transcript.txt"), "-o", aligned], check=True)
        s = E.score(rec, json.load(open(aligned)))
        pooled += s["words"]
        print(f"{name:24s} {E.word_cells(s)}")
    print(f"{'pooled':24s} {E.word_cells({'words': pooled})}")


if __name__ == "__main__":
    main()
