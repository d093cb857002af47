#!/usr/bin/env python3
"""Word start accuracy of `talign align --words` on every recording with word truth.

    python3 scripts/eval_words.py [TALIGN_BINARY] [--compare]

Recordings with word truth: the Festival renditions (eval-out/festival*/, scripts/make_festival.py:
Festival's own segment times), tests/fixtures/real/praatio-{bobby,mary} (human TextGrid),
eval-out/real/parselmouth-northwind (phoneme tier grouped into words) and
eval-out/real/pocketsphinx-librivox (pocketsphinx's forced alignment: machine-made, a
reference, not ground truth). Prints, per recording and pooled per voice family, the share of
word starts within 25 / 50 / 100 ms, and how many of the words off by > 100 ms sit in their
recording's lowest-confidence decile. This is scripts/eval_set.py --only words; see there for
how words are paired.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval_set  # noqa: E402

args = [a for a in sys.argv[1:] if a != "--compare"]
argv = ["--only", "words"] + (["--bin", args[0]] if args else []) + (["--compare"] if "--compare" in sys.argv else [])
sys.exit(eval_set.main(argv))
