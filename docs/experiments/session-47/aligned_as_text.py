"""Session 47: `talign align RECORDING SUBTITLES -o OUT.json` on a Kerry rendition with another
rendition's subtitles (the same text timed for another reading), scored against the
recording's own truth: % of the cues with words whose turn starts within 50 / 100 / 250 ms
and 1 s of the truth.
    python3 docs/experiments/session-47/aligned_as_text.py OUT.json TRUTH_DIR sentences|turns
TRUTH_DIR: the recording's eval-out directory (eval-out/festival, sample-audio for espeak-ng);
sentences: the subtitles were scripts/eval_sync.py's Festival cues (one per sentence).
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "scripts"))
import eval_sync  # noqa: E402

out, base, unit = sys.argv[1], sys.argv[2], sys.argv[3]
truth = eval_sync.kerry_cues(os.path.join(base, "kerry-aleppo-2016.truth.json"),
                             os.path.join(base, "kerry-aleppo-2016.txt"), unit == "sentences")
turns = json.load(open(out))["turns"]
assert len(turns) == len(truth), (len(turns), len(truth))
errs = [abs(t["start"] - c[0]) if t.get("start") is not None else float("inf")
        for t, c in zip(turns, truth) if not c[2].startswith("[")]
print(f"{len(errs)} cues with words: " + ", ".join(
    f"{100 * sum(e <= tol for e in errs) / len(errs):.1f} % within {tol:g} s"
    for tol in (0.05, 0.1, 0.25, 1.0)))
