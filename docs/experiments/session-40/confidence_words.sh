#!/usr/bin/env bash
# Session 40: session 33's confidence_rooms.sh with the words in the raw outputs, so that
# scripts/fit_turn_confidence.py can read features of a turn's heard words
# (`--extra pause_share`, `--extra word_gap`).
#   cargo build --profile ci --example tune_heard
#   docs/experiments/session-40/confidence_words.sh TUNE_HEARD RAW LATTICE
#   python3 scripts/fit_turn_confidence.py RAW LATTICE [--with-copies] [--extra pause_share]
set -euo pipefail
RAW_EXTRA=words=1 exec "$(dirname "$0")/../session-33/confidence_rooms.sh" "$@"
