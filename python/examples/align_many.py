"""Align many recordings with their transcripts in parallel.

    python align_many.py FOLDER [--out DIR] [--jobs N] [--words] [--dask [SCHEDULER]]

Pairs every recording in FOLDER (.wav .mp3 .flac .ogg .opus .m4a .mp4 .webm) with the
transcript of the same stem (.txt .srt .vtt .json .TextGrid .eaf .ass .otr), aligns the
pairs with ``talign.align``, writes STEM.json and STEM.srt to DIR (default: FOLDER), and
prints one line per pair, in the folder's order. A pair that fails is reported and the rest
go on; the exit status is 1 when any failed.

By default the pairs run on a ``concurrent.futures.ThreadPoolExecutor`` of --jobs threads
(talign releases the GIL while it works, so threads run in parallel). With ``--dask`` the
same function is mapped over a ``dask.bag`` of the pairs (one partition per pair) and
computed by Dask's scheduler: ``threads`` (the default: --jobs threads), ``processes``
(--jobs worker processes; every argument and result is a plain path, string or number, so
they pickle), or ``sync`` (one at a time, for debugging). On a dask.distributed cluster,
build the same bag and compute it with the cluster's client.
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
        "low": sum(t.confidence < talign.LOW_CONFIDENCE for t in turns),
        "duration": alignment.duration,
        "seconds": time.perf_counter() - start,
    }


def align_all(pairs, out, words, jobs, dask_scheduler=None):
    """Result fields for every pair, in the order given: on threads, or with Dask."""
    if dask_scheduler is None:
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(align_pair, a, t, out, words) for a, t in pairs]
            return [f.result() for f in futures]
    import dask.bag

    bag = dask.bag.from_sequence(pairs, npartitions=len(pairs))
    scheduler = {"threads": "threads", "processes": "processes", "sync": "synchronous"}
    return bag.starmap(align_pair, out=out, words=words).compute(
        scheduler=scheduler[dask_scheduler], num_workers=jobs
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=pathlib.Path)
    parser.add_argument("--out", type=pathlib.Path, help="where to write (default: FOLDER)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--words", action="store_true", help="also time every word")
    parser.add_argument(
        "--dask",
        nargs="?",
        const="threads",
        choices=["threads", "processes", "sync"],
        metavar="SCHEDULER",
        help="map the pairs with Dask (a dask.bag) on this scheduler: threads (default), "
        "processes or sync",
    )
    args = parser.parse_args(argv)
    out = args.out or args.folder
    out.mkdir(parents=True, exist_ok=True)
    pairs = pairs_in(args.folder)
    if not pairs:
        print(f"{args.folder}: no recording with a transcript of the same name", file=sys.stderr)
        return 2
    failed = 0
    for r in align_all(pairs, out, args.words, args.jobs, args.dask):
        if r["ok"]:
            print(
                f"ok      {r['audio']}: {r['turns']} turns, {r['low']} low-confidence, "
                f"{r['duration']:.1f} s of audio in {r['seconds']:.1f} s"
            )
        else:
            failed += 1
            print(f"failed  {r['audio']}: {r['error']}")
    how = f"with Dask ({args.dask})" if args.dask else "on threads"
    print(f"{len(pairs) - failed} of {len(pairs)} aligned {how}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
