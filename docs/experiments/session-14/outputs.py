"""Each evaluation recording's default output in an eval_set.py directory, with its truth by
label line; shared by the scripts beside it (run them from the repository root)."""
import json
import os
import sys

sys.path.insert(0, "scripts")
import eval_set  # noqa: E402


def default_outputs(out_dir: str, turn_truth_only: bool = True):
    """Yields (recording, aligned JSON, {line: true turn}) for every recording with an output."""
    for rec in eval_set.recordings():
        if turn_truth_only and not eval_set.has_turn_truth(rec["t"]):
            continue
        path = os.path.join(out_dir, "default--" + rec["name"].replace(":", "_") + ".json")
        if not os.path.exists(path):
            continue
        by_line = {x["line"]: x for x in rec["t"]["turns"]}
        yield rec, json.load(open(path)), by_line
