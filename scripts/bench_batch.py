#!/usr/bin/env python3
"""Throughput of `talign batch` against a shell loop of `talign align` (docs/batch.md).

Makes N short recordings (espeak-ng, two speakers, ~5 s each) and M long ones (copies of
sample-audio/kerry-aleppo-2016.mp3, 37 min, with its transcript), then aligns each set
    - with a shell loop: `for each item: talign align -q AUDIO TRANSCRIPT -o OUT.json`,
    - with `talign batch --jobs 1` and `--jobs 2` (fresh output folders, nothing skipped),
(and with two shell loops at once, each over every other item), and prints, per run: wall
time, items per minute, audio seconds per wall second, the peak of the whole process tree's
resident memory (parent and items together, sampled from /proc every 20 ms), summed as RSS
and as PSS (shared pages counted once), the kernel's own count where this machine lets a memory cgroup be made
(each run in a fresh one: its peak charge, `memory.peak` of cgroup v2 or `memory.max_usage_in_bytes` of v1: what a
Slurm or Kubernetes memory limit holds the run to), and the largest single item's peak (its own process's ru_maxrss:
the loop's from wait4 here, the batch's from results.jsonl). A last row aligns the largest short item alone with
`talign align`, the single-file peak the batch's memory target is set against.

    scripts/bench_batch.py [--talign target/ci/talign] [--short 40] [--long 4] [--repeat 1]
"""

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
NUMBERS = "one two three four five six seven eight nine ten eleven twelve".split()


