#!/usr/bin/env python3
"""A 10-hour alignment for measuring the review page: the sample's alignment repeated with
shifted times, and the recording it belongs to (the sample's MP3 repeated, frame for frame).

  python3 scripts/make_long_alignment.py --talign target/ci/talign ALIGNED.json OUT_DIR [--copies 17]

ALIGNED.json is `talign align sample-audio/kerry-aleppo-2016.mp3 sample-audio/kerry-aleppo-2016.txt
-o ALIGNED.json`. Writes OUT_DIR/long.mp3 (17 copies: 10.5 h) and OUT_DIR/long.json, whose
copies are shifted by the decoded length of one copy and whose duration is the decoded
length of long.mp3 (`talign info`), so `talign review` accepts the pair.
"""
import argparse
import copy
import json
import os
import subprocess


def without_info_frame(mp3):
    """The MP3's frames without an ID3v2 tag and the Xing/Info frame, whose frame count would
    make a decoder stop after the first copy (and trim the encoder delay only there)."""
    if mp3[:3] == b"ID3":
        size = (mp3[6] << 21) | (mp3[7] << 14) | (mp3[8] << 7) | mp3[9]
        mp3 = mp3[10 + size:]
    b1, b2 = mp3[1], mp3[2]
    version = (b1 >> 3) & 3  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    assert mp3[0] == 0xFF and (b1 & 0xE0) == 0xE0 and ((b1 >> 1) & 3) == 1, "not MPEG layer III"
    mpeg1 = version == 3
    kbps = ([0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] if mpeg1
            else [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160])[b2 >> 4]
    rate = {3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000]}[version][(b2 >> 2) & 3]
    length = (144 if mpeg1 else 72) * kbps * 1000 // rate + ((b2 >> 1) & 1)
    first = mp3[:length]
    return mp3[length:] if (b"Xing" in first or b"Info" in first) else mp3


def decoded_seconds(talign, path):
    out = subprocess.run([talign, "info", path, "--json"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)["duration_s"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--talign", required=True)
    ap.add_argument("aligned")
    ap.add_argument("out_dir")
    ap.add_argument("--copies", type=int, default=17)
    args = ap.parse_args()
    with open(args.aligned, encoding="utf-8") as f:
        doc = json.load(f)
    audio = doc["made"]["audio_absolute"] if doc.get("made") else doc["audio"]["path"]
    os.makedirs(args.out_dir, exist_ok=True)
    long_mp3 = os.path.join(args.out_dir, "long.mp3")
    with open(audio, "rb") as f:
        one = without_info_frame(f.read())
    with open(long_mp3, "wb") as f:
        for _ in range(args.copies):
            f.write(one)
    total = decoded_seconds(args.talign, long_mp3)
    # Without the Info frame nothing is trimmed: each copy decodes a little longer than the
    # sample (its encoder delay and padding); shift by the decoded length of a copy.
    step = total / args.copies
    turns = []
    for k in range(args.copies):
        shift = k * step
        for t in doc["turns"]:
            t = copy.deepcopy(t)
            t["index"] = len(turns)
            for key in ("start", "end"):
                t[key] = round(t[key] + shift, 3)
            if t["stated"]["seconds"] is not None:
                t["stated"]["seconds"] = round(t["stated"]["seconds"] + shift, 3)
            for w in t.get("words") or []:
                w["start"] = round(w["start"] + shift, 3)
                w["end"] = round(w["end"] + shift, 3)
                for p in w.get("phones") or []:
                    p["start"] = round(p["start"] + shift, 3)
                    p["end"] = round(p["end"] + shift, 3)
            turns.append(t)
    doc["turns"] = turns
    doc["audio"]["path"] = "long.mp3"
    doc["audio"]["duration_s"] = round(total, 3)
    if doc.get("made"):
        doc["made"]["audio_absolute"] = os.path.abspath(long_mp3)
    with open(os.path.join(args.out_dir, "long.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")
    words = sum(len(t.get("words") or []) for t in turns)
    print(f"{len(turns)} turns, {words} words, {total / 3600:.2f} h -> {args.out_dir}/long.json, long.mp3")


if __name__ == "__main__":
    main()
