#!/usr/bin/env python3
"""Writes the seed corpora for the transcript and subtitle fuzz tests:
tests/fuzz-corpus/transcript/ and tests/fuzz-corpus/subtitle/.

One small file per hostile-input class of issue 15 on the transcript side (stamps that do
not parse, UTF-32, control characters, broken talign JSON, binary-looking text), plus a few
transcripts shaped like real ones in every format, and issue 13's annotation files (TextGrid,
EAF, ASS, oTranscribe), good and broken (cut, overlapping, unknown tier types, bad bytes). `tests/transcript_fuzz.rs`
(`corpus_mutations`) replays each file and then mutates them for TALIGN_FUZZ_SECONDS.

The subtitle corpus (issue 11: `talign sync`'s reader, `tests/subtitle_fuzz.rs`) holds SRT,
WebVTT and ASS/SSA files, good ones and each bad-input class: bad timecodes, missing blank
lines, BOM, CRLF, `-->` with settings, negative and huge times, end before start,
overlapping cues, empty files.

Deterministic: running it again writes the same bytes. Files in `regressions/` (inputs that
once broke something) are never touched by this script.

    python3 scripts/make_fuzz_corpus.py
"""

import json
import os
import random

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "tests", "fuzz-corpus", "transcript")

files = {}


def put(name, data):
    files[name] = data.encode("utf-8") if isinstance(data, str) else data


# --- Real-shaped transcripts, one per format -------------------------------------------
put("real-block.txt", """Interview with the minister, Aleppo 2016

Kerry

[00:05]

I understand the frustration. We have worked on this for months.

Male voice

[00:19]

Speaks Arabic/Syrian

Kerry

[00:31]

Nobody is more frustrated than I am. [inaudible] That is the truth.

Keirry?

[00:58]

Well ... we tried. The reason is simple: money.
""")
put("real-inline.txt", """[00:00:01] KERRY: Good morning, everybody.
[00:00:05] MICHAEL: Thank you for coming.

KERRY: We have three things to talk about today.
The first is simple: the schedule.

MICHAEL (00:42): And the second?
Speaker 1  0:55
Crosstalk
""")
put("real-plain.txt", "So we met at 5:30 and talked about it.\n\nThen it was late, " +
    "and everybody went home.\n\nThe end.\n")
put("real.srt", """1
00:00:01,000 --> 00:00:04,000
KERRY: Hello there.
Second line.

2
00:00:05,500 --> 00:00:07,000
[music]

3
00:00:07,200 --> 00:00:09,900
MICHAEL: Yes. Thank you.
""")
put("real.vtt", """WEBVTT - talk

NOTE written by hand

intro
00:01.000 --> 00:04.000 align:start
<v Kerry>I understand ...</v>

00:00:05.000 --> 00:00:06.000
<v.loud Female voice>Huh?

3
00:00:06.500 --> 00:00:08.000
John Kerry: Again.
""")
put("real.json", json.dumps({
    "audio": {"path": "a.wav"},
    "turns": [
        {"index": 0, "line": 3, "speaker_raw": "Kerry", "text": "I understand.\n\nMore.",
         "stated": {"raw": "[00:05]", "seconds": 5.0, "status": "ok"}, "start": 5.1},
        {"index": 1, "line": 9, "speaker_raw": None, "text": "Speaks Arabic/Syrian",
         "stated": {"raw": None}},
    ],
}, indent=2) + "\n")
rng = random.Random(15)
turns = []
for i in range(400):
    who = rng.choice(["KERRY", "MICHAEL", "Female voice", "Speaker 2"])
    t = i * 7
    words = " ".join(rng.choice(["we", "tried", "the", "reason", "is", "money", "Aleppo",
                                 "[inaudible]", "...", "yes", "3.5", "day-to-day"])
                     for _ in range(rng.randrange(3, 15)))
    turns.append(f"[{t // 3600:02}:{t // 60 % 60:02}:{t % 60:02}] {who}: {words}.")
put("many-turns.txt", "\n".join(turns) + "\n")

