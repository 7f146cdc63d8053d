#!/usr/bin/env bash
# A/B of two builds of Myoflow's DICOM node, with dcmtk's storescp as the common reference, in one command: the
# diagnostic behind the "A/B, N alternating runs" figures in bench/RESULTS.md (bench/ingest.sh is the benchmark).
# Both nodes fsync; they get the same warm-up as in ingest.sh (12000 small instances on 4 associations, 40 large, one
# untimed set of the timed kind), then RUNS timed pushes each, the three taking turns in a new order each run (all
# six orders over six runs), with fresh instances and an untimed `sync` before each. Prints per run: microseconds per instance for each receiver, each node's ratio to
# storescp, and each node's CPU per instance (/proc/<pid>/stat); then the medians. Appends nothing.
# This VM's root is ext4 without a journal: creating files right after deleting many is several times slower, so
# let a few minutes pass after a run that deleted its sets (this one deletes its own at exit) before the next.
# Usage: bench/ingest-ab.sh JAR_A JAR_B [MATRIX] [PER_SET] [ASSOCIATIONS] [RUNS]   (e.g. A = main, B = a branch)
# To compare two settings of one build instead, pass the same jar twice and set A_ENV / B_ENV to the node's
# environment for each side, e.g. B_ENV="MYOFLOW_SPOOL_JOURNAL_LIMIT_KB=1024".
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/ingest-common.sh
a_jar=$1; b_jar=$2; matrix="${3:-64}"; n="${4:-600}"; conc="${5:-4}"; runs="${6:-6}"
export TCP_NODELAY=1
work=$(mktemp -d "${TMPDIR:-/tmp}/myoflow-bench-ab.XXXXXX")
cleanup() { kill "${pa:-}" "${pb:-}" "${ps:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
qa=$(free_port); qb=$(free_port); qs=$(free_port)
seed=5000
gen() { gen_set "$a_jar" "$work/sets/$1" "$2" "$3" "$seed"; seed=$((seed + 10)); } # gen NAME MATRIX COUNT
echo "generating instance sets in $work ..." >&2
gen warm 64 12000; gen warm-large 512 40
for t in a b s; do gen "w$t" "$matrix" "$n"; done
for r in $(seq "$runs"); do for t in a b s; do gen "$t$r" "$matrix" "$n"; done; done

mkdir -p "$work/storescp-out"
"${receive_on[@]}" storescp --fork -aet STORESCP -od "$work/storescp-out" "$qs" >/dev/null 2>&1 & ps=$!
env ${A_ENV:-} MYOFLOW_LOG_LEVEL=WARN "${receive_on[@]}" java -XX:+UseParallelGC -jar "$a_jar" dicom-node --home "$work/a" --port "$qa" \
  --quiet-seconds 3600 > "$work/a.out" 2>&1 & pa=$!
env ${B_ENV:-} MYOFLOW_LOG_LEVEL=WARN "${receive_on[@]}" java -XX:+UseParallelGC -jar "$b_jar" dicom-node --home "$work/b" --port "$qb" \
  --quiet-seconds 3600 > "$work/b.out" 2>&1 & pb=$!
for _ in $(seq 100); do grep -q listening "$work/a.out" && grep -q listening "$work/b.out" && break; sleep 0.2; done

push() { # push AE PORT DIR ASSOCIATIONS -> microseconds per instance
  local ae=$1 p=$2 d=$3 c=$4 t0 t1 pids=() s
  t0=$(date +%s%N)
  if [ "$c" = 1 ]; then
    "${send_on[@]}" storescu -aec "$ae" -aet BENCH +sd +r 127.0.0.1 "$p" "$d" >/dev/null 2>&1
  else
    for s in "$d"/s*; do "${send_on[@]}" storescu -aec "$ae" -aet BENCH +sd 127.0.0.1 "$p" "$s" >/dev/null 2>&1 & pids+=($!); done
    wait "${pids[@]}"
  fi
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000 / n ))
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tck=$(getconf CLK_TCK)

for w in warm:4 warm-large:1; do
  push MYOFLOW "$qa" "$work/sets/${w%:*}" "${w#*:}" >/dev/null
  push MYOFLOW "$qb" "$work/sets/${w%:*}" "${w#*:}" >/dev/null
  push STORESCP "$qs" "$work/sets/${w%:*}" "${w#*:}" >/dev/null
done
push MYOFLOW "$qa" "$work/sets/wa" "$conc" >/dev/null
push MYOFLOW "$qb" "$work/sets/wb" "$conc" >/dev/null
push STORESCP "$qs" "$work/sets/ws" "$conc" >/dev/null

echo "A=$a_jar ${A_ENV:-} B=$b_jar ${B_ENV:-}, ${matrix}x${matrix}, $n instances per set, $conc association(s)"
results="$work/runs.tsv"
# The receivers take turns in every order, one order a run: a push's place in the run matters (measured with the
# fixed order A, B, storescp: two builds that differ by one statvfs per instance, 512x512 on four associations,
# the one in A's place was faster in 5 of 6 runs, and in 4 of 6 with the builds swapped), so a fixed order would
# credit a build, or storescp, with its place.
orders=("a b s" "b a s" "s a b" "s b a" "a s b" "b s a")
for r in $(seq "$runs"); do
  order=${orders[$(( (r - 1) % 6 ))]}
  for t in $order; do
    sync
    case $t in
      a) ca=$(cpu_ticks "$pa"); ua=$(push MYOFLOW "$qa" "$work/sets/a$r" "$conc"); ca=$(( ($(cpu_ticks "$pa") - ca) * 1000000 / tck / n )) ;;
      b) cb=$(cpu_ticks "$pb"); ub=$(push MYOFLOW "$qb" "$work/sets/b$r" "$conc"); cb=$(( ($(cpu_ticks "$pb") - cb) * 1000000 / tck / n )) ;;
      s) us=$(push STORESCP "$qs" "$work/sets/s$r" "$conc") ;;
    esac
  done
  printf '%s\t%s\t%s\t%s\t%s\n' "$ua" "$ub" "$us" "$ca" "$cb" >> "$results"
  echo "run $r (order ${order// /,}): us/instance A=$ua B=$ub storescp=$us; A/storescp=$(awk "BEGIN{printf \"%.2f\", $us/$ua}")x" \
    "B/storescp=$(awk "BEGIN{printf \"%.2f\", $us/$ub}")x; node CPU us/instance A=$ca B=$cb"
done
/usr/bin/python3 - "$results" <<'PY'
import statistics, sys
rows = [list(map(int, line.split())) for line in open(sys.argv[1])]
ra = statistics.median(s / a for a, _, s, _, _ in rows)
rb = statistics.median(s / b for _, b, s, _, _ in rows)
print(f"median of {len(rows)} runs: A {ra:.2f}x storescp, B {rb:.2f}x storescp; B faster than A in "
      f"{sum(b < a for a, b, _, _, _ in rows)} of {len(rows)}; "
      f"node CPU us/instance A {statistics.median(r[3] for r in rows):.0f}, B {statistics.median(r[4] for r in rows):.0f}")
PY
echo "spooled: A $(find "$work/a/spool" -name '*.dcm' | wc -l), B $(find "$work/b/spool" -name '*.dcm' | wc -l)"
