#!/usr/bin/env python3
"""How much of each transcript `talign align` hears in its recording, and whether it refuses
the pair: the measurement behind the mismatch refusal (docs/accuracy.md, "Mismatch refused").

    python3 scripts/heard_share.py --bin BIN [AUDIO TRANSCRIPT ...]

Without pairs: the evaluation set's transcripts in languages other than English (Spanish
acted dialogue, Festival's Czech, Transcriber's French radio) and the mismatched pairs of
`scripts/make_game_dialogue.py --mismatched` (English speech under its Italian translation).
For each pair: the exit code of `talign align` (1 = refused), then, aligned with `--force`,
the share of transcribed words in turns heard with a fit of at least -4.5 (the rule's
`HEARD_FIT`, crates/core/src/pipeline.rs).
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEARD_FIT = -4.5


def default_pairs():
    pairs = []
    for d in ["eval-out/real/drascula-es-ch1", "eval-out/real/drascula-es-ch2-village",
              "eval-out/real/transcriber-frint", "eval-out/mismatch/drascula-it-ch1",
              "eval-out/mismatch/drascula-it-ch2-village"]:
        pairs.append((os.path.join(ROOT, d, "audio.wav"), os.path.join(ROOT, d, "transcript.txt")))
    for t in glob.glob(os.path.join(ROOT, "eval-out/festival-czech/*.truth.json")):
        truth = json.load(open(t))
        d = os.path.dirname(t)
        pairs.append((os.path.join(d, truth["audio"]), os.path.join(d, truth["transcript"])))
    return pairs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("pairs", nargs="*", help="AUDIO TRANSCRIPT ...")
    a = ap.parse_args()
    if len(a.pairs) % 2:
        ap.error("give pairs: AUDIO TRANSCRIPT ...")
    pairs = list(zip(a.pairs[::2], a.pairs[1::2])) or default_pairs()
    print("| recording | transcript | exit | words heard |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "a.json")
        for audio, transcript in pairs:
            if not os.path.exists(audio):
                print(f"missing {audio}", file=sys.stderr)
                continue
            code = subprocess.run([a.bin, "align", "-q", audio, transcript, "-o", out],
                                  capture_output=True).returncode
            subprocess.run([a.bin, "align", "-q", "--force", audio, transcript, "-o", out],
                           check=True, capture_output=True)
            words = heard = 0
            for t in json.load(open(out))["turns"]:
                if not t["transcribed"]:
                    continue
                n = len(t["text"].split())
                words += n
                heard += n if t.get("fit") is not None and t["fit"] >= HEARD_FIT else 0
            rel = lambda p: os.path.relpath(p, ROOT)
            print(f"| {rel(audio)} | {rel(transcript)} | {code} | {heard} of {words} "
                  f"({100 * heard / max(1, words):.1f} %) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
