#!/usr/bin/env python3
"""Session 21: which IPA symbols espeak-ng writes for the evaluation set's words in other
languages that the IPA table of crates/core/src/acoustic/pronounce.rs does not map (they are
dropped). From the repository root:

    python3 docs/experiments/session-21/unmapped_ipa.py [REV]

REV reads the table as it was at that commit (e.g. f31b53d, before `ʝ` and `ř` were mapped).

Stress and length marks and the syllabic mark (handled apart) are not counted.
"""
import collections
import glob
import re
import subprocess
import sys

IGNORE = set("ˈˌːˑ.|‖-_'()\u0329")


def main():
    path = "crates/core/src/acoustic/pronounce.rs"
    src = (subprocess.run(["git", "show", f"{sys.argv[1]}:{path}"], capture_output=True, text=True, check=True).stdout
           if len(sys.argv) > 1 else open(path, encoding="utf-8").read())
    body = src[src.index("const IPA_TABLE"):src.index("];", src.index("const IPA_TABLE"))]
    table = re.findall(r'^\s*\("([^"]+)", &\[', body, re.M)
    sets = [("es", ["eval-out/real/drascula-es-ch1/transcript.txt", "eval-out/real/drascula-es-ch2-village/transcript.txt"]),
            ("cs", glob.glob("eval-out/festival-czech/*.txt")),
            ("fr", ["eval-out/real/transcriber-frint/transcript.txt"])]
    for voice, paths in sets:
        words = set()
        for p in paths:
            words |= {w.strip("¡!¿?.,;:\"()[]…") for w in open(p, encoding="utf-8").read().split()}
        words = sorted(w for w in words if any(c.isalpha() for c in w))
        ipa = subprocess.run(["espeak-ng", "-q", "--ipa", "-v", voice, "\n".join(words)],
                             capture_output=True, text=True, check=True).stdout
        missing = collections.Counter()
        for tok in ipa.split():
            rest = tok
            while rest:
                if rest[0] == "(":
                    j = rest.find(")")
                    rest = rest[j + 1:] if j >= 0 else ""
                    continue
                k = next((k for k in table if rest.startswith(k)), None)
                if k:
                    rest = rest[len(k):]
                    continue
                if rest[0] not in IGNORE:
                    missing[rest[0]] += 1
                rest = rest[1:]
        print(voice, len(words), "words; unmapped:", [(c, f"U+{ord(c):04X}", n) for c, n in missing.most_common()])


if __name__ == "__main__":
    main()
