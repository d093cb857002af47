#!/usr/bin/env python3
"""Compare the turns talign reads from a transcript with a truth file's turns, by label line.

    python3 scripts/check_turn_lines.py TALIGN TRANSCRIPT TRUTH_JSON

Runs `TALIGN lint --format json TRANSCRIPT`, then prints the number of parsed turns, how many
start on the `line` of a true turn, and every turn lost (true, not parsed) or invented
(parsed, not true) with its line and label, and every matching turn whose label differs. Exits 0 when lines and labels are identical, 1 otherwise.
"""
import json
import subprocess
import sys


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    talign, transcript, truth_path = sys.argv[1:]
    out = subprocess.run(
        [talign, "lint", "--format", "json", transcript], capture_output=True, text=True
    )
    if out.returncode not in (0, 1):
        print(out.stderr, file=sys.stderr)
        return 2
    got = json.loads(out.stdout)["turns"]
    truth = json.load(open(truth_path))["turns"]
    parsed = {t["line"]: t for t in got}
    true = {t["line"]: t for t in truth}
    matched = sorted(set(parsed) & set(true))
    print(f"{transcript}: {len(got)} turns parsed, {len(truth)} true, {len(matched)} matching by line")
    for line in sorted(set(true) - set(parsed)):
        print(f"  lost     line {line:4}: {true[line]['speaker_raw']!r}")
    for line in sorted(set(parsed) - set(true)):
        t = parsed[line]
        print(f"  invented line {line:4}: {t['speaker_raw']!r} {t['text'][:60]!r}")
    relabelled = [l for l in matched if parsed[l]["speaker_raw"] != true[l]["speaker_raw"]]
    for line in relabelled:
        print(f"  label    line {line:4}: {parsed[line]['speaker_raw']!r}, truth {true[line]['speaker_raw']!r}")
    same = set(parsed) == set(true) and len(got) == len(truth) and not relabelled
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
