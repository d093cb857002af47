"""Session 28: does the path around a word's start tell that the start is off? For each
word the acoustic model timed, an experiment build (`boundary-features.patch`,
`TALIGN_EXP_FEATS=1`) prints the phone loop's lead over the path's own emission
(loop − emitted, nats a frame, >= 0 where the path's state is a CI senone the loop reads)
at the 8 frames before the word's start and the 4 after, and the first phone's fit. A
word after a pause whose last frames the loop explains far better than silence may have
started inside that pause (an onset masked by noise); a word whose first frames fit poorly
may have started elsewhere. Fits the logistic model of scripts/fit_word_confidence.py with
these features added and prints, per family, words off by more than 0.1 s in their
recording's lowest-confidence decile (each family weighted to the same total, as there).

    python3 docs/experiments/session-28/word_boundary_features.py BIN OUT_DIR   (repo root)
"""
import json, math, os, subprocess, sys
sys.path.insert(0, "scripts")
import eval_set
from fit_word_confidence import weighted_fit, sigmoid, decile_share

FLOOR = -20.0
SETS = {
    "now": ["turn", "fit", "len"],
    "+pause lead": ["turn", "fit", "len", "pause_lead"],
    "+onset lead": ["turn", "fit", "len", "onset_lead"],
    "+first fit": ["turn", "fit", "len", "first_fit"],
    "+pause, onset": ["turn", "fit", "len", "pause_lead", "onset_lead"],
    "all": ["turn", "fit", "len", "pause_lead", "onset_lead", "first_fit", "after_pause"],
    "+pause frames": ["turn", "fit", "len", "pause_lead", "onset_lead", "pause_frames"],
    "+pre max": ["turn", "fit", "len", "pause_lead", "onset_lead", "pre_max"],
    "+tail lead": ["turn", "fit", "len", "pause_lead", "onset_lead", "tail_lead"],
    "+onset max": ["turn", "fit", "len", "pause_lead", "onset_max"],
    "no turn": ["fit", "len", "pause_lead", "onset_lead"],
}


def run(bin_, rec, out):
    json_path = os.path.join(out, rec["name"].replace(":", "_") + ".json")
    feat_path = json_path + ".feats"
    if not os.path.exists(feat_path):
        env = dict(os.environ, TALIGN_EXP_FEATS="1", RAYON_NUM_THREADS="1")
        p = subprocess.run([bin_, "align", "-q", "--words", "--phones", rec["audio"], rec["transcript"], "-o", json_path],
                           env=env, capture_output=True, text=True)
        open(feat_path, "w").write(p.stderr)
    feats = {}
    for line in open(feat_path):
        if line.startswith("FEAT "):
            _, start, end, first_fit, pre, post = (line.rstrip("\n").split(" ") + [""] * 6)[:6]
            feats[int(start)] = (float(first_fit), [(c[0], float(c[1:])) for c in pre.split(",") if c],
                                 [float(c) for c in post.split(",") if c])
    return json.load(open(json_path)), feats


def clip(v):
    return max(-10.0, min(10.0, v))


def word_features(turn_conf, w, feat):
    first_fit, pre, post = feat
    pause = [v for k, v in pre[-4:] if k == "p"]
    after_pause = 1.0 if pre and pre[-1][0] == "p" else 0.0
    return {
        "turn": turn_conf,
        "fit": max(FLOOR, w["fit"]),
        "len": math.log1p(max(0.0, w["end"] - w["start"])),
        "pause_lead": clip(sum(pause) / len(pause)) if pause else 0.0,
        "onset_lead": clip(sum(post) / len(post)) if post else 0.0,
        "first_fit": max(FLOOR, first_fit),
        "after_pause": after_pause,
        "pause_frames": sum(1 for k, _ in pre if k == "p") / 8.0,
        "pre_max": clip(max((v for _, v in pre), default=0.0)),
        "tail_lead": clip(sum(v for k, v in pre[-4:] if k == "w") / max(1, sum(1 for k, _ in pre[-4:] if k == "w"))),
        "onset_max": clip(max(post, default=0.0)),
    }


