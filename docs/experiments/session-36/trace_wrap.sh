#!/bin/bash
# Session 36: stands in for talign under scripts/eval_set.py (--bin this script), running the
# experiment build $TRACE_BIN (HEAD with edge-rules-trace.patch or rule-trace.patch) with the
# traces on, appending each run's trace lines (R3: a heard start moved to its chunk's start;
# R4: a heard end moved to its speech's end; RULE: a turn a placement rule moved by more
# than 0.1 s) to $TRACE_LOG, after a "RUN <args>" line.
#
#   TRACE_BIN=BIN TRACE_LOG=LOG python3 scripts/eval_set.py --bin docs/experiments/session-36/trace_wrap.sh --compare --out DIR
#   python3 docs/experiments/session-36/edge_moves.py LOG
set -u
out=$(mktemp)
TALIGN_EXP_R3_TRACE=1 TALIGN_EXP_RULE_TRACE=1 "$TRACE_BIN" "$@" 2>"$out"
rc=$?
{ echo "RUN $*"; grep -E "^(R[34]|RULE) " "$out"; } >> "$TRACE_LOG"
grep -vE "^(R[34]|RULE) " "$out" >&2
rm -f "$out"
exit $rc