# --- Stamps that are stamp-shaped but not times -----------------------------------------
put("stamp-negative.txt", "KERRY: [-1:00] hello there\n\nMICHAEL: [00:05] yes\n")
put("stamp-minus-sign.txt", "Kerry\n\n[\u22120:05]\n\nHello.\n\nMichael\n\n[00:09]\n\nYes.\n")
put("stamp-magnitude.txt", "Kerry\n\n[99999999999999999999:00]\n\nHello.\n\nMichael\n\n[00:09]\n\nYes.\n")
put("stamp-hours.txt", "[9999999:59:59] KERRY: hello\n[00:00:05] MICHAEL: yes\n")
put("stamp-fraction.txt", "[00:00:00.000000000001] KERRY: hello\n[00:00:05] MICHAEL: yes\n")
put("stamp-fraction-5000.txt", "KERRY: [00:00:00." + "7" * 5000 + "] hello\nMICHAEL: [00:00:05] yes\n")
put("stamp-99.txt", "Kerry\n\n[31:10]\n\nHi.\n\nKerry\n\n[31:99]\n\nBad.\n\nKerry\n\n[31:53]\n\nOk.\n")
put("srt-negative.srt", "1\n-00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:03,000 --> 00:00:04,000\nWorld\n")
put("srt-malformed.srt", "1\n00:00:0x,000 --> 00:00:04,000\nWorld\n\n2\n00:00:05,000 -> 00:00:06,000\nAgain\n\n"
    "3\n00:00:07,000 --> 00:00:08,000\nok\n")
put("vtt-negative.vtt", "WEBVTT\n\n-00:01.000 --> 00:02.000\n<v Kerry>Hi\n\n00:03.000 --> 00:04.000\nMore\n")
put("json-bad-stamps.json", json.dumps({"turns": [
    {"text": "one", "stated": {"raw": "[-1:00]"}},
    {"text": "two", "stated": {"raw": "[00:00:00." + "1" * 40 + "]"}},
    {"text": "three", "stated": {"raw": "[00:07]"}},
]}) + "\n")

# --- Encodings ----------------------------------------------------------------------------
sample = "Kerry\n\n[01:55]\n\nI understand, café ✓.\n\nMichael\n\n[02:00]\n\nYes.\n"
put("utf32le-bom.txt", "\ufeff".encode("utf-32-le") + sample.encode("utf-32-le"))
put("utf32be-bom.txt", "\ufeff".encode("utf-32-be") + sample.encode("utf-32-be"))
put("utf32le.txt", sample.encode("utf-32-le"))
put("utf32be.txt", sample.encode("utf-32-be"))
put("utf32le-cut.txt", ("\ufeff" + sample).encode("utf-32-le")[:-3])
put("utf16le-bom.txt", ("\ufeff" + sample).encode("utf-16-le"))
put("utf16be.txt", sample.encode("utf-16-be"))
put("utf8-bom.txt", "\ufeff" + sample)
put("latin1.txt", sample.replace("✓", "").encode("latin-1"))
put("invalid-utf8.txt", sample.encode("utf-8") + b"bad \xff\xfe byte\n")

# --- Control characters from the transcript -------------------------------------------------
put("osc-label.txt", "\x1b]0;pwned\x07KERRY: hello\n\nMICHAEL: \x1b[2J\x1b[31mred\x1b[0m\n")
put("osc-text.txt", "Kerry\n\n[00:05]\n\nHello \x1b]0;title\x07 there \x9b31m.\n")
put("bidi.txt", "KERRY\u202e: olleh\n\nMICHAEL: \u2066yes\u2069\n")

# --- Empty-ish, broken JSON, binary-looking -------------------------------------------------
put("whitespace.txt", "\ufeff \r\n\t\n  \n")
put("json-cut.json", '{"turns": [\n  {"text": "Hello", "line": 1},\n  {"text": "Wor')
put("json-typed.json", '{"turns": [\n  {"text": 5}\n]}\n')
put("json-turns-map.json", '{"turns": {}}\n')
put("json-empty-turns.json", '{"turns": []}\n')
put("nul.bin", b"Kerry\n\n\x00\x01\x02\x03[00:05]\n")
put("control-heavy.bin", bytes(range(1, 32)) * 8)
put("long-line.txt", "KERRY: " + "word " * 14000 + "\n")
put("crlf-cr.txt", "Kerry\r\rn[00:05]\r\n\r\nHello.\r\rMichael\r\n\r\n[00:09]\rYes.")

