#!/usr/bin/env bash
# Where one association's cycle goes, for Myoflow's node and for storescp, from the system calls of both sides:
# storescu sends the next instance only after the answer to the last, so a cycle is the receiver's work up to its
# answer (R), the answer reaching storescu (W: storescu's read returns), storescu preparing and sending the next
# instance (S), and that reaching the receiver (D: the receiver's read returns). Myoflow's R is split further into
# the journal's pwrite, its fdatasync and the answer. Pushes PER_SET 64x64 CT frames on one association to each
# receiver (after the warm-up ingest.sh gives) under `perf record -a` of syscall tracepoints, which slows every
# cycle by some tens of microseconds: compare the two columns of one run, not a run with ingest.sh's figures.
# Needs perf and root (tracepoints). Prints a table; appends nothing.
# Usage: bench/ingest-cycle.sh [PER_SET]   (from the repository root; MYOFLOW_JAR selects the jar)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/ingest-common.sh
n="${1:-1200}"
jar="${MYOFLOW_JAR:-infra/target/myoflow.jar}"
[ -f "$jar" ] || mvn -q -B -DskipTests package
command -v perf >/dev/null || { echo "needs perf (linux-perf)" >&2; exit 2; }
export TCP_NODELAY=1
work=$(mktemp -d "${TMPDIR:-/tmp}/myoflow-bench-cycle.XXXXXX")
cleanup() { kill "${node_pid:-}" "${scp_pid:-}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
node_port=$(free_port); scp_port=$(free_port)
echo "generating instance sets in $work ..." >&2
seed=9000
for s in warm:12000 warm-1:"$n" m:"$n" s:"$n"; do gen_set "$jar" "$work/sets/${s%%:*}" 64 "${s#*:}" $seed; seed=$((seed + 10)); done

mkdir -p "$work/storescp-out"
storescp --fork -aet STORESCP -od "$work/storescp-out" "$scp_port" >/dev/null 2>&1 & scp_pid=$!
MYOFLOW_LOG_LEVEL=WARN java -XX:+UseParallelGC -jar "$jar" dicom-node --home "$work/node" --port "$node_port" \
  --quiet-seconds 3600 > "$work/node.out" 2>&1 & node_pid=$!
for _ in $(seq 100); do grep -q listening "$work/node.out" && break; sleep 0.2; done

for r in MYOFLOW:"$node_port" STORESCP:"$scp_port"; do # the warm-up of ingest.sh
  pids=()
  for s in "$work/sets/warm"/s*; do storescu -aec "${r%:*}" -aet BENCH +sd 127.0.0.1 "${r#*:}" "$s" >/dev/null 2>&1 & pids+=($!); done
  wait "${pids[@]}"
  storescu -aec "${r%:*}" -aet BENCH +sd +r 127.0.0.1 "${r#*:}" "$work/sets/warm-1" >/dev/null 2>&1
done

events=syscalls:sys_enter_write,syscalls:sys_enter_read,syscalls:sys_exit_read,syscalls:sys_enter_pwrite64
events=$events,syscalls:sys_enter_fdatasync,syscalls:sys_exit_fdatasync
for r in m:MYOFLOW:"$node_port" s:STORESCP:"$scp_port"; do
  IFS=: read -r set ae port <<< "$r"
  sync
  perf record -q -a -e "$events" -o "$work/$set.data" -- sleep 600 >/dev/null 2>&1 & rec=$!
  sleep 1.5
  storescu -aec "$ae" -aet BENCH +sd +r 127.0.0.1 "$port" "$work/sets/$set" >/dev/null 2>&1
  kill -INT "$rec"; wait "$rec" || true
  perf script -i "$work/$set.data" -F comm,tid,cpu,time,event,trace > "$work/$set.txt" 2>/dev/null
done

/usr/bin/python3 - "$work/m.txt" "$work/s.txt" "$n" <<'PY'
import re, statistics, sys
LINE = re.compile(r'\s*(.+?)\s+(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+syscalls:(\w+):\s*(.*)')
def cycles(path, receiver):
    """Per instance: the receiver's read of the data set PDU starts a cycle (a 64x64 instance is one ~9 KB read)."""
    out, cur = [], None
    for line in open(path):
        m = LINE.match(line)
        if not m or m.group(1) not in ('storescu', receiver):
            continue
        comm, cpu, t, ev, args = m.group(1), int(m.group(3)), float(m.group(4)) * 1e6, m.group(5), m.group(6)
        count = re.search(r'count: (0x[0-9a-f]+)', args)
        count = int(count.group(1), 16) if count else None
        if comm == receiver:
            if ev == 'sys_exit_read' and int(args, 16) >= 0x2000:
                if cur:
                    out.append(cur)
                cur = {'data': t, 'cpu': cpu}
            elif cur is None:
                continue
            elif ev in ('sys_enter_pwrite64', 'sys_enter_fdatasync', 'sys_exit_fdatasync'):
                cur.setdefault(ev, t)
            elif ev == 'sys_enter_write' and 'answer' not in cur and count in (0x96, 0xc):
                cur['answer'] = t # Myoflow writes its answer PDU at once (150 bytes), storescp header first
        elif cur and 'answer' in cur:
            if ev == 'sys_exit_read' and args.strip() == '0x6' and 'heard' not in cur:
                cur['heard'], cur['scu_cpu'] = t, cpu
            elif ev == 'sys_enter_write' and 'heard' in cur and count and count >= 0x2000:
                cur.setdefault('sent', t)
    return out
def table(path, receiver):
    cs, rows = cycles(path, receiver), {}
    for c, nxt in zip(cs, cs[1:]):
        if not all(k in c for k in ('answer', 'heard', 'sent')):
            continue
        parts = [('cycle', nxt['data'] - c['data']), ('R  receiver: data set read -> answer', c['answer'] - c['data']),
                 ('W  answer -> storescu has read it', c['heard'] - c['answer']),
                 ('S  storescu: answer -> next data set sent', c['sent'] - c['heard']),
                 ('D  sent -> receiver has read it', nxt['data'] - c['sent'])]
        if 'sys_enter_fdatasync' in c and 'sys_enter_pwrite64' in c:
            parts += [('   R: read -> journal pwrite', c['sys_enter_pwrite64'] - c['data']),
                      ('   R: pwrite -> fdatasync', c['sys_enter_fdatasync'] - c['sys_enter_pwrite64']),
                      ('   R: fdatasync', c['sys_exit_fdatasync'] - c['sys_enter_fdatasync']),
                      ('   R: fdatasync -> answer', c['answer'] - c['sys_exit_fdatasync'])]
        parts.append(('same CPU as storescu (share)', 1.0 if c['cpu'] == c['scu_cpu'] else 0.0))
        for k, v in parts:
            rows.setdefault(k, []).append(v)
    return len(cs), rows
n = int(sys.argv[3])
(nm, m), (ns, s) = table(sys.argv[1], 'dicom-associati'), table(sys.argv[2], 'storescp')
print(f"One association, {n} x 64x64 CT, under perf tracepoints; medians in us ({nm} and {ns} cycles found).\n")
print("| part of the cycle | Myoflow | storescp |\n|---|---:|---:|")
for k in m:
    fmt = (lambda v: f"{sum(v) / len(v):.2f}") if k.startswith('same') else (lambda v: f"{statistics.median(v):.0f}")
    print(f"| {k} | {fmt(m[k])} | {fmt(s[k]) if k in s else ''} |")
PY