def rows(rec, aligned, feats):
    tw = eval_set.truth_words(rec["t"])
    turns = aligned["turns"]
    if None in tw:
        groups = [([(a, w) for a in turns for w in (a.get("words") or [])], tw[None])]
    else:
        groups = [([(a, w) for a in turns if a["line"] == line for w in (a.get("words") or [])], ws)
                  for line, ws in tw.items()]
    missing = 0
    out = []
    for aw, ws in groups:
        turn_of = {id(w): a for a, w in aw}
        for w, tr in eval_set.pair([w for _, w in aw], ws):
            if w is None or w.get("fit") is None:
                continue
            f = feats.get(int(round(w["start"] * 100)))
            if f is None:
                missing += 1
                continue
            out.append((word_features(turn_of[id(w)]["confidence"], w, f),
                        1.0 if abs(w["start"] - tr["start"]) <= 0.1 else 0.0))
    return out, missing


def fit_on(per_rec, fams, keys):
    """Weights and log loss over the recordings of `fams`, each family weighted to the same
    total (as scripts/fit_word_confidence.py)."""
    counts = {f: sum(len(r) for g, r in per_rec.values() if g == f) for f in fams}
    xs, ys, ws = [], [], []
    for fam, rs in per_rec.values():
        if fam in fams:
            for x, y in rs:
                xs.append([1.0] + [x[k] for k in keys])
                ys.append(y)
                ws.append(sum(counts.values()) / (len(fams) * counts[fam]))
    return weighted_fit(xs, ys, ws)


def share(per_rec, fam, confidence):
    """(off in their recording's lowest decile, off), pooled over family `fam` ("all": every
    one), with `confidence(features)`."""
    low = off = 0
    for g, rs in per_rec.values():
        if fam in (g, "all"):
            l, o = decile_share([(confidence(x), y) for x, y in rs])
            low, off = low + l, off + o
    return low, off


def model(w, keys):
    return lambda x: sigmoid(w, [1.0] + [x[k] for k in keys])


def main():
    bin_, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    per_rec = {}
    for rec in eval_set.recordings():
        if not eval_set.truth_words(rec["t"]):
            continue
        aligned, feats = run(bin_, rec, out)
        rs, missing = rows(rec, aligned, feats)
        print(f"{rec['name']}: {len(rs)} words, {missing} without features, {sum(1 for _, y in rs if not y)} off > 0.1 s",
              file=sys.stderr)
        per_rec[rec["name"]] = (rec["family"], rs)
    fams = sorted({f for f, _ in per_rec.values()})
    line = lambda confidence: "  ".join("%s %d/%d" % ((f,) + share(per_rec, f, confidence)) for f in fams + ["all"])
    for name, keys in SETS.items():
        w, loss = fit_on(per_rec, fams, keys)
        print(f"{name:14s} loss {loss:.4f}  " + line(model(w, keys)))
        print("   weights", " ".join(f"{k}={v:+.3f}" for k, v in zip(["1"] + keys, w)))
    # The shipped model (crates/core/src/align/heard.rs WORD), and the turn's confidence as
    # a factor of a word model without it: a word is no surer than its turn.
    shipped = [4.204, 1.614, 0.762, -3.024]
    variants = {"shipped WORD": lambda x: sigmoid(shipped, [1.0, x["turn"], x["fit"], x["len"]])}
    for name, keys in (("turn x (fit, len)", ["fit", "len"]), ("turn x (fit, len, pause, onset)", ["fit", "len", "pause_lead", "onset_lead"])):
        w, _ = fit_on(per_rec, fams, keys)
        print(f"{name}: weights", " ".join(f"{k}={v:+.3f}" for k, v in zip(["1"] + keys, w)))
        own = model(w, keys)
        variants[name] = (lambda own: lambda x: x["turn"] * own(x))(own)
        variants[name.replace("turn x", "min(turn,") + ")"] = (lambda own: lambda x: min(x["turn"], own(x)))(own)
        variants[name.replace("turn x", "alone")] = own
    for name, f in variants.items():
        print(f"{name:32s} " + line(f))


def held_out(out_dir):
    """Each family's share with the model fitted on the other families alone."""
    per_rec = {}
    for rec in eval_set.recordings():
        if eval_set.truth_words(rec["t"]):
            aligned, feats = run(None, rec, out_dir)
            per_rec[rec["name"]] = (rec["family"], rows(rec, aligned, feats)[0])
    fams = sorted({f for f, _ in per_rec.values()})
    for keys in (["fit", "len"], ["fit", "len", "pause_lead", "onset_lead"]):
        line = []
        for held in fams:
            own = model(fit_on(per_rec, [f for f in fams if f != held], keys)[0], keys)
            low, off = share(per_rec, held, lambda x: min(x["turn"], own(x)))
            line.append(f"{held} {low}/{off}")
        print(f"held out, min(turn, {', '.join(keys)}): " + "  ".join(line))


if __name__ == "__main__":
    main()
    held_out(sys.argv[2])
