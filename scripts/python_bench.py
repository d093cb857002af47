#!/usr/bin/env python3
"""Measures the Python package against the command line (docs/python.md).

    python3 scripts/python_bench.py [--talign target/ci/talign] [--rounds 3] [--jobs 8]

1. Overhead on the sample (sample-audio/kerry-aleppo-2016.mp3 + .txt, 37 min): the wall time
   of `talign align SAMPLE.mp3 SAMPLE.txt -o cli.json -q` against a fresh Python process
   doing `talign.align(...).save("py.json")` (interpreter start and import included) and
   against the call alone in this process, runs interleaved, `--rounds` of each; the two
   JSON files must be byte-identical.
2. Threads: `--jobs` alignments of the 45 s clip (sample-audio/clip-kerry-45s.wav + .txt)
   one after another, then on a ThreadPoolExecutor of 2 and of 4 threads; wall time, the
   process's CPU time (user + sys) and the speed-up against one at a time. talign releases
   the GIL while it works: with the GIL held, threads could not beat one at a time.
   One alignment already scores on rayon's threads (one per CPU); `RAYON_NUM_THREADS=1`
   keeps each to about one core, so what the Python threads add shows by itself.

Both need the wheel installed (scripts/python_test.sh builds it with the `ci` profile, as
the `talign` binary it is compared with). Prints the machine (CPUs, load average before and
after) and Markdown tables.
"""

import argparse
import concurrent.futures
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import talign

REPO = pathlib.Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample-audio" / "kerry-aleppo-2016.mp3"
SAMPLE_TXT = REPO / "sample-audio" / "kerry-aleppo-2016.txt"
CLIP = REPO / "sample-audio" / "clip-kerry-45s.wav"
CLIP_TXT = REPO / "sample-audio" / "clip-kerry-45s.txt"


def loadavg():
    return open("/proc/loadavg").read().split()[:3]


def cpu_seconds():
    t = os.times()
    return t.user + t.system


def timed_process(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - start


def overhead(cli, rounds, workdir):
    cli_json = workdir / "cli.json"
    py_json = workdir / "py.json"
    cli_cmd = [str(cli), "align", str(SAMPLE), str(SAMPLE_TXT), "-o", str(cli_json), "-q"]
    py_cmd = [
        sys.executable,
        "-c",
        "import sys, talign; talign.align(sys.argv[1], sys.argv[2]).save(sys.argv[3])",
        str(SAMPLE),
        str(SAMPLE_TXT),
        str(py_json),
    ]
    times = {"cli": [], "python process": [], "python call": []}
    for _ in range(rounds):
        times["cli"].append(timed_process(cli_cmd))
        times["python process"].append(timed_process(py_cmd))
        start = time.perf_counter()
        talign.align(str(SAMPLE), str(SAMPLE_TXT)).to_json()
        times["python call"].append(time.perf_counter() - start)
    identical = cli_json.read_bytes() == py_json.read_bytes()
    return times, identical


def threads(jobs, rounds):
    """Per thread count: (wall, CPU, calls in flight) per round. Calls in flight is the sum
    of the calls' own durations over the wall time: how many alignments were under way at
    once on average. With the GIL held through a call no other thread could even start one
    (starting a call takes the GIL), so it could not exceed 1; it does not depend on free
    CPUs, unlike the speed-up."""
    work = [(str(CLIP), str(CLIP_TXT))] * jobs
    results = {}

    def timed_align(job):
        start = time.perf_counter()
        talign.align(*job)
        return time.perf_counter() - start

    for _ in range(rounds):
        for workers in (1, 2, 4):
            cpu, start = cpu_seconds(), time.perf_counter()
            if workers == 1:
                calls = [timed_align(job) for job in work]
            else:
                with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
                    calls = list(pool.map(timed_align, work))
            wall = time.perf_counter() - start
            results.setdefault(workers, []).append(
                (wall, cpu_seconds() - cpu, sum(calls) / wall)
            )
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--talign", default=str(REPO / "target" / "ci" / "talign"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--only", choices=["overhead", "threads"], help="run one part")
    args = parser.parse_args()
    before = loadavg()
    print(f"machine: {os.cpu_count()} CPUs; load average before: {' '.join(before)}")
    print(f"talign {talign.__version__} from {pathlib.Path(talign.__file__).parent}")
    print(f"RAYON_NUM_THREADS={os.environ.get('RAYON_NUM_THREADS', '(unset: one per CPU)')}")
    identical = True
    if args.only != "threads":
        with tempfile.TemporaryDirectory() as tmp:
            times, identical = overhead(args.talign, args.rounds, pathlib.Path(tmp))
        print_overhead(times, identical, args.rounds)
    if args.only != "overhead":
        results = threads(args.jobs, args.rounds)
        print_threads(results, args.jobs, args.rounds)
    print(f"\nload average at the end: {' '.join(loadavg())}")
    if not identical:
        sys.exit("the Python JSON differs from the CLI's")


def print_overhead(times, identical, rounds):
    cli_median = statistics.median(times["cli"])
    print(f"\n### Overhead on the sample ({rounds} runs each, interleaved)\n")
    print("| run | median wall s | all runs s | vs the CLI |")
    print("|---|---|---|---|")
    for name, runs in times.items():
        median = statistics.median(runs)
        print(
            f"| {name} | {median:.2f} | {', '.join(f'{r:.2f}' for r in runs)} | "
            f"{(median / cli_median - 1) * 100:+.1f} % |"
        )
    print(f"\nJSON of the CLI and of the Python process byte-identical: {identical}")
    print(f"load average after these runs: {' '.join(loadavg())}")


def print_threads(results, jobs, rounds):
    one = statistics.median(r[0] for r in results[1])
    print(f"\n### {jobs} alignments of the 45 s clip ({rounds} rounds, medians)\n")
    print("| threads | wall s | CPU s (user+sys) | CPU / wall | calls in flight | speed-up vs 1 |")
    print("|---|---|---|---|---|---|")
    for workers, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        flight = statistics.median(r[2] for r in runs)
        print(
            f"| {workers} | {wall:.2f} | {cpu:.2f} | {cpu / wall:.2f} | {flight:.2f} | "
            f"{one / wall:.2f}x |"
        )


if __name__ == "__main__":
    main()
