#!/usr/bin/env bash
# End to end on the embedded default: scanner simulator -> C-STORE -> node -> Kafka -> Temporal -> workers -> SEG in a
# real Orthanc. Latency (last instance acknowledged -> SEG stored in Orthanc) with the completeness wait reported
# separately, next to the bare compute of the same studies in-process (the reference: the work orchestration cannot
# avoid), and sustained studies/hour from a back-to-back burst. Appends a section to bench/RESULTS.md.
# Usage: bench/e2e.sh [LATENCY_STUDIES] [BURST_STUDIES]   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10}"; burst="${2:-12}"
jar=infra/target/myoflow.jar
[ -f "$jar" ] || mvn -q -B -DskipTests package
export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
out=$(java -Xmx4g -jar "$jar" bench-e2e --latency-studies "$n" --burst-studies "$burst" 2>/dev/null | tail -1)
/usr/bin/python3 - "$out" "$n" "$burst" <<'PY'
import datetime, json, os, sys
r, n, burst = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
lines = [f"\n## End to end: last instance -> SEG in Orthanc ({datetime.date.today()})\n",
         f"Command: `bench/e2e.sh {n} {burst}`. Embedded Kafka + Temporal test service, workers on all queues in one "
         f"JVM, Orthanc 1.10 as the PACS, {os.cpu_count()} cores, {r['engine']}, model {r['model']}. Studies alternate "
         f"NM multi-frame (certain completeness on release) and PET single-frame stacks (no instance count, so the "
         f"2 s quiet timer). {r['studies_latency']} studies pushed one at a time after a warm-up of two.\n",
         "| measure | p50 s | p95 s |", "|---|---:|---:|",
         f"| last instance -> SEG in PACS | {r['latency_total_p50_s']:.2f} | {r['latency_total_p95_s']:.2f} |",
         f"| of which completeness wait | {r['completeness_wait_p50_s']:.2f} | {r['completeness_wait_p95_s']:.2f} |",
         f"| **excluding the completeness wait** | **{r['latency_excl_wait_p50_s']:.2f}** | "
         f"**{r['latency_excl_wait_p95_s']:.2f}** |",
         f"| reference: bare compute in-process (preprocess + U-Net + postprocess) | {r['bare_compute_p50_s']:.2f} | "
         f"{r['bare_compute_p95_s']:.2f} |", "",
         f"Ratio end to end (excluding the wait) / bare compute, p50: "
         f"{r['latency_excl_wait_p50_s'] / r['bare_compute_p50_s']:.1f}x. Goal p95 < 5 s excluding the wait: "
         f"{'met' if r['latency_excl_wait_p95_s'] < 5 else 'NOT met'}.",
         f"Sustained: {r['studies_burst']} studies pushed back to back, all SEGs in Orthanc after "
         f"{r['burst_seconds']:.1f} s = **{r['studies_per_hour']:.0f} studies/hour** on this machine.\n"]
text = "\n".join(lines) + "\n"
print(text)
open('bench/RESULTS.md', 'a').write(text)
PY
