#!/usr/bin/env bash
# `talign batch` on a real Slurm: starts a single-node cluster (Debian slurm-wlm and munge,
# as root, config in a temporary folder, no cgroups), submits docs/batch/talign-array.sbatch
# as a 4-task array over a manifest of short espeak-ng recordings, and checks that every item
# was aligned by the shard it belongs to, its outputs read back, and the merged report counts
# them all. Then stops the daemons. Fails when the packages cannot be installed.
#
#   scripts/slurm_ci.sh [--talign target/ci/talign] [--items 12]
#
# Prints the array's wall time and the same batch's on one node without Slurm (docs/batch.md).
set -euo pipefail
cd "$(dirname "$0")/.."
talign=target/ci/talign
items=12
while [ $# -gt 0 ]; do
  case $1 in
    --talign) talign=$2; shift 2 ;;
    --items) items=$2; shift 2 ;;
    *) echo "usage: $0 [--talign PATH] [--items N]" >&2; exit 2 ;;
  esac
done
talign=$(realpath "$talign")
[ -x "$talign" ] || { echo "slurm_ci: $talign is not built (cargo build --profile ci)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "slurm_ci: run as root (it starts munged, slurmctld and slurmd)" >&2; exit 2; }
started=$(date +%s.%N)

need=()
for tool in slurmctld slurmd sbatch munged espeak-ng; do
  command -v "$tool" >/dev/null || need+=("$tool")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "slurm_ci: installing slurm-wlm munge espeak-ng (missing: ${need[*]})" >&2
  export DEBIAN_FRONTEND=noninteractive
  packages=(slurm-wlm munge espeak-ng)
  apt-get install -y -q --no-install-recommends "${packages[@]}" >"/tmp/slurm_ci.apt.log" 2>&1 \
    || { apt-get update -q && apt-get install -y -q --no-install-recommends "${packages[@]}"; } \
      >>"/tmp/slurm_ci.apt.log" 2>&1 \
    || { tail -n 20 /tmp/slurm_ci.apt.log >&2;
         echo "slurm_ci: apt-get could not install ${packages[*]}" >&2; exit 1; }
fi
installed=$(date +%s.%N)

work=$(mktemp -d /tmp/talign-slurm.XXXXXX)
chmod 755 "$work"
munged_pid='' ctld_pid='' slurmd_pid=''
stop() {
  # Only the daemons this script started, by their pids.
  for pid in $slurmd_pid $ctld_pid $munged_pid; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $slurmd_pid $ctld_pid $munged_pid; do
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  done
}
fail() {
  echo "slurm_ci: $*" >&2
  for log in "$work"/slurmctld.log "$work"/slurmd.log "$work"/logs/*; do
    [ -f "$log" ] && { echo "--- $log" >&2; tail -n 20 "$log" >&2; }
  done
  exit 1
}
trap stop EXIT

# munge: its own key and socket in the work folder, run as the munge user.
install -d -o munge -g munge -m 700 "$work/munge"
install -o munge -g munge -m 400 /dev/null "$work/munge/munge.key"
head -c 1024 /dev/urandom > "$work/munge/munge.key"
socket="$work/munge/munge.socket"
runuser -u munge -- /usr/sbin/munged --foreground --force --key-file="$work/munge/munge.key" \
  --socket="$socket" --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" \
  --seed-file="$work/munge/munged.seed" >"$work/munge/munged.out" 2>&1 &
munged_pid=$!
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || fail "munged did not start"

# Slurm: one node (this machine, as slurmd -C describes it), one partition, no cgroups.
node=$(hostname -s)
mkdir -p "$work/state" "$work/spool" "$work/logs"
cat > "$work/slurm.conf" <<EOF
ClusterName=talignci
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
SlurmctldPort=46817
SlurmdPort=46818
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
$(slurmd -C | head -n 1) NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=ci Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
EOF
export SLURM_CONF=$work/slurm.conf
slurmctld -D -i -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
ctld_pid=$!
slurmd -D -f "$SLURM_CONF" >"$work/slurmd.out" 2>&1 &
slurmd_pid=$!
for _ in $(seq 100); do
  state=$(sinfo -h -n "$node" -o %t 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.2
done
[ "$state" = idle ] || fail "the node did not come up (state: ${state:-none})"
daemons=$(date +%s.%N)

# A manifest of short recordings: espeak-ng speaking a two-speaker exchange each.
mkdir -p "$work/archive/talks"
echo "audio,transcript" > "$work/archive/list.csv"
numbers=(one two three four five six seven eight nine ten eleven twelve)
for i in $(seq "$items"); do
  a="Good morning. Thank you all for coming today."
  b="We will talk about the budget for week ${numbers[$(( (i - 1) % 12 ))]}."
  espeak-ng -w "$work/archive/talks/item$i.wav" "$a $b"
  printf 'ANNA: %s\nBEN: %s\n' "$a" "$b" > "$work/archive/talks/item$i.txt"
  echo "talks/item$i.wav,talks/item$i.txt" >> "$work/archive/list.csv"
done
made=$(date +%s.%N)

# The array, through the documented sbatch script; --wait returns when every task ends.
array_start=$(date +%s.%N)
TALIGN=$talign sbatch --wait --array=0-3 --cpus-per-task=1 --mem-per-cpu=500M \
  --output="$work/logs/%A_%a.out" docs/batch/talign-array.sbatch \
  "$work/archive/list.csv" "$work/out" --format json,srt >"$work/sbatch.out" \
  || fail "the array failed"
array_end=$(date +%s.%N)

# Every item aligned, by the shard it belongs to, its outputs readable.
python3 - "$work" "$items" <<'PY' || fail "outputs or results are wrong"
import json, sys, pathlib
work, items = pathlib.Path(sys.argv[1]), int(sys.argv[2])
out = work / "out"
seen = {}
for k in range(1, 5):
    path = out / f"results.{k}-of-4.jsonl"
    lines = [json.loads(l) for l in path.read_text().splitlines()]
    expected = [i for i in range(1, items + 1) if (i - 1) % 4 == k - 1]
    got = sorted(int(l["key"].removeprefix("talks/item").removesuffix(".json")) for l in lines)
    assert got == expected, f"shard {k}: items {got}, expected {expected}"
    for l in lines:
        assert l["status"] == "ok" and l["shard"] == f"{k}/4", l
        seen[l["key"]] = l
for i in range(1, items + 1):
    line = seen[f"talks/item{i}.json"]
    alignment = json.loads((out / f"talks/item{i}.json").read_text())
    assert [t["speaker"] for t in alignment["turns"]] == ["ANNA", "BEN"], alignment
    assert alignment["turns"][0]["start"] < alignment["turns"][1]["start"], alignment
    assert " --> " in (out / f"talks/item{i}.srt").read_text()
    assert line["aligned"]["turns"] == 2 and line["peak_memory_mib"] > 0, line
print(f"slurm_ci: {items} items aligned by 4 array tasks, every output read back", file=sys.stderr)
PY
"$talign" batch --merge "$work/out" -q || fail "merge reported failures"
grep -q "<td>$items</td><td>$items</td><td>0</td><td>0</td>" "$work/out/report.html" \
  || fail "report.html does not count $items ok items"

# The same batch on this node without Slurm, for docs/batch.md.
one_start=$(date +%s.%N)
"$talign" batch "$work/archive/list.csv" --out "$work/one" --format json,srt -q --jobs 2 \
  || fail "the batch without Slurm failed"
one_end=$(date +%s.%N)
stop
trap - EXIT
ended=$(date +%s.%N)
awk -v i="$installed" -v s="$started" -v d="$daemons" -v m="$made" -v as="$array_start" \
  -v ae="$array_end" -v os="$one_start" -v oe="$one_end" -v e="$ended" -v n="$items" 'BEGIN {
  printf "slurm_ci: %d items: Slurm array (4 tasks, 1 CPU each) %.1f s; same batch, one node, --jobs 2, no Slurm %.1f s\n", n, ae - as, oe - os
  printf "slurm_ci: install check %.1f s, daemons up %.1f s, recordings %.1f s, total %.1f s\n", i - s, d - i, m - d, e - s
}' >&2
rm -rf "$work"
