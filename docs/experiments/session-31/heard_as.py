#!/usr/bin/env python3
"""Which reading of each typing slip the recording chose: aligns every typo copy
(eval-out/typos/, scripts/make_typos.py) with `--words --phones` and, for each slipped word,
says whether its heard phones are a dictionary pronunciation of the word meant (heard as the
near word) or not (heard as written, or as another near word) (docs/accuracy.md, session 31).

    python3 docs/experiments/session-31/heard_as.py BIN OUTDIR
"""
import glob
import json
import os
import re
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../..")


def dictionary():
    d = {}
    for line in open(os.path.join(ROOT, "models/en-us/cmudict-en-us.dict"), encoding="utf-8"):
        w, *phones = line.split("#")[0].split()
        d.setdefault(re.sub(r"\(\d+\)$", "", w), []).append(phones)
    return d


def main():
    binary, out = sys.argv[1:3]
    os.makedirs(out, exist_ok=True)
    cmu = dictionary()
    meant = total = 0
    for d in sorted(glob.glob(os.path.join(ROOT, "eval-out/typos/*/"))):
        name = os.path.basename(d.rstrip("/"))
        truth = json.load(open(os.path.join(d, "truth.json")))
        slips = [s.split(" → ") for s in truth["typos"]["slips"]]
        path = os.path.join(out, name + ".json")
        subprocess.run([binary, "align", "-q", "--words", "--phones", os.path.join(d, truth["audio"]),
                        os.path.join(d, "transcript.txt"), "-o", path], check=True)
        words = [w for t in json.load(open(path))["turns"] for w in (t.get("words") or [])]
        seen = {}
        hit = n = 0
        for word, typo in slips:
            k = seen.get(typo, 0)
            seen[typo] = k + 1
            same = [w for w in words if re.sub(r"[^a-z']", "", w["word"].lower()) == typo]
            if k >= len(same) or not same[k].get("phones"):
                continue
            heard = [p["phone"] for p in same[k]["phones"]]
            n += 1
            hit += heard in cmu.get(word, [])
        meant, total = meant + hit, total + n
        print(f"{name:28s} {hit} of {n} slips heard as the word meant")
    print(f"{'all':28s} {meant} of {total}")


if __name__ == "__main__":
    main()
