#!/usr/bin/env python3
"""Session 36: the peak heap of two heaptrack recordings, by the first talign function on each
allocation's stack (allocator and collection frames skipped), and what grew between them.

    heaptrack -o OUT-x2 BIN align -q /tmp/talign-long/kerry-x2.mp3 /tmp/talign-long/kerry-x2.txt -o x2.json
    heaptrack -o OUT-x17 BIN align -q /tmp/talign-long/kerry-x17.mp3 /tmp/talign-long/kerry-x17.txt -o x17.json
    python3 docs/experiments/session-36/heap_peaks.py OUT-x2.zst OUT-x17.zst
"""
import re,subprocess,sys
def blocks(f):
    out=subprocess.run(['heaptrack_print','-f',f,'--print-peaks','1','--print-allocators','0','--print-leaks','0','--print-temporary','0','--peak-limit','80'],capture_output=True,text=True).stdout.splitlines()
    res={}
    cur=None
    for l in out:
        m=re.match(r'^\s*([0-9.]+)([KMG]?) consumed over \d+ calls from',l)
        if m:
            v=float(m.group(1))*{'K':1/1024,'M':1,'G':1024,'':1/1024/1024}[m.group(2)]
            cur=[v,None]; continue
        if cur and cur[1] is None:
            s=l.strip()
            if s.startswith('in ') or s.startswith('at '): continue
            if 'talign::' in s and not re.search(r'raw_vec|RawVec|spill\.\.|SpillVec|alloc::|core::iter|Extend',s):
                name=re.sub(r'::h[0-9a-f]{16}$','',s)
                cur[1]=name; res[name]=res.get(name,0)+cur[0]
    return res
a=blocks(sys.argv[1]); b=blocks(sys.argv[2])
for k in sorted(set(a)|set(b), key=lambda k:-(b.get(k,0)-a.get(k,0)))[:30]:
    print(f"{a.get(k,0):7.2f} {b.get(k,0):7.2f} {b.get(k,0)-a.get(k,0):+7.2f} {k[:120]}")
