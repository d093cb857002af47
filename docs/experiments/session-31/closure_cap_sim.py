#!/usr/bin/env python3
"""Simulates a cap on a word's first phone (a stop's closure taking the pause before it) on
saved `talign align --phones` outputs, and prints word starts within 25 / 50 / 100 ms for
real speech and Festival, per cap, phone set and context (docs/accuracy.md, session 31).

    python3 scripts/eval_set.py --bin BIN --args=--phones --only words --out DIR
    python3 docs/experiments/session-31/closure_cap_sim.py DIR

A capped word starts `cap` seconds before its first phone's end when that phone is longer.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../../scripts"))
import eval_set as E  # noqa: E402

SETS = {
    "stops": {"P", "T", "K", "B", "D", "G", "CH", "JH"},
    "quiet": {"P", "T", "K", "B", "D", "G", "CH", "JH", "S", "SH", "F", "TH"},
    "quiet+dh": {"P", "T", "K", "B", "D", "G", "CH", "JH", "S", "SH", "F", "TH", "DH", "V", "Z", "HH"},
}


def load(d, name):
    return json.load(open(os.path.join(d, "__phones--" + name.replace(":", "_") + ".json")))


def capped(w, prev, cap, phones, context):
    ph = w.get("phones") or []
    if cap is None or not ph or ph[0]["phone"] not in phones:
        return w["start"]
    if context == "after_word" and (prev is None or abs(prev["end"] - w["start"]) > 1e-6):
        return w["start"]
    p = ph[0]
    return p["end"] - cap if p["end"] - p["start"] > cap + 1e-9 else w["start"]


def run(d, recs, cap, phones, context):
    res = {}
    for r in recs:
        a, tw = load(d, r["name"]), E.truth_words(r["t"])
        if None in tw:
            groups = [([w for x in a["turns"] for w in (x.get("words") or [])], tw[None])]
        else:
            groups = [([w for x in a["turns"] if x["line"] == line for w in (x.get("words") or [])], ws)
                      for line, ws in tw.items()]
        ds = []
        for aw, ws in groups:
            prev = {id(w): (aw[i - 1] if i else None) for i, w in enumerate(aw)}
            for w, tr in E.pair(aw, ws):
                ds.append(None if w is None else E.error(capped(w, prev[id(w)], cap, phones, context), tr["start"]))
        res[r["name"]] = ds
    return res


def show(tag, res):
    f = lambda v, lim: 100 * sum(1 for d in v if d is not None and d <= lim) / len(v)
    real = [d for k, v in res.items() if k.startswith("real:") for d in v]
    fest = [d for k, v in res.items() if k.startswith("festival") for d in v]
    per = " ".join(f"{k.split(':')[-1][:12]}:{f(v, 0.05):.1f}" for k, v in res.items()
                   if k.startswith(("real:", "festival")))
    print(f"{tag:26s} real {f(real, .025):.1f}/{f(real, .05):.1f}/{f(real, .1):.1f} "
          f"festival {f(fest, .025):.1f}/{f(fest, .05):.1f}/{f(fest, .1):.1f} | {per}")


def main():
    d = sys.argv[1]
    recs = [r for r in E.recordings() if E.truth_words(r["t"]) and r["name"].startswith(("real:", "festival"))]
    show("as aligned", run(d, recs, None, None, None))
    for cap in (0.04, 0.05, 0.06, 0.07, 0.08, 0.1):
        for name, phones in SETS.items():
            for context in ("any", "after_word"):
                show(f"{cap} {name} {context}", run(d, recs, cap, phones, context))


if __name__ == "__main__":
    main()
