#!/usr/bin/env bash
# Session 42: scripts/eval_sync.py's "real" recording made of non-English speech, so the sync
# of subtitles in another language is measured (offset, ratio, splits; mismatched pairs).
#   docs/experiments/session-42/other_language_sync.sh BIN WORK SET [MODE]
# SET:  spanish       the Drascula Spanish scenes, dry and in the meeting room (session 41's set)
#       spanish-hall  the same two scenes in the hall
#       czech         Festival's Czech dialogue (untranscribed Dutch lines as `[speech]` cues)
#       distinct      four recordings of different material (Spanish x2, Czech, French), for
#                     the mismatched pairs
# MODE: words (default: talign as it runs), no-words (talign --no-words), or a tool list for
#       eval_sync.py's --tools (e.g. alass,ffsubsync).
# Prints the table; rows in WORK/sync/results.json.
set -euo pipefail
cd "$(dirname "$0")/../../.."
bin=$(readlink -f "$1") work=$2 set=$3 mode=${4:-words}
rm -rf "$work/data" "$work/sync"; mkdir -p "$work/data/real"
for x in eval-out/*; do
  [ "$(basename "$x")" = real ] || ln -s "$(readlink -f "$x")" "$work/data/$(basename "$x")"
done
for r in eval-out/real/* eval-out/reverb/*; do
  [ -d "$r" ] && ln -s "$(readlink -f "$r")" "$work/data/real/$(basename "$r")"
done
# Festival's Czech dialogue in the layout eval_sync.py reads (audio.wav, truth.json).
cz=$work/data/real/festival-czech-dialogue
mkdir -p "$cz"
ffmpeg -nostdin -v error -y -i eval-out/festival-czech/czech-dialogue.mp3 -ar 16000 -ac 1 \
  -c:a pcm_s16le "$cz/audio.wav"
cp eval-out/festival-czech/czech-dialogue.truth.json "$cz/truth.json"
case $set in
  spanish) parts=drascula-es-ch1,drascula-es-ch2-village,room-drascula-es-ch1,room-drascula-es-ch2-village ;;
  spanish-hall) parts=hall-drascula-es-ch1,hall-drascula-es-ch2-village ;;
  czech) parts=festival-czech-dialogue ;;
  distinct) parts=drascula-es-ch1,drascula-es-ch2-village,festival-czech-dialogue,transcriber-frint ;;
  *) echo "unknown set $set" >&2; exit 2 ;;
esac
tools=talign talign=$bin
case $mode in
  words) ;;
  no-words)
    printf '#!/bin/sh\nexec %s "$@" --no-words\n' "$bin" > "$work/talign-no-words"
    chmod +x "$work/talign-no-words"; talign=$work/talign-no-words ;;
  *) tools=$mode ;;
esac
extra=(--no-mismatches)
[ "$set" = distinct ] && extra=(--variants none)
python3 scripts/eval_sync.py --tools "$tools" --only real "${extra[@]}" --real-parts "$parts" \
  --data "$work/data" --out "$work/sync" --talign "$talign" > "$work/sync.log" 2>&1
grep -A10 '^| recording' "$work/sync.log"
grep -A20 '^mismatched' "$work/sync.log" || true
