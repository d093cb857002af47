#!/usr/bin/env bash
# Reproduces the hostile-input classes of docs/reliability.md (CLI side: outputs, flags,
# refusals, messages) and prints one Markdown row per case: the command, its exit code, its
# wall time and what it said or did. Run from the repository root:
#   scripts/hostile.sh [path/to/talign]      (default: target/ci/talign; build it with
#                                             cargo build --profile ci)
# Works on copies in a temporary directory; never touches /dev/null or the sample files.
set -uo pipefail
cd "$(dirname "$0")/.."
talign=$(realpath "${1:-${CARGO_TARGET_DIR:-target}/ci/talign}")
[ -x "$talign" ] || { echo "hostile.sh: $talign not found; cargo build --profile ci" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp sample-audio/clip-kerry-45s.wav "$dir/clip.wav"
cp sample-audio/clip-kerry-45s.txt "$dir/clip.txt"
cd "$dir"

# row CLASS AFTER-CHECK -- COMMAND...: runs COMMAND, then AFTER-CHECK (a shell snippet whose
# output describes the side effect), and prints the row.
row() {
  local class=$1 after=$2; shift 3
  local start end code said
  start=$(date +%s.%N)
  "$@" >stdout.txt 2>stderr.txt
  code=$?
  end=$(date +%s.%N)
  said=$(grep -v '^talign: note:' stderr.txt | head -c 300 | tr '\n|' ' /')
  printf '| %s | `%s` | %d | %.2f s | %s %s |\n' "$class" "${*/#$talign/talign}" "$code" \
    "$(echo "$end - $start" | bc)" "$said" "$(eval "$after")"
}

mode() { stat -c '%a' "$1"; }
kind() { stat -c '%F' "$1"; }
sum() { md5sum <"$1" | cut -c1-8; }

echo "| class | command | exit | time | what it said / did |"
echo "|---|---|---|---|---|"
wav_sum=$(sum clip.wav)
row "-o names the recording" 'echo "(recording unchanged: $([ "$(sum clip.wav)" = "$wav_sum" ] && echo yes || echo NO))"' -- \
  "$talign" align -q clip.wav clip.txt -o clip.wav
ln -s clip.txt alias.txt
row "-o is a link to the transcript" 'echo "(link kept: $(kind alias.txt))"' -- \
  "$talign" align -q clip.wav clip.txt -o alias.txt
row "-o and --plot name one file" 'echo "(created: $([ -e same ] && echo YES || echo no))"' -- \
  "$talign" check -q clip.wav clip.txt --fix -o same --plot same
row "-o /dev/null (root: the device must survive)" 'echo "(/dev/null: $(kind /dev/null))"' -- \
  "$talign" vad -q clip.wav -o /dev/null
mkfifo out.fifo
(cat out.fifo > fifo.txt &)
row "-o a FIFO" 'sleep 0.2; echo "(FIFO kept: $(kind out.fifo); reader got $(wc -c <fifo.txt) bytes)"' -- \
  "$talign" vad -q --format csv clip.wav -o out.fifo
echo old > real.csv && chmod 640 real.csv && ln -s real.csv latest.csv
row "-o a symlink to a 640 file" 'echo "(link: $(kind latest.csv); target mode $(mode real.csv), $(head -c 9 real.csv))"' -- \
  "$talign" vad -q --format csv clip.wav -o latest.csv
row "-o /dev/stdout" 'echo "(stdout got $(wc -c <stdout.txt) bytes)"' -- \
  "$talign" vad -q --format csv clip.wav -o /dev/stdout
cp clip.txt t600.txt && chmod 600 t600.txt
row "check --fix --in-place on a 600 file" 'echo "(mode $(mode t600.txt), backup mode $(mode t600.txt.bak), backup = original: $(cmp -s t600.txt.bak clip.txt && echo yes || echo NO))"' -- \
  "$talign" check -q clip.wav t600.txt --fix --in-place
cp clip.txt t444.txt && chmod 444 t444.txt
row "check --fix --in-place on a 444 file" 'echo "(mode $(mode t444.txt), unchanged: $(cmp -s t444.txt clip.txt && echo yes || echo NO), backup: $([ -e t444.txt.bak ] && echo YES || echo none))"' -- \
  "$talign" check -q clip.wav t444.txt --fix --in-place
row "--min-confidence 2" 'true' -- "$talign" check -q clip.wav clip.txt --min-confidence 2
row "--min-confidence NaN" 'true' -- "$talign" check -q clip.wav clip.txt --min-confidence NaN
row "check -o without --fix" 'true' -- "$talign" check -q clip.wav clip.txt -o fixed.txt
row "check --fix --in-place -o" 'true' -- "$talign" check -q clip.wav clip.txt --fix --in-place -o x.txt
row "stderr is /dev/full" 'echo "(no panic: exit is not 101)"' -- \
  sh -c "\"$talign\" info /no/such.wav 2>/dev/full"
sox -n -r 16000 -c 1 tone.wav synth 2 sine 50 vol 0.5 2>/dev/null
row "a tone, no speech (message once)" 'echo "(\"no speech found\" said $(grep -o "no speech found" stderr.txt | wc -l) time(s))"' -- \
  "$talign" align -q --force tone.wav clip.txt -o out.json
sox clip.wav reversed.wav reverse
row "the recording reversed" 'echo "(written: $([ -e out.json ] && echo YES || echo no))"' -- \
  "$talign" align -q reversed.wav clip.txt -o out.json
printf 'Narrator\n\nThe recipe begins with flour, butter and a pinch of salt, rubbed together until the mixture looks like fine breadcrumbs. Add cold water one spoonful at a time and bring the dough together without kneading it.\n\nBaker\n\nWrap the pastry and let it rest in the refrigerator for half an hour, then roll it out on a floured board until it is thin enough to read a newspaper through.\n' > unrelated.txt
row "an unrelated transcript" 'echo "(written: $([ -e out.json ] && echo YES || echo no))"' -- \
  "$talign" align -q clip.wav unrelated.txt -o out.json
for i in 1 2 3 4 5 6 7 8 9 10; do cat clip.txt; done > tenfold.txt
row "ten times the text" 'echo "(written: $([ -e out.json ] && echo YES || echo no))"' -- \
  "$talign" align -q clip.wav tenfold.txt -o out.json
python3 -c "
import sys
with open('turns100k.txt', 'w') as f:
    for i in range(100000):
        f.write('Kerry\n\nword number %d here and there\n\n' % i)
with open('big50.txt', 'w') as f:
    for i in range(700000):
        f.write('Kerry\n\nword number %d here and there, said the man with the long beard.\n\n' % i)
"
row "100 000 turns (4 MB) against 48 s" 'echo "(written: $([ -e out.json ] && echo YES || echo no))"' -- \
  "$talign" align -q clip.wav turns100k.txt -o out.json
row "a 50 MB transcript against 48 s" 'echo "(written: $([ -e out.json ] && echo YES || echo no))"' -- \
  "$talign" align -q clip.wav big50.txt -o out.json
row "summary of a good run" 'true' -- "$talign" align clip.wav clip.txt -o good.json
