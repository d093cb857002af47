#!/usr/bin/env python3
"""Round-trip check of the annotation files talign reads as transcripts (issue 13, input side).

The programs people use write the files; talign must read them as the same turns. From a few
turns (two speakers, overlapping speech, quotes, accents, a multi-line turn) this script
writes, with the real libraries:

  - a Praat TextGrid in the long and the short text format, with praatio (a tier per
    speaker, plus a word tier and a point tier talign must leave out),
  - an ELAN EAF with pympi-ling (a tier per participant, plus a dependent translation tier),
  - an ASS script with pysubs2 (the speaker in the Name field, karaoke and italic tags),

then runs `talign lint --format json` on each and checks it reads the same turns in time
order: speaker, text, and the start time to the millisecond. Exit 0 when all agree, 1 when
any differs (each difference printed), 2 on bad usage.

    scripts/check_format_inputs.py [--talign PATH] [--write-fixtures DIR]

--talign defaults to $CARGO_TARGET_DIR/ci/talign (target/ci/talign). --write-fixtures saves
the generated files (tests/fixtures/formats/ holds the committed copies, which the Rust tests
read without Python). Installs the pinned libraries with pip when they are missing (as CI
does on a fresh Debian: pip install --break-system-packages).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

PINS = ["praatio==6.2.2", "pympi-ling==1.71", "pysubs2==1.8.1"]

# (speaker, start s, end s, text): Kerry and Diane overlap at 3.2-3.5.
TURNS = [
    ("Kerry", 0.52, 3.5, 'I said "no", and I meant it.'),
    ("Diane", 3.2, 5.125, "Oui, très bien."),
    ("Kerry", 6.0, 8.75, "Then we left the building\nand went home."),
    ("Diane", 9.001, 10.4, "Okay."),
]
DURATION = 12.0


def ensure_libraries():
    try:
        import praatio  # noqa: F401
        import pympi  # noqa: F401
        import pysubs2  # noqa: F401
    except ImportError:
        print(f"check_format_inputs: installing {' '.join(PINS)}", file=sys.stderr)
        cmd = [sys.executable, "-m", "pip", "install", "-q", *PINS]
        if subprocess.run(cmd).returncode != 0:
            subprocess.run([*cmd, "--break-system-packages"], check=True)


def write_textgrids(directory):
    from praatio import textgrid
    from praatio.data_classes.interval_tier import IntervalTier
    from praatio.data_classes.point_tier import PointTier

    tg = textgrid.Textgrid()
    for speaker in ("Kerry", "Diane"):
        entries = [(s, e, t.replace("\n", " ")) for who, s, e, t in TURNS if who == speaker]
        tg.addTier(IntervalTier(speaker, entries, 0, DURATION))
    words = []
    for who, s, e, t in TURNS:
        if who == "Kerry":
            parts = t.split()
            step = (e - s) / len(parts)
            words += [(s + k * step, s + (k + 1) * step, w) for k, w in enumerate(parts)]
    tg.addTier(IntervalTier("Kerry - words", words, 0, DURATION))
    tg.addTier(PointTier("events", [(5.5, "door")], 0, DURATION))
    paths = {}
    for fmt in ("long_textgrid", "short_textgrid"):
        path = os.path.join(directory, f"praatio-{fmt.split('_')[0]}.TextGrid")
        tg.save(path, format=fmt, includeBlankSpaces=True)
        paths[fmt] = path
    return paths


def write_eaf(directory):
    import pympi

    eaf = pympi.Elan.Eaf()
    eaf.add_linked_file("file:///recordings/talk.wav", relpath="talk.wav", mimetype="audio/x-wav")
    eaf.add_linguistic_type("translation", constraints="Symbolic_Association", timealignable=False)
    for speaker in ("Kerry", "Diane"):
        tier = f"{speaker} utterances"
        eaf.add_tier(tier, ling="default-lt", part=speaker)
        for who, s, e, t in TURNS:
            if who == speaker:
                eaf.add_annotation(tier, round(s * 1000), round(e * 1000), t.replace("\n", " "))
    eaf.add_tier("Kerry translation", ling="translation", parent="Kerry utterances")
    eaf.add_ref_annotation("Kerry translation", "Kerry utterances", 520, "Dije que no.")
    eaf.remove_tier("default")
    path = os.path.join(directory, "pympi.eaf")
    eaf.to_file(path)
    return path


def write_ass(directory):
    import pysubs2

    subs = pysubs2.SSAFile()
    for who, s, e, t in TURNS:
        words = t.replace("\n", "\\N").split(" ")
        # Karaoke tags on the first turn, italics on another: markup talign must strip.
        if s < 1:
            text = " ".join("{\\k20}" + w for w in words)
        elif who == "Diane" and s < 4:
            text = "{\\i1}" + " ".join(words) + "{\\i0}"
        else:
            text = " ".join(words)
        subs.append(pysubs2.SSAEvent(start=round(s * 1000), end=round(e * 1000), text=text, name=who))
    path = os.path.join(directory, "pysubs2.ass")
    subs.save(path)
    return path


def expected(ass=False):
    rows = []
    for who, s, e, t in sorted(TURNS, key=lambda r: r[1]):
        # ASS times are centiseconds.
        start = round(s * 100) / 100 if ass else round(s, 3)
        text = " ".join(t.split())
        rows.append((who, start, text))
    return rows


def read_back(talign, path):
    out = subprocess.run([talign, "lint", "--format", "json", path], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        return None, f"talign lint exited {out.returncode}: {out.stderr.strip()}"
    report = json.loads(out.stdout)
    rows = [
        (t["speaker"], t["stamp"]["seconds"], " ".join(t["text"].split()))
        for t in report["turns"]
    ]
    return (report, rows), None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "ci", "talign")
    parser.add_argument("--talign", default=default)
    parser.add_argument("--write-fixtures", metavar="DIR")
    args = parser.parse_args()
    if not os.access(args.talign, os.X_OK):
        print(f"check_format_inputs: no talign binary at {args.talign}; build it with "
              "`cargo build --profile ci` or give --talign", file=sys.stderr)
        return 2
    ensure_libraries()
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        grids = write_textgrids(tmp)
        files = [
            (grids["long_textgrid"], "textgrid", expected(), {"Kerry - words", "events"}),
            (grids["short_textgrid"], "textgrid", expected(), {"Kerry - words", "events"}),
            (write_eaf(tmp), "eaf", expected(), {"Kerry translation"}),
            (write_ass(tmp), "ass", expected(ass=True), set()),
        ]
        for path, fmt, want, ignored in files:
            name = os.path.basename(path)
            got, error = read_back(args.talign, path)
            if error:
                print(f"FAIL {name}: {error}")
                failures += 1
                continue
            report, rows = got
            problems = []
            if report["format"] != fmt:
                problems.append(f"read as {report['format']}, not {fmt}")
            if len(rows) != len(want):
                problems.append(f"{len(rows)} turns, expected {len(want)}")
            for k, (g, w) in enumerate(zip(rows, want)):
                if g[0] != w[0] or g[2] != w[2] or g[1] is None or abs(g[1] - w[1]) > 0.0005:
                    problems.append(f"turn {k}: read {g}, expected {w}")
            left_out = {t["name"] for t in report.get("tiers", []) if t.get("ignored")}
            if left_out != ignored:
                problems.append(f"tiers left out {sorted(left_out)}, expected {sorted(ignored)}")
            if problems:
                failures += 1
                print(f"FAIL {name}: " + "; ".join(problems))
            else:
                print(f"ok   {name}: {len(rows)} turns, speakers, texts and starts as written")
        if args.write_fixtures:
            os.makedirs(args.write_fixtures, exist_ok=True)
            for path, *_ in files:
                shutil.copy(path, args.write_fixtures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
