#!/usr/bin/env bash
# DICOM ingest: the same instance sets pushed with dcmtk's storescu to Myoflow's node (every instance fsynced before
# its C-STORE response) and to dcmtk's storescp (--fork, no fsync), side by side in one run.
# Small = 64x64 CT frames, large = 512x512; 1 and 4 concurrent associations (4 storescu processes, one study each).
# Each configuration runs REPS times with fresh instances (new UIDs, so Myoflow never sees a duplicate), in REPS
# rounds of every configuration, the receivers taking turns in an order that turns by one place each round; the
# median is reported. Before timing, each receiver gets
# the same warm-up: WARMUP small instances (default 12000) on 4 associations, 40 large, then one untimed round of every
# configuration. A node runs for months, so its steady state is what counts, not the JIT's first minutes: methods
# called once per instance reach C2 only after about 10,000 instances, and a large instance after only small ones
# takes branches C2 compiled away (it deoptimizes and recompiles). The CPU Myoflow's JIT compilers spend during the
# timed rounds is reported, to show they were done. Before every timed push the page cache is written back (`sync`,
# untimed), so no receiver's fsyncs pay for the previous receiver's unwritten files. The disk is measured in the same
# run: its fdatasync latency (with one association a floor under every durable acknowledgement) and the cost of
# creating a file (ext4 without a journal slows it after mass deletions, for every receiver alike). A third receiver,
# Myoflow with MYOFLOW_SPOOL_FSYNC=false, is a diagnostic only: it shows what the fsync costs (never run a node that
# way). A fourth, storescp with fsync, is a reference for the disk's share: the same storescp with bench/fsync_on_fclose.c
# preloaded, so each received file is fdatasynced and its directory fsynced before the answer (needs gcc). A fifth,
# storescp with a journal, is the least a durable dcmtk receiver pays: the same storescp with that shim in its journal
# mode, each received file copied into a preallocated journal and that one file fdatasynced before the answer
# (one data write and one flush per instance, as Myoflow's spool journal; the instance file itself left unsynced).
# Appends a section to bench/RESULTS.md.
# Usage: bench/ingest.sh [SMALL_PER_SET] [LARGE_PER_SET] [REPS]   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/ingest-common.sh
small="${1:-600}"; large="${2:-120}"; reps="${3:-3}"
jar="${MYOFLOW_JAR:-infra/target/myoflow.jar}"
[ -f "$jar" ] || mvn -q -B -DskipTests package
export TCP_NODELAY=1   # dcmtk disables Nagle only when asked (DESIGN.md)
work=$(mktemp -d "${TMPDIR:-/tmp}/myoflow-bench-ingest.XXXXXX")
cleanup() { kill "${node_pid:-}" "${nofsync_pid:-}" "${scp_pid:-}" "${durable_pid:-}" "${journal_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

node_port=$(free_port); scp_port=$(free_port); nofsync_port=$(free_port); durable_port=$(free_port); journal_port=$(free_port)
command -v gcc >/dev/null || { echo "bench/ingest.sh needs gcc for its storescp-with-fsync reference (apt-get install gcc)" >&2; exit 1; }
gcc -shared -fPIC -O2 -Wall -o "$work/fsync_on_fclose.so" bench/fsync_on_fclose.c -ldl

echo "generating instance sets in $work ..." >&2
seed=1000
gen() { gen_set "$jar" "$work/sets/$1" "$2" "$3" "$seed"; seed=$((seed + 10)); } # gen NAME MATRIX PER_SET
warmup="${WARMUP:-12000}"
gen warmup 64 "$warmup"
gen warmup-large 512 40
for size in small large; do
  matrix=64; n=$small; [ "$size" = large ] && { matrix=512; n=$large; }
  for conc in 1 4; do
    for r in $(seq 0 "$reps"); do for t in myoflow storescp nofsync durable journal; do gen "$size-$conc-$r-$t" "$matrix" "$n"; done; done
  done
done

mkdir -p "$work/storescp-out" "$work/durable-out" "$work/journal-out" "$work/journals" "$work/home"
# storescp with a journal: one zero-filled, synced journal per association storescp may serve at once (--fork: a
# process each), each larger than any instance here; overwriting written blocks changes no file metadata
for i in 1 2 3 4 5 6; do dd if=/dev/zero of="$work/journals/journal-$i" bs=1M count=64 status=none; done
sync
storescp --fork -aet STORESCP -od "$work/storescp-out" "$scp_port" >/dev/null 2>&1 & scp_pid=$!
LD_PRELOAD="$work/fsync_on_fclose.so" storescp --fork -aet STORESCP -od "$work/durable-out" "$durable_port" \
  >/dev/null 2>"$work/durable.err" & durable_pid=$!
FSYNC_ON_FCLOSE=journal JOURNAL_DIR="$work/journals" LD_PRELOAD="$work/fsync_on_fclose.so" storescp --fork -aet STORESCP -od "$work/journal-out" \
  "$journal_port" >/dev/null 2>"$work/journal.err" & journal_pid=$!
MYOFLOW_LOG_LEVEL=WARN java -XX:+UseParallelGC -jar "$jar" dicom-node --home "$work/home" --port "$node_port" \
  --quiet-seconds 3600 > "$work/node.out" 2> "$work/node.err" & node_pid=$!
MYOFLOW_SPOOL_FSYNC=false MYOFLOW_LOG_LEVEL=WARN java -XX:+UseParallelGC -jar "$jar" dicom-node --home "$work/home-nofsync" \
  --port "$nofsync_port" --quiet-seconds 3600 > "$work/nofsync.out" 2> "$work/nofsync.err" & nofsync_pid=$!
for _ in $(seq 100); do grep -q listening "$work/node.out" 2>/dev/null && grep -q listening "$work/nofsync.out" 2>/dev/null && break; sleep 0.2; done

push() { # push TARGET_AE PORT SETDIR CONC -> seconds
  local ae=$1 port=$2 dir=$3 conc=$4 t0 t1 pids=()
  t0=$(date +%s%N)
  if [ "$conc" = 1 ]; then
    storescu -aec "$ae" -aet BENCH +sd +r 127.0.0.1 "$port" "$dir" >"$work/storescu.log" 2>&1 || { echo "storescu to $ae failed:" >&2; cat "$work/storescu.log" >&2; }
  else
    for s in "$dir"/s*; do storescu -aec "$ae" -aet BENCH +sd 127.0.0.1 "$port" "$s" >"$work/storescu-$(basename "$s").log" 2>&1 & pids+=($!); done
    for p in "${pids[@]}"; do wait "$p" || { echo "storescu to $ae failed:" >&2; cat "$work"/storescu-*.log >&2; }; done
  fi
  t1=$(date +%s%N)
  echo $((t1 - t0))
}
for w in warmup:4 warmup-large:1; do
  push MYOFLOW "$node_port" "$work/sets/${w%:*}" "${w#*:}" >/dev/null
  push STORESCP "$scp_port" "$work/sets/${w%:*}" "${w#*:}" >/dev/null
  push MYOFLOW "$nofsync_port" "$work/sets/${w%:*}" "${w#*:}" >/dev/null
  push STORESCP "$durable_port" "$work/sets/${w%:*}" "${w#*:}" >/dev/null
  push STORESCP "$journal_port" "$work/sets/${w%:*}" "${w#*:}" >/dev/null
done
# CPU milliseconds the JVM's JIT compiler threads have used (threads named "C1/C2 CompilerThreadN")
jit_ms() {
  local t total=0
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in
      C1\ Compiler*|C2\ Compiler*) total=$((total + $(sed 's/^.*) //' "$t/stat" | awk '{print $12 + $13}'))) ;;
    esac
  done
  echo $((total * 1000 / $(getconf CLK_TCK)))
}

