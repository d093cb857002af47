#!/bin/bash
# Session 44: each pair of session 42's four non-English recordings (matched and mismatched)
# synced by BIN, with what decided: the words, or the speech where the cues fit best in place
# (the count from the note or the refusal). Run after
#   docs/experiments/session-42/other_language_sync.sh BIN WORK distinct
# which leaves the pieces' subtitles in WORK/sync.
#   docs/experiments/session-44/heard_here_pairs.sh BIN WORK
B=$(readlink -f "$1") W=$(readlink -f "$2")
names="drascula-es-ch1 drascula-es-ch2-village festival-czech-dialogue transcriber-frint"
for a in $names; do
  audio=$W/data/real/$a/audio.wav
  for b in $names; do
    r=$("$B" sync "$audio" "$W/sync/piece.$b.srt" -o /tmp/heard_here_pair.srt --progress none \
      --report json 2>&1)
    code=$?
    why=$(echo "$r" | grep -o "([0-9]* of [0-9]* cues fit best in place)\|only [0-9]* of [0-9]* cues' words\|[0-9]* of [0-9]* cues find no place\|\"evidence\": \"[a-z]*\"" | tr '\n' ' ')
    echo "$a audio / $b subtitles: exit $code; $why"
  done
done
