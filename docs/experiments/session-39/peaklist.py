"""Session 39: what the heap holds at its peak, by block (size, calls, the first talign frames).
   heaptrack_print -f OUT.zst --print-peaks 1 --print-allocators 0 --print-leaks 0 \
     --print-temporary 0 --peak-limit 100 > PEAKS.txt; python3 peaklist.py PEAKS.txt"""
import re, sys
lines = open(sys.argv[1]).read().splitlines()
for i, l in enumerate(lines):
    m = re.match(r'^(\s*)([0-9.]+)([KMG]?)B? consumed over (\d+) calls from', l)
    if not m or m.group(1):
        continue
    v = float(m.group(2)) * {'K': 1e-3, 'M': 1, 'G': 1e3, '': 1e-6}[m.group(3)]
    frames = []
    for s in lines[i + 1:i + 40]:
        if re.match(r'^\S.*consumed over', s):
            break
        s = s.strip()
        if 'talign::' in s and 'raw_vec' not in s and 'RawVec' not in s and len(frames) < 3:
            frames.append(re.sub(r'::h[0-9a-f]{16}$', '', s).replace('talign::', ''))
    if v > 0.2:
        print(f"{v:6.2f} {m.group(4):>7} {' < '.join(frames)[:180]}")