# The disk, measured in this run (bench/ingest-common.sh says what and why).
read -r fdatasync_ms create_us < <(disk_probe "$work/probe")

results="$work/results.tsv"
# The receivers' order turns by one place each round (round r starts with receiver r mod 5), so no receiver keeps the
# place after the same other one: a push's place matters (bench/ingest-ab.sh measured the first of two builds
# faster in 4-5 of 6 runs with a fixed order).
receivers=(myoflow storescp nofsync durable journal)
run_round() { # run_round R: every configuration once, the receivers in R's order; round 0 is not recorded
  local r=$1 size conc matrix target dir count bytes secs i
  for size in small large; do
    for conc in 1 4; do
      for i in 0 1 2 3 4; do
        target=${receivers[$(( (i + r) % 5 ))]}
        dir="$work/sets/$size-$conc-$r-$target"
        sync
        count=$(find "$dir" -name '*.dcm' | wc -l); bytes=$(du -sb "$dir" | cut -f1)
        case $target in
          myoflow) secs=$(push MYOFLOW "$node_port" "$dir" "$conc") ;;
          nofsync) secs=$(push MYOFLOW "$nofsync_port" "$dir" "$conc") ;;
          durable) secs=$(push STORESCP "$durable_port" "$dir" "$conc") ;;
          journal) secs=$(push STORESCP "$journal_port" "$dir" "$conc") ;;
          *) secs=$(push STORESCP "$scp_port" "$dir" "$conc") ;;
        esac
        [ "$r" = 0 ] || printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$conc" "$r" "$target" "$count" "$bytes" "$secs" >> "$results"
      done
    done
  done
}
run_round 0 # untimed: each configuration's code paths (small/large, 1/4 associations) compiled before timing
jit0=$(jit_ms "$node_pid")
for r in $(seq "$reps"); do run_round "$r"; done
jit=$(( $(jit_ms "$node_pid") - jit0 ))
stored=$(find "$work/home/spool" -name '*.dcm' | wc -l)
quarantined=$(find "$work/home/quarantine" -name '*.dcm' | wc -l)
expected=$(find "$work/sets" -name '*.dcm' -path '*-myoflow/*' | wc -l); expected=$((expected + $(find "$work/sets/warmup" "$work/sets/warmup-large" -name '*.dcm' | wc -l)))
durable_stored=$(find "$work/durable-out" -type f | wc -l)
journal_stored=$(find "$work/journal-out" -type f | wc -l)

