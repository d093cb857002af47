#!/usr/bin/env python3
"""Checks every format `talign align` writes with the programs people read them with.

One alignment of the shipped sample (sample-audio/kerry-aleppo-2016.mp3 and its transcript,
with --words --phones) is written in every format in one run (`-o sample.json --also ...`);
then each file is opened by a real reader and compared with talign's own JSON:

  TextGrid  praatio            tiers per speaker: every turn, word and phone, times to the ms
  EAF       pympi-ling         tiers per speaker, word and phone tiers under it (Included_In,
                               inside their parent), the media descriptor resolving to the
                               recording; plus the structure the EAF 3.0 schema asks for
  SRT       pysubs2            every turn's words, cue times inside the speaker's turns
  WebVTT    pysubs2, and webvtt-parser (npm, the W3C validator's parser): no parse errors,
                               <v> voices, every word's inline timestamp to the ms
  ASS       pysubs2            a style per speaker, every word's \\k karaoke time (to the
                               centisecond ASS holds)
  SBV       subsrt-ts (npm)    every turn's words, cue times
  TTML      ttconv (IMSC reader) and imsc (imscJS, npm): no errors, agents, cue times
  SMIL      lxml               one par per transcribed turn, ids found in the XHTML, clip
                               times to the ms, audio src resolving to the recording; and
                               epubcheck-ts (npm, EPUBCheck in TypeScript) on the SMIL
                               (media overlay mode) and its XHTML (content document mode)

Readers are installed at pinned versions into target/format-readers/ (a Python venv and
node_modules); npm checks are skipped with a message when node/npm are missing. Exit 0 when
every check passes, 1 otherwise. Usage:

  scripts/check_formats.py [--talign target/ci/talign] [--out DIR] [--reuse]

--reuse keeps the outputs of an earlier run in DIR instead of aligning again (~30 s CPU).
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READERS = ROOT / "target" / "format-readers"
PIP_PINS = [
    "pympi-ling==1.71",
    "praatio==6.2.2",
    "pysubs2==1.8.1",
    "ttconv==1.2.3",
    "lxml==6.1.3",
]
NPM_PINS = ["webvtt-parser@2.2.0", "imsc@1.1.5", "subsrt-ts@2.1.2", "@likecoin/epubcheck-ts@0.7.0"]
AUDIO = ROOT / "sample-audio" / "kerry-aleppo-2016.mp3"
TRANSCRIPT = ROOT / "sample-audio" / "kerry-aleppo-2016.txt"
EXTENSIONS = ["srt", "vtt", "TextGrid", "eaf", "ttml", "ass", "sbv", "smil"]


def install_readers():
    """A venv with the pinned Python readers (re-exec'd into; where venvs cannot be made,
    as on a Debian python without python3-venv, the readers go into this interpreter with
    --break-system-packages), node_modules with npm's."""
    py = READERS / "venv" / "bin" / "python"
    stamp = READERS / "venv" / "pins.txt"
    if not py.exists() or not stamp.exists() or stamp.read_text() != "\n".join(PIP_PINS):
        shutil.rmtree(READERS / "venv", ignore_errors=True)
        try:
            venv.create(READERS / "venv", with_pip=True)
            subprocess.run([str(py), "-m", "pip", "install", "-q", *PIP_PINS], check=True)
            stamp.write_text("\n".join(PIP_PINS))
        except (subprocess.CalledProcessError, OSError) as e:
            print(f"check_formats: no venv ({e}); installing into {sys.executable}", flush=True)
            shutil.rmtree(READERS / "venv", ignore_errors=True)
            subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                            "--break-system-packages", *PIP_PINS], check=True)
            py = Path(sys.executable)
    node_dir = READERS / "node"
    have_npm = shutil.which("node") and shutil.which("npm")
    if have_npm:
        stamp = node_dir / "pins.txt"
        if not stamp.exists() or stamp.read_text() != "\n".join(NPM_PINS):
            node_dir.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix",
                 str(node_dir), *NPM_PINS],
                check=True,
            )
            stamp.write_text("\n".join(NPM_PINS))
        shutil.copy(ROOT / "scripts" / "format_readers.mjs", node_dir / "format_readers.mjs")
    return py, node_dir if have_npm else None


# --- what talign's JSON says --------------------------------------------------------------


def ms(seconds):
    """Seconds to whole ms, rounded half away from zero as talign rounds."""
    value = abs(seconds) * 1000.0
    return int(value + 0.5) * (1 if seconds >= 0 else -1)


