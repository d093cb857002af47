"""Per-cue start errors of a loose-splits output (session 50): python3 cue_errors.py DIR NAME [OUT]

DIR is an eval_sync.py --out directory (its NAME.truth.srt, NAME.wav, jfk.wav)."""
import sys, os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'scripts'))
import eval_sync as E
d, name = sys.argv[1], sys.argv[2]
out = sys.argv[3] if len(sys.argv) > 3 else f'{d}/{name}.loose-splits.talign.srt'
truth_cues = [(s, s, x) for s, x in E.read_cues(f'{d}/{name}.truth.srt')]
# truth ends unknown from read_cues; edit() only needs starts and gap_after uses ends -> reread ends
import re
def full(path):
    t = open(path, encoding='utf-8-sig').read().replace('\r\n', '\n')
    res = []
    for b in re.split(r'\n\s*\n', t):
        L = b.strip('\n').split('\n')
        for i, l in enumerate(L):
            m = re.match(r'\s*(\d+):(\d\d):(\d\d)[,.](\d+)\s*-->\s*(\d+):(\d\d):(\d\d)[,.](\d+)', l)
            if m:
                g = m.groups()
                a = int(g[0])*3600+int(g[1])*60+int(g[2])+int(g[3])/1000
                b2 = int(g[4])*3600+int(g[5])*60+int(g[6])+int(g[7])/1000
                res.append((a, b2, ' '.join(L[i+1:])))
                break
    return res
cues = full(f'{d}/{name}.truth.srt')
_, truth = E.edit(name, f'{d}/{name}.wav', cues, d, f'{d}/jfk.wav')
got = E.read_starts(out)
bad = [(k, g - t) for k, (g, t) in enumerate(zip(got, truth)) if t is not None and abs(g - t) > 0.05]
print(len(bad), 'off >50ms of', sum(t is not None for t in truth))
print('cut cues:', [k for k, t in enumerate(truth) if t is None])
for k, e in bad:
    print(k, round(e, 3), cues[k][2][:50])