/usr/bin/python3 - "$results" "$small" "$large" "$reps" "$stored" "$expected" "$quarantined" "$fdatasync_ms" "$warmup" "$jit" "$create_us" "$durable_stored" "$journal_stored" <<'PY'
import collections, datetime, os, statistics, sys
path, small, large, reps, stored, expected, quarantined, fdatasync_ms, warmup, jit, create_us, durable_stored, journal_stored = sys.argv[1:]
runs = collections.defaultdict(list)
for line in open(path):
    size, conc, r, target, count, nbytes, secs = line.split()
    runs[(size, conc, target)].append((int(count), int(nbytes), int(secs) / 1e9))
lines = [f"\n## DICOM ingest: Myoflow node vs dcmtk storescp ({datetime.date.today()})\n",
         f"Command: `bench/ingest.sh {small} {large} {reps}`. storescu (dcmtk 3.6.7, TCP_NODELAY=1) pushes CT frames "
         f"to each receiver on loopback; 1 association = one storescu over 4 studies, 4 = four storescu at once, one "
         f"study each. Myoflow makes every instance durable before answering (instances up to the journal limit, "
         f"{os.environ.get('MYOFLOW_SPOOL_JOURNAL_LIMIT_KB', '1024')} KB: the spool's write-ahead journal, the associations' fdatasyncs side by "
         f"side, answered before the spool file is written; larger: part file fsync); storescp (--fork) does not fsync. "
         f"storescp with fsync is the same storescp with `bench/fsync_on_fclose.c` preloaded: each received file "
         f"fdatasynced and its directory fsynced before the answer, a reference for what the disk's flushes cost; "
         f"storescp with a journal (the same shim, `FSYNC_ON_FCLOSE=journal`) copies each received file into a preallocated journal "
         f"and fdatasyncs that before the answer, one data write and one flush per instance: the least a durable "
         f"dcmtk receiver pays. Median of {reps} rounds with fresh instances, each round every configuration once, the receivers' order turned by one place each round; before timing, each receiver gets the same {warmup} small (4 associations) and 40 large instances and one untimed round; page cache written back (untimed `sync`) before every timed push. This machine: {os.cpu_count()} cores; "
         f"its disk, measured in this run (medians): fdatasync of a 12 KB overwrite in a preallocated file {fdatasync_ms} ms, creating and writing a new 9 KB file {create_us} us.",
         f"JIT: Myoflow's compiler threads used {jit} ms of CPU from the first timed push to the last (Myoflow's timed pushes took "
         f"{sum(s for (_, _, t), rs in runs.items() if t == 'myoflow' for _, _, s in rs) * 1e3:.0f} ms).",
         f"Check: Myoflow's spool holds {stored} of {expected} instances sent to it; {quarantined} quarantined. "
         f"storescp with fsync stored {durable_stored} of {expected}, storescp with a journal {journal_stored}.\n",
         "| instances | associations | Myoflow inst/s | Myoflow MB/s | storescp inst/s | storescp MB/s | Myoflow / storescp "
         "| without fsync (diagnostic) / storescp | storescp with fsync inst/s | Myoflow / storescp with fsync "
         "| storescp with a journal inst/s | Myoflow / storescp with a journal |",
         "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
for size in ('small', 'large'):
    for conc in ('1', '4'):
        rate = {}
        for target in ('myoflow', 'storescp', 'nofsync', 'durable', 'journal'):
            rs = runs[(size, conc, target)]
            secs = statistics.median(s for _, _, s in rs)
            rate[target] = (rs[0][0] / secs, rs[0][1] / secs / 1e6)
        label = f"{rs[0][0]} x {'64x64' if size == 'small' else '512x512'}"
        lines.append(f"| {label} | {conc} | {rate['myoflow'][0]:.0f} | {rate['myoflow'][1]:.1f} | "
                     f"{rate['storescp'][0]:.0f} | {rate['storescp'][1]:.1f} | "
                     f"{rate['myoflow'][0] / rate['storescp'][0]:.2f}x | {rate['nofsync'][0] / rate['storescp'][0]:.2f}x | "
                     f"{rate['durable'][0]:.0f} | {rate['myoflow'][0] / rate['durable'][0]:.2f}x | "
                     f"{rate['journal'][0]:.0f} | {rate['myoflow'][0] / rate['journal'][0]:.2f}x |")
text = "\n".join(lines) + "\n"
print(text)
open('bench/RESULTS.md', 'a').write(text)
PY