def one_line(text):
    return " ".join(text.split())


def display_text(turn):
    text = one_line(turn["text"])
    if turn["transcribed"]:
        return text
    if not text:
        return "[untranscribed]"
    if text.startswith("[") and text.endswith("]"):
        return text
    return f"[{text}]"


def tier_name(turn):
    name = one_line(turn["speaker"] or "")
    return name or "speech"


def pieces(token):
    """The words in a token as written (`know,in` holds two, `them[selves]` two)."""
    return [p.strip("'") for p in re.split(r"[^\w']+", token.lower()) if p.strip("'")]


class Report:
    def __init__(self):
        self.failures = []
        self.lines = []

    def check(self, fmt, ok, what):
        self.lines.append(f"{'ok  ' if ok else 'FAIL'} {fmt:9} {what}")
        if not ok:
            self.failures.append(f"{fmt}: {what}")


def turn_spans(turns):
    """Turns with positive duration, per tier, in time order."""
    spans = collections.defaultdict(list)
    for t in turns:
        start, end = max(ms(t["start"]), 0), ms(t["end"])
        if end > start:
            spans[tier_name(t)].append((start, end, t))
    for v in spans.values():
        v.sort(key=lambda s: s[0])
    return spans


def overlapped(spans):
    """Turns whose span overlaps the one before on its tier: talign clips those."""
    out = set()
    for v in spans.values():
        for a, b in zip(v, v[1:]):
            if b[0] < a[1]:
                out.add(id(a[2]))
                out.add(id(b[2]))
    return out


def expected_words(turns, clipped):
    """Every timed word (and phone) that a word tier should hold: clipped to its turn,
    positive duration, its turn not clipped by an overlap."""
    words, phones = collections.defaultdict(list), collections.defaultdict(list)
    for t in turns:
        start, end = max(ms(t["start"]), 0), ms(t["end"])
        if end <= start or id(t) in clipped:
            continue
        for w in t.get("words") or []:
            a, b = min(max(ms(w["start"]), start), end), min(max(ms(w["end"]), start), end)
            if b > a:
                words[tier_name(t)].append((a, b, one_line(w["word"])))
            for p in w.get("phones") or []:
                pa = min(max(ms(p["start"]), a), b)
                pb = min(max(ms(p["end"]), a), b)
                if pb > pa:
                    phones[tier_name(t)].append((pa, pb, p["phone"]))
    return words, phones


# --- tier formats -------------------------------------------------------------------------


def compare_tiers(report, fmt, tiers, alignment):
    """`tiers`: name -> [(start_ms, end_ms, text)] non-empty intervals."""
    turns = alignment["turns"]
    spans = turn_spans(turns)
    clipped = overlapped(spans)
    words, phones = expected_words(turns, clipped)
    missing, wrong = 0, []
    for name, v in spans.items():
        got = {(a, b, text) for a, b, text in tiers.get(name, [])}
        got_starts = {a: text for a, b, text in tiers.get(name, [])}
        for start, end, t in v:
            if (start, end, display_text(t)) in got:
                continue
            if id(t) in clipped and got_starts.get(start) == display_text(t):
                continue
            missing += 1
            wrong.append(f"{name} {start}-{end}")
    n_turns = sum(len(v) for v in spans.values())
    report.check(fmt, missing == 0,
                 f"{n_turns - missing}/{n_turns} turns on their speaker's tier with the JSON's "
                 f"times and text{'; missing ' + ', '.join(wrong[:5]) if wrong else ''}")
    for kind, expected in (("words", words), ("phones", phones)):
        total = sum(len(v) for v in expected.values())
        found = 0
        bad = []
        for name, v in expected.items():
            got = set(tiers.get(f"{name} - {kind}", []))
            for item in v:
                if item in got:
                    found += 1
                elif len(bad) < 5:
                    bad.append(f"{name}: {item}")
        report.check(fmt, total > 0 and found == total,
                     f"{found}/{total} {kind} on `<speaker> - {kind}` tiers to the ms"
                     f"{'; missing ' + '; '.join(bad) if bad else ''}")


