#!/usr/bin/env python3
"""Align every recording of the evaluation set and score turns and words, per recording and
per voice family (espeak = espeak-ng renditions, festival = Festival renditions, real =
recordings of people, real-phone = the same in telephone band: truth `band` "telephone ...",
sim-phone = wideband recordings passed through a telephone band by scripts/make_telephone.py,
real-typos and real-phone-typos = the English real recordings with typos in their transcripts,
real-reverb = the wideband real recordings in two reverberant rooms).

    python3 scripts/eval_set.py --bin BINARY [--args "FLAGS"] [--compare] [--out DIR] [--match TEXT]

--args     extra `talign align` flags (default: $TALIGN_ARGS)
--match    only the recordings whose name contains TEXT (repeatable)
--compare  align twice, with FLAGS and with FLAGS --no-reference, and print them side by side
--out      where the alignments go (default eval-out/aligned-set); an alignment already there
           and newer than the binary is reused
Recordings: sample-audio/ (main) and eval-out/<variant>/ for make_sample.py's variants,
eval-out/festival*/ (scripts/make_festival.py), eval-out/real/*/ (scripts/fetch_real_speech.py),
tests/fixtures/real/*/, eval-out/phone/*/ (scripts/make_telephone.py) and eval-out/typos/*/
(scripts/make_typos.py: the English real recordings with typos in their transcripts) and
eval-out/reverb/*/ (scripts/make_reverb.py: the wideband real recordings with a room's echo). Turn tables use the recordings whose truth has times for more than
one turn; word tables those whose truth has words (per turn `words`, or a top-level `words`).

Turns are matched by `line`. A turn's start (end) error = |aligned - true| start (end).
Words are paired per turn (or over the whole recording when the truth's words are not per
turn) in order by their text, case and punctuation ignored; an aligned word without a partner
is skipped, a true word without one is counted as missed (not within any tolerance).
Confidence: a turn is "off" when its start or its end is more than 1 s off; the recording's
lowest-confidence decile = its ceil(10 %) turns of lowest `confidence` (recordings of the turn
table only: a one-turn recording's turn is always in its own decile); the pooled share of off
turns that sit there is printed with its counts (the row "all" leaves out the typo and room copies). Words: a word's own `confidence` (schema 3),
else its turn's; the decile is taken over the words, missed true words counted at 0.
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import os
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ESPEAK = ["main", "voices", "snr20", "snr10", "snr5", "drift1pct", "nostamps"]
# Table order: real speech first.
FAMILIES = ["real", "real-phone", "real-typos", "real-phone-typos", "real-reverb", "sim-phone",
            "festival", "espeak"]


def is_copy(family: str) -> bool:
    """The real recordings again (with typos, in rooms): their own rows, but left out of the
    pooled confidence row and of the confidence fits, which take each recording once."""
    return family.endswith("-typos") or family == "real-reverb"


def recordings() -> list[dict]:
    """[{name, family, audio, transcript, truth}] in table order."""
    out = []

    def add(name, family, d, truth_file):
        t = json.load(open(truth_file))
        out.append({"name": name, "family": family, "audio": os.path.join(d, t["audio"]),
                    "transcript": os.path.join(d, t["transcript"]), "truth": truth_file, "t": t})

    for v in ESPEAK:
        d = os.path.join(ROOT, "sample-audio" if v == "main" else f"eval-out/{v}")
        f = os.path.join(d, "kerry-aleppo-2016.truth.json")
        if os.path.exists(f):
            add(v, "espeak", d, f)
        else:
            print(f"missing {d} (python3 scripts/make_sample.py --variant {v})", file=sys.stderr)
    for d in sorted(glob.glob(os.path.join(ROOT, "eval-out/festival*/"))):
        for f in sorted(glob.glob(os.path.join(d, "*.truth.json"))):
            add(os.path.basename(d.rstrip("/")), "festival", d, f)
    seen = set()
    for base in ("eval-out/real", "tests/fixtures/real"):
        for d in sorted(glob.glob(os.path.join(ROOT, base, "*/"))):
            name = os.path.basename(d.rstrip("/"))
            f = os.path.join(d, "truth.json")
            if name in seen or not os.path.exists(f) or not os.path.exists(os.path.join(d, "audio.wav")):
                continue
            seen.add(name)
            band = json.load(open(f)).get("band", "")
            add("real:" + name, "real-phone" if band.startswith("telephone") else "real", d, f)
    # Telephone-band renditions of wideband recordings (scripts/make_telephone.py).
    for d in sorted(glob.glob(os.path.join(ROOT, "eval-out/phone/*/"))):
        f = os.path.join(d, "truth.json")
        if os.path.exists(f):
            add("phone:" + os.path.basename(d.rstrip("/")), "sim-phone", d, f)
    # The English real recordings again, their transcripts with typing errors
    # (scripts/make_typos.py): the same audio and truth, misspelt words.
    for d in sorted(glob.glob(os.path.join(ROOT, "eval-out/typos/*/"))):
        f = os.path.join(d, "truth.json")
        if os.path.exists(f):
            band = json.load(open(f)).get("band", "")
            family = "real-phone-typos" if band.startswith("telephone") else "real-typos"
            add("typos:" + os.path.basename(d.rstrip("/")), family, d, f)
    # The wideband real recordings again in two reverberant rooms (scripts/make_reverb.py).
    for d in sorted(glob.glob(os.path.join(ROOT, "eval-out/reverb/*/"))):
        f = os.path.join(d, "truth.json")
        if os.path.exists(f):
            add("reverb:" + os.path.basename(d.rstrip("/")), "real-reverb", d, f)
    return out


def has_turn_truth(t: dict) -> bool:
    return sum(x.get("start") is not None for x in t["turns"]) > 1


def truth_words(t: dict):
    """{line: [words]} when the truth has words per turn, else {None: [words]} or {}."""
    per = {x["line"]: x["words"] for x in t["turns"] if x.get("words")}
    if per:
        return per
    return {None: t["words"]} if t.get("words") else {}


def align(bin_: str, rec: dict, flags: list[str], out: str) -> dict:
    if not (os.path.exists(out) and os.path.getmtime(out) > os.path.getmtime(bin_)):
        cmd = [bin_, "align", "-q", *flags, rec["audio"], rec["transcript"], "-o", out]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}: {p.stderr.strip()[-300:]}")
    return json.load(open(out))


def key(w: str) -> str:
    return "".join(c for c in w.lower() if c.isalnum())


def pair(words, truth):
    pairs, i = [], 0
    for t in truth:
        j = i
        while j < len(words) and key(words[j]["word"]) != key(t["word"]):
            j += 1
        if j == len(words):
            pairs.append((None, t))  # missed; keep looking for the next true word from i
            continue
        pairs.append((words[j], t))
        i = j + 1
    return pairs


def error(a: float, b: float) -> float:
    """|a - b| to the microsecond: times on 10 ms grids (MFA's word tiers, talign's frames) are
    exactly 50 ms apart as 0.04999... or 0.05000...1 in binary; the tolerances are inclusive."""
    return round(abs(a - b), 6)


def score(rec: dict, aligned: dict, with_words: bool = True) -> dict:
    t = rec["t"]
    by_line = {x["line"]: x for x in t["turns"]}
    turns = []
    for a in aligned["turns"]:
        x = by_line.get(a["line"])
        if x is None or x.get("start") is None:
            continue
        turns.append({"ds": error(a["start"], x["start"]), "de": error(a["end"], x["end"]), "conf": a.get("confidence", 0.0)})
    words = []
    tw = truth_words(t) if with_words else {}
    if tw:
        conf_of = {a["line"]: a.get("confidence", 0.0) for a in aligned["turns"]}
        if None in tw:
            aw = [(w, a.get("confidence", 0.0)) for a in aligned["turns"] for w in (a.get("words") or [])]
            groups = [(aw, tw[None])]
        else:
            groups = [([(w, conf_of.get(line, 0.0)) for a in aligned["turns"] if a["line"] == line for w in (a.get("words") or [])], ws) for line, ws in tw.items()]
        for aw, ws in groups:
            for w, tr in pair([w for w, _ in aw], ws):
                c = (w.get("confidence", next((c for x, c in aw if x is w), 0.0))
                     if w is not None else 0.0)
                words.append({"d": None if w is None else error(w["start"], tr["start"]), "conf": c})
    return {"turns": turns, "words": words}


def lowest_decile(items, conf="conf"):
    n = math.ceil(len(items) / 10)
    return set(map(id, sorted(items, key=lambda x: x[conf])[:n]))


def pct(xs, f):
    return 100.0 * sum(1 for x in xs if f(x)) / len(xs) if xs else float("nan")


def turn_cells(s):
    tt = s["turns"]
    if not tt:
        return "– | – | – | – | –"
    return (f"{len(tt)} | {pct(tt, lambda x: x['ds'] <= 0.25):.1f} | {pct(tt, lambda x: x['ds'] <= 1):.1f} | "
            f"{pct(tt, lambda x: x['de'] <= 0.25):.1f} | {pct(tt, lambda x: x['de'] <= 1):.1f}")


def word_cells(s):
    ws = s["words"]
    if not ws:
        return "– | – | – | – | –"
    missed = sum(1 for w in ws if w["d"] is None)
    f = lambda lim: pct(ws, lambda w: w["d"] is not None and w["d"] <= lim)
    return f"{len(ws)} | {missed} | {f(0.025):.1f} | {f(0.05):.1f} | {f(0.1):.1f}"


def conf_counts(scores, kind):
    """(off in lowest decile, off) pooled over recordings: turns off > 1 s, words off > 0.1 s."""
    low = off = 0
    for s in scores:
        items = s[kind]
        if not items:
            continue
        dec = lowest_decile(items)
        for x in items:
            bad = (max(x["ds"], x["de"]) > 1.0) if kind == "turns" else (x["d"] is None or x["d"] > 0.1)
            if bad:
                off += 1
                low += id(x) in dec
    return low, off


def pooled(scores):
    return {"turns": [x for s in scores for x in s["turns"]], "words": [x for s in scores for x in s["words"]]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.environ.get("TALIGN_BIN", os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release/talign")))
    ap.add_argument("--args", default=os.environ.get("TALIGN_ARGS", ""))
    ap.add_argument("--compare", action="store_true", help="also run with --no-reference, side by side")
    ap.add_argument("--out", default=os.path.join(ROOT, "eval-out/aligned-set"))
    ap.add_argument("--only", choices=["turns", "words"], help="only the turn (or the word) tables")
    ap.add_argument("--match", action="append", metavar="TEXT",
                    help="only the recordings whose name contains TEXT (repeatable), e.g. --match drascula")
    a = ap.parse_args(argv)
    flags = shlex.split(a.args)
    modes = [("default" if not flags else a.args, flags)]
    if a.compare:
        modes.append(((a.args + " --no-reference").strip(), flags + ["--no-reference"]))
    os.makedirs(a.out, exist_ok=True)
    recs = [r for r in recordings() if not a.match or any(m in r["name"] for m in a.match)]
    res = {}  # (mode, rec name) -> score
    failed = set()
    for label, fl in modes:
        tag = "".join(c if c.isalnum() else "_" for c in (" ".join(fl) or "default"))
        for r in recs:
            need_turns = has_turn_truth(r["t"])
            need_words = bool(truth_words(r["t"]))
            if a.only == "words":
                need_turns = False
            if a.only == "turns":
                need_words = need_words and need_turns
            if not (need_turns or need_words):
                continue
            if "--no-reference" in fl:  # word timings need the reference voice
                need_words = False
                if not need_turns:
                    continue
            extra = ["--words"] if need_words else []
            out = os.path.join(a.out, f"{tag}--{r['name'].replace(':', '_')}.json")
            try:
                res[(label, r["name"])] = score(r, align(a.bin, r, fl + extra, out), need_words)
            except (RuntimeError, OSError, ValueError, KeyError) as e:
                print(f"FAILED {r['name']} ({label}): {e}", file=sys.stderr)
                failed.add((label, r["name"]))
    hdr_t = "turns | starts ≤0.25 s % | starts ≤1 s % | ends ≤0.25 s % | ends ≤1 s %"
    hdr_w = "words | missed | starts ≤25 ms % | ≤50 ms % | ≤100 ms %"
    print(f"Binary: `{a.bin}`; modes: " + ", ".join(f"`{m or 'default'}`" for m, _ in modes) + "\n")
    tables = (("Turn starts and ends", hdr_t, turn_cells, lambda r: has_turn_truth(r["t"])),
              ("Word starts", hdr_w, word_cells, lambda r: bool(truth_words(r["t"]))))
    for title, hdr, cells, want in tables:
        if a.only and not title.lower().startswith(a.only[:4]):
            continue
        print(f"### {title}\n")
        cols = " | ".join(f"{m}: {h}" if len(modes) > 1 else h for m, _ in modes for h in [hdr])
        print(f"| family | recording | {cols} |")
        print("|---|---|" + "---|" * (len(modes) * hdr.count("|") + len(modes)))
        for fam in FAMILIES:
            rs = [r for r in recs if r["family"] == fam and want(r)]
            if not rs:
                continue
            for r in rs:
                print(f"| {fam} | {r['name']} | " + " | ".join(cells(res[(m, r['name'])]) if (m, r['name']) in res else ("FAILED | | | |" if (m, r['name']) in failed else "– | – | – | – | –") for m, _ in modes) + " |")
            print(f"| **{fam}** | **pooled ({len(rs)})** | " + " | ".join(cells(pooled([res[(m, r['name'])] for r in rs if (m, r['name']) in res])) for m, _ in modes) + " |")
        print()
    print("### Confidence\n")
    print("| mode | family | turns off > 1 s in their recording's lowest-confidence decile | words off > 100 ms (or missed) in the lowest decile |")
    print("|---|---|---|---|")
    # "all" pools every family but the copies of the real recordings (typos, rooms).
    in_fam = lambda r, fam: r["family"] == fam or (fam == "all" and not is_copy(r["family"]))
    for m, _ in modes:
        for fam in FAMILIES + ["all"]:
            ss = [res[(m, r["name"])] for r in recs if in_fam(r, fam) and (m, r["name"]) in res]
            # Turns: the turn table's recordings only; a one-turn recording's turn is always
            # in its own lowest decile.
            lt, ot = conf_counts([res[(m, r["name"])] for r in recs if in_fam(r, fam)
                                  and (m, r["name"]) in res and has_turn_truth(r["t"])], "turns")
            lw, ow = conf_counts(ss, "words")
            f = lambda l, o: f"{l} of {o} ({100 * l / o:.0f} %)" if o else "none off"
            print(f"| {m or 'default'} | {fam} | {f(lt, ot)} | {f(lw, ow)} |")
    # Per recording: the words' share in the first mode (the default), where words are timed.
    first = modes[0][0]
    rows = sorted(((r, res[(first, r["name"])]) for r in recs if res.get((first, r["name"]), {}).get("words")),
                  key=lambda x: FAMILIES.index(x[0]["family"]) if x[0]["family"] in FAMILIES else len(FAMILIES))
    if rows:
        print(f"\nPer recording ({first}), words off > 100 ms (or missed) in the lowest decile:\n")
        print("| family | recording | words | off | in the lowest decile |")
        print("|---|---|---|---|---|")
        for r, sc in rows:
            lw, ow = conf_counts([sc], "words")
            print(f"| {r['family']} | {r['name']} | {len(sc['words'])} | {ow} | {lw} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
