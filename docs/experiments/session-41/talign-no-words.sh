#!/bin/sh
# Session 41: `talign sync --no-words` for scripts/eval_sync.py's --talign (the speech-only
# path every non-English subtitle file takes): TALIGN_BIN=/path/to/talign this-script ...
exec "${TALIGN_BIN:?set TALIGN_BIN to a talign binary}" "$@" --no-words