def check_textgrid(report, path, alignment):
    from praatio import textgrid

    tg = textgrid.openTextgrid(str(path), includeEmptyIntervals=False)
    tiers = {}
    for name in tg.tierNames:
        tier = tg.getTier(name)
        tiers[name] = [(ms(e.start), ms(e.end), e.label) for e in tier.entries if e.label]
    report.check("TextGrid", abs(tg.maxTimestamp - alignment["audio"]["duration_s"]) < 0.002,
                 f"praatio opens it; xmax {tg.maxTimestamp} = audio duration")
    compare_tiers(report, "TextGrid", tiers, alignment)


def check_eaf(report, path, alignment, audio):
    import pympi
    from lxml import etree

    eaf = pympi.Elan.Eaf(str(path))
    tiers = {}
    for name in eaf.get_tier_names():
        tiers[name] = [(a, b, v) for a, b, v in eaf.get_annotation_data_for_tier(name)]
    report.check("EAF", bool(tiers), f"pympi-ling opens it: {len(tiers)} tiers")
    compare_tiers(report, "EAF", tiers, alignment)
    # Dependent tiers: Included_In types, each annotation inside one of its parent's.
    bad = []
    for name in eaf.get_tier_names():
        params = eaf.get_parameters_for_tier(name)
        parent = params.get("PARENT_REF")
        if not parent:
            continue
        ltype = eaf.get_linguistic_type_names()
        constraint = eaf.linguistic_types[params["LINGUISTIC_TYPE_REF"]].get("CONSTRAINTS")
        if constraint != "Included_In":
            bad.append(f"{name}: constraint {constraint}")
        parents = sorted((a, b) for a, b, _ in tiers[parent])
        import bisect
        starts = [a for a, _ in parents]
        for a, b, _ in tiers[name]:
            k = bisect.bisect_right(starts, a) - 1
            if k < 0 or not (parents[k][0] <= a and b <= parents[k][1]):
                bad.append(f"{name}: {a}-{b} outside its parent")
                break
        del ltype
    report.check("EAF", not bad, "dependent tiers are Included_In and inside their parent"
                 + (f": {bad[:3]}" if bad else ""))
    media = eaf.media_descriptors
    rel = media[0].get("RELATIVE_MEDIA_URL", "") if media else ""
    from urllib.parse import unquote, urlparse
    resolved = (path.parent / unquote(rel)).resolve()
    absolute = Path(unquote(urlparse(media[0]["MEDIA_URL"]).path)) if media else None
    report.check("EAF", bool(media) and resolved == audio.resolve() and absolute == audio.resolve()
                 and media[0].get("MIME_TYPE") == "audio/mpeg",
                 f"MEDIA_DESCRIPTOR {rel} resolves to the recording, MEDIA_URL too, audio/mpeg")
    # What the EAF 3.0 schema requires (its XSD is not in any registry package; see
    # docs/formats.md): element order, required attributes, unique ids, resolved refs.
    root = etree.parse(str(path)).getroot()
    problems = []
    order = ["HEADER", "TIME_ORDER", "TIER", "LINGUISTIC_TYPE", "LOCALE", "LANGUAGE",
             "CONSTRAINT", "CONTROLLED_VOCABULARY", "LEXICON_REF", "EXTERNAL_REF"]
    seen = [order.index(c.tag) for c in root]
    if seen != sorted(seen) or root[0].tag != "HEADER" or root[1].tag != "TIME_ORDER":
        problems.append("children out of the schema's order")
    for attr in ("AUTHOR", "DATE", "FORMAT", "VERSION"):
        if attr not in root.attrib:
            problems.append(f"ANNOTATION_DOCUMENT lacks {attr}")
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", root.get("DATE", "")):
        problems.append("DATE is not an xs:dateTime")
    slots = {s.get("TIME_SLOT_ID"): int(s.get("TIME_VALUE")) for s in root.iter("TIME_SLOT")}
    ids = [a.get("ANNOTATION_ID") for a in root.iter("ALIGNABLE_ANNOTATION")]
    if len(ids) != len(set(ids)):
        problems.append("annotation ids repeat")
    for a in root.iter("ALIGNABLE_ANNOTATION"):
        r1, r2 = a.get("TIME_SLOT_REF1"), a.get("TIME_SLOT_REF2")
        if r1 not in slots or r2 not in slots or slots[r1] >= slots[r2]:
            problems.append(f"{a.get('ANNOTATION_ID')}: bad time slots")
            break
    types = {t.get("LINGUISTIC_TYPE_ID") for t in root.iter("LINGUISTIC_TYPE")}
    tier_ids = [t.get("TIER_ID") for t in root.iter("TIER")]
    for t in root.iter("TIER"):
        if t.get("LINGUISTIC_TYPE_REF") not in types:
            problems.append(f"tier {t.get('TIER_ID')}: unknown linguistic type")
        if t.get("PARENT_REF") and t.get("PARENT_REF") not in tier_ids:
            problems.append(f"tier {t.get('TIER_ID')}: unknown parent")
    if len(tier_ids) != len(set(tier_ids)):
        problems.append("tier ids repeat")
    report.check("EAF", not problems, "schema structure (order, required attributes, ids, refs)"
                 + (f": {problems[:3]}" if problems else ""))


