#!/usr/bin/env python3
"""Edge words parted from the rest of their turn by more than 0.3 s, in an eval_set.py output
directory: family, recording, line, first/last, word, length s, pause s, fit, the turn edge's
error against the truth (s). Run from the repository root:

    python3 docs/experiments/session-14/edge_words.py DIR
"""
import sys

from outputs import default_outputs

rows = []
for rec, a, by in default_outputs(sys.argv[1], turn_truth_only=False):
    for t in a["turns"]:
        ws = t.get("words") or []
        if len(ws) < 2:
            continue
        x = by.get(t["line"])
        for side in ("first", "last"):
            if side == "first":
                w, pause = ws[0], ws[1]["start"] - ws[0]["end"]
            else:
                w, pause = ws[-1], ws[-1]["start"] - ws[-2]["end"]
            if pause <= 0.3:
                continue
            err = None
            if x and x.get("start") is not None:
                err = t["start"] - x["start"] if side == "first" else t["end"] - x["end"]
            rows.append((rec["family"], rec["name"], t["line"], side, w["word"], round(w["end"] - w["start"], 2),
                         round(pause, 2), w.get("fit"), None if err is None else round(err, 2)))
for r in sorted(rows, key=lambda r: r[6]):
    print(*r)