def tree_memory_kib(pid):
    """Resident memory of `pid` and every descendant, KiB: (RSS summed, PSS summed). RSS
    counts pages the processes share (the binary, its embedded model and dictionary) once per
    process; PSS splits each shared page among its sharers, so the sum counts it once."""
    rss = pss = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                rss += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
            with open(f"/proc/{p}/smaps_rollup") as f:
                pss += next((int(l.split()[1]) for l in f if l.startswith("Pss:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError, PermissionError):
            continue
    return rss, pss


def memory_cgroup():
    """A fresh memory cgroup under this process's own, as (folder, file with its peak in
    bytes), or None where the machine does not allow it (no controller, not root)."""
    own = {}
    for line in pathlib.Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for c in controllers.split(",") if controllers else [""]:
            own[c] = path.lstrip("/")
    candidates = []
    if "memory" in own:  # cgroup v1
        candidates.append((pathlib.Path("/sys/fs/cgroup/memory") / own["memory"], "memory.max_usage_in_bytes"))
    if "" in own:  # cgroup v2
        for root in (pathlib.Path("/sys/fs/cgroup"), pathlib.Path("/sys/fs/cgroup/unified")):
            if (root / "cgroup.controllers").exists() and "memory" in (root / "cgroup.controllers").read_text():
                candidates.append((root / own[""], "memory.peak"))
    for parent, peak_file in candidates:
        folder = parent / f"talign-bench-{os.getpid()}-{time.monotonic_ns()}"
        try:
            folder.mkdir()
        except OSError:
            continue
        if (folder / peak_file).exists():
            return folder, folder / peak_file
        folder.rmdir()
    return None


def run_sampled(argv):
    """Runs argv (in a fresh memory cgroup where one can be made); returns (wall s, peak
    tree (RSS, PSS, cgroup charge or None) KiB, exit code, the process's own maxrss KiB)."""
    cgroup = memory_cgroup()

    def enter():
        (cgroup[0] / "cgroup.procs").write_text(str(os.getpid()))

    start = time.perf_counter()
    try:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                preexec_fn=enter if cgroup else None)
    except subprocess.SubprocessError:  # the cgroup would not take the process: run without
        cgroup[0].rmdir()
        cgroup = None
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = (0, 0)
    while True:
        peak = tuple(map(max, peak, tree_memory_kib(proc.pid)))
        try:
            _, status, usage = os.wait4(proc.pid, os.WNOHANG)
        except ChildProcessError:
            break
        if _ == proc.pid:
            break
        time.sleep(0.02)
    wall = time.perf_counter() - start
    charged = None
    if cgroup:
        charged = int(cgroup[1].read_text()) // 1024
        cgroup[0].rmdir()
    peak = (*peak, charged)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.stderr.write(proc.stderr.read().decode(errors="replace"))
    proc.returncode = code
    return wall, peak, code, usage.ru_maxrss


def make_short(folder, n):
    folder.mkdir(parents=True)
    rows = ["audio,transcript"]
    for i in range(1, n + 1):
        a = "Good morning. Thank you all for coming today."
        b = f"We will talk about the budget for week {NUMBERS[(i - 1) % 12]}."
        subprocess.run(["espeak-ng", "-w", str(folder / f"s{i}.wav"), f"{a} {b}"], check=True)
        (folder / f"s{i}.txt").write_text(f"ANNA: {a}\nBEN: {b}\n")
        rows.append(f"s{i}.wav,s{i}.txt")
    (folder / "list.csv").write_text("\n".join(rows) + "\n")


def make_long(folder, n):
    folder.mkdir(parents=True)
    rows = ["audio,transcript"]
    for i in range(1, n + 1):
        shutil.copy(ROOT / "sample-audio/kerry-aleppo-2016.mp3", folder / f"l{i}.mp3")
        shutil.copy(ROOT / "sample-audio/kerry-aleppo-2016.txt", folder / f"l{i}.txt")
        rows.append(f"l{i}.mp3,l{i}.txt")
    (folder / "list.csv").write_text("\n".join(rows) + "\n")


def items_of(folder):
    lines = (folder / "list.csv").read_text().splitlines()[1:]
    return [tuple(folder / p for p in line.split(",")) for line in lines]


def loop(talign, folder, out, loops=1):
    """The shell loop: one `talign align` after another (with `loops` > 1, that many loops at
    once, each over every `loops`-th item: what `--jobs` items at a time cost as separate
    processes); wall, tree peaks, largest item."""
    out.mkdir()
    items = items_of(folder)
    one = lambda part: "\n".join(
        f'"{talign}" align -q "{a}" "{t}" -o "{out / (a.stem + ".json")}" || exit 1' for a, t in part
    )
    if loops == 1:
        script = one(items)
    else:
        script = "\n".join(f"( {one(items[k::loops])}\n) &" for k in range(loops))
        script += "\nfor p in $(jobs -p); do wait $p || exit 1; done"
    wall, peak, code, item_max = run_sampled(["bash", "-c", script])
    assert code == 0, "the loop failed"
    return wall, peak, item_max


def batch(talign, folder, out, jobs):
    argv = [talign, "batch", str(folder / "list.csv"), "--out", str(out), "--jobs", str(jobs), "-q"]
    wall, peak, code, _ = run_sampled(argv)
    assert code == 0, f"the batch failed: {argv}"
    lines = [json.loads(l) for l in (out / "results.jsonl").read_text().splitlines()]
    assert all(l["status"] == "ok" for l in lines) and len(lines) == len(items_of(folder))
    return wall, peak, max(l["peak_memory_mib"] for l in lines) * 1024


def alone(talign, folder, out):
    """The largest item aligned alone by `talign align`: the single-file peak."""
    out.mkdir()
    audio, transcript = max(items_of(folder), key=lambda item: item[0].stat().st_size)
    wall, peak, code, item_max = run_sampled([talign, "align", "-q", str(audio), str(transcript), "-o", str(out / "one.json")])
    assert code == 0, "the alignment failed"
    return wall, peak, item_max


def audio_seconds(talign, folder):
    total = 0.0
    for a, _ in items_of(folder):
        info = subprocess.run([talign, "info", str(a)], capture_output=True, text=True, check=True)
        line = next(l for l in info.stdout.splitlines() if l.startswith("duration:"))
        total += float(line.split()[1])
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--talign", default=str(ROOT / "target/ci/talign"))
    ap.add_argument("--short", type=int, default=40)
    ap.add_argument("--long", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    talign = str(pathlib.Path(args.talign).resolve())
    print(f"# {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"# {os.cpu_count()} cores; talign {talign}")
    with tempfile.TemporaryDirectory(prefix="talign-bench-batch.") as tmp:
        tmp = pathlib.Path(tmp)
        sets = []
        if args.short:
            make_short(tmp / "short", args.short)
            sets.append((f"{args.short} short", tmp / "short"))
        if args.long:
            make_long(tmp / "long", args.long)
            sets.append((f"{args.long} long", tmp / "long"))
        print("| items | how | wall s | items/min | audio s per wall s | peak memory, all processes: RSS (MiB) | PSS (MiB) | cgroup charge (MiB) | largest item's peak (MiB) |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, folder in sets:
            audio_s = audio_seconds(talign, folder)
            n = len(items_of(folder))
            runs = [("shell loop of `talign align`", lambda o: loop(talign, folder, o))]
            runs += [("two shell loops at once", lambda o: loop(talign, folder, o, 2))]
            runs += [(f"`talign batch --jobs {j}`", lambda o, j=j: batch(talign, folder, o, j)) for j in (1, 2)]
            runs += [("the largest item alone, `talign align`", lambda o: alone(talign, folder, o))]
            for how, fn in runs:
                for r in range(args.repeat):
                    out = tmp / f"out-{name}-{how}-{r}".replace(" ", "_").replace("`", "")
                    wall, peak, item_max = fn(out)
                    count = 1 if how.startswith("the largest item") else n
                    charged = "–" if peak[2] is None else f"{peak[2] / 1024:.0f}"
                    print(
                        f"| {name} ({audio_s / 60:.1f} min audio) | {how} | {wall:.2f} | {count / wall * 60:.1f} "
                        f"| {'–' if count == 1 else f'{audio_s / wall:.1f}'} | {peak[0] / 1024:.0f} | {peak[1] / 1024:.0f} "
                        f"| {charged} | {item_max / 1024:.0f} |",
                        flush=True,
                    )
    print(f"# {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    main()