# --- Annotation files read as transcripts (issue 13): good, and each bad-input class ---------
grid = ('File type = "ooTextFile"\nObject class = "TextGrid"\n\nxmin = 0\nxmax = 4\ntiers? <exists>\n'
        'size = 2\nitem []:\n    item [1]:\n        class = "IntervalTier"\n        name = "Kerry"\n'
        '        xmin = 0\n        xmax = 4\n        intervals: size = 2\n        intervals [1]:\n'
        '            xmin = 0\n            xmax = 1.5\n            text = "I said ""no""."\n'
        '        intervals [2]:\n            xmin = 1.5\n            xmax = 4\n            text = ""\n'
        '    item [2]:\n        class = "TextTier"\n        name = "events"\n        xmin = 0\n'
        '        xmax = 4\n        points: size = 1\n        points [1]:\n            number = 2\n'
        '            mark = "door"\n')
put("textgrid-long.TextGrid", grid)
put("textgrid-short.TextGrid", 'File type = "ooTextFile"\nObject class = "TextGrid"\n\n0\n4\n<exists>\n1\n'
    '"IntervalTier"\n"transcription"\n0\n4\n2\n0\n1.5\n"A: hello"\n1.5\n4\n"B: hi, très bien"\n')
put("textgrid-utf16be.TextGrid", ("\ufeff" + grid.replace("no", "n\u00f6")).encode("utf-16-be"))
put("textgrid-cut.TextGrid", grid[: len(grid) * 2 // 3])
put("textgrid-overlap.TextGrid", grid.replace("xmin = 1.5", "xmin = 1.2"))
put("textgrid-unknown-tier.TextGrid", grid.replace('"TextTier"', '"PitchTier"'))
eaf = ('<?xml version="1.0" encoding="UTF-8"?>\n<ANNOTATION_DOCUMENT FORMAT="3.0" VERSION="3.0">\n'
       '  <HEADER TIME_UNITS="milliseconds"><MEDIA_DESCRIPTOR MEDIA_URL="file:///a.wav"/></HEADER>\n'
       '  <TIME_ORDER>\n    <TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="500"/>\n'
       '    <TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="2000"/>\n'
       '    <TIME_SLOT TIME_SLOT_ID="ts3" TIME_VALUE="2500"/>\n    <TIME_SLOT TIME_SLOT_ID="ts4"/>\n'
       '  </TIME_ORDER>\n  <TIER LINGUISTIC_TYPE_REF="utt" PARTICIPANT="Kerry" TIER_ID="K">\n'
       '    <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">'
       '<ANNOTATION_VALUE>I said &quot;no&quot;.</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>\n'
       '    <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="a2" TIME_SLOT_REF1="ts3" TIME_SLOT_REF2="ts4">'
       '<ANNOTATION_VALUE>Then more.</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>\n  </TIER>\n'
       '  <TIER LINGUISTIC_TYPE_REF="tr" PARENT_REF="K" TIER_ID="K-tr">\n'
       '    <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a3" ANNOTATION_REF="a1">'
       '<ANNOTATION_VALUE>Dije que no.</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>\n  </TIER>\n'
       '  <LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="utt" TIME_ALIGNABLE="true"/>\n'
       '  <LINGUISTIC_TYPE LINGUISTIC_TYPE_ID="tr" TIME_ALIGNABLE="false" CONSTRAINTS="Symbolic_Association"/>\n'
       '</ANNOTATION_DOCUMENT>\n')
put("eaf.eaf", eaf)
put("eaf-cut.eaf", eaf[: len(eaf) // 2])
put("eaf-overlap.eaf", eaf.replace('TIME_VALUE="2500"', 'TIME_VALUE="1500"'))
put("eaf-unknown-type.eaf", eaf.replace('LINGUISTIC_TYPE_REF="utt"', 'LINGUISTIC_TYPE_REF="speech"'))
put("eaf-missing-slot.eaf", eaf.replace('TIME_SLOT_REF2="ts2"', 'TIME_SLOT_REF2="ts9"'))
put("eaf-latin1-bytes.eaf", eaf.replace("more", "m\u00f6re").encode("latin-1"))
put("eaf-entities.eaf", eaf.replace("<ANNOTATION_DOCUMENT", '<!DOCTYPE a [<!ENTITY x "xx">]>\n<ANNOTATION_DOCUMENT'))
put("ass-names.ass", "[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, "
    "Name, MarginL, MarginR, MarginV, Effect, Text\n"
    "Dialogue: 0,0:00:03.00,0:00:04.00,Default,Diane,0,0,0,,{\\i1}Yes{\\i0}, sure.\n"
    "Dialogue: 0,0:00:01.25,0:00:02.50,Default,Kerry,0,0,0,,{\\k20}I {\\k30}said,\\Nno.\n"
    "Dialogue: 0,0:00:05.00,0:00:06.00,Default,,0,0,0,,{\\p1}m 0 0 l 100 0{\\p0}\n")
put("ass-bad-time.ass", "[Script Info]\n\n[Events]\nFormat: Start, End, Name, Text\n"
    "Dialogue: 0:00:01.00,0:0x:02.00,Bob,hello\n")
otr_html = ('<p><span class="timestamp" contenteditable="false" data-timestamp="1.914331">0:00:01</span>'
            '\u00a0<b>Kerry:</b> I said &quot;no&quot;.</p><p>And I meant it.</p>'
            '<p><span class="timestamp" data-timestamp="0:07">0:00:07</span> Diane: Yes.<br></p>')
put("otr.otr", json.dumps({"text": otr_html, "media": "talk.mp3", "media-time": 5.9}))
put("otr-bad-stamp.otr", json.dumps({"text": otr_html.replace("1.914331", "soon")}))
put("otr-cut.otr", json.dumps({"text": otr_html})[:60])
# Issue 13 review: each reading of a broken annotation file that was wrong, as a seed.
put("otr-media-cut.otr", json.dumps({"media": "talk.mp3", "text": otr_html})[:90])
put("otr-latin1-bytes.otr",
    json.dumps({"text": otr_html.replace("meant", "m\u00e9ant")}, ensure_ascii=False).encode("latin-1"))
put("eaf-unaligned-chain.eaf", eaf.replace('TIME_VALUE="2000"', "").replace('TIME_SLOT_REF1="ts3"', 'TIME_SLOT_REF1="ts2"')
    .replace('<TIME_SLOT TIME_SLOT_ID="ts4"/>', '<TIME_SLOT TIME_SLOT_ID="ts4" TIME_VALUE="3000"/>'))
put("ass-overlap.ass", "[Script Info]\n\n[Events]\nFormat: Start, End, Name, Text\n"
    "Dialogue: 0:00:01.00,0:00:03.00,Kerry,I said no.\nDialogue: 0:00:02.00,0:00:04.00,Diane,Yes.\n"
    "Dialogue: 0:00:02.00,0:00:02.50,Bob,Right.\n")
put("textgrid-short-header.TextGrid", 'File type = "ooTextFile short"\n"TextGrid"\n\n0\n4\n<exists>\n1\n'
    '"IntervalTier"\n"Kerry"\n0\n4\n2\n0\n1.5\n"Hello."\n1.5\n4\n""\n')
put("textgrid-class-first.TextGrid", grid.replace('File type = "ooTextFile"\nObject class = "TextGrid"\n',
                                                  'Object class="TextGrid"\r\n\tFile  type =  "ooTextFile"\r\n'))
# Praat's binary header, then big-endian doubles (xmin, xmax), the tiers flag and count.
put("textgrid-binary.TextGrid", b"ooBinaryFile\x08TextGrid" + bytes(8) + b"\x40\x10" + bytes(6)
    + b"\x01\x00\x00\x00\x01\x0cIntervalTier\x00\x05Kerry")
put("textgrid-same-start.TextGrid", grid.replace('class = "TextTier"', 'class = "IntervalTier"')
    .replace('points: size = 1\n        points [1]:\n            number = 2\n            mark = "door"\n',
             'intervals: size = 1\n        intervals [1]:\n            xmin = 0\n            xmax = 4\n'
             '            text = "Yes."\n').replace('name = "events"', 'name = "Diane"'))

os.makedirs(OUT, exist_ok=True)
os.makedirs(os.path.join(OUT, "regressions"), exist_ok=True)
for name, data in sorted(files.items()):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
total = sum(len(d) for d in files.values())
print(f"{len(files)} files, {total} bytes in {os.path.relpath(OUT, ROOT)}")
assert total < 300_000, total

# --- Subtitles (issue 11) ------------------------------------------------------------------
SUB_OUT = os.path.join(ROOT, "tests", "fuzz-corpus", "subtitle")
subs = {}


def sub(name, data):
    subs[name] = data.encode("utf-8") if isinstance(data, str) else data


srt = ("1\n00:00:01,000 --> 00:00:03,500\n<i>Hello</i> there.\n\n"
       "2\n00:00:04,000 --> 00:00:06,000 X1:100 X2:200 Y1:10 Y2:50\n- Two\n- lines\n\n"
       "3\n00:01:02,250 --> 00:01:04,000\n[MUSIC] \u266a la la \u266a\n")
sub("good.srt", srt)
sub("crlf-bom.srt", "\ufeff" + srt.replace("\n", "\r\n"))
sub("utf16.srt", ("\ufeff" + srt).encode("utf-16-le"))
sub("latin1.srt", "1\n00:00:01,000 --> 00:00:02,000\nCaf\xe9 cr\xe8me\n".encode("latin-1"))
sub("no-blank-lines.srt", "1\n00:00:01,000 --> 00:00:02,000\nOne\n2\n00:00:03,000 --> 00:00:04,000\nTwo\n")
sub("no-numbers.srt", "00:00:01,000 --> 00:00:02,000\nOne\n\n00:00:03,000 --> 00:00:04,000\nTwo\n")
sub("bad-timecode.srt", "1\n00:00:01,000 --> 00:0x:02,000\nOne\n")
sub("seconds-99.srt", "1\n00:00:99,000 --> 00:01:00,000\nOne\n")
sub("negative.srt", "1\n-00:00:01,000 --> 00:00:02,000\nOne\n")
sub("huge.srt", "1\n00:00:01,000 --> 99999999999999999999:00:00,000\nOne\n")
sub("backwards.srt", "1\n00:00:05,000 --> 00:00:01,000\nOne\n")
sub("overlap.srt", "1\n00:00:01,000 --> 00:00:05,000\nA\n\n2\n00:00:02,000 --> 00:00:03,000\nB\n\n"
    "3\n00:00:00,500 --> 00:00:00,900\nC\n")
sub("arrows.srt", "1\n00:00:01,000 --> 00:00:02,000 --> 00:00:03,000\n-->\n\n-->\n")
sub("empty.srt", "")
sub("whitespace.srt", " \r\n\t\n")
sub("good.vtt", "WEBVTT - title\nKind: captions\n\nSTYLE\n::cue { color: red }\n\n"
    "NOTE a note\n--> in a note\n\nintro\n00:01.000 --> 00:02.000 align:start line:0\n"
    "<v Anna>Hello <00:01.500>there</v> &amp; more\n\n00:00:03.000 --> 00:00:04.250\nBye\n")
sub("no-header.vtt", "00:01.000 --> 00:02.000\nHello\n")
sub("header-then-cue.vtt", "WEBVTT\n00:01.000 --> 00:02.000\nHello\n")
sub("bad-inline.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n<00:99.000>a <1:2:3> b <\n")
ass = ("[Script Info]\nTitle: t\nScriptType: v4.00+\n\n[V4+ Styles]\nFormat: Name, Fontname\n"
       "Style: Default,Arial\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, "
       "MarginR, MarginV, Effect, Text\nComment: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,c\n"
       "Dialogue: 0,0:00:01.50,0:00:03.20,Default,Bob,0,0,0,,{\\i1}Hi,{\\i0} you\\Nthere\n"
       "Dialogue: 0,0:00:04.00,0:00:05.00,Default,,0,0,0,,plain, with, commas\n")
sub("good.ass", ass)
sub("ssa-marked.ssa", ass.replace("v4.00+", "v4.00").replace("Format: Layer", "Format: Marked")
    .replace("Dialogue: 0,", "Dialogue: Marked=0,"))
sub("ass-no-format.ass", "[Events]\nDialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,x\n")
sub("ass-few-fields.ass", "[Events]\nFormat: Layer, Start, End, Text\nDialogue: 0,0:00:01.00\n")
sub("ass-bad-time.ass", "[Events]\nFormat: Start, End, Text\nDialogue: 0:00:01.00,0:0a:02.00,x\n")

os.makedirs(SUB_OUT, exist_ok=True)
os.makedirs(os.path.join(SUB_OUT, "regressions"), exist_ok=True)
for name, data in sorted(subs.items()):
    with open(os.path.join(SUB_OUT, name), "wb") as f:
        f.write(data)
print(f"{len(subs)} files, {sum(len(d) for d in subs.values())} bytes in "
      f"{os.path.relpath(SUB_OUT, ROOT)}")
