#!/usr/bin/env python3
"""The Kubernetes Indexed Job manifest (docs/batch/talign-indexed-job.yaml), checked as far
as a machine without a cluster can check it.

    python3 scripts/k8s_job_ci.py [--talign target/ci/talign] [--items 12] [--kube 1.33.0]
                                  [--manifest docs/batch/talign-indexed-job.yaml]

1. The manifest is validated, strictly (no unknown fields), against the Kubernetes API
   schema of `--kube` by `kubernetes-validate` (PyPI, pinned below; its wheel carries the
   schemas, so nothing is fetched from a cluster).
2. Its pods are played here, one process per completion index, `parallelism` at a time: the
   container's own `command` and `env` from the manifest, `JOB_COMPLETION_INDEX` set as the
   Indexed Job controller sets it, and the volume's mount path mapped to a temporary folder
   holding a manifest of short espeak-ng recordings. Every item must be aligned by the pod
   whose shard it belongs to, its outputs must read back, and `talign batch --merge` must
   count them all.

What this does not check: a scheduler, the image, the claim, retries (`backoffLimitPerIndex`).
Exit status 0 when every check passes, 1 when one fails, 2 on usage or a missing tool.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MANIFEST = ROOT / "docs" / "batch" / "talign-indexed-job.yaml"
VALIDATOR = "kubernetes-validate==1.37.0"
NUMBERS = "one two three four five six seven eight nine ten eleven twelve".split()


def fail(message: str) -> None:
    print(f"k8s_job_ci: {message}", file=sys.stderr)
    sys.exit(1)


def ensure_validator() -> None:
    """Installs the pinned validator (and PyYAML, its dependency) when missing."""
    try:
        import kubernetes_validate  # noqa: F401
        import yaml  # noqa: F401
    except ImportError:
        print(f"k8s_job_ci: installing {VALIDATOR}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", VALIDATOR], check=True)


def validate(manifest: Path, kube: str) -> None:
    """Strict schema validation: a misspelt or misplaced field fails here."""
    proc = subprocess.run(
        [sys.executable, "-m", "kubernetes_validate", "--strict", "-k", kube, str(manifest)],
        capture_output=True, text=True)
    if proc.returncode != 0:
        fail(f"{manifest.name} is not a valid Kubernetes {kube} object:\n{proc.stdout}{proc.stderr}")
    print(f"k8s_job_ci: {manifest.name} valid against Kubernetes {kube} (strict)", file=sys.stderr)


def load_job(manifest: Path) -> dict:
    import yaml
    with open(manifest, encoding="utf-8") as f:
        job = yaml.safe_load(f)
    spec = job["spec"]
    if spec.get("completionMode") != "Indexed":
        fail("the Job is not an Indexed Job (completionMode)")
    container = spec["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in container.get("env", [])}
    if env.get("TALIGN_COMPLETIONS") != str(spec["completions"]):
        fail(f"TALIGN_COMPLETIONS {env.get('TALIGN_COMPLETIONS')!r} is not .spec.completions "
             f"{spec['completions']}: pods would take the wrong shards")
    mounts = container.get("volumeMounts", [])
    if len(mounts) != 1:
        fail("expected one volume mount (the archive)")
    return {
        "completions": int(spec["completions"]),
        "parallelism": int(spec.get("parallelism", 1)),
        "command": container["command"],
        "env": env,
        "mount": mounts[0]["mountPath"],
    }


def make_archive(archive: Path, manifest_name: str, items: int) -> None:
    """Short two-speaker recordings spoken by espeak-ng, with a CSV manifest."""
    if shutil.which("espeak-ng") is None:
        print("k8s_job_ci: espeak-ng is not installed (apt-get install espeak-ng)", file=sys.stderr)
        sys.exit(2)
    talks = archive / "talks"
    talks.mkdir(parents=True)
    rows = ["audio,transcript"]
    for i in range(1, items + 1):
        a = "Good morning. Thank you all for coming today."
        b = f"We will talk about the budget for week {NUMBERS[(i - 1) % 12]}."
        subprocess.run(["espeak-ng", "-w", str(talks / f"item{i}.wav"), f"{a} {b}"], check=True)
        (talks / f"item{i}.txt").write_text(f"ANNA: {a}\nBEN: {b}\n", encoding="utf-8")
        rows.append(f"talks/item{i}.wav,talks/item{i}.txt")
    (archive / manifest_name).write_text("\n".join(rows) + "\n", encoding="utf-8")


def run_pods(job: dict, archive: Path, talign: Path) -> float:
    """Every completion index as its own process, `parallelism` at a time."""
    mount = job["mount"].rstrip("/")
    command = [str(archive) + arg[len(mount):] if arg.startswith(mount + "/") or arg == mount
               else arg for arg in job["command"]]
    if command[0] != "talign":
        fail(f"the container's command starts with {command[0]!r}, not talign")
    command[0] = str(talign)
    logs = archive.parent / "logs"
    logs.mkdir()
    pending = list(range(job["completions"]))
    running: list[tuple[int, subprocess.Popen]] = []
    start = time.monotonic()
    while pending or running:
        while pending and len(running) < job["parallelism"]:
            index = pending.pop(0)
            env = dict(os.environ, **job["env"], JOB_COMPLETION_INDEX=str(index))
            env.pop("SLURM_ARRAY_TASK_ID", None)
            log = open(logs / f"pod-{index}.log", "w", encoding="utf-8")
            running.append((index, subprocess.Popen(command, env=env, stdout=log, stderr=log)))
        index, proc = running.pop(0)
        if proc.wait() != 0:
            fail(f"pod {index} exited {proc.returncode}:\n"
                 + (logs / f"pod-{index}.log").read_text(encoding="utf-8")[-2000:])
    return time.monotonic() - start


def check_outputs(out: Path, completions: int, items: int) -> None:
    """Pod K (0-based) took shard K+1 of N: items K+1, K+1+N, ... of the manifest."""
    seen = {}
    for k in range(1, completions + 1):
        path = out / f"results.{k}-of-{completions}.jsonl"
        if not path.exists():
            fail(f"pod {k - 1} wrote no {path.name}")
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        expected = [i for i in range(1, items + 1) if (i - 1) % completions == k - 1]
        got = sorted(int(line["key"].removeprefix("talks/item").removesuffix(".json"))
                     for line in lines)
        if got != expected:
            fail(f"pod {k - 1} aligned items {got}, expected {expected}")
        for line in lines:
            if line["status"] != "ok" or line["shard"] != f"{k}/{completions}":
                fail(f"pod {k - 1}: {line}")
            seen[line["key"]] = line
    for i in range(1, items + 1):
        alignment = json.loads((out / f"talks/item{i}.json").read_text(encoding="utf-8"))
        speakers = [t["speaker"] for t in alignment["turns"]]
        if speakers != ["ANNA", "BEN"]:
            fail(f"item {i}: turns {speakers}")
        if not alignment["turns"][0]["start"] < alignment["turns"][1]["start"]:
            fail(f"item {i}: turns out of order")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--talign", default=str(ROOT / "target" / "ci" / "talign"))
    ap.add_argument("--items", type=int, default=12)
    ap.add_argument("--kube", default="1.33.0", help="Kubernetes version whose schema to check")
    ap.add_argument("--manifest", default=str(DEFAULT_MANIFEST))
    args = ap.parse_args()
    manifest = Path(args.manifest)
    talign = Path(args.talign).resolve()
    if not os.access(talign, os.X_OK):
        print(f"k8s_job_ci: {talign} is not built (cargo build --profile ci)", file=sys.stderr)
        return 2
    ensure_validator()
    validate(manifest, args.kube)
    job = load_job(manifest)
    with tempfile.TemporaryDirectory(prefix="talign-k8s.") as tmp:
        archive = Path(tmp) / "archive"
        manifest_arg = next(a for a in job["command"] if a.endswith((".csv", ".tsv", ".jsonl")))
        make_archive(archive, Path(manifest_arg).name, args.items)
        out_arg = job["command"][job["command"].index("--out") + 1]
        out = archive / Path(out_arg).relative_to(job["mount"])
        wall = run_pods(job, archive, talign)
        check_outputs(out, job["completions"], args.items)
        merged = subprocess.run([str(talign), "batch", "--merge", str(out), "-q"])
        if merged.returncode != 0:
            fail("talign batch --merge reported failures")
        report = (out / "report.html").read_text(encoding="utf-8")
        totals = f"<td>{args.items}</td><td>{args.items}</td><td>0</td><td>0</td>"
        if totals not in report:
            fail(f"report.html does not count {args.items} ok items")
    print(f"k8s_job_ci: {args.items} items aligned by {job['completions']} indexed pods "
          f"({job['parallelism']} at a time) in {wall:.1f} s, every output read back, "
          "merged report complete", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
