#!/usr/bin/env bash
# The README's test command: installs what the tests need when it is missing, then runs them.
#   scripts/test.sh [extra cargo test arguments]
# Needs: the Rust toolchain. Installs (Debian/Ubuntu, apt-get; as root or with sudo):
# espeak-ng — talign's reference voice and its source of pronunciations for words the
# dictionary lacks, loaded at run time as libespeak-ng.so.1; chromium and chromium-driver —
# the review page's tests drive headless Chromium over WebDriver (tests/integration/review.rs).
# The acoustic model and its dictionary are vendored under models/, so nothing else is fetched.
# Tests are built with the `ci` profile: optimised like release but without full LTO,
# which alone took most of a cold run on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
ldconfig -p 2>/dev/null | grep -q 'libespeak-ng\.so\.1' || need+=(espeak-ng)
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing ${need[*]} (needed by the tests)" >&2
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  if ! command -v apt-get >/dev/null; then
    echo "test.sh: apt-get not found; install ${need[*]} with your package manager, then rerun" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${need[@]}"
  # The downloaded .debs (chromium's are large) are not needed once installed.
  "${sudo[@]}" apt-get clean
fi
cargo test --profile ci "$@"
