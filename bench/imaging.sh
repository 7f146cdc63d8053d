#!/usr/bin/env bash
# Resampling and postprocessing: Myoflow (Java) against scipy/skimage on the same 64x64x56 data, in one command.
# Writes a section to bench/RESULTS.md. Usage: bench/imaging.sh [REPS]   (run from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
reps="${1:-50}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
jar=infra/target/myoflow.jar
[ -f "$jar" ] || mvn -q -B -DskipTests package
# one core each, so neither side gets more of this 2-core machine than the other
taskset -c 0 java -jar "$jar" bench-imaging --work "$work" --reps "$reps" > "$work/java.out"
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 taskset -c 0 /usr/bin/python3 bench/imaging_reference.py "$work" "$reps" > "$work/python.json"
/usr/bin/python3 - "$work" "$reps" <<'PY'
import datetime, json, sys, os
work, reps = sys.argv[1], sys.argv[2]
j = json.load(open(os.path.join(work, 'java.json')))
p = json.load(open(os.path.join(work, 'python.json')))
lines = [f"\n## Imaging: resampling and postprocessing vs scipy/skimage ({datetime.date.today()})\n",
         f"Command: `bench/imaging.sh {reps}` (both pinned to core 0 with taskset; median of {reps} runs after warm-up).",
         f"Input {j['input_shape']} resampled to 64x64x56; postprocessing on a 64x64x56 probability map, every step on.",
         f"Java: {j['jvm']}. Python {p['python']}, numpy {p['numpy']}, scipy {p['scipy']}, skimage {p['skimage']}.\n",
         "| step | Myoflow ms | scipy/skimage ms | speed-up (ref / ours) |", "|---|---:|---:|---:|"]
for k, ours in j['median_ms'].items():
    ref = p['median_ms'][k]
    lines.append(f"| {k} | {ours:.3f} | {ref:.3f} | {ref / ours:.2f}x |")
lines.append(f"\nSame work: resampled volumes differ by at most {p['resample_max_abs_diff']:.2e} (values up to "
             f"{p['resample_max_value']:.0f}); postprocessed masks differ in {p['postprocess_voxels_differing']} of "
             f"{p['postprocess_voxels_set']} voxels.")
text = "\n".join(lines) + "\n"
print(text)
with open('bench/RESULTS.md', 'a') as f:
    f.write(text)
PY
