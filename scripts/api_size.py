#!/usr/bin/env python3
"""Counts the library's public items and its lines per module (issue 14's measure).

    python3 scripts/api_size.py [REV]     # REV: a git revision (default: the work tree)

Public items: declarations marked `pub` (not `pub(crate)` / `pub(super)` / `pub(in ...)`) —
fn, struct, enum, trait, type, const, static, mod, macro re-exports and `pub use` — in the
library's sources (`src/` minus `src/bin/` before the workspace split, `crates/core/src/`
after), in files reachable from the crate root through `pub mod` declarations (a file
behind a private `mod` is internal, as are `#[cfg(test)]` modules); struct fields and enum
variants do not count. Lines per module: per top-level module (a file or a folder),
code and comment lines together, tests included.
"""

import collections
import re
import subprocess
import sys

ITEM = re.compile(r"^\s*pub\s+(?:unsafe\s+|async\s+|const\s+(?=fn))*(fn|struct|enum|trait|type|const|static|mod|use|macro)\b")


def files(rev):
    if rev:
        names = subprocess.run(["git", "ls-tree", "-r", "--name-only", rev], capture_output=True, text=True, check=True).stdout.split()
        read = lambda p: subprocess.run(["git", "show", f"{rev}:{p}"], capture_output=True, text=True, check=True).stdout
    else:
        names = subprocess.run(["git", "ls-files"], capture_output=True, text=True, check=True).stdout.split()
        read = lambda p: open(p, encoding="utf-8").read()
    root = "crates/core/src/" if any(n.startswith("crates/core/src/") for n in names) else "src/"
    for n in names:
        if n.startswith(root) and n.endswith(".rs") and not n.startswith("src/bin/"):
            yield n[len(root):], read(n)


def public_modules(sources):
    """Module paths (tuples) declared `pub mod` all the way from the crate root."""
    declared = {}
    for path, text in sources.items():
        parts = path.removesuffix(".rs").split("/")
        if parts[-1] in ("mod", "lib"):
            parts = parts[:-1]
        for m in re.finditer(r"^\s*(pub\s+)?mod\s+(\w+)\s*;", text, re.M):
            declared[tuple(parts) + (m.group(2),)] = bool(m.group(1))
    return {mod for mod in declared if all(declared.get(mod[:i + 1], False) for i in range(len(mod)))}


def main():
    rev = sys.argv[1] if len(sys.argv) > 1 else None
    items = collections.Counter()
    lines = collections.Counter()
    sources = dict(files(rev))
    public = public_modules(sources)
    for path, text in sources.items():
        module = path.split("/")[0].removesuffix(".rs")
        lines[module] += text.count("\n")
        parts = path.removesuffix(".rs").split("/")
        if parts[-1] in ("mod", "lib"):
            parts = parts[:-1]
        if parts and tuple(parts) not in public:
            continue
        text = text.split("#[cfg(test)]")[0]
        for line in text.splitlines():
            m = ITEM.match(line)
            if m:
                items[m.group(1)] += 1
    print(f"public items ({rev or 'work tree'}): {sum(items.values())} — " + ", ".join(f"{k} {v}" for k, v in items.most_common()))
    print("lines per module: " + ", ".join(f"{k} {v}" for k, v in sorted(lines.items(), key=lambda kv: -kv[1])))
    print(f"total lines: {sum(lines.values())}")


if __name__ == "__main__":
    main()
