"""Session 41: where the peak heap grows with the recording's length. Two heaptrack runs of
`talign align` (e.g. on scripts/bench_long.sh's kerry-x2 and kerry-x7), each turned into a
peak flamegraph file (`heaptrack_print -f RUN.zst --flamegraph-cost-type peak -F OUT.txt`),
summed by their innermost talign frames (DEPTH of them):

    python3 docs/experiments/session-41/heap_growth.py FG_SHORT.txt FG_LONG.txt DEPTH

prints MB at the peak for each, and the difference.
"""
import sys, re, collections
def agg(path, depth):
    c=collections.Counter()
    for line in open(path):
        stack, _, v = line.rstrip().rpartition(' ')
        frames=stack.split(';')
        # keep talign frames, from outermost
        t=[re.sub(r'::h[0-9a-f]{16}$','',f) for f in frames if 'talign' in f]
        t=[f for f in t if 'main' not in f]
        key=';'.join(x.replace('talign::','') for x in t[-depth:]) if t else frames[-1][:60]
        c[key]+=int(v)
    return c
d=int(sys.argv[3])
a=agg(sys.argv[1],d); b=agg(sys.argv[2],d)
rows=sorted(set(a)|set(b), key=lambda k: -(b[k]))
for k in rows[:40]:
    print(f"{a[k]/1e6:8.2f} {b[k]/1e6:8.2f} {(b[k]-a[k])/1e6:+7.2f}  {k[:200]}")
