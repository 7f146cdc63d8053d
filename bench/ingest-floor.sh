#!/usr/bin/env bash
# What bounds a durable receiver on one association, measured: storescu (dcmtk) sends the next instance only after
# the answer to the last, so every cycle holds storescu's own work for an instance and, for a receiver that flushes
# before answering, one flush of the disk. Their sum against storescp's whole cycle is the most any such receiver
# can reach against storescp on this machine. Pushes one association of 64x64 CT frames (PER_SET instances a push)
# alternately to storescp (--fork, no fsync) and to Myoflow's node (fsync on), RUNS times each after the warm-up
# ingest.sh gives, timing each push and storescu's CPU (user + system); then the disk's fdatasync of a 12 KB
# overwrite in a preallocated file (median of 500, as ingest.sh measures it). Prints a table; appends nothing.
# Usage: bench/ingest-floor.sh [PER_SET] [RUNS]   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/ingest-common.sh
n="${1:-2400}"; runs="${2:-4}"
jar="${MYOFLOW_JAR:-infra/target/myoflow.jar}"
[ -f "$jar" ] || mvn -q -B -DskipTests package
export TCP_NODELAY=1
work=$(mktemp -d "${TMPDIR:-/tmp}/myoflow-bench-floor.XXXXXX")
cleanup() { kill "${node_pid:-}" "${scp_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
node_port=$(free_port); scp_port=$(free_port)
seed=7000
gen() { gen_set "$jar" "$work/sets/$1" "$2" "$3" "$seed"; seed=$((seed + 10)); } # gen NAME MATRIX COUNT
echo "generating instance sets in $work ..." >&2
gen warm 64 12000; gen warm-1 64 "$n"
for r in $(seq "$runs"); do gen "m$r" 64 "$n"; gen "s$r" 64 "$n"; done

mkdir -p "$work/storescp-out"
storescp --fork -aet STORESCP -od "$work/storescp-out" "$scp_port" >/dev/null 2>&1 & scp_pid=$!
MYOFLOW_LOG_LEVEL=WARN java -XX:+UseParallelGC -jar "$jar" dicom-node --home "$work/node" --port "$node_port" \
  --quiet-seconds 3600 > "$work/node.out" 2>&1 & node_pid=$!
for _ in $(seq 100); do grep -q listening "$work/node.out" && break; sleep 0.2; done

warm_push() { # the same warm-up for both: 12000 small instances on four associations, then one untimed push
  local ae=$1 p=$2 pids=() s
  for s in "$work/sets/warm"/s*; do storescu -aec "$ae" -aet BENCH +sd 127.0.0.1 "$p" "$s" >/dev/null 2>&1 & pids+=($!); done
  wait "${pids[@]}"
  storescu -aec "$ae" -aet BENCH +sd +r 127.0.0.1 "$p" "$work/sets/warm-1" >/dev/null 2>&1
}
warm_push MYOFLOW "$node_port"; warm_push STORESCP "$scp_port"

TIMEFORMAT='%3U %3S'
timed() { # timed AE PORT DIR -> "wall_us_per_instance storescu_cpu_us_per_instance"
  local t0 t1 cpu
  sync
  t0=$(date +%s%N)
  cpu=$( { time storescu -aec "$1" -aet BENCH +sd +r 127.0.0.1 "$2" "$3" >/dev/null 2>&1; } 2>&1 )
  t1=$(date +%s%N)
  read -r u s <<< "$cpu"
  echo "$(( (t1 - t0) / 1000 / n )) $(/usr/bin/python3 -c "print(round(($u + $s) * 1e6 / $n))")"
}
rows=()
for r in $(seq "$runs"); do
  rows+=("$r $(timed STORESCP "$scp_port" "$work/sets/s$r") $(timed MYOFLOW "$node_port" "$work/sets/m$r")")
done

read -r fdatasync_ms _ < <(disk_probe "$work/probe")
/usr/bin/python3 - "$fdatasync_ms" "$n" "${rows[@]}" <<'PY'
import os, sys
flush, n, rows = float(sys.argv[1]) * 1e3, int(sys.argv[2]), [list(map(int, r.split())) for r in sys.argv[3:]]
print(f"One association, {n} x 64x64 CT per push; us per instance. This machine: {os.cpu_count()} cores; "
      f"fdatasync of a 12 KB overwrite (median of 500): {flush:.0f} us.\n")
print("| run | storescp cycle | storescu CPU (to storescp) | Myoflow cycle | storescu CPU (to Myoflow) "
      "| floor: storescu CPU + fdatasync | most a flushing receiver can reach |")
print("|---|---:|---:|---:|---:|---:|---:|")
for r, scp, scp_cpu, node, node_cpu in rows:
    floor = scp_cpu + flush
    print(f"| {r} | {scp} | {scp_cpu} | {node} | {node_cpu} | {floor:.0f} | {scp / floor:.2f}x storescp "
          f"(Myoflow {scp / node:.2f}x) |")
PY