# --- subtitle formats ---------------------------------------------------------------------


def cue_checks(report, fmt, cues, alignment, unit, prefixed):
    """`cues`: [{start, end, voice, text, stamps}]. `unit`: the format's time step, ms.
    `prefixed`: the first cue of each turn starts with `Speaker:` (SRT, SBV)."""
    turns = alignment["turns"]
    spans = turn_spans(turns)
    clipped = overlapped(spans)
    shown = [t for t in turns if ms(t["end"]) > max(ms(t["start"]), 0)]
    expected = collections.Counter()
    for t in shown:
        expected.update(display_text(t).split())
        if prefixed and t["speaker"]:
            expected.update(f"{one_line(t['speaker'])}:".split())
    got = collections.Counter()
    for c in cues:
        got.update(c["text"].split())
    lost = expected - got
    extra = got - expected
    report.check(fmt, not lost and not extra,
                 f"every turn's text: {sum(got.values())} of {sum(expected.values())} words"
                 + (f"; lost {list(lost.items())[:5]}" if lost else "")
                 + (f"; extra {list(extra.items())[:5]}" if extra else ""))

    def q(x):  # a time as the format holds it
        return (x + unit // 2) // unit * unit

    starts = {c["start"] for c in cues}

    def first_cue_ok(t):
        # A turn's first cue starts with the turn, or with its first timed word.
        firsts = {max(ms(t["start"]), 0)} | {ms(w["start"]) for w in (t.get("words") or [])[:1]}
        return any(q(f) in starts for f in firsts)

    late = [t for t in shown if id(t) not in clipped and not first_cue_ok(t)]
    report.check(fmt, not late,
                 f"{len(shown) - len(late)}/{len(shown)} turns have a cue at their start or "
                 f"first word's (to {unit} ms)"
                 + (f"; not: lines {[t['line'] for t in late[:5]]}" if late else ""))
    outside = 0
    for c in cues:
        inside = any(q(max(ms(t["start"]), 0)) <= c["start"] and c["end"] <= q(ms(t["end"]))
                     and (c.get("voice") is None or c["voice"] == one_line(t["speaker"] or ""))
                     for t in shown)
        outside += not inside
    report.check(fmt, outside == 0,
                 f"{len(cues) - outside}/{len(cues)} cues inside a turn of their speaker")


def stamp_checks(report, fmt, cues, alignment, unit, spread_ok):
    """Word times written in cues (WebVTT timestamps, ASS karaoke): each must be a JSON
    word's start, and every JSON word must have one or start its cue. `spread_ok`: the
    format times every token (ASS karaoke), so notes and words the aligner did not time
    (no JSON word of that text in the cue) carry times spread between their neighbours."""
    turns = alignment["turns"]
    spans = turn_spans(turns)
    clipped = overlapped(spans)
    words = collections.defaultdict(set)
    all_words = []
    for t in turns:
        if not t["transcribed"] or id(t) in clipped or ms(t["end"]) <= max(ms(t["start"]), 0):
            continue
        for w in t.get("words") or []:
            key = (pieces(w["word"]) or [""])[0]
            if key:
                words[key].add(ms(w["start"]))
                all_words.append((key, ms(w["start"]), ms(w["end"]), t))

    def near(a, b):
        return abs(a - b) <= unit // 2

    wrong, spread, stamped = [], [], collections.Counter()
    inner = []  # (word, cue) for the 2nd, 3rd... word of a token: its time is the token's
    for c in cues:
        for token in c["text"].split():
            inner.extend((p, c) for p in pieces(token)[1:])
        for time, word in c["stamps"]:
            key = (pieces(word) or [""])[0]
            match = [s for s in words.get(key, ()) if near(s, time)]
            if match:
                stamped[(key, match[0])] += 1
            elif not key or not any(c["start"] - unit <= s <= c["end"] + unit
                                    for s in words.get(key, ())):
                spread.append((time, word))  # no word of this text timed in this cue
            else:
                wrong.append((time, word))
    report.check(fmt, not wrong and sum(stamped.values()) > 0 and (spread_ok or not spread),
                 f"{sum(stamped.values())} word times written, each a JSON word's start "
                 f"(to {unit} ms); {len(spread)} times of untimed tokens (notes, words the "
                 f"aligner left out){'' if spread_ok else ', none allowed'}"
                 + (f"; wrong: {wrong[:5]}" if wrong else "")
                 + (f"; untimed: {spread[:5]}" if spread and not spread_ok else ""))
    cue_starts = collections.defaultdict(set)
    for c in cues:
        first = next((pieces(w)[0] for w in c["text"].split() if pieces(w)), None)
        cue_starts[first].add(c["start"])
    missing, shared = [], 0
    previous = None
    for key, start, end, t in all_words:
        if (key, start) in stamped or any(near(s, start) for s in cue_starts.get(key, ())):
            pass
        elif any(p == key and c["start"] <= start <= c["end"] for p, c in inner):
            shared += 1  # written inside one token with the word before
        elif previous is not None and previous[1] >= start:
            shared += 1  # starts with the word before: a timestamp must increase
        elif any(c["start"] < start < c["end"] for c in cues) is False:
            shared += 1
        else:
            missing.append((key, start))
        previous = (key, start)
    report.check(fmt, not missing,
                 f"{len(all_words) - len(missing) - shared}/{len(all_words)} JSON words timed "
                 f"in the cues ({shared} share a token or a start with the word before, so "
                 "cannot be)"
                 + (f"; missing {missing[:5]}" if missing else ""))


def pysubs2_cues(path, fmt):
    import pysubs2

    subs = pysubs2.load(str(path), format_=fmt)
    cues = []
    for e in subs.events:
        if e.is_comment:
            continue
        text = e.plaintext if fmt != "ass" else re.sub(r"\{[^}]*\}", "", e.text).replace(r"\N", "\n")
        cues.append({"start": e.start, "end": e.end, "voice": None, "text": text, "stamps": [],
                     "raw": e.text, "style": e.style, "name": e.name})
    return subs, cues


def check_ass(report, path, alignment):
    subs, cues = pysubs2_cues(path, "ass")
    speakers = {one_line(t["speaker"]).replace(",", ";") for t in alignment["turns"] if t["speaker"]}
    report.check("ASS", speakers <= set(subs.styles), f"pysubs2 opens it; a style for each of "
                 f"{len(speakers)} speakers")
    for c in cues:
        c["voice"] = c["style"].replace(";", ",") if c["style"] != "Default" else None
        # \k tags: each word's start is the cue's start plus the tags before it.
        at, stamps = c["start"], []
        for k, word in re.findall(r"\{\\k(\d+)\}([^{\\]*)", c["raw"].replace(r"\N", " ")):
            if word.strip():
                stamps.append((at, word.strip().split()[0]))
            at += int(k) * 10
        c["stamps"] = stamps
    # Voices with `;` for `,` cannot be told from real ones: compare names loosely.
    for c in cues:
        if c["voice"] is not None:
            c["voice"] = next((one_line(t["speaker"]) for t in alignment["turns"] if t["speaker"]
                               and one_line(t["speaker"]).replace(",", ";") == c["style"]), None)
    cue_checks(report, "ASS", cues, alignment, 10, False)
    stamp_checks(report, "ASS", cues, alignment, 10, True)


def check_srt(report, path, alignment):
    _, cues = pysubs2_cues(path, "srt")
    report.check("SRT", bool(cues), f"pysubs2 opens it: {len(cues)} cues")
    cue_checks(report, "SRT", cues, alignment, 1, True)


def node_read(node_dir, fmt, path):
    out = subprocess.run(["node", str(node_dir / "format_readers.mjs"), fmt, str(path)],
                         capture_output=True, text=True, check=True, cwd=node_dir)
    return json.loads(out.stdout)


def check_vtt(report, path, alignment, node_dir):
    _, cues = pysubs2_cues(path, "vtt")
    report.check("WebVTT", bool(cues), f"pysubs2 opens it: {len(cues)} cues")
    if node_dir is None:
        report.lines.append("skip WebVTT    webvtt-parser: node/npm not installed")
        return
    read = node_read(node_dir, "vtt", path)
    report.check("WebVTT", not read["errors"], "webvtt-parser finds no errors"
                 + (f": {read['errors'][:3]}" if read["errors"] else ""))
    cue_checks(report, "WebVTT", read["cues"], alignment, 1, False)
    stamp_checks(report, "WebVTT", read["cues"], alignment, 1, False)


def check_sbv(report, path, alignment, node_dir):
    if node_dir is None:
        report.lines.append("skip SBV       subsrt-ts: node/npm not installed")
        return
    read = node_read(node_dir, "sbv", path)
    report.check("SBV", bool(read["cues"]), f"subsrt-ts opens it: {len(read['cues'])} cues")
    cue_checks(report, "SBV", read["cues"], alignment, 1, True)


def check_ttml(report, path, alignment, node_dir):
    import logging
    import xml.etree.ElementTree as et

    import ttconv.imsc.reader as imsc_reader
    import ttconv.model as model

    warnings = []

    class Collect(logging.Handler):
        def emit(self, record):
            warnings.append(record.getMessage())

    logging.getLogger().addHandler(Collect(level=logging.WARNING))
    doc = imsc_reader.to_model(et.parse(str(path)))
    report.check("TTML", doc is not None and not warnings,
                 f"ttconv's IMSC reader opens it, no warnings; xml:lang {doc.get_lang()!r}"
                 + (f": {warnings[:3]}" if warnings else ""))
    # ttm:agent is metadata ttconv does not keep: read it from the XML.
    ns = {"tt": "http://www.w3.org/ns/ttml", "ttm": "http://www.w3.org/ns/ttml#metadata"}
    root = et.parse(str(path)).getroot()
    agents = {a.get("{http://www.w3.org/XML/1998/namespace}id"): a.find("ttm:name", ns).text
              for a in root.iter("{http://www.w3.org/ns/ttml#metadata}agent")}
    ps = list(root.iter("{http://www.w3.org/ns/ttml}p"))
    voices = [agents.get(p.get("{http://www.w3.org/ns/ttml#metadata}agent")) for p in ps]
    cues = []
    for div in doc.get_body():
        for p, voice in zip(div, voices):
            begin, end = p.get_begin(), p.get_end()
            lines, line = [], []
            for span in p:
                if isinstance(span, model.Br):
                    lines.append("".join(line))
                    line = []
                    continue
                line.extend(t.get_text() for t in span if isinstance(t, model.Text))
            lines.append("".join(line))
            cues.append({"start": round(float(begin) * 1000), "end": round(float(end) * 1000),
                         "voice": voice, "text": "\n".join(lines), "stamps": []})
    speakers = {one_line(t["speaker"]) for t in alignment["turns"] if t["speaker"]}
    report.check("TTML", set(agents.values()) == speakers and len(ps) == len(cues),
                 f"a ttm:agent (ttm:name) for each of {len(speakers)} speakers; every p read")
    cue_checks(report, "TTML", cues, alignment, 1, False)
    if node_dir is None:
        report.lines.append("skip TTML      imsc (imscJS): node/npm not installed")
        return
    read = node_read(node_dir, "ttml", path)
    report.check("TTML", not read["errors"] and bool(read.get("events")),
                 f"imscJS parses it without errors or warnings ({len(read.get('events', []))} "
                 "time events)" + (f": {read['errors'][:3]}" if read["errors"] else ""))
    bounds = sorted({c["start"] for c in cues} | {c["end"] for c in cues})
    report.check("TTML", set(bounds) <= set(read.get("events", [])),
                 "imscJS's time events hold every cue's begin and end")


def check_smil(report, path, alignment, audio):
    from lxml import etree
    from urllib.parse import unquote

    smil = etree.parse(str(path)).getroot()
    ns = {"s": "http://www.w3.org/ns/SMIL"}
    pars = smil.findall(".//s:par", ns)
    transcribed = [t for t in alignment["turns"] if t["transcribed"]
                   and ms(t["end"]) > max(ms(t["start"]), 0)]
    report.check("SMIL", smil.tag == "{http://www.w3.org/ns/SMIL}smil" and smil.get("version") == "3.0"
                 and len(pars) == len(transcribed),
                 f"lxml opens it: SMIL 3.0, {len(pars)} pars for {len(transcribed)} transcribed turns")
    docs, bad = {}, []

    def clock(value):
        h, m, s = value.split(":")
        return round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)

    for par, turn in zip(pars, transcribed):
        text = par.find("s:text", ns).get("src")
        file, _, frag = text.partition("#")
        if file not in docs:
            docs[file] = etree.parse(str(path.parent / unquote(file)))
        found = docs[file].xpath("//*[@id=$id]", id=unquote(frag))
        a = par.find("s:audio", ns)
        src = (path.parent / unquote(a.get("src"))).resolve()
        if len(found) != 1 or src != audio.resolve():
            bad.append(f"{text}: {len(found)} elements, audio {src}")
        elif (clock(a.get("clipBegin")), clock(a.get("clipEnd"))) != (max(ms(turn["start"]), 0), ms(turn["end"])):
            bad.append(f"{text}: clip {a.get('clipBegin')}-{a.get('clipEnd')} vs turn line {turn['line']}")
        elif one_line(turn["text"]) not in one_line("".join(found[0].itertext())):
            bad.append(f"{text}: text differs from line {turn['line']}")
    report.check("SMIL", not bad, "every par's text id is an element of the XHTML holding the "
                 "turn's text, its audio the recording, its clip the turn's times to the ms"
                 + (f": {bad[:3]}" if bad else ""))


