"""Session 38: which recordings of the evaluation set talign measures as reverberant, and
their RT60 (the note `align` writes on stderr).

    python3 docs/experiments/session-38/measure_all.py BIN
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../scripts"))
import eval_set  # noqa: E402


def main(binary: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "aligned.json")
        for r in eval_set.recordings():
            p = subprocess.run([binary, "align", "--force", r["audio"], r["transcript"], "-o", out],
                               capture_output=True, text=True)
            notes = [line for line in p.stderr.splitlines() if "RT60 about" in line]
            said = notes[0].split("(")[1].split(",")[0] if notes else "none"
            if p.returncode != 0:
                said = f"exit {p.returncode}"
            print(f"{r['name']:40} {said}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
