#!/usr/bin/env bash
# What a spool of received instances costs the DICOM node as it grows (the spool keeps every instance): live heap
# (`jcmd GC.class_histogram`, after a full GC) of a node with an empty spool, after receiving COUNT 64x64 CT instances
# on four associations (once their studies are converted), and after a restart on that spool; and the time from
# starting the JVM to listening, on the empty spool and on the full one, warm (median of RUNS) and, as root, cold
# (page cache dropped first). A restart reads every spooled instance's header before it listens. Prints, appends
# nothing. MYOFLOW_JAR picks the build (default infra/target/myoflow.jar), to run two builds one after the other.
# Usage: bench/spool-restart.sh [COUNT] [RUNS]   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/ingest-common.sh
count="${1:-12000}"; runs="${2:-3}"
jar="${MYOFLOW_JAR:-infra/target/myoflow.jar}"
[ -f "$jar" ] || mvn -q -B -DskipTests package
export TCP_NODELAY=1
work=$(mktemp -d "${TMPDIR:-/tmp}/myoflow-bench-restart.XXXXXX")
node_pid=
cleanup() { [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port=$(free_port)
echo "generating $count instances in $work ..." >&2
gen_set "$jar" "$work/set" 64 "$count" 4242
mkdir -p "$work/empty"

start() { # start HOME: leaves the node running (node_pid), the milliseconds to listening in $ms
  local t0; t0=$(date +%s%N)
  MYOFLOW_LOG_LEVEL=WARN java -XX:+UseParallelGC -jar "$jar" dicom-node --home "$1" --port "$port" \
    --quiet-seconds 2 > "$work/node.out" 2> "$work/node.err" & node_pid=$!
  until grep -q listening "$work/node.out" 2>/dev/null; do
    kill -0 "$node_pid" 2>/dev/null || { echo "the node did not start:" >&2; cat "$work/node.err" >&2; exit 1; }
    sleep 0.01
  done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}
stop() { kill "$node_pid"; while kill -0 "$node_pid" 2>/dev/null; do sleep 0.05; done; node_pid=; }
live_mb() { jcmd "$node_pid" GC.class_histogram | tail -1 | awk '{printf "%.1f", $3 / 1048576}'; }
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

start "$work/home"; sleep 2; empty_heap=$(live_mb)
for s in "$work/set"/s*; do storescu -aec MYOFLOW -aet BENCH +sd 127.0.0.1 "$port" "$s" >/dev/null 2>&1 & done
while pgrep -f "storescu -aec MYOFLOW -aet BENCH" >/dev/null; do sleep 0.2; done
# the quiet timer (2 s), then the four studies' conversion: without Kafka each ends in a study_not_announced warning
for _ in $(seq 900); do [ "$(grep -c study_not_announced "$work/node.err" || true)" -ge 4 ] && break; sleep 0.2; done
sleep 2; received_heap=$(live_mb); stop
spooled=$(find "$work/home/spool" -name '*.dcm' | wc -l)

warm_full=(); warm_empty=()
start "$work/home"; restarted_heap=$(live_mb); stop
for _ in $(seq "$runs"); do
  start "$work/home"; warm_full+=("$ms"); stop
  start "$work/empty"; warm_empty+=("$ms"); stop
done
cold="(not root: page cache not dropped)"
if [ "$(id -u)" = 0 ]; then
  sync; echo 3 > /proc/sys/vm/drop_caches; start "$work/home"; cold_full=$ms; stop
  sync; echo 3 > /proc/sys/vm/drop_caches; start "$work/empty"; cold_empty=$ms; stop
  cold="cold: ${cold_full} ms on the full spool, ${cold_empty} ms on an empty one"
fi
echo "jar: $jar; spooled: $spooled of $count instances"
echo "live heap: empty ${empty_heap} MB; after receiving them ${received_heap} MB; restarted on them ${restarted_heap} MB"
echo "start to listening: warm (median of $runs) $(median "${warm_full[@]}") ms on the full spool, $(median "${warm_empty[@]}") ms on an empty one; $cold"
