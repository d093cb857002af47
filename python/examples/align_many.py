"""Align many recordings with their transcripts in parallel threads.

    python align_many.py FOLDER [--out DIR] [--jobs N] [--words]

Pairs every recording in FOLDER (.wav .mp3 .flac .ogg .opus .m4a .mp4 .webm) with the
transcript of the same stem (.txt .srt .vtt .json .TextGrid .eaf .ass .otr), aligns the
pairs with ``talign.align`` on a ``concurrent.futures.ThreadPoolExecutor`` (talign releases
the GIL while it works, so threads run in parallel), writes STEM.json and STEM.srt to DIR
(default: FOLDER), and prints one line per pair. A pair that fails is reported and the rest
go on; the exit status is 1 when any failed.

With Dask instead of threads, the same function maps over the pairs unchanged::

    import dask.bag
    results = dask.bag.from_sequence(pairs).map(lambda p: align_pair(*p, out, words)).compute()
"""

import argparse
import concurrent.futures
import os
import pathlib
import sys
import time

import talign

AUDIO = {".wav", ".mp3", ".flac", ".ogg", ".opus", ".m4a", ".mp4", ".webm"}
TRANSCRIPTS = [".txt", ".srt", ".vtt", ".json", ".TextGrid", ".eaf", ".ass", ".otr"]


def pairs_in(folder):
    """(recording, transcript) for every recording with a transcript of the same stem."""
    found = []
    for audio in sorted(folder.iterdir()):
        if audio.suffix.lower() not in AUDIO:
            continue
        for ext in TRANSCRIPTS:
            transcript = audio.with_suffix(ext)
            if transcript.is_file():
                found.append((audio, transcript))
                break
    return found


def align_pair(audio, transcript, out, words):
    """Aligns one pair and writes its JSON and SRT; returns a result line's fields."""
    start = time.perf_counter()
    try:
        alignment = talign.align(audio, transcript, words=words)
    except (OSError, ValueError, RuntimeError) as err:
        return {"audio": audio.name, "ok": False, "error": f"{type(err).__name__}: {err}"}
    stem = out / audio.stem
    alignment.save(stem.with_suffix(".json"))
    alignment.save(stem.with_suffix(".srt"))
    turns = alignment.turns
    return {
        "audio": audio.name,
        "ok": True,
        "turns": len(turns),
        "low": sum(t.confidence < 0.5 for t in turns),
        "duration": alignment.duration,
        "seconds": time.perf_counter() - start,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=pathlib.Path)
    parser.add_argument("--out", type=pathlib.Path, help="where to write (default: FOLDER)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--words", action="store_true", help="also time every word")
    args = parser.parse_args(argv)
    out = args.out or args.folder
    out.mkdir(parents=True, exist_ok=True)
    pairs = pairs_in(args.folder)
    if not pairs:
        print(f"{args.folder}: no recording with a transcript of the same name", file=sys.stderr)
        return 2
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        jobs = [pool.submit(align_pair, a, t, out, args.words) for a, t in pairs]
        for job in jobs:  # in input order
            r = job.result()
            if r["ok"]:
                print(
                    f"ok      {r['audio']}: {r['turns']} turns, {r['low']} low-confidence, "
                    f"{r['duration']:.1f} s of audio in {r['seconds']:.1f} s"
                )
            else:
                failed += 1
                print(f"failed  {r['audio']}: {r['error']}")
    print(f"{len(pairs) - failed} of {len(pairs)} aligned", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
