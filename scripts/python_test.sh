#!/usr/bin/env bash
# Builds the Python package (python/: pyo3 + maturin, an abi3 wheel carrying the acoustic
# model), installs the wheel and runs its pytest suite against the command line.
#   scripts/python_test.sh [extra pytest arguments]
# Run after scripts/test.sh (CI does): the wheel is built with the same `ci` profile in the
# same target directory ($CARGO_TARGET_DIR, else target/), so it reuses the library the
# tests compiled, and the tests compare its output with target/ci/talign.
# Installs with pip when missing (as root on Debian: --break-system-packages): maturin,
# pytest, numpy, pandas, dask (pinned; dask runs the example's --dask).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
mkdir -p "$target"
target=$(cd "$target" && pwd)
pins=(maturin==1.16.0 pytest==9.2.0 numpy==2.4.6 pandas==3.1.1 dask==2026.8.0)
need=()
python3 -c 'import maturin' 2>/dev/null || need+=("${pins[0]}")
python3 -c 'import pytest' 2>/dev/null || need+=("${pins[1]}")
python3 -c 'import numpy' 2>/dev/null || need+=("${pins[2]}")
python3 -c 'import pandas' 2>/dev/null || need+=("${pins[3]}")
python3 -c 'import dask.bag' 2>/dev/null || need+=("${pins[4]}")
if [ ${#need[@]} -gt 0 ]; then
  echo "python_test.sh: installing ${need[*]}" >&2
  python3 -m pip install -q "${need[@]}" 2>/dev/null \
    || python3 -m pip install -q --break-system-packages "${need[@]}"
fi

# The wheel reuses the tests' build of the library only when both builds give its
# dependencies the same features (Cargo.toml's build-dependency on syn and
# python/Cargo.toml's feature-only dependencies see to it). A difference costs minutes of
# compiling, not correctness: said here, not fatal.
features() {
  cargo tree --offline "$@" --prefix none -f '{p}|{f}' 2>/dev/null | sed 's/ (\*)//' \
    | LC_ALL=C sort -u | LC_ALL=C sort -s -t'|' -k1,1
}
differ=$(LC_ALL=C join -t'|' -j1 <(features -p talign-python -e normal,build) \
  <(features -p talign -p talign-core -e normal,build,dev) | awk -F'|' '$2 != $3 {print $1}' || true)
if [ -n "$differ" ]; then
  echo "python_test.sh: warning: the wheel and the tests build these with other features, so" \
    "the library is compiled twice: $(echo "$differ" | tr '\n' ' ')" >&2
fi

start=$(date +%s)
rm -f "$target"/wheels/talign-*.whl
python3 -m maturin build --profile ci --manifest-path python/Cargo.toml --interpreter python3 \
  --out "$target/wheels" >&2
python3 -m pip install -q --force-reinstall --no-deps "$target"/wheels/talign-*.whl 2>/dev/null \
  || python3 -m pip install -q --force-reinstall --no-deps --break-system-packages \
    "$target"/wheels/talign-*.whl
built=$(date +%s)
# Run from the repository root, so `import talign` finds the installed wheel, not python/talign.
TALIGN_CLI="$target/ci/talign" python3 -m pytest -q python/tests "$@"
echo "python_test.sh: wheel built and installed in $((built - start)) s, tested in" \
  "$(($(date +%s) - built)) s" >&2