def check_epub(report, node_dir, path, mode):
    """epubcheck-ts on one file of a book: `mo` (media overlay) or `xhtml`."""
    if node_dir is None:
        report.lines.append(f"skip SMIL      epubcheck-ts ({mode}): node/npm not installed")
        return
    tool = node_dir / "node_modules" / "@likecoin" / "epubcheck-ts" / "bin" / "epubcheck.js"
    out = subprocess.run(["node", str(tool), str(path), "-m", mode, "-v", "3", "--json", "-",
                          "-q"], capture_output=True, text=True)
    try:
        result = json.loads(out.stdout)
    except json.JSONDecodeError:
        report.check("SMIL", False, f"epubcheck-ts -m {mode} {path.name}: no report "
                     f"({out.stderr.strip()[:200]})")
        return
    messages = [f"{m['severity']}: {m['message']}" for m in result["messages"]
                if m["severity"] in ("fatal", "error", "warning")]
    report.check("SMIL", not messages,
                 f"epubcheck-ts {result['checker']['version']} -m {mode} {path.name}: "
                 f"{result['fatals']} fatal, {result['errors']} errors, {result['warnings']} "
                 f"warnings" + (f": {messages[:3]}" if messages else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--talign", default=str(ROOT / "target" / "ci" / "talign"))
    parser.add_argument("--out", default=str(ROOT / "target" / "format-check"))
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--in-venv", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    out = Path(args.out)
    if not args.in_venv:
        py, _ = install_readers()
        os.execv(str(py), [str(py), __file__, "--talign", args.talign, "--out", args.out,
                           "--in-venv"] + (["--reuse"] if args.reuse else []))
    node_dir = READERS / "node" if (READERS / "node" / "format_readers.mjs").exists() \
        and shutil.which("node") else None
    out.mkdir(parents=True, exist_ok=True)
    if not (args.reuse and (out / "sample.json").exists()):
        cmd = [args.talign, "align", str(AUDIO), str(TRANSCRIPT), "--words", "--phones",
               "--quiet", "-o", str(out / "sample.json")]
        for ext in EXTENSIONS:
            cmd += ["--also", str(out / f"sample.{ext}")]
        print("$", " ".join(cmd), flush=True)
        subprocess.run(cmd, check=True)
    alignment = json.loads((out / "sample.json").read_text())
    report = Report()
    check_textgrid(report, out / "sample.TextGrid", alignment)
    check_eaf(report, out / "sample.eaf", alignment, AUDIO)
    check_srt(report, out / "sample.srt", alignment)
    check_vtt(report, out / "sample.vtt", alignment, node_dir)
    check_ass(report, out / "sample.ass", alignment)
    check_sbv(report, out / "sample.sbv", alignment, node_dir)
    check_ttml(report, out / "sample.ttml", alignment, node_dir)
    check_smil(report, out / "sample.smil", alignment, AUDIO)
    check_epub(report, node_dir, out / "sample.smil", "mo")
    check_epub(report, node_dir, out / "sample.xhtml", "xhtml")
    print("\n".join(report.lines))
    passed = sum(1 for line in report.lines if line.startswith("ok"))
    print(f"formats: {passed} passed, {len(report.failures)} failed")
    sys.exit(1 if report.failures else 0)


if __name__ == "__main__":
    main()
